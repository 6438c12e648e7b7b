"""The nightly snapshot, run by beat (portal.notifications.schedule: stats-nightly-snapshot) after Beijing
midnight: yesterday's figures, which no longer change."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from stats.large_exports import export_build
from stats.snapshot import snapshot_rebuild


@shared_task(name="stats.tasks.snapshot_yesterday", ignore_result=True)
def snapshot_yesterday() -> int:
    return snapshot_rebuild(day=timezone.localdate() - datetime.timedelta(days=1)).rows


@shared_task(name="stats.tasks.build_export", ignore_result=True)
def build_export(export_id: int) -> None:
    export_build(export_id=export_id)
