"""Fixtures of the notification tests: an SMS outbox in memory, a superuser, real Celery workers, real Redis."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from portal.accounts.models import User
from portal.fail_open_cache import FailOpenRedisCache
from portal.sms import backends as sms_backends

SLOW_SMS_BACKEND = "tests.notifications.slow_sms.SlowBackend"
MAIN_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def sms_outbox(settings):
    """Messages "sent" in this process during the test (MemoryBackend), in order."""
    settings.SMS_BACKEND = "portal.sms.backends.MemoryBackend"
    sms_backends.outbox.clear()
    yield sms_backends.outbox
    sms_backends.outbox.clear()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(username="root", password="correct-horse-42", email="root@example.org")


@pytest.fixture
def broker_unreachable():
    """Celery sends to a broker nobody listens on; fresh connection pools so the address is really used."""
    from portal.celery import app

    # The ignores: celery-stubs do not declare the private connection pools this fixture resets.
    saved = (app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool)  # type: ignore[attr-defined]
    app.conf["broker_url"] = "redis://127.0.0.1:1/0"
    app.conf.task_always_eager = False
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]
    yield
    if app._pool is not None:  # type: ignore[attr-defined]
        app._pool.force_close_all()  # type: ignore[attr-defined]
    broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool = saved  # type: ignore[attr-defined]
    app.conf["broker_url"] = broker_url


@pytest.fixture
def sms_log(tmp_path, monkeypatch):
    """The file the slow SMS backend writes to, shared by this process and the workers it starts."""
    path = tmp_path / "sms.log"
    monkeypatch.setenv("PORTAL_TEST_SMS_LOG", str(path))
    monkeypatch.setenv("PORTAL_TEST_SMS_DELAY", "0")
    return path


def _test_database_url() -> str:
    """The worker must use the test database pytest-django created, not the one DATABASE_URL names."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def start_worker(sms_log):
    """start_worker(sms_delay=0) -> a real Celery worker process on the test run's Redis and test database."""
    started: list[subprocess.Popen] = []

    def start(*, sms_delay: float = 0) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": _test_database_url(),
            "SMS_BACKEND": SLOW_SMS_BACKEND,
            "PORTAL_TEST_SMS_LOG": str(sms_log),
            "PORTAL_TEST_SMS_DELAY": str(sms_delay),
        }
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "--loglevel=WARNING",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],
            env=env,
            cwd=MAIN_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def wait_until(condition, *, timeout: float = 60, interval: float = 0.1, worker: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if worker is not None and worker.poll() is not None:
            said = worker.stderr.read().decode(errors="replace") if worker.stderr else ""
            raise AssertionError(f"the worker exited: {said}")
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {condition}")


class RealRedis:
    """The Redis server of the test run (tests/harness/servers.py), which a test may stop and start again."""

    def __init__(self) -> None:
        self.command = shlex.split(os.environ["PORTAL_TEST_REDIS_COMMAND"])
        self.pidfile = Path(os.environ["PORTAL_TEST_REDIS_PIDFILE"])
        self.port = int(self.command[self.command.index("--port") + 1])

    def accepts_connections(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        os.kill(int(self.pidfile.read_text().strip()), signal.SIGTERM)
        wait_until(lambda: not self.accepts_connections(), timeout=20)

    def start(self) -> None:
        if self.accepts_connections():
            return
        with contextlib.suppress(FileNotFoundError):
            self.pidfile.unlink()
        subprocess.run(self.command, check=True, stdout=subprocess.DEVNULL)
        wait_until(self.accepts_connections, timeout=20)
        # The cache would otherwise skip Redis for a few more seconds after the outage.
        FailOpenRedisCache.retry_now()


@pytest.fixture
def real_redis():
    redis = RealRedis()
    assert redis.accepts_connections(), "the harness's Redis should be running at the start of the test"
    yield redis
    # Later tests need their broker and cache whatever happened here.
    redis.start()
