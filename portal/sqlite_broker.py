"""The Celery broker of the embedded default: kombu's SQLAlchemy transport on a SQLite file in the data folder.

A message is a row, written and taken inside a transaction, so no process ever reads one half-written. The
file-system transport it replaces wrote each message as a file that another process could open before the
writer had filled it, and the worker died of the JSONDecodeError; after that nothing was sent.

The web process (the outbox kick), the worker and beat all write to the file: in WAL mode readers never
wait for the writer, and each connection waits for the write lock (busy timeout) instead of failing with
"database is locked". Connections are not pooled: the prefork worker's children are forked from a process
that has used the broker, and a SQLite connection must never cross a fork. A message taken is deleted, so the
file holds only what waits.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from kombu.transport import sqlalchemy as sqlalchemy_transport

# Long enough to outlast any other process's write (milliseconds); short, because a page that kicks the worker
# waits this long at worst (the kick then gives up, and the beat sweep sends the messages).
BUSY_TIMEOUT_SECONDS = 5


class WalConnection(sqlite3.Connection):
    """A SQLite connection in WAL mode that waits for the write lock."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Persistent in the file once set; on every connection it is a cheap no-op.
        self.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL loses no committed message on a crash of the process, only on a power cut.
        self.execute("PRAGMA synchronous = NORMAL")


class Channel(sqlalchemy_transport.Channel):
    def _get(self, queue: str, timeout: float | None = None) -> Any:
        payload = super()._get(queue)
        # kombu marks a message it hands out invisible and never reads it again (an unacknowledged one is put back
        # as a new row): delete it, or the table keeps every message ever sent, which each poll reads through.
        self.session.query(self.message_cls).filter(self.message_cls.visible.is_(False)).delete()
        self.session.commit()
        return payload


class Transport(sqlalchemy_transport.Transport):
    Channel = Channel


# Celery's broker_transport: kombu's SQLAlchemy transport with the channel above.
TRANSPORT = "portal.sqlite_broker:Transport"


def sqlite_broker_url(path: Path) -> str:
    # No "sqla+" prefix: it would choose kombu's own transport over TRANSPORT.
    return f"sqlite:///{path}"


def sqlite_broker_transport_options() -> dict[str, object]:
    """kombu passes these to SQLAlchemy's create_engine."""
    from sqlalchemy.pool import NullPool

    return {
        "connect_args": {"timeout": BUSY_TIMEOUT_SECONDS, "factory": WalConnection},
        "poolclass": NullPool,
    }
