"""Celery tasks of activities: beat runs the reminder sweeps of reminders.py.

The task names are given explicitly: they are what the django-celery-beat rows (portal/notifications/schedule.py)
store, and they date from when these tasks lived in portal.notifications.sweeps. Renaming one would silently
stop an installation's schedule entry.
"""

from celery import shared_task

from activities import reminders
from portal.notifications.sweep_runs import sweep_run_for_today


@shared_task(name="portal.notifications.sweeps.remind_no_activity_this_month", ignore_result=True)
def remind_no_activity_this_month() -> int:
    return sweep_run_for_today(reminders.organizations_remind_no_activity)


@shared_task(name="portal.notifications.sweeps.remind_activities_tomorrow", ignore_result=True)
def remind_activities_tomorrow() -> int:
    return sweep_run_for_today(reminders.activities_remind_tomorrow)
