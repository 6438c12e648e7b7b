"""The beat schedule runs reminders for every district of the installation: it is the installation's, so a
district admin neither sees it nor edits, adds, deletes or runs the list's actions (enable, disable, toggle,
run now) on it. District admins used to read it; they no longer find it in the admin at all."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

pytestmark = pytest.mark.django_db

TASKS = "admin:django_celery_beat_periodictask_changelist"


@pytest.fixture
def sweep_schedule(db) -> PeriodicTask:
    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(
        name="outbox-sweep", task="portal.notifications.tasks.outbox_sweep", interval=every_minute
    )


def test_a_district_admin_does_not_see_the_schedule(client, district_admin_yuhang, sweep_schedule):
    client.force_login(district_admin_yuhang)

    assert "django_celery_beat" not in client.get(reverse("admin:index")).content.decode()
    listing = client.get(reverse(TASKS))
    assert listing.status_code == 403
    assert "outbox-sweep" not in listing.content.decode()
    page = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[sweep_schedule.pk]))
    assert page.status_code == 403
    assert 'name="_save"' not in page.content.decode()


def test_a_district_admin_cannot_change_an_interval_or_a_task(client, district_admin_yuhang, sweep_schedule):
    client.force_login(district_admin_yuhang)
    interval = sweep_schedule.interval

    response = client.post(
        reverse("admin:django_celery_beat_intervalschedule_change", args=[interval.pk]),
        {"every": 3600, "period": IntervalSchedule.SECONDS},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("admin:django_celery_beat_periodictask_change", args=[sweep_schedule.pk]),
        {"name": "outbox-sweep", "task": sweep_schedule.task, "interval": interval.pk, "enabled": ""},
    )
    assert response.status_code == 403
    interval.refresh_from_db()
    sweep_schedule.refresh_from_db()
    assert interval.every == 60
    assert sweep_schedule.enabled is True


def test_a_district_admin_cannot_add_or_delete_schedule_entries(client, district_admin_yuhang, sweep_schedule):
    client.force_login(district_admin_yuhang)

    assert client.get(reverse("admin:django_celery_beat_periodictask_add")).status_code == 403
    assert client.get(reverse("admin:django_celery_beat_crontabschedule_add")).status_code == 403
    delete = reverse("admin:django_celery_beat_periodictask_delete", args=[sweep_schedule.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert PeriodicTask.objects.filter(pk=sweep_schedule.pk).exists()
    assert not CrontabSchedule.objects.exists()


@pytest.mark.parametrize("action", ["disable_tasks", "toggle_tasks", "run_tasks"])
def test_a_district_admin_is_offered_no_action_on_the_schedule(client, district_admin_yuhang, sweep_schedule, action):
    client.force_login(district_admin_yuhang)
    assert 'name="action"' not in client.get(reverse(TASKS)).content.decode()

    client.post(reverse(TASKS), {"action": action, "_selected_action": [sweep_schedule.pk]})

    sweep_schedule.refresh_from_db()
    assert sweep_schedule.enabled is True


def test_a_superuser_is_offered_the_actions(client, superuser, sweep_schedule):
    client.force_login(superuser)
    assert 'value="disable_tasks"' in client.get(reverse(TASKS)).content.decode()
