"""The nightly snapshot (DailyFigure) of a day, recomputed from the same definitions as the live dashboard.

`snapshot_rebuild(day=D)` replaces every row of D in one transaction, set-based (one grouped query per metric
over the whole installation, one insert): running it twice gives the same rows, and two workers rebuilding the
same day at once take turns on a transaction-level advisory lock of that day, the second replacing the first's
rows with the same numbers. Any past day can be rebuilt; a day still running (today) is not kept, since its
figures change until Beijing midnight: the dashboard reads today live.

Members are kept per organization and, because a person in two organizations of a town counts once in the
town, per place as a whole: every village, town and district above the organizations (PLACE_MEMBERS). The
dashboard's growth series reads those of the days kept (`kept_member_counts`) and counts only the others, and
today, live, with the same definition.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from activities.models import Activity
from consultations.models import Issue, Meeting
from consultations.states import MeetingState
from members.models import Membership, Stratum, counted_on
from orgs.models import Organization
from portal.scoping import path_ids
from stats.figures.activities import COUNTED
from stats.models import DailyFigure, SnapshotDay

MEMBERS = "members"
ISSUES_RAISED = "issues_raised"
ACTIVITIES_HELD = "activities_held"
MEETINGS_HELD = "meetings_held"
# Of a place as a whole: the people of all the organizations under it, each once; and the 自由职业人员 among them.
PLACE_MEMBERS = "place_members"
PLACE_FREELANCERS = f"{PLACE_MEMBERS}:{Stratum.FREELANCER}"
BATCH = 5_000
# The advisory lock space of the snapshot: the key is this plus the day's ordinal.
LOCK_BASE = 11_000_000_000


def stratum_metric(stratum: str) -> str:
    return f"{MEMBERS}:{stratum}"


def _day_span(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def _figures(day: datetime.date) -> Iterator[tuple[str, int, int]]:
    """(metric, organization id, value) of every non-zero figure of the day."""
    members = (
        Membership.objects.filter(counted_on(day))
        .order_by()
        .values_list("organization_id", "person__stratum")
        .annotate(n=Count("person", distinct=True))
    )
    totals: dict[int, int] = {}
    for organization_id, stratum, n in members.iterator(chunk_size=BATCH):
        yield stratum_metric(stratum), organization_id, n
        totals[organization_id] = totals.get(organization_id, 0) + n
    for organization_id, n in totals.items():
        yield MEMBERS, organization_id, n
    start, end = _day_span(day)
    grouped = (
        (ISSUES_RAISED, Issue.objects.filter(created_at__gte=start, created_at__lt=end), "organization_id"),
        (
            ACTIVITIES_HELD,
            Activity.objects.filter(status__in=COUNTED, starts_at__gte=start, starts_at__lt=end),
            "host_id",
        ),
        (
            MEETINGS_HELD,
            Meeting.objects.filter(state=MeetingState.HELD, scheduled_at__gte=start, scheduled_at__lt=end),
            "organization_id",
        ),
    )
    for metric, rows, field in grouped:
        for organization_id, n in rows.order_by().values_list(field).annotate(n=Count("pk")).iterator():
            yield metric, organization_id, n


def _place_figures(day: datetime.date) -> Iterator[tuple[str, int, int]]:
    """(metric, region id, value) of the members of every place with any: each person once per place, wherever
    their memberships under it are; the places above an organization are read from its region's path."""
    people: defaultdict[int, set[int]] = defaultdict(set)
    freelancers: defaultdict[int, set[int]] = defaultdict(set)
    memberships = (
        Membership.objects.filter(counted_on(day))
        .order_by()
        .values_list("person_id", "person__stratum", "organization__region__path")
    )
    for person_id, stratum, path in memberships.iterator(chunk_size=BATCH):
        for region_id in path_ids(path):
            people[region_id].add(person_id)
            if stratum == Stratum.FREELANCER:
                freelancers[region_id].add(person_id)
    for metric, by_place in ((PLACE_MEMBERS, people), (PLACE_FREELANCERS, freelancers)):
        for region_id, persons in by_place.items():
            yield metric, region_id, len(persons)


@dataclass(frozen=True)
class Rebuilt:
    day: datetime.date
    rows: int


def snapshot_rebuild(*, day: datetime.date) -> Rebuilt:
    """Replaces the snapshot of `day` (a day already over in Beijing) with a recount."""
    if day >= timezone.localdate():
        raise ValueError("only a day that is over can be kept: today's figures are read live")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_BASE + day.toordinal()])
        regions = dict(Organization.objects.values_list("pk", "region_id"))
        DailyFigure.objects.filter(day=day).delete()
        written = 0
        figures = (
            DailyFigure(metric=metric, day=day, organization_id=pk, region_id=regions[pk], value=value)
            for metric, pk, value in _figures(day)
        )
        places = (
            DailyFigure(metric=metric, day=day, organization_id=None, region_id=pk, value=value)
            for metric, pk, value in _place_figures(day)
        )
        batch: list[DailyFigure] = []
        for row in itertools.chain(figures, places):
            batch.append(row)
            if len(batch) >= BATCH:
                DailyFigure.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        DailyFigure.objects.bulk_create(batch)
        written += len(batch)
        SnapshotDay.objects.update_or_create(day=day, defaults={"rebuilt_at": timezone.now(), "rows": written})
    return Rebuilt(day=day, rows=written)


def kept_member_counts(
    *, organization: Organization | None, region_id: int | None, days: Iterable[datetime.date]
) -> dict[datetime.date, tuple[int, int]]:
    """(members, 自由职业人员) on each of `days` that is kept, of one organization or of a place as a whole: two
    queries, whatever the number of days. Days not kept are absent (the caller counts them live)."""
    if organization is not None:
        everyone, free = MEMBERS, stratum_metric(Stratum.FREELANCER)
        rows = DailyFigure.objects.filter(organization=organization)
    elif region_id is not None:
        everyone, free = PLACE_MEMBERS, PLACE_FREELANCERS
        rows = DailyFigure.objects.filter(region_id=region_id, organization__isnull=True)
    else:  # the whole installation: a superuser's view, counted live
        return {}
    kept = list(SnapshotDay.objects.filter(day__in=sorted(set(days))).values_list("day", flat=True))
    if not kept:
        return {}
    values = {
        (metric, day): value
        for metric, day, value in rows.filter(metric__in=[everyone, free], day__in=kept).values_list(
            "metric", "day", "value"
        )
    }
    return {day: (values.get((everyone, day), 0), values.get((free, day), 0)) for day in kept}


def kept_members(*, organizations: Q, day: datetime.date) -> dict[str, int]:
    """Members of the organizations matched by `organizations` (a Q on DailyFigure) on a kept day, by metric
    ("members" and "members:<stratum>"), summed over the organizations: a person in two of them counts twice."""
    rows = (
        DailyFigure.objects.filter(organizations, day=day, metric__startswith=MEMBERS)
        .order_by()
        .values_list("metric")
        .annotate(total=Sum("value"))
    )
    return dict(rows)
