"""At the end of a notice period the issue is archived and its submitter asked, once, to rate the result."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from consultations.models import Issue, PublicNotice
from consultations.reminders import notices_close_and_request_rating
from consultations.states import IssueState
from portal.notifications.kinds import Channel, Kind
from portal.sms import sms_text
from tests.reminders.reminder_helpers import count_queries, inbox_recipients, notice_copies, outbox

pytestmark = pytest.mark.any_hour


def notice_ended(issue: Issue) -> PublicNotice:
    notice = issue.notices.get()
    PublicNotice.objects.filter(pk=notice.pk).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    return notice


def test_an_ended_notice_closes_the_issue_and_asks_the_submitter_to_rate_once(issue_in_state):
    issue = issue_in_state("publicized", submitter_phone="13912345678")
    notice = notice_ended(issue)

    assert notices_close_and_request_rating(now=timezone.now()) == 1
    assert notices_close_and_request_rating(now=timezone.now()) == 0

    issue.refresh_from_db()
    assert issue.state == IssueState.CLOSED
    request = outbox(Kind.ISSUE_RATE_REQUEST).get()  # anonymous: SMS only
    assert request.channel == Channel.SMS
    assert request.phone == "13912345678"
    assert request.idempotency_key.startswith(f"issue:{issue.pk}:rate:{notice.pk}:")
    assert request.url == f"/issues/track/{issue.receipt_code}/"
    assert f"/issues/track/{issue.receipt_code}/" in request.body


def test_a_member_submitter_is_asked_in_the_inbox_too(issue_in_state, member_craftsman):
    issue = issue_in_state("publicized", submitter_user=member_craftsman, submitter_phone=member_craftsman.phone)
    notice_ended(issue)

    notices_close_and_request_rating(now=timezone.now())

    assert inbox_recipients(Kind.ISSUE_RATE_REQUEST) == {member_craftsman.username}
    assert outbox(Kind.ISSUE_RATE_REQUEST, channel=Channel.SMS).get().phone == member_craftsman.phone


def test_a_running_notice_is_left_alone(issue_in_state):
    issue = issue_in_state("publicized")

    notices_close_and_request_rating(now=timezone.now())

    issue.refresh_from_db()
    assert issue.state == IssueState.PUBLICIZED
    assert not outbox(Kind.ISSUE_RATE_REQUEST).exists()


def test_with_a_long_site_address_the_sms_carries_the_receipt_code_instead_of_the_link(issue_in_state, settings):
    settings.PORTAL_SITE_URL = "https://tongxinhui.yuhang.hangzhou.gov.cn"
    issue = issue_in_state("publicized")
    notice_ended(issue)

    notices_close_and_request_rating(now=timezone.now())

    request = outbox(Kind.ISSUE_RATE_REQUEST, channel=Channel.SMS).get()
    assert issue.receipt_code in request.body
    assert "http" not in request.body
    sms_text(request.body)


def test_notice_sweep_queries_do_not_grow_with_running_notices(issue_in_state):
    first = issue_in_state("publicized")
    second = issue_in_state("publicized")
    running = first.notices.get()
    notice_copies(running, 5)
    notice_ended(first)

    with_few = count_queries(lambda: notices_close_and_request_rating(now=timezone.now()))
    notice_copies(running, 95)
    notice_ended(second)
    with_many = count_queries(lambda: notices_close_and_request_rating(now=timezone.now()))

    assert with_many == with_few
    assert outbox(Kind.ISSUE_RATE_REQUEST).count() == 2


def test_a_result_published_again_after_reopening_waits_for_its_new_notice_and_blocks_nobody(
    issue_in_state, drive_issue, village_staff_qingshan
):
    from consultations import services
    from consultations.models import Rating

    republished = issue_in_state("publicized", title="村口路灯不亮")
    notice_ended(republished)
    notices_close_and_request_rating(now=timezone.now())
    services.feedback_submit(issue=republished, rating=Rating.UNSATISFIED)
    services.issue_reopen(issue=republished, actor=village_staff_qingshan, reason="路灯又坏了")
    drive_issue(republished, "publicized")  # a new result, its notice running; the first one ended long ago
    due = issue_in_state("publicized", title="水渠堵了")
    notice_ended(due)

    # One at a time, the oldest first: the republished issue must not be taken up (and refused) again and again.
    assert notices_close_and_request_rating(now=timezone.now(), limit=1) == 1
    republished.refresh_from_db()
    due.refresh_from_db()
    assert republished.state == IssueState.PUBLICIZED
    assert due.state == IssueState.CLOSED
