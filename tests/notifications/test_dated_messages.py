"""A message queued for a step dated in the past (`now=`) is dated with the step, and is sent at once all the
same; its inbox copy is dated when it arrives, or at the moment the delivery is told (the demo's history)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from portal.notifications.channels import deliver_inbox
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import InboxMessage, OutboxMessage, OutboxState
from portal.notifications.outbox import Recipient, message_enqueue, outbox_dispatch_once

pytestmark = pytest.mark.django_db

LAST_SPRING = timezone.make_aware(datetime.datetime(2025, 3, 3, 9, 15))


def _tell(user, *, now: datetime.datetime | None = None) -> OutboxMessage:
    """The inbox row of a progress message to `user`, as stored."""
    message_enqueue(
        kind=Kind.ISSUE_PROGRESS,
        key="issue:1:transition:1",
        recipient=Recipient(user=user),
        subject="您反映的议题已受理",
        body="您反映的“村口路灯不亮”已受理。",
        now=now,
    )
    return OutboxMessage.objects.get(user=user, channel=Channel.INBOX)


def test_the_secretary_reads_a_message_of_last_spring_dated_last_spring_in_her_inbox(client, village_staff_qingshan):
    message = _tell(village_staff_qingshan, now=LAST_SPRING)
    assert message.created_at == LAST_SPRING

    deliver_inbox(message, now=message.created_at)

    assert InboxMessage.objects.get(source=message).created_at == LAST_SPRING
    client.force_login(village_staff_qingshan)
    assert "2025-03-03 09:15" in client.get("/inbox/").content.decode()


def test_a_message_dated_in_the_past_is_due_at_once_and_its_copy_arrives_at_the_real_time(village_staff_qingshan):
    message = _tell(village_staff_qingshan, now=LAST_SPRING)
    before = timezone.now()

    assert outbox_dispatch_once() == 1

    after = timezone.now()
    message.refresh_from_db()
    assert message.state == OutboxState.SENT
    assert message.created_at == LAST_SPRING
    assert before <= InboxMessage.objects.get(source=message).created_at <= after


def test_a_message_nobody_dates_is_dated_when_it_is_queued(village_staff_qingshan):
    before = timezone.now()
    message = _tell(village_staff_qingshan)
    after = timezone.now()

    assert before <= message.created_at <= after
