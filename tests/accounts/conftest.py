"""Fixtures for signing in: an SMS outbox from which tests read the codes members receive."""

from __future__ import annotations

import pytest

from portal.sms import backends as sms_backends


@pytest.fixture
def sms_outbox(settings):
    """Messages "sent" while the test runs, in order (the MemoryBackend's outbox). Codes go through the outbox
    and a worker: here Celery runs the worker's task at once, in the test's process."""
    from portal.celery import app

    settings.SMS_BACKEND = "portal.sms.backends.MemoryBackend"
    sms_backends.outbox.clear()
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield sms_backends.outbox
    app.conf.task_always_eager = was_eager
    sms_backends.outbox.clear()
