"""Every change to an issue, one verb each. Nothing else changes an issue's state.

Each function runs in one transaction with the issue row locked, checks who may act and from which state
(consultations/states.py), saves with update_fields, writes an append-only Transition row and queues the
messages to the submitter for after the commit. A second click, or a colleague acting on the same issue
at the same moment, finds the state changed and gets TransitionNotAllowed instead of a double transition.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consultations.counters import board_follow_state, notice_put_on_board
from consultations.handler_messages import assignment_new_notify, assignment_sent_back_notify
from consultations.meeting_messages import meeting_cancelled_notify
from consultations.messages import rating_request_message, submitter_progress_message
from consultations.models import (
    AgendaItem,
    AgendaOutcome,
    Assignment,
    AssignmentAttachment,
    AssignmentState,
    Feedback,
    Issue,
    IssueChannel,
    IssuePhoto,
    Meeting,
    MeetingCorrection,
    MeetingState,
    PublicNotice,
    Rating,
    Transition,
)
from consultations.receipts import new_receipt_code
from consultations.scoping import LIVE_ASSIGNMENT_STATES, assignments_for, issues_for, meetings_for
from consultations.stages import stage_started_before
from consultations.states import FINAL_STATES, TRANSITIONS, IssueAction, IssueState, MeetingAction, meeting_refusal
from consultations.village_staff_messages import (
    assignment_answered_notify,
    assignment_interim_reply_notify,
    assignment_returned_notify,
    issue_confirmed_by_submitter_notify,
    issue_new_notify,
    issue_not_done_by_submitter_notify,
    issue_rated_notify,
)
from members.models import Person
from orgs.models import Department, Organization
from orgs.scoping import departments_for, organizations_for
from portal.accounts.models import User
from portal.notifications.kinds import Kind
from portal.notifications.outbox import OutboxBatch, Recipient, message_enqueue
from portal.page_cache import Shown, page_cache_touch
from portal.scoping import Action
from portal.workdays import add_working_days

A = IssueAction


class TransitionNotAllowed(Exception):
    """The issue is no longer in a state that allows the action: someone else acted first, or it never was."""

    def __init__(self, issue: Issue, action: IssueAction) -> None:
        self.issue = issue
        self.action = action
        super().__init__(
            _("无法“%(action)s”：该议题当前状态为“%(state)s”，可能已被他人处理。请刷新页面后再试。")
            % {"action": IssueAction(action).label, "state": IssueState(issue.state).label}
        )


# ---- the one place a state changes ------------------------------------------------------------------------


def _actor_label(actor: User | None, fallback: str) -> str:
    if actor is None:
        return fallback
    return str(actor)


def _apply(
    issue: Issue,
    action: IssueAction,
    *,
    actor: User | None,
    comment: str = "",
    is_public: bool = True,
    extra_fields: Sequence[str] = (),
    actor_label: str = "",
    now: datetime.datetime | None = None,
) -> Transition:
    """Checks the transition on a locked issue, saves it and writes its audit row."""
    from_states, to_state = TRANSITIONS[action]
    if issue.state not in from_states:
        raise TransitionNotAllowed(issue, action)
    from_state = issue.state
    moment = now or timezone.now()
    fields = list(extra_fields)
    if to_state is not None and to_state != from_state:
        issue.state = to_state
        issue.state_changed_at = moment
        fields += ["state", "state_changed_at"]
    if fields:
        issue.save(update_fields=fields)
    board_follow_state(issue, from_state=from_state)
    transition = Transition.objects.create(
        issue=issue,
        action=action,
        from_state=from_state,
        to_state=issue.state,
        actor=actor,
        actor_label=actor_label or _actor_label(actor, issue.submitter_name),
        comment=comment,
        is_public=is_public,
        created_at=moment,
        stage_started_at=stage_started_before(issue.pk, action, moment),
    )
    _queue_submitter_message(transition)
    if is_public and issue.resolved_at is not None:
        # A published issue's public steps are on its notice, and its result on the counters and the board.
        page_cache_touch(Shown.NOTICES)
    return transition


def _queue_submitter_message(transition: Transition) -> None:
    """Writes the submitter's message to the outbox in this transaction: it is sent after the commit, and
    waits there if the broker is down."""
    batch = OutboxBatch()
    _add_submitter_message(batch, transition)
    batch.write()


def _add_submitter_message(batch: OutboxBatch, transition: Transition) -> None:
    """The submitter's message about `transition`, added to `batch` for its caller to write (issue_submit writes
    it with the village staff's); nothing for a step that is not public."""
    # Closing after the notice period has its own message, the request to rate the result.
    if not transition.is_public or transition.action == A.CLOSE_AFTER_NOTICE:
        return
    issue = transition.issue
    with translation.override("zh-hans"):
        subject, body, sms = submitter_progress_message(transition)
    batch.add(
        kind=Kind.ISSUE_PROGRESS,
        key=f"issue:{issue.pk}:transition:{transition.pk}",
        recipient=Recipient(user=issue.submitter_user, phone=issue.submitter_phone),
        subject=subject,
        body=body,
        sms=sms,
        url=reverse("issues:track_detail", kwargs={"code": issue.receipt_code}),
        region_path=issue.region.path,
        now=transition.created_at,
    )


def _lock(issue: Issue) -> Issue:
    return Issue.objects.select_for_update().get(pk=issue.pk)


