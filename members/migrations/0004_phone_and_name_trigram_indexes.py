"""Trigram indexes for the roster's partial searches: a phone by any run of its digits (LIKE '%0000%') and a
name by part of it (UPPER(name) LIKE '%王%'), which no B-tree index serves. PostgreSQL only; the embedded SQLite
of `make run` scans its few rows. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create
it; on a managed database where the owner may not, an administrator runs CREATE EXTENSION pg_trgm beforehand."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

INDEXES = {
    "members_person_phone_trgm": "members_person USING gin (phone gin_trgm_ops)",
    "members_person_name_trgm": "members_person USING gin (UPPER(name) gin_trgm_ops)",
}


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, target in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("members", "0003_filter_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
