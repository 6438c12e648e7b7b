from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    # 统计看板: figures read from the domain apps through their scoping; nothing imports this app but the roof.
    name = "stats"
    verbose_name = _("统计看板")
