"""Chinese working days: weekends, public holidays and make-up workdays (调休) all counted.

Order of authority: a WorkdayOverride row, then the chinese-calendar package, then — for a year neither
knows yet — Monday to Friday plus the fixed-date holidays, logged so that someone enters the real notice.
"""

import datetime
import functools
import logging
from collections.abc import Iterable

import chinese_calendar

from portal.models import WorkdayOverride

logger = logging.getLogger(__name__)

# Holidays on fixed dates every year; the lunar ones and the 调休 need the year's official notice.
FIXED_DATE_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


def _fallback_is_workday(day: datetime.date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in FIXED_DATE_HOLIDAYS


# The package's answer for a date never changes within a process, and each answer costs it a min() and a max()
# over its holiday tables (~0.1 ms): a department's queue with an assignment a year overdue asked it 30,000 times.
@functools.lru_cache(maxsize=8192)
def _calendar_is_workday(day: datetime.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        logger.warning("No holiday data for %s; counting Monday to Friday. Enter the year's notice.", day.year)
        return _fallback_is_workday(day)


def _overrides_between(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    return dict(WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def is_workday(day: datetime.date) -> bool:
    override = _overrides_between(day, day).get(day)
    return override if override is not None else _calendar_is_workday(day)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The date `count` working days after `start` (start itself not counted): the deadline of a task given
    on `start`. One query for the overrides, whatever the count."""
    if count < 1:
        raise ValueError("count must be at least 1")
    # Long holidays (春节, 国庆) add at most about ten days per month of working days.
    horizon = start + datetime.timedelta(days=count * 2 + 30)
    overrides = _overrides_between(start, horizon)
    day, remaining = start, count
    while remaining:
        day += datetime.timedelta(days=1)
        workday = overrides.get(day)
        if workday is None:
            workday = _calendar_is_workday(day)
        if workday:
            remaining -= 1
    return day


class WorkdayCalendar:
    """Working days over a span of dates, with one query for the overrides whatever the number of questions:
    a page of deadlines asks it many times, the dashboard's stage days tens of thousands of times."""

    def __init__(self, dates: Iterable[datetime.date]) -> None:
        dates = list(dates)
        self.first, self.last = min(dates), max(dates)
        self.overrides = _overrides_between(self.first, self.last)
        # _workdays_until[i]: working days after `first` up to and including first + i days, made on the first
        # question: each question is then a subtraction, not a walk over the days between.
        self._workdays_until: list[int] | None = None

    def is_workday(self, day: datetime.date) -> bool:
        override = self.overrides.get(day)
        return override if override is not None else _calendar_is_workday(day)

    def _until(self, day: datetime.date) -> int:
        if self._workdays_until is None:
            running, counts = 0, [0]
            for day_after in _days_after(self.first, self.last):
                running += self.is_workday(day_after)
                counts.append(running)
            self._workdays_until = counts
        return self._workdays_until[(day - self.first).days]

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is before `start`.
        Both dates must lie within the dates the calendar was made for."""
        if end < start:
            return -self.between(end, start)
        if start < self.first or end > self.last:
            # Outside the overrides read: counted day by day, as the calendar always did.
            return sum(1 for day in _days_after(start, end) if self.is_workday(day))
        return self._until(end) - self._until(start)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
    return WorkdayCalendar([start, end]).between(start, end)


def _days_after(start: datetime.date, end: datetime.date) -> Iterable[datetime.date]:
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        yield day


def latest_start_with_working_days(end: datetime.date, count: int) -> datetime.date:
    """The latest day D with working_days_between(D, end) >= count: whatever started on D or before has
    waited `count` working days by `end`. One query for the overrides, so a queue can filter by it in SQL."""
    if count < 1:
        raise ValueError("count must be at least 1")
    horizon = end - datetime.timedelta(days=count * 2 + 30)
    overrides = _overrides_between(horizon, end)
    day, counted = end, 0
    while True:
        workday = overrides.get(day)
        if workday is None:
            workday = _calendar_is_workday(day)
        if workday:
            counted += 1
        day -= datetime.timedelta(days=1)
        if counted == count:
            return day
