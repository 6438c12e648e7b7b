"""Real Celery workers on the real Redis of the test run: killed in the middle of a send, and a broker that is
down while villagers submit issues and staff act on them."""

from __future__ import annotations

import signal
import time

import pytest
from django.db import transaction

from consultations import services
from consultations.messages import submitter_sms_for
from consultations.models import Issue, IssueCategory
from consultations.states import IssueState
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import OutboxMessage, OutboxState
from portal.notifications.outbox import Recipient, message_enqueue, outbox_dispatch_once, outbox_release_stale
from portal.notifications.tasks import outbox_dispatch
from tests.notifications.conftest import SLOW_SMS_BACKEND, wait_until
from tests.notifications.slow_sms import sends, starts

SUBMITTER_PHONE = "13912345678"


def _tell_submitter(issue: Issue) -> None:
    """What the consultation services will do once they queue through the outbox: one message per public step,
    written in the transaction of the step."""
    transition = issue.transitions.order_by("-id").first()
    assert transition is not None
    message_enqueue(
        kind=Kind.ISSUE_PROGRESS,
        key=f"issue:{issue.pk}:transition:{transition.pk}",
        recipient=Recipient(phone=issue.submitter_phone),
        subject=f"议题进展：{issue.title}",
        body=submitter_sms_for(transition),
        sms=submitter_sms_for(transition),
    )


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_loses_nothing_and_sends_once(tree, start_worker, sms_log, settings):
    settings.SMS_BACKEND = SLOW_SMS_BACKEND
    settings.OUTBOX_LEASE_SECONDS = 1
    worker = start_worker(sms_delay=120)
    # Committing queues the row and kicks the worker through Redis.
    with transaction.atomic():
        message_enqueue(
            kind=Kind.ISSUE_PROGRESS,
            key="issue:1:accepted",
            recipient=Recipient(phone=SUBMITTER_PHONE),
            subject="议题已受理",
            body="您反映的议题已受理。",
            sms="您反映的议题已受理。",
        )

    # The worker has handed the message to the (slow) provider, which has not sent it yet: kill it now.
    wait_until(lambda: starts(sms_log), worker=worker)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=20)
    assert sends(sms_log) == []
    message = OutboxMessage.objects.get()
    assert message.state == OutboxState.SENDING

    # The lease runs out; the sweep gives the row back and the next round sends it.
    time.sleep(1.2)
    assert outbox_release_stale() == 1
    assert outbox_dispatch_once() == 1
    assert outbox_dispatch_once() == 0
    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    assert sends(sms_log) == [f"sent {SUBMITTER_PHONE} 【同心荟】您反映的议题已受理。"]


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_transitions_succeed_and_messages_go_out_once_it_is_back(
    qingshan_tongxinhui, village_staff_qingshan, real_redis, start_worker, sms_log
):
    real_redis.stop()
    try:
        with transaction.atomic():
            issue = services.issue_submit(
                organization=qingshan_tongxinhui,
                title="村口路灯不亮",
                description="路灯坏了一个多月。",
                category=IssueCategory.INFRASTRUCTURE,
                place="村口",
                submitter_name="王大伯",
                submitter_phone=SUBMITTER_PHONE,
                phone_visible_to_department=False,
            )
            _tell_submitter(issue)
        with transaction.atomic():
            services.issue_accept(issue=issue, actor=village_staff_qingshan)
            _tell_submitter(issue)

        issue.refresh_from_db()
        assert issue.state == IssueState.ACCEPTED
        waiting = OutboxMessage.objects.filter(channel=Channel.SMS, phone=SUBMITTER_PHONE)
        assert sorted(waiting.values_list("state", flat=True)) == [OutboxState.PENDING, OutboxState.PENDING]
    finally:
        real_redis.start()

    worker = start_worker()
    outbox_dispatch.delay()
    wait_until(lambda: not OutboxMessage.objects.exclude(state=OutboxState.SENT).exists(), worker=worker)
    texts = [line.split(" ", 2)[2] for line in sends(sms_log)]
    assert len(texts) == 2
    assert any("已收到" in text and issue.receipt_code in text for text in texts)
    assert any("已受理" in text and issue.receipt_code in text for text in texts)
