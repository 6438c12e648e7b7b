"""The drill-down table: the places right under the focus (or, in a place with none, its organizations), each with
its headline figures, counted with one grouped query per figure whatever the number of rows."""

from __future__ import annotations

import datetime
from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from activities.models import Activity
from consultations import counters
from consultations.models import Issue, RegionResolvedTally
from members.models import Membership, counted_on
from orgs.models import Organization, Region
from stats.figures.activities import COUNTED
from stats.paths import enclosing
from stats.periods import Period
from stats.scoping import Focus
from stats.tables import Chart, Row, Table

MAX_ORGANIZATION_ROWS = 200


def _headers(first: str) -> tuple[str, ...]:
    return (first, _("组织"), _("会员（今天）"), _("本期议题"), _("已解决议题"), _("本期活动"))


def _definition(period: Period) -> str:
    return _(
        "会员为今天在册的人数（一人在两处组织各算一次）；本期议题为 %(start)s 至 %(end)s 提交的议题；"
        "已解决议题与首页、公示栏同一口径（结果公示中或已归档）；本期活动为已发布或已结束、期内开始的活动。"
    ) % {"start": period.start.isoformat(), "end": period.end.isoformat()}


def _by(queryset: QuerySet, field: str) -> dict:
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))


def _by_place(rows: dict[str, int], roots: dict[str, Counter], key: str) -> None:
    for path, n in rows.items():
        root = enclosing(path, roots)
        if root is not None:
            roots[root][key] += n


def breakdown(
    *,
    focus: Focus,
    regions: QuerySet[Region],
    organizations: QuerySet[Organization],
    memberships: QuerySet[Membership],
    issues: QuerySet[Issue],
    activities: QuerySet[Activity],
    period: Period,
    today: datetime.date,
    query: dict[str, str],
) -> Table | None:
    if focus.organization is not None:
        return None
    children = list(
        regions.filter(parent=focus.region).order_by("path").values_list("pk", "name", "path")
        if focus.region is not None
        else regions.filter(parent__isnull=True).order_by("path").values_list("pk", "name", "path")
    )
    in_period = {"created_at__gte": period.starts_at, "created_at__lt": period.ends_at}
    held = activities.filter(status__in=COUNTED, starts_at__gte=period.starts_at, starts_at__lt=period.ends_at)
    if not children:
        return _organization_rows(focus, organizations, memberships, issues, held, in_period, today, period, query)
    roots: dict[str, Counter] = {path: Counter() for _pk, _name, path in children}
    _by_place(_by(organizations, "region__path"), roots, "organizations")
    _by_place(_by(memberships.filter(counted_on(today)), "organization__region__path"), roots, "members")
    _by_place(_by(issues.filter(**in_period), "organization__region__path"), roots, "issues")
    _by_place(_by(held, "host__region__path"), roots, "activities")
    tallies = RegionResolvedTally.objects.filter(region__path__startswith=focus.path).values_list(
        "region__path", "count"
    )
    _by_place(dict(tallies), roots, "resolved")
    rows = tuple(
        Row(
            name,
            tuple(roots[path][key] for key in ("organizations", "members", "issues", "resolved", "activities")),
            link=urlencode({**query, "region": pk}),
        )
        for pk, name, path in children
    )
    return Table(
        key="breakdown",
        title=_("下级区域"),
        definition=_definition(period),
        headers=_headers(_("区域")),
        rows=rows,
        chart=Chart.NONE,
    )


def _organization_rows(focus, organizations, memberships, issues, held, in_period, today, period, query) -> Table:
    listed = list(organizations.order_by("name").values_list("pk", "name")[:MAX_ORGANIZATION_ROWS])
    ids = [pk for pk, _name in listed]
    members = _by(memberships.filter(counted_on(today)), "organization_id")
    raised = _by(issues.filter(**in_period), "organization_id")
    activities = _by(held, "host_id")
    resolved = counters.resolved_issue_counts(ids)
    rows = tuple(
        Row(
            name,
            (1, members.get(pk, 0), raised.get(pk, 0), resolved.get(pk, 0), activities.get(pk, 0)),
            link=urlencode({**query, "org": pk}),
        )
        for pk, name in listed
    )
    return Table(
        key="breakdown",
        title=_("本地组织"),
        definition=_definition(period),
        headers=_headers(_("组织")),
        rows=rows,
        chart=Chart.NONE,
    )
