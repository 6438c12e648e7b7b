from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalSiteConfig(AppConfig):
    # An app of its own (no models) so that the demo's management command lives beside the demo it loads.
    name = "portal.site"
    label = "portal_site"
    verbose_name = _("门户站点")