def _lock_for_staff(issue: Issue, actor: User) -> Issue:
    if not issues_for(actor, Action.CHANGE).filter(pk=issue.pk).exists():
        raise PermissionDenied(_("您不能处理这个议题。"))
    return _lock(issue)


def _require_text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


# ---- 议题征集 ---------------------------------------------------------------------------------------------


def issue_submit(
    *,
    organization: Organization,
    title: str,
    description: str,
    category: str,
    place: str,
    submitter_name: str,
    submitter_phone: str,
    phone_visible_to_department: bool,
    photos: Sequence[File] = (),
    submitter_user: User | None = None,
    entered_by: User | None = None,
    channel: IssueChannel | str = IssueChannel.ONLINE,
    submitter_ip: str | None = None,
    receipt_codes: Callable[[], str] = new_receipt_code,
    now: datetime.datetime | None = None,
) -> Issue:
    """A villager's issue, online or entered by staff on their behalf (paper slip, phone call).
    `receipt_codes` draws a code to try; the demo passes a seeded one so that its tracking links stay the same.
    One transaction per code tried (see _with_free_receipt_code)."""
    if len(photos) > settings.ISSUE_MAX_PHOTOS:
        raise ValidationError(_("最多上传 %(count)d 张照片。") % {"count": settings.ISSUE_MAX_PHOTOS})
    moment = now or timezone.now()

    def submit(code: str) -> Issue:
        if entered_by is not None:
            if not organizations_for(entered_by, Action.CHANGE).filter(pk=organization.pk).exists():
                raise PermissionDenied(_("您不能为这个组织代录议题。"))
            if channel == IssueChannel.ONLINE:
                raise ValidationError(_("代录的议题请选择来源（纸质意见条、电话等）。"))
        issue = Issue(
            receipt_code=code,
            organization=organization,
            # The region itself, which the form's organization comes with: the messages below read its path.
            region=organization.region,
            title=title.strip(),
            description=description.strip(),
            category=category,
            place=place.strip(),
            submitter_user=submitter_user,
            submitter_name=submitter_name.strip(),
            submitter_phone=submitter_phone,
            phone_visible_to_department=phone_visible_to_department,
            channel=channel,
            entered_by=entered_by,
            submitter_ip=submitter_ip,
            state=IssueState.SUBMITTED,
            state_changed_at=moment,
            created_at=moment,
        )
        issue.save()
        IssuePhoto.objects.bulk_create([IssuePhoto(issue=issue, image=photo, created_at=moment) for photo in photos])
        comment = (
            ""
            if entered_by is None
            else _("由 %(staff)s 代为录入（%(channel)s）")
            % {
                "staff": entered_by,
                "channel": IssueChannel(channel).label,
            }
        )
        transition = Transition.objects.create(
            issue=issue,
            action=A.SUBMIT,
            from_state="",
            to_state=IssueState.SUBMITTED,
            actor=entered_by or submitter_user,
            actor_label=str(entered_by) if entered_by else issue.submitter_name,
            comment=comment,
            created_at=moment,
        )
        # The submitter's message and the village staff's in one insert, with one read of channel choices.
        batch = OutboxBatch()
        _add_submitter_message(batch, transition)
        issue_new_notify(issue, batch=batch)
        batch.write()
        return issue

    return _with_free_receipt_code(submit, receipt_codes=receipt_codes)


def _with_free_receipt_code(
    submit: Callable[[str], Issue], *, receipt_codes: Callable[[], str], attempts: int = 8
) -> Issue:
    """`submit(code)` in a transaction of its own, run again with another code while the code drawn is taken.

    The issue's INSERT is the first write of a submission, so a taken code rolls back a transaction that wrote
    nothing else; a savepoint around the INSERT would cost every submission two statements for this rare case.
    Called inside an outer transaction (the demo, a test), the inner one is that savepoint anyway.
    """
    for _attempt in range(attempts):
        code = receipt_codes()
        try:
            with transaction.atomic():
                return submit(code)
        except IntegrityError:
            if not Issue.objects.filter(receipt_code=code).exists():
                raise
    raise RuntimeError("Could not find a free receipt code")


# ---- triage -----------------------------------------------------------------------------------------------


@transaction.atomic
def issue_accept(*, issue: Issue, actor: User, comment: str = "", now: datetime.datetime | None = None) -> Issue:
    locked = _lock_for_staff(issue, actor)
    _apply(locked, A.ACCEPT, actor=actor, comment=comment.strip(), now=now)
    return locked


@transaction.atomic
def issue_reject(*, issue: Issue, actor: User, reason: str, now: datetime.datetime | None = None) -> Issue:
    """Not accepted; the reason is shown to the submitter on the tracking page and sent to them."""
    reason = _require_text(reason, _("请填写不予受理的理由，反映人会看到它。"))
    locked = _lock_for_staff(issue, actor)
    locked.rejection_reason = reason
    _apply(locked, A.REJECT, actor=actor, comment=reason, extra_fields=["rejection_reason"], now=now)
    return locked


