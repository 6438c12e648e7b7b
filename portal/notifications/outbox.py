"""The outbox: every message is a row first, written with the change that caused it, and sent by workers.

- `message_enqueue` writes one row per channel; its idempotency key makes a repeated sweep a no-op. Once
  the transaction commits it kicks a worker through the broker; the kick never holds the request (one
  connection attempt with a short timeout, no retries): when the broker is down the rows wait and the beat
  sweep sends them, except urgent rows (login codes), which this process then sends itself, off the request.
- The sending side (claim, deliver, release) is in `portal.notifications.sending`, run by the tasks.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from portal.accounts.models import User
from portal.notifications.kinds import Channel, channels_for
from portal.notifications.models import ChannelPreference, OutboxMessage, OutboxPriority, OutboxState
from portal.notifications.publishing import publish_once
from portal.notifications.sending import (
    WORKER_LOST_ERROR,
    outbox_claim,
    outbox_deliver,
    outbox_dispatch_once,
    outbox_release_stale,
)
from portal.notifications.tasks import outbox_dispatch

logger = logging.getLogger(__name__)

# The sending side is re-exported: callers think of "the outbox" as one thing.
__all__ = [
    "WORKER_LOST_ERROR",
    "OutboxBatch",
    "Recipient",
    "message_enqueue",
    "oldest_pending_age_seconds",
    "outbox_claim",
    "outbox_deliver",
    "outbox_dispatch_once",
    "outbox_region_move",
    "outbox_release_stale",
    "outbox_report",
    "outbox_retry",
]


@dataclass(frozen=True)
class Recipient:
    """Someone to tell: a user (inbox, email, their phone) or just a phone number (anonymous submitter)."""

    user: User | None = None
    phone: str = ""

    @property
    def label(self) -> str:
        return f"user:{self.user.pk}" if self.user is not None else f"phone:{self.phone}"


@dataclass(frozen=True)
class _Message:
    kind: str
    key: str
    recipient: Recipient
    subject: str
    body: str
    sms: str
    html_body: str
    url: str
    region_path: str
    priority: int
    now: datetime.datetime | None


class OutboxBatch:
    """Messages gathered by a sweep and written together: one query for the recipients' channel choices, one
    insert per thousand rows and one kick, whatever the number of messages. Each message is queued as
    message_enqueue would queue it; keys already taken leave their rows as they are."""

    INSERT_BATCH = 1000

    def __init__(self) -> None:
        self._messages: list[_Message] = []

    def add(
        self,
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
        priority: int = OutboxPriority.NORMAL,
        now: datetime.datetime | None = None,
    ) -> None:
        self._messages.append(
            _Message(kind, key, recipient, subject, body, sms, html_body, url, region_path, priority, now)
        )

    def tell(
        self,
        users: Iterable[User],
        *,
        kind: str,
        key: str,
        subject: str,
        body: str,
        sms: str = "",
        url: str = "",
        now: datetime.datetime | None = None,
    ) -> None:
        """The same message to each of `users` (each user's label is added to the key)."""
        for user in users:
            self.add(
                kind=kind,
                key=key,
                recipient=Recipient(user=user),
                subject=subject,
                body=body,
                sms=sms,
                url=url,
                now=now,
            )

    def write(self) -> list[OutboxMessage]:
        """Writes the rows (call inside the transaction of the change they report); returns the rows offered."""
        messages, self._messages = self._messages, []
        choices = _chosen_channels_of(messages)
        # Due at once, whatever moment the change is dated: sending is a matter of the real clock.
        due = timezone.now()
        rows = [row for message in messages for row in _rows_of(message, choices, due=due)]
        created = OutboxMessage.objects.bulk_create(rows, batch_size=self.INSERT_BATCH, ignore_conflicts=True)
        if rows:
            _kick_after_commit(urgent=any(row.priority > OutboxPriority.NORMAL for row in rows))
        return created


def _chosen_channels_of(messages: list[_Message]) -> dict[tuple[int, str], set[str]]:
    user_ids = {message.recipient.user.pk for message in messages if message.recipient.user is not None}
    if not user_ids:
        return {}
    kinds = {message.kind for message in messages}
    preferences = ChannelPreference.objects.filter(user_id__in=sorted(user_ids), kind__in=sorted(kinds))
    return {
        (user_id, kind): set(channels)
        for user_id, kind, channels in preferences.values_list("user_id", "kind", "channels")
    }


def _rows_of(
    message: _Message, choices: dict[tuple[int, str], set[str]], *, due: datetime.datetime
) -> list[OutboxMessage]:
    recipient = message.recipient
    user, phone = recipient.user, recipient.phone or (recipient.user.phone if recipient.user else "")
    email = user.email if user is not None else ""
    channels = channels_for(message.kind, None if user is None else choices.get((user.pk, message.kind)))
    rows = []
    for channel in sorted(channels):
        if channel == Channel.INBOX and user is None:
            continue
        if channel == Channel.SMS and (not phone or not message.sms):
            continue
        if channel == Channel.EMAIL and not email:
            continue
        rows.append(
            OutboxMessage(
                idempotency_key=f"{message.key}:{recipient.label}:{channel}"[:200],
                kind=message.kind,
                channel=channel,
                user=user,
                phone=phone if channel == Channel.SMS else "",
                email=email if channel == Channel.EMAIL else "",
                subject=message.subject[:120],
                body=message.sms if channel == Channel.SMS else message.body,
                html_body=message.html_body if channel == Channel.EMAIL else "",
                url=message.url,
                region_path=message.region_path,
                priority=message.priority,
                next_attempt_at=due,
                created_at=message.now or due,
            )
        )
    return rows


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
    priority: int = OutboxPriority.NORMAL,
    now: datetime.datetime | None = None,
) -> list[OutboxMessage]:
    """Queues a message for every channel the recipient takes for this kind. Call inside the transaction of
    the change it reports; `key` names the event (e.g. "assignment:12:overdue:2026-11-24") so that the same
    event never produces two messages. `region_path` is the path of the region the message is about (an issue's,
    an activity host's): the admin shows a message to a bare phone number only to the district it lies in.
    Urgent rows (`priority`) are claimed first and sent even while the broker is down. `now` is the moment of
    the change it reports (the service's own `now`), the rows' creation time. A sweep queueing many messages
    gathers them in an OutboxBatch instead."""
    batch = OutboxBatch()
    batch.add(
        kind=kind,
        key=key,
        recipient=recipient,
        subject=subject,
        body=body,
        sms=sms,
        html_body=html_body,
        url=url,
        region_path=region_path,
        priority=priority,
        now=now,
    )
    return batch.write()


