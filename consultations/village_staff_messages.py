"""What an organization's village staff are told about its issues: a new one, a department's interim reply
(办理中), final answer or return, the submitter's confirmation that the work is done (or word that it is not
yet), and the submitter's rating.

The services (consultations/services.py) call these in their transactions, so this module sits below them and
imports none of them. The audience is the village staff of the issue's place, or its town's staff for a village
without a staff account (audiences.StaffDirectory.village_staff); whoever did the step themselves is not told of it.
Texts are written in the site's language (Chinese), whatever language the acting user's page was in.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from consultations.models import Assignment, Feedback, Issue, Rating
from portal.accounts.models import User
from portal.notifications.audiences import staff_directory, tell_users
from portal.notifications.kinds import Kind
from portal.notifications.outbox import OutboxBatch
from portal.notifications.short_texts import month_day, shorten, sms_fit

TITLE_IN_SMS = 10
NAME_IN_SMS = 10


def _village_staff(issue: Issue, *, besides: Iterable[User | None] = ()) -> list[User]:
    path = issue.region.path
    skipped = {user.pk for user in besides if user is not None}
    return [user for user in staff_directory([path]).village_staff(path) if user.pk not in skipped]


def _issue_values(issue: Issue) -> dict[str, str]:
    return {
        "title": issue.title,
        "short_title": shorten(issue.title, TITLE_IN_SMS),
        "code": issue.receipt_code,
        "organization": issue.organization.name,
    }


def issue_new_notify(issue: Issue, *, batch: OutboxBatch | None = None) -> int:
    """A new issue of the organization, submitted online or entered 代录 by a colleague: its village staff, all
    but the colleague who entered it. Called by issue_submit, in its transaction; returns the rows queued, or
    with `batch` (issue_submit's, written with the submitter's message) the staff told once it is written."""
    staff = _village_staff(issue, besides=(issue.entered_by, issue.submitter_user))
    own = batch is None
    into = batch if batch is not None else OutboxBatch()
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_issue_values(issue), "submitter": issue.submitter_name, "channel": issue.get_channel_display()}
        into.tell(
            staff,
            kind=Kind.ISSUE_NEW,
            key=f"issue:{issue.pk}:new",
            now=issue.created_at,
            subject=_("新议题：%(title)s") % values,
            body=_("%(submitter)s向%(organization)s反映了议题“%(title)s”（%(code)s，来源：%(channel)s），请及时受理。")
            % values,
            sms=sms_fit(_("%(organization)s收到新议题“%(short_title)s”，请登录受理。") % _short(values)),
            url=reverse("staff_issues:detail", kwargs={"pk": issue.pk}),
        )
    return len(into.write()) if own else len(staff)


def assignment_answered_notify(assignment: Assignment, *, actor: User) -> int:
    """The department gave its final answer: the village staff check it, confirm the work done and publish the
    result. Called by assignment_answer, in its transaction."""
    issue = assignment.issue
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_issue_values(issue), "department": assignment.department.name, "answer": assignment.answer_text}
        return tell_users(
            _village_staff(issue, besides=(actor,)),
            kind=Kind.ASSIGNMENT_ANSWERED,
            key=f"assignment:{assignment.pk}:answered",
            now=assignment.answered_at,
            subject=_("部门已答复：%(title)s") % values,
            body=_(
                "%(department)s已答复议题“%(title)s”（%(code)s）：%(answer)s\n请核实办理结果，确认办结后发布结果公示。"
            )
            % values,
            sms=sms_fit(_("%(department)s已答复议题“%(short_title)s”，请登录核实并确认办结。") % _short(values)),
            url=reverse("staff_issues:detail", kwargs={"pk": issue.pk}),
        )


def assignment_interim_reply_notify(assignment: Assignment, *, actor: User) -> int:
    """办理中: the department said what it is doing and by when; the staff know what to tell the villagers. Each
    interim reply is news of its own. Called by assignment_interim_reply, in its transaction."""
    issue = assignment.issue
    assert assignment.promised_on is not None and assignment.interim_replied_at is not None  # just saved
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            **_issue_values(issue),
            "department": assignment.department.name,
            "reply": assignment.interim_reply,
            "day": month_day(assignment.promised_on),
        }
        return tell_users(
            _village_staff(issue, besides=(actor,)),
            kind=Kind.ASSIGNMENT_ANSWERED,
            key=f"assignment:{assignment.pk}:interim:{assignment.interim_replied_at.isoformat()}",
            now=assignment.interim_replied_at,
            subject=_("部门阶段性答复：%(title)s") % values,
            body=_("%(department)s正在办理议题“%(title)s”（%(code)s），承诺 %(day)s 前办结：%(reply)s") % values,
            sms=sms_fit(_("%(department)s答复议题“%(short_title)s”正在办理，承诺%(day)s前办结。") % _short(values)),
            url=reverse("staff_issues:detail", kwargs={"pk": issue.pk}),
        )


def assignment_returned_notify(assignment: Assignment, *, actor: User) -> int:
    """The department returned the issue with a reason: it is the village's again. Called by assignment_return."""
    issue = assignment.issue
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            **_issue_values(issue),
            "department": assignment.department.name,
            "reason": assignment.return_reason,
        }
        return tell_users(
            _village_staff(issue, besides=(actor,)),
            kind=Kind.ASSIGNMENT_RETURNED,
            key=f"assignment:{assignment.pk}:returned",
            now=assignment.returned_at,
            subject=_("部门退回议题：%(title)s") % values,
            body=_("%(department)s退回了议题“%(title)s”（%(code)s），理由：%(reason)s\n请另行研究或改交其他部门。")
            % values,
            sms=sms_fit(_("%(department)s退回了议题“%(short_title)s”，请登录查看理由。") % _short(values)),
            url=reverse("staff_issues:detail", kwargs={"pk": issue.pk}),
        )


