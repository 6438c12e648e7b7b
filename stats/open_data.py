"""Open data: the notices on the public board (结果公示) of a place as CSV, with the description of its columns.

Nothing that is not already public: the rows are those of the board (consultations.counters.resolved_notices,
through consultations.scoping.notices_public) and the columns are what the board prints; no submitter, no
receipt code. The file is streamed row by row, so a province's board costs no memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from consultations.counters import resolved_notices
from members.sheet_cells import escape_cell
from orgs.models import Region
from portal.query_params import id_param

CHUNK = 2_000
COLUMNS = (
    ("published_on", gettext_lazy("发布日期"), gettext_lazy("结果公示发布的日期（北京时间）。")),
    ("ends_on", gettext_lazy("公示截止"), gettext_lazy("公示期的最后一天（北京时间）。")),
    ("organization", gettext_lazy("组织"), gettext_lazy("发布结果的组织。")),
    ("place", gettext_lazy("所在区域"), gettext_lazy("议题所在的村、社区或镇街。")),
    ("title", gettext_lazy("公示标题"), gettext_lazy("结果公示的标题。")),
    ("body", gettext_lazy("公示内容"), gettext_lazy("结果公示的全文，与公示栏相同。")),
)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _region(request: HttpRequest) -> Region | None:
    raw = request.GET.get("region")
    if not raw:
        return None
    region = Region.objects.filter(pk=id_param(raw) or 0).first()
    if region is None:
        raise Http404
    return region


def _rows(region: Region | None) -> Iterator[list[str]]:
    yield [str(label) for _key, label, _help in COLUMNS]
    notices = resolved_notices(region=region).values_list(
        "published_at", "ends_at", "organization__name", "region__name", "title", "body"
    )
    for published_at, ends_at, organization, place, title, body in notices.iterator(chunk_size=CHUNK):
        yield [
            timezone.localtime(published_at).date().isoformat(),
            timezone.localtime(ends_at).date().isoformat(),
            *(escape_cell(text) for text in (organization, place, title, body)),
        ]


@require_GET
def notices_csv(request: HttpRequest) -> StreamingHttpResponse:
    region = _region(request)
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in _rows(region))
    response = StreamingHttpResponse(
        (line for chunk in (["\ufeff"], lines) for line in chunk), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="notices.csv"'
    return response


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    return render(
        request,
        "stats/open_data.html",
        {"columns": COLUMNS, "region": region, "title": _("开放数据：结果公示")},
    )
