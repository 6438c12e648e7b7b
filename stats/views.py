"""统计看板 pages: the dashboard of a place or an organization for a period, and each of its tables as CSV or XLSX.
Scope comes from stats.scoping (itself from orgs.scoping); figures from stats.dashboard."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from orgs.models import Region
from portal.staff_access import acting_user, role_required
from stats.board_requests import board_for_page
from stats.charts import chart
from stats.dashboard import headline_figures
from stats.export_requests import roster_export_request
from stats.exports import attachment, table_csv, table_xlsx
from stats.figures.consultation import resolved_notices_in
from stats.kept_boards import computed_by_worker, figures_html_kept
from stats.large_exports import downloadable
from stats.models import StatsExport
from stats.periods import Period, PeriodKind
from stats.report_pdf import report_pdf
from stats.scoping import DASHBOARD_STAFF, Focus, focus_for, home_region

dashboard_staff_required = role_required(
    *DASHBOARD_STAFF, refusal=gettext_lazy("统计看板仅对村、镇街工作人员和统战部管理员开放。")
)


def _focus_and_period(request: HttpRequest) -> tuple[Focus, Period]:
    params = request.GET.dict()
    focus = focus_for(request.user, params)
    if focus is None:
        raise Http404
    return focus, Period.from_query(params, timezone.localdate())


def _trail(request: HttpRequest, focus: Focus, period: Period) -> list[tuple[str, str]]:
    """The places from the user's own down to the focus, each with the address that opens it."""
    home = home_region(request.user)
    places: list[Region] = [] if focus.region is None else focus.region.trail()
    if home is not None:
        places = [place for place in places if place.path.startswith(home.path)]
    trail = [(place.name, urlencode({**period.query(), "region": place.pk})) for place in places]
    if focus.organization is not None:
        trail.append((focus.organization.name, urlencode({**period.query(), "org": focus.organization.pk})))
    return trail


def _render(request: HttpRequest, template: str, *, printable: bool = False, **extra: object) -> HttpResponse:
    focus, period = _focus_and_period(request)
    today = timezone.localdate()
    kept = board_for_page(user=request.user, focus=focus, period=period, today=today)
    focus_query = urlencode({**focus.query(), **period.query()})
    figures_html = ""
    if kept is not None:
        board = kept.board

        def render_figures() -> str:
            sections = [(section, [(table, chart(table)) for table in section.tables]) for section in board.sections]
            figures = {"board": board, "sections": sections, "focus_query": focus_query, "printable": printable}
            return render_to_string("stats/_figures.html", figures)

        variant = "report" if printable else "page"
        figures_html = figures_html_kept(kept=kept, today=today, variant=variant, render=render_figures)
    context = {
        "focus": focus,
        "period": period,
        # While a worker counts a district's first board, the page shows the three headline figures (three
        # queries) and looks again every few seconds.
        "headlines": kept.board.headlines
        if kept is not None
        else headline_figures(user=request.user, focus=focus, today=today),
        "computed_at": kept.computed_at if kept is not None and computed_by_worker(focus) else None,
        "pending": kept is None,
        "figures_html": mark_safe(figures_html),  # noqa: S308 - rendered by the template engine, escaped there
        "focus_query": focus_query,
        "focus_params": focus.query(),
        "trail": _trail(request, focus, period),
        "period_kinds": [
            (PeriodKind.MONTH.value, gettext_lazy("本月")),
            (PeriodKind.YEAR.value, gettext_lazy("今年")),
            (PeriodKind.LAST_12.value, gettext_lazy("近12个月")),
            (PeriodKind.DATES.value, gettext_lazy("自选日期")),
        ],
        "today": today,
        **extra,
    }
    return render(request, template, context)


def _still_counting(request: HttpRequest, focus: Focus, period: Period) -> HttpResponse:
    """A download of figures a worker is still counting: back to the dashboard, which says so."""
    messages.info(request, _("本地区的统计数据正在后台计算，完成后即可下载。"))
    return redirect(f"{reverse('stats:dashboard')}?{urlencode({**focus.query(), **period.query()})}")


@require_GET
@dashboard_staff_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    return _render(request, "stats/dashboard.html")


@require_GET
@dashboard_staff_required
def report_page(request: HttpRequest) -> HttpResponse:
    """月度 / 年度工作报表: the same figures on A4 and the results published in the period, for printing or saving
    as PDF from the browser."""
    focus, period = _focus_and_period(request)
    notices, notice_count = resolved_notices_in(focus, period)
    return _render(request, "stats/report.html", printable=True, notices=notices, notice_count=notice_count)


@require_GET
@dashboard_staff_required
def report_pdf_download(request: HttpRequest) -> HttpResponse:
    """The same report as a PDF the portal makes (A4, Chinese fonts, charts), to file or send on."""
    focus, period = _focus_and_period(request)
    today = timezone.localdate()
    kept = board_for_page(user=request.user, focus=focus, period=period, today=today)
    if kept is None:
        return _still_counting(request, focus, period)
    notices, notice_count = resolved_notices_in(focus, period)
    content = report_pdf(board=kept.board, today=today, notices=notices, notice_count=notice_count)
    name = f"report-{period.start.isoformat()}-{period.end.isoformat()}.pdf"
    return attachment(HttpResponse(content, content_type="application/pdf"), name)


@require_GET
@dashboard_staff_required
def table_export(request: HttpRequest, key: str, extension: str) -> HttpResponse:
    if extension not in {"csv", "xlsx"}:
        raise Http404
    focus, period = _focus_and_period(request)
    kept = board_for_page(user=request.user, focus=focus, period=period, today=timezone.localdate())
    if kept is None:
        return _still_counting(request, focus, period)
    table = kept.board.table(key)
    if table is None:
        raise Http404
    name = f"{key}-{period.start.isoformat()}-{period.end.isoformat()}"
    if extension == "xlsx":
        return table_xlsx(table, filename=name)
    return table_csv(table, filename=name)


@require_POST
@dashboard_staff_required
def roster_export(request: HttpRequest) -> HttpResponse:
    """A whole roster is too large to build during the request: a worker builds it and the inbox says when."""
    focus = focus_for(request.user, request.POST.dict())
    if focus is None:
        raise Http404
    roster_export_request(user=acting_user(request), focus=focus)
    messages.success(request, _("正在生成会籍名册，生成后会发到您的站内消息。"))
    return redirect(f"{reverse('stats:dashboard')}?{urlencode(focus.query())}")


@require_GET
@dashboard_staff_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_object_or_404(StatsExport, pk=pk, owner=acting_user(request))
    if not downloadable(export, today=timezone.localdate()):
        raise Http404
    response = FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    # role_required is typed for HttpResponse views; the streamed file passes through it unchanged.
    return cast(HttpResponse, response)
