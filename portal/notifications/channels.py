"""How one outbox row reaches its recipient, per channel. Each returns a provider id (or "")."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from portal.accounts.login_code_sending import login_code_sms_compose
from portal.notifications.kinds import Channel, Kind
from portal.private_pages import private_pages_touch_users
from portal.sms import send_sms

if TYPE_CHECKING:
    from portal.notifications.models import OutboxMessage


def _absolute(url: str) -> str:
    return f"{settings.PORTAL_SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def deliver_inbox(message: OutboxMessage, *, now: datetime.datetime | None = None) -> str:
    """The copy in the user's inbox, dated when it arrives (`now`, the real time unless told)."""
    from portal.notifications.models import InboxMessage

    copy, _created = InboxMessage.objects.get_or_create(
        source=message,
        defaults={
            "user_id": message.user_id,
            "kind": message.kind,
            "title": message.subject,
            "body": message.body,
            "url": message.url,
            "created_at": now or timezone.now(),
        },
    )
    if _created:
        private_pages_touch_users([copy.user_id])  # the header's unread count and the inbox page show it at once
    return f"inbox:{copy.pk}"


def deliver_inbox_batch(messages: list[OutboxMessage]) -> dict[int, str]:
    """The inbox copies of many rows in one insert and one read, as deliver_inbox would write them one by one:
    a copy already there (a redelivery after a crash) is kept. Returns the provider id of each row."""
    from portal.notifications.models import InboxMessage

    now = timezone.now()
    InboxMessage.objects.bulk_create(
        [
            InboxMessage(
                source=message,
                user_id=message.user_id,
                kind=message.kind,
                title=message.subject,
                body=message.body,
                url=message.url,
                created_at=now,
            )
            for message in messages
            if message.user_id is not None  # an inbox row without its user fails on its own, in deliver_inbox
        ],
        ignore_conflicts=True,
    )
    private_pages_touch_users({message.user_id for message in messages if message.user_id is not None})
    copies = InboxMessage.objects.filter(source__in=[message.pk for message in messages]).values_list("source", "pk")
    return {source: f"inbox:{pk}" for source, pk in copies}


def deliver_email(message: OutboxMessage) -> str:
    body = message.body
    # Bodies from the email templates (portal/notifications/emails.py) already end with the link.
    if message.url and _absolute(message.url) not in body:
        body = f"{body}\n\n{_absolute(message.url)}"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.email],
        headers={"X-Portal-Message": message.idempotency_key[:200]},
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    email.send(fail_silently=False)
    return ""


class MessageWithheld(Exception):
    """Raised when the text of a message, written at the moment of sending, says it must not go out."""


# Kinds whose SMS text is written at the moment of sending, not stored in the row: a login code never rests
# in the outbox in clear, and only the number of a member receives one (decided off the request, so that the
# login page does the same work for every number). The composer returns None to withhold the message.
COMPOSED_AT_SENDING: dict[str, Callable[[OutboxMessage], str | None]] = {
    Kind.LOGIN_CODE: login_code_sms_compose,
}


def deliver_sms(message: OutboxMessage) -> str:
    compose = COMPOSED_AT_SENDING.get(message.kind)
    if compose is None:
        return send_sms(phone=message.phone, text=message.body)
    text = compose(message)
    if text is None:
        raise MessageWithheld(f"{message.get_kind_display()}: not sent to this number")
    return send_sms(phone=message.phone, text=text)


DELIVERERS: dict[Channel, Callable[[OutboxMessage], str]] = {
    Channel.INBOX: deliver_inbox,
    Channel.EMAIL: deliver_email,
    Channel.SMS: deliver_sms,
}


def deliver(message: OutboxMessage) -> str:
    return DELIVERERS[Channel(message.channel)](message)
