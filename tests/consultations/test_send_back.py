"""Not done yet: the 青山村 secretary checks a department's final answer on the spot, finds the work unfinished and
sends it back to 黄湖镇农业农村办 with a reason; the handler has it again as 办理中. The villager may say 还没办好
on the tracking page too, which tells the secretary without moving the issue; their confirmation tells her that
the result can be published."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.counters import resolved_issue_count, resolved_notices
from consultations.models import Assignment, AssignmentState, Issue
from consultations.reminders import assignments_remind_deadlines
from consultations.services import SEND_BACK_WORKING_DAYS, TransitionNotAllowed
from consultations.states import IssueAction, IssueState
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import OutboxMessage, OutboxState
from portal.workdays import add_working_days

S, A = IssueState, IssueAction
pytestmark = pytest.mark.django_db

REASON = "到现场查看，三盏路灯仍有一盏不亮。"


def _queued(kind: str, **to: object) -> list[OutboxMessage]:
    """The messages the step under test queued (the setup's were delivered already)."""
    return list(OutboxMessage.objects.filter(kind=kind, state=OutboxState.PENDING, **to).order_by("pk"))


def _track_as_submitter(client, issue: Issue) -> str:
    """The villager opens their issue with the receipt code and the last four digits of their phone."""
    url = reverse("issues:track_detail", kwargs={"code": issue.receipt_code})
    client.post(url, {"phone_last4": issue.submitter_phone[-4:]})
    return url


@pytest.fixture
def answered(issue_in_state) -> Issue:
    return issue_in_state(S.ANSWERED, title="村口路灯不亮")


# ---- the service --------------------------------------------------------------------------------------------


def test_the_secretary_sends_an_answer_back_and_the_department_has_it_again_as_in_hand(
    answered, village_staff_qingshan, huanghu_water_office
):
    assignment = answered.assignments.get()
    deadline_before = assignment.deadline

    services.issue_send_back(issue=answered, actor=village_staff_qingshan, reason=REASON)

    answered.refresh_from_db()
    assignment.refresh_from_db()
    assert answered.state == S.ASSIGNED
    assert answered.resolution_text == "", "an answer sent back is no longer the issue's result"
    assert assignment.state == AssignmentState.ACKNOWLEDGED
    assert assignment.sent_back_reason == REASON
    assert assignment.answer_text == "已更换路灯三盏，恢复照明。", "the refused answer stays on the record"
    # 15 working days were given; there is time left, and the send-back does not take it away.
    assert assignment.deadline == deadline_before
    step = answered.transitions.order_by("-id").first()
    assert (step.action, step.from_state, step.to_state) == (A.SEND_BACK, S.ANSWERED, S.ASSIGNED)
    assert step.is_public and step.actor == village_staff_qingshan
    assert step.get_action_display() == "退回部门重办"
    assert step.comment == f"{REASON}（退回{huanghu_water_office.name}重办，期限 {deadline_before.isoformat()}）"


@pytest.mark.any_hour
def test_a_deadline_already_past_gives_the_department_working_days_from_today(answered, village_staff_qingshan):
    assignment = answered.assignments.get()
    Assignment.objects.filter(pk=assignment.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=2))

    services.issue_send_back(issue=answered, actor=village_staff_qingshan, reason=REASON)

    assignment.refresh_from_db()
    assert assignment.deadline == add_working_days(timezone.localdate(), SEND_BACK_WORKING_DAYS)


def test_an_old_promise_does_not_stand_for_the_redo(answered, village_staff_qingshan):
    assignment = answered.assignments.get()
    Assignment.objects.filter(pk=assignment.pk).update(promised_on=timezone.localdate(), interim_reply="正在采购")

    services.issue_send_back(issue=answered, actor=village_staff_qingshan, reason=REASON)

    assignment.refresh_from_db()
    assert assignment.promised_on is None


def test_the_redo_is_reminded_of_its_new_deadline_though_the_first_round_was(
    issue_in_state, village_staff_qingshan, handler_huanghu
):
    issue = issue_in_state(S.ASSIGNED)
    assignment = issue.assignments.get()
    Assignment.objects.filter(pk=assignment.pk).update(deadline=datetime.date(2026, 11, 19))  # a Thursday
    assignments_remind_deadlines(today=datetime.date(2026, 11, 16))
    services.assignment_answer(assignment=assignment, actor=handler_huanghu, answer="已更换路灯。")
    # Sent back the day after the deadline: five working days from that Friday.
    sent_back_on = timezone.make_aware(datetime.datetime(2026, 11, 20, 10))
    services.issue_send_back(issue=issue, actor=village_staff_qingshan, reason=REASON, now=sent_back_on)
    assignment.refresh_from_db()
    assert assignment.deadline == datetime.date(2026, 11, 27)

    assignments_remind_deadlines(today=datetime.date(2026, 11, 24))

    reminders = OutboxMessage.objects.filter(kind=Kind.ASSIGNMENT_DUE_SOON, user=handler_huanghu, channel=Channel.INBOX)
    assert [message.body.count("11月27日") for message in reminders.order_by("pk")] == [0, 1]


