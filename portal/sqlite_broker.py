"""The Celery broker of the embedded default: kombu's SQLAlchemy transport on a SQLite file in the data folder.

A message is a row, written and taken inside a transaction, so no process ever reads one half-written. The
file-system transport it replaces wrote each message as a file that another process could open before the
writer had filled it, and the worker died of the JSONDecodeError; after that nothing was sent.

The web process (the outbox kick), the worker and beat all write to the file: in WAL mode readers never
wait for the writer, and each connection waits for the write lock (busy timeout) instead of failing with
"database is locked". Connections are not pooled: the prefork worker's children are forked from a process
that has used the broker, and a SQLite connection must never cross a fork.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

# Long enough to outlast any other process's write (a few milliseconds), short enough to surface a stuck one.
BUSY_TIMEOUT_SECONDS = 30


class WalConnection(sqlite3.Connection):
    """A SQLite connection in WAL mode that waits for the write lock."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The timeout argument also sets this; said again so a connection made with timeout=0 still waits.
        self.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        # Persistent in the file once set; on every connection it is a cheap no-op.
        self.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL loses no committed message on a crash of the process, only on a power cut.
        self.execute("PRAGMA synchronous = NORMAL")


def sqlite_broker_url(path: Path) -> str:
    return f"sqla+sqlite:///{path}"


def sqlite_broker_transport_options() -> dict[str, object]:
    """kombu passes these to SQLAlchemy's create_engine."""
    from sqlalchemy.pool import NullPool

    return {
        "connect_args": {"timeout": BUSY_TIMEOUT_SECONDS, "factory": WalConnection},
        "poolclass": NullPool,
    }
