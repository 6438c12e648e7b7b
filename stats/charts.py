"""Charts drawn on the server as SVG: readable without JavaScript, printed with the page, and the table stays
beside each for copying and screen readers (the SVG is aria-hidden)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from stats.tables import Chart, Number, Table

WIDTH = 560
LABEL_WIDTH = 150
BAR_HEIGHT = 14
# A reading of the current period and of the year before, told apart by colour and, when printed in grey, by shade.
COLOURS = ("#c0392b", "#9aa5b1", "#2e86c1", "#7d3c98")


def _number(value: Number) -> float:
    return float(value or 0)


def _rows_to_draw(table: Table) -> list:
    # A total row repeats the others: drawn, it would dwarf them.
    return [row for row in table.rows if not row.is_total]


def bars(table: Table, columns: int = 2) -> SafeString:
    rows = _rows_to_draw(table)
    if not rows:
        return SafeString("")
    columns = min(columns, len(table.headers) - 1)
    peak = max((_number(value) for row in rows for value in row.values[:columns]), default=0) or 1
    row_height = BAR_HEIGHT * columns + 8
    height = row_height * len(rows) + 24
    plot = WIDTH - LABEL_WIDTH - 50
    parts = [
        f'<svg class="stats-chart" role="img" aria-hidden="true" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" font-size="11">'
    ]
    for index, row in enumerate(rows):
        top = index * row_height + 4
        label_y = top + row_height / 2 + 2
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{label_y}" text-anchor="end">{escape(row.label[:14])}</text>')
        for column in range(columns):
            value = _number(row.values[column])
            length = round(plot * value / peak, 1)
            y = top + column * BAR_HEIGHT
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT - 2}" fill="{COLOURS[column]}"/>'
            )
            shown = row.values[column]
            parts.append(
                f'<text x="{LABEL_WIDTH + length + 4}" y="{y + BAR_HEIGHT - 4}">{"" if shown is None else shown}</text>'
            )
    parts.append(_legend(table, columns, height - 8))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above, numbers are numbers


def _legend(table: Table, columns: int, y: float) -> str:
    items = []
    for column in range(columns):
        x = LABEL_WIDTH + column * 130
        items.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS[column]}"/>')
        items.append(f'<text x="{x + 14}" y="{y}">{escape(table.headers[column + 1])}</text>')
    return "".join(items)


def line(table: Table, columns: int = 2) -> SafeString:
    rows = list(table.rows)
    if not rows:
        return SafeString("")
    columns = min(columns, len(table.headers) - 1)
    height, left, bottom, top = 200, 40, 40, 14
    plot_width, plot_height = WIDTH - left - 10, height - bottom - top
    peak = max((_number(value) for row in rows for value in row.values[:columns]), default=0) or 1
    step = plot_width / max(len(rows) - 1, 1)
    parts = [
        f'<svg class="stats-chart" role="img" aria-hidden="true" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" font-size="10">',
        f'<line x1="{left}" y1="{top + plot_height}" x2="{WIDTH - 10}" y2="{top + plot_height}" stroke="#666"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{escape(_label(peak))}</text>',
        f'<text x="{left - 4}" y="{top + plot_height}" text-anchor="end">0</text>',
    ]
    for column in range(columns):
        points = " ".join(
            f"{round(left + index * step, 1)},{round(top + plot_height * (1 - _number(row.values[column]) / peak), 1)}"
            for index, row in enumerate(rows)
        )
        parts.append(f'<polyline points="{points}" fill="none" stroke="{COLOURS[column]}" stroke-width="2"/>')
    every = max(1, len(rows) // 8)
    for index, row in enumerate(rows):
        if index % every == 0 or index == len(rows) - 1:
            x = round(left + index * step, 1)
            parts.append(f'<text x="{x}" y="{top + plot_height + 14}" text-anchor="middle">{escape(row.label)}</text>')
    parts.append(_legend(table, columns, height - 6))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above, numbers are numbers


def _label(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def chart(table: Table) -> SafeString:
    if table.chart == Chart.LINE:
        return line(table)
    if table.chart == Chart.BARS:
        return bars(table)
    return SafeString("")