def test_sending_back_needs_a_reason(answered, village_staff_qingshan):
    with pytest.raises(ValidationError):
        services.issue_send_back(issue=answered, actor=village_staff_qingshan, reason="  ")
    answered.refresh_from_db()
    assert answered.state == S.ANSWERED


def test_staff_of_another_village_and_the_handler_cannot_send_it_back(answered, village_staff_wanghu, handler_huanghu):
    for outsider in (village_staff_wanghu, handler_huanghu):
        with pytest.raises(PermissionDenied):
            services.issue_send_back(issue=answered, actor=outsider, reason=REASON)
    answered.refresh_from_db()
    assert answered.state == S.ANSWERED


@pytest.mark.parametrize("state", [S.ASSIGNED, S.HANDLED, S.PUBLICIZED])
def test_only_an_answer_waiting_for_confirmation_can_be_sent_back(issue_in_state, village_staff_qingshan, state):
    issue = issue_in_state(state)
    with pytest.raises(TransitionNotAllowed):
        services.issue_send_back(issue=issue, actor=village_staff_qingshan, reason=REASON)


def test_a_second_click_finds_the_issue_already_sent_back(answered, village_staff_qingshan):
    services.issue_send_back(issue=answered, actor=village_staff_qingshan, reason=REASON)
    with pytest.raises(TransitionNotAllowed):
        services.issue_send_back(issue=answered, actor=village_staff_qingshan, reason=REASON)
    assert answered.transitions.filter(action=A.SEND_BACK).count() == 1


def test_the_handlers_and_the_submitter_are_told(answered, village_staff_qingshan, handler_huanghu):
    services.issue_send_back(issue=answered, actor=village_staff_qingshan, reason=REASON)

    [inbox] = _queued(Kind.ASSIGNMENT_NEW, user=handler_huanghu, channel=Channel.INBOX)
    assert inbox.subject == "退回重办：村口路灯不亮"
    assert REASON in inbox.body
    assert inbox.url == reverse("department:assignment", kwargs={"pk": answered.assignments.get().pk})

    [sms] = _queued(Kind.ISSUE_PROGRESS, channel=Channel.SMS, phone=answered.submitter_phone)
    assert "尚未办好，已退回部门重办" in sms.body and answered.receipt_code in sms.body


def test_the_department_answers_again_and_the_issue_goes_on_round_the_loop(
    answered, village_staff_qingshan, handler_huanghu, qingshan_tongxinhui
):
    resolved_before = resolved_issue_count(organization=qingshan_tongxinhui)
    services.issue_send_back(issue=answered, actor=village_staff_qingshan, reason=REASON)
    assert resolved_issue_count(organization=qingshan_tongxinhui) == resolved_before

    assignment = answered.assignments.get()
    services.assignment_answer(
        assignment=assignment, actor=handler_huanghu, answer="第三盏路灯的线路已更换，三盏都亮了。"
    )
    answered.refresh_from_db()
    assert answered.state == S.ANSWERED
    assert answered.resolution_text == "第三盏路灯的线路已更换，三盏都亮了。"
    services.issue_confirm_done(issue=answered, actor=village_staff_qingshan)
    services.issue_publish(issue=answered, actor=village_staff_qingshan, title="村口路灯已修好", body="三盏都亮了。")

    # Counted once, as the board lists it, however many times the answer went back and forth.
    assert resolved_issue_count(organization=qingshan_tongxinhui) == resolved_before + 1
    assert resolved_notices(organization=qingshan_tongxinhui).count() == resolved_before + 1


# ---- the pages ------------------------------------------------------------------------------------------------


def _detail(issue: Issue) -> str:
    return reverse("staff_issues:detail", kwargs={"pk": issue.pk})


def test_the_issue_page_offers_the_send_back_beside_the_confirmation_only_while_an_answer_waits(
    client, issue_in_state, village_staff_qingshan, django_assert_max_num_queries
):
    client.force_login(village_staff_qingshan)
    waiting = issue_in_state(S.ANSWERED)
    with django_assert_max_num_queries(25):
        page = client.get(_detail(waiting)).content.decode()
    assert 'data-testid="action-confirm_done"' in page and 'data-testid="action-send_back"' in page
    for state in (S.ASSIGNED, S.HANDLED):
        page = client.get(_detail(issue_in_state(state))).content.decode()
        assert 'data-testid="action-send_back"' not in page


def test_the_secretary_sends_it_back_from_the_issue_page(client, answered, village_staff_qingshan):
    client.force_login(village_staff_qingshan)
    act = reverse("staff_issues:act", kwargs={"pk": answered.pk, "action": A.SEND_BACK})

    refused = client.post(act, {f"{A.SEND_BACK}-reason": ""})
    assert refused.status_code == 400
    assert "请填写退回重办的理由" in refused.content.decode()

    response = client.post(act, {f"{A.SEND_BACK}-reason": REASON}, follow=True)
    page = response.content.decode()
    assert "已退回黄湖镇农业农村办重办" in page
    assert REASON in page
    answered.refresh_from_db()
    assert answered.state == S.ASSIGNED