@transaction.atomic
def issue_merge(
    *, issue: Issue, into: Issue, actor: User, comment: str = "", now: datetime.datetime | None = None
) -> Issue:
    """The same matter raised twice: the duplicate follows the other issue; both submitters are told."""
    if issue.pk == into.pk:
        raise ValidationError(_("不能把议题合并到它自己。"))
    # Lock both rows in id order so that two opposite merges cannot deadlock.
    locked_by_id = {each.pk: _lock_for_staff(each, actor) for each in sorted([issue, into], key=lambda i: i.pk)}
    locked, target = locked_by_id[issue.pk], locked_by_id[into.pk]
    if target.organization_id != locked.organization_id:
        raise ValidationError(_("只能合并到同一组织的议题。"))
    if target.state in FINAL_STATES:
        raise ValidationError(
            _("目标议题已结束（%(state)s），不能再合并进去。") % {"state": target.get_state_display()}
        )
    locked.merged_into = target
    note = comment.strip() or _("与另一议题反映的是同一事项，合并办理。")
    merged = _apply(locked, A.MERGE, actor=actor, comment=note, extra_fields=["merged_into"], now=now)
    # The target keeps its state; its submitter is told that another villager raised the same matter.
    told_target = Transition.objects.create(
        issue=target,
        action=A.MERGE,
        from_state=target.state,
        to_state=target.state,
        actor=actor,
        actor_label=str(actor),
        # Neither trail names the other issue's receipt code: each is shown to its own submitter, and a code
        # opens its holder's page.
        comment=_("另一位村民反映的同一事项已合并到本议题一并办理。"),
        created_at=merged.created_at,
    )
    _queue_submitter_message(told_target)
    return locked


# ---- 村民协商: meetings --------------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    organization: Organization,
    actor: User,
    title: str,
    scheduled_at: datetime.datetime,
    place: str,
    issues: Sequence[Issue] = (),
    recording_past: bool = False,
    now: datetime.datetime | None = None,
) -> Meeting:
    """`recording_past` says staff are recording a meeting already held; without it a time in the past is
    refused, as it is usually a typo (a wrong year or month)."""
    if not organizations_for(actor, Action.CHANGE).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("您不能为这个组织安排议事会。"))
    if scheduled_at < (now or timezone.now()) and not recording_past:
        raise ValidationError(
            {
                "already_held": _(
                    "召开时间 %(when)s 已经过去。如果是补录已召开的会议，"
                    "请勾选“补录已召开的会议”；否则请改为将来的时间。"
                )
                % {"when": f"{timezone.localtime(scheduled_at):%Y-%m-%d %H:%M}"}
            }
        )
    meeting = Meeting.objects.create(
        organization=organization,
        title=_require_text(title, _("请填写会议名称。")),
        scheduled_at=scheduled_at,
        place=_require_text(place, _("请填写会议地点。")),
        created_by=actor,
        created_at=now or timezone.now(),
    )
    for issue in issues:
        meeting_add_issue(meeting=meeting, issue=issue, actor=actor, now=now)
    return meeting


def _lock_meeting(meeting: Meeting, actor: User, action: MeetingAction) -> Meeting:
    """Locks the meeting and checks that its state allows `action` (consultations/states.py)."""
    if not meetings_for(actor, Action.CHANGE).filter(pk=meeting.pk).exists():
        raise PermissionDenied(_("您不能修改这个议事会。"))
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    refusal = meeting_refusal(locked.state, action)
    if refusal:
        raise ValidationError(refusal)
    return locked


@transaction.atomic
def meeting_add_issue(
    *, meeting: Meeting, issue: Issue, actor: User, now: datetime.datetime | None = None
) -> AgendaItem:
    locked_meeting = _lock_meeting(meeting, actor, MeetingAction.ADD_ISSUES)
    locked = _lock_for_staff(issue, actor)
    if locked.organization_id != locked_meeting.organization_id:
        raise ValidationError(_("只能把本组织的议题列入议程。"))
    _apply(
        locked,
        A.PUT_ON_AGENDA,
        actor=actor,
        comment=_("列入%(meeting)s（%(when)s）")
        % {"meeting": locked_meeting.title, "when": timezone.localdate(locked_meeting.scheduled_at).isoformat()},
        now=now,
    )
    position = locked_meeting.agenda.count() + 1
    return AgendaItem.objects.create(meeting=locked_meeting, issue=locked, position=position)


