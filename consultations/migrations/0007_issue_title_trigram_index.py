"""A trigram index for the queue's search by part of a title (UPPER(title) LIKE '%路灯%'), which no B-tree index
serves. PostgreSQL only; see members/migrations/0004 for the pg_trgm extension on a managed database."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS consultations_issue_title_trgm ON consultations_issue "
        "USING gin (UPPER(title) gin_trgm_ops)"
    )


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS consultations_issue_title_trgm")


class Migration(migrations.Migration):
    dependencies = [("consultations", "0006_assignment_sent_back")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
