"""The nightly snapshot, run by beat (portal.notifications.schedule: stats-nightly-snapshot) after Beijing
midnight: yesterday's figures, which no longer change."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from stats.snapshot import snapshot_rebuild


@shared_task(name="stats.tasks.snapshot_yesterday", ignore_result=True)
def snapshot_yesterday() -> int:
    return snapshot_rebuild(day=timezone.localdate() - datetime.timedelta(days=1)).rows