@transaction.atomic
def meeting_record_attendance(
    *,
    meeting: Meeting,
    actor: User,
    attendees: Sequence[Person],
    villagers_count: int,
    department_reps_count: int,
    ufwd_reps_count: int,
    minutes: str,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Meeting:
    """Marks the meeting held, with who came: roster members by name, the others by count. Changing the
    attendance of a meeting already held is a correction: it needs a reason and leaves a MeetingCorrection."""
    locked = _lock_meeting(meeting, actor, MeetingAction.RECORD_ATTENDANCE)
    if locked.scheduled_at > (now or timezone.now()):
        raise ValidationError(_("议事会还没有召开，召开后再登记出席情况。"))
    people = list(attendees)
    present = len({person.pk for person in people}) + villagers_count + department_reps_count + ufwd_reps_count
    largest_tally = max((item.votes_cast for item in locked.agenda.filter(outcome=AgendaOutcome.CONSENSUS)), default=0)
    if present < largest_tally:
        raise ValidationError(
            _(
                "出席人数合计 %(present)d 人，少于议程中已记录的表决票数 %(votes)d 票。"
                "请核对出席情况，或先更正表决票数。"
            )
            % {"present": present, "votes": largest_tally}
        )
    if locked.state == MeetingState.HELD:
        before = _attendance_summary(locked, list(locked.attendees.all()))
        after = _attendance_summary(
            Meeting(
                villagers_count=villagers_count,
                department_reps_count=department_reps_count,
                ufwd_reps_count=ufwd_reps_count,
            ),
            people,
        )
        if before != after:
            reason = _require_text(reason, _("出席情况已登记过，更正时请填写更正理由。"))
            MeetingCorrection.objects.create(
                meeting=locked, what=_("出席情况"), before=before, after=after, reason=reason, actor=actor
            )
    locked.villagers_count = villagers_count
    locked.department_reps_count = department_reps_count
    locked.ufwd_reps_count = ufwd_reps_count
    locked.minutes = minutes.strip()
    locked.state = MeetingState.HELD
    locked.save(update_fields=["villagers_count", "department_reps_count", "ufwd_reps_count", "minutes", "state"])
    locked.attendees.set(people)
    return locked


def _attendance_summary(meeting: Meeting, attendees: Sequence[Person]) -> str:
    names = "、".join(sorted(person.name for person in attendees)) or _("无")
    return _(
        "出席会员 %(members)d 人（%(names)s），列席村民 %(villagers)d 人，"
        "职能部门代表 %(departments)d 人，统战部门代表 %(ufwd)d 人"
    ) % {
        "members": len(attendees),
        "names": names,
        "villagers": meeting.villagers_count,
        "departments": meeting.department_reps_count,
        "ufwd": meeting.ufwd_reps_count,
    }


def _tally_text(votes_for: int, votes_against: int, votes_abstain: int) -> str:
    return _("赞成 %(for)d，反对 %(against)d，弃权 %(abstain)d") % {
        "for": votes_for,
        "against": votes_against,
        "abstain": votes_abstain,
    }


def _check_tally_fits_attendance(meeting: Meeting, votes: int) -> None:
    """A tally cannot count more people than were present. Before attendance is recorded the check waits for
    it: meeting_record_attendance refuses an attendance smaller than the tallies already recorded."""
    if meeting.state != MeetingState.HELD:
        return
    present = meeting.present_count()
    if votes > present:
        raise ValidationError(
            _("表决票数合计 %(votes)d 票，超过了登记出席的 %(present)d 人。请核对票数，或先更正出席情况。")
            % {"votes": votes, "present": present}
        )


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User, reason: str) -> Meeting:
    """The 议事会 will not take place. It is kept, marked cancelled with the reason; each issue on its agenda goes
    back to 待协商 for the next meeting, with its own step on the submitter's timeline and a message. The
    organization's village staff and the members recorded on the meeting are told too."""
    reason = _require_text(reason, _("请填写取消原因，议程上议题的反映人会看到它。"))
    locked = _lock_meeting(meeting, actor, MeetingAction.CANCEL)
    items = list(locked.agenda.select_for_update().order_by("position", "id"))
    if any(item.outcome != AgendaOutcome.PENDING for item in items):
        raise ValidationError(_("议程中已有议题记录了协商结果，说明议事会已经召开，不能取消。"))
    comment = _("%(meeting)s（%(when)s）取消：%(reason)s") % {
        "meeting": locked.title,
        "when": timezone.localdate(locked.scheduled_at).isoformat(),
        "reason": reason,
    }
    now = timezone.now()
    submitters: set[str] = set()
    # Issues in id order, as issue_merge locks them, so that the two cannot deadlock.
    for item in sorted(items, key=lambda each: each.issue_id):
        issue = _lock_for_staff(Issue(pk=item.issue_id), actor)
        _apply(issue, A.MEETING_CANCEL, actor=actor, comment=comment, now=now)
        submitters.add(Recipient(user=issue.submitter_user, phone=issue.submitter_phone).label)
        item.outcome = AgendaOutcome.MEETING_CANCELLED
        item.note = reason
        item.recorded_at = now
        item.save(update_fields=["outcome", "note", "recorded_at"])
    locked.state = MeetingState.CANCELLED
    locked.cancel_reason = reason
    locked.cancelled_at = now
    locked.cancelled_by = actor
    locked.save(update_fields=["state", "cancel_reason", "cancelled_at", "cancelled_by"])
    meeting_cancelled_notify(
        meeting=locked, actor=actor, reason=reason, issues_returned=len(items), submitters=submitters
    )
    return locked


def _lock_agenda_item(item: AgendaItem, actor: User) -> tuple[AgendaItem, Issue]:
    _lock_meeting(item.meeting, actor, MeetingAction.RECORD_OUTCOME)
    locked_item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if locked_item.outcome != AgendaOutcome.PENDING:
        raise ValidationError(_("这一议程的协商结果已经记录过了。"))
    return locked_item, _lock_for_staff(locked_item.issue, actor)


@transaction.atomic
def agenda_record_consensus(
    *,
    item: AgendaItem,
    actor: User,
    consensus_text: str,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    now: datetime.datetime | None = None,
) -> AgendaItem:
    consensus_text = _require_text(consensus_text, _("请填写共识内容。"))
    if votes_for <= votes_against:
        raise ValidationError(_("赞成票没有超过反对票，不能记为达成共识。"))
    locked_item, issue = _lock_agenda_item(item, actor)
    _check_tally_fits_attendance(locked_item.meeting, votes_for + votes_against + votes_abstain)
    locked_item.outcome = AgendaOutcome.CONSENSUS
    locked_item.consensus_text = consensus_text
    locked_item.votes_for = votes_for
    locked_item.votes_against = votes_against
    locked_item.votes_abstain = votes_abstain
    locked_item.recorded_at = now or timezone.now()
    locked_item.save(
        update_fields=["outcome", "consensus_text", "votes_for", "votes_against", "votes_abstain", "recorded_at"]
    )
    issue.consensus_text = consensus_text
    tally = _tally_text(votes_for, votes_against, votes_abstain)
    _apply(
        issue,
        A.RECORD_CONSENSUS,
        actor=actor,
        comment=_("%(text)s（%(tally)s）") % {"text": consensus_text, "tally": tally},
        extra_fields=["consensus_text"],
        now=now,
    )
    return locked_item


