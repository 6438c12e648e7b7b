"""The nightly snapshot (DailyFigure) of a day, recomputed from the same definitions as the live dashboard.

`snapshot_rebuild(day=D)` replaces every row of D in one transaction, set-based (one grouped query per metric
over the whole installation, one insert): running it twice gives the same rows, and two workers rebuilding the
same day at once take turns on a transaction-level advisory lock of that day, the second replacing the first's
rows with the same numbers. Any past day can be rebuilt; a day still running (today) is not kept, since its
figures change until Beijing midnight: the dashboard reads today live.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from activities.models import Activity
from consultations.models import Issue, Meeting
from consultations.states import MeetingState
from members.models import Membership, counted_on
from orgs.models import Organization
from stats.figures.activities import COUNTED
from stats.models import DailyFigure

MEMBERS = "members"
ISSUES_RAISED = "issues_raised"
ACTIVITIES_HELD = "activities_held"
MEETINGS_HELD = "meetings_held"
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
        batch: list[DailyFigure] = []
        for metric, organization_id, value in _figures(day):
            batch.append(
                DailyFigure(
                    metric=metric,
                    day=day,
                    organization_id=organization_id,
                    region_id=regions[organization_id],
                    value=value,
                )
            )
            if len(batch) >= BATCH:
                DailyFigure.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        DailyFigure.objects.bulk_create(batch)
        written += len(batch)
    return Rebuilt(day=day, rows=written)


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
