"""The embedded default — what `make run` runs with no configuration: SQLite, a file cache and the SQLite broker.

The suite runs on PostgreSQL and Redis, so these tests run the embedded default in subprocesses with the local
settings, no DATABASE_URL or REDIS_URL, and a data folder of their own (PORTAL_DATA_DIR), migrated once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

MAIN_DIR = Path(__file__).resolve().parents[2]


def embedded_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return {**env, "DJANGO_SETTINGS_MODULE": "portal.settings.local", "PORTAL_DATA_DIR": str(data_dir), **extra}


def manage(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=MAIN_DIR,
        env=embedded_env(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


@pytest.fixture(scope="session")
def migrated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the portal's SQLite database migrated and the beat schedule installed."""
    data_dir = tmp_path_factory.mktemp("embedded-data")
    manage(data_dir, "migrate", "--noinput")
    manage(data_dir, "schedule_install")
    return data_dir


@pytest.fixture
def embedded_data_dir(migrated_data_dir: Path, tmp_path: Path) -> Path:
    """A copy of the migrated data folder for one test: its own database, broker and cache."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "portal.sqlite3").write_bytes((migrated_data_dir / "portal.sqlite3").read_bytes())
    return data_dir


@pytest.fixture
def run_embedded(embedded_data_dir: Path) -> Callable[..., str]:
    """run_embedded(code, **env) runs Python code as a process of the embedded portal and returns what it printed."""

    def run(code: str, **extra_env: str) -> str:
        script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=MAIN_DIR,
            env=embedded_env(embedded_data_dir, **extra_env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    return run


@pytest.fixture
def sms_log(tmp_path: Path) -> Path:
    """Where tests.notifications.slow_sms.SlowBackend writes what the embedded worker sends."""
    return tmp_path / "sms.log"


@pytest.fixture
def embedded_worker(embedded_data_dir: Path, sms_log: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """embedded_worker() starts a real Celery worker (prefork, as `make run` does) on the SQLite broker."""
    started: list[subprocess.Popen[bytes]] = []

    def start(*, concurrency: int = 2) -> subprocess.Popen[bytes]:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--loglevel=WARNING",
                f"--concurrency={concurrency}",
            ],
            cwd=MAIN_DIR,
            env=embedded_env(
                embedded_data_dir,
                SMS_BACKEND="tests.notifications.slow_sms.SlowBackend",
                PORTAL_TEST_SMS_LOG=str(sms_log),
                PORTAL_TEST_SMS_DELAY="0",
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            process_group=0,
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        stop_process_group(worker)


def stop_process_group(process: subprocess.Popen[Any], *, timeout: float = 20) -> None:
    """Stops a process started in its own group, and whatever is left of its group."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def wait_for(
    condition: Callable[[], object], *, timeout: float = 60, process: subprocess.Popen | None = None
) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            said = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise AssertionError(f"the process exited with {process.returncode}: {said}")
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {condition}")
