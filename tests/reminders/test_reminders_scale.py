"""A morning with two hundred late assignments costs the deadline sweep no more queries than one with ten: the
messages of the whole sweep are written together, and a worker is asked once."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from consultations.models import Assignment
from consultations.reminders import assignments_remind_deadlines, issues_remind_triage
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import ChannelPreference
from tests.reminders.reminder_helpers import assignment_copies, count_queries, issue_copies, outbox

pytestmark = pytest.mark.any_hour

D = datetime.date
MONDAY = D(2026, 11, 16)
LONG_OVERDUE = D(2026, 11, 3)  # more than seven working days before MONDAY: town and district are told


@pytest.fixture
def assignment(issue_in_state, handler_huanghu, town_staff_huanghu, district_admin_yuhang) -> Assignment:
    issue = issue_in_state("assigned", title="村口路灯不亮")
    found = issue.assignments.get(state="open")
    Assignment.objects.filter(pk=found.pk).update(deadline=LONG_OVERDUE)
    return found


def test_the_deadline_sweep_costs_the_same_queries_for_10_or_200_late_assignments(
    assignment, handler_huanghu, town_staff_huanghu, district_admin_yuhang, django_capture_on_commit_callbacks
):
    # The handler chose the inbox only: a choice the sweep still honours when it reads them for the whole batch.
    ChannelPreference.objects.create(user=handler_huanghu, kind=Kind.ASSIGNMENT_OVERDUE, channels=[Channel.INBOX])
    assignment_copies(assignment, 9, deadline=LONG_OVERDUE)
    with django_capture_on_commit_callbacks() as ten_kicks:
        with_ten = count_queries(lambda: assignments_remind_deadlines(today=MONDAY))
    assignment_copies(assignment, 190, deadline=LONG_OVERDUE)
    with django_capture_on_commit_callbacks() as two_hundred_kicks:
        with_two_hundred = count_queries(lambda: assignments_remind_deadlines(today=D(2026, 11, 17)))

    assert with_two_hundred == with_ten
    assert outbox(Kind.ASSIGNMENT_OVERDUE, channel=Channel.INBOX).count() == 10 + 200
    assert not outbox(Kind.ASSIGNMENT_OVERDUE, channel=Channel.SMS).exists(), "the handler turned SMS off"
    escalated = outbox(Kind.ASSIGNMENT_ESCALATED, channel=Channel.INBOX)
    assert set(escalated.values_list("user__username", flat=True)) == {
        town_staff_huanghu.username,
        district_admin_yuhang.username,
    }
    assert escalated.count() == 2 * 200, "each late assignment goes up the tree once"
    assert len(ten_kicks) == len(two_hundred_kicks) == 1, "the sweep asks a worker once"


def test_running_the_deadline_sweep_again_the_same_day_queues_nothing_new(assignment):
    assignment_copies(assignment, 20, deadline=LONG_OVERDUE)
    assignments_remind_deadlines(today=MONDAY)
    rows = outbox(Kind.ASSIGNMENT_OVERDUE).count()
    with transaction.atomic():
        assignments_remind_deadlines(today=MONDAY)
    assert rows >= 21
    assert outbox(Kind.ASSIGNMENT_OVERDUE).count() == rows


def test_the_triage_sweep_costs_the_same_queries_for_10_or_200_waiting_issues(issue_in_state, village_staff_qingshan):
    waiting = issue_in_state("submitted", title="水渠堵了")
    long_ago = datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC)
    type(waiting).objects.filter(pk=waiting.pk).update(state_changed_at=long_ago)
    waiting.refresh_from_db()
    issue_copies(waiting, 9)
    with_ten = count_queries(lambda: issues_remind_triage(today=MONDAY))
    issue_copies(waiting, 190)
    with_two_hundred = count_queries(lambda: issues_remind_triage(today=D(2026, 11, 17)))

    assert with_two_hundred == with_ten
    assert outbox(Kind.TRIAGE_WAITING, channel=Channel.INBOX).count() == 200
