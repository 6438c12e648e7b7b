"""Fixtures of the outage tests: the real Redis of the test run taken down, an SMS outbox in memory, and a
clock for the requests a villager would give up on."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from portal.celery import app
from portal.sms import backends as sms_backends
from tests.activities.conftest import activity_factory  # noqa: F401 (a fixture)
from tests.consultations.conftest import issue_factory  # noqa: F401 (a fixture)
from tests.notifications.conftest import RealRedis, real_redis, sms_log, start_worker  # noqa: F401 (fixtures)

# A villager on a weak signal waits a few seconds at most; this bound is generous next to a healthy page.
PATIENCE_SECONDS = 2.0


@pytest.fixture
def sms_outbox(settings) -> Iterator[list]:
    """What this process "sent" (MemoryBackend); tasks go through the real broker, not run in the test."""
    settings.SMS_BACKEND = "portal.sms.backends.MemoryBackend"
    sms_backends.outbox.clear()
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield sms_backends.outbox
    app.conf.task_always_eager = was_eager
    sms_backends.outbox.clear()


@pytest.fixture
def redis_down(real_redis: RealRedis, sms_outbox) -> Iterator[RealRedis]:  # noqa: F811
    """The test's Redis is stopped for the body of the test, and running again afterwards."""
    real_redis.stop()
    try:
        yield real_redis
    finally:
        real_redis.start()


class PatientVisitor:
    """A test client that fails any request answering 5xx or taking longer than a villager would wait."""

    def __init__(self, client: Client | None = None, *, ip: str = "10.20.30.40") -> None:
        self.client = client or Client()
        self.ip = ip
        self.seen: list[tuple[str, str, int, float]] = []

    def _timed(self, method: str, path: str, call: Callable[[], Any]) -> Any:
        started = time.monotonic()
        response = call()
        took = time.monotonic() - started
        self.seen.append((method, path, response.status_code, took))
        assert response.status_code < 500, f"{method} {path} answered {response.status_code}"
        assert took < PATIENCE_SECONDS, f"{method} {path} took {took:.1f} s"
        return response

    def get(self, path: str, **extra: Any) -> Any:
        return self._timed("GET", path, lambda: self.client.get(path, REMOTE_ADDR=self.ip, **extra))

    def post(self, path: str, data: dict[str, str] | None = None, **extra: Any) -> Any:
        return self._timed("POST", path, lambda: self.client.post(path, data or {}, REMOTE_ADDR=self.ip, **extra))


@pytest.fixture
def visitor() -> Callable[..., PatientVisitor]:
    return PatientVisitor
