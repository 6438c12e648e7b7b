"""A real Celery worker, on the real Redis of the test run, picks up what the portal queues."""

import os
import subprocess
import sys
import time

import pytest
from django.core.cache import cache

from portal.tasks import WORKER_HEARTBEAT_KEY, record_worker_heartbeat, worker_heartbeat_age_seconds


@pytest.fixture
def celery_worker_process():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
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
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield worker
    worker.terminate()
    worker.wait(timeout=20)


@pytest.mark.django_db
def test_a_worker_runs_the_heartbeat_and_healthz_reports_its_age(celery_worker_process, client):
    cache.delete(WORKER_HEARTBEAT_KEY)
    assert worker_heartbeat_age_seconds() is None
    record_worker_heartbeat.delay()
    deadline = time.monotonic() + 30
    while worker_heartbeat_age_seconds() is None and time.monotonic() < deadline:
        assert celery_worker_process.poll() is None, celery_worker_process.stderr.read().decode()
        time.sleep(0.2)
    age = worker_heartbeat_age_seconds()
    assert age is not None and age < 30
    body = client.get("/healthz").json()
    assert body["worker_heartbeat_age_seconds"] is not None
