"""已解决议题 N 件: the public count of issues that went all the way round the loop.

An issue counts once it is archived (closed) after its result was published (resolved_at set). Closed
without a result (no consensus, deliberation ended) does not count; nor does an issue staff reopened
after an unsatisfied rating, until it is closed again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, QuerySet

from consultations.models import Issue
from consultations.states import IssueState
from orgs.models import Organization, Region


def resolved_issues() -> QuerySet[Issue]:
    return Issue.objects.filter(state=IssueState.CLOSED, resolved_at__isnull=False)


def resolved_issue_count(*, organization: Organization | None = None, region: Region | None = None) -> int:
    """Resolved issues of one organization, of everything under a region, or (neither given) everywhere."""
    issues = resolved_issues()
    if organization is not None:
        issues = issues.filter(organization=organization)
    if region is not None:
        issues = issues.filter(region__path__startswith=region.path)
    return issues.count()


def resolved_issue_counts(organization_ids: Iterable[int]) -> dict[int, int]:
    """Resolved issues of many organizations in one query; every id asked for is in the answer."""
    ids = list(organization_ids)
    counts = dict.fromkeys(ids, 0)
    if not ids:
        return counts
    rows = (
        resolved_issues()
        .filter(organization_id__in=ids)
        .order_by()
        .values("organization_id")
        .annotate(count=Count("pk"))
    )
    counts.update({row["organization_id"]: row["count"] for row in rows})
    return counts
