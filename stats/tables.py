"""A figure as the dashboard shows it: a titled table with its definition beside it, which a chart draws and an
export writes. Every cell after the row label is a number (or None: nothing to divide by)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Number = int | float | None


class Chart(StrEnum):
    BARS = "bars"
    LINE = "line"
    NONE = ""


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[Number, ...]
    link: str = ""  # the dashboard's query string of the place or organization this row drills down to
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    definition: str
    headers: tuple[str, ...]  # the label column's header first
    rows: tuple[Row, ...]
    chart: Chart = Chart.BARS
    percent: bool = False  # the values are rates in per cent
    notes: tuple[str, ...] = field(default=())

    def column(self, index: int) -> list[Number]:
        return [row.values[index] for row in self.rows]


def rate(part: int, whole: int) -> float | None:
    """part / whole in per cent, one decimal; None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def choice_rows(choices: Iterable[tuple[str, Any]], *columns: Mapping[str, int]) -> tuple[Row, ...]:
    """One row per choice (in the choices' order, every choice even at zero), a column per mapping."""
    return tuple(Row(str(label), tuple(column.get(value, 0) for column in columns)) for value, label in choices)


def with_total(rows: tuple[Row, ...], label: str) -> tuple[Row, ...]:
    if not rows:
        return rows
    width = len(rows[0].values)
    totals = tuple(sum(row.values[index] or 0 for row in rows) for index in range(width))
    return (*rows, Row(label, totals, is_total=True))
