"""Beat's tasks run each sweep for today's date in Beijing, in Chinese; the deadline, meeting and activity
reminders of a province's morning are handed to the workers in chunks, and sent from the beat task itself if the
broker has gone."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

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
]


@dataclass(frozen=True)
class ChunkedSweep:
    """A sweep beat's task hands to the workers in chunks: the task, its chunk task, and the sweep's two halves."""

    task: Any
    chunk_task: Any
    reminders: Any
    chooser: str
    sweep: str
    size: int

    def __str__(self) -> str:
        return self.task.__name__


CHUNKED = [
    ChunkedSweep(
        consultation_tasks.remind_assignment_deadlines,
        consultation_tasks.remind_assignment_deadlines_chunk,
        consultation_reminders,
        "assignments_due_for_reminders",
        "assignments_remind_deadlines",
        consultation_tasks.DEADLINE_CHUNK,
    ),
    ChunkedSweep(
        consultation_tasks.remind_meetings_tomorrow,
        consultation_tasks.remind_meetings_tomorrow_chunk,
        consultation_reminders,
        "meetings_due_tomorrow",
        "meetings_remind_tomorrow",
        consultation_tasks.MEETING_CHUNK,
    ),
    ChunkedSweep(
        activity_tasks.remind_activities_tomorrow,
        activity_tasks.remind_activities_tomorrow_chunk,
        activity_reminders,
        "registrations_due_tomorrow",
        "activities_remind_tomorrow",
        activity_tasks.REGISTRATION_CHUNK,
    ),
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


@pytest.fixture(params=CHUNKED, ids=str)
def chunked(request, monkeypatch) -> tuple[ChunkedSweep, int, list[tuple[datetime.date, list[int], str]]]:
    """A chunked sweep with two chunks and a half of work today, and what its sweep was asked to do."""
    sweep: ChunkedSweep = request.param
    count = sweep.size * 2 + sweep.size // 2
    calls: list[tuple[datetime.date, list[int], str]] = []

    def due(*, today: datetime.date) -> list[int]:
        return list(range(1, count + 1)) if today == timezone.localdate() else []

    def remind(*, today: datetime.date, ids: list[int]) -> int:
        calls.append((today, list(ids), translation.get_language()))
        return len(ids)

    monkeypatch.setattr(sweep.reminders, sweep.chooser, due)
    monkeypatch.setattr(sweep.reminders, sweep.sweep, remind)
    return sweep, count, calls


@pytest.fixture
def tasks_run_here():
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was_eager


def test_each_chunked_task_hands_todays_work_to_chunk_tasks_for_todays_date_in_chinese(chunked, tasks_run_here):
    sweep, count, calls = chunked
    with translation.override("en"):
        chunks = sweep.task.apply().get()
    assert chunks == 3
    today = timezone.localdate()
    assert [(day, len(ids), language) for day, ids, language in calls] == [
        (today, sweep.size, "zh-hans"),
        (today, sweep.size, "zh-hans"),
        (today, sweep.size // 2, "zh-hans"),
    ]
    assert sorted(n for _day, ids, _language in calls for n in ids) == list(range(1, count + 1))
    # The name the beat rows of existing installations store, from when the tasks lived in one module.
    assert sweep.task.name == f"portal.notifications.sweeps.{sweep.task.__name__}"


def test_a_chunk_that_runs_after_midnight_still_reminds_for_the_day_it_was_chosen(chunked):
    sweep, _count, calls = chunked
    sweep.chunk_task.apply(("2026-11-16", [7, 8]))
    assert calls == [(datetime.date(2026, 11, 16), [7, 8], "zh-hans")]


def test_with_the_broker_gone_each_chunked_task_does_every_chunk_itself(chunked, broker_unreachable):  # noqa: F811
    sweep, count, calls = chunked
    assert sweep.task() == 3
    assert sorted(n for _day, ids, _language in calls for n in ids) == list(range(1, count + 1))


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
