"""People of the focus: members on a date by stratum, the growth series since founding, representative people,
人大代表/政协委员 by level, and the 列名联系 coverage."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from members.models import (
    ContactAssignment,
    ContactLog,
    Membership,
    OfficeLevel,
    Person,
    PublicOffice,
    PublicOfficeKind,
    Stratum,
    counted_on,
)
from orgs.models import RegionLevel
from portal.scoping import pk_among
from stats.periods import Period
from stats.scoping import Focus
from stats.snapshot import kept_member_counts
from stats.tables import Chart, Row, Table, choice_rows, with_total

CONTACT_WINDOW_DAYS = 90
MAX_SERIES_YEARS = 40


def members_by_stratum(*, memberships: QuerySet[Membership], period: Period) -> Table:
    end, before = period.end, period.year_before.end
    rows = (
        memberships.filter(counted_on(end) | counted_on(before))
        .order_by()
        .values("person__stratum")
        .annotate(
            now=Count("person", distinct=True, filter=counted_on(end)),
            then=Count("person", distinct=True, filter=counted_on(before)),
        )
    )
    now = {row["person__stratum"]: row["now"] for row in rows}
    then = {row["person__stratum"]: row["then"] for row in rows}
    return Table(
        key="members",
        title=_("在册会员（按社会阶层）"),
        definition=_(
            "%(end)s 当天会籍有效的人数（入会日期不晚于当天、当天尚未退出），一人在几个组织只算一次；"
            "与 %(before)s 比较。"
        )
        % {"end": end.isoformat(), "before": before.isoformat()},
        headers=(_("社会阶层"), _("期末"), _("上年同期")),
        rows=with_total(choice_rows(Stratum.choices, now, then), _("合计")),
    )


def _series_days(first: datetime.date, today: datetime.date, founded_on: datetime.date | None) -> list[datetime.date]:
    start = founded_on or first
    days = [start] if start < today else []
    # 1 January of each year, as on 会员增长 (members.selectors.organization_member_series).
    days += [datetime.date(year, 1, 1) for year in range(start.year + 1, today.year + 1)]
    return [*days[-MAX_SERIES_YEARS:], today]


def member_growth(*, memberships: QuerySet[Membership], focus: Focus, today: datetime.date) -> Table:
    """Members at founding (an organization's founding date, else the first joining), at each year's end, and
    today. Days the nightly snapshot kept are read from it (stats.snapshot.kept_member_counts); the others, and
    today, are counted live, two conditional counts per date in one query."""
    first = memberships.order_by().aggregate(first=Min("joined_on"))["first"]
    founded_on = focus.organization.founded_on if focus.organization is not None else None
    days = _series_days(first, today, founded_on) if first is not None else [today]
    kept = kept_member_counts(
        organization=focus.organization,
        region_id=focus.region.pk if focus.organization is None and focus.region is not None else None,
        days=[day for day in days if day < today],
    )
    counted = {**kept, **_live_member_counts(memberships, [day for day in days if day not in kept])}
    rows = tuple(Row(day.isoformat(), counted[day]) for day in days)
    return Table(
        key="growth",
        title=_("会员增长"),
        definition=_(
            "成立之日（组织的成立日期，地区按最早入会日期）、此后每年1月1日和今天在册的会员人数，及其中的自由职业人员；"
            "一人在几个组织只算一次。已保存的日期取自每晚的统计快照（同一口径），今天为实时数字。"
        ),
        headers=(_("日期"), _("会员"), _("自由职业人员")),
        rows=rows,
        chart=Chart.LINE,
    )


def _live_member_counts(
    memberships: QuerySet[Membership], days: list[datetime.date]
) -> dict[datetime.date, tuple[int, int]]:
    if not days:
        return {}
    freelancer = Q(person__stratum=Stratum.FREELANCER)
    aggregates = {}
    for index, day in enumerate(days):
        aggregates[f"all_{index}"] = Count("person", distinct=True, filter=counted_on(day))
        aggregates[f"free_{index}"] = Count("person", distinct=True, filter=counted_on(day) & freelancer)
    counts = memberships.order_by().aggregate(**aggregates)
    return {day: (counts[f"all_{index}"], counts[f"free_{index}"]) for index, day in enumerate(days)}


def persons_of(persons: QuerySet[Person], focus: Focus) -> QuerySet[Person]:
    """People of the focus: those who live there or were ever members of its organizations; of an organization,
    those who were ever its members."""
    if focus.organization is not None:
        return persons.filter(Exists(Membership.objects.filter(Q(person=OuterRef("pk")) & focus.q("organization"))))
    if focus.region is None:
        return persons
    if focus.region.level == RegionLevel.DISTRICT:
        # A district's people gathered by place and by membership through their indexes, not by a second OR over
        # every person of the province beside the scope's own: the seats query took 0.3 s so, 0.08 s thus.
        living = Person.objects.filter(region__path__startswith=focus.region.path).order_by().values("pk")
        joined = Membership.objects.filter(focus.q("organization")).order_by().values("person_id")
        return persons.filter(pk_among(living, joined))
    # A town's or a village's: the scope (members.scoping) already gathered a few hundred by id; an OR over them
    # is cheap, while a second gathering beside the scope's made PostgreSQL join the two lists row by row (9 s).
    in_focus = Membership.objects.filter(Q(person=OuterRef("pk")) & focus.q("organization"))
    return persons.filter(Q(region__path__startswith=focus.region.path) | Q(Exists(in_focus)))


def _seat_on(day: datetime.date) -> Q:
    return (Q(started_on__isnull=True) | Q(started_on__lte=day)) & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def representatives(*, persons: QuerySet[Person], offices: QuerySet[PublicOffice], period: Period) -> Table:
    end, before = period.end, period.year_before.end
    representative_count = persons.filter(is_representative=True).count()
    seats = (
        offices.filter(person__in=persons.values("pk"))
        .order_by()
        .values_list("kind", "level")
        .annotate(
            now=Count("person", distinct=True, filter=_seat_on(end)),
            then=Count("person", distinct=True, filter=_seat_on(before)),
        )
    )
    now: dict[str, int] = {}
    then: dict[str, int] = {}
    for kind, level, n_now, n_then in seats:
        key = f"{kind}:{level}"
        now[key], then[key] = n_now, n_then
    choices = [
        (f"{kind}:{level}", f"{level_label}{kind_label}")
        for kind, kind_label in PublicOfficeKind.choices
        for level, level_label in OfficeLevel.choices
    ]
    seat_rows = choice_rows(choices, now, then)
    rows = (
        *with_total(seat_rows, _("人大代表、政协委员合计（人次）")),
        Row(_("代表人士（今天）"), (representative_count, None)),
    )
    return Table(
        key="representatives",
        title=_("人大代表、政协委员和代表人士"),
        definition=_(
            "本地区人员（住在本地区或曾是本地区组织会员）中 %(end)s 在任的人大代表、政协委员，按级别；"
            "一人兼任两个席位各算一次。代表人士为名册上标记为代表人士的人数。"
        )
        % {"end": end.isoformat()},
        headers=(_("席位"), _("期末"), _("上年同期")),
        rows=rows,
        chart=Chart.NONE,
    )


def contact_coverage(
    *,
    persons: QuerySet[Person],
    assignments: QuerySet[ContactAssignment],
    logs: QuerySet[ContactLog],
    today: datetime.date,
) -> Table:
    since = today - datetime.timedelta(days=CONTACT_WINDOW_DAYS)
    assigned = assignments.filter(Q(person=OuterRef("pk")), Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    contacted = logs.filter(person=OuterRef("pk"), occurred_on__gt=since, occurred_on__lte=today)
    figures = persons.filter(is_representative=True).aggregate(
        total=Count("pk"),
        assigned=Count("pk", filter=Q(Exists(assigned.values("pk")))),
        silent=Count("pk", filter=~Q(Exists(contacted.values("pk")))),
    )
    return Table(
        key="contacts",
        title=_("列名联系"),
        definition=_("本地区代表人士中，今天有列名联系领导的人数，以及 %(since)s 之后没有任何联系记录的人数。")
        % {"since": since.isoformat()},
        headers=(_("项目"), _("人数")),
        rows=(
            Row(_("代表人士"), (figures["total"],)),
            Row(_("有列名联系领导"), (figures["assigned"],)),
            Row(_("近90天无联系记录"), (figures["silent"],)),
        ),
        chart=Chart.NONE,
    )