def test_the_handler_finds_it_in_hand_again_with_the_reason(client, answered, village_staff_qingshan, handler_huanghu):
    services.issue_send_back(issue=answered, actor=village_staff_qingshan, reason=REASON)
    client.force_login(handler_huanghu)

    queue = client.get(reverse("department:queue"), {"tab": "acknowledged"})
    [row] = queue.context["page"].object_list
    assert row.issue_id == answered.pk
    assert REASON in queue.content.decode()
    assert client.get(reverse("department:queue"), {"tab": "answered"}).context["page"].object_list == []

    page = client.get(reverse("department:assignment", kwargs={"pk": row.pk})).content.decode()
    assert 'data-testid="sent-back"' in page and REASON in page
    assert "上次答复" in page and "已更换路灯三盏" in page
    assert 'data-testid="answer-form"' in page


# ---- the submitter's word -------------------------------------------------------------------------------------


def test_the_submitter_says_not_done_and_the_secretary_is_told_while_the_issue_stays(
    client, answered, village_staff_qingshan
):
    url = _track_as_submitter(client, answered)
    page = client.get(url).content.decode()
    assert "确认已办好" in page and "还没办好" in page

    response = client.post(
        reverse("issues:not_done", kwargs={"code": answered.receipt_code}), {"note": "第三盏还是不亮"}, follow=True
    )
    assert "已告诉村里还没办好" in response.content.decode()
    answered.refresh_from_db()
    assert answered.state == S.ANSWERED
    step = answered.transitions.order_by("-id").first()
    assert (step.action, step.is_public, step.comment) == (A.SUBMITTER_NOT_DONE, False, "第三盏还是不亮")

    [told] = _queued(Kind.ISSUE_RATED, user=village_staff_qingshan, channel=Channel.INBOX)
    assert told.subject == "反映人说还没办好：村口路灯不亮"
    assert "第三盏还是不亮" in told.body
    assert told.url == _detail(answered)
    # The villager is not sent news of their own word.
    assert _queued(Kind.ISSUE_PROGRESS, phone=answered.submitter_phone) == []


def test_saying_not_done_twice_tells_the_secretary_once(client, answered, village_staff_qingshan):
    _track_as_submitter(client, answered)
    not_done = reverse("issues:not_done", kwargs={"code": answered.receipt_code})
    client.post(not_done, {"note": ""})
    second = client.post(not_done, {"note": ""}, follow=True)
    assert "您已经告诉村里还没办好" in second.content.decode()
    assert len(_queued(Kind.ISSUE_RATED, user=village_staff_qingshan, channel=Channel.INBOX)) == 1


def test_after_a_new_answer_the_submitter_may_say_not_done_again(answered, village_staff_qingshan, handler_huanghu):
    services.issue_report_not_done_by_submitter(issue=answered)
    services.issue_send_back(issue=answered, actor=village_staff_qingshan, reason=REASON)
    services.assignment_answer(assignment=answered.assignments.get(), actor=handler_huanghu, answer="又修了一次。")
    services.issue_report_not_done_by_submitter(issue=answered)
    assert answered.transitions.filter(action=A.SUBMITTER_NOT_DONE).count() == 2


def test_a_stranger_with_the_code_alone_cannot_say_not_done(client, answered, village_staff_qingshan):
    client.post(reverse("issues:not_done", kwargs={"code": answered.receipt_code}), {"note": "捣乱"})
    assert not answered.transitions.filter(action=A.SUBMITTER_NOT_DONE).exists()
    assert _queued(Kind.ISSUE_RATED, user=village_staff_qingshan) == []


def test_the_not_done_form_is_offered_only_while_an_answer_waits(client, issue_in_state):
    issue = issue_in_state(S.ASSIGNED)
    page = client.get(_track_as_submitter(client, issue)).content.decode()
    assert 'data-testid="not-done"' not in page


def test_the_secretary_is_told_when_the_submitter_confirms_so_she_can_publish(client, answered, village_staff_qingshan):
    _track_as_submitter(client, answered)
    client.post(reverse("issues:confirm_done", kwargs={"code": answered.receipt_code}))

    [told] = _queued(Kind.ISSUE_RATED, user=village_staff_qingshan, channel=Channel.INBOX)
    assert told.subject == "反映人确认已办好：村口路灯不亮"
    assert "请发布结果公示" in told.body
    assert told.url == _detail(answered)


def test_the_secretary_is_not_told_of_her_own_confirmation(answered, village_staff_qingshan):
    services.issue_confirm_done(issue=answered, actor=village_staff_qingshan)
    assert _queued(Kind.ISSUE_RATED, user=village_staff_qingshan) == []
