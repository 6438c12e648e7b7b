"""The outbox's promises: one row per event and channel, each message sent once, failures retried then
kept failed, rows of a dead worker handed out again, and sweeps that touch only the rows that are due."""

from __future__ import annotations

import contextlib
import datetime
import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import ChannelPreference, InboxMessage, OutboxMessage, OutboxState
from portal.notifications.outbox import (
    Recipient,
    message_enqueue,
    outbox_claim,
    outbox_deliver,
    outbox_dispatch_once,
    outbox_release_stale,
)
from portal.sms import SmsSendError

ANONYMOUS_PHONE = "13912345678"


class FailingBackend:
    """A provider that refuses every message."""

    def __init__(self, **options: object) -> None:
        pass

    def send(self, *, phone: str, text: str) -> str:
        raise SmsSendError("provider said no：余额不足")


def enqueue_progress(recipient: Recipient, number: int = 1, **extra) -> list[OutboxMessage]:
    return message_enqueue(
        kind=Kind.ISSUE_PROGRESS,
        key=f"issue:{number}:accepted",
        recipient=recipient,
        subject=f"议题{number}已受理",
        body=f"您反映的议题{number}已受理，将提交议事会协商。",
        sms=f"您反映的议题{number}已受理。",
        url=f"/issues/track/{number:08d}/",
        **extra,
    )


def rows_of(**filters) -> list[tuple[str, str]]:
    return sorted(OutboxMessage.objects.filter(**filters).values_list("channel", "state"))


# ---- enqueue ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_enqueueing_the_same_event_twice_leaves_one_row_per_channel(member_craftsman):
    enqueue_progress(Recipient(user=member_craftsman))
    enqueue_progress(Recipient(user=member_craftsman))
    assert rows_of() == [(Channel.INBOX, "pending"), (Channel.SMS, "pending")]


@pytest.mark.django_db
def test_a_user_who_turned_sms_off_gets_only_the_inbox_copy(member_craftsman):
    ChannelPreference.objects.create(user=member_craftsman, kind=Kind.ISSUE_PROGRESS, channels=[Channel.INBOX])
    enqueue_progress(Recipient(user=member_craftsman))
    assert rows_of() == [(Channel.INBOX, "pending")]


@pytest.mark.django_db
def test_a_handler_who_turned_everything_off_still_gets_required_channels(handler_huanghu):
    handler_huanghu.phone = "13700003333"
    handler_huanghu.save(update_fields=["phone"])
    ChannelPreference.objects.create(user=handler_huanghu, kind=Kind.ASSIGNMENT_NEW, channels=[])
    message_enqueue(
        kind=Kind.ASSIGNMENT_NEW,
        key="assignment:1:new",
        recipient=Recipient(user=handler_huanghu),
        subject="新的交办",
        body="请办理。",
        sms="您有一件新的交办议题，请登录门户办理。",
    )
    assert rows_of() == [(Channel.INBOX, "pending"), (Channel.SMS, "pending")]


@pytest.mark.django_db
def test_email_goes_out_only_to_users_with_an_address(village_staff_qingshan):
    def triage(key: str) -> None:
        message_enqueue(
            kind=Kind.TRIAGE_WAITING,
            key=key,
            recipient=Recipient(user=village_staff_qingshan),
            subject="有议题待受理",
            body="请受理。",
        )

    triage("triage:1")
    assert rows_of(idempotency_key__startswith="triage:1:") == [(Channel.INBOX, "pending")]
    village_staff_qingshan.email = "lijuan@example.org"
    village_staff_qingshan.save(update_fields=["email"])
    triage("triage:2")
    assert rows_of(idempotency_key__startswith="triage:2:") == [(Channel.EMAIL, "pending"), (Channel.INBOX, "pending")]


