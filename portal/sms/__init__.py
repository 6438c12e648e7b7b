"""The one way the portal sends an SMS: `send_sms(phone=..., text=...)`.

Which provider carries the message is configuration, not code: settings.SMS_BACKEND names a class by its
dotted path, and settings.SMS_BACKEND_OPTIONS (a dict, optional) is passed to its constructor as keyword
arguments. A backend is any class with the method described by `portal.sms.backends.SmsBackend`.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from portal.sms.backends import SmsBackend, SmsSendError

__all__ = ["SMS_MAX_LENGTH", "SmsBackend", "SmsSendError", "get_sms_backend", "send_sms", "sms_text"]

# One SMS holds 70 Chinese characters; longer texts are split and billed as several messages.
SMS_MAX_LENGTH = 70


def get_sms_backend() -> SmsBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    return backend_class(**getattr(settings, "SMS_BACKEND_OPTIONS", {}))


def sms_text(body: str) -> str:
    """The text as the recipient reads it: the signature first, as Chinese carriers require."""
    text = f"{settings.SMS_SIGNATURE}{body}"
    if len(text) > SMS_MAX_LENGTH:
        raise ValueError(f"An SMS must fit in {SMS_MAX_LENGTH} characters, not {len(text)}: {text!r}")
    return text


def send_sms(*, phone: str, text: str) -> str:
    """Sends `text` (without the signature, which is added here) and returns the provider's message id.

    Raises SmsSendError when the provider refuses or cannot be reached.
    """
    return get_sms_backend().send(phone=phone, text=sms_text(text))
