"""Reads of the roster: what the staff pages show, in a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Min, Prefetch, QuerySet

from members.models import Membership, Person, counted_on
from members.scoping import memberships_for
from orgs.models import Organization
from portal.scoping import Action, AnyUser

# ---------------------------------------------------------------------------------------------------------
# Roster rows


def roster_rows(*, user: AnyUser, persons: QuerySet[Person]) -> QuerySet[Person]:
    """Persons with their current memberships attached as `current_memberships`.

    Only memberships of organizations the user may see are attached: a village secretary does not learn
    which other villages' organizations a member also belongs to.
    """
    current = (
        memberships_for(user, Action.VIEW)
        .select_related(None)
        .select_related("organization")
        .current()
        .order_by("organization__name", "joined_on")
    )
    return persons.prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))


def roster_occupations(*, persons: QuerySet[Person], limit: int = 300) -> list[str]:
    """The occupations present in a roster, for the occupation filter (one query)."""
    return list(
        persons.exclude(occupation="").order_by("occupation").values_list("occupation", flat=True).distinct()[:limit]
    )


# ---------------------------------------------------------------------------------------------------------
# Growth over time
#
# What counts as a member on a day is members.models.counted_on.


def _members_on(day: datetime.date | F) -> Count:
    return Count("memberships", filter=counted_on(day, through="memberships__"))


def organization_member_counts_on(*, organizations: QuerySet[Organization], on_date: datetime.date) -> dict[int, int]:
    """Members of each organization on one date, keyed by organization id (one query)."""
    counted = organizations.order_by().annotate(members_on_date=_members_on(on_date))
    return {row["pk"]: row["members_on_date"] for row in counted.values("pk", "members_on_date")}


@dataclass(frozen=True)
class GrowthPoint:
    on: datetime.date
    members: int
    label: str  # "成立" / "年初" / "今天": why this date is in the series


@dataclass(frozen=True)
class OrganizationGrowth:
    organization: Organization
    points: tuple[GrowthPoint, ...]

    @property
    def peak(self) -> int:
        return max((point.members for point in self.points), default=0)

    @property
    def latest(self) -> int:
        return self.points[-1].members if self.points else 0


FOUNDING = "founding"
YEAR_START = "year_start"
TODAY = "today"


def _series_start_year(organizations: Sequence[Organization]) -> int | None:
    founding_years = [org.founded_on.year for org in organizations if org.founded_on]
    if len(founding_years) == len(organizations) and founding_years:
        return min(founding_years)
    # Some organization does not know its founding date: start where its first member joined.
    first_join = Membership.objects.filter(organization__in=organizations).aggregate(first=Min("joined_on"))["first"]
    candidates = [*founding_years, *([first_join.year] if first_join else [])]
    return min(candidates) if candidates else None


def organization_member_series(
    *, organizations: Iterable[Organization], today: datetime.date
) -> list[OrganizationGrowth]:
    """For each organization: members at founding, on January 1st of every later year, and today.

    `organizations` may be a queryset (evaluated here) or an already fetched page of them. Bounded whatever
    the data size: one query for all organizations and all dates (conditional counts), plus one to find
    where the series starts when a founding date is missing.
    """
    organizations_list = list(organizations)
    if not organizations_list:
        return []
    start_year = _series_start_year(organizations_list) or today.year
    year_starts = [datetime.date(year, 1, 1) for year in range(start_year, today.year + 1)]
    annotations = {f"on_{day:%Y%m%d}": _members_on(day) for day in year_starts}
    annotations["on_today"] = _members_on(today)
    annotations["on_founding"] = _members_on(F("founded_on"))
    # Re-select by id so that a sliced page of organizations can be passed in.
    counted = Organization.objects.filter(pk__in=[org.pk for org in organizations_list]).annotate(**annotations)
    rows = {row["pk"]: row for row in counted.values("pk", *annotations.keys())}
    series = []
    for organization in organizations_list:
        row = rows.get(organization.pk, {})
        points: list[GrowthPoint] = []
        founded_on = organization.founded_on
        if founded_on and founded_on <= today:
            points.append(GrowthPoint(on=founded_on, members=row.get("on_founding", 0), label=FOUNDING))
        for day in year_starts:
            if founded_on and day <= founded_on:
                continue
            if not founded_on and not points and not row.get(f"on_{day:%Y%m%d}"):
                continue  # unknown founding date: begin the series with its first members
            points.append(GrowthPoint(on=day, members=row.get(f"on_{day:%Y%m%d}", 0), label=YEAR_START))
        if not points or points[-1].on != today:
            points.append(GrowthPoint(on=today, members=row.get("on_today", 0), label=TODAY))
        series.append(OrganizationGrowth(organization=organization, points=tuple(points)))
    return series


# ---------------------------------------------------------------------------------------------------------
# Who may sign in by phone


def roster_person_with_phone(phone: str, *, on_date: datetime.date) -> Person | None:
    """The person with this phone if they are a member of some organization on `on_date`, else None."""
    if not phone:
        return None
    return Person.objects.filter(phone=phone).filter(counted_on(on_date, through="memberships__")).first()
