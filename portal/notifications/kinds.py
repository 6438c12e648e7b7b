"""What the portal tells people, and through which channels each kind may or must go."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INBOX = "inbox", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class Kind(models.TextChoices):
    ISSUE_PROGRESS = "issue_progress", _("议题进展")
    ISSUE_RATE_REQUEST = "issue_rate_request", _("请评价办理结果")
    ASSIGNMENT_NEW = "assignment_new", _("新的交办")
    ASSIGNMENT_DUE_SOON = "assignment_due_soon", _("交办即将到期")
    ASSIGNMENT_OVERDUE = "assignment_overdue", _("交办已超期")
    ASSIGNMENT_ESCALATED = "assignment_escalated", _("超期交办督办")
    TRIAGE_WAITING = "triage_waiting", _("议题待受理")
    AGENDA_WAITING = "agenda_waiting", _("议题待列入议事会")
    NO_ACTIVITY_THIS_MONTH = "no_activity_this_month", _("本月尚未安排活动")
    MEETING_TOMORROW = "meeting_tomorrow", _("明天召开议事会")
    MEETING_CANCELLED = "meeting_cancelled", _("议事会取消")
    ACTIVITY_TOMORROW = "activity_tomorrow", _("明天的活动")
    ACTIVITY_CANCELLED = "activity_cancelled", _("活动取消")
    WAITLIST_PROMOTED = "waitlist_promoted", _("候补转正")
    LOGIN_CODE = "login_code", _("登录验证码")
    ISSUE_NEW = "issue_new", _("新议题")
    ASSIGNMENT_ANSWERED = "assignment_answered", _("部门已答复")
    ASSIGNMENT_RETURNED = "assignment_returned", _("部门退回议题")
    ISSUE_RATED = "issue_rated", _("反映人评价")
    EXPORT_READY = "export_ready", _("导出文件已生成")


# Channels a user cannot switch off for a kind: the inbox always keeps a copy; deadlines reach handlers by SMS.
REQUIRED_CHANNELS: dict[str, frozenset[str]] = {
    Kind.ASSIGNMENT_NEW: frozenset({Channel.INBOX, Channel.SMS}),
    Kind.ASSIGNMENT_OVERDUE: frozenset({Channel.INBOX, Channel.SMS}),
    Kind.ASSIGNMENT_ESCALATED: frozenset({Channel.INBOX, Channel.SMS}),
    Kind.ACTIVITY_CANCELLED: frozenset({Channel.SMS}),
    Kind.LOGIN_CODE: frozenset({Channel.SMS}),
    # The file waits in the inbox of the one who asked for it, whatever they chose for other messages.
    Kind.EXPORT_READY: frozenset({Channel.INBOX}),
}
DEFAULT_CHANNELS: dict[str, frozenset[str]] = {
    Kind.ISSUE_PROGRESS: frozenset({Channel.INBOX, Channel.SMS}),
    Kind.ISSUE_RATE_REQUEST: frozenset({Channel.INBOX, Channel.SMS}),
    Kind.ASSIGNMENT_DUE_SOON: frozenset({Channel.INBOX, Channel.SMS, Channel.EMAIL}),
    Kind.TRIAGE_WAITING: frozenset({Channel.INBOX, Channel.EMAIL}),
    Kind.AGENDA_WAITING: frozenset({Channel.INBOX, Channel.EMAIL}),
    Kind.NO_ACTIVITY_THIS_MONTH: frozenset({Channel.INBOX, Channel.EMAIL}),
    Kind.MEETING_TOMORROW: frozenset({Channel.INBOX, Channel.SMS}),
    Kind.MEETING_CANCELLED: frozenset({Channel.INBOX, Channel.SMS}),
    Kind.ACTIVITY_TOMORROW: frozenset({Channel.INBOX, Channel.SMS}),
    Kind.WAITLIST_PROMOTED: frozenset({Channel.INBOX, Channel.SMS}),
    # What the village staff hear of their own issues: a return asks them to act, so it also goes by SMS.
    Kind.ISSUE_NEW: frozenset({Channel.INBOX, Channel.EMAIL}),
    Kind.ASSIGNMENT_ANSWERED: frozenset({Channel.INBOX, Channel.EMAIL}),
    Kind.ASSIGNMENT_RETURNED: frozenset({Channel.INBOX, Channel.SMS}),
    Kind.ISSUE_RATED: frozenset({Channel.INBOX}),
}


def channels_for(kind: str, chosen: set[str] | None) -> frozenset[str]:
    """The channels a message of `kind` goes through: what the user chose (or the default), plus what is required."""
    required = REQUIRED_CHANNELS.get(kind, frozenset())
    wanted = DEFAULT_CHANNELS.get(kind, frozenset({Channel.INBOX})) if chosen is None else frozenset(chosen)
    return wanted | required


# Who receives what: the preferences page offers a user only the kinds their role can receive.
_REGISTRANT_KINDS = (Kind.ACTIVITY_TOMORROW, Kind.ACTIVITY_CANCELLED, Kind.WAITLIST_PROMOTED)
# The steps of an organization's issues that its village staff hear of (or its town's staff, for a village
# without a staff account of its own: see audiences.StaffDirectory.village_staff).
_VILLAGE_ISSUE_KINDS = (Kind.ISSUE_NEW, Kind.ASSIGNMENT_ANSWERED, Kind.ASSIGNMENT_RETURNED, Kind.ISSUE_RATED)
KINDS_BY_ROLE: dict[str, tuple[str, ...]] = {
    "member": (
        Kind.ISSUE_PROGRESS,
        Kind.ISSUE_RATE_REQUEST,
        Kind.MEETING_TOMORROW,
        Kind.MEETING_CANCELLED,
        *_REGISTRANT_KINDS,
    ),
    "village_staff": (
        *_VILLAGE_ISSUE_KINDS,
        Kind.TRIAGE_WAITING,
        Kind.AGENDA_WAITING,
        Kind.NO_ACTIVITY_THIS_MONTH,
        Kind.MEETING_TOMORROW,
        Kind.MEETING_CANCELLED,
        *_REGISTRANT_KINDS,
    ),
    "department_handler": (Kind.ASSIGNMENT_NEW, Kind.ASSIGNMENT_DUE_SOON, Kind.ASSIGNMENT_OVERDUE),
    "town_staff": (
        Kind.ASSIGNMENT_ESCALATED,
        Kind.MEETING_TOMORROW,
        Kind.MEETING_CANCELLED,
        *_VILLAGE_ISSUE_KINDS,
        *_REGISTRANT_KINDS,
    ),
    "district_admin": (Kind.ASSIGNMENT_ESCALATED, *_REGISTRANT_KINDS),
}


def kinds_for_role(role: str) -> tuple[str, ...]:
    return KINDS_BY_ROLE.get(role, ())
