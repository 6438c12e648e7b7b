"""Tasks of the project package itself. Domain apps keep their own tasks.py."""

import time

from celery import shared_task
from django.core.cache import cache

from portal.notifications.schedule import DEFAULT_SCHEDULE, Every

WORKER_HEARTBEAT_KEY = "portal:worker-heartbeat"
# The name of the beat entry that runs record_worker_heartbeat (portal/notifications/schedule.py).
WORKER_HEARTBEAT_ENTRY = "worker-heartbeat"


def _heartbeat_period_seconds() -> int:
    [entry] = [entry for entry in DEFAULT_SCHEDULE if entry.name == WORKER_HEARTBEAT_ENTRY]
    assert isinstance(entry.when, Every), "the heartbeat runs at an interval"
    return entry.when.seconds


WORKER_HEARTBEAT_PERIOD_SECONDS = _heartbeat_period_seconds()
# Three missed beats: one late or lost beat (a busy worker, a restart) is no alarm, three are.
WORKER_HEARTBEAT_STALE_SECONDS = 3 * WORKER_HEARTBEAT_PERIOD_SECONDS


@shared_task(ignore_result=True)
def record_worker_heartbeat() -> None:
    """Beat schedules this; /healthz reports how long ago a worker last ran it."""
    cache.set(WORKER_HEARTBEAT_KEY, time.time(), timeout=None)


def worker_heartbeat_age_seconds() -> float | None:
    last_seen = cache.get(WORKER_HEARTBEAT_KEY)
    return None if last_seen is None else round(time.time() - float(last_seen), 1)
