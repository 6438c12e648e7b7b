from typing import TYPE_CHECKING, TypedDict, cast

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from orgs.forms import OrganizationListFilterForm
from orgs.models import Organization
from orgs.place_choice import place_filter
from orgs.selectors import organization_member_counts, organizations_public_list

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

ORGANIZATIONS_PER_PAGE = 20


class MemberCount(TypedDict):
    """Hung on each organization of the page for its template."""

    member_count: int


def organization_public_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationListFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    places = place_filter(request.GET)
    organizations = organizations_public_list(region=places.place, kind=kind)
    page = Paginator(organizations, ORGANIZATIONS_PER_PAGE).get_page(request.GET.get("page"))
    # Counted for the page only: a count over every membership of the province would not stay fast.
    page.object_list = list(page.object_list)
    member_counts = organization_member_counts([organization.pk for organization in page.object_list])
    for organization in cast("list[WithAnnotations[Organization, MemberCount]]", page.object_list):
        organization.member_count = member_counts.get(organization.pk, 0)
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "orgs/public_list.html",
        {"form": form, "places": places, "page": page, "filter_query": query_without_page.urlencode()},
    )
