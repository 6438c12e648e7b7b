"""The board a dashboard page shows: a small area's counted in the request when not kept; a district's or the
whole installation's never counted in the request, but asked of a worker (stats.kept_boards)."""

from __future__ import annotations

import datetime

from django.utils import translation

from portal.notifications.sweep_runs import sweep_hand_out
from portal.scoping import AnyUser
from stats.kept_boards import (
    KeptBoard,
    board_keep,
    board_kept,
    computed_by_worker,
    computing_claim,
    computing_release,
    dashboard_kept,
)
from stats.periods import Period
from stats.scoping import Focus
from stats.tasks import board_compute


def board_for_page(*, user: AnyUser, focus: Focus, period: Period, today: datetime.date) -> KeptBoard | None:
    """The kept board, however old (a worker is asked for a fresh one when it is older than the dashboard's
    minutes); None while a worker counts the first. Without a broker the board is counted here: slow, not lost."""
    if not computed_by_worker(focus):
        return dashboard_kept(user=user, focus=focus, period=period, today=today)
    kept = board_kept(focus=focus, period=period, today=today)
    if kept is not None and kept.fresh:
        return kept
    if computing_claim(focus=focus, period=period, today=today):
        queued = sweep_hand_out(
            board_compute,
            user.pk,
            focus.query(),
            period.query(),
            today.isoformat(),
            translation.get_language() or "",
            part="the dashboard of " + (focus.region.name if focus.region is not None else "the installation"),
        )
        if not queued:
            computing_release(focus=focus, period=period, today=today)
            return board_keep(user=user, focus=focus, period=period, today=today)
    # A worker in this process (tests, `make run` without one) may have kept it already.
    return kept or board_kept(focus=focus, period=period, today=today)
