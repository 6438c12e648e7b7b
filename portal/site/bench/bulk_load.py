"""PostgreSQL side of the load: empty the portal's tables, set secondary indexes and foreign keys aside while
COPY runs, build them again, move each sequence past the ids the generator gave and ANALYZE.

Building an index once over a full table is much cheaper than keeping it up to date row by row, and a foreign
key added afterwards is checked by one join instead of one lookup per row. Checks stay in place.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from portal.site.bench.spool import TableSpool

# The apps whose tables hold a province; migrations' own rows (content types, permissions, beat schedules) stay.
PORTAL_APP_LABELS = frozenset(
    {"portal", "accounts", "notifications", "orgs", "members", "consultations", "activities", "site", "admin", "axes"}
)


def portal_tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in PORTAL_APP_LABELS and model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def truncate_portal_tables(connection: BaseDatabaseWrapper) -> None:
    quoted = ", ".join(connection.ops.quote_name(table) for table in portal_tables())
    with connection.cursor() as cursor:
        # Checks deferred to the commit (Django's foreign keys are deferrable) would forbid the TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


@dataclass
class SetAside:
    """The definitions of what was dropped, to be created again in order: unique and plain indexes, then keys."""

    indexes: list[str] = field(default_factory=list)
    constraints: list[tuple[str, str, str]] = field(default_factory=list)  # table, name, definition


def set_aside_indexes(connection: BaseDatabaseWrapper, tables: Sequence[str]) -> SetAside:
    aside = SetAside()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')
            ORDER BY c.contype DESC, c.conname
            """,
            [list(tables)],
        )
        aside.constraints = [(str(table), str(name), str(definition)) for table, name, definition in cursor.fetchall()]
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [list(tables)],
        )
        index_rows = cursor.fetchall()
        aside.indexes = [str(definition) for _name, definition in index_rows]
        # Keys before the unique constraints they might rest on; restored the other way round.
        for table, name, _definition in reversed(aside.constraints):
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in index_rows:
            cursor.execute(f"DROP INDEX {name}")
    return aside


def restore_indexes(connection: BaseDatabaseWrapper, aside: SetAside) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for definition in aside.indexes:
            cursor.execute(definition)
        # Unique constraints first (the list holds them before the foreign keys): keys may rest on them.
        for table, name, definition in aside.constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")


def copy_spool(connection: BaseDatabaseWrapper, spool: TableSpool) -> float:
    """COPY one spooled table; returns the seconds it took."""
    started = time.perf_counter()
    columns = ", ".join(connection.ops.quote_name(column) for column in spool.columns)
    with connection.cursor() as cursor:
        raw: Any = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY {connection.ops.quote_name(spool.table)} ({columns}) FROM STDIN") as copy:
            for block in spool.blocks():
                copy.write(block)
    return time.perf_counter() - started


def reset_sequences(connection: BaseDatabaseWrapper, loaded: Iterable[type[models.Model]]) -> None:
    """Past the ids the generator assigned, so that the portal's own inserts carry on from there."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(loaded))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def analyze(connection: BaseDatabaseWrapper, tables: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
