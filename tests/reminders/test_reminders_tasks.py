"""Beat's tasks run each sweep for today's date in Beijing, in Chinese."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from portal.notifications import sweeps

pytestmark = pytest.mark.django_db

TASKS_AND_SWEEPS = [
    (sweeps.remind_assignment_deadlines, "assignments_remind_deadlines"),
    (sweeps.remind_triage_waiting, "issues_remind_triage"),
    (sweeps.remind_agenda_waiting, "issues_remind_agenda"),
    (sweeps.remind_no_activity_this_month, "organizations_remind_no_activity"),
    (sweeps.remind_meetings_tomorrow, "meetings_remind_tomorrow"),
    (sweeps.remind_activities_tomorrow, "activities_remind_tomorrow"),
]


@pytest.mark.parametrize(("task", "sweep_name"), TASKS_AND_SWEEPS)
def test_each_task_runs_its_sweep_for_todays_local_date_in_chinese(task, sweep_name, monkeypatch):
    calls: list[tuple[datetime.date, str]] = []

    def sweep(*, today: datetime.date) -> int:
        calls.append((today, translation.get_language()))
        return 0

    monkeypatch.setattr(sweeps, sweep_name, sweep)
    with translation.override("en"):
        task.apply()

    assert calls == [(timezone.localdate(), "zh-hans")]
    assert task.name == f"portal.notifications.sweeps.{task.__name__}"


def test_the_notice_task_closes_with_the_current_time(monkeypatch):
    moments: list[datetime.datetime] = []
    monkeypatch.setattr(sweeps, "notices_close_and_request_rating", lambda *, now: moments.append(now) or 0)

    sweeps.close_expired_notices.apply()

    assert len(moments) == 1
    assert abs((timezone.now() - moments[0]).total_seconds()) < 5
