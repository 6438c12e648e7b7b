"""Reads behind the villager's pages: an issue by receipt code, its public timeline, a member's own issues."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from consultations.models import Feedback, Issue, IssuePhoto, PublicNotice, Transition
from consultations.scoping import issues_for
from consultations.states import IssueState
from portal.accounts.models import User
from portal.scoping import Action

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

S = IssueState

# The five steps of seed 000 as the villager sees them, and which states stand on which step.
LOOP_STEPS = (
    ("collect", _("议题征集")),
    ("deliberate", _("村民协商")),
    ("consensus", _("共识提交")),
    ("handle", _("部门处理")),
    ("publish", _("结果公示")),
)
STEP_OF_STATE = {
    S.SUBMITTED: 0,
    S.ACCEPTED: 0,
    S.DELIBERATING: 1,
    S.AGREED: 2,
    S.ASSIGNED: 3,
    S.ANSWERED: 3,
    S.HANDLED: 3,
    S.PUBLICIZED: 4,
    S.CLOSED: 4,
}


def issue_by_receipt_code(code: str) -> Issue | None:
    """Unscoped on purpose: the caller checks the proof (code + last four digits, or the member's account)."""
    return Issue.objects.select_related("organization", "merged_into").filter(receipt_code=code).first()


def issue_public_timeline(issue: Issue) -> list[Transition]:
    return list(issue.transitions.filter(is_public=True).order_by("created_at", "id"))


def issue_photos(issue: Issue) -> list[IssuePhoto]:
    return list(issue.photos.order_by("id"))


def issue_latest_notice(issue: Issue) -> PublicNotice | None:
    return issue.notices.order_by("-published_at", "-id").first()


def notice_feedback(notice: PublicNotice | None) -> Feedback | None:
    if notice is None:
        return None
    return Feedback.objects.filter(notice=notice).first()


def issues_submitted_by(user: User) -> QuerySet[Issue]:
    """A member's own issues, newest first; scoped, then narrowed to what the account itself submitted."""
    return issues_for(user, Action.VIEW).filter(submitter_user=user).order_by("-created_at", "-id")


def loop_progress(state: str) -> list[dict[str, StrOrPromise]]:
    """The five steps with "done", "current" or "todo"; empty for issues that left the loop (rejected, merged)."""
    current = STEP_OF_STATE.get(IssueState(state))
    if current is None:
        return []
    finished = state == S.CLOSED
    steps: list[dict[str, StrOrPromise]] = []
    for index, (key, label) in enumerate(LOOP_STEPS):
        if index < current or (finished and index == current):
            status = "done"
        elif index == current:
            status = "current"
        else:
            status = "todo"
        steps.append({"key": key, "label": label, "status": status})
    return steps
