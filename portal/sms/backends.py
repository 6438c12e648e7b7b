"""SMS backends. A real provider is one more class with the same `send` method, named in settings.SMS_BACKEND.

A provider backend (Aliyun, Tencent Cloud, a carrier's gateway...) reads its credentials from the keyword
arguments of its constructor, which come from settings.SMS_BACKEND_OPTIONS, and raises SmsSendError when
the message is not accepted, so that callers can retry or report it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

from django.utils import timezone

from portal.phones import mask_phone

logger = logging.getLogger("portal.sms")


class SmsSendError(Exception):
    """The provider did not accept the message."""


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> str:
        """Hands one message (signature included) to the provider; returns the provider's message id."""
        ...


class LogBackend:
    """The default: writes each message to the log instead of sending it (a masked number, the whole text).

    The text stands on a line of its own, under the log line's prefix: in the worker's log, where login codes
    are made, a member trying the demo finds their code at a glance.
    """

    def __init__(self, **options: object) -> None:
        self.options = options

    def send(self, *, phone: str, text: str) -> str:
        logger.info("SMS to %s:\n\n    %s\n", mask_phone(phone), text)
        return "logged"


@dataclass(frozen=True)
class SentSms:
    phone: str
    text: str
    sent_at: object = field(default_factory=timezone.now)


# Every message "sent" through MemoryBackend, in order; tests read and clear it, like Django's mail.outbox.
outbox: list[SentSms] = []


class MemoryBackend:
    """For tests: keeps each message in the module-level `outbox` list."""

    def __init__(self, **options: object) -> None:
        self.options = options

    def send(self, *, phone: str, text: str) -> str:
        outbox.append(SentSms(phone=phone, text=text))
        return f"memory-{len(outbox)}"
