"""Beat's tasks run each sweep for today's date in Beijing, in Chinese."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from activities import reminders as activity_reminders
from activities import tasks as activity_tasks
from consultations import reminders as consultation_reminders
from consultations import tasks as consultation_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.any_hour]

TASKS_AND_SWEEPS = [
    (consultation_tasks.remind_assignment_deadlines, consultation_reminders, "assignments_remind_deadlines"),
    (consultation_tasks.remind_triage_waiting, consultation_reminders, "issues_remind_triage"),
    (consultation_tasks.remind_agenda_waiting, consultation_reminders, "issues_remind_agenda"),
    (activity_tasks.remind_no_activity_this_month, activity_reminders, "organizations_remind_no_activity"),
    (consultation_tasks.remind_meetings_tomorrow, consultation_reminders, "meetings_remind_tomorrow"),
    (activity_tasks.remind_activities_tomorrow, activity_reminders, "activities_remind_tomorrow"),
]


@pytest.mark.parametrize(("task", "reminders", "sweep_name"), TASKS_AND_SWEEPS)
def test_each_task_runs_its_sweep_for_todays_local_date_in_chinese(task, reminders, sweep_name, monkeypatch):
    calls: list[tuple[datetime.date, str]] = []

    def sweep(*, today: datetime.date) -> int:
        calls.append((today, translation.get_language()))
        return 0

    monkeypatch.setattr(reminders, sweep_name, sweep)
    with translation.override("en"):
        task.apply()

    assert calls == [(timezone.localdate(), "zh-hans")]
    # The name the beat rows of existing installations store, from when the tasks lived in one module.
    assert task.name == f"portal.notifications.sweeps.{task.__name__}"


def test_the_notice_task_closes_with_the_current_time(monkeypatch):
    moments: list[datetime.datetime] = []

    def close_and_request_rating(*, now: datetime.datetime) -> int:
        moments.append(now)
        return 0

    monkeypatch.setattr(consultation_reminders, "notices_close_and_request_rating", close_and_request_rating)

    consultation_tasks.close_expired_notices.apply()

    assert len(moments) == 1
    assert abs((timezone.now() - moments[0]).total_seconds()) < 5
    assert consultation_tasks.close_expired_notices.name == "portal.notifications.sweeps.close_expired_notices"
