"""Fixtures for signing in: an SMS outbox from which tests read the codes members receive."""

from __future__ import annotations

import pytest

from portal.sms import backends as sms_backends


@pytest.fixture
def sms_outbox(settings):
    """Messages "sent" while the test runs, in order (the MemoryBackend's outbox)."""
    settings.SMS_BACKEND = "portal.sms.backends.MemoryBackend"
    sms_backends.outbox.clear()
    yield sms_backends.outbox
    sms_backends.outbox.clear()
