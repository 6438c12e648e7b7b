"""A dispatch sends two hundred due messages with the same queries as ten: one claim, one read of the claimed
rows, the inbox copies in one insert, one update for all that went out. Beat's sweep sends nothing itself: it
starts a dispatch per batch of due rows, so a morning's burst is shared by every worker."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from portal.celery import app
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import InboxMessage, OutboxMessage, OutboxState
from portal.notifications.tasks import DISPATCH_BATCH, outbox_dispatch, outbox_sweep
from tests.notifications.conftest import wait_until
from tests.notifications.slow_sms import sends
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
def test_a_dispatch_costs_the_same_queries_for_10_or_200_due_messages(member_craftsman, sms_outbox):
    _due(5, user=member_craftsman)
    with_ten = count_queries(outbox_dispatch)
    _due(100, user=member_craftsman, start=5)
    with_two_hundred = count_queries(outbox_dispatch)

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
    outbox_dispatch()
    # A worker died after writing the copies but before recording them: the rows are handed out again.
    OutboxMessage.objects.update(state=OutboxState.PENDING, next_attempt_at=timezone.now())
    outbox_dispatch()
    assert InboxMessage.objects.filter(user=member_craftsman).count() == 3


def _tasks(*, eager: bool):
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = was_eager


@pytest.fixture
def tasks_to_the_broker():
    yield from _tasks(eager=False)


@pytest.fixture
def tasks_run_here():
    yield from _tasks(eager=True)


@pytest.mark.django_db(transaction=True)
def test_the_sweep_hands_a_burst_to_the_workers_with_the_same_queries_for_10_or_2000_due_messages(
    member_craftsman,
    tasks_to_the_broker,
    start_worker,
    sms_log,
):
    _due(5, user=member_craftsman)
    with_ten = count_queries(outbox_sweep)
    _due(1000, user=member_craftsman, start=5)
    with_two_thousand = count_queries(outbox_sweep)
    assert with_two_thousand == with_ten
    assert OutboxMessage.objects.filter(state=OutboxState.PENDING).count() == 2010  # nothing sent by the sweep

    worker = start_worker()
    wait_until(lambda: not OutboxMessage.objects.exclude(state=OutboxState.SENT).exists(), worker=worker)
    assert InboxMessage.objects.filter(user=member_craftsman).count() == 1005
    assert len(sends(sms_log)) == 1005


@pytest.mark.django_db
def test_the_sweep_finds_nothing_to_hand_out_when_nothing_is_due(member_craftsman, sms_outbox):
    _due(3, user=member_craftsman)
    OutboxMessage.objects.update(next_attempt_at=timezone.now() + datetime.timedelta(minutes=5))  # retrying later
    assert outbox_sweep() == 0
    assert not OutboxMessage.objects.exclude(state=OutboxState.PENDING).exists()


@pytest.mark.django_db
def test_the_sweep_starts_dispatches_that_send_every_due_row(member_craftsman, sms_outbox, tasks_run_here):
    _due(DISPATCH_BATCH, user=member_craftsman)  # two rows each
    found = outbox_sweep()  # the dispatches it starts run in this process here
    assert found == 2 * DISPATCH_BATCH
    assert not OutboxMessage.objects.exclude(state=OutboxState.SENT).exists()