@pytest.mark.django_db
def test_an_sms_row_needs_a_phone_and_an_sms_text(tree, member_craftsman):
    enqueue_progress(Recipient(phone=ANONYMOUS_PHONE))
    assert rows_of() == [(Channel.SMS, "pending")]
    assert OutboxMessage.objects.get().phone == ANONYMOUS_PHONE

    message_enqueue(
        kind=Kind.ISSUE_PROGRESS,
        key="no-sms-text",
        recipient=Recipient(user=member_craftsman),
        subject="议题已受理",
        body="正文",
    )
    assert rows_of(idempotency_key__startswith="no-sms-text") == [(Channel.INBOX, "pending")]

    member_craftsman.phone = ""
    member_craftsman.save(update_fields=["phone"])
    enqueue_progress(Recipient(user=member_craftsman), number=2)
    assert rows_of(idempotency_key__startswith="issue:2:") == [(Channel.INBOX, "pending")]


# ---- sending once ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_dispatching_twice_sends_each_message_once(member_craftsman, sms_outbox):
    for number in range(1, 4):
        enqueue_progress(Recipient(user=member_craftsman), number=number)
    assert outbox_dispatch_once() == 6
    assert outbox_dispatch_once() == 0
    assert len(sms_outbox) == 3
    assert sorted(sms.text for sms in sms_outbox) == sorted(f"【同心荟】您反映的议题{n}已受理。" for n in (1, 2, 3))
    assert InboxMessage.objects.filter(user=member_craftsman).count() == 3
    assert set(OutboxMessage.objects.values_list("state", "attempts")) == {(OutboxState.SENT, 1)}


@pytest.mark.django_db(transaction=True)
def test_two_workers_dispatching_at_the_same_moment_send_each_message_once(member_craftsman, sms_outbox):
    for number in range(1, 21):
        enqueue_progress(Recipient(user=member_craftsman), number=number)
    barrier = threading.Barrier(2)
    sent: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            sent.append(outbox_dispatch_once(limit=50))
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sum(sent) == 40
    assert len(sms_outbox) == 20
    assert len({sms.text for sms in sms_outbox}) == 20
    assert InboxMessage.objects.count() == 20
    assert OutboxMessage.objects.exclude(state=OutboxState.SENT).count() == 0


# ---- failures -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_sms_is_retried_with_growing_waits_then_stays_failed(tree, settings):
    settings.SMS_BACKEND = f"{__name__}.FailingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 4
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    enqueue_progress(Recipient(phone=ANONYMOUS_PHONE))
    message = OutboxMessage.objects.get()
    waits = []
    for attempt in range(1, 5):
        before = timezone.now()
        assert outbox_dispatch_once() == 0
        message.refresh_from_db()
        assert message.attempts == attempt
        assert "余额不足" in message.last_error
        waits.append(round((message.next_attempt_at - before).total_seconds() / 60))
        # Not due before its wait is over: a sweep now leaves it alone.
        assert outbox_dispatch_once() == 0
        assert OutboxMessage.objects.get().attempts == attempt
        # Time passes.
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert waits[:3] == [1, 2, 4]
    message.refresh_from_db()
    assert message.state == OutboxState.FAILED
    assert outbox_dispatch_once() == 0
    assert OutboxMessage.objects.get().attempts == 4


# ---- a worker that dies ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rows_claimed_by_a_worker_that_died_are_sent_once_after_the_lease(tree, sms_outbox, settings):
    settings.OUTBOX_LEASE_SECONDS = 300
    for number in range(1, 4):
        enqueue_progress(Recipient(phone=f"1391234567{number}"), number=number)
    _token, claimed = outbox_claim(limit=10)
    assert len(claimed) == 3
    # The worker dies here, before delivering anything.
    assert outbox_dispatch_once() == 0, "claimed rows are not handed to a second worker"
    assert outbox_release_stale() == 0, "within the lease the claim still stands"

    later = timezone.now() + datetime.timedelta(seconds=301)
    assert outbox_release_stale(now=later) == 3
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox_dispatch_once() == 3
    assert outbox_dispatch_once() == 0
    assert sorted(sms.phone for sms in sms_outbox) == ["13912345671", "13912345672", "13912345673"]


@pytest.mark.django_db
def test_a_late_worker_cannot_record_a_row_another_worker_took_over(tree, sms_outbox):
    enqueue_progress(Recipient(phone=ANONYMOUS_PHONE))
    stale_token, [message_id] = outbox_claim()
    outbox_release_stale(now=timezone.now() + datetime.timedelta(hours=1))
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox_dispatch_once() == 1
    assert outbox_deliver(message_id=message_id, token=stale_token) == OutboxState.SENDING
    assert len(sms_outbox) == 1


