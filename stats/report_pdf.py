"""月度 / 年度工作报表 as a PDF made by the portal (reportlab): the printable report's content on A4, for the
officer who files it upward or sends it on WeChat rather than printing from a browser.

Chinese is set in STSong-Light, one of the CID fonts every PDF reader carries (PDF's Adobe-GB1 collection): the
file embeds no font and stays small, and the portal needs no font file on the server. Each figure is its table
with its definition, and a chart where the dashboard draws one; the results published in the period follow.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as SheetTable

from consultations.models import PublicNotice
from stats.dashboard import Dashboard
from stats.tables import Chart, Number, Table

FONT = "STSong-Light"
MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN
CHART_HEIGHT = 45 * mm
# A chart of more categories than this is unreadable on A4: the table beside it carries every row.
CHART_MAX_ROWS = 24
NOTICE_TEXT = 200
SERIES_COLOURS = (colors.HexColor("#b02418"), colors.HexColor("#8a8f98"))


@cache
def _font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


@cache
def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", fontName=font, fontSize=9, leading=13, textColor=colors.grey),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=13, leading=18, spaceBefore=10, spaceAfter=4),
        "h3": ParagraphStyle("h3", fontName=font, fontSize=10.5, leading=15, spaceBefore=8, spaceAfter=2),
        "body": ParagraphStyle("body", fontName=font, fontSize=9, leading=13),
        "small": ParagraphStyle("small", fontName=font, fontSize=7.5, leading=11, textColor=colors.HexColor("#555555")),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8, leading=11),
    }


def _text(value: object, style: str = "body") -> Paragraph:
    # Paragraphs read a little markup: whatever a villager or an officer typed is escaped first.
    return Paragraph(escape(str(value)), _styles()[style])


def _number(value: Number, *, percent: bool) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,}" if not percent else str(value)


def _sheet(
    rows: list[list[Any]], widths: list[float], *, header_rows: int = 1, totals: Iterable[int] = ()
) -> SheetTable:
    sheet = SheetTable(rows, colWidths=widths, repeatRows=header_rows)
    style: list[Any] = [
        ("FONT", (0, 0), (-1, -1), _font(), 8),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, header_rows), (-1, -1), "RIGHT"),
    ]
    if header_rows:
        style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#f2f2f2")))
    style += [("BACKGROUND", (0, index), (-1, index), colors.HexColor("#fafafa")) for index in totals]
    sheet.setStyle(TableStyle(style))
    return sheet


def _figure_sheet(table: Table) -> SheetTable:
    label_width = WIDTH * 0.34
    value_width = (WIDTH - label_width) / max(len(table.headers) - 1, 1)
    rows: list[list[Any]] = [[_text(header, "cell") for header in table.headers]]
    totals = []
    for index, row in enumerate(table.rows, start=1):
        rows.append([_text(row.label, "cell"), *(_number(value, percent=table.percent) for value in row.values)])
        if row.is_total:
            totals.append(index)
    return _sheet(rows, [label_width] + [value_width] * (len(table.headers) - 1), totals=totals)


def _chart(table: Table) -> Drawing | None:
    """The first two columns (this period and the one compared with, where there is one) of the rows that are not
    totals: bars, or a line for a series over time."""
    rows = [row for row in table.rows if not row.is_total][:CHART_MAX_ROWS]
    if table.chart == Chart.NONE or not rows or not table.rows[0].values:
        return None
    columns = min(2, len(rows[0].values))
    series = [[float(row.values[index] or 0) for row in rows] for index in range(columns)]
    if not any(value for values in series for value in values):
        return None
    drawing = Drawing(WIDTH, CHART_HEIGHT)
    plot: Any = HorizontalLineChart() if table.chart == Chart.LINE else VerticalBarChart()
    plot.x, plot.y = 30, 28
    plot.width, plot.height = WIDTH - 40, CHART_HEIGHT - 40
    plot.data = series
    plot.categoryAxis.categoryNames = [row.label for row in rows]
    plot.categoryAxis.labels.fontName = _font()
    plot.categoryAxis.labels.fontSize = 6
    plot.categoryAxis.labels.angle = 30 if len(rows) > 6 else 0
    plot.categoryAxis.labels.boxAnchor = "ne" if len(rows) > 6 else "n"
    plot.valueAxis.labels.fontName = _font()
    plot.valueAxis.labels.fontSize = 6
    plot.valueAxis.valueMin = 0
    holder = plot.lines if table.chart == Chart.LINE else plot.bars
    for index, colour in enumerate(SERIES_COLOURS[:columns]):
        if table.chart == Chart.LINE:
            holder[index].strokeColor = colour
            holder[index].strokeWidth = 1.2
        else:
            holder[index].fillColor = colour
    drawing.add(plot)
    if columns > 1:
        legend = Legend()
        legend.fontName, legend.fontSize = _font(), 7
        legend.x, legend.y = int(WIDTH - 150), int(CHART_HEIGHT - 4)
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.colorNamePairs = list(zip(SERIES_COLOURS, table.headers[1:3], strict=False))
        drawing.add(legend)
    return drawing


def _notices_sheet(notices: list[PublicNotice]) -> SheetTable:
    rows: list[list[Any]] = [
        [_text(header, "cell") for header in (_("发布日期"), _("组织"), _("公示标题"), _("公示内容"))]
    ]
    for notice in notices:
        body = notice.body if len(notice.body) <= NOTICE_TEXT else notice.body[: NOTICE_TEXT - 1] + "…"
        published = timezone.localdate(notice.published_at).isoformat() if notice.published_at else ""
        rows.append(
            [published, _text(notice.organization.name, "cell"), _text(notice.title, "cell"), _text(body, "cell")]
        )
    sheet = _sheet(rows, [WIDTH * 0.13, WIDTH * 0.2, WIDTH * 0.22, WIDTH * 0.45])
    sheet.setStyle(TableStyle([("ALIGN", (0, 1), (-1, -1), "LEFT")]))
    return sheet


def report_pdf(
    *,
    board: Dashboard,
    today: datetime.date,
    notices: list[PublicNotice],
    notice_count: int,
) -> bytes:
    """The report of `board` (a focus and a period) as the bytes of an A4 PDF."""
    title = _("%(place)s统战工作报表") % {"place": board.focus.name}
    subtitle = _("统计期间：%(period)s · 制表日期：%(today)s") % {
        "period": board.period.label(),
        "today": today.isoformat(),
    }
    story: list[Any] = [_text(title, "title"), _text(subtitle, "subtitle"), _text(_("主要数字"), "h2")]
    headlines = [[_text(h.label, "cell"), f"{h.value:,}", _text(h.definition, "cell")] for h in board.headlines]
    story.append(_sheet(headlines, [WIDTH * 0.2, WIDTH * 0.15, WIDTH * 0.65], header_rows=0))
    for section in board.sections:
        story.append(_text(section.title, "h2"))
        for table in section.tables:
            block: list[Any] = [_text(table.title, "h3"), _text(table.definition, "small"), Spacer(1, 2 * mm)]
            drawing = _chart(table)
            if drawing is not None:
                block.append(drawing)
            block.append(_figure_sheet(table))
            # A short figure stays on one page with its title; a long one breaks, its header row repeated.
            if len(table.rows) <= 30:
                story.append(KeepTogether(block))
            else:
                story += block
    story.append(_text(_("已解决议题及结果公示"), "h2"))
    summary = _("本期发布结果公示 %(count)s 件（结果公示中或已归档，重新受理的不计）。") % {"count": notice_count}
    if notice_count > len(notices):
        summary += _("以下列出最近的 %(shown)s 件。") % {"shown": len(notices)}
    story.append(_text(summary, "small"))
    story.append(Spacer(1, 2 * mm))
    story.append(_notices_sheet(notices) if notices else _text(_("本期没有发布结果公示。")))

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(_font(), 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 10 * mm, title)
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, _("第 %(page)s 页") % {"page": document.page})
        canvas.restoreState()

    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=_("同心荟"),
        subject=subtitle,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return output.getvalue()
