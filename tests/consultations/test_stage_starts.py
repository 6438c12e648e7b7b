"""Each transition that ends a stage of the loop carries when that stage began (consultations/stages.py), written
by the service in the step's transaction; after every kind of step, and for older rows filled by the
migration, it equals a recount walked through each issue's trail."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps

from consultations import services
from consultations.models import Transition
from consultations.stages import STAGE_ENDED_BY
from consultations.states import IssueAction
from tests.consultations.test_counters_maintained import STEPS, STEPS_IN_THE_TABLE

pytestmark = pytest.mark.django_db

fill = importlib.import_module("consultations.migrations.0010_transition_stage_started_at").stage_starts_fill


def recounted_stage_starts() -> dict[int, datetime.datetime | None]:
    """Transition id → the start of the stage it ends, walking each issue's trail in order; the note on an
    issue another one was merged into (its state unchanged) ends nothing."""
    starts: dict[int, datetime.datetime | None] = {}
    latest: dict[tuple[int, str], datetime.datetime] = {}
    for transition in Transition.objects.order_by("issue_id", "created_at", "id"):
        stage = STAGE_ENDED_BY.get(transition.action)
        told_of_a_merge = transition.action == IssueAction.MERGE and transition.from_state == transition.to_state
        if stage is None or told_of_a_merge:
            starts[transition.pk] = None
        else:
            seen = [
                latest[(transition.issue_id, action)]
                for action in stage.starts
                if (transition.issue_id, action) in latest
            ]
            starts[transition.pk] = max(seen, default=None)
        latest[(transition.issue_id, transition.action)] = transition.created_at
    return starts


def stored_stage_starts() -> dict[int, datetime.datetime | None]:
    return dict(Transition.objects.values_list("pk", "stage_started_at"))


@pytest.mark.parametrize("action", STEPS_IN_THE_TABLE)
def test_after_each_kind_of_step_the_stage_starts_equal_a_recount(
    action, issue_in_state, issue_factory, village_staff_qingshan, handler_huanghu
):
    prepare, step = STEPS[action]
    issue = prepare(issue_in_state, issue_factory)
    step(issue, village_staff_qingshan, handler_huanghu)
    assert stored_stage_starts() == recounted_stage_starts()
    ended = Transition.objects.filter(issue=issue, action=action).last()
    if action in STAGE_ENDED_BY and ended is not None:
        assert ended.stage_started_at is not None and ended.stage_started_at <= ended.created_at


def test_a_second_deliberation_is_timed_from_the_reopening_and_the_migration_fills_the_same(
    issue_in_state, drive_issue, village_staff_qingshan
):
    issue = issue_in_state("closed", title="村口路灯不亮")
    services.feedback_submit(issue=issue, rating="unsatisfied")
    services.issue_reopen(issue=issue, actor=village_staff_qingshan, reason="路灯又坏了")
    drive_issue(issue, "agreed")
    reopened = Transition.objects.get(issue=issue, action="reopen")
    second = Transition.objects.filter(issue=issue, action="record_consensus").last()
    assert second is not None and second.stage_started_at == reopened.created_at
    issue_in_state("merged", title="同一路段路灯")
    written = stored_stage_starts()
    assert written == recounted_stage_starts()

    Transition.objects.update(stage_started_at=None)
    fill(apps, None)
    assert stored_stage_starts() == written
