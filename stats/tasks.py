"""The nightly snapshot, run by beat (portal.notifications.schedule: stats-nightly-snapshot) after Beijing
midnight: yesterday's figures, which no longer change."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from stats.kept_boards import board_keep
from stats.large_exports import export_build
from stats.periods import Period
from stats.scoping import focus_for
from stats.snapshot import snapshot_rebuild


@shared_task(name="stats.tasks.snapshot_yesterday", ignore_result=True)
def snapshot_yesterday() -> int:
    return snapshot_rebuild(day=timezone.localdate() - datetime.timedelta(days=1)).rows


@shared_task(name="stats.tasks.build_export", ignore_result=True)
def build_export(export_id: int) -> None:
    export_build(export_id=export_id)


@shared_task(name="stats.tasks.board_compute", ignore_result=True)
def board_compute(
    user_id: int, focus_query: dict[str, str], period_query: dict[str, str], today: str, language: str
) -> None:
    """A district's or the installation's dashboard, counted for the officer who opened it (whose scope decides
    again what they may count) in their language, and kept for everyone who opens it next."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    day = datetime.date.fromisoformat(today)
    focus = focus_for(user, focus_query)
    if focus is None:
        return
    with translation.override(language or None):
        board_keep(user=user, focus=focus, period=Period.from_query(period_query, day), today=day)
