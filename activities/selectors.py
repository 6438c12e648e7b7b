"""Reads of the staff activity pages, each in a fixed number of queries whatever the data size.

Counts of sign-ups are correlated subqueries rather than joins: the scoped activity queryset already joins
co-hosts (and is DISTINCT), and a join-based Count over it would count a sign-up once per co-host.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from activities.models import Activity, ActivityStatus, Registration, RegistrationStatus
from members.models import Membership, Person
from orgs.models import Organization, Region

# Activities that count as "planned": announced to members, or already held.
PLANNED_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED)
FIGURES_MONTHS = 6
INACTIVE_MONTHS = 3


# ---------------------------------------------------------------------------------------------------------
# Months in the local time zone


Fallback = TypeVar("Fallback")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def containing(cls, moment: datetime.datetime | datetime.date) -> Month:
        if isinstance(moment, datetime.datetime):
            moment = timezone.localtime(moment).date()
        return cls(moment.year, moment.month)

    @classmethod
    def parse(cls, text: str | None, default: Fallback) -> Month | Fallback:
        """ "2024-03" → Month(2024, 3); anything else → default."""
        try:
            year, month = (int(part) for part in (text or "").split("-"))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return cls(year, month)
        except ValueError:
            pass
        return default

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime(self.year, self.month, 1))

    @property
    def ends_at(self) -> datetime.datetime:
        """The start of the next month: months are half-open ranges [starts_at, ends_at)."""
        return self.shifted(1).starts_at

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.key


def in_month(month: Month, field_name: str = "starts_at") -> Q:
    return Q(**{f"{field_name}__gte": month.starts_at, f"{field_name}__lt": month.ends_at})


def hosted_or_co_hosted_by(organization: Organization | int) -> Q:
    """Activities of an organization, as host or co-host, without a join that would duplicate rows."""
    co_hosted = Activity.co_hosts.through.objects.filter(activity_id=OuterRef("pk"), organization=organization)
    return Q(host=organization) | Q(Exists(co_hosted))


# ---------------------------------------------------------------------------------------------------------
# The list and the month view


def _registration_count(**conditions: object) -> Coalesce:
    counted = (
        Registration.objects.filter(activity_id=OuterRef("pk"), **conditions)
        .order_by()
        .values("activity_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_registration_counts(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Adds confirmed_count, waitlisted_count and checked_in_count to each activity."""
    return activities.annotate(
        confirmed_count=_registration_count(status=RegistrationStatus.CONFIRMED),
        waitlisted_count=_registration_count(status=RegistrationStatus.WAITLISTED),
        checked_in_count=_registration_count(checked_in_at__isnull=False),
    )


@dataclass(frozen=True)
class PlannedThisMonth:
    organization_id: int
    name: str
    region_name: str
    planned: int


# A district holds hundreds of organizations: the list page names this many, those with nothing planned first.
PLANNED_LISTED_AT_MOST = 50


@dataclass
class PlannedOverview:
    rows: list[PlannedThisMonth]
    organizations: int
    without_activity: int

    @property
    def not_listed(self) -> int:
        return self.organizations - len(self.rows)


def planned_overview(
    *, organizations: QuerySet[Organization], month: Month, listed_at_most: int = PLANNED_LISTED_AT_MOST
) -> PlannedOverview:
    """How many organizations have nothing planned this month, and the first few rows (two queries)."""
    annotated = _planned_rows(organizations=organizations, month=month)
    totals = annotated.order_by().aggregate(
        organizations=Count("pk"), without_activity=Count("pk", filter=Q(planned=0))
    )
    return PlannedOverview(
        rows=[_planned_row(row) for row in annotated[:listed_at_most]],
        organizations=totals["organizations"],
        without_activity=totals["without_activity"],
    )


def planned_this_month(*, organizations: QuerySet[Organization], month: Month) -> list[PlannedThisMonth]:
    """Every organization with how many activities it hosts or co-hosts this month (one query).

    Organizations with none come first: each is expected to hold at least one activity a month.
    """
    return [_planned_row(row) for row in _planned_rows(organizations=organizations, month=month)]


def _planned_row(row: dict[str, Any]) -> PlannedThisMonth:
    return PlannedThisMonth(
        organization_id=row["pk"], name=row["name"], region_name=row["region__name"], planned=row["planned"]
    )


