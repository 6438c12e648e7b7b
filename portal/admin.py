"""Admin for the portal's own settings: the holiday calendar that deadlines count in."""

from django.contrib import admin
from django.http import HttpRequest

from portal.admin_scoping import may_use_admin
from portal.models import WorkdayOverride
from portal.scoping import is_unrestricted


def may_edit_calendar(request: HttpRequest) -> bool:
    """The State Council's holiday notice holds for the whole country, and every district's deadlines count in
    this one calendar: only a superuser enters it (there is no province-level role). Staff in the admin read it."""
    return is_unrestricted(request.user)


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "note")
    date_hierarchy = "date"
    search_fields = ("note",)
    fields = ("date", "is_workday", "note")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_edit_calendar(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_edit_calendar(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_edit_calendar(request)