def issue_rated_notify(feedback: Feedback) -> int:
    """The submitter rated the published result; 不满意 lets the staff reopen it. Called by feedback_submit."""
    issue = feedback.issue
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_issue_values(issue), "rating": str(Rating(feedback.rating).label), "comment": feedback.comment}
        body = _("反映人对议题“%(title)s”（%(code)s）的办理结果评价为“%(rating)s”。") % values
        if feedback.comment:
            body += "\n" + _("意见：%(comment)s") % values
        if feedback.rating == Rating.UNSATISFIED:
            body += "\n" + _("反映人不满意，可在议题页重新受理。")
        return tell_users(
            _village_staff(issue, besides=(issue.submitter_user,)),
            kind=Kind.ISSUE_RATED,
            key=f"feedback:{feedback.pk}:rated",
            now=feedback.created_at,
            subject=_("议题评价“%(rating)s”：%(title)s") % values,
            body=body,
            sms=sms_fit(_("议题“%(short_title)s”的反映人评价为“%(rating)s”。") % _short(values)),
            url=reverse("staff_issues:detail", kwargs={"pk": issue.pk}),
        )


def issue_confirmed_by_submitter_notify(issue: Issue, *, now: datetime.datetime) -> int:
    """The submitter confirmed on the tracking page that the work is done: the issue is handled, and the secretary
    can publish the result. Called by issue_confirm_done_by_submitter, in its transaction. The submitter's word on
    the result reaches the staff as a rating does (ISSUE_RATED)."""
    with translation.override(settings.LANGUAGE_CODE):
        values = _issue_values(issue)
        return tell_users(
            _village_staff(issue, besides=(issue.submitter_user,)),
            kind=Kind.ISSUE_RATED,
            key=f"issue:{issue.pk}:confirmed_by_submitter:{now.isoformat()}",
            now=now,
            subject=_("反映人确认已办好：%(title)s") % values,
            body=_("反映人确认议题“%(title)s”（%(code)s）已办理完成，议题已办结。请发布结果公示。") % values,
            sms=sms_fit(_("议题“%(short_title)s”反映人确认已办好，请登录发布结果公示。") % _short(values)),
            url=reverse("staff_issues:detail", kwargs={"pk": issue.pk}),
        )


def issue_not_done_by_submitter_notify(issue: Issue, *, note: str, now: datetime.datetime) -> int:
    """The submitter says the work the department answered is not done yet: the staff check on the spot, then
    confirm it or send it back to the department. Called by issue_report_not_done_by_submitter."""
    with translation.override(settings.LANGUAGE_CODE):
        values = {**_issue_values(issue), "note": note}
        body = _("反映人反馈议题“%(title)s”（%(code)s）还没有办好。请到现场核实，未办好的退回部门重办。") % values
        if note:
            body += "\n" + _("反映人说：%(note)s") % values
        return tell_users(
            _village_staff(issue, besides=(issue.submitter_user,)),
            kind=Kind.ISSUE_RATED,
            key=f"issue:{issue.pk}:not_done_by_submitter:{now.isoformat()}",
            now=now,
            subject=_("反映人说还没办好：%(title)s") % values,
            body=body,
            sms=sms_fit(_("议题“%(short_title)s”反映人说还没办好，请登录核实。") % _short(values)),
            url=reverse("staff_issues:detail", kwargs={"pk": issue.pk}),
        )


def _short(values: dict[str, str]) -> dict[str, str]:
    """The names an SMS can afford."""
    shortened = {**values, "organization": shorten(values["organization"], NAME_IN_SMS)}
    if "department" in values:
        shortened["department"] = shorten(values["department"], NAME_IN_SMS)
    return shortened
