"""The five stages of the loop, as the dashboard averages them (议题征集 → 村民协商 → 共识提交 → 部门处理 → 结果公示),
and when the stage that a transition ends began.

A stage begins with one of its start actions and ends with one of its end actions; when it ran more than once
(a reopened issue deliberates again), the latest start before the end counts. The transition that ends a stage
carries that start (`Transition.stage_started_at`), written by the service in the same transaction: the
dashboard then reads one column of the period's transitions instead of looking back through each issue's
trail (two seconds for a district's year at province scale). `stage_started_before` is the definition both
the service and the migration that filled the column for older rows follow; tests compare the two.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from consultations.models import Transition
from consultations.states import IssueAction

TRIAGE_ACTIONS = (IssueAction.ACCEPT, IssueAction.REJECT, IssueAction.MERGE)


@dataclass(frozen=True)
class Stage:
    label: str | Promise  # a lazy translation: defined once, read in the reader's language
    starts: tuple[str, ...]  # the actions a stage starts with (the latest of them before its end counts)
    ends: tuple[str, ...]  # the actions that end it; each one is one passage of the stage


STAGES = (
    Stage(gettext_lazy("受理（议题征集）"), (IssueAction.SUBMIT,), TRIAGE_ACTIONS),
    Stage(
        gettext_lazy("村民协商"),
        (IssueAction.ACCEPT, IssueAction.REOPEN),
        (IssueAction.RECORD_CONSENSUS, IssueAction.RESOLVE_IN_VILLAGE, IssueAction.NO_CONSENSUS_CLOSE),
    ),
    Stage(gettext_lazy("共识提交"), (IssueAction.RECORD_CONSENSUS,), (IssueAction.ASSIGN,)),
    Stage(gettext_lazy("部门处理"), (IssueAction.ASSIGN,), (IssueAction.ANSWER,)),
    Stage(gettext_lazy("结果公示"), (IssueAction.CONFIRM_DONE,), (IssueAction.PUBLISH,)),
)

# Each end action ends exactly one stage.
STAGE_ENDED_BY = {action: stage for stage in STAGES for action in stage.ends}


def stage_started_before(issue_id: int, action: str, moment: datetime.datetime) -> datetime.datetime | None:
    """When the stage that `action` ends began for this issue: its latest start action at or before `moment`;
    None when the action ends no stage, or the stage never began (an issue merged before anyone triaged it)."""
    stage = STAGE_ENDED_BY.get(action)
    if stage is None:
        return None
    return (
        Transition.objects.filter(issue_id=issue_id, action__in=stage.starts, created_at__lte=moment)
        .order_by("-created_at", "-pk")
        .values_list("created_at", flat=True)
        .first()
    )
