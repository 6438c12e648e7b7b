"""/healthz judges the worker heartbeat by the interval beat actually runs it at.

A superuser may change the heartbeat's interval in the admin (django-celery-beat's PeriodicTask): every 10
seconds on a busy installation, every 10 minutes on a quiet one. Three missed beats of that interval make the
heartbeat stale, not three of the default minute; and the pages pay nothing for knowing it.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from portal.delivery_health import HEARTBEAT_STALE, delivery_health
from portal.notifications.schedule import schedule_install
from portal.tasks import WORKER_HEARTBEAT_ENTRY, WORKER_HEARTBEAT_KEY, record_worker_heartbeat, worker_heartbeat


@pytest.fixture
def heartbeat_every(db):
    """heartbeat_every(seconds): the installed schedule, with the heartbeat's interval changed as an admin would."""
    schedule_install()

    def change(seconds: int) -> None:
        interval, _created = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
        PeriodicTask.objects.filter(name=WORKER_HEARTBEAT_ENTRY).update(
            interval=interval, last_run_at=timezone.now() - datetime.timedelta(seconds=seconds)
        )

    yield change
    cache.delete(WORKER_HEARTBEAT_KEY)


def _worker_beat(seconds_ago: float) -> None:
    """The worker ran the heartbeat task (as beat sent it) `seconds_ago` seconds ago."""
    record_worker_heartbeat()
    stored = cache.get(WORKER_HEARTBEAT_KEY)
    cache.set(WORKER_HEARTBEAT_KEY, {**stored, "at": stored["at"] - seconds_ago}, timeout=None)


def _problems(client) -> list[str]:
    return [problem["code"] for problem in client.get("/healthz").json()["problems"]]


def test_the_worker_records_the_interval_it_is_scheduled_at_with_its_heartbeat(heartbeat_every):
    heartbeat_every(10)
    record_worker_heartbeat()
    beat = worker_heartbeat()
    assert beat is not None and beat.period_seconds == 10 and beat.age_seconds < 5


def test_beating_every_10_seconds_a_heartbeat_40_seconds_old_is_stale(client, heartbeat_every):
    heartbeat_every(10)
    _worker_beat(40)
    assert _problems(client) == [HEARTBEAT_STALE]
    assert "stale after 30 s" in client.get("/healthz").json()["problems"][0]["detail"]


def test_beating_every_10_minutes_a_heartbeat_20_minutes_old_is_no_alarm(client, heartbeat_every):
    heartbeat_every(600)
    _worker_beat(1200)
    assert _problems(client) == []


def test_an_interval_lengthened_since_the_last_beat_counts_at_once(client, heartbeat_every):
    # The worker last beat while the interval was a minute; the admin has made it 10 minutes since.
    heartbeat_every(60)
    _worker_beat(400)
    heartbeat_every(600)
    assert _problems(client) == []


def test_an_interval_shortened_counts_from_the_next_beat_as_the_entry_is_read_once_stale(client, heartbeat_every):
    # The worker last beat at the old minute; the heartbeat is judged by the 10 s the admin set as soon as the
    # old limit is passed.
    heartbeat_every(60)
    _worker_beat(200)
    heartbeat_every(10)
    assert _problems(client) == [HEARTBEAT_STALE]


def test_a_heartbeat_stored_before_the_interval_was_kept_with_it_is_judged_by_the_default(client, heartbeat_every):
    heartbeat_every(60)
    cache.set(WORKER_HEARTBEAT_KEY, time.time() - 120, timeout=None)
    assert _problems(client) == []
    cache.set(WORKER_HEARTBEAT_KEY, time.time() - 2704, timeout=None)
    assert _problems(client) == [HEARTBEAT_STALE]


def test_a_fresh_heartbeat_costs_the_pages_no_query(heartbeat_every):
    heartbeat_every(10)
    _worker_beat(5)
    with CaptureQueriesContext(connection) as queries:
        health = delivery_health(oldest_waiting_age_seconds=None)
    assert health.ok
    assert len(queries) == 0
