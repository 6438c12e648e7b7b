"""Celery tasks of the consultation loop: beat runs the reminder sweeps of reminders.py and closes notices.

The task names are given explicitly: they are what the django-celery-beat rows (portal/notifications/schedule.py)
store, and they date from when these tasks lived in portal.notifications.sweeps. Renaming one would silently
stop an installation's schedule entry.
"""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from consultations import reminders
from portal.notifications.sweep_runs import (
    sweep_chunks,
    sweep_hand_out,
    sweep_hand_out_chunks,
    sweep_run_for_today,
)

logger = logging.getLogger(__name__)


# Assignments reminded of by one task: a province has thousands due or overdue on a morning (with their
# handlers, town staff and district admins, several messages each); chunks spread them over the workers.
DEADLINE_CHUNK = 500
# Meetings announced by one task: a province holds a thousand 议事会 on a busy day, each told to its village
# staff and to the submitters of its agenda.
MEETING_CHUNK = 200


@shared_task(name="portal.notifications.sweeps.remind_assignment_deadlines", ignore_result=True)
def remind_assignment_deadlines() -> int:
    """Chooses today's due and overdue assignments (one indexed query) and hands them to the workers in chunks of
    DEADLINE_CHUNK (portal.notifications.sweep_runs.sweep_hand_out_chunks). Returns the number of chunks."""
    day = timezone.localdate().isoformat()
    chunks = deadline_chunks(day)
    return sweep_hand_out_chunks(remind_assignment_deadlines_chunk, day, chunks, part="deadline reminders")


def deadline_chunks(day: str) -> list[list[int]]:
    """The assignments the deadline reminders of `day` (an ISO date) are about, DEADLINE_CHUNK a task."""
    ids = reminders.assignments_due_for_reminders(today=datetime.date.fromisoformat(day))
    return sweep_chunks(ids, DEADLINE_CHUNK)


@shared_task(name="consultations.tasks.remind_assignment_deadlines_chunk", ignore_result=True)
def remind_assignment_deadlines_chunk(day: str, assignment_ids: list[int]) -> int:
    """One chunk of the deadline reminders of `day` (an ISO date); idempotent like every sweep."""
    with translation.override(settings.LANGUAGE_CODE):
        return reminders.assignments_remind_deadlines(today=datetime.date.fromisoformat(day), ids=assignment_ids)


@shared_task(name="portal.notifications.sweeps.remind_triage_waiting", ignore_result=True)
def remind_triage_waiting() -> int:
    return sweep_run_for_today(reminders.issues_remind_triage)


@shared_task(name="portal.notifications.sweeps.remind_agenda_waiting", ignore_result=True)
def remind_agenda_waiting() -> int:
    return sweep_run_for_today(reminders.issues_remind_agenda)


@shared_task(name="portal.notifications.sweeps.remind_meetings_tomorrow", ignore_result=True)
def remind_meetings_tomorrow() -> int:
    """Chooses tomorrow's meetings and hands them to the workers, MEETING_CHUNK a task. Returns the chunks."""
    day = timezone.localdate().isoformat()
    return sweep_hand_out_chunks(remind_meetings_tomorrow_chunk, day, meeting_chunks(day), part="meeting reminders")


def meeting_chunks(day: str) -> list[list[int]]:
    """The meetings the day-before reminders of `day` (an ISO date) are about, MEETING_CHUNK a task."""
    return sweep_chunks(reminders.meetings_due_tomorrow(today=datetime.date.fromisoformat(day)), MEETING_CHUNK)


@shared_task(name="consultations.tasks.remind_meetings_tomorrow_chunk", ignore_result=True)
def remind_meetings_tomorrow_chunk(day: str, meeting_ids: list[int]) -> int:
    """One chunk of the day-before reminders of `day` (an ISO date); idempotent like every sweep."""
    with translation.override(settings.LANGUAGE_CODE):
        return reminders.meetings_remind_tomorrow(today=datetime.date.fromisoformat(day), ids=meeting_ids)


# Issues archived by one task, each in its own transaction (about 15 ms at scale 1.0): a morning after a holiday can end
# thousands of notices at once, and a task that found a full batch starts the next one.
NOTICE_CLOSE_BATCH = 50


@shared_task(name="portal.notifications.sweeps.close_expired_notices", ignore_result=True)
def close_expired_notices() -> int:
    """Archives issues whose notice period ended and asks their submitters to rate the result, NOTICE_CLOSE_BATCH
    at a time; after a full batch another task takes the next (or beat's next run, if the broker is gone)."""
    with translation.override(settings.LANGUAGE_CODE):
        closed = reminders.notices_close_and_request_rating(now=timezone.now(), limit=NOTICE_CLOSE_BATCH)
    if closed:
        logger.info("Closed %d issues whose notice period ended", closed)
    if closed >= NOTICE_CLOSE_BATCH:  # more may wait; without the broker, beat's next run goes on from here
        sweep_hand_out(close_expired_notices, part="the rest of the notice closing")
    return closed
