"""The staff pages' organization search (portal/forms/search_select.py): twenty matches at most, scoped.

`scope` names which organizations the field offers: `mine` what the user may list (filters), `editable` what
they may plan or enter for (hosts, issues entered on a villager's behalf), `public` every running organization
(co-hosts of a 同心荟互访 come from anywhere; their names are public). Nothing but the id and the public name with
its place is answered.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from orgs.models import Organization
from orgs.scoping import organizations_for, organizations_public
from portal.accounts.roles import REGION_SCOPED_ROLES
from portal.forms.search_select import SearchSelect, SearchSelectMultiple
from portal.scoping import Action, AnyUser
from portal.staff_access import role_required

SEARCH_RESULTS = 20
SCOPES = ("mine", "editable", "public")


def searchable_organizations(user: AnyUser, scope: str) -> QuerySet[Organization]:
    if scope == "editable":
        return organizations_for(user, Action.CHANGE)
    if scope == "public":
        return organizations_public()
    return organizations_for(user, Action.LIST)


def organization_label(organization: Organization) -> str:
    return f"{organization.name}（{organization.region.name}）"


def matching(organizations: QuerySet[Organization], term: str) -> list[Organization]:
    term = term.strip()[:40]
    if not term:
        return []
    found = organizations.filter(Q(name__icontains=term) | Q(region__name__icontains=term))
    return list(found.order_by("name", "pk")[:SEARCH_RESULTS])


@role_required(*REGION_SCOPED_ROLES, refusal=_("组织查找仅对工作人员开放。"))
@require_GET
def organization_search(request: HttpRequest) -> JsonResponse:
    scope = request.GET.get("scope", "mine")
    if scope not in SCOPES:
        scope = "mine"
    found = matching(searchable_organizations(request.user, scope), request.GET.get("q", ""))
    return JsonResponse({"results": [{"id": each.pk, "text": organization_label(each)} for each in found]})


def organization_search_url(scope: str) -> str:
    """Where a SearchSelect of organizations asks (lazily: the URLconf is not loaded when forms are declared)."""
    return format_lazy("{}?scope={}", reverse_lazy("organization_search"), scope)  # type: ignore[return-value]


def organization_select(scope: str, *, multiple: bool = False, **attrs: str) -> SearchSelect | SearchSelectMultiple:
    widget = SearchSelectMultiple if multiple else SearchSelect
    return widget(attrs=attrs or None, search_url=organization_search_url(scope))
