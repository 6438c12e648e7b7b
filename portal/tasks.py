"""Tasks of the project package itself. Domain apps keep their own tasks.py."""

import time

from celery import shared_task
from django.core.cache import cache

WORKER_HEARTBEAT_KEY = "portal:worker-heartbeat"


@shared_task(ignore_result=True)
def record_worker_heartbeat() -> None:
    """Beat schedules this; /healthz reports how long ago a worker last ran it."""
    cache.set(WORKER_HEARTBEAT_KEY, time.time(), timeout=None)


def worker_heartbeat_age_seconds() -> float | None:
    last_seen = cache.get(WORKER_HEARTBEAT_KEY)
    return None if last_seen is None else round(time.time() - float(last_seen), 1)
