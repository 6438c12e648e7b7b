"""Pages that show several apps at once: the home page and an organization's public page."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from activities.selectors_public import organization_public_activities, upcoming_public_activities
from consultations.counters import resolved_issue_count
from members.models import Membership
from orgs.scoping import organizations_public
from orgs.selectors import (
    organization_leaders,
    organization_partners,
    organization_stratum_counts,
    region_trail,
)


def home(request: HttpRequest) -> HttpResponse:
    # Counted as the organization's own page counts them (members on Beijing's today), so the two agree.
    current_members = (
        Membership.objects.on(timezone.localdate())
        .filter(organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(count=Count("pk"))
        .values("count")
    )
    organizations = (
        organizations_public()
        .annotate(current_members=Coalesce(Subquery(current_members, output_field=IntegerField()), Value(0)))
        .order_by("region__path", "name")[:30]
    )
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
