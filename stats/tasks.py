"""The statistics' worker tasks: the nightly snapshot, run by beat (portal.notifications.schedule:
stats-nightly-snapshot) after Beijing midnight, of yesterday's figures, which no longer change; the large boards
counted ahead of the morning (stats-boards-warm); a board an officer asked for; a large export."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from portal.notifications.sweep_runs import sweep_hand_out
from stats.kept_boards import board_keep, board_kept, computed_by_worker, computing_claim, computing_release
from stats.large_exports import export_build
from stats.periods import Period, PeriodKind
from stats.scoping import focus_for, large_board_readers
from stats.snapshot import snapshot_rebuild

# What a dashboard opens at: the board the morning's first officer would otherwise wait for.
WARMED_PERIODS = (PeriodKind.MONTH,)


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


@shared_task(name="stats.tasks.boards_warm", ignore_result=True)
def boards_warm() -> int:
    """Asks the workers for today's board of every district and of the whole installation, for the period a
    dashboard opens at, so that none is counted while an officer waits (a district's: seconds; the
    installation's: about half a minute at a province's data). Returns how many were asked for."""
    today = timezone.localdate()
    asked = 0
    for reader, focus in large_board_readers():
        if not computed_by_worker(focus):  # boards are not kept (STATS_DASHBOARD_SECONDS = 0)
            return asked
        for kind in WARMED_PERIODS:
            period = Period.of(kind, today)
            # Kept already, or being counted for a view since midnight: nothing to ask.
            if board_kept(focus=focus, period=period, today=today) is not None:
                continue
            if not computing_claim(focus=focus, period=period, today=today):
                continue
            handed = sweep_hand_out(
                board_compute,
                reader.pk,
                focus.query(),
                period.query(),
                today.isoformat(),
                settings.LANGUAGE_CODE,
                part=f"the board of {focus.name}",
            )
            if not handed:  # the broker is gone: the first view asks again
                computing_release(focus=focus, period=period, today=today)
                return asked
            asked += 1
    return asked
