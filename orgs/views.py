from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from activities.selectors_public import organization_public_activities
from consultations.counters import resolved_issue_count
from orgs.forms import OrganizationListFilterForm
from orgs.scoping import organizations_public
from orgs.selectors import (
    organization_leaders,
    organization_member_counts,
    organization_partners,
    organization_stratum_counts,
    organizations_public_list,
    region_trail,
)

ORGANIZATIONS_PER_PAGE = 20


def organization_public_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationListFilterForm(request.GET or None)
    region, kind = None, ""
    if form.is_valid():
        region = form.cleaned_data["region"]
        kind = form.cleaned_data["kind"]
    organizations = organizations_public_list(region=region, kind=kind)
    page = Paginator(organizations, ORGANIZATIONS_PER_PAGE).get_page(request.GET.get("page"))
    # Counted for the page only: a count over every membership of the province would not stay fast.
    page.object_list = list(page.object_list)
    member_counts = organization_member_counts([organization.pk for organization in page.object_list])
    for organization in page.object_list:
        organization.member_count = member_counts.get(organization.pk, 0)
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "orgs/public_list.html",
        {"form": form, "page": page, "filter_query": query_without_page.urlencode()},
    )


def organization_public_detail(request: HttpRequest, slug: str) -> HttpResponse:
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
