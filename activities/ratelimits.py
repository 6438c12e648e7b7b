"""A limit on sign-ups without an account, so that nobody fills an activity with made-up phone numbers.

Counted per activity and per network address in the cache. The limit is generous: a whole village signs up
from one public address, and each phone can hold only one place per activity anyway.
"""

from __future__ import annotations

from django.conf import settings

from portal.rate_limits import FixedWindow

WINDOW_SECONDS = 3600
_GUEST_SIGNUPS = FixedWindow(name="activities-guest-signups", seconds=WINDOW_SECONDS)


def guest_signup_allowed(*, activity_id: int, ip: str | None) -> bool:
    return not _GUEST_SIGNUPS.reached(
        f"{activity_id}:{ip or 'unknown'}", limit=settings.ACTIVITY_GUEST_SIGNUPS_PER_IP_PER_HOUR
    )


def guest_signup_record(*, activity_id: int, ip: str | None) -> None:
    _GUEST_SIGNUPS.record(f"{activity_id}:{ip or 'unknown'}")
