"""The dashboard's figures are kept for a few minutes per focus and period, shared by everyone who opens them.

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

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from portal.scoping import AnyUser
from stats.dashboard import Dashboard, dashboard
from stats.periods import Period
from stats.scoping import Focus

DASHBOARD_SECONDS = 600


def _key(focus: Focus, period: Period, today: datetime.date) -> str:
    parts = [
        *sorted(focus.query().items()),
        period.kind.value,
        period.start.isoformat(),
        period.end.isoformat(),
        today.isoformat(),
        translation.get_language() or "",
    ]
    return "stats:board:v1:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _seconds() -> int:
    return int(getattr(settings, "STATS_DASHBOARD_SECONDS", DASHBOARD_SECONDS))


def figures_html_kept(
    *, focus: Focus, period: Period, today: datetime.date, variant: str, render: Callable[[], str]
) -> str:
    """The rendered tables and charts of a dashboard (`variant`: the page or the printed report), kept like the
    figures themselves: the HTML holds nothing of the reader (no token, no name), only the focus's figures and
    the addresses of its exports."""
    seconds = _seconds()
    if not seconds:
        return render()
    key = f"{_key(focus, period, today)}:html:{variant}"
    html = cache.get(key)
    if isinstance(html, str):
        return html
    html = render()
    cache.set(key, html, seconds)
    return html


def dashboard_kept(*, user: AnyUser, focus: Focus, period: Period, today: datetime.date) -> Dashboard:
    seconds = _seconds()
    if not seconds:
        return dashboard(user=user, focus=focus, period=period, today=today)
    key = _key(focus, period, today)
    board = cache.get(key)
    if isinstance(board, Dashboard):
        return board
    board = dashboard(user=user, focus=focus, period=period, today=today)
    cache.set(key, board, seconds)
    return board
