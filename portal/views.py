from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from activities.selectors_public import upcoming_public_activities
from consultations.counters import resolved_issue_count
from orgs.scoping import organizations_public


def home(request: HttpRequest) -> HttpResponse:
    organizations = (
        organizations_public()
        .annotate(current_members=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
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
