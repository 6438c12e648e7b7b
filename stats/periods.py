"""The period a figure is counted over, in Beijing dates: this month, this year, the last 12 months, or two dates,
and the same dates a year before."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext as _


class PeriodKind(StrEnum):
    MONTH = "month"
    YEAR = "year"
    LAST_12 = "last12"
    DATES = "dates"


def _year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February: the last day of February a year before
        return day.replace(year=day.year - 1, day=28)


def _parse_day(text: str | None) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: datetime.date
    end: datetime.date  # inclusive

    @classmethod
    def of(cls, kind: PeriodKind, today: datetime.date) -> Period:
        if kind == PeriodKind.YEAR:
            return cls(kind, today.replace(month=1, day=1), today)
        if kind == PeriodKind.LAST_12:
            return cls(kind, _year_before(today) + datetime.timedelta(days=1), today)
        return cls(PeriodKind.MONTH, today.replace(day=1), today)

    @classmethod
    def from_query(cls, params: dict[str, str], today: datetime.date) -> Period:
        """The period asked for in the address; anything unreadable is this month. Two dates may not reach past
        today, and are swapped when typed in the wrong order."""
        raw = params.get("period") or PeriodKind.MONTH
        kind = next((each for each in PeriodKind if each.value == raw), PeriodKind.MONTH)
        if kind == PeriodKind.DATES:
            start, end = _parse_day(params.get("from")), _parse_day(params.get("to"))
            if start is None or end is None:
                return cls.of(PeriodKind.MONTH, today)
            start, end = min(start, end, today), min(max(start, end), today)
            return cls(kind, start, end)
        return cls.of(kind, today)

    @property
    def year_before(self) -> Period:
        return Period(self.kind, _year_before(self.start), _year_before(self.end))

    @property
    def starts_at(self) -> datetime.datetime:
        """Beijing midnight of the first day: a reading at 00:30 local time belongs to that day."""
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def ends_at(self) -> datetime.datetime:
        """Beijing midnight after the last day: periods are half-open ranges [starts_at, ends_at)."""
        return timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min))

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        months, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def label(self) -> str:
        return _("%(start)s 至 %(end)s") % {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def query(self) -> dict[str, str]:
        """The address parameters that ask for this period again."""
        if self.kind == PeriodKind.DATES:
            return {"period": self.kind.value, "from": self.start.isoformat(), "to": self.end.isoformat()}
        return {"period": self.kind.value}
