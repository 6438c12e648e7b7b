"""OutboxMessage.region_path, and a backfill for the messages to bare phone numbers already queued or sent.

The base package depends on no domain app, so this migration declares no dependency on consultations or
activities: it reads their tables only when their models are in the migration state (an installation that
has outbox rows has them); on a fresh database there is nothing to backfill. The key of each row names what
it is about ("issue:12:…", "meeting:3:…", "registration:40:…"), which is how the region is found.
"""

import re

from django.db import migrations, models

KEY = re.compile(r"^(issue|meeting|registration):(\d+):")
BATCH = 2000

# The path of the region each kind of subject lies in, as a lookup from that subject's model.
SOURCES = {
    "issue": ("consultations", "Issue", "region__path"),
    "meeting": ("consultations", "Meeting", "organization__region__path"),
    "registration": ("activities", "Registration", "activity__host__region__path"),
}


def _paths(apps, kind: str, ids: set[int]) -> dict[int, str]:
    app_label, model_name, lookup = SOURCES[kind]
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return {}
    return dict(model.objects.filter(pk__in=ids).values_list("pk", lookup))


def backfill_region_paths(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    rows = OutboxMessage.objects.filter(user__isnull=True, region_path="").order_by("pk")
    last_pk = 0
    while True:
        batch = list(rows.filter(pk__gt=last_pk).only("pk", "idempotency_key")[:BATCH])
        if not batch:
            return
        last_pk = batch[-1].pk
        subjects: dict[str, set[int]] = {kind: set() for kind in SOURCES}
        for row in batch:
            match = KEY.match(row.idempotency_key)
            if match:
                subjects[match[1]].add(int(match[2]))
        paths = {kind: _paths(apps, kind, ids) for kind, ids in subjects.items() if ids}
        changed = []
        for row in batch:
            match = KEY.match(row.idempotency_key)
            path = paths.get(match[1], {}).get(int(match[2])) if match else None
            if path:
                row.region_path = path
                changed.append(row)
        OutboxMessage.objects.bulk_update(changed, ["region_path"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_outbox_channel_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="region_path",
            field=models.CharField(
                blank=True, db_index=True, default="", editable=False, max_length=255, verbose_name="所属区域路径"
            ),
        ),
        migrations.RunPython(backfill_region_paths, migrations.RunPython.noop),
    ]