@transaction.atomic
def agenda_correct_tally(
    *,
    item: AgendaItem,
    actor: User,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    reason: str,
    now: datetime.datetime | None = None,
) -> AgendaItem:
    """A tally recorded wrongly: corrected on the agenda item, with before → after and the reason on the
    issue's trail (whatever state the issue has reached since)."""
    reason = _require_text(reason, _("请填写更正理由。"))
    if votes_for <= votes_against:
        raise ValidationError(_("赞成票没有超过反对票，不能记为达成共识。"))
    _lock_meeting(item.meeting, actor, MeetingAction.RECORD_OUTCOME)
    locked_item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    if locked_item.outcome != AgendaOutcome.CONSENSUS:
        raise ValidationError(_("只有已记录为达成共识的议程可以更正表决票数。"))
    _check_tally_fits_attendance(locked_item.meeting, votes_for + votes_against + votes_abstain)
    before = _tally_text(locked_item.votes_for, locked_item.votes_against, locked_item.votes_abstain)
    after = _tally_text(votes_for, votes_against, votes_abstain)
    if before == after:
        raise ValidationError(_("票数没有变化，无需更正。"))
    issue = _lock_for_staff(locked_item.issue, actor)
    locked_item.votes_for = votes_for
    locked_item.votes_against = votes_against
    locked_item.votes_abstain = votes_abstain
    locked_item.save(update_fields=["votes_for", "votes_against", "votes_abstain"])
    comment = _("%(meeting)s表决票数更正：%(before)s → %(after)s。理由：%(reason)s") % {
        "meeting": locked_item.meeting.title,
        "before": before,
        "after": after,
        "reason": reason,
    }
    _apply(issue, A.CORRECT_TALLY, actor=actor, comment=comment, now=now)
    return locked_item


@transaction.atomic
def agenda_record_no_consensus(
    *, item: AgendaItem, actor: User, note: str, close: bool = False, now: datetime.datetime | None = None
) -> AgendaItem:
    """No consensus: back to the queue for the next meeting, or the deliberation ends here."""
    note = _require_text(note, _("请说明未达成共识的情况。"))
    locked_item, issue = _lock_agenda_item(item, actor)
    locked_item.outcome = AgendaOutcome.NO_CONSENSUS
    locked_item.note = note
    locked_item.recorded_at = now or timezone.now()
    locked_item.save(update_fields=["outcome", "note", "recorded_at"])
    _apply(issue, A.NO_CONSENSUS_CLOSE if close else A.NO_CONSENSUS_REQUEUE, actor=actor, comment=note, now=now)
    return locked_item


# ---- 共识提交 / 部门处理 ---------------------------------------------------------------------------------------


@transaction.atomic
def issue_resolve_in_village(
    *, issue: Issue, actor: User, resolution: str, now: datetime.datetime | None = None
) -> Issue:
    resolution = _require_text(resolution, _("请填写村内解决的情况。"))
    locked = _lock_for_staff(issue, actor)
    locked.resolution_text = resolution
    _apply(locked, A.RESOLVE_IN_VILLAGE, actor=actor, comment=resolution, extra_fields=["resolution_text"], now=now)
    return locked


@transaction.atomic
def issue_assign(
    *,
    issue: Issue,
    actor: User,
    department: Department,
    working_days: int | None = None,
    instructions: str = "",
    now: datetime.datetime | None = None,
) -> Assignment:
    """Hands an agreed issue to a department; the deadline counts Chinese working days from today."""
    days = working_days or settings.ASSIGNMENT_DEFAULT_WORKING_DAYS
    if not 1 <= days <= 90:
        raise ValidationError(_("办理时限应在 1 到 90 个工作日之间。"))
    if not departments_for(actor, Action.VIEW).filter(pk=department.pk, is_active=True).exists():
        raise PermissionDenied(_("不能交办给这个部门。"))
    locked = _lock_for_staff(issue, actor)
    deadline = assignment_deadline(days, now=now)
    assigned = _apply(
        locked,
        A.ASSIGN,
        actor=actor,
        comment=_("交%(department)s办理，期限 %(deadline)s（%(days)d 个工作日）")
        % {"department": department.name, "deadline": deadline.isoformat(), "days": days},
        now=now,
    )
    assignment = Assignment.objects.create(
        issue=locked,
        department=department,
        working_days=days,
        deadline=deadline,
        instructions=instructions.strip(),
        assigned_by=actor,
        assigned_at=assigned.created_at,
    )
    assignment_new_notify(assignment)
    return assignment


def assignment_deadline(working_days: int, *, now: datetime.datetime | None = None) -> datetime.date:
    """The deadline a hand-over made now gets: `working_days` Chinese working days after Beijing's today.
    The assign form's preview calls this too, so what it shows is what is saved."""
    return add_working_days(timezone.localdate(now), working_days)


