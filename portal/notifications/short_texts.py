"""Pieces of short Chinese texts: one SMS holds 70 characters, the signature included."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.sms import SMS_MAX_LENGTH

ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def month_day(day: datetime.date) -> str:
    return _("%(month)d月%(day)d日") % {"month": day.month, "day": day.day}


def clock(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def sms_room() -> int:
    """Characters left for the text once the carrier's signature (【同心荟】) is in front of it."""
    return SMS_MAX_LENGTH - len(settings.SMS_SIGNATURE)


def sms_fits(text: str) -> bool:
    return len(text) <= sms_room()


def sms_fit(text: str) -> str:
    """Texts are written to fit; this only guards against a longer signature configured in production."""
    return text if sms_fits(text) else shorten(text, sms_room())