def _planned_rows(*, organizations: QuerySet[Organization], month: Month) -> QuerySet[Organization, dict[str, Any]]:
    window = Q(status__in=PLANNED_STATUSES) & in_month(month)
    hosted = (
        Activity.objects.filter(window, host_id=OuterRef("pk"))
        .order_by()
        .values("host_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    co_hosted = (
        # The plugin forgets what annotate() adds on an auto-created through model, hence the ignore.
        Activity.co_hosts.through.objects.filter(  # type: ignore[misc]
            organization_id=OuterRef("pk"),
            activity__status__in=PLANNED_STATUSES,
            activity__starts_at__gte=month.starts_at,
            activity__starts_at__lt=month.ends_at,
        )
        .order_by()
        .values("organization_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    rows = (
        organizations.filter(is_active=True)
        .annotate(
            planned=Coalesce(Subquery(hosted, output_field=IntegerField()), Value(0))
            + Coalesce(Subquery(co_hosted, output_field=IntegerField()), Value(0))
        )
        .order_by("planned", "region__path", "name")
        .values("pk", "name", "region__name", "planned")
    )
    return rows


WEEKDAY_COUNT = 7


@dataclass
class CalendarDay:
    day: datetime.date
    in_month: bool
    is_today: bool
    activities: list[Activity] = field(default_factory=list)


def month_calendar(*, activities: Iterable[Activity], month: Month, today: datetime.date) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of days, each with the activities starting that day (local time)."""
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(month.year, month.month)
    days = {
        day: CalendarDay(day=day, in_month=day.month == month.month, is_today=day == today)
        for week in weeks
        for day in week
    }
    for activity in activities:
        start_day = timezone.localtime(activity.starts_at).date()
        if start_day in days:
            days[start_day].activities.append(activity)
    return [[days[day] for day in week] for week in weeks]


# ---------------------------------------------------------------------------------------------------------
# Figures


@dataclass
class MonthFigures:
    activities: int = 0
    signups: int = 0
    confirmed_done: int = 0
    checked_in_done: int = 0

    def add(self, other: MonthFigures) -> None:
        self.activities += other.activities
        self.signups += other.signups
        self.confirmed_done += other.confirmed_done
        self.checked_in_done += other.checked_in_done

    @property
    def attendance_rate(self) -> float | None:
        """Checked-in / confirmed sign-ups of completed activities; None when there is nothing to divide."""
        if not self.confirmed_done:
            return None
        return self.checked_in_done / self.confirmed_done


@dataclass
class FiguresRow:
    """One organization, or one region rolled up over its subtree."""

    label: str
    months: dict[str, MonthFigures]
    inactive_members: int = 0
    organization_id: int | None = None
    region_id: int | None = None
    depth: int = 0

    @property
    def total(self) -> MonthFigures:
        total = MonthFigures()
        for figures in self.months.values():
            total.add(figures)
        return total


@dataclass
class Figures:
    months: list[Month]
    organizations: list[FiguresRow]
    regions: list[FiguresRow]


def _month_key(value: datetime.datetime | datetime.date) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return f"{value.year:04d}-{value.month:02d}"


def _activity_figures(activities: QuerySet[Activity], group_by: str) -> QuerySet:
    """Per `group_by` and month: activities, sign-ups, confirmed and checked-in sign-ups of completed ones."""
    completed = Q(status=ActivityStatus.COMPLETED)
    return (
        activities.annotate(month=TruncMonth("starts_at"))
        .order_by()
        .values(group_by, "month")
        .annotate(
            activity_total=Count("pk", distinct=True),
            signups=Count("registrations", filter=~Q(registrations__status=RegistrationStatus.CANCELLED)),
            confirmed_done=Count(
                "registrations", filter=completed & Q(registrations__status=RegistrationStatus.CONFIRMED)
            ),
            checked_in_done=Count("registrations", filter=completed & Q(registrations__checked_in_at__isnull=False)),
        )
    )


def inactive_members(
    *, persons: QuerySet[Person], organization: Organization | int, since: datetime.datetime
) -> QuerySet[Person]:
    """Current members of an organization with no check-in at its activities (hosted or co-hosted) since `since`."""
    attended = Registration.objects.filter(
        person_id=OuterRef("pk"), checked_in_at__isnull=False, activity__starts_at__gte=since
    ).filter(
        Q(activity__host=organization)
        | Q(
            Exists(
                Activity.co_hosts.through.objects.filter(activity_id=OuterRef("activity_id"), organization=organization)
            )
        )
    )
    current = Membership.objects.current().filter(person_id=OuterRef("pk"), organization=organization)
    return persons.filter(Exists(current)).exclude(Exists(attended))


def _inactive_counts(*, organizations: QuerySet[Organization], since: datetime.datetime) -> dict[int, int]:
    attended = Registration.objects.filter(
        person_id=OuterRef("person_id"), checked_in_at__isnull=False, activity__starts_at__gte=since
    ).filter(
        Q(activity__host_id=OuterRef("organization_id"))
        | Q(
            Exists(
                Activity.co_hosts.through.objects.filter(
                    activity_id=OuterRef("activity_id"), organization_id=OuterRef(OuterRef("organization_id"))
                )
            )
        )
    )
    rows = (
        Membership.objects.current()
        .filter(organization__in=organizations)
        .exclude(Exists(attended))
        .order_by()
        .values("organization_id")
        .annotate(total=Count("person_id", distinct=True))
    )
    return {row["organization_id"]: row["total"] for row in rows}


def organization_figures(
    *, organizations: QuerySet[Organization], regions: QuerySet[Region], today: datetime.date
) -> Figures:
    """Activities, sign-ups and attendance per month over the last six months, and members who attended
    nothing in the last three, per organization and rolled up per region of `regions` (five queries).

    An organization counts the activities it hosts and those it co-hosts. A region counts the activities
    hosted in its subtree, so a visit between two of its 同心荟 is counted once; its inactive members are the
    sum over its organizations (a person in two organizations counts in each).
    """
    current = Month.containing(today)
    months = [current.shifted(offset) for offset in range(-(FIGURES_MONTHS - 1), 1)]
    since = months[0].starts_at
    window = Q(status__in=PLANNED_STATUSES, starts_at__gte=since, starts_at__lt=current.ends_at)
    organization_list = list(organizations.order_by("region__path", "name"))
    organization_ids = [org.pk for org in organization_list]
    keys = [month.key for month in months]

    def empty_months() -> dict[str, MonthFigures]:
        return {key: MonthFigures() for key in keys}

    def figures_of(row: dict) -> MonthFigures:
        return MonthFigures(
            activities=row["activity_total"],
            signups=row["signups"],
            confirmed_done=row["confirmed_done"],
            checked_in_done=row["checked_in_done"],
        )

    by_organization = {org_id: empty_months() for org_id in organization_ids}
    hosted_by_organization = {org_id: empty_months() for org_id in organization_ids}
    hosted = _activity_figures(Activity.objects.filter(window, host_id__in=organization_ids), "host_id")
    for row in hosted:
        key = _month_key(row["month"])
        by_organization[row["host_id"]][key].add(figures_of(row))
        hosted_by_organization[row["host_id"]][key].add(figures_of(row))
    co_hosted = _activity_figures(Activity.objects.filter(window, co_hosts__in=organization_ids), "co_hosts")
    for row in co_hosted:
        if row["co_hosts"] in by_organization:
            by_organization[row["co_hosts"]][_month_key(row["month"])].add(figures_of(row))

    inactive = _inactive_counts(
        organizations=Organization.objects.filter(pk__in=organization_ids), since=inactive_since(today)
    )
    organization_rows = [
        FiguresRow(
            label=org.name,
            months=by_organization[org.pk],
            inactive_members=inactive.get(org.pk, 0),
            organization_id=org.pk,
        )
        for org in organization_list
    ]

    region_list = list(regions.order_by("path"))
    region_rows = {
        region.pk: FiguresRow(label=region.name, months=empty_months(), region_id=region.pk, depth=region.depth)
        for region in region_list
    }
    has_organizations: set[int] = set()
    for org in organization_list:
        for region_id in org.region.ancestor_ids:
            rolled = region_rows.get(region_id)
            if rolled is None:
                continue
            has_organizations.add(region_id)
            for key, figures in hosted_by_organization[org.pk].items():
                rolled.months[key].add(figures)
            rolled.inactive_members += inactive.get(org.pk, 0)
    return Figures(
        months=months,
        organizations=organization_rows,
        regions=[region_rows[region.pk] for region in region_list if region.pk in has_organizations],
    )


def inactive_since(today: datetime.date) -> datetime.datetime:
    """Local midnight three months before today (31 May → 28 or 29 February): the "attended nothing" window."""
    earlier = Month.containing(today).shifted(-INACTIVE_MONTHS)
    day = min(today.day, calendar.monthrange(earlier.year, earlier.month)[1])
    return timezone.make_aware(datetime.datetime(earlier.year, earlier.month, day))


def registrations_of(activity: Activity) -> dict[str, list[Registration]]:
    """The sign-ups of one activity by status, the waiting list in the order people will move up (one query)."""
    grouped: dict[str, list[Registration]] = defaultdict(list)
    for registration in activity.registrations.select_related("person").order_by("created_at", "id"):
        grouped[registration.status].append(registration)
    return {status: grouped.get(status, []) for status in RegistrationStatus.values}
