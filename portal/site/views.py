"""Pages that show several apps at once: the home page and an organization's public page."""

from typing import TYPE_CHECKING, TypedDict, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from activities.selectors_public import organization_public_activities, upcoming_public_activities
from consultations.counters import resolved_issue_count
from orgs.models import Organization
from orgs.scoping import organizations_public
from orgs.selectors import (
    organization_leaders,
    organization_member_counts,
    organization_partners,
    organization_stratum_counts,
    region_trail,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class CurrentMembers(TypedDict):
    """Hung on each organization of the home page for its template."""

    current_members: int


def home(request: HttpRequest) -> HttpResponse:
    organizations = list(organizations_public().order_by("region__path", "name")[:30])
    # Counted as the organization's own page counts them (members on Beijing's today), for these 30 only.
    member_counts = organization_member_counts([organization.pk for organization in organizations])
    for organization in cast("list[WithAnnotations[Organization, CurrentMembers]]", organizations):
        organization.current_members = member_counts.get(organization.pk, 0)
    return render(
        request,
        "portal/home.html",
        {
            "organizations": organizations,
            "resolved_count": resolved_issue_count(),
            "upcoming_activities": upcoming_public_activities(now=timezone.now(), organization=None)[:4],
        },
    )


def organization_public_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """/orgs/<slug>/: the organization with its resolved issues and activities, so it lives here, not in orgs."""
    organization = get_object_or_404(organizations_public(), slug=slug)
    today = timezone.localdate()
    stratum_counts = organization_stratum_counts(organization, on=today)
    return render(
        request,
        "orgs/public_detail.html",
        {
            "organization": organization,
            "region_trail": region_trail(organization.region),
            "stratum_counts": stratum_counts,
            "member_count": sum(row.count for row in stratum_counts),
            "leaders": organization_leaders(organization, on=today),
            "recognitions": list(organization.recognitions.all()),
            "spaces": list(organization.spaces.all()),
            "partners": list(organization_partners(organization).select_related(None)),
            "today": today,
            "resolved_count": resolved_issue_count(organization=organization),
            **organization_public_activities(organization),
        },
    )
