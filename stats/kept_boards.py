"""The dashboard's figures are kept for a few minutes per focus and period, shared by everyone who opens them.

A district's or the whole installation's figures are never computed during a request (stats.board_requests): at
province scale they take seconds to a minute. A worker computes them (stats.tasks.board_compute) and they are kept
WORKER_KEEP_SECONDS, shown with the time they were counted; once older than DASHBOARD_SECONDS the next view asks a
worker for fresh ones and shows the kept ones meanwhile.

A district's figures cost hundreds of milliseconds of aggregates, and officers open the same district again and
again (back from a town, a second tab, a colleague before the same meeting). The figures of a focus do not depend
on who reads them: whoever may open a place sees everything under it (stats.scoping), so one copy serves all of
them. The key holds the focus, the period, Beijing's date and the language of the labels; a change in the data
shows within DASHBOARD_SECONDS (settings.STATS_DASHBOARD_SECONDS, 0 to compute on every view). The cache fails
open: without Redis every view computes.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from orgs.models import RegionLevel
from portal.scoping import AnyUser
from stats.dashboard import Dashboard, dashboard
from stats.periods import Period
from stats.scoping import Focus

DASHBOARD_SECONDS = 600
WORKER_KEEP_SECONDS = 36 * 3600  # through a night without views: the morning's first view is not a wait
# How long one worker's claim on computing a board lasts: a board not kept by then is asked for again.
COMPUTING_SECONDS = 300


@dataclass(frozen=True)
class KeptBoard:
    board: Dashboard
    computed_at: datetime.datetime

    @property
    def fresh(self) -> bool:
        return timezone.now() - self.computed_at < datetime.timedelta(seconds=_seconds())


def computed_by_worker(focus: Focus) -> bool:
    """A district or the whole installation: thousands of organizations, figures over hundreds of thousands of
    rows. A town, a village or an organization is counted during the request, as is everything when boards are
    not kept (STATS_DASHBOARD_SECONDS = 0)."""
    large = focus.organization is None and (focus.region is None or focus.region.level == RegionLevel.DISTRICT)
    return large and bool(_seconds())


def _key(focus: Focus, period: Period, today: datetime.date) -> str:
    parts = [
        *sorted(focus.query().items()),
        period.kind.value,
        period.start.isoformat(),
        period.end.isoformat(),
        today.isoformat(),
        translation.get_language() or "",
    ]
    return "stats:board:v2:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _seconds() -> int:
    return int(getattr(settings, "STATS_DASHBOARD_SECONDS", DASHBOARD_SECONDS))


def _keep_seconds(focus: Focus) -> int:
    """How long a board and its HTML stay kept: a worker's board until it is counted again, a small area's for
    the dashboard's minutes."""
    return WORKER_KEEP_SECONDS if computed_by_worker(focus) else _seconds()


def _computing_key(focus: Focus, period: Period, today: datetime.date) -> str:
    return f"{_key(focus, period, today)}:computing"


def figures_html_kept(*, kept: KeptBoard, today: datetime.date, variant: str, render: Callable[[], str]) -> str:
    """The rendered tables and charts of a dashboard (`variant`: the page or the printed report), kept like the
    figures themselves, for the board they were rendered from: the HTML holds nothing of the reader (no token, no
    name), only the focus's figures and the addresses of its exports."""
    seconds = _seconds()
    if not seconds:
        return render()
    board = kept.board
    key = f"{_key(board.focus, board.period, today)}:html:{variant}:{kept.computed_at.isoformat()}"
    html = cache.get(key)
    if isinstance(html, str):
        return html
    html = render()
    cache.set(key, html, _keep_seconds(board.focus))
    return html


def board_kept(*, focus: Focus, period: Period, today: datetime.date) -> KeptBoard | None:
    """The kept board, however old; None when there is none."""
    kept = cache.get(_key(focus, period, today))
    return kept if isinstance(kept, KeptBoard) else None


def board_keep(*, user: AnyUser, focus: Focus, period: Period, today: datetime.date) -> KeptBoard:
    """Counts the board and keeps it for everyone who opens the focus (a worker's, or a small area's in the
    request); the claim of the worker that was computing it is let go."""
    kept = KeptBoard(dashboard(user=user, focus=focus, period=period, today=today), timezone.now())
    if _seconds():
        cache.set(_key(focus, period, today), kept, _keep_seconds(focus))
        computing_release(focus=focus, period=period, today=today)
    return kept


def computing_claim(*, focus: Focus, period: Period, today: datetime.date) -> bool:
    """True for the one view that should ask a worker for the board; False while another's request stands."""
    return bool(cache.add(_computing_key(focus, period, today), 1, COMPUTING_SECONDS))


def computing_release(*, focus: Focus, period: Period, today: datetime.date) -> None:
    cache.delete(_computing_key(focus, period, today))


def dashboard_kept(*, user: AnyUser, focus: Focus, period: Period, today: datetime.date) -> KeptBoard:
    """The board counted during the request unless a fresh one is kept."""
    if _seconds():
        kept = board_kept(focus=focus, period=period, today=today)
        if kept is not None and kept.fresh:
            return kept
    return board_keep(user=user, focus=focus, period=period, today=today)
