"""The kept daily figures in the admin: read-only, scoped to the places under each officer's dashboard."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import ReadOnlyAdminMixin, ScopedAdminMixin
from stats.models import DailyFigure
from stats.scoping import daily_figures_for


@admin.register(DailyFigure)
class DailyFigureAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """One number per metric, day and organization, as the nightly snapshot kept it. A province keeps about a
    hundred thousand a day: the list walks the day index newest first and filters by the metric, never by a
    date hierarchy (which would read every day of the table to draw itself)."""

    scope_queryset = staticmethod(daily_figures_for)
    list_display = ("day", "metric", "organization", "region", "value")
    list_select_related = ("organization", "region")
    list_filter = ("metric",)
    search_fields = ("=organization__name",)
    search_help_text = _("按组织全称查找。")
    ordering = ("-day", "metric", "organization")
    fields = ("day", "metric", "organization", "region", "value")
    readonly_fields = fields
