"""Celery tasks of the consultation loop: beat runs the reminder sweeps of reminders.py and closes notices.

The task names are given explicitly: they are what the django-celery-beat rows (portal/notifications/schedule.py)
store, and they date from when these tasks lived in portal.notifications.sweeps. Renaming one would silently
stop an installation's schedule entry.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from consultations import reminders
from portal.notifications.sweep_runs import sweep_run_for_today

logger = logging.getLogger(__name__)


@shared_task(name="portal.notifications.sweeps.remind_assignment_deadlines", ignore_result=True)
def remind_assignment_deadlines() -> int:
    return sweep_run_for_today(reminders.assignments_remind_deadlines)


@shared_task(name="portal.notifications.sweeps.remind_triage_waiting", ignore_result=True)
def remind_triage_waiting() -> int:
    return sweep_run_for_today(reminders.issues_remind_triage)


@shared_task(name="portal.notifications.sweeps.remind_agenda_waiting", ignore_result=True)
def remind_agenda_waiting() -> int:
    return sweep_run_for_today(reminders.issues_remind_agenda)


@shared_task(name="portal.notifications.sweeps.remind_meetings_tomorrow", ignore_result=True)
def remind_meetings_tomorrow() -> int:
    return sweep_run_for_today(reminders.meetings_remind_tomorrow)


@shared_task(name="portal.notifications.sweeps.close_expired_notices", ignore_result=True)
def close_expired_notices() -> int:
    """Archives issues whose notice period ended and asks their submitters to rate the result."""
    with translation.override(settings.LANGUAGE_CODE):
        closed = reminders.notices_close_and_request_rating(now=timezone.now())
    if closed:
        logger.info("Closed %d issues whose notice period ended", closed)
    return closed
