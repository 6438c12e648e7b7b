from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkdayOverride(models.Model):
    """A day the State Council's holiday notice makes a holiday or a make-up workday (调休).

    The chinese-calendar package knows the years it was released for; when a new year's notice comes out
    before the package does, the district admin enters its days here and deadlines count them at once.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否上班"))
    note = models.CharField(_("说明"), max_length=60, blank=True, default="")

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.note}"
