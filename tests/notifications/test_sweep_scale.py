"""The outbox sweep sends two hundred due messages with the same queries as ten: one claim, one read of the
claimed rows, the inbox copies in one insert, one update for all that went out."""

from __future__ import annotations

import pytest
from django.utils import timezone

from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import InboxMessage, OutboxMessage, OutboxState
from portal.notifications.tasks import outbox_sweep
from tests.reminders.reminder_helpers import count_queries

ANONYMOUS_PHONE = "13912345678"


def _due(count: int, *, user, start: int = 0) -> None:
    rows = []
    for n in range(start, start + count):
        rows.append(
            OutboxMessage(
                idempotency_key=f"due:{n}:inbox",
                kind=Kind.ISSUE_PROGRESS,
                channel=Channel.INBOX,
                user=user,
                subject=f"议题{n}已受理",
                body="已受理",
                next_attempt_at=timezone.now(),
            )
        )
        rows.append(
            OutboxMessage(
                idempotency_key=f"due:{n}:sms",
                kind=Kind.ISSUE_PROGRESS,
                channel=Channel.SMS,
                phone=ANONYMOUS_PHONE,
                subject=f"议题{n}已受理",
                body=f"议题{n}已受理。",
                next_attempt_at=timezone.now(),
            )
        )
    OutboxMessage.objects.bulk_create(rows)


@pytest.mark.django_db
def test_the_outbox_sweep_costs_the_same_queries_for_10_or_200_due_messages(member_craftsman, sms_outbox):
    _due(5, user=member_craftsman)
    with_ten = count_queries(outbox_sweep)
    _due(100, user=member_craftsman, start=5)
    with_two_hundred = count_queries(outbox_sweep)

    assert with_two_hundred == with_ten
    assert not OutboxMessage.objects.exclude(state=OutboxState.SENT).exists()
    assert InboxMessage.objects.filter(user=member_craftsman).count() == 105
    assert len(sms_outbox) == 105
    inbox_row = OutboxMessage.objects.filter(channel=Channel.INBOX).first()
    assert inbox_row is not None and inbox_row.attempts == 1
    assert inbox_row.provider_id == f"inbox:{inbox_row.inbox_copy.pk}"


@pytest.mark.django_db
def test_a_redelivered_inbox_row_keeps_its_one_copy(member_craftsman, sms_outbox):
    _due(3, user=member_craftsman)
    outbox_sweep()
    # A worker died after writing the copies but before recording them: the rows are handed out again.
    OutboxMessage.objects.update(state=OutboxState.PENDING, next_attempt_at=timezone.now())
    outbox_sweep()
    assert InboxMessage.objects.filter(user=member_craftsman).count() == 3
