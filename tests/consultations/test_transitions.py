"""Every step of the loop through its service: what it changes, what it records, who may take it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from consultations import services
from consultations.models import (
    AgendaItem,
    AgendaOutcome,
    Assignment,
    AssignmentState,
    Feedback,
    Issue,
    Meeting,
    MeetingState,
    PublicNotice,
    Rating,
    Transition,
)
from consultations.services import TransitionNotAllowed
from consultations.states import TRANSITIONS, IssueAction, IssueState
from orgs.models import Department, DepartmentLevel
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.workdays import add_working_days

S, A = IssueState, IssueAction
pytestmark = pytest.mark.django_db


def _transitions(issue: Issue) -> list[Transition]:
    return list(Transition.objects.filter(issue=issue).order_by("id"))


def _only_new_transition(issue: Issue, before: int) -> Transition:
    rows = _transitions(issue)
    assert len(rows) == before + 1, "each step writes exactly one Transition row"
    return rows[-1]


def _expire_notice(issue: Issue) -> None:
    PublicNotice.objects.filter(issue=issue).update(ends_at=timezone.now() - datetime.timedelta(seconds=1))


@pytest.fixture
def meeting(qingshan_tongxinhui, village_staff_qingshan):
    return services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="三月议事会",
        scheduled_at=timezone.now() - datetime.timedelta(hours=2),
        recording_past=True,
        place="文化礼堂",
    )


@pytest.fixture
def other_handler(tree):
    department = Department.objects.create(name="黄湖镇城建办", level=DepartmentLevel.TOWN, region=tree.huanghu)
    return User.objects.create_user(
        username="chengjian_handler", password="x", role=Role.DEPARTMENT_HANDLER, department=department
    )


@pytest.fixture
def wangweishan_staff(tree):
    return User.objects.create_user(
        username="wangweishan_secretary", password="x", role=Role.VILLAGE_STAFF, region=tree.wangweishan
    )


# ---- triage ------------------------------------------------------------------------------------------------


def test_submitting_records_who_raised_the_issue(issue_factory):
    issue = issue_factory(submitter_name="王大伯")
    [row] = _transitions(issue)
    assert (row.action, row.from_state, row.to_state, row.actor_label) == (A.SUBMIT, "", S.SUBMITTED, "王大伯")
    assert issue.state == S.SUBMITTED and len(issue.receipt_code) == 8


def test_staff_accept_a_submitted_issue(issue_factory, village_staff_qingshan):
    issue = issue_factory()
    services.issue_accept(issue=issue, actor=village_staff_qingshan, comment="  符合议事范围  ")
    issue.refresh_from_db()
    row = _only_new_transition(issue, 1)
    assert issue.state == S.ACCEPTED
    assert (row.action, row.from_state, row.to_state) == (A.ACCEPT, S.SUBMITTED, S.ACCEPTED)
    assert row.actor == village_staff_qingshan and row.actor_label == "青山村 秘书 李娟"
    assert row.comment == "符合议事范围"


def test_staff_reject_with_a_reason_the_submitter_sees(issue_factory, village_staff_qingshan):
    issue = issue_factory()
    services.issue_reject(issue=issue, actor=village_staff_qingshan, reason="属于邻里纠纷，请找调解委员会。")
    issue.refresh_from_db()
    row = _only_new_transition(issue, 1)
    assert issue.state == S.REJECTED
    assert issue.rejection_reason == "属于邻里纠纷，请找调解委员会。"
    assert (row.action, row.from_state, row.to_state, row.is_public) == (A.REJECT, S.SUBMITTED, S.REJECTED, True)
    assert row.comment == issue.rejection_reason and row.actor == village_staff_qingshan


def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(issue_factory, village_staff_qingshan):
    issue = issue_factory()
    with pytest.raises(ValidationError):
        services.issue_reject(issue=issue, actor=village_staff_qingshan, reason="   ")
    issue.refresh_from_db()
    assert issue.state == S.SUBMITTED and len(_transitions(issue)) == 1


def test_merging_tells_the_submitters_of_both_issues(
    issue_factory, village_staff_qingshan, sms_outbox, django_capture_on_commit_callbacks
):
    duplicate = issue_factory(submitter_name="李阿姨", submitter_phone="13700000001")
    original = issue_factory(submitter_name="王大伯", submitter_phone="13700000002")
    services.issue_accept(issue=original, actor=village_staff_qingshan)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_merge(issue=duplicate, into=original, actor=village_staff_qingshan)
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.state == S.MERGED and duplicate.merged_into == original
    assert original.state == S.ACCEPTED, "the issue merged into keeps its place in the loop"
    on_duplicate = _only_new_transition(duplicate, 1)
    on_original = _only_new_transition(original, 2)
    assert (on_duplicate.action, on_duplicate.from_state, on_duplicate.to_state) == (A.MERGE, S.SUBMITTED, S.MERGED)
    assert original.receipt_code not in on_duplicate.comment, "each trail is shown to its own submitter"
    assert (on_original.action, on_original.from_state, on_original.to_state) == (A.MERGE, S.ACCEPTED, S.ACCEPTED)
    assert duplicate.receipt_code not in on_original.comment
    assert on_duplicate.actor == on_original.actor == village_staff_qingshan
    told = {message.phone: message.text for message in sms_outbox}
    assert set(told) == {"13700000001", "13700000002"}
    assert duplicate.receipt_code in told["13700000001"]
    assert original.receipt_code in told["13700000002"]


def test_an_issue_cannot_be_merged_into_itself_or_into_a_finished_one(
    issue_factory, issue_in_state, village_staff_qingshan
):
    issue = issue_factory()
    with pytest.raises(ValidationError):
        services.issue_merge(issue=issue, into=issue, actor=village_staff_qingshan)
    rejected = issue_in_state("rejected")
    with pytest.raises(ValidationError):
        services.issue_merge(issue=issue, into=rejected, actor=village_staff_qingshan)
    issue.refresh_from_db()
    assert issue.state == S.SUBMITTED and len(_transitions(issue)) == 1


def test_an_issue_cannot_be_merged_into_another_organizations_issue(
    issue_factory, wangweishan_tongxinhui, town_staff_huanghu
):
    ours = issue_factory()
    theirs = issue_factory(organization=wangweishan_tongxinhui)
    with pytest.raises(ValidationError):
        services.issue_merge(issue=ours, into=theirs, actor=town_staff_huanghu)
    ours.refresh_from_db()
    assert ours.state == S.SUBMITTED


# ---- 村民协商 ----------------------------------------------------------------------------------------------


def test_putting_an_accepted_issue_on_a_meeting_agenda_starts_deliberation(
    issue_in_state, meeting, village_staff_qingshan
):
    issue = issue_in_state("accepted")
    item = services.meeting_add_issue(meeting=meeting, issue=issue, actor=village_staff_qingshan)
    issue.refresh_from_db()
    row = _only_new_transition(issue, 2)
    assert issue.state == S.DELIBERATING
    assert (row.action, row.from_state, row.to_state) == (A.PUT_ON_AGENDA, S.ACCEPTED, S.DELIBERATING)
    assert "三月议事会" in row.comment and row.actor == village_staff_qingshan
    assert (item.meeting, item.issue, item.position, item.outcome) == (meeting, issue, 1, AgendaOutcome.PENDING)


def test_scheduling_a_meeting_with_its_agenda_puts_each_issue_on_it(
    issue_in_state, qingshan_tongxinhui, village_staff_qingshan
):
    first, second = issue_in_state("accepted"), issue_in_state("accepted")
    meeting = services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="四月议事会",
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
        place="文化礼堂",
        issues=[first, second],
    )
    assert [(item.issue_id, item.position) for item in meeting.agenda.all()] == [(first.pk, 1), (second.pk, 2)]
    assert set(Issue.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)) == {S.DELIBERATING}


def test_consensus_is_recorded_with_its_vote_tally(issue_in_state, village_staff_qingshan):
    issue = issue_in_state("deliberating")
    item = issue.agenda_items.get()
    services.agenda_record_consensus(
        item=item,
        actor=village_staff_qingshan,
        consensus_text="修建村口停车场",
        votes_for=30,
        votes_against=3,
        votes_abstain=2,
    )
    issue.refresh_from_db()
    item.refresh_from_db()
    row = _only_new_transition(issue, 3)
    assert issue.state == S.AGREED and issue.consensus_text == "修建村口停车场"
    assert (row.action, row.from_state, row.to_state) == (A.RECORD_CONSENSUS, S.DELIBERATING, S.AGREED)
    assert "修建村口停车场" in row.comment and "赞成 30，反对 3，弃权 2" in row.comment
    assert (item.outcome, item.votes_for, item.votes_against, item.votes_abstain) == (AgendaOutcome.CONSENSUS, 30, 3, 2)
    assert item.recorded_at is not None


def test_consensus_needs_more_votes_for_than_against(issue_in_state, village_staff_qingshan):
    issue = issue_in_state("deliberating")
    with pytest.raises(ValidationError):
        services.agenda_record_consensus(
            item=issue.agenda_items.get(),
            actor=village_staff_qingshan,
            consensus_text="修路",
            votes_for=5,
            votes_against=5,
            votes_abstain=0,
        )
    issue.refresh_from_db()
    assert issue.state == S.DELIBERATING and len(_transitions(issue)) == 3


def test_an_agenda_outcome_is_recorded_once(issue_in_state, village_staff_qingshan):
    issue = issue_in_state("agreed")
    with pytest.raises(ValidationError):
        services.agenda_record_no_consensus(
            item=issue.agenda_items.get(), actor=village_staff_qingshan, note="重新讨论"
        )
    issue.refresh_from_db()
    assert issue.state == S.AGREED


def test_no_consensus_sends_the_issue_back_to_the_queue_for_the_next_meeting(
    issue_in_state, village_staff_qingshan, meeting
):
    issue = issue_in_state("deliberating")
    services.agenda_record_no_consensus(
        item=issue.agenda_items.get(), actor=village_staff_qingshan, note="意见分歧较大，下月再议"
    )
    issue.refresh_from_db()
    row = _only_new_transition(issue, 3)
    assert issue.state == S.ACCEPTED
    assert (row.action, row.from_state, row.to_state, row.comment) == (
        A.NO_CONSENSUS_REQUEUE,
        S.DELIBERATING,
        S.ACCEPTED,
        "意见分歧较大，下月再议",
    )
    assert issue.agenda_items.get().outcome == AgendaOutcome.NO_CONSENSUS
    services.meeting_add_issue(meeting=meeting, issue=issue, actor=village_staff_qingshan)
    issue.refresh_from_db()
    assert issue.state == S.DELIBERATING and issue.agenda_items.count() == 2


def test_no_consensus_can_end_the_deliberation(issue_in_state, village_staff_qingshan):
    issue = issue_in_state("deliberating")
    services.agenda_record_no_consensus(
        item=issue.agenda_items.get(), actor=village_staff_qingshan, note="多数村民认为不宜实施", close=True
    )
    issue.refresh_from_db()
    row = _only_new_transition(issue, 3)
    assert issue.state == S.CLOSED
    assert (row.action, row.from_state, row.to_state) == (A.NO_CONSENSUS_CLOSE, S.DELIBERATING, S.CLOSED)


# ---- a meeting that will not take place ---------------------------------------------------------------------


@pytest.fixture
def next_weeks_meeting(issue_in_state, qingshan_tongxinhui, village_staff_qingshan):
    """青山's 议事会 next week, with two villagers' issues on its agenda."""
    issues = [
        issue_in_state("accepted", submitter_phone="13700000001"),
        issue_in_state("accepted", submitter_phone="13700000002"),
    ]
    return services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="四月议事会",
        scheduled_at=timezone.now() + datetime.timedelta(days=7),
        place="文化礼堂",
        issues=issues,
    )


def test_cancelling_a_meeting_takes_each_issue_on_its_agenda_back_to_the_queue(
    next_weeks_meeting, village_staff_qingshan, sms_outbox, django_capture_on_commit_callbacks
):
    issues = [item.issue for item in next_weeks_meeting.agenda.order_by("position")]
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(
            meeting=next_weeks_meeting, actor=village_staff_qingshan, reason="  台风预警，延期召开  "
        )
    for issue in issues:
        issue.refresh_from_db()
        row = _transitions(issue)[-1]
        assert issue.state == S.ACCEPTED
        assert (row.action, row.from_state, row.to_state, row.is_public) == (
            A.MEETING_CANCEL,
            S.DELIBERATING,
            S.ACCEPTED,
            True,
        )
        assert row.get_action_display() == "议事会取消，退回待协商"
        assert "四月议事会" in row.comment and "台风预警，延期召开" in row.comment
        assert row.actor == village_staff_qingshan
    meeting = Meeting.objects.get(pk=next_weeks_meeting.pk)
    assert meeting.state == MeetingState.CANCELLED, "the meeting is kept, marked cancelled"
    assert (meeting.cancel_reason, meeting.cancelled_by) == ("台风预警，延期召开", village_staff_qingshan)
    assert meeting.cancelled_at is not None
    assert set(meeting.agenda.values_list("outcome", flat=True)) == {AgendaOutcome.MEETING_CANCELLED}
    told = {message.phone: message.text for message in sms_outbox}
    assert set(told) == {"13700000001", "13700000002"}
    assert all("议事会取消" in text for text in told.values())


def test_an_issue_of_a_cancelled_meeting_goes_on_the_next_meeting(
    next_weeks_meeting, qingshan_tongxinhui, village_staff_qingshan
):
    issue = next_weeks_meeting.agenda.order_by("position").first().issue
    services.meeting_cancel(meeting=next_weeks_meeting, actor=village_staff_qingshan, reason="主持人临时外出")
    later = services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="四月议事会（延期）",
        scheduled_at=timezone.now() + datetime.timedelta(days=14),
        place="文化礼堂",
        issues=[issue],
    )
    issue.refresh_from_db()
    assert issue.state == S.DELIBERATING
    services.agenda_record_consensus(
        item=later.agenda.get(),
        actor=village_staff_qingshan,
        consensus_text="同意",
        votes_for=9,
        votes_against=1,
        votes_abstain=0,
    )
    issue.refresh_from_db()
    assert issue.state == S.AGREED


def test_a_meeting_cannot_be_cancelled_without_a_reason(next_weeks_meeting, village_staff_qingshan):
    with pytest.raises(ValidationError) as refused:
        services.meeting_cancel(meeting=next_weeks_meeting, actor=village_staff_qingshan, reason="   ")
    assert "请填写取消原因" in " ".join(refused.value.messages)
    next_weeks_meeting.refresh_from_db()
    assert next_weeks_meeting.state == MeetingState.SCHEDULED
    assert {item.issue.state for item in next_weeks_meeting.agenda.all()} == {S.DELIBERATING}


def test_a_held_meeting_or_one_with_a_recorded_outcome_cannot_be_cancelled(
    next_weeks_meeting, meeting, village_staff_qingshan
):
    first, second = next_weeks_meeting.agenda.order_by("position")
    services.agenda_record_no_consensus(item=first, actor=village_staff_qingshan, note="分歧较大")
    with pytest.raises(ValidationError) as refused:
        services.meeting_cancel(meeting=next_weeks_meeting, actor=village_staff_qingshan, reason="改期")
    assert "已经召开" in " ".join(refused.value.messages)
    second.issue.refresh_from_db()
    assert second.issue.state == S.DELIBERATING, "nothing half-done: the other issue stays on the agenda"

    services.meeting_record_attendance(
        meeting=meeting,
        actor=village_staff_qingshan,
        attendees=[],
        villagers_count=12,
        department_reps_count=1,
        ufwd_reps_count=1,
        minutes="",
    )
    with pytest.raises(ValidationError) as refused:
        services.meeting_cancel(meeting=meeting, actor=village_staff_qingshan, reason="改期")
    assert "只有尚未召开的议事会可以取消" in " ".join(refused.value.messages)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD


def test_a_cancelled_meeting_takes_no_more_issues_outcomes_or_attendance(
    next_weeks_meeting, issue_in_state, village_staff_qingshan
):
    item = next_weeks_meeting.agenda.order_by("position").first()
    services.meeting_cancel(meeting=next_weeks_meeting, actor=village_staff_qingshan, reason="改期")
    with pytest.raises(ValidationError, match="不能再增加议题"):
        services.meeting_add_issue(
            meeting=next_weeks_meeting, issue=issue_in_state("accepted"), actor=village_staff_qingshan
        )
    with pytest.raises(ValidationError, match="不能再记录协商结果"):
        services.agenda_record_consensus(
            item=item,
            actor=village_staff_qingshan,
            consensus_text="同意",
            votes_for=9,
            votes_against=0,
            votes_abstain=0,
        )
    with pytest.raises(ValidationError, match="议事会已取消"):
        services.meeting_record_attendance(
            meeting=next_weeks_meeting,
            actor=village_staff_qingshan,
            attendees=[],
            villagers_count=0,
            department_reps_count=0,
            ufwd_reps_count=0,
            minutes="",
        )
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=next_weeks_meeting, actor=village_staff_qingshan, reason="再取消一次")
    item.issue.refresh_from_db()
    assert item.issue.state == S.ACCEPTED
    assert Transition.objects.filter(issue=item.issue, action=A.MEETING_CANCEL).count() == 1


def test_staff_of_another_village_cannot_cancel_the_meeting(next_weeks_meeting, wangweishan_staff):
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(meeting=next_weeks_meeting, actor=wangweishan_staff, reason="不归我们管")
    next_weeks_meeting.refresh_from_db()
    assert next_weeks_meeting.state == MeetingState.SCHEDULED


# ---- 共识提交 / 部门处理 -------------------------------------------------------------------------------------


def test_an_agreed_issue_can_be_resolved_within_the_village(issue_in_state, village_staff_qingshan):
    issue = issue_in_state("agreed")
    services.issue_resolve_in_village(issue=issue, actor=village_staff_qingshan, resolution="村民自筹修好了路灯")
    issue.refresh_from_db()
    row = _only_new_transition(issue, 4)
    assert issue.state == S.HANDLED and issue.resolution_text == "村民自筹修好了路灯"
    assert (row.action, row.from_state, row.to_state) == (A.RESOLVE_IN_VILLAGE, S.AGREED, S.HANDLED)
    assert not issue.assignments.exists()


@pytest.mark.any_hour
def test_assigning_gives_the_department_fifteen_chinese_working_days(
    issue_in_state, village_staff_qingshan, huanghu_water_office
):
    issue = issue_in_state("agreed")
    assignment = services.issue_assign(
        issue=issue, actor=village_staff_qingshan, department=huanghu_water_office, instructions=" 请尽快勘察 "
    )
    issue.refresh_from_db()
    row = _only_new_transition(issue, 4)
    expected_deadline = add_working_days(timezone.localdate(), 15)
    assert issue.state == S.ASSIGNED
    assert (row.action, row.from_state, row.to_state) == (A.ASSIGN, S.AGREED, S.ASSIGNED)
    assert huanghu_water_office.name in row.comment and expected_deadline.isoformat() in row.comment
    assert Assignment.objects.get(issue=issue) == assignment
    assert (assignment.department, assignment.state, assignment.working_days, assignment.deadline) == (
        huanghu_water_office,
        AssignmentState.OPEN,
        15,
        expected_deadline,
    )
    assert assignment.instructions == "请尽快勘察" and assignment.assigned_by == village_staff_qingshan


@pytest.mark.any_hour
def test_an_assignment_can_have_another_number_of_working_days(
    issue_in_state, village_staff_qingshan, huanghu_water_office
):
    issue = issue_in_state("agreed")
    assignment = services.issue_assign(
        issue=issue, actor=village_staff_qingshan, department=huanghu_water_office, working_days=5
    )
    assert assignment.deadline == add_working_days(timezone.localdate(), 5)
    with pytest.raises(ValidationError):
        services.issue_assign(
            issue=issue_in_state("agreed"),
            actor=village_staff_qingshan,
            department=huanghu_water_office,
            working_days=91,
        )


def test_the_department_acknowledges_without_changing_the_state(issue_in_state, handler_huanghu):
    issue = issue_in_state("assigned")
    assignment = issue.assignments.get()
    services.assignment_acknowledge(assignment=assignment, actor=handler_huanghu)
    issue.refresh_from_db()
    assignment.refresh_from_db()
    row = _only_new_transition(issue, 5)
    assert issue.state == S.ASSIGNED
    assert (row.action, row.from_state, row.to_state, row.actor) == (
        A.ACKNOWLEDGE,
        S.ASSIGNED,
        S.ASSIGNED,
        handler_huanghu,
    )
    assert assignment.state == AssignmentState.ACKNOWLEDGED and assignment.acknowledged_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.assignment_acknowledge(assignment=assignment, actor=handler_huanghu)
    assert len(_transitions(issue)) == 6


def test_the_departments_answer_waits_for_the_village_to_confirm_it(issue_in_state, handler_huanghu):
    # A promise is not a result: the final answer leaves the issue 待确认办结, not yet handled.
    issue = issue_in_state("assigned")
    assignment = issue.assignments.get()
    services.assignment_answer(assignment=assignment, actor=handler_huanghu, answer="已安排施工队，月底完工。")
    issue.refresh_from_db()
    assignment.refresh_from_db()
    row = _only_new_transition(issue, 5)
    assert issue.state == S.ANSWERED and issue.resolution_text == "已安排施工队，月底完工。"
    assert (row.action, row.from_state, row.to_state, row.actor) == (A.ANSWER, S.ASSIGNED, S.ANSWERED, handler_huanghu)
    assert assignment.state == AssignmentState.ANSWERED and assignment.handled_by == handler_huanghu
    assert assignment.answered_at is not None and assignment.acknowledged_at is not None


def test_a_returned_issue_goes_back_to_the_village_and_can_be_assigned_again(
    issue_in_state, handler_huanghu, village_staff_qingshan, huanghu_water_office
):
    issue = issue_in_state("assigned")
    first = issue.assignments.get()
    services.assignment_return(assignment=first, actor=handler_huanghu, reason="不属于本部门职责，建议交城建办")
    issue.refresh_from_db()
    first.refresh_from_db()
    row = _only_new_transition(issue, 5)
    assert issue.state == S.AGREED
    assert (row.action, row.from_state, row.to_state, row.comment) == (
        A.RETURN,
        S.ASSIGNED,
        S.AGREED,
        "不属于本部门职责，建议交城建办",
    )
    assert first.state == AssignmentState.RETURNED and first.return_reason == "不属于本部门职责，建议交城建办"

    second = services.issue_assign(issue=issue, actor=village_staff_qingshan, department=huanghu_water_office)
    issue.refresh_from_db()
    assert issue.state == S.ASSIGNED
    assert second.pk != first.pk
    live = Assignment.objects.filter(issue=issue, state__in=[AssignmentState.OPEN, AssignmentState.ACKNOWLEDGED])
    assert list(live) == [second], "one live assignment at a time"
    with pytest.raises(TransitionNotAllowed):
        services.assignment_answer(assignment=first, actor=handler_huanghu, answer="迟到的答复")


@pytest.mark.any_hour
def test_publishing_opens_a_seven_day_notice(issue_in_state, village_staff_qingshan):
    issue = issue_in_state("handled")
    notice = services.issue_publish(
        issue=issue, actor=village_staff_qingshan, title="村口路灯修复结果", body="已更换路灯三盏。"
    )
    issue.refresh_from_db()
    row = _only_new_transition(issue, 7)
    assert issue.state == S.PUBLICIZED and issue.resolved_at == notice.published_at
    assert (row.action, row.from_state, row.to_state) == (A.PUBLISH, S.HANDLED, S.PUBLICIZED)
    assert notice.period_days == 7
    assert notice.ends_at == notice.published_at + datetime.timedelta(days=7)
    assert (notice.organization_id, notice.region_id, notice.published_by) == (
        issue.organization_id,
        issue.region_id,
        village_staff_qingshan,
    )


@pytest.mark.any_hour
def test_the_issue_closes_only_when_its_notice_period_is_over(issue_in_state):
    issue = issue_in_state("publicized")
    with pytest.raises(TransitionNotAllowed):
        services.issue_close_after_notice(issue=issue)
    issue.refresh_from_db()
    assert issue.state == S.PUBLICIZED and len(_transitions(issue)) == 8

    _expire_notice(issue)
    services.issue_close_after_notice(issue=issue)
    issue.refresh_from_db()
    row = _only_new_transition(issue, 8)
    assert issue.state == S.CLOSED
    assert (row.action, row.from_state, row.to_state, row.actor, row.actor_label) == (
        A.CLOSE_AFTER_NOTICE,
        S.PUBLICIZED,
        S.CLOSED,
        None,
        "系统",
    )


@pytest.mark.any_hour
def test_the_sweep_closes_due_notices_once(issue_in_state):
    due, not_yet = issue_in_state("publicized"), issue_in_state("publicized")
    _expire_notice(due)
    assert services.notices_close_expired() == 1
    assert services.notices_close_expired() == 0, "a second run finds nothing left to close"
    due.refresh_from_db()
    not_yet.refresh_from_db()
    assert (due.state, not_yet.state) == (S.CLOSED, S.PUBLICIZED)
    assert Transition.objects.filter(issue=due, action=A.CLOSE_AFTER_NOTICE).count() == 1


def test_the_sweep_closes_by_the_moment_it_is_given(issue_in_state):
    issue = issue_in_state("publicized")
    notice = issue.notices.get()
    assert services.notices_close_expired(now=notice.ends_at - datetime.timedelta(seconds=1)) == 0
    assert services.notices_close_expired(now=notice.ends_at) == 1
    issue.refresh_from_db()
    assert issue.state == S.CLOSED


# ---- the submitter's word -----------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["publicized", "closed"])
def test_the_submitter_rates_the_result_once_per_notice(issue_in_state, state):
    issue = issue_in_state(state)
    before = len(_transitions(issue))
    feedback = services.feedback_submit(issue=issue, rating=Rating.BASICALLY_SATISFIED, comment="修得挺快")
    issue.refresh_from_db()
    row = _only_new_transition(issue, before)
    assert issue.state == state, "rating does not move the issue"
    assert (row.action, row.from_state, row.to_state, row.is_public) == (A.RATE, state, state, False)
    assert row.comment == "基本满意 修得挺快" and row.actor_label == issue.submitter_name
    assert feedback.notice == issue.notices.get()
    with pytest.raises(ValidationError):
        services.feedback_submit(issue=issue, rating=Rating.UNSATISFIED)
    assert Feedback.objects.filter(issue=issue).count() == 1
    assert Transition.objects.filter(issue=issue, action=A.RATE).count() == 1


def test_staff_reopen_a_closed_issue_after_an_unsatisfied_rating(issue_in_state, village_staff_qingshan):
    issue = issue_in_state("closed")
    services.feedback_submit(issue=issue, rating=Rating.UNSATISFIED, comment="只修了一盏")
    services.issue_reopen(issue=issue, actor=village_staff_qingshan, reason="反映人不满意，重新协商")
    issue.refresh_from_db()
    row = _transitions(issue)[-1]
    assert issue.state == S.ACCEPTED
    assert (row.action, row.from_state, row.to_state, row.comment) == (
        A.REOPEN,
        S.CLOSED,
        S.ACCEPTED,
        "反映人不满意，重新协商",
    )


@pytest.mark.parametrize("rating", [Rating.SATISFIED, Rating.BASICALLY_SATISFIED])
def test_a_satisfied_issue_cannot_be_reopened(issue_in_state, village_staff_qingshan, rating):
    issue = issue_in_state("closed")
    services.feedback_submit(issue=issue, rating=rating)
    before = len(_transitions(issue))
    with pytest.raises(ValidationError):
        services.issue_reopen(issue=issue, actor=village_staff_qingshan, reason="再看看")
    issue.refresh_from_db()
    assert issue.state == S.CLOSED and len(_transitions(issue)) == before


def test_an_unrated_closed_issue_cannot_be_reopened(issue_in_state, village_staff_qingshan):
    issue = issue_in_state("closed")
    with pytest.raises(ValidationError):
        services.issue_reopen(issue=issue, actor=village_staff_qingshan, reason="再看看")


def test_an_old_unsatisfied_rating_does_not_reopen_the_next_result(issue_in_state, drive_issue, village_staff_qingshan):
    issue = issue_in_state("closed")
    services.feedback_submit(issue=issue, rating=Rating.UNSATISFIED)
    services.issue_reopen(issue=issue, actor=village_staff_qingshan, reason="重新协商")
    issue = drive_issue(issue, "closed")
    assert issue.notices.count() == 2
    with pytest.raises(ValidationError):
        services.issue_reopen(issue=issue, actor=village_staff_qingshan, reason="又不满意？")
    services.feedback_submit(issue=issue, rating=Rating.SATISFIED)
    assert issue.feedback.count() == 2, "each published result is rated once"


# ---- illegal actions, state by state ------------------------------------------------------------------------


@pytest.fixture
def prepare_action(issue_factory, village_staff_qingshan, handler_huanghu, huanghu_water_office):
    """prepare_action(action, issue) -> a call taking that action on the issue through its service."""

    def pending_item(issue: Issue) -> AgendaItem:
        item = issue.agenda_items.filter(outcome=AgendaOutcome.PENDING).first()
        if item is not None:
            return item
        # An agenda item the issue should not have: the service must still refuse by the issue's state.
        meeting = services.meeting_schedule(
            organization=issue.organization,
            actor=village_staff_qingshan,
            title="临时议事会",
            scheduled_at=timezone.now(),
            recording_past=True,
            place="村委会",
        )
        return AgendaItem.objects.create(meeting=meeting, issue=issue)

    def live_assignment(issue: Issue) -> Assignment:
        assignment = issue.assignments.filter(state__in=[AssignmentState.OPEN, AssignmentState.ACKNOWLEDGED]).first()
        return assignment or Assignment.objects.create(
            issue=issue,
            department=huanghu_water_office,
            working_days=15,
            deadline=timezone.localdate() + datetime.timedelta(days=21),
            assigned_by=village_staff_qingshan,
        )

    staff = village_staff_qingshan

    def prepare(action: IssueAction, issue: Issue):
        if action == A.ACCEPT:
            return lambda: services.issue_accept(issue=issue, actor=staff)
        if action == A.REJECT:
            return lambda: services.issue_reject(issue=issue, actor=staff, reason="不在议事范围")
        if action == A.MERGE:
            into = issue_factory()
            return lambda: services.issue_merge(issue=issue, into=into, actor=staff)
        if action == A.PUT_ON_AGENDA:
            meeting = services.meeting_schedule(
                organization=issue.organization,
                actor=staff,
                title="五月议事会",
                scheduled_at=timezone.now(),
                recording_past=True,
                place="村委会",
            )
            return lambda: services.meeting_add_issue(meeting=meeting, issue=issue, actor=staff)
        if action == A.RECORD_CONSENSUS:
            item = pending_item(issue)
            return lambda: services.agenda_record_consensus(
                item=item, actor=staff, consensus_text="同意", votes_for=9, votes_against=1, votes_abstain=0
            )
        if action in (A.NO_CONSENSUS_REQUEUE, A.NO_CONSENSUS_CLOSE):
            item = pending_item(issue)
            return lambda: services.agenda_record_no_consensus(
                item=item, actor=staff, note="分歧", close=action == A.NO_CONSENSUS_CLOSE
            )
        if action == A.RESOLVE_IN_VILLAGE:
            return lambda: services.issue_resolve_in_village(issue=issue, actor=staff, resolution="已解决")
        if action == A.ASSIGN:
            return lambda: services.issue_assign(issue=issue, actor=staff, department=huanghu_water_office)
        if action == A.ACKNOWLEDGE:
            assignment = live_assignment(issue)
            return lambda: services.assignment_acknowledge(assignment=assignment, actor=handler_huanghu)
        if action == A.ANSWER:
            assignment = live_assignment(issue)
            return lambda: services.assignment_answer(assignment=assignment, actor=handler_huanghu, answer="已办")
        if action == A.RETURN:
            assignment = live_assignment(issue)
            return lambda: services.assignment_return(assignment=assignment, actor=handler_huanghu, reason="退回")
        if action == A.INTERIM_REPLY:
            assignment = live_assignment(issue)
            return lambda: services.assignment_interim_reply(
                assignment=assignment,
                actor=handler_huanghu,
                reply="正在办理",
                promised_on=timezone.localdate() + datetime.timedelta(days=10),
            )
        if action == A.CONFIRM_DONE:
            return lambda: services.issue_confirm_done(issue=issue, actor=staff)
        if action == A.SEND_BACK:
            return lambda: services.issue_send_back(issue=issue, actor=staff, reason="路灯仍有一盏不亮")
        if action == A.SUBMITTER_NOT_DONE:
            return lambda: services.issue_report_not_done_by_submitter(issue=issue, note="还没修")
        if action == A.CORRECT_TALLY:
            # A recorded consensus the issue should not have: the correction must still refuse by its state.
            item = pending_item(issue)
            AgendaItem.objects.filter(pk=item.pk).update(outcome=AgendaOutcome.CONSENSUS, votes_for=9, votes_against=1)
            return lambda: services.agenda_correct_tally(
                item=item, actor=staff, votes_for=8, votes_against=1, votes_abstain=1, reason="核对票箱"
            )
        if action == A.PUBLISH:
            return lambda: services.issue_publish(issue=issue, actor=staff, title="结果", body="已办结")
        if action == A.CLOSE_AFTER_NOTICE:
            return lambda: services.issue_close_after_notice(issue=issue)
        if action == A.RATE:
            return lambda: services.feedback_submit(issue=issue, rating=Rating.SATISFIED)
        if action == A.REOPEN:
            return lambda: services.issue_reopen(issue=issue, actor=staff, reason="重新受理")
        if action == A.MEETING_CANCEL:
            # A meeting whose agenda holds the issue: cancelling it must refuse by the issue's state.
            meeting = pending_item(issue).meeting
            return lambda: services.meeting_cancel(meeting=meeting, actor=staff, reason="改期")
        raise AssertionError(f"no service for {action}")

    return prepare


ILLEGAL = [
    (state, action)
    for state in IssueState
    for action, (from_states, _to) in TRANSITIONS.items()
    if state not in from_states
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[f"{s.value}-{a.value}" for s, a in ILLEGAL])
def test_an_action_the_state_does_not_allow_is_refused_and_changes_nothing(
    issue_in_state, prepare_action, state, action
):
    issue = issue_in_state(state)
    take_action = prepare_action(action, issue)
    transitions_before = Transition.objects.count()
    with pytest.raises(TransitionNotAllowed) as refused:
        take_action()
    issue.refresh_from_db()
    assert issue.state == state
    assert Transition.objects.count() == transitions_before
    assert "可能已被他人处理" in str(refused.value)


def test_the_refusal_names_the_action_and_the_current_state(issue_in_state, village_staff_qingshan):
    issue = issue_in_state("accepted")
    with pytest.raises(TransitionNotAllowed) as refused:
        services.issue_accept(issue=issue, actor=village_staff_qingshan)
    assert "受理" in str(refused.value) and "待协商" in str(refused.value)


def test_every_action_but_submitting_is_covered():
    assert set(TRANSITIONS) == set(IssueAction) - {A.SUBMIT}


# ---- who may act ----------------------------------------------------------------------------------------------


def test_village_staff_of_another_village_cannot_act(issue_factory, village_staff_wanghu, wangweishan_staff):
    issue = issue_factory()
    for outsider in (village_staff_wanghu, wangweishan_staff):
        with pytest.raises(PermissionDenied):
            services.issue_accept(issue=issue, actor=outsider)
        with pytest.raises(PermissionDenied):
            services.issue_reject(issue=issue, actor=outsider, reason="不归我们管")
    issue.refresh_from_db()
    assert issue.state == S.SUBMITTED and len(_transitions(issue)) == 1


def test_village_staff_of_another_village_cannot_publish_or_reopen(issue_in_state, wangweishan_staff):
    handled = issue_in_state("handled")
    with pytest.raises(PermissionDenied):
        services.issue_publish(issue=handled, actor=wangweishan_staff, title="结果", body="已办结")
    closed = issue_in_state("closed")
    services.feedback_submit(issue=closed, rating=Rating.UNSATISFIED)
    with pytest.raises(PermissionDenied):
        services.issue_reopen(issue=closed, actor=wangweishan_staff, reason="重新受理")


def test_town_staff_of_the_town_can_take_the_villages_issues_through_the_loop(
    issue_factory, drive_issue, town_staff_huanghu
):
    issue = drive_issue(issue_factory(), "closed", staff=town_staff_huanghu)
    actors = {row.actor for row in _transitions(issue) if row.action not in (A.SUBMIT, A.ANSWER, A.CLOSE_AFTER_NOTICE)}
    assert actors == {town_staff_huanghu}


def test_the_district_admin_can_act_on_issues_of_the_district(issue_factory, district_admin_yuhang):
    issue = issue_factory()
    services.issue_accept(issue=issue, actor=district_admin_yuhang)
    issue.refresh_from_db()
    assert issue.state == S.ACCEPTED


@pytest.mark.parametrize("persona", ["handler_huanghu", "member_craftsman"])
def test_handlers_and_members_cannot_triage(issue_factory, request, persona):
    issue = issue_factory()
    with pytest.raises(PermissionDenied):
        services.issue_accept(issue=issue, actor=request.getfixturevalue(persona))


def test_a_handler_of_another_department_cannot_answer_acknowledge_or_return(issue_in_state, other_handler):
    issue = issue_in_state("assigned")
    assignment = issue.assignments.get()
    with pytest.raises(PermissionDenied):
        services.assignment_answer(assignment=assignment, actor=other_handler, answer="不是我们的")
    with pytest.raises(PermissionDenied):
        services.assignment_acknowledge(assignment=assignment, actor=other_handler)
    with pytest.raises(PermissionDenied):
        services.assignment_return(assignment=assignment, actor=other_handler, reason="不是我们的")
    issue.refresh_from_db()
    assignment.refresh_from_db()
    assert issue.state == S.ASSIGNED and assignment.state == AssignmentState.OPEN


def test_village_staff_cannot_answer_for_the_department(issue_in_state, village_staff_qingshan):
    issue = issue_in_state("assigned")
    with pytest.raises(PermissionDenied):
        services.assignment_answer(assignment=issue.assignments.get(), actor=village_staff_qingshan, answer="代答")


def test_a_village_cannot_assign_to_a_department_outside_its_town(issue_in_state, village_staff_qingshan, tree):
    elsewhere = Department.objects.create(name="龙岗镇农业办", level=DepartmentLevel.TOWN, region=tree.longgang)
    issue = issue_in_state("agreed")
    with pytest.raises(PermissionDenied):
        services.issue_assign(issue=issue, actor=village_staff_qingshan, department=elsewhere)
    issue.refresh_from_db()
    assert issue.state == S.AGREED and not issue.assignments.exists()
