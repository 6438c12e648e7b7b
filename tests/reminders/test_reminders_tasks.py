"""Beat's tasks run each sweep for today's date in Beijing, in Chinese; the deadline reminders of a province's
morning are handed to the workers in chunks, and sent from the beat task itself if the broker has gone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from activities import reminders as activity_reminders
from activities import tasks as activity_tasks
from consultations import reminders as consultation_reminders
from consultations import tasks as consultation_tasks
from portal.celery import app
from tests.notifications.conftest import broker_unreachable  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.any_hour]

TASKS_AND_SWEEPS = [
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

    def close_and_request_rating(*, now: datetime.datetime, limit: int) -> int:
        moments.append(now)
        return 0

    monkeypatch.setattr(consultation_reminders, "notices_close_and_request_rating", close_and_request_rating)

    consultation_tasks.close_expired_notices.apply()

    assert len(moments) == 1
    assert abs((timezone.now() - moments[0]).total_seconds()) < 5
    assert consultation_tasks.close_expired_notices.name == "portal.notifications.sweeps.close_expired_notices"


@pytest.fixture
def deadline_sweeps(monkeypatch) -> list[tuple[datetime.date, list[int], str]]:
    """What the deadline sweep was asked to do, with 1,200 assignments due today."""
    calls: list[tuple[datetime.date, list[int], str]] = []

    def due(*, today: datetime.date) -> list[int]:
        return list(range(1, 1201)) if today == timezone.localdate() else []

    def sweep(*, today: datetime.date, ids: list[int]) -> int:
        calls.append((today, list(ids), translation.get_language()))
        return len(ids)

    monkeypatch.setattr(consultation_reminders, "assignments_due_for_reminders", due)
    monkeypatch.setattr(consultation_reminders, "assignments_remind_deadlines", sweep)
    return calls


@pytest.fixture
def tasks_run_here():
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was_eager


def test_the_deadline_task_hands_todays_assignments_to_chunk_tasks_for_todays_date_in_chinese(
    deadline_sweeps, tasks_run_here
):
    with translation.override("en"):
        chunks = consultation_tasks.remind_assignment_deadlines.apply().get()
    assert chunks == 3
    today = timezone.localdate()
    assert [(day, len(ids), language) for day, ids, language in deadline_sweeps] == [
        (today, 500, "zh-hans"),
        (today, 500, "zh-hans"),
        (today, 200, "zh-hans"),
    ]
    assert sorted(n for _day, ids, _language in deadline_sweeps for n in ids) == list(range(1, 1201))
    assert consultation_tasks.remind_assignment_deadlines.name == (
        "portal.notifications.sweeps.remind_assignment_deadlines"
    )


def test_a_chunk_that_runs_after_midnight_still_reminds_for_the_day_it_was_chosen(deadline_sweeps):
    consultation_tasks.remind_assignment_deadlines_chunk.apply(("2026-11-16", [7, 8]))
    assert deadline_sweeps == [(datetime.date(2026, 11, 16), [7, 8], "zh-hans")]


def test_with_the_broker_gone_the_deadline_task_does_every_chunk_itself(deadline_sweeps, broker_unreachable):  # noqa: F811
    assert consultation_tasks.remind_assignment_deadlines() == 3
    assert sorted(n for _day, ids, _language in deadline_sweeps for n in ids) == list(range(1, 1201))


def test_a_full_batch_of_ended_notices_is_followed_by_another_task_until_none_is_left(monkeypatch, tasks_run_here):
    batches = [consultation_tasks.NOTICE_CLOSE_BATCH, consultation_tasks.NOTICE_CLOSE_BATCH, 3]
    limits: list[int] = []

    def close_and_request_rating(*, now: datetime.datetime, limit: int) -> int:
        limits.append(limit)
        return batches.pop(0)

    monkeypatch.setattr(consultation_reminders, "notices_close_and_request_rating", close_and_request_rating)
    consultation_tasks.close_expired_notices.apply()
    assert limits == [consultation_tasks.NOTICE_CLOSE_BATCH] * 3
    assert batches == []


def test_with_the_broker_gone_a_full_batch_leaves_the_rest_to_beat(monkeypatch, broker_unreachable):  # noqa: F811
    calls: list[int] = []

    def close_and_request_rating(*, now: datetime.datetime, limit: int) -> int:
        calls.append(limit)
        return limit

    monkeypatch.setattr(consultation_reminders, "notices_close_and_request_rating", close_and_request_rating)
    assert consultation_tasks.close_expired_notices() == consultation_tasks.NOTICE_CLOSE_BATCH
    assert len(calls) == 1
