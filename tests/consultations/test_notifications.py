"""The submitter hears of every public step by one short SMS with the receipt code, and only once it happened."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.db import transaction
from django.utils import timezone

from consultations import services
from consultations.models import PublicNotice, Rating
from consultations.states import IssueAction
from portal.notifications.outbox import outbox_dispatch_once
from portal.sms import SMS_MAX_LENGTH
from tests.notifications.conftest import broker_unreachable  # noqa: F401 (a fixture)

A = IssueAction
pytestmark = pytest.mark.django_db(transaction=True)

# The longest title the form allows: the SMS must still fit in one message.
LONG_TITLE = (
    "青山村村口至竹林茶园的机耕路年久失修雨天泥泞村民出行和茶叶运输都很困难"
    "希望尽快硬化路面并加装路灯和护栏确保安全通行方便生产"
)[:60]


def _step(action, issue, *, staff, handler, department):
    """Takes `action` on `issue` through its service."""
    if action == A.ACCEPT:
        services.issue_accept(issue=issue, actor=staff)
    elif action == A.REJECT:
        services.issue_reject(issue=issue, actor=staff, reason="不在议事范围")
    elif action == A.PUT_ON_AGENDA:
        meeting = services.meeting_schedule(
            organization=issue.organization,
            actor=staff,
            title="月度协商议事会",
            scheduled_at=timezone.now(),
            recording_past=True,
            place="文化礼堂",
        )
        services.meeting_add_issue(meeting=meeting, issue=issue, actor=staff)
    elif action == A.RECORD_CONSENSUS:
        services.agenda_record_consensus(
            item=issue.agenda_items.get(),
            actor=staff,
            consensus_text="硬化路面",
            votes_for=20,
            votes_against=1,
            votes_abstain=0,
        )
    elif action in (A.NO_CONSENSUS_REQUEUE, A.NO_CONSENSUS_CLOSE):
        services.agenda_record_no_consensus(
            item=issue.agenda_items.get(), actor=staff, note="分歧较大", close=action == A.NO_CONSENSUS_CLOSE
        )
    elif action == A.RESOLVE_IN_VILLAGE:
        services.issue_resolve_in_village(issue=issue, actor=staff, resolution="村民投工投劳修好了")
    elif action == A.ASSIGN:
        services.issue_assign(issue=issue, actor=staff, department=department)
    elif action == A.ACKNOWLEDGE:
        services.assignment_acknowledge(assignment=issue.assignments.get(), actor=handler)
    elif action == A.ANSWER:
        services.assignment_answer(assignment=issue.assignments.get(), actor=handler, answer="已列入年度计划")
    elif action == A.RETURN:
        services.assignment_return(assignment=issue.assignments.get(), actor=handler, reason="请报区交通局")
    elif action == A.INTERIM_REPLY:
        services.assignment_interim_reply(
            assignment=issue.assignments.get(),
            actor=handler,
            reply="已列入计划",
            promised_on=timezone.localdate() + datetime.timedelta(days=15),
        )
    elif action == A.CONFIRM_DONE:
        services.issue_confirm_done(issue=issue, actor=staff)
    elif action == A.PUBLISH:
        services.issue_publish(issue=issue, actor=staff, title="机耕路硬化", body="已完成硬化。")
    elif action == A.CLOSE_AFTER_NOTICE:
        PublicNotice.objects.filter(issue=issue).update(ends_at=timezone.now() - datetime.timedelta(seconds=1))
        services.issue_close_after_notice(issue=issue)
    elif action == A.REOPEN:
        services.feedback_submit(issue=issue, rating=Rating.UNSATISFIED, comment="路面又坏了")
        services.issue_reopen(issue=issue, actor=staff, reason="反映人不满意")
    elif action == A.MEETING_CANCEL:
        services.meeting_cancel(meeting=issue.agenda_items.get().meeting, actor=staff, reason="台风预警，延期召开")
    else:
        raise AssertionError(action)


# (state the issue starts in, action, words the submitter reads)
PUBLIC_STEPS = [
    ("submitted", A.ACCEPT, "已受理"),
    ("submitted", A.REJECT, "未予受理"),
    ("accepted", A.PUT_ON_AGENDA, "议事会议程"),
    ("deliberating", A.RECORD_CONSENSUS, "形成共识"),
    ("deliberating", A.NO_CONSENSUS_REQUEUE, "下次议事会再议"),
    ("deliberating", A.NO_CONSENSUS_CLOSE, "协商结束"),
    ("agreed", A.RESOLVE_IN_VILLAGE, "村内解决"),
    ("agreed", A.ASSIGN, "职能部门办理"),
    ("assigned", A.ACKNOWLEDGE, "已签收"),
    ("assigned", A.ANSWER, "部门已答复办结"),
    ("assigned", A.INTERIM_REPLY, "正在办理"),
    ("answered", A.CONFIRM_DONE, "已确认办结"),
    ("assigned", A.RETURN, "退回"),
    ("handled", A.PUBLISH, "已公示"),
    ("publicized", A.CLOSE_AFTER_NOTICE, "请评价"),
    ("closed", A.REOPEN, "重新受理"),
    ("deliberating", A.MEETING_CANCEL, "原定议事会取消"),
]


def _assert_one_short_sms_with_the_code(outbox, issue, settings, words):
    assert len(outbox) == 1, [message.text for message in outbox]
    message = outbox[0]
    assert message.phone == issue.submitter_phone
    assert issue.receipt_code in message.text
    assert words in message.text
    assert message.text.startswith(settings.SMS_SIGNATURE)
    assert len(message.text) <= SMS_MAX_LENGTH


def test_submitting_sends_the_receipt_code(issue_factory, sms_outbox, settings):
    issue = issue_factory(title=LONG_TITLE, settle=False)
    outbox_dispatch_once()
    _assert_one_short_sms_with_the_code(sms_outbox, issue, settings, "回执码")
    assert LONG_TITLE[:7] + "…" in sms_outbox[0].text, "a long title is shortened, not the message split"


@pytest.mark.parametrize(("state", "action", "words"), PUBLIC_STEPS, ids=[a.value for _s, a, _w in PUBLIC_STEPS])
def test_each_public_step_sends_the_submitter_one_short_sms(
    issue_in_state,
    sms_outbox,
    settings,
    village_staff_qingshan,
    handler_huanghu,
    huanghu_water_office,
    state,
    action,
    words,
):
    issue = issue_in_state(state, title=LONG_TITLE)
    sms_outbox.clear()
    _step(action, issue, staff=village_staff_qingshan, handler=handler_huanghu, department=huanghu_water_office)
    _assert_one_short_sms_with_the_code(sms_outbox, issue, settings, words)


def test_merging_sends_one_sms_to_each_submitter(issue_factory, village_staff_qingshan, sms_outbox, settings):
    duplicate = issue_factory(title=LONG_TITLE, submitter_phone="13700000001")
    original = issue_factory(title=LONG_TITLE, submitter_phone="13700000002")
    sms_outbox.clear()
    services.issue_merge(issue=duplicate, into=original, actor=village_staff_qingshan)
    told = {message.phone: message.text for message in sms_outbox}
    assert len(sms_outbox) == 2 and set(told) == {"13700000001", "13700000002"}
    assert duplicate.receipt_code in told["13700000001"] and original.receipt_code in told["13700000002"]
    assert all(len(message.text) <= SMS_MAX_LENGTH for message in sms_outbox)


def test_rating_the_result_sends_no_sms(issue_in_state, sms_outbox):
    issue = issue_in_state("publicized")
    sms_outbox.clear()
    services.feedback_submit(issue=issue, rating=Rating.SATISFIED, comment="很满意")
    assert sms_outbox == []


def test_the_sms_is_sent_only_after_the_commit(issue_factory, village_staff_qingshan, sms_outbox):
    issue = issue_factory()
    sms_outbox.clear()
    with transaction.atomic():
        services.issue_accept(issue=issue, actor=village_staff_qingshan)
        assert sms_outbox == [], "nothing is sent while the step may still be undone"
    assert len(sms_outbox) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(issue_factory, village_staff_qingshan, sms_outbox):
    issue = issue_factory()
    sms_outbox.clear()

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        services.issue_accept(issue=issue, actor=village_staff_qingshan)
        raise Undone
    issue.refresh_from_db()
    assert issue.state == "submitted"
    assert sms_outbox == []


@pytest.fixture
def unreachable_broker(sms_outbox, broker_unreachable):  # noqa: F811
    """Messages "sent" while Celery sends to a broker nobody listens on."""
    yield sms_outbox


def test_a_step_succeeds_when_the_broker_is_down(issue_factory, village_staff_qingshan, unreachable_broker, caplog):
    issue = issue_factory()
    caplog.clear()
    # The outbox logs the refused kick itself, as a warning: the rows wait for the sweep, nothing is lost.
    with caplog.at_level(logging.WARNING, logger="portal.notifications.outbox"):
        services.issue_accept(issue=issue, actor=village_staff_qingshan)
    issue.refresh_from_db()
    assert issue.state == "accepted"
    assert issue.transitions.filter(action=A.ACCEPT).count() == 1
    assert unreachable_broker == [], "the message could not be queued"
    assert any("kick not published" in record.getMessage() for record in caplog.records), "the failure is logged"
