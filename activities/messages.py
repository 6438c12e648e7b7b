"""What registrants are told: a cancelled activity, a place freed up from the waiting list."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Registration
from portal.notifications.kinds import Kind
from portal.notifications.short_texts import shorten, sms_fit

TITLE_CHARS_IN_SMS = 12

KINDS = {"activity_cancelled": Kind.ACTIVITY_CANCELLED, "promoted": Kind.WAITLIST_PROMOTED}


def registrant_message(registration: Registration, event: str) -> tuple[str, str, str, str]:
    """(kind, subject, body, sms) for `event`: "activity_cancelled" or "promoted"."""
    activity = registration.activity
    values = {
        "title": shorten(activity.title, TITLE_CHARS_IN_SMS),
        "full_title": activity.title,
        "when": timezone.localtime(activity.starts_at).strftime("%m-%d %H:%M"),
        "place": shorten(activity.place, 12),
        "reason": activity.cancel_reason,
    }
    if event == "activity_cancelled":
        subject = _("活动取消：%(full_title)s") % values
        body = _("您报名的“%(full_title)s”已取消。原因：%(reason)s") % values
        sms = _("您报名的“%(title)s”已取消，原因：%(reason)s") % values
    elif event == "promoted":
        subject = _("候补转正：%(full_title)s") % values
        body = _("您已从候补转为正式报名：“%(full_title)s”，%(when)s，%(place)s。") % values
        sms = _("您已从候补转为正式报名：“%(title)s”，%(when)s，%(place)s。") % values
    else:
        raise ValueError(event)
    return KINDS[event], subject, body, sms_fit(sms)


def activity_url(registration: Registration) -> str:
    return reverse("activities:detail", kwargs={"pk": registration.activity_id})
