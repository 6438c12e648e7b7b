"""The public notice board (结果公示): what each issue came to, for anyone, with no personal data of submitters.

Everything here reads from consultations.scoping.notices_public(); neither page shows a submitter's name or
phone, and the timeline of a notice names only the staff and departments who acted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.counters import resolved_issue_count, resolved_notices
from consultations.models import PublicNotice, Transition
from consultations.organization_choice import ORGANIZATION_CHOICES_SHOWN
from consultations.scoping import notices_public
from consultations.states import IssueAction
from orgs.models import Organization, Region
from orgs.place_choice import PlaceChoice, place_filter
from orgs.scoping import organizations_public
from portal.accounts.roles import Role
from portal.scoping import under

NOTICES_PER_PAGE = 20
# Whose names may appear on a public timeline: people acting in their office, never villagers.
NAMED_ACTOR_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.DEPARTMENT_HANDLER})


class NoticeFilterForm(forms.Form):
    """The organization of the filter; the place is chosen step by step beside it (orgs.place_choice)."""

    org = forms.SlugField(label=gettext_lazy("组织"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization: Organization | None = None

    def clean_org(self) -> str:
        slug = self.cleaned_data.get("org") or ""
        if slug:
            self.organization = organizations_public().filter(slug=slug).select_related("region").first()
            if self.organization is None:
                raise forms.ValidationError(_("找不到这个组织。"))
        return slug


def _organizations_to_offer(places: PlaceChoice, organization: Organization | None) -> list[Organization]:
    """The organizations of the chosen place, once they are few enough to pick from (a town's, a village's)."""
    region = places.place
    if region is None:
        return [organization] if organization is not None else []
    shown = list(
        organizations_public()
        .filter(under(region.path, "region"))
        .order_by("name", "pk")
        .select_related(None)
        .only("name", "slug")[: ORGANIZATION_CHOICES_SHOWN + 1]
    )
    if len(shown) > ORGANIZATION_CHOICES_SHOWN and not places.at_the_bottom:
        shown = []
    shown = shown[:ORGANIZATION_CHOICES_SHOWN]
    if organization is not None and organization not in shown:
        shown.insert(0, organization)
    return shown


def notices_board(*, organization: Organization | None, region: Region | None) -> QuerySet[PublicNotice]:
    """What the counter above the board counts, one notice per resolved issue (consultations.counters)."""
    return resolved_notices(organization=organization, region=region).select_related("region__parent")


def board(request: HttpRequest) -> HttpResponse:
    form = NoticeFilterForm(request.GET or None)
    organization = form.organization if form.is_bound and form.is_valid() else None
    places = place_filter(request.GET, around=organization.region if organization is not None else None)
    region = places.place
    if organization is not None and region is not None and not organization.region.path.startswith(region.path):
        organization = None  # a place chosen since: the organization of another place no longer narrows the board
    resolved_count = resolved_issue_count(organization=organization, region=region)
    paginator = Paginator(notices_board(organization=organization, region=region), NOTICES_PER_PAGE)
    # The board holds exactly what the kept counter counts (consultations.counters): no COUNT over the board.
    paginator.count = resolved_count
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    for notice in page.object_list:
        notice.is_running = notice.ends_at > now
    organization_choices = _organizations_to_offer(places, organization)
    if organization is not None:
        counter_label = organization.name
    elif region is not None:
        counter_label = region.name
    else:
        counter_label = ""
    context = {
        "form": form,
        "page": page,
        "organization": organization,
        "region": region,
        "organization_choices": organization_choices,
        "places": places,
        "resolved_count": resolved_count,
        "resolved_scope_label": counter_label,
    }
    return render(request, "consultations/notices/board.html", context)


@dataclass(frozen=True)
class PublicStep:
    action_label: str
    day: object
    actor_label: str


def public_steps(notice: PublicNotice) -> list[PublicStep]:
    """The issue's public steps with their dates; only staff and departments are named, never a villager."""
    issue = notice.issue
    rows = (
        Transition.objects.filter(issue_id=issue.pk, is_public=True)
        .annotate(actor_role=F("actor__role"))
        .order_by("created_at", "id")
        .values_list("action", "created_at", "actor_id", "actor_role", "actor_label")
    )
    steps = []
    for action, created_at, actor_id, actor_role, actor_label in rows:
        named = (
            actor_id is not None
            and actor_role in NAMED_ACTOR_ROLES
            and actor_id != issue.submitter_user_id
            and actor_label != issue.submitter_name
        )
        steps.append(
            PublicStep(
                action_label=str(IssueAction(action).label),
                day=timezone.localtime(created_at).date(),
                actor_label=actor_label if named else "",
            )
        )
    return steps


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(notices_public().select_related("issue", "region__parent"), pk=pk)
    context = {
        "notice": notice,
        "issue": notice.issue,
        "is_running": notice.ends_at > timezone.now(),
        "steps": public_steps(notice),
        # Notices written before the body stopped repeating the consensus already print it once.
        "shows_consensus": bool(notice.issue.consensus_text) and notice.issue.consensus_text not in notice.body,
    }
    return render(request, "consultations/notices/detail.html", context)
