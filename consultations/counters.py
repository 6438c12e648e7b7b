"""已解决议题 N 件: the public count of issues whose result is published, and the notice board that lists them.

One definition for both, so that the figure and the board never disagree: an issue is resolved while the result
it reached is on the board — published (公示中) or archived after its notice period (已归档). The board lists
each such issue once, by its latest notice. An issue that leaves those states (staff reopened it after an
unsatisfied rating) withdraws its result: it leaves the board and the count until a new result is published,
even if it is archived again without one; issues closed without a result never enter either.

Written down as a recount (`board_by_recount`): the latest notice of each issue in RESOLVED_STATES whose
result was not withdrawn (`Issue.resolved_at` is set at publishing and cleared on leaving).

The pages never recount: the services keep the answer in the transaction of each step —
- `PublicNotice.is_current` marks the notices on the board (partial indexes walk only those, newest first);
- `OrganizationResolvedTally` holds the figure of each organization, `RegionResolvedTally` that of the notices
  of each place (the region a notice was published for, copied from its issue and never changed). A district's
  or town's figure sums the rows of the places under it, the same places the board's region filter lists, so a
  place moved to another town (orgs.services.region_update) carries its figure along with no write here; the
  whole board sums every row (one per village at most: 20,000 rows in the province, a few milliseconds).
Both change with UPDATE ... SET count = count + 1 (an upsert), never read-modify-write, rows taken in id order.
`counters_rebuild` sets everything from the recount (after a bulk load) and `counters_check` compares.

Members of an organization are not kept here: "members on a day" changes at Beijing midnight with no write,
so pages count them per organization from the membership_org_span index (orgs.selectors), bounded by that
organization's roster and not by the province.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Count, OrderBy, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from consultations.models import Issue, OrganizationResolvedTally, PublicNotice, RegionResolvedTally
from consultations.scoping import notices_public
from consultations.states import RESOLVED_STATES
from orgs.models import Organization, Region

# ---- reading -------------------------------------------------------------------------------------------------


def resolved_notices(
    *, organization: Organization | None = None, region: Region | None = None
) -> QuerySet[PublicNotice]:
    """The notices on the board, newest first: the current notice of each resolved issue, of one organization,
    of everything under a region, or (neither given) everywhere."""
    notices = notices_public().filter(is_current=True)
    newest_first: list[str | OrderBy] = ["-published_at", "-id"]
    if organization is not None:
        notices = notices.filter(organization=organization)
    elif region is not None:
        notices = notices.filter(region_id__in=Region.objects.filter(path__startswith=region.path).values("pk"))
        # Sorted from the place's own notices (found by the partial index on region): walking the whole board's
        # index newest first and skipping the other places' notices would read all of them for a quiet district.
        newest_first = [Coalesce("published_at", "published_at").desc(), "-id"]
    return notices.order_by(*newest_first)


def resolved_issue_count(*, organization: Organization | None = None, region: Region | None = None) -> int:
    """The figure above the board, from the kept tallies: one row read, whatever the size of the history."""
    if organization is not None and region is not None:
        if not organization.region.path.startswith(region.path):
            return 0
        region = None
    if organization is not None:
        kept = OrganizationResolvedTally.objects.filter(organization=organization).values_list("count", flat=True)
        return next(iter(kept), 0)
    tallies = RegionResolvedTally.objects.all()
    if region is not None:
        tallies = tallies.filter(region__path__startswith=region.path)
    return tallies.aggregate(total=Sum("count"))["total"] or 0


def resolved_issue_counts(organization_ids: Iterable[int]) -> dict[int, int]:
    """Resolved issues of many organizations in one query; every id asked for is in the answer."""
    ids = list(organization_ids)
    counts = dict.fromkeys(ids, 0)
    if ids:
        rows = OrganizationResolvedTally.objects.filter(organization_id__in=ids).values_list("organization_id", "count")
        counts.update(dict(rows))
    return counts


# ---- kept by the services, inside their transaction ----------------------------------------------------------


def _add(model: type[models.Model], deltas: dict[int, int]) -> None:
    """count += delta on each row (created at delta when missing), in one statement, rows in id order so that
    two transactions touching the same regions take their locks in the same order."""
    deltas = {pk: delta for pk, delta in deltas.items() if delta}
    if not deltas:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key = quote(model._meta.pk.column)
    count = quote("count")
    params: list[int] = []
    for pk in sorted(deltas):
        params += [pk, deltas[pk]]
    placeholders = ", ".join(["(%s, %s)"] * len(deltas))
    # Only quoted names of our own tables are formatted in; the values go as parameters.
    sql = (
        f"INSERT INTO {table} ({key}, {count}) VALUES {placeholders} "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _tally(notices: Sequence[PublicNotice], delta: int) -> None:
    """Adds delta for each notice to the rows of its organization and of its place."""
    by_organization: Counter[int] = Counter(notice.organization_id for notice in notices)
    by_region: Counter[int] = Counter(notice.region_id for notice in notices)
    _add(OrganizationResolvedTally, {pk: n * delta for pk, n in by_organization.items()})
    _add(RegionResolvedTally, {pk: n * delta for pk, n in by_region.items()})


def notice_put_on_board(notice: PublicNotice) -> None:
    """A result published (issue_publish): its notice replaces any earlier one of the issue on the board."""
    earlier = list(PublicNotice.objects.filter(issue_id=notice.issue_id, is_current=True).exclude(pk=notice.pk))
    if earlier:
        PublicNotice.objects.filter(pk__in=[each.pk for each in earlier]).update(is_current=False)
        _tally(earlier, -1)
    PublicNotice.objects.filter(pk=notice.pk).update(is_current=True)
    notice.is_current = True
    _tally([notice], +1)


def board_follow_state(issue: Issue, *, from_state: str) -> None:
    """Called by consultations.services._apply after every step: an issue leaving the resolved states withdraws
    its result from the board and the counts. Costs nothing for any other step."""
    if from_state not in RESOLVED_STATES or issue.state in RESOLVED_STATES:
        return
    on_board = list(PublicNotice.objects.filter(issue_id=issue.pk, is_current=True))
    if on_board:
        PublicNotice.objects.filter(pk__in=[each.pk for each in on_board]).update(is_current=False)
        _tally(on_board, -1)
    issue.resolved_at = None
    Issue.objects.filter(pk=issue.pk).update(resolved_at=None)


# ---- the recount, the check and the rebuild ------------------------------------------------------------------


def board_by_recount() -> QuerySet[PublicNotice]:
    """The board as the definition says, recounted from the issues and all their notices: slow by design, for
    the check and the rebuild only, never for a page."""
    resolved = PublicNotice.objects.filter(issue__state__in=RESOLVED_STATES, issue__resolved_at__isnull=False)
    if connection.vendor == "postgresql":
        # One pass over the notices sorted by issue instead of a lookup per notice: a minute less at a million.
        latest_ids = resolved.order_by("issue_id", "-published_at", "-id").distinct("issue_id").values("pk")
        return PublicNotice.objects.filter(pk__in=latest_ids)
    latest = PublicNotice.objects.filter(issue=OuterRef("issue")).order_by("-published_at", "-id").values("pk")[:1]
    return resolved.filter(pk=Subquery(latest))


@dataclass(frozen=True)
class Recount:
    notice_ids: frozenset[int]
    by_organization: dict[int, int]
    by_region: dict[int, int]


def _tallies_of(notices: QuerySet[PublicNotice]) -> tuple[dict[int, int], dict[int, int]]:
    """Counts per organization and per place, from one grouped query."""
    by_organization: Counter[int] = Counter()
    by_region: Counter[int] = Counter()
    pairs = notices.order_by().values("organization_id", "region_id").annotate(n=Count("pk"))
    for organization_id, region_id, n in pairs.values_list("organization_id", "region_id", "n"):
        by_organization[organization_id] += n
        by_region[region_id] += n
    return dict(by_organization), dict(by_region)


def recount() -> Recount:
    board = board_by_recount()
    by_organization, by_region = _tallies_of(board)
    return Recount(
        notice_ids=frozenset(board.values_list("pk", flat=True)), by_organization=by_organization, by_region=by_region
    )


def _kept_tallies() -> tuple[dict[int, int], dict[int, int]]:
    by_organization = dict(OrganizationResolvedTally.objects.exclude(count=0).values_list("organization_id", "count"))
    by_region = dict(RegionResolvedTally.objects.exclude(count=0).values_list("region_id", "count"))
    return by_organization, by_region


def counters_check() -> list[str]:
    """What differs between the kept counters and a recount, one line each; empty when they agree."""
    board = board_by_recount()
    flagged = PublicNotice.objects.filter(is_current=True)
    wrongly_on = flagged.exclude(pk__in=board.values("pk")).order_by("pk").values_list("pk", flat=True)
    missing = board.exclude(is_current=True).order_by("pk").values_list("pk", flat=True)
    problems = [f"notice {pk}: on the board but should not be" for pk in wrongly_on]
    problems += [f"notice {pk}: missing from the board" for pk in missing]
    counted_organizations, counted_regions = _tallies_of(board)
    kept_organizations, kept_regions = _kept_tallies()
    for label, kept, counted in (
        ("organization", kept_organizations, counted_organizations),
        ("region", kept_regions, counted_regions),
    ):
        for pk in sorted(set(kept) | set(counted)):
            if kept.get(pk, 0) != counted.get(pk, 0):
                problems.append(f"{label} {pk}: kept {kept.get(pk, 0)}, recounted {counted.get(pk, 0)}")
    return problems


@dataclass(frozen=True)
class Rebuilt:
    on_board: int
    organizations: int
    regions: int


@transaction.atomic
def counters_rebuild() -> Rebuilt:
    """Sets the board flags and every tally from the recount, set-based (after a bulk load, or to repair).
    The tallies are locked first: a step committing meanwhile waits, then adds its own change on top."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (OrganizationResolvedTally, RegionResolvedTally):
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN EXCLUSIVE MODE")
    board = board_by_recount().values("pk")
    PublicNotice.objects.filter(is_current=True).exclude(pk__in=board).update(is_current=False)
    PublicNotice.objects.filter(is_current=False, pk__in=board).update(is_current=True)
    by_organization, by_region = _tallies_of(PublicNotice.objects.filter(is_current=True))
    OrganizationResolvedTally.objects.all().delete()
    RegionResolvedTally.objects.all().delete()
    OrganizationResolvedTally.objects.bulk_create(
        OrganizationResolvedTally(organization_id=pk, count=n) for pk, n in by_organization.items()
    )
    RegionResolvedTally.objects.bulk_create(RegionResolvedTally(region_id=pk, count=n) for pk, n in by_region.items())
    return Rebuilt(on_board=sum(by_organization.values()), organizations=len(by_organization), regions=len(by_region))
