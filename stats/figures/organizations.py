"""Organizations of the focus: by kind, category and level, their recognitions by year, and the towns with and
without a 同心荟. One grouped query each."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from orgs.models import (
    Organization,
    OrganizationCategory,
    OrganizationKind,
    OrganizationLevel,
    Recognition,
    RecognitionLevel,
    Region,
    RegionLevel,
)
from stats.paths import enclosing
from stats.periods import Period
from stats.tables import Chart, Row, Table, choice_rows, with_total

# The five categories of seed 001 (区级同心荟 by what they do); the alliances' own categories are counted under kind.
SEED_CATEGORIES = (
    OrganizationCategory.INCUBATION,
    OrganizationCategory.ALLIANCE,
    OrganizationCategory.CULTURE,
    OrganizationCategory.SERVICE,
    OrganizationCategory.YOUTH,
)


def _founded_by(day: datetime.date) -> Q:
    # An organization without a founding date counts from the day it was entered in the portal.
    return Q(founded_on__lte=day) | Q(founded_on__isnull=True, created_at__date__lte=day)


def _compared_by(organizations: QuerySet[Organization], field: str, period: Period) -> tuple[dict, dict]:
    rows = (
        organizations.filter(is_active=True)
        .order_by()
        .values(field)
        .annotate(
            now=Count("pk", filter=_founded_by(period.end)),
            before=Count("pk", filter=_founded_by(period.year_before.end)),
        )
    )
    now, before = {}, {}
    for row in rows:
        now[row[field]], before[row[field]] = row["now"], row["before"]
    return now, before


def _definition(period: Period) -> str:
    return _("运行中的组织，截至 %(end)s 已成立的（未填成立日期的按录入日期计），与 %(before)s 比较。") % {
        "end": period.end.isoformat(),
        "before": period.year_before.end.isoformat(),
    }


def _headers() -> tuple[str, ...]:
    return (_("类别"), _("期末"), _("上年同期"))


def organizations_by_kind(*, organizations: QuerySet[Organization], period: Period) -> Table:
    now, before = _compared_by(organizations, "kind", period)
    return Table(
        key="org_kind",
        title=_("组织（按类型）"),
        definition=_definition(period),
        headers=_headers(),
        rows=with_total(choice_rows(OrganizationKind.choices, now, before), _("合计")),
    )


def organizations_by_category(*, organizations: QuerySet[Organization], period: Period) -> Table:
    now, before = _compared_by(organizations, "category", period)
    choices = [(value, label) for value, label in OrganizationCategory.choices if value in SEED_CATEGORIES]
    return Table(
        key="org_category",
        title=_("同心荟（按五类）"),
        definition=_definition(period)
        + _("五类为孵化型、联盟型、文化型、服务型、青创型；未分类或其他类别的组织不列入。"),
        headers=_headers(),
        rows=with_total(choice_rows(choices, now, before), _("合计")),
    )


def organizations_by_level(*, organizations: QuerySet[Organization], period: Period) -> Table:
    now, before = _compared_by(organizations, "level", period)
    return Table(
        key="org_level",
        title=_("组织（按级别）"),
        definition=_definition(period),
        headers=_headers(),
        rows=with_total(choice_rows(OrganizationLevel.choices, now, before), _("合计")),
    )


def recognitions_by_year(*, organizations: QuerySet[Organization]) -> Table:
    counts = (
        Recognition.objects.filter(organization__in=organizations.values("pk"))
        .order_by()
        .values_list("year", "level")
        .annotate(n=Count("pk"))
    )
    by_year: dict[int, dict[str, int]] = {}
    for year, level, n in counts:
        by_year.setdefault(year, {})[level] = n
    levels = RecognitionLevel.choices
    rows = tuple(
        Row(str(year), tuple(by_year[year].get(value, 0) for value, _label in levels)) for year in sorted(by_year)
    )
    return Table(
        key="recognitions",
        title=_("荣誉认定（按年份）"),
        definition=_("本地区组织获得的实践创新基地等荣誉，按认定年份和级别计数，一个组织一年一项称号算一次。"),
        headers=(_("年份"), *(str(label) for _value, label in levels)),
        rows=with_total(rows, _("合计")),
        chart=Chart.NONE,
    )


def towns_with_tongxinhui(*, regions: QuerySet[Region], organizations: QuerySet[Organization]) -> Table | None:
    """Towns (镇/街道) of the focus and the running 同心荟 under each; None when the focus holds no town."""
    towns = list(regions.filter(level=RegionLevel.TOWN).order_by("path").values_list("name", "path"))
    if not towns:
        return None
    per_place = (
        organizations.filter(is_active=True, kind=OrganizationKind.TONGXINHUI)
        .order_by()
        .values_list("region__path")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys((path for _name, path in towns), 0)
    for path, n in per_place:
        town = enclosing(path, counts)
        if town is not None:
            counts[town] += n
    with_one = sum(1 for n in counts.values() if n)
    rows = tuple(Row(name, (counts[path],)) for name, path in towns)
    return Table(
        key="towns",
        title=_("镇街同心荟覆盖"),
        definition=_("每个镇/街道及其下村、社区运行中的同心荟个数。有同心荟的镇街 %(with)s 个，没有的 %(without)s 个。")
        % {"with": with_one, "without": len(towns) - with_one},
        headers=(_("镇/街道"), _("同心荟")),
        rows=rows,
    )
