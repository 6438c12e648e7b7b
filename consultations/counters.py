"""已解决议题 N 件: the public count of issues whose result is published, and the notice board that lists them.

One definition for both, so that the figure and the board never disagree: an issue is resolved while the result
it reached is on the board — published (公示中) or archived after its notice period (已归档). The board lists
each such issue once, by its current notice. An issue staff reopened after an unsatisfied rating leaves the
board and the count until a new result is published; issues closed without a result never enter either.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, OuterRef, QuerySet, Subquery

from consultations.models import PublicNotice
from consultations.scoping import notices_public
from consultations.states import RESOLVED_STATES
from orgs.models import Organization, Region


def resolved_notices(
    *, organization: Organization | None = None, region: Region | None = None
) -> QuerySet[PublicNotice]:
    """The notices on the board: the current notice of each resolved issue, of one organization, of everything
    under a region, or (neither given) everywhere."""
    current = PublicNotice.objects.filter(issue=OuterRef("issue")).order_by("-published_at", "-id").values("pk")[:1]
    notices = notices_public().filter(issue__state__in=RESOLVED_STATES, pk=Subquery(current))
    if organization is not None:
        notices = notices.filter(organization=organization)
    if region is not None:
        notices = notices.filter(region__path__startswith=region.path)
    return notices


def resolved_issue_count(*, organization: Organization | None = None, region: Region | None = None) -> int:
    return resolved_notices(organization=organization, region=region).order_by().count()


def resolved_issue_counts(organization_ids: Iterable[int]) -> dict[int, int]:
    """Resolved issues of many organizations in one query; every id asked for is in the answer."""
    ids = list(organization_ids)
    counts = dict.fromkeys(ids, 0)
    if not ids:
        return counts
    rows = (
        resolved_notices()
        .filter(organization_id__in=ids)
        .select_related(None)
        .order_by()
        .values("organization_id")
        .annotate(count=Count("pk"))
    )
    counts.update({row["organization_id"]: row["count"] for row in rows})
    return counts
