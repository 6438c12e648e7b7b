"""Tasks of the project package itself. Domain apps keep their own tasks.py."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from celery import shared_task
from django.core.cache import cache
from django.db import DatabaseError

from portal.notifications.schedule import DEFAULT_SCHEDULE, Every

if TYPE_CHECKING:
    from django_celery_beat.models import IntervalSchedule

WORKER_HEARTBEAT_KEY = "portal:worker-heartbeat"
# The name of the beat entry that runs record_worker_heartbeat (portal/notifications/schedule.py).
WORKER_HEARTBEAT_ENTRY = "worker-heartbeat"


def _heartbeat_period_seconds() -> int:
    [entry] = [entry for entry in DEFAULT_SCHEDULE if entry.name == WORKER_HEARTBEAT_ENTRY]
    assert isinstance(entry.when, Every), "the heartbeat runs at an interval"
    return entry.when.seconds


WORKER_HEARTBEAT_PERIOD_SECONDS = _heartbeat_period_seconds()
# Three missed beats: one late or lost beat (a busy worker, a restart) is no alarm, three are. The period is
# the default schedule's; a superuser may change the entry's interval in the admin, and then that one counts.
WORKER_HEARTBEAT_STALE_SECONDS = 3 * WORKER_HEARTBEAT_PERIOD_SECONDS


def heartbeat_stale_after_seconds(period_seconds: float | None) -> float:
    """When a heartbeat beaten every `period_seconds` (None: the default schedule's period) is stale."""
    return 3 * (period_seconds or WORKER_HEARTBEAT_PERIOD_SECONDS)


def interval_seconds(interval: IntervalSchedule | None) -> float | None:
    """The seconds between runs of a django-celery-beat interval; None for an entry run by crontab or clock."""
    if interval is None:
        return None
    return datetime.timedelta(**{interval.period: interval.every}).total_seconds()


def scheduled_heartbeat_period_seconds() -> float | None:
    """The interval beat runs the heartbeat at now, as a superuser may have changed it in the admin; None when the
    entry is missing, disabled or not an interval."""
    from django_celery_beat.models import PeriodicTask

    entry = (
        PeriodicTask.objects.filter(name=WORKER_HEARTBEAT_ENTRY, enabled=True)
        .select_related("interval")
        .only("interval__every", "interval__period")
        .first()
    )
    return None if entry is None else interval_seconds(entry.interval)


@dataclass(frozen=True)
class Heartbeat:
    age_seconds: float
    # The interval the heartbeat was scheduled at when the worker recorded it; None when not known.
    period_seconds: float | None


@shared_task(ignore_result=True)
def record_worker_heartbeat() -> None:
    """Beat schedules this; /healthz reports how long ago a worker last ran it. The worker stores the interval it
    is scheduled at with it, so that /healthz judges staleness by the schedule actually run, from the same one
    cache read: the pages pay nothing for it, and the interval read is at most one beat old."""
    try:
        period = scheduled_heartbeat_period_seconds()
    except DatabaseError:
        period = None  # the heartbeat says the worker runs; the default period will do until the next beat
    cache.set(WORKER_HEARTBEAT_KEY, {"at": time.time(), "period": period}, timeout=None)


def worker_heartbeat() -> Heartbeat | None:
    stored = cache.get(WORKER_HEARTBEAT_KEY)
    if stored is None:
        return None
    # A bare timestamp: recorded before the interval was stored with it.
    at, period = (stored["at"], stored.get("period")) if isinstance(stored, dict) else (stored, None)
    return Heartbeat(age_seconds=round(time.time() - float(at), 1), period_seconds=period)


def worker_heartbeat_age_seconds() -> float | None:
    beat = worker_heartbeat()
    return None if beat is None else beat.age_seconds
