"""Reads behind the villager's pages: an issue by receipt code, its public timeline, a member's own issues."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import OuterRef, QuerySet, Subquery
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


def issue_proof_by_receipt_code(code: str) -> tuple[str, str] | None:
    """(receipt code, submitter's phone) of the issue, all that checking the four digits needs; unscoped like
    issue_by_receipt_code."""
    return Issue.objects.filter(receipt_code=code).values_list("receipt_code", "submitter_phone").first()


def issue_public_timeline(issue: Issue) -> list[Transition]:
    return list(issue.transitions.filter(is_public=True).order_by("created_at", "id"))


def issue_photos(issue: Issue) -> list[IssuePhoto]:
    return list(issue.photos.order_by("id"))


def issue_latest_notice(issue: Issue) -> PublicNotice | None:
    return issue.notices.order_by("-published_at", "-id").first()


def issue_latest_notice_with_feedback(issue: Issue) -> tuple[PublicNotice | None, Feedback | None]:
    """The latest notice and the submitter's rating of it, in one query: the rating's columns are subqueries on
    the one-feedback-per-notice index, and the Feedback is built from them (the page reads rating and comment)."""
    given = Feedback.objects.filter(notice=OuterRef("pk"))
    notice = (
        issue.notices.annotate(
            feedback_pk=Subquery(given.values("pk")[:1]),
            feedback_rating=Subquery(given.values("rating")[:1]),
            feedback_comment=Subquery(given.values("comment")[:1]),
        )
        .order_by("-published_at", "-id")
        .first()
    )
    if notice is None:
        return None, None
    if notice.feedback_pk is None:
        return notice, None
    rating, comment = notice.feedback_rating, notice.feedback_comment
    return notice, Feedback(pk=notice.feedback_pk, issue=issue, notice=notice, rating=rating, comment=comment)


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
