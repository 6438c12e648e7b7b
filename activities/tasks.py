"""Celery tasks of activities: beat runs the reminder sweeps of reminders.py.

The task names are given explicitly: they are what the django-celery-beat rows (portal/notifications/schedule.py)
store, and they date from when these tasks lived in portal.notifications.sweeps. Renaming one would silently
stop an installation's schedule entry.
"""

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from activities import reminders
from portal.notifications.sweep_runs import sweep_chunks, sweep_hand_out_chunks, sweep_run_for_today

# Sign-ups reminded of by one task: a province's busy day has ten thousand, each an SMS and an inbox message.
REGISTRATION_CHUNK = 1000


@shared_task(name="portal.notifications.sweeps.remind_no_activity_this_month", ignore_result=True)
def remind_no_activity_this_month() -> int:
    return sweep_run_for_today(reminders.organizations_remind_no_activity)


@shared_task(name="portal.notifications.sweeps.remind_activities_tomorrow", ignore_result=True)
def remind_activities_tomorrow() -> int:
    """Chooses the sign-ups of tomorrow's activities and hands them to the workers, REGISTRATION_CHUNK a task.
    Returns the number of chunks."""
    day = timezone.localdate().isoformat()
    return sweep_hand_out_chunks(
        remind_activities_tomorrow_chunk, day, registration_chunks(day), part="activity reminders"
    )


def registration_chunks(day: str) -> list[list[int]]:
    """The sign-ups the day-before reminders of `day` (an ISO date) are about, REGISTRATION_CHUNK a task."""
    ids = reminders.registrations_due_tomorrow(today=datetime.date.fromisoformat(day))
    return sweep_chunks(ids, REGISTRATION_CHUNK)


@shared_task(name="activities.tasks.remind_activities_tomorrow_chunk", ignore_result=True)
def remind_activities_tomorrow_chunk(day: str, registration_ids: list[int]) -> int:
    """One chunk of the day-before reminders of `day` (an ISO date); idempotent like every sweep."""
    with translation.override(settings.LANGUAGE_CODE):
        return reminders.activities_remind_tomorrow(today=datetime.date.fromisoformat(day), ids=registration_ids)
