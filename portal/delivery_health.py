"""Whether messages are going out: a worker ran the heartbeat lately, and no message has waited too long.

/healthz answers 503 naming each problem, and staff pages show admins a banner, by the same rules. Both stay
cheap on every page: the heartbeat is one cache read and the oldest waiting message one lookup through an
index; the beat entry of the heartbeat is read (one row) only when the heartbeat is not fresh, to tell a
stopped worker from an installation that has not run its first beat yet or runs no heartbeat at all.

Fresh means younger than three beats of the interval actually scheduled, which a superuser may change in the
admin: the worker stores the interval with each heartbeat (portal/tasks.py), and when that says stale, the
entry read anyway gives the interval as it is now (it may have been lengthened since the last beat).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from portal.notifications.models import OutboxMessage, OutboxState
from portal.tasks import (
    WORKER_HEARTBEAT_ENTRY,
    Heartbeat,
    heartbeat_stale_after_seconds,
    interval_seconds,
    worker_heartbeat,
)

HEARTBEAT_STALE = "worker_heartbeat_stale"
HEARTBEAT_MISSING = "worker_heartbeat_missing"
OUTBOX_WAITING = "outbox_waiting_too_long"

# Beat has sent the heartbeat this long ago and no worker has recorded it: the worker is not taking tasks.
# Longer than a worker takes to pick a task up, so the moment between a send and its run is no alarm.
HEARTBEAT_PICKUP_GRACE_SECONDS = 30


@dataclass(frozen=True)
class DeliveryProblem:
    code: str
    detail: str


@dataclass(frozen=True)
class DeliveryHealth:
    heartbeat_age_seconds: float | None
    oldest_waiting_age_seconds: float | None
    problems: tuple[DeliveryProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def worker_stopped(self) -> bool:
        return any(problem.code in (HEARTBEAT_STALE, HEARTBEAT_MISSING) for problem in self.problems)

    @property
    def messages_waiting(self) -> bool:
        return any(problem.code == OUTBOX_WAITING for problem in self.problems)

    @property
    def oldest_waiting_minutes(self) -> int:
        return int((self.oldest_waiting_age_seconds or 0) // 60)


def oldest_pending_age_seconds(*, now: datetime.datetime | None = None) -> float | None:
    """How long the oldest message waiting to be sent has waited: one lookup through outbox_state_time."""
    created_at = (
        OutboxMessage.objects.filter(state=OutboxState.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return None if created_at is None else round(((now or timezone.now()) - created_at).total_seconds(), 1)


def delivery_health(
    *, oldest_waiting_age_seconds: float | None, now: datetime.datetime | None = None
) -> DeliveryHealth:
    """The problems of message delivery, given how long the oldest unsent message has waited (None: none waits)."""
    heartbeat = worker_heartbeat()
    problems = []
    heartbeat_problem = _heartbeat_problem(heartbeat, now=now or timezone.now())
    if heartbeat_problem is not None:
        problems.append(heartbeat_problem)
    limit = settings.OUTBOX_WAITING_ALERT_SECONDS
    if oldest_waiting_age_seconds is not None and oldest_waiting_age_seconds > limit:
        problems.append(
            DeliveryProblem(
                OUTBOX_WAITING,
                f"the oldest unsent message has waited {oldest_waiting_age_seconds:.0f} s (limit {limit} s)",
            )
        )
    return DeliveryHealth(
        heartbeat_age_seconds=None if heartbeat is None else heartbeat.age_seconds,
        oldest_waiting_age_seconds=oldest_waiting_age_seconds,
        problems=tuple(problems),
    )


def _heartbeat_problem(heartbeat: Heartbeat | None, *, now: datetime.datetime) -> DeliveryProblem | None:
    if heartbeat is not None and heartbeat.age_seconds <= heartbeat_stale_after_seconds(heartbeat.period_seconds):
        return None
    from django_celery_beat.models import PeriodicTask

    entry = (
        PeriodicTask.objects.filter(name=WORKER_HEARTBEAT_ENTRY, enabled=True)
        .select_related("interval")
        .only("last_run_at", "interval__every", "interval__period")
        .first()
    )
    if entry is None:
        # The schedule is not installed, or a superuser stopped the heartbeat: nothing tells whether it should run.
        return None
    if heartbeat is not None:
        limit = heartbeat_stale_after_seconds(interval_seconds(entry.interval))
        if heartbeat.age_seconds <= limit:
            return None  # the interval was lengthened since the worker's last beat
        return DeliveryProblem(
            HEARTBEAT_STALE,
            f"the last worker heartbeat is {heartbeat.age_seconds:.0f} s old (stale after {limit:.0f} s):"
            " no Celery worker or no beat is running",
        )
    sent_at = entry.last_run_at
    if sent_at is None or (now - sent_at).total_seconds() <= HEARTBEAT_PICKUP_GRACE_SECONDS:
        return None  # beat has not sent its first heartbeat yet, or a worker is about to run it
    return DeliveryProblem(
        HEARTBEAT_MISSING,
        f"no worker heartbeat is recorded, though beat sent one {(now - sent_at).total_seconds():.0f} s ago:"
        " no Celery worker is running",
    )
