"""Two people acting on one issue at the same moment, on a real PostgreSQL: one wins, the other is told.

Each racer runs in its own thread with its own database connection; a barrier lines the calls up, and the
winner is held inside its transaction for a moment (after its change, before its commit) so that the
loser really arrives while the row is locked — without the row locks these tests would see double steps.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils import timezone

from consultations import services
from consultations.models import Assignment, AssignmentState, MeetingState, PublicNotice, Transition
from consultations.services import TransitionNotAllowed
from consultations.states import IssueAction, IssueState
from portal.accounts.models import User
from portal.accounts.roles import Role

S, A = IssueState, IssueAction
pytestmark = pytest.mark.django_db(transaction=True)

HOLD_SECONDS = 0.3


@pytest.fixture(autouse=True)
def winner_holds_its_locks(monkeypatch):
    """Each step sleeps inside its transaction, after writing, so that a rival has to wait on the lock."""
    queue_message = services._queue_submitter_message

    def slowly(transition):
        queue_message(transition)
        time.sleep(HOLD_SECONDS)

    monkeypatch.setattr(services, "_queue_submitter_message", slowly)


@pytest.fixture(autouse=True)
def _messages_stay_in_memory(sms_outbox):
    """Committed steps send their SMS in the racing thread rather than to the broker."""


def race(*calls: Callable[[], object]) -> list[tuple[str, object]]:
    """Runs the calls at the same moment, each in its own thread; returns ("ok", result) or ("error", exc)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[tuple[str, object]] = [("not run", None)] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", call())
        except Exception as error:  # the test inspects whatever the loser got
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racer hung: a lock was never released"
    return outcomes


def _one_winner(outcomes, *allowed_errors: type[Exception]):
    winners = [value for kind, value in outcomes if kind == "ok"]
    losers = [value for kind, value in outcomes if kind == "error"]
    assert len(winners) == 1, outcomes
    assert len(losers) == len(outcomes) - 1, outcomes
    for error in losers:
        assert isinstance(error, allowed_errors), f"the loser got {error!r}"
    return winners[0], losers


def test_two_staff_accepting_the_same_issue_make_one_transition(
    issue_factory, village_staff_qingshan, town_staff_huanghu, sms_outbox
):
    issue = issue_factory()
    sms_outbox.clear()
    outcomes = race(
        lambda: services.issue_accept(issue=issue, actor=village_staff_qingshan),
        lambda: services.issue_accept(issue=issue, actor=town_staff_huanghu),
    )
    _winner, [loser] = _one_winner(outcomes, TransitionNotAllowed)
    issue.refresh_from_db()
    assert issue.state == S.ACCEPTED
    assert Transition.objects.filter(issue=issue, action=A.ACCEPT).count() == 1
    assert "可能已被他人处理" in str(loser)
    assert len(sms_outbox) == 1, "the submitter is told once"


def test_accepting_and_rejecting_at_once_leaves_one_decision(issue_factory, village_staff_qingshan, town_staff_huanghu):
    issue = issue_factory()
    outcomes = race(
        lambda: services.issue_accept(issue=issue, actor=village_staff_qingshan),
        lambda: services.issue_reject(issue=issue, actor=town_staff_huanghu, reason="不在议事范围"),
    )
    _one_winner(outcomes, TransitionNotAllowed)
    issue.refresh_from_db()
    decisions = list(Transition.objects.filter(issue=issue).exclude(action=A.SUBMIT).values_list("to_state", flat=True))
    assert decisions == [issue.state] and issue.state in (S.ACCEPTED, S.REJECTED)


@pytest.fixture
def colleague_of_handler(handler_huanghu):
    return User.objects.create_user(
        username="huanghu_handler_2", password="x", role=Role.DEPARTMENT_HANDLER, department=handler_huanghu.department
    )