def _lock_assignment(assignment: Assignment, actor: User, action: IssueAction) -> tuple[Assignment, Issue]:
    if not assignments_for(actor, Action.CHANGE).filter(pk=assignment.pk).exists():
        # A colleague of the same department answered or returned it a moment ago: say so, not "not yours".
        if (
            assignments_for(actor, Action.VIEW)
            .filter(pk=assignment.pk)
            .exclude(state__in=LIVE_ASSIGNMENT_STATES)
            .filter(department__handlers=actor)
            .exists()
        ):
            raise TransitionNotAllowed(Issue.objects.get(pk=assignment.issue_id), action)
        raise PermissionDenied(_("您不能处理这件交办。"))
    issue = _lock(assignment.issue)
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.state not in LIVE_ASSIGNMENT_STATES:
        raise TransitionNotAllowed(issue, action)
    return locked, issue


@transaction.atomic
def assignment_acknowledge(*, assignment: Assignment, actor: User, now: datetime.datetime | None = None) -> Assignment:
    locked, issue = _lock_assignment(assignment, actor, A.ACKNOWLEDGE)
    if locked.state != AssignmentState.OPEN:
        raise TransitionNotAllowed(issue, A.ACKNOWLEDGE)
    locked.state = AssignmentState.ACKNOWLEDGED
    locked.acknowledged_at = now or timezone.now()
    locked.handled_by = actor
    locked.save(update_fields=["state", "acknowledged_at", "handled_by"])
    comment = _("%(department)s已签收") % {"department": locked.department}
    _apply(issue, A.ACKNOWLEDGE, actor=actor, comment=comment, now=now)
    return locked


@transaction.atomic
def assignment_interim_reply(
    *,
    assignment: Assignment,
    actor: User,
    reply: str,
    promised_on: datetime.date,
    now: datetime.datetime | None = None,
) -> Assignment:
    """办理中: the department says what it is doing and by when. The issue stays with the department; a
    promise is not a result, so nothing is counted as resolved."""
    reply = _require_text(reply, _("请填写目前的办理情况。"))
    now = now or timezone.now()
    if promised_on < timezone.localdate(now):
        raise ValidationError({"promised_on": _("承诺办结日期不能早于今天。")})
    locked, issue = _lock_assignment(assignment, actor, A.INTERIM_REPLY)
    locked.state = AssignmentState.ACKNOWLEDGED
    locked.acknowledged_at = locked.acknowledged_at or now
    locked.interim_reply = reply
    locked.promised_on = promised_on
    locked.interim_replied_at = now
    locked.handled_by = actor
    locked.save(
        update_fields=["state", "acknowledged_at", "interim_reply", "promised_on", "interim_replied_at", "handled_by"]
    )
    comment = _("%(reply)s（承诺 %(date)s 前办结）") % {"reply": reply, "date": promised_on.isoformat()}
    _apply(issue, A.INTERIM_REPLY, actor=actor, comment=comment, now=now)
    assignment_interim_reply_notify(locked, actor=actor)
    return locked


@transaction.atomic
def assignment_answer(
    *,
    assignment: Assignment,
    actor: User,
    answer: str,
    attachments: Sequence[tuple[File, str, str]] = (),
    now: datetime.datetime | None = None,
) -> Assignment:
    """The department's final answer closes its part; the issue waits for the village (or the submitter) to
    confirm the work is done before it counts as handled. Attachments are (file, name, type)."""
    answer = _require_text(answer, _("请填写答复内容。"))
    locked, issue = _lock_assignment(assignment, actor, A.ANSWER)
    now = now or timezone.now()
    locked.state = AssignmentState.ANSWERED
    locked.answer_text = answer
    locked.answered_at = now
    locked.acknowledged_at = locked.acknowledged_at or now
    locked.handled_by = actor
    locked.save(update_fields=["state", "answer_text", "answered_at", "acknowledged_at", "handled_by"])
    for file, name, content_type in attachments:
        AssignmentAttachment.objects.create(
            assignment=locked,
            file=file,
            original_name=name[:150],
            content_type=content_type,
            size=file.size,
            created_at=now,
        )
    issue.resolution_text = answer
    _apply(issue, A.ANSWER, actor=actor, comment=answer, extra_fields=["resolution_text"], now=now)
    assignment_answered_notify(locked, actor=actor)
    return locked


@transaction.atomic
def assignment_return(*, assignment: Assignment, actor: User, reason: str) -> Assignment:
    """Not this department's matter, or not feasible as agreed: back to the village with a reason."""
    reason = _require_text(reason, _("请填写退回理由。"))
    locked, issue = _lock_assignment(assignment, actor, A.RETURN)
    locked.state = AssignmentState.RETURNED
    locked.return_reason = reason
    locked.returned_at = timezone.now()
    locked.handled_by = actor
    locked.save(update_fields=["state", "return_reason", "returned_at", "handled_by"])
    _apply(issue, A.RETURN, actor=actor, comment=reason)
    assignment_returned_notify(locked, actor=actor)
    return locked


def _confirm_done(
    issue: Issue, *, actor: User | None, actor_label: str, comment: str, now: datetime.datetime | None
) -> Issue:
    note = comment.strip() or _("经核实，部门答复的事项已办理完成。")
    _apply(issue, A.CONFIRM_DONE, actor=actor, actor_label=actor_label, comment=note, now=now)
    return issue


@transaction.atomic
def issue_confirm_done(*, issue: Issue, actor: User, comment: str = "", now: datetime.datetime | None = None) -> Issue:
    """Village staff confirm that what the department answered was carried out: the issue is handled."""
    locked = _lock_for_staff(issue, actor)
    return _confirm_done(locked, actor=actor, actor_label="", comment=comment, now=now)


