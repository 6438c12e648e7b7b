"""A worker started with `celery -A portal worker` knows every task the beat schedule names."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from portal.notifications.schedule import DEFAULT_SCHEDULE

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# What a fresh worker process does at start-up: load the Celery app, then discover the tasks of the apps.
WORKER_DISCOVERY = """
import json
import django
django.setup()
from portal.celery import app
app.loader.import_default_modules()
print(json.dumps(sorted(app.tasks)))
"""


def test_a_fresh_worker_discovers_every_scheduled_task():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", WORKER_DISCOVERY],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    known = set(json.loads(result.stdout.strip().splitlines()[-1]))

    assert {entry.task for entry in DEFAULT_SCHEDULE} - known == set()
