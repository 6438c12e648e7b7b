"""The outbox: every message is a row first, written with the change that caused it, and sent by workers.

- `message_enqueue` writes one row per channel; its idempotency key makes a repeated sweep a no-op.
- `outbox_claim` hands due rows to one worker at a time with SELECT … FOR UPDATE SKIP LOCKED and a claim
  token, so two workers never send the same row.
- `outbox_deliver` sends a claimed row and records the outcome; failures retry with backoff and end
  `failed` after the last attempt, visible in the admin with a retry action.
- `outbox_release_stale` gives rows back when the worker that claimed them died mid-send.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from portal.accounts.models import User
from portal.notifications.channels import deliver
from portal.notifications.kinds import Channel, channels_for
from portal.notifications.models import ChannelPreference, OutboxMessage, OutboxState

logger = logging.getLogger(__name__)

WORKER_LOST_ERROR = "WorkerLost: the worker sending this message stopped; released after its lease"


@dataclass(frozen=True)
class Recipient:
    """Someone to tell: a user (inbox, email, their phone) or just a phone number (anonymous submitter)."""

    user: User | None = None
    phone: str = ""

    @property
    def label(self) -> str:
        return f"user:{self.user.pk}" if self.user is not None else f"phone:{self.phone}"


def _chosen_channels(user: User | None, kind: str) -> set[str] | None:
    if user is None:
        return None
    preference = ChannelPreference.objects.filter(user=user, kind=kind).first()
    return None if preference is None else set(preference.channels)


def message_enqueue(
    *,
    kind: str,
    key: str,
    recipient: Recipient,
    subject: str,
    body: str,
    sms: str = "",
    html_body: str = "",
    url: str = "",
    region_path: str = "",
) -> list[OutboxMessage]:
    """Queues a message for every channel the recipient takes for this kind. Call inside the transaction of
    the change it reports; `key` names the event (e.g. "assignment:12:overdue:2026-11-24") so that the same
    event never produces two messages. `region_path` is the path of the region the message is about (an issue's,
    an activity host's): the admin shows a message to a bare phone number only to the district it lies in."""
    user, phone = recipient.user, recipient.phone or (recipient.user.phone if recipient.user else "")
    email = user.email if user is not None else ""
    channels = channels_for(kind, _chosen_channels(user, kind))
    now = timezone.now()
    rows = []
    for channel in sorted(channels):
        if channel == Channel.INBOX and user is None:
            continue
        if channel == Channel.SMS and (not phone or not sms):
            continue
        if channel == Channel.EMAIL and not email:
            continue
        rows.append(
            OutboxMessage(
                idempotency_key=f"{key}:{recipient.label}:{channel}"[:200],
                kind=kind,
                channel=channel,
                user=user,
                phone=phone if channel == Channel.SMS else "",
                email=email if channel == Channel.EMAIL else "",
                subject=subject[:120],
                body=sms if channel == Channel.SMS else body,
                html_body=html_body if channel == Channel.EMAIL else "",
                url=url,
                region_path=region_path,
                next_attempt_at=now,
            )
        )
    created = OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        _kick_dispatch_after_commit()
    return created


def _kick_dispatch_after_commit() -> None:
    """One kick per transaction, however many messages it queued: a sweep of fifty reminders is one task.

    A kick already waiting counts only if it belongs to this transaction: registered at the current savepoint
    or an enclosing one (a kick left behind by a released savepoint of an outer, never-committed block —
    as in tests — must not swallow this one)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        active = set(connection.savepoint_ids)
        for sids, func, _robust in connection.run_on_commit:
            if func is _kick_dispatch and set(sids) <= active:
                return
    # robust: a broker that is down must not turn a committed change into an error page.
    transaction.on_commit(_kick_dispatch, robust=True)


def _kick_dispatch() -> None:
    """Asks a worker to send now; if the broker is down the beat sweep sends the rows later.

    No publish retries: the rows are safe in the database, and the sweep is the retry, so a request whose
    broker is down pays one refused connection, not a second of retries.
    """
    from portal.notifications.tasks import outbox_dispatch

    outbox_dispatch.apply_async(retry=False)


def outbox_claim(*, limit: int = 50, now: datetime.datetime | None = None) -> tuple[str, list[int]]:
    """Claims up to `limit` due rows for this worker; returns the claim token and the claimed ids."""
    moment = now or timezone.now()
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(state=OutboxState.PENDING, next_attempt_at__lte=moment)
            .order_by("next_attempt_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            OutboxMessage.objects.filter(pk__in=ids, state=OutboxState.PENDING).update(
                state=OutboxState.SENDING, claimed_at=moment, claim_token=token
            )
    return token, ids


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
    OutboxMessage.objects.filter(pk=message.pk, claim_token=token).update(
        state=OutboxState.SENT,
        attempts=message.attempts + 1,
        sent_at=timezone.now(),
        provider_id=str(provider_id or "")[:100],
        claim_token="",
    )
    return OutboxState.SENT


def outbox_dispatch_once(*, limit: int = 50) -> int:
    """One round of sending: claim, deliver, report how many went out."""
    token, ids = outbox_claim(limit=limit)
    return sum(1 for message_id in ids if outbox_deliver(message_id=message_id, token=token) == OutboxState.SENT)


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


def outbox_retry(*, messages: Iterable[OutboxMessage]) -> int:
    """The admin's retry action: failed rows get a fresh set of attempts."""
    ids = [message.pk for message in messages]
    retried = OutboxMessage.objects.filter(pk__in=ids, state=OutboxState.FAILED).update(
        state=OutboxState.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    if retried:
        _kick_dispatch_after_commit()
    return retried


def oldest_pending_age_seconds(*, now: datetime.datetime | None = None) -> float | None:
    """Age of the oldest message not yet sent (waiting or in a worker's hands), or None when none waits."""
    # One indexed lookup per state (outbox_state_time): an IN over both states would sort every waiting row.
    oldest = [
        created_at
        for state in (OutboxState.PENDING, OutboxState.SENDING)
        if (created_at := _oldest_created_at(state)) is not None
    ]
    if not oldest:
        return None
    return round(((now or timezone.now()) - min(oldest)).total_seconds(), 1)


def _oldest_created_at(state: OutboxState) -> datetime.datetime | None:
    return OutboxMessage.objects.filter(state=state).order_by("created_at").values_list("created_at", flat=True).first()


def outbox_report(*, now: datetime.datetime | None = None) -> dict[str, float | int | None]:
    """What /healthz shows of the outbox: how long the oldest message has waited, how many wait, how many failed."""
    return {
        "oldest_pending_age_seconds": oldest_pending_age_seconds(now=now),
        "pending": OutboxMessage.objects.filter(state=OutboxState.PENDING).count(),
        "failed": OutboxMessage.objects.filter(state=OutboxState.FAILED).count(),
    }
