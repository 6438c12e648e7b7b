"""Admin for activities, scoped through activities.scoping.

The admin is where district and town staff look across their area; every write to an activity or a sign-up
goes through activities.services (from the staff pages), which lock rows and keep capacity, the waiting list
and the log right. So here activities and sign-ups are read-only for staff, and the log is read-only for
everyone, superusers included: it is the append-only record of what happened.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityLog, ActivityPhoto, Registration
from activities.scoping import activities_for, registrations_for
from activities.selectors import with_registration_counts
from portal.accounts.roles import ROLES_SEEING_FULL_PHONES
from portal.admin_scoping import ScopedAdminMixin, ScopedInlineMixin
from portal.phones import mask_phone
from portal.scoping import Action, AnyUser, is_unrestricted


def activity_photos_for(user: AnyUser, action: Action) -> QuerySet[ActivityPhoto]:
    return ActivityPhoto.objects.select_related("activity").filter(activity__in=activities_for(user, action))


def activity_logs_for(user: AnyUser, action: Action) -> QuerySet[ActivityLog]:
    logs = ActivityLog.objects.select_related("activity", "actor", "registration")
    if action == Action.CHANGE:
        return logs.none()
    return logs.filter(activity__in=activities_for(user, action))


def _sees_full_phones(user: AnyUser) -> bool:
    return is_unrestricted(user) or getattr(user, "role", None) in ROLES_SEEING_FULL_PHONES


class ReadOnlyForStaffMixin:
    """Staff may look; only the superusers who run the installation may correct a row by hand."""

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return is_unrestricted(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_unrestricted(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
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
    def confirmed(self, activity: Activity) -> int:
        return activity.confirmed_count


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyForStaffMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(registrations_for)
    staff_may_delete = False
    list_display = ("name", "shown_phone", "activity", "status", "created_at", "checked_in_at", "checkin_method")
    list_select_related = ("activity", "person")
    list_filter = ("status",)
    search_fields = ("name", "=phone", "activity__title")
    raw_id_fields = ("activity", "person")

    def get_list_display(self, request: HttpRequest):
        whole = _sees_full_phones(request.user)

        @admin.display(description=_("手机号"), ordering="phone")
        def shown_phone(registration: Registration) -> str:
            return registration.phone if whole else mask_phone(registration.phone)

        return [shown_phone if item == "shown_phone" else item for item in super().get_list_display(request)]

    def get_fields(self, request: HttpRequest, obj=None):
        fields = list(super().get_fields(request, obj))
        if not _sees_full_phones(request.user):
            fields = [name if name != "phone" else "masked_phone" for name in fields]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not _sees_full_phones(request.user):
            readonly.append("masked_phone")
        return readonly

    @admin.display(description=_("手机号"))
    def masked_phone(self, registration: Registration) -> str:
        return mask_phone(registration.phone)

    @admin.display(description=_("手机号"), ordering="phone")
    def shown_phone(self, registration: Registration) -> str:
        return mask_phone(registration.phone)


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
