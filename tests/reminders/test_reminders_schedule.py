"""The beat schedule lives in the database, one for the whole installation: a superuser edits it there (district
admins may only read it), and installing it never undoes those edits."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from portal.notifications.schedule import DEFAULT_SCHEDULE

pytestmark = pytest.mark.django_db


def install() -> str:
    output = StringIO()
    call_command("schedule_install", stdout=output)
    return output.getvalue()


def test_install_creates_every_entry_with_its_beijing_time_and_says_so():
    output = install()

    assert set(PeriodicTask.objects.values_list("name", flat=True)) == {entry.name for entry in DEFAULT_SCHEDULE}
    for entry in DEFAULT_SCHEDULE:
        assert f"created {entry.name}" in output
    deadlines = PeriodicTask.objects.get(name="assignment-deadline-reminders")
    assert deadlines.task == "portal.notifications.sweeps.remind_assignment_deadlines"
    assert (deadlines.crontab.hour, deadlines.crontab.minute) == ("8", "30")
    assert str(deadlines.crontab.timezone) == "Asia/Shanghai"
    for name, hour in [
        ("triage-reminders", "9"),
        ("agenda-reminders", "9"),
        ("no-activity-reminders", "9"),
        ("meeting-day-before-reminders", "16"),
        ("activity-day-before-reminders", "16"),
        ("purge-old-login-codes", "3"),
    ]:
        crontab = PeriodicTask.objects.get(name=name).crontab
        assert (crontab.hour, crontab.minute, crontab.day_of_month) == (hour, "0", "*"), name
    every = {
        task.name: (task.interval.every, task.interval.period)
        for task in PeriodicTask.objects.filter(interval__isnull=False).select_related("interval")
    }
    assert every == {
        "close-expired-notices": (600, IntervalSchedule.SECONDS),
        "outbox-sweep": (60, IntervalSchedule.SECONDS),
        "worker-heartbeat": (60, IntervalSchedule.SECONDS),
    }


def test_installing_again_keeps_what_a_superuser_changed_and_adds_nothing_twice():
    install()
    edited = PeriodicTask.objects.get(name="triage-reminders")
    later, _created = CrontabSchedule.objects.get_or_create(minute="15", hour="10", timezone="Asia/Shanghai")
    edited.crontab = later
    edited.enabled = False
    edited.save()
    rows_before = (PeriodicTask.objects.count(), CrontabSchedule.objects.count(), IntervalSchedule.objects.count())

    output = install()

    edited.refresh_from_db()
    assert (edited.crontab.hour, edited.crontab.minute, edited.enabled) == ("10", "15", False)
    assert (
        PeriodicTask.objects.count(),
        CrontabSchedule.objects.count(),
        IntervalSchedule.objects.count(),
    ) == rows_before
    assert not [line for line in output.splitlines() if line.startswith("created")]
    assert "0 created" in output


def test_a_missing_entry_is_added_back_alone():
    install()
    PeriodicTask.objects.filter(name="outbox-sweep").delete()
    kept = PeriodicTask.objects.get(name="worker-heartbeat")

    output = install()

    assert "created outbox-sweep" in output
    assert PeriodicTask.objects.get(name="worker-heartbeat").pk == kept.pk
    assert PeriodicTask.objects.filter(name="outbox-sweep").count() == 1


def test_every_scheduled_task_is_a_known_celery_task():
    from portal.celery import app

    # What a worker does at start: import the tasks module of every installed app.
    app.loader.import_default_modules()

    for entry in DEFAULT_SCHEDULE:
        assert entry.task in app.tasks, entry.task
    assert app.tasks["portal.notifications.sweeps.remind_assignment_deadlines"].__module__ == "consultations.tasks"
    assert app.tasks["portal.notifications.sweeps.remind_activities_tomorrow"].__module__ == "activities.tasks"
