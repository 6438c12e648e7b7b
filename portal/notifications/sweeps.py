"""Celery tasks that run the reminder sweeps; beat schedules them (portal/notifications/schedule.py).

Each task only picks today's local date and the language of the texts, then calls a plain sweep function
that tests call directly. The sweeps are idempotent, so a task retried or run by two workers sends nothing twice.
"""

import logging
from collections.abc import Callable

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from activities.reminders import activities_remind_tomorrow, organizations_remind_no_activity
from consultations.reminders import (
    assignments_remind_deadlines,
    issues_remind_agenda,
    issues_remind_triage,
    meetings_remind_tomorrow,
    notices_close_and_request_rating,
)

logger = logging.getLogger(__name__)


def _run_for_today(sweep: Callable[..., int]) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        queued = sweep(today=timezone.localdate())
    if queued:
        logger.info("%s queued %d messages", sweep.__name__, queued)
    return queued


@shared_task(ignore_result=True)
def remind_assignment_deadlines() -> int:
    return _run_for_today(assignments_remind_deadlines)


@shared_task(ignore_result=True)
def remind_triage_waiting() -> int:
    return _run_for_today(issues_remind_triage)


@shared_task(ignore_result=True)
def remind_agenda_waiting() -> int:
    return _run_for_today(issues_remind_agenda)


@shared_task(ignore_result=True)
def remind_no_activity_this_month() -> int:
    return _run_for_today(organizations_remind_no_activity)


@shared_task(ignore_result=True)
def remind_meetings_tomorrow() -> int:
    return _run_for_today(meetings_remind_tomorrow)


@shared_task(ignore_result=True)
def remind_activities_tomorrow() -> int:
    return _run_for_today(activities_remind_tomorrow)


@shared_task(ignore_result=True)
def close_expired_notices() -> int:
    """Archives issues whose notice period ended and asks their submitters to rate the result."""
    with translation.override(settings.LANGUAGE_CODE):
        closed = notices_close_and_request_rating(now=timezone.now())
    if closed:
        logger.info("Closed %d issues whose notice period ended", closed)
    return closed