@transaction.atomic
def issue_confirm_done_by_submitter(*, issue: Issue, comment: str = "", now: datetime.datetime | None = None) -> Issue:
    """The submitter confirms it from the tracking page; the village staff are told, so that the secretary
    publishes the result. The view checks it is the submitter."""
    locked = _lock(issue)
    confirmed = _apply(
        locked,
        A.CONFIRM_DONE,
        actor=locked.submitter_user,
        actor_label=locked.submitter_name,
        comment=comment.strip() or _("反映人确认已办理完成。"),
        now=now,
    )
    issue_confirmed_by_submitter_notify(locked, now=confirmed.created_at)
    return locked


# Working days a department gets to redo the work when its own deadline has passed or is nearer than that.
SEND_BACK_WORKING_DAYS = 5


def send_back_deadline(current: datetime.date, *, now: datetime.datetime | None = None) -> datetime.date:
    """The deadline of an answer sent back to be redone. The department keeps whatever time it still had: the
    send-back does not shorten it. But a final answer usually comes near the end of the time limit, and checking it
    on the spot takes days, so the old deadline has often passed: kept, it would make the redo overdue the moment
    it arrives, and the reminders would escalate it to the town and district before the department could start.
    So a clerk gives SEND_BACK_WORKING_DAYS working days from today, as a fresh hand-over counts them."""
    return max(current, add_working_days(timezone.localdate(now), SEND_BACK_WORKING_DAYS))


@transaction.atomic
def issue_send_back(*, issue: Issue, actor: User, reason: str, now: datetime.datetime | None = None) -> Assignment:
    """Village staff checked the department's final answer and found the work not done: the issue goes back to
    the department, which has it again as 办理中 with the reason. The department already signed for it and knows
    the matter, so its assignment reopens as acknowledged rather than waiting to be signed for a second time.
    A promise is not a result, and neither is an answer sent back: nothing is counted as resolved."""
    reason = _require_text(reason, _("请填写退回重办的理由，部门和反映人都会看到它。"))
    locked = _lock_for_staff(issue, actor)
    if locked.state not in TRANSITIONS[A.SEND_BACK][0]:
        raise TransitionNotAllowed(locked, A.SEND_BACK)
    answered = (
        Assignment.objects.select_for_update()
        .filter(issue=locked, state=AssignmentState.ANSWERED)
        .order_by("-answered_at", "-id")
        .first()
    )
    if answered is None:
        raise ValidationError(_("没有找到部门的最终答复，不能退回重办。"))
    now = now or timezone.now()
    answered.state = AssignmentState.ACKNOWLEDGED
    answered.deadline = send_back_deadline(answered.deadline, now=now)
    answered.sent_back_reason = reason
    answered.sent_back_at = now
    # The old promise was kept by the answer that is now refused; a new date comes with a new interim reply.
    answered.promised_on = None
    answered.save(update_fields=["state", "deadline", "sent_back_reason", "sent_back_at", "promised_on"])
    # The refused answer stays on the assignment and the timeline, but it is no longer the issue's result.
    locked.resolution_text = ""
    comment = _("%(reason)s（退回%(department)s重办，期限 %(deadline)s）") % {
        "reason": reason,
        "department": answered.department.name,
        "deadline": answered.deadline.isoformat(),
    }
    _apply(locked, A.SEND_BACK, actor=actor, comment=comment, extra_fields=["resolution_text"], now=now)
    assignment_sent_back_notify(answered)
    return answered


@transaction.atomic
def issue_report_not_done_by_submitter(
    *, issue: Issue, note: str = "", now: datetime.datetime | None = None
) -> Transition:
    """The submitter says on the tracking page that the work is not done yet. The issue stays where it is: the
    village staff are told, check on the spot, and confirm it or send it back. Once per answer, so that a second
    tap does not tell them twice. An internal record: the submitter is not sent news of their own word. The view
    checks it is the submitter."""
    locked = _lock(issue)
    if locked.state not in TRANSITIONS[A.SUBMITTER_NOT_DONE][0]:
        raise TransitionNotAllowed(locked, A.SUBMITTER_NOT_DONE)
    latest_answer = (
        locked.transitions.filter(action=A.ANSWER).order_by("-created_at", "-id").values_list("id", flat=True).first()
    )
    if locked.transitions.filter(action=A.SUBMITTER_NOT_DONE, id__gt=latest_answer or 0).exists():
        raise ValidationError(_("您已经告诉村里还没办好，村里会核实后跟进。"))
    note = note.strip()
    reported = _apply(
        locked,
        A.SUBMITTER_NOT_DONE,
        actor=locked.submitter_user,
        actor_label=locked.submitter_name,
        comment=note or _("反映人反馈：事情还没有办好。"),
        is_public=False,
        now=now,
    )
    issue_not_done_by_submitter_notify(locked, note=note, now=reported.created_at)
    return reported


# ---- 结果公示 -------------------------------------------------------------------------------------------------


NOTICE_TITLE_PREFIXES = (
    "议题办理结果公示：",
    "议题办理结果公示：",
    "办理结果公示：",
    "办理结果公示：",
    "结果公示：",
    "结果公示：",
)


def notice_title(headline: str) -> str:
    """Every notice is titled one way, by what it is about: the board already says these are result notices,
    so a "议题办理结果公示:" that staff (or older demo data) typed in front is dropped."""
    headline = headline.strip()
    for prefix in NOTICE_TITLE_PREFIXES:
        if headline.startswith(prefix):
            return headline[len(prefix) :].strip() or headline
    return headline


