"""Celery tasks of activities: each takes an id, loads the row and sends one short SMS."""

from celery import shared_task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.models import Registration
from portal.sms import send_sms

TITLE_CHARS_IN_SMS = 12


def _short(title: str) -> str:
    return title if len(title) <= TITLE_CHARS_IN_SMS else title[: TITLE_CHARS_IN_SMS - 1] + "…"


def registrant_sms(registration: Registration, kind: str) -> str:
    activity = registration.activity
    when = timezone.localtime(activity.starts_at).strftime("%m-%d %H:%M")
    if kind == "activity_cancelled":
        return _("您报名的“%(title)s”已取消,原因:%(reason)s") % {
            "title": _short(activity.title),
            "reason": activity.cancel_reason[:20],
        }
    if kind == "promoted":
        return _("您已从候补转为正式报名:“%(title)s”,%(when)s,%(place)s。") % {
            "title": _short(activity.title),
            "when": when,
            "place": activity.place[:12],
        }
    raise ValueError(kind)


@shared_task(ignore_result=True)
def notify_registrant(registration_id: int, kind: str) -> None:
    registration = Registration.objects.select_related("activity").filter(pk=registration_id).first()
    if registration is None:
        return
    with translation.override("zh-hans"):
        send_sms(phone=registration.phone, text=registrant_sms(registration, kind))
