"""The embedded default's worker takes what the web process queues, through a broker that never hands it a
half-written message: kombu's SQLAlchemy transport on SQLite, with a file cache the processes share.

The file-system broker it replaces wrote each message as a file that the worker could read before it was
filled; about 50 minutes into `make run` the worker died of the JSONDecodeError and no SMS went out again.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.embedded.conftest import MAIN_DIR, embedded_env, wait_for
from tests.notifications.slow_sms import sends

SUBMITTER_PHONE = "13912345678"

QUEUE_MESSAGES = """
    import sys
    from django.db import transaction
    from portal.notifications.kinds import Kind
    from portal.notifications.outbox import Recipient, message_enqueue

    prefix, count = sys.argv[1], int(sys.argv[2])
    for number in range(count):
        # One transaction per message, as a page would: each commit kicks the worker through the broker.
        with transaction.atomic():
            message_enqueue(
                kind=Kind.ISSUE_PROGRESS,
                key=f"{prefix}:{number}",
                recipient=Recipient(phone="13912345678"),
                subject="议题已受理",
                body=f"{prefix}-{number}",
                sms=f"{prefix}-{number}",
            )
"""


def test_the_embedded_default_passes_messages_through_sqlite_and_shares_a_file_cache(run_embedded, embedded_data_dir):
    said = run_embedded(
        """
        import json
        from django.conf import settings
        print(json.dumps({
            "broker": settings.CELERY_BROKER_URL,
            "transport": settings.CELERY_BROKER_TRANSPORT,
            "cache": settings.CACHES["default"],
        }))
        """
    )
    configured = json.loads(said.strip().splitlines()[-1])
    assert configured["broker"] == f"sqlite:///{embedded_data_dir / 'broker.sqlite3'}"
    assert configured["transport"] == "portal.sqlite_broker:Transport"
    assert configured["cache"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert configured["cache"]["LOCATION"] == str(embedded_data_dir / "cache")


def test_a_worker_on_the_embedded_broker_sends_what_the_web_process_queues(
    embedded_worker, run_embedded, sms_log, embedded_data_dir
):
    worker = embedded_worker()
    run_embedded(
        """
        from django.db import transaction
        from portal.notifications.kinds import Kind
        from portal.notifications.outbox import Recipient, message_enqueue
        with transaction.atomic():
            message_enqueue(
                kind=Kind.ISSUE_PROGRESS,
                key="issue:1:accepted",
                recipient=Recipient(phone="13912345678"),
                subject="议题已受理",
                body="您反映的议题已受理。",
                sms="您反映的议题已受理。",
            )
        """
    )
    wait_for(lambda: sends(sms_log), process=worker)
    assert sends(sms_log) == [f"sent {SUBMITTER_PHONE} 【同心荟】您反映的议题已受理。"]
    assert (embedded_data_dir / "broker.sqlite3").exists()
    assert not (embedded_data_dir / "broker" / "queue").exists()


def test_the_web_process_sees_the_heartbeat_the_worker_records(embedded_worker, run_embedded):
    worker = embedded_worker()
    run_embedded("from portal.tasks import record_worker_heartbeat\nrecord_worker_heartbeat.delay()\n")

    def age_seen_by_the_web_process() -> float | None:
        said = run_embedded(
            "from portal.tasks import worker_heartbeat_age_seconds\nprint(worker_heartbeat_age_seconds())"
        )
        last_line = said.strip().splitlines()[-1]
        return None if last_line == "None" else float(last_line)

    wait_for(lambda: age_seen_by_the_web_process() is not None, process=worker)
    age = age_seen_by_the_web_process()
    assert age is not None and 0 <= age < 60


def test_three_pages_queueing_at_once_lose_nothing_and_the_worker_keeps_going(
    embedded_worker, embedded_data_dir, sms_log
):
    worker = embedded_worker()
    script = "import django\ndjango.setup()\n" + "\n".join(line[4:] for line in QUEUE_MESSAGES.splitlines())
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", script, f"page{page}", "25"],
            cwd=MAIN_DIR,
            env=embedded_env(embedded_data_dir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for page in range(3)
    ]
    for writer in writers:
        _out, errors = writer.communicate(timeout=300)
        assert writer.returncode == 0, errors.decode()
        assert b"database is locked" not in errors
    wait_for(lambda: len(sends(sms_log)) >= 75, timeout=180, process=worker)
    texts = sorted(line.split(" ", 2)[2] for line in sends(sms_log))
    assert texts == sorted(f"【同心荟】page{page}-{number}" for page in range(3) for number in range(25))
    assert worker.poll() is None
    # What the worker took is gone from the broker: the file does not grow with every message ever sent.
    wait_for(lambda: _broker_rows(embedded_data_dir, "visible = 0") == 0, timeout=30)


def _broker_rows(data_dir: Path, condition: str) -> int:
    with contextlib.closing(sqlite3.connect(data_dir / "broker.sqlite3", timeout=5)) as broker:
        return int(broker.execute(f"SELECT COUNT(*) FROM kombu_message WHERE {condition}").fetchone()[0])  # noqa: S608
