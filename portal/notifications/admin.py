"""Admin of the outbox, the inboxes and the preferences, and of the Celery beat schedule.

Who sees what is in portal/notifications/scoping.py: district admins read the inboxes and preferences of the
accounts they keep; town staff nothing here. Everything is read-only: messages are written by the services and
sent by workers; the one thing an admin does is send failed messages again ("重新发送").

The raw outbox (待发消息) and the beat schedule (django_celery_beat: periodic tasks, intervals, crontabs, clocked
and solar schedules) are the installation's internals: whoever runs the installation keeps them, and there is
no province-level role, so only superusers see them. A district officer finds neither in the admin index nor
in an app list, and their direct URLs answer 403. They are re-registered here so that roles decide, as
everywhere in this admin (see portal/admin_scoping.py), not Django's model permissions.
"""

from __future__ import annotations

from typing import Any

import django_celery_beat.admin as beat_admin  # registers its models first, so that they can be replaced here
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule

from portal.admin_bases import ModelAdminBase
from portal.admin_scoping import ScopedAdminMixin
from portal.notifications.models import ChannelPreference, InboxMessage, OutboxMessage, OutboxState
from portal.notifications.outbox import outbox_retry
from portal.notifications.scoping import channel_preferences_for, inbox_messages_for, outbox_messages_for
from portal.phones import mask_phone
from portal.scoping import is_unrestricted

LAST_ERROR_SHORT = 60


class ReadOnlyChangeFormMixin(ModelAdminBase):
    """The change page shows a record; nothing on it can be saved. Put before ScopedAdminMixin, so that
    adding stays impossible whatever the scope allows."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyChangeFormMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(outbox_messages_for)
    # The outbox is the record of what was sent: only superusers may delete from it.
    staff_may_delete = False
    list_display = (
        "kind",
        "channel",
        "recipient",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error_short",
        "created_at",
    )
    list_filter = ("state", "channel", "kind")
    list_select_related = ("user",)
    show_full_result_count = False  # the changelist's total is a COUNT over millions of sent rows
    actions = ("resend",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_unrestricted(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_unrestricted(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # "重新发送" is a change; the change form itself saves nothing (ReadOnlyChangeFormMixin).
        return is_unrestricted(request.user)

    fields = (
        "kind",
        "channel",
        "recipient",
        "masked_phone",
        "email",
        "subject",
        "body",
        "url",
        "state",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "provider_id",
        "last_error",
        "idempotency_key",
        "created_at",
    )

    def shows_phones_whole(self, request: HttpRequest) -> bool:
        # The outbox prints every number masked, to everyone; so nobody filters, searches or sorts it by one.
        return False

    @admin.display(description=_("收件人"))
    def recipient(self, obj: OutboxMessage) -> str:
        if obj.channel == "email" and obj.email:
            return _mask_email(obj.email)
        if obj.phone:
            return mask_phone(obj.phone)
        return str(obj.user) if obj.user_id else "—"

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj: OutboxMessage) -> str:
        return mask_phone(obj.phone) if obj.phone else "—"

    @admin.display(description=_("最近错误"))
    def last_error_short(self, obj: OutboxMessage) -> str:
        error = obj.last_error
        return error if len(error) <= LAST_ERROR_SHORT else f"{error[: LAST_ERROR_SHORT - 1]}…"

    @admin.action(description=_("重新发送"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        failed = queryset.filter(state=OutboxState.FAILED)
        retried = outbox_retry(messages=failed.select_related(None).only("pk"))
        skipped = queryset.count() - retried
        self.message_user(
            request,
            ngettext("%(count)d 条消息已重新排队发送。", "%(count)d 条消息已重新排队发送。", retried)
            % {"count": retried},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d 条消息不是“发送失败”状态，未重新发送。",
                    "%(count)d 条消息不是“发送失败”状态，未重新发送。",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


def _mask_email(email: str) -> str:
    name, _at, domain = email.partition("@")
    return f"{name[:1]}***@{domain}" if domain else "***"


@admin.register(InboxMessage)
class InboxMessageAdmin(ReadOnlyChangeFormMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(inbox_messages_for)
    staff_may_delete = False
    list_display = ("title", "user", "kind", "created_at", "read_at")
    list_select_related = ("user",)
    show_full_result_count = False
    fields = ("user", "kind", "title", "body", "url", "created_at", "read_at", "source")


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(ReadOnlyChangeFormMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_queryset = staticmethod(channel_preferences_for)
    staff_may_delete = False
    list_display = ("user", "kind", "channels")
    list_select_related = ("user",)
    fields = ("user", "kind", "channels")


# ---- the Celery beat schedule --------------------------------------------------------------------------------


def may_view_schedule(user) -> bool:
    """The schedule is the installation's: district officers learn when reminders go out from README and
    their inbox, not from Celery's tables."""
    return is_unrestricted(user)


def may_edit_schedule(user) -> bool:
    """One schedule serves every district of the installation: a district admin editing it would change the
    reminders of all the others, so only a superuser may."""
    return is_unrestricted(user)


class ScheduleKeeperPermissions:
    """Roles decide, as everywhere in this admin; Django's per-model permissions are not used."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_view_schedule(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_view_schedule(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_edit_schedule(request.user)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return may_edit_schedule(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_edit_schedule(request.user)


class PeriodicTaskInline(ScheduleKeeperPermissions, beat_admin.PeriodicTaskInline):
    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


for model in (PeriodicTask, IntervalSchedule, CrontabSchedule, ClockedSchedule, SolarSchedule):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(ScheduleKeeperPermissions, beat_admin.PeriodicTaskAdmin):
    def get_actions(self, request: HttpRequest):
        # django-celery-beat's actions (enable, disable, toggle, run now) ask for no permission of their own.
        if not may_edit_schedule(request.user):
            return {}
        return super().get_actions(request)


@admin.register(IntervalSchedule)
class IntervalScheduleAdmin(ScheduleKeeperPermissions, beat_admin.IntervalScheduleAdmin):
    inlines = [PeriodicTaskInline]


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(ScheduleKeeperPermissions, beat_admin.CrontabScheduleAdmin):
    inlines = [PeriodicTaskInline]


@admin.register(ClockedSchedule)
class ClockedScheduleAdmin(ScheduleKeeperPermissions, beat_admin.ClockedScheduleAdmin):
    inlines = [PeriodicTaskInline]


@admin.register(SolarSchedule)
class SolarScheduleAdmin(ScheduleKeeperPermissions, beat_admin.SolarScheduleAdmin):
    inlines = [PeriodicTaskInline]
