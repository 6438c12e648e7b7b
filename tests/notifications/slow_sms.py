"""An SMS backend for tests that a separate worker process can load: it records each send in a file.

Every call first writes "start <phone>" to the file named by PORTAL_TEST_SMS_LOG, waits
PORTAL_TEST_SMS_DELAY seconds (the provider being slow), and only then "sends": it writes
"sent <phone> <text>". A worker killed during the wait has started but not sent, which the file shows.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def _log(line: str) -> None:
    path = Path(os.environ["PORTAL_TEST_SMS_LOG"])
    with path.open("a", encoding="utf-8") as log:
        log.write(line + "\n")
        log.flush()
        os.fsync(log.fileno())


class SlowBackend:
    def __init__(self, **options: object) -> None:
        self.options = options

    def send(self, *, phone: str, text: str) -> str:
        _log(f"start {phone}")
        time.sleep(float(os.environ.get("PORTAL_TEST_SMS_DELAY", "0")))
        _log(f"sent {phone} {text}")
        return f"slow-{phone}"


def read_log(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def sends(path: Path) -> list[str]:
    return [line for line in read_log(path) if line.startswith("sent ")]


def starts(path: Path) -> list[str]:
    return [line for line in read_log(path) if line.startswith("start ")]
