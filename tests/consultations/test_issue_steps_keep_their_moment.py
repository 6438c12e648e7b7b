"""A step the services are told happened at a given moment (`now=`: a paper slip entered weeks later, the demo's
history) is dated at that moment wherever it shows: the issue, its photos, each step of its timeline, the
meeting, the hand-over and the answer's files, the rating, and the messages queued with them. Sending still
runs on the real clock: what such a step queues goes out at once."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from consultations import services
from consultations.models import IssueChannel, IssueState, Rating, Transition
from consultations.states import IssueAction
from portal.notifications.kinds import Kind
from portal.notifications.models import OutboxMessage, OutboxState
from portal.notifications.outbox import outbox_dispatch_once

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def beijing(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


# A Monday of last spring, when the secretary took the slip from the village's suggestion box.
SLIP_DAY = beijing(2025, 3, 3, 9, 15)


def _jpeg(name: str) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name=name)


def _stamps(issue) -> dict[str, datetime.datetime]:
    return {transition.action: transition.created_at for transition in Transition.objects.filter(issue=issue)}


def test_a_paper_slip_entered_for_last_spring_is_dated_that_morning_on_the_villagers_page(
    client, qingshan_tongxinhui, village_staff_qingshan
):
    issue = services.issue_submit(
        organization=qingshan_tongxinhui,
        title="村口路灯不亮",
        description="村口到竹林的路灯坏了一个多月，晚上走路看不清。",
        category="infrastructure",
        place="村口",
        submitter_name="王大伯",
        submitter_phone="13912345678",
        phone_visible_to_department=False,
        photos=[_jpeg("意见条.jpg")],
        entered_by=village_staff_qingshan,
        channel=IssueChannel.PAPER,
        now=SLIP_DAY,
    )

    issue.refresh_from_db()
    assert issue.created_at == SLIP_DAY
    assert issue.photos.get().created_at == SLIP_DAY
    assert _stamps(issue) == {IssueAction.SUBMIT: SLIP_DAY}
    client.post("/issues/track/", {"code": issue.receipt_code, "phone_last4": "5678"})
    page = client.get(f"/issues/track/{issue.receipt_code}/").content.decode()
    assert "2025-03-03 09:15" in page, "the submission and its step show the morning of the slip"


def test_the_message_of_a_step_dated_last_spring_is_dated_with_it_and_still_goes_out_now(
    qingshan_tongxinhui, village_staff_qingshan, issue_factory, sms_outbox
):
    issue = issue_factory(now=SLIP_DAY, settle=False)

    message = OutboxMessage.objects.get(kind=Kind.ISSUE_PROGRESS, phone=issue.submitter_phone)
    assert message.created_at == SLIP_DAY
    outbox_dispatch_once()
    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    assert issue.submitter_phone in [sms.phone for sms in sms_outbox]


def test_each_step_the_secretary_and_the_department_record_afterwards_keeps_its_own_day(
    issue_factory, village_staff_qingshan, handler_huanghu, huanghu_water_office
):
    issue = issue_factory(now=SLIP_DAY)
    accepted = SLIP_DAY + DAY
    services.issue_accept(issue=issue, actor=village_staff_qingshan, now=accepted)
    scheduled = accepted + HOUR
    meeting = services.meeting_schedule(
        organization=issue.organization,
        actor=village_staff_qingshan,
        title="三月基层民主协商议事会",
        scheduled_at=beijing(2025, 3, 12, 14),
        recording_past=True,
        place="青山村文化礼堂",
        issues=[issue],
        now=scheduled,
    )
    agreed = beijing(2025, 3, 12, 16, 30)
    services.agenda_record_consensus(
        item=issue.agenda_items.get(),
        actor=village_staff_qingshan,
        consensus_text="由村里统一更换路灯，费用从公益金列支。",
        votes_for=21,
        votes_against=2,
        votes_abstain=1,
        now=agreed,
    )
    assigned = beijing(2025, 3, 13, 10)
    assignment = services.issue_assign(
        issue=issue, actor=village_staff_qingshan, department=huanghu_water_office, now=assigned
    )
    acknowledged = assigned + DAY
    services.assignment_acknowledge(assignment=assignment, actor=handler_huanghu, now=acknowledged)
    answered = beijing(2025, 3, 20, 15)
    services.assignment_answer(
        assignment=assignment,
        actor=handler_huanghu,
        answer="已更换路灯 6 盏。",
        attachments=[(_jpeg("现场照片.jpg"), "现场照片.jpg", "image/jpeg")],
        now=answered,
    )

    meeting.refresh_from_db()
    assignment.refresh_from_db()
    issue.refresh_from_db()
    assert meeting.created_at == scheduled
    assert assignment.assigned_at == assigned
    assert assignment.attachments.get().created_at == answered
    assert _stamps(issue) == {
        IssueAction.SUBMIT: SLIP_DAY,
        IssueAction.ACCEPT: accepted,
        IssueAction.PUT_ON_AGENDA: scheduled,
        IssueAction.RECORD_CONSENSUS: agreed,
        IssueAction.ASSIGN: assigned,
        IssueAction.ACKNOWLEDGE: acknowledged,
        IssueAction.ANSWER: answered,
    }
    told_handler = OutboxMessage.objects.filter(kind=Kind.ASSIGNMENT_NEW, user=handler_huanghu)
    assert set(told_handler.values_list("created_at", flat=True)) == {assigned}
    told_submitter = OutboxMessage.objects.filter(kind=Kind.ISSUE_PROGRESS, phone=issue.submitter_phone)
    assert set(told_submitter.values_list("created_at", flat=True)) <= set(_stamps(issue).values())


def test_a_merge_recorded_afterwards_dates_both_trails_at_the_same_moment(issue_factory, village_staff_qingshan):
    duplicate = issue_factory(now=SLIP_DAY, title="竹林边路灯坏了")
    kept = issue_factory(now=SLIP_DAY + HOUR)
    merged_at = SLIP_DAY + DAY

    services.issue_merge(issue=duplicate, into=kept, actor=village_staff_qingshan, now=merged_at)

    assert _stamps(duplicate)[IssueAction.MERGE] == merged_at
    assert _stamps(kept)[IssueAction.MERGE] == merged_at


def test_closing_after_the_notice_and_the_villagers_rating_carry_the_moments_they_happened(issue_in_state):
    issue = issue_in_state(IssueState.PUBLICIZED)
    notice = issue.notices.get()
    closed_at = notice.ends_at + 2 * HOUR
    rated_at = closed_at + DAY

    services.issue_close_after_notice(issue=issue, now=closed_at)
    feedback = services.feedback_submit(issue=issue, rating=Rating.SATISFIED, comment="路灯亮了", now=rated_at)

    asked = OutboxMessage.objects.filter(kind=Kind.ISSUE_RATE_REQUEST, phone=issue.submitter_phone)
    assert set(asked.values_list("created_at", flat=True)) == {closed_at}
    assert feedback.created_at == rated_at
    stamps = _stamps(issue)
    assert stamps[IssueAction.CLOSE_AFTER_NOTICE] == closed_at
    assert stamps[IssueAction.RATE] == rated_at


def test_a_step_nobody_dates_is_stamped_with_the_real_time(issue_factory, village_staff_qingshan):
    before = timezone.now()
    issue = issue_factory()
    services.issue_accept(issue=issue, actor=village_staff_qingshan)
    after = timezone.now()

    issue.refresh_from_db()
    assert before <= issue.created_at <= after
    assert all(before <= moment <= after for moment in _stamps(issue).values())
