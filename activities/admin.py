"""Admin for activities, scoped through activities.scoping.

The admin is where district and town staff look across their area; every write to an activity or a sign-up
goes through activities.services (from the staff pages), which lock rows and keep capacity, the waiting list
and the log right. So here activities and sign-ups are read-only for staff, and the log is read-only for
everyone, superusers included: it is the append-only record of what happened.
"""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityLog, ActivityPhoto, Registration
from activities.scoping import activities_for, registrations_for
from activities.selectors import with_registration_counts
from activities.selectors_public import ConfirmedCount
from portal.admin_bases import AnyAdminBase
from portal.admin_scoping import ScopedAdminMixin, ScopedInlineMixin
from portal.scoping import Action, AnyUser, is_unrestricted

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def activity_photos_for(user: AnyUser, action: Action) -> QuerySet[ActivityPhoto]:
    return ActivityPhoto.objects.select_related("activity").filter(activity__in=activities_for(user, action))


def activity_logs_for(user: AnyUser, action: Action) -> QuerySet[ActivityLog]:
    logs = ActivityLog.objects.select_related("activity", "actor", "registration")
    if action == Action.CHANGE:
        return logs.none()
    return logs.filter(activity__in=activities_for(user, action))


class ReadOnlyForStaffMixin(AnyAdminBase):
    """Staff may look; only the superusers who run the installation may correct a row by hand."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_unrestricted(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_unrestricted(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_unrestricted(request.user) and super().has_delete_permission(request, obj)


class ActivityPhotoInline(ReadOnlyForStaffMixin, ScopedInlineMixin, admin.TabularInline):
    model = ActivityPhoto
    scope_queryset = staticmethod(activity_photos_for)
    extra = 0
    fields = ("image", "caption", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyForStaffMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(activities_for)
    staff_may_delete = False
    inlines = (ActivityPhotoInline,)
    list_display = ("title", "host", "starts_at", "status", "capacity", "confirmed")
    list_select_related = ("host", "host__region")
    # status, category and form each carry a db_index.
    list_filter = ("status", "category", "form")
    search_fields = ("title", "place", "host__name")
    date_hierarchy = "starts_at"
    # The status moves only through the services, which check activities/states.py and tell the people signed up.
    readonly_fields = ("status", "created_by", "created_at")
    fieldsets = (
        (None, {"fields": ("host", "co_hosts", "title", "category", "form", "audience", "status")}),
        (_("时间地点"), {"fields": ("starts_at", "ends_at", "signup_deadline", "place", "capacity")}),
        (_("介绍与小结"), {"fields": ("description", "cover", "summary", "walk_in_count", "cancel_reason")}),
        (None, {"fields": ("created_by", "created_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Activity]:
        return with_registration_counts(super().get_queryset(request))

    @admin.display(description=_("已报名"), ordering="confirmed_count")
    def confirmed(self, activity: "WithAnnotations[Activity, ConfirmedCount]") -> int:
        return activity.confirmed_count


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyForStaffMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(registrations_for)
    staff_may_delete = False
    # The phone column and field are masked by ScopedAdminMixin for those who may not see phones whole.
    list_display = ("name", "phone", "activity", "status", "created_at", "checked_in_at", "checkin_method")
    list_select_related = ("activity", "person")
    list_filter = ("status",)
    search_fields = ("name", "=phone", "activity__title")
    raw_id_fields = ("activity", "person")


@admin.register(ActivityPhoto)
class ActivityPhotoAdmin(ReadOnlyForStaffMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(activity_photos_for)
    list_display = ("__str__", "activity", "created_at")
    list_select_related = ("activity",)
    raw_id_fields = ("activity",)


@admin.register(ActivityLog)
class ActivityLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(activity_logs_for)
    staff_may_delete = False
    list_display = ("created_at", "activity", "action", "actor", "registration", "comment")
    list_select_related = ("activity", "actor", "registration")
    date_hierarchy = "created_at"

    # Append-only: nobody adds, changes or deletes a log row by hand.
    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
