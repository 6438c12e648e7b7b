"""A limit on sign-ups without an account, so that nobody fills an activity with made-up phone numbers.

Counted per activity and per network address in the cache. The limit is generous: a whole village signs up
from one public address, and each phone can hold only one place per activity anyway.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600
_KEY = "activities:guest-signups:{activity}:{ip}"


def guest_signup_allowed(*, activity_id: int, ip: str | None) -> bool:
    return int(cache.get(_KEY.format(activity=activity_id, ip=ip or "unknown"), 0)) < (
        settings.ACTIVITY_GUEST_SIGNUPS_PER_IP_PER_HOUR
    )


def guest_signup_record(*, activity_id: int, ip: str | None) -> None:
    key = _KEY.format(activity=activity_id, ip=ip or "unknown")
    # add() starts the hour at the first sign-up; incr() never extends it.
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=WINDOW_SECONDS)