@pytest.mark.django_db
def test_a_message_that_kills_every_worker_ends_failed(tree, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    enqueue_progress(Recipient(phone=ANONYMOUS_PHONE))
    for _death in range(2):
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        _token, claimed = outbox_claim()
        assert len(claimed) == 1
        outbox_release_stale(now=timezone.now() + datetime.timedelta(hours=1))
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts) == (OutboxState.FAILED, 2)
    assert "WorkerLost" in message.last_error


# ---- sweeps touch only due rows ---------------------------------------------------------------------------------


def _not_due_rows(count: int, start: int = 0) -> None:
    later = timezone.now() + datetime.timedelta(hours=1)
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            idempotency_key=f"later:{n}",
            kind=Kind.ISSUE_PROGRESS,
            channel=Channel.SMS,
            phone=ANONYMOUS_PHONE,
            subject="稍后",
            body="稍后",
            next_attempt_at=later,
        )
        for n in range(start, start + count)
    )


def _due_rows(count: int, start: int = 0) -> None:
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            idempotency_key=f"due:{n}",
            kind=Kind.ISSUE_PROGRESS,
            channel=Channel.SMS,
            phone=ANONYMOUS_PHONE,
            subject="到期",
            body="到期",
            next_attempt_at=timezone.now(),
        )
        for n in range(start, start + count)
    )


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


@pytest.mark.django_db
def test_a_sweep_costs_the_same_queries_with_5_or_500_rows_not_yet_due(tree, sms_outbox):
    _not_due_rows(5)
    with_five = _queries(outbox_dispatch_once)
    _not_due_rows(495, start=5)
    with_five_hundred = _queries(outbox_dispatch_once)
    assert with_five == with_five_hundred
    assert sms_outbox == []


@pytest.mark.django_db
def test_claiming_10_or_40_due_rows_takes_the_same_few_queries(tree):
    _not_due_rows(200)
    _due_rows(10)
    with_ten = _queries(lambda: outbox_claim(limit=50))
    OutboxMessage.objects.filter(state=OutboxState.SENDING).delete()
    _due_rows(40, start=10)
    with_forty = _queries(lambda: outbox_claim(limit=50))
    assert with_ten == with_forty <= 4
    assert OutboxMessage.objects.filter(state=OutboxState.SENDING).count() == 40


@pytest.mark.django_db
def test_the_claim_finds_due_rows_through_the_due_index(tree):
    _not_due_rows(3000)
    _due_rows(5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_outboxmessage")
    plan = (
        OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("-priority", "next_attempt_at", "id")
        .values_list("pk", flat=True)[:50]
        .explain()
    )
    assert "outbox_due" in plan, plan


@pytest.mark.django_db(transaction=True)
def test_messages_ask_the_broker_once_per_transaction_and_only_once_it_commits(member_craftsman, monkeypatch):
    kicks = []
    monkeypatch.setattr("portal.notifications.outbox._kick_dispatch", lambda: kicks.append(1))
    with transaction.atomic():
        for number in range(1, 6):
            enqueue_progress(Recipient(user=member_craftsman), number=number)
        assert kicks == [], "no worker is asked before the messages are committed"
    assert kicks == [1], "five messages of one transaction ask a worker once"

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        enqueue_progress(Recipient(user=member_craftsman), number=9)
        raise Undone
    assert kicks == [1], "a rolled-back message asks nothing"

    with transaction.atomic():
        with contextlib.suppress(Undone), transaction.atomic():
            enqueue_progress(Recipient(user=member_craftsman), number=10)
            raise Undone
        enqueue_progress(Recipient(user=member_craftsman), number=11)
    assert kicks == [1, 1], "a message after a rolled-back savepoint still asks a worker"
    enqueue_progress(Recipient(user=member_craftsman), number=12)
    assert kicks == [1, 1, 1], "outside a transaction each message asks at once"
