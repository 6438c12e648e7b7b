"""The sending side of the outbox, run by workers (and, for urgent rows, by the web process when the broker
is down): claim due rows, deliver them, record the outcome, give back the rows of dead workers.

- `outbox_claim` hands due rows to one worker at a time with SELECT … FOR UPDATE SKIP LOCKED and a claim
  token, so two workers never send the same row; urgent rows (login codes) come first.
- `outbox_deliver` sends a claimed row and records the outcome; failures retry with backoff and end
  `failed` after the last attempt, visible in the admin with a retry action.
- `outbox_release_stale` gives rows back when the worker that claimed them died mid-send.
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, F, Value, When
from django.utils import timezone

from portal.notifications.channels import MessageWithheld, deliver, deliver_inbox_batch
from portal.notifications.kinds import Channel
from portal.notifications.models import OutboxMessage, OutboxPriority, OutboxState

logger = logging.getLogger("portal.notifications.outbox")

WORKER_LOST_ERROR = "WorkerLost: the worker sending this message stopped; released after its lease"


def outbox_claim(
    *, limit: int = 50, now: datetime.datetime | None = None, min_priority: int = OutboxPriority.NORMAL
) -> tuple[str, list[int]]:
    """Claims up to `limit` due rows of at least `min_priority`, urgent first; returns the token and the ids."""
    moment = now or timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic():
        due = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            state=OutboxState.PENDING, next_attempt_at__lte=moment
        )
        if min_priority > OutboxPriority.NORMAL:
            due = due.filter(priority__gte=min_priority)
        ids = list(due.order_by("-priority", "next_attempt_at", "id").values_list("pk", flat=True)[:limit])
        if ids:
            OutboxMessage.objects.filter(pk__in=ids, state=OutboxState.PENDING).update(
                state=OutboxState.SENDING, claimed_at=moment, claim_token=token
            )
    return token, ids


def outbox_due_count(*, limit: int, now: datetime.datetime | None = None) -> int:
    """How many rows are due to be sent, counted up to `limit` along the index of due rows (never the backlog)."""
    due = OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now or timezone.now())
    return due.values("pk")[:limit].count()


def _backoff(attempts: int) -> datetime.timedelta:
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return datetime.timedelta(seconds=min(base * 2 ** (attempts - 1), settings.OUTBOX_RETRY_MAX_SECONDS))


def outbox_deliver(*, message_id: int, token: str) -> OutboxState:
    """Sends one claimed row and records the outcome, unless another worker has taken it over."""
    message = OutboxMessage.objects.filter(pk=message_id, state=OutboxState.SENDING, claim_token=token).first()
    if message is None:
        return OutboxState.SENDING
    try:
        provider_id = deliver(message)
    except Exception as error:  # any failure of a channel is recorded and retried
        return _record_failure(message, token=token, error=error)
    _record_sent({message.pk: provider_id}, token=token)
    return OutboxState.SENT


def outbox_deliver_claimed(*, ids: list[int], token: str) -> int:
    """Sends a claimed batch with the same few queries whatever its size: one read of the rows, the inbox
    copies in one insert, one UPDATE for every row that went out. Only a failure costs a query of its own.
    Rows another worker has taken over are left to it. Returns how many were sent."""
    if not ids:
        return 0
    messages = list(
        OutboxMessage.objects.filter(pk__in=ids, state=OutboxState.SENDING, claim_token=token).order_by(
            "-priority", "next_attempt_at", "id"
        )
    )
    inbox = [message for message in messages if message.channel == Channel.INBOX]
    sent: dict[int, str] = {}
    if inbox:
        try:
            sent.update(deliver_inbox_batch(inbox))
        except Exception:  # the batch insert failed as a whole: each copy is tried on its own below
            logger.exception("Inbox copies of %s outbox messages could not be written together", len(inbox))
    for message in messages:
        if message.pk in sent:
            continue
        try:
            sent[message.pk] = deliver(message)
        except Exception as error:  # any failure of a channel is recorded and retried
            _record_failure(message, token=token, error=error)
    return _record_sent(sent, token=token)


def _record_sent(provider_ids: dict[int, str], *, token: str) -> int:
    if not provider_ids:
        return 0
    provider_id = Case(
        *(When(pk=pk, then=Value(str(value or "")[:100])) for pk, value in provider_ids.items()),
        default=Value(""),
        output_field=CharField(),
    )
    return OutboxMessage.objects.filter(pk__in=list(provider_ids), claim_token=token).update(
        state=OutboxState.SENT,
        attempts=F("attempts") + 1,
        sent_at=timezone.now(),
        provider_id=provider_id,
        claim_token="",
    )


def _record_failure(message: OutboxMessage, *, token: str, error: Exception) -> OutboxState:
    if isinstance(error, MessageWithheld):
        OutboxMessage.objects.filter(pk=message.pk, claim_token=token).update(
            state=OutboxState.WITHHELD, attempts=message.attempts + 1, last_error=str(error)[:1000], claim_token=""
        )
        return OutboxState.WITHHELD
    attempts = message.attempts + 1
    final = attempts >= settings.OUTBOX_MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.pk, claim_token=token).update(
        state=OutboxState.FAILED if final else OutboxState.PENDING,
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:1000],
        next_attempt_at=timezone.now() + _backoff(attempts),
        claim_token="",
    )
    logger.warning("Outbox message %s failed (attempt %s): %s", message.pk, attempts, error)
    return OutboxState.FAILED if final else OutboxState.PENDING


def outbox_dispatch_once(*, limit: int = 50, min_priority: int = OutboxPriority.NORMAL) -> int:
    """One round of sending: claim, deliver, report how many went out."""
    return outbox_dispatch_batch(limit=limit, min_priority=min_priority)[1]


def outbox_dispatch_batch(*, limit: int, min_priority: int = OutboxPriority.NORMAL) -> tuple[int, int]:
    """One round of sending; returns how many rows were claimed (a full batch means more may wait) and sent."""
    token, ids = outbox_claim(limit=limit, min_priority=min_priority)
    return len(ids), outbox_deliver_claimed(ids=ids, token=token)


def outbox_release_stale(*, now: datetime.datetime | None = None) -> int:
    """Rows claimed longer ago than the lease belong to a worker that died: they go back to pending.

    The lost send counts as an attempt, so a message that kills its worker every time (a poison message)
    ends `failed` in the admin after OUTBOX_MAX_ATTEMPTS instead of taking workers down forever.
    """
    moment = now or timezone.now()
    lease = datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    # Every expression of one UPDATE reads the row as it was, so `attempts` here is the count before this one.
    last_attempt = settings.OUTBOX_MAX_ATTEMPTS - 1
    gives_up = When(attempts__gte=last_attempt, then=Value(OutboxState.FAILED))
    return OutboxMessage.objects.filter(state=OutboxState.SENDING, claimed_at__lt=moment - lease).update(
        state=Case(gives_up, default=Value(OutboxState.PENDING)),
        attempts=F("attempts") + 1,
        last_error=WORKER_LOST_ERROR,
        claim_token="",
        next_attempt_at=moment,
    )
