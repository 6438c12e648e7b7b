"""Urgent messages (login codes) are claimed before everything else and go out even while the broker is down;
the kick that asks a worker to send never holds the request that queued the message."""

from __future__ import annotations

import logging
import re
import time

import pytest
from django.db import transaction

from portal.accounts.login_codes import login_code_request
from portal.accounts.models import LoginCode
from portal.notifications.kinds import Kind
from portal.notifications.models import OutboxMessage, OutboxPriority, OutboxState
from portal.notifications.outbox import Recipient, message_enqueue, outbox_claim, outbox_dispatch_once
from tests.notifications.conftest import wait_until

MEMBER_PHONE = "13800001111"
UNKNOWN_PHONE = "13911112222"


def _progress(number: int) -> None:
    message_enqueue(
        kind=Kind.ISSUE_PROGRESS,
        key=f"issue:{number}:accepted",
        recipient=Recipient(phone="13912345678"),
        subject=f"议题{number}已受理",
        body="您反映的议题已受理。",
        sms="您反映的议题已受理。",
    )


@pytest.fixture
def unreachable_broker(sms_outbox):
    """Celery publishes to an address nobody listens on, and does not run tasks in the test's process."""
    from portal.celery import app

    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    # Fresh connection pools, so that the kick really meets the new address (the outbox keeps its connection).
    pools = (app._pool, app.amqp._producer_pool)  # type: ignore[attr-defined]
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    app._pool = app.amqp._producer_pool = None  # type: ignore[attr-defined]
    yield sms_outbox
    if app._pool is not None:  # type: ignore[attr-defined]
        app._pool.force_close_all()  # type: ignore[attr-defined]
    app.conf.update(saved)
    app._pool, app.amqp._producer_pool = pools  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_login_code_is_claimed_before_messages_that_waited_longer(member_craftsman, sms_outbox):
    for number in range(1, 4):
        _progress(number)
    login_code_request(phone=MEMBER_PHONE, ip="10.0.0.1")

    _token, first = outbox_claim(limit=1)
    assert OutboxMessage.objects.get(pk=first[0]).kind == Kind.LOGIN_CODE
    _token, rest = outbox_claim(limit=10)
    assert {OutboxMessage.objects.get(pk=pk).kind for pk in rest} == {Kind.ISSUE_PROGRESS}


@pytest.mark.django_db
def test_the_outbox_never_holds_a_login_code_in_clear(member_craftsman, sms_outbox):
    login_code_request(phone=MEMBER_PHONE, ip="10.0.0.1")
    outbox_dispatch_once()
    text = sms_outbox[0].text
    row = OutboxMessage.objects.get(kind=Kind.LOGIN_CODE)
    assert row.state == OutboxState.SENT
    assert row.priority == OutboxPriority.URGENT
    assert re.search(r"\d{6}", text)
    assert re.search(r"\d{6}", row.body) is None


@pytest.mark.django_db
def test_a_code_asked_for_a_number_of_nobody_is_withheld_by_the_worker(db, sms_outbox):
    login_code_request(phone=UNKNOWN_PHONE, ip="10.0.0.1")
    assert outbox_dispatch_once() == 0
    assert sms_outbox == []
    assert OutboxMessage.objects.get(kind=Kind.LOGIN_CODE).state == OutboxState.WITHHELD
    assert LoginCode.objects.get(phone=UNKNOWN_PHONE).code_hash == ""


@pytest.mark.django_db
@pytest.mark.any_hour
def test_a_code_that_expired_while_waiting_is_not_sent(member_craftsman, sms_outbox, settings):
    settings.LOGIN_CODE_TTL_SECONDS = 0
    login_code_request(phone=MEMBER_PHONE, ip="10.0.0.1")
    outbox_dispatch_once()
    assert sms_outbox == []
    assert OutboxMessage.objects.get(kind=Kind.LOGIN_CODE).state == OutboxState.WITHHELD


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_code_goes_out_at_once_and_other_messages_wait(
    member_craftsman, unreachable_broker, caplog
):
    with transaction.atomic():
        _progress(1)
    with caplog.at_level(logging.WARNING, logger="portal.notifications.outbox"):
        started = time.monotonic()
        with transaction.atomic():
            login_code_request(phone=MEMBER_PHONE, ip="10.0.0.1")
        took = time.monotonic() - started
    assert took < 1.0, f"the request waited {took:.1f} s on the broker"
    assert any("kick not published" in record.getMessage() for record in caplog.records)

    wait_until(lambda: unreachable_broker, timeout=10)
    assert [message.phone for message in unreachable_broker] == [MEMBER_PHONE]
    assert OutboxMessage.objects.get(kind=Kind.LOGIN_CODE).state == OutboxState.SENT
    assert OutboxMessage.objects.get(kind=Kind.ISSUE_PROGRESS).state == OutboxState.PENDING


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_a_step_does_not_wait_on_it(member_craftsman, unreachable_broker):
    started = time.monotonic()
    with transaction.atomic():
        _progress(1)
    assert time.monotonic() - started < 1.0
    assert OutboxMessage.objects.get().state == OutboxState.PENDING