# Every kick asked for is numbered; each thread remembers the highest number at its last kick. A commit runs its
# callbacks one after the other in the thread that committed, so once the first of them has kicked, the others
# (numbered before it) skip: a sweep that queues a thousand reminders in one transaction kicks once, not a
# thousand times (each kick is a connection to the broker). A callback dropped with a rolled-back savepoint
# takes nothing with it: the next enqueue registers its own.
_kick_numbers = itertools.count(1)
_kicked = threading.local()


def _kick_after_commit(*, urgent: bool) -> None:
    # robust: whatever the kick meets must not turn a committed change into an error page.
    if urgent:
        transaction.on_commit(_kick_dispatch_urgent, robust=True)
        return
    transaction.on_commit(functools.partial(_kick_unless_kicked_since, next(_kick_numbers)), robust=True)


def _kick_unless_kicked_since(number: int) -> None:
    if getattr(_kicked, "up_to", 0) >= number:
        return
    _kicked.up_to = next(_kick_numbers)
    _kick_dispatch()


def _publish_dispatch() -> None:
    """Asks a worker to send now: one connection attempt, no retries, short socket timeouts (settings)."""
    publish_once(outbox_dispatch)


def _kick_dispatch() -> bool:
    """Kicks a worker; when the broker cannot be reached the rows wait for the beat sweep. True if kicked."""
    try:
        _publish_dispatch()
    except Exception as error:  # the broker is down or unreachable; nothing is lost, the rows are in the table
        logger.warning("outbox kick not published, messages wait for the sweep: %s: %s", type(error).__name__, error)
        return False
    return True


def _kick_dispatch_urgent() -> None:
    """Kicks a worker, or with the broker down sends the urgent rows from here, in a thread: the member at the
    login page gets the code now, and the request that queued it does not wait for the provider."""
    if not _kick_dispatch():
        threading.Thread(target=send_urgent_without_broker, name="outbox-urgent", daemon=True).start()


def send_urgent_without_broker() -> int:
    """Sends the urgent rows that are due, without the broker. Claims skip rows a worker holds, so this can
    run beside workers and beside itself."""
    try:
        return outbox_dispatch_once(limit=50, min_priority=OutboxPriority.URGENT)
    except Exception:
        logger.exception("urgent outbox messages could not be sent without the broker")
        return 0
    finally:
        # This runs in its own thread, with its own database connection: give it back.
        connections.close_all()


def outbox_retry(*, messages: Iterable[OutboxMessage]) -> int:
    """The admin's retry action: failed rows get a fresh set of attempts."""
    ids = [message.pk for message in messages]
    retried = OutboxMessage.objects.filter(pk__in=ids, state=OutboxState.FAILED).update(
        state=OutboxState.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    if retried:
        _kick_after_commit(urgent=False)
    return retried


def outbox_region_move(*, old_path: str, new_path: str) -> int:
    """A place moved in the region tree (orgs.services.region_update, in its transaction): the rows about it or
    about any place under it, pending or sent, take its new path, so that the district it now lies in sees them
    and the one it left no longer does. One UPDATE along the region_path index; returns the rows rewritten."""
    if not old_path or old_path == new_path:
        return 0
    return OutboxMessage.objects.filter(region_path__startswith=old_path).update(
        region_path=Concat(Value(new_path), Substr("region_path", len(old_path) + 1), output_field=CharField())
    )


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