@transaction.atomic
def issue_publish(
    *,
    issue: Issue,
    actor: User,
    title: str,
    body: str,
    period_days: int | None = None,
    now: datetime.datetime | None = None,
) -> PublicNotice:
    days = period_days or settings.NOTICE_DEFAULT_DAYS
    if not 1 <= days <= 30:
        raise ValidationError(_("公示期应在 1 到 30 天之间。"))
    title = notice_title(_require_text(title, _("请填写公示标题。")))
    body = _require_text(body, _("请填写公示内容。"))
    locked = _lock_for_staff(issue, actor)
    now = now or timezone.now()
    locked.resolved_at = now
    comment = _("公示 %(days)d 天") % {"days": days}
    _apply(locked, A.PUBLISH, actor=actor, comment=comment, extra_fields=["resolved_at"], now=now)
    notice = PublicNotice.objects.create(
        issue=locked,
        organization_id=locked.organization_id,
        region_id=locked.region_id,
        title=title,
        body=body,
        period_days=days,
        published_at=now,
        ends_at=now + datetime.timedelta(days=days),
        published_by=actor,
    )
    notice_put_on_board(notice)
    return notice


def issue_close_after_notice(*, issue: Issue, now: datetime.datetime | None = None) -> Issue:
    """The notice period is over: the issue is archived and the submitter asked to rate the result."""
    return _close_after_notice(issue, moment=now or timezone.now())


@transaction.atomic
def _close_after_notice(issue: Issue, *, moment: datetime.datetime) -> Issue:
    locked = _lock(issue)
    notice = locked.notices.order_by("-published_at").first()
    if notice is None or notice.ends_at > moment:
        raise TransitionNotAllowed(locked, A.CLOSE_AFTER_NOTICE)
    _apply(locked, A.CLOSE_AFTER_NOTICE, actor=None, actor_label=_("系统"), comment=_("公示期满，自动归档"), now=moment)
    _ask_for_rating(locked, notice, now=moment)
    return locked


def _ask_for_rating(issue: Issue, notice: PublicNotice, *, now: datetime.datetime) -> None:
    tracking_url = reverse("issues:track_detail", kwargs={"code": issue.receipt_code})
    with translation.override("zh-hans"):
        subject, body, sms = rating_request_message(issue, tracking_url)
    message_enqueue(
        kind=Kind.ISSUE_RATE_REQUEST,
        key=f"issue:{issue.pk}:rate:{notice.pk}",
        recipient=Recipient(user=issue.submitter_user, phone=issue.submitter_phone),
        subject=subject,
        body=body,
        sms=sms,
        url=tracking_url,
        region_path=issue.region.path,
        now=now,
    )


def notices_close_expired(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Closes the issues whose notice period has ended; safe to run twice or on two workers at once."""
    moment = now or timezone.now()
    # By the notice on the board: an issue published again after reopening has an earlier notice that ended long
    # ago, and would otherwise be taken up (and refused) on every run, ahead of the issues really due.
    due_ids = list(
        Issue.objects.filter(state=IssueState.PUBLICIZED, notices__is_current=True, notices__ends_at__lte=moment)
        .order_by("state_changed_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    closed = 0
    for issue_id in due_ids:
        try:
            _close_after_notice(Issue(pk=issue_id), moment=moment)
        except TransitionNotAllowed:
            continue  # another worker closed it first
        closed += 1
    return closed


# ---- the submitter's word -------------------------------------------------------------------------------------


@transaction.atomic
def feedback_submit(
    *, issue: Issue, rating: Rating | str, comment: str = "", now: datetime.datetime | None = None
) -> Feedback:
    """The submitter rates the published result, once per notice. The view checks it is the submitter."""
    locked = _lock(issue)
    notice = locked.notices.order_by("-published_at").first()
    if notice is None:
        raise TransitionNotAllowed(locked, A.RATE)
    if Feedback.objects.filter(notice=notice).exists():
        raise ValidationError(_("您已经评价过这次办理结果了。"))
    feedback = Feedback.objects.create(
        issue=locked, notice=notice, rating=rating, comment=comment.strip(), created_at=now or timezone.now()
    )
    _apply(
        locked,
        A.RATE,
        actor=locked.submitter_user,
        actor_label=locked.submitter_name,
        comment=f"{Rating(rating).label} {comment.strip()}".strip(),
        is_public=False,
        now=now,
    )
    issue_rated_notify(feedback)
    return feedback


@transaction.atomic
def issue_reopen(*, issue: Issue, actor: User, reason: str) -> Issue:
    """Staff take an archived issue up again because its submitter was not satisfied with the result."""
    reason = _require_text(reason, _("请填写重新受理的理由。"))
    locked = _lock_for_staff(issue, actor)
    if locked.state not in TRANSITIONS[A.REOPEN][0]:
        raise TransitionNotAllowed(locked, A.REOPEN)
    # Only the rating of the latest result counts: an old 不满意 does not reopen a result published since.
    notice = locked.notices.order_by("-published_at").first()
    latest = Feedback.objects.filter(notice=notice).first() if notice is not None else None
    if latest is None or latest.rating != Rating.UNSATISFIED:
        raise ValidationError(_("只有反映人评价“不满意”的议题才能重新受理。"))
    _apply(locked, A.REOPEN, actor=actor, comment=reason)
    return locked