@pytest.mark.parametrize("rival_returns", [True, False], ids=["answer-vs-return", "answer-vs-answer"])
def test_two_handlers_on_one_assignment_one_wins(issue_in_state, handler_huanghu, colleague_of_handler, rival_returns):
    issue = issue_in_state("assigned")
    assignment = issue.assignments.get()

    def rival():
        if rival_returns:
            return services.assignment_return(assignment=assignment, actor=colleague_of_handler, reason="非本部门")
        return services.assignment_answer(assignment=assignment, actor=colleague_of_handler, answer="另一个答复")

    outcomes = race(
        lambda: services.assignment_answer(assignment=assignment, actor=handler_huanghu, answer="已修复"),
        rival,
    )
    winner, _losers = _one_winner(outcomes, TransitionNotAllowed)
    issue.refresh_from_db()
    assignment.refresh_from_db()
    department_steps = Transition.objects.filter(issue=issue, action__in=[A.ANSWER, A.RETURN])
    assert department_steps.count() == 1
    assert assignment.state == winner.state
    assert assignment.handled_by == winner.handled_by
    expected = S.ANSWERED if assignment.state == AssignmentState.ANSWERED else S.AGREED
    assert issue.state == expected == department_steps.get().to_state


def test_opposite_merges_at_once_do_not_deadlock(issue_factory, village_staff_qingshan, town_staff_huanghu):
    first, second = issue_factory(), issue_factory()
    outcomes = race(
        lambda: services.issue_merge(issue=first, into=second, actor=village_staff_qingshan),
        lambda: services.issue_merge(issue=second, into=first, actor=town_staff_huanghu),
    )
    winner, [loser] = _one_winner(outcomes, ValidationError, TransitionNotAllowed)
    assert not isinstance(loser, OperationalError)
    first.refresh_from_db()
    second.refresh_from_db()
    assert sorted([first.state, second.state]) == sorted([S.MERGED, S.SUBMITTED])
    merged, kept = (first, second) if first.state == S.MERGED else (second, first)
    assert merged.merged_into == kept and winner.pk == merged.pk
    assert Transition.objects.filter(action=A.MERGE, to_state=S.MERGED).count() == 1


def test_two_sweeps_at_once_close_each_issue_once(issue_in_state, sms_outbox):
    issues = [issue_in_state("publicized") for _ in range(4)]
    PublicNotice.objects.filter(issue__in=issues).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    sms_outbox.clear()
    outcomes = race(services.notices_close_expired, services.notices_close_expired)
    assert all(kind == "ok" for kind, _value in outcomes), outcomes
    assert sum(cast(int, value) for _kind, value in outcomes) == len(issues)
    for issue in issues:
        issue.refresh_from_db()
        assert issue.state == S.CLOSED
        assert Transition.objects.filter(issue=issue, action=A.CLOSE_AFTER_NOTICE).count() == 1
    assert len(sms_outbox) == len(issues), "each submitter is asked to rate once"


def test_a_second_assignment_cannot_slip_in_while_one_is_live(
    issue_in_state, village_staff_qingshan, town_staff_huanghu, huanghu_water_office
):
    issue = issue_in_state("agreed")
    outcomes = race(
        lambda: services.issue_assign(issue=issue, actor=village_staff_qingshan, department=huanghu_water_office),
        lambda: services.issue_assign(issue=issue, actor=town_staff_huanghu, department=huanghu_water_office),
    )
    _one_winner(outcomes, TransitionNotAllowed)
    assert Assignment.objects.filter(issue=issue).count() == 1
    assert Transition.objects.filter(issue=issue, action=A.ASSIGN).count() == 1


def test_cancelling_a_meeting_while_a_colleague_records_its_consensus_leaves_one_story(
    issue_in_state, village_staff_qingshan, town_staff_huanghu
):
    issue = issue_in_state("deliberating")
    item = issue.agenda_items.select_related("meeting").get()
    outcomes = race(
        lambda: services.meeting_cancel(meeting=item.meeting, actor=village_staff_qingshan, reason="台风预警"),
        lambda: services.agenda_record_consensus(
            item=item, actor=town_staff_huanghu, consensus_text="同意", votes_for=9, votes_against=1, votes_abstain=0
        ),
    )
    _one_winner(outcomes, ValidationError)
    issue.refresh_from_db()
    item.meeting.refresh_from_db()
    steps = list(Transition.objects.filter(issue=issue, action__in=[A.MEETING_CANCEL, A.RECORD_CONSENSUS]))
    assert len(steps) == 1, "the issue is either sent back or agreed, never both"
    if steps[0].action == A.MEETING_CANCEL:
        assert issue.state == S.ACCEPTED and item.meeting.state == MeetingState.CANCELLED
    else:
        assert issue.state == S.AGREED and item.meeting.state == MeetingState.SCHEDULED
