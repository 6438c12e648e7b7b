"""Who may open the dashboard and which part of the tree it shows: a place (district, town, village) or one
organization, always inside what orgs.scoping lets the user see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from orgs.models import Organization, Region, RegionLevel
from orgs.scoping import organizations_for, regions_for
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.query_params import id_param
from portal.scoping import Action, AnyUser, is_unrestricted, scope_path
from stats.models import DailyFigure

DASHBOARD_STAFF = (Role.DISTRICT_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)


@dataclass(frozen=True)
class Focus:
    """What the dashboard counts: everything under `region` (None: the whole installation, for a superuser), or
    one organization."""

    region: Region | None
    organization: Organization | None = None

    @property
    def name(self) -> str:
        """What the focus is called on the dashboard and its reports."""
        if self.organization is not None:
            return self.organization.name
        return self.region.name if self.region is not None else gettext("全部地区")

    @property
    def path(self) -> str:
        if self.organization is not None:
            return self.organization.region.path
        return self.region.path if self.region is not None else "/"

    def organizations(self, user: AnyUser) -> QuerySet[Organization]:
        organizations = organizations_for(user, Action.LIST)
        if self.organization is not None:
            return organizations.filter(pk=self.organization.pk)
        if self.region is not None:
            return organizations.filter(region__path__startswith=self.region.path)
        return organizations

    def q(self, organization_field: str) -> Q:
        """Rows of the focus, reached through their organization (`host`, `organization`, `issue__organization`)."""
        if self.organization is not None:
            return Q(**{f"{organization_field}_id": self.organization.pk})
        if self.region is not None:
            return Q(**{f"{organization_field}__region__path__startswith": self.region.path})
        return Q()

    def query(self) -> dict[str, str]:
        if self.organization is not None:
            return {"org": str(self.organization.pk)}
        return {"region": str(self.region.pk)} if self.region is not None else {}


def home_region(user: AnyUser) -> Region | None:
    """The place a user's dashboard opens at: their own (None for a superuser without one: everything)."""
    path = scope_path(user)
    if path is None:
        return None
    return regions_for(user, Action.VIEW).filter(path=path).first()


def focus_for(user: AnyUser, params: dict[str, str]) -> Focus | None:
    """The focus asked for by ?org= or ?region=, or the user's own place; None when it is outside their scope
    (the page answers 404) or they have no place at all."""
    organization_id, region_id = id_param(params.get("org")), id_param(params.get("region"))
    if organization_id is not None:
        organization = organizations_for(user, Action.LIST).filter(pk=organization_id).first()
        return Focus(region=organization.region, organization=organization) if organization is not None else None
    if region_id is not None:
        region = regions_for(user, Action.VIEW).filter(pk=region_id).first()
        return Focus(region=region) if region is not None else None
    if params.get("org") or params.get("region"):
        return None
    region = home_region(user)
    if region is None and not is_unrestricted(user):
        return None
    return Focus(region=region)


def daily_figures_for(user: AnyUser, action: Action) -> QuerySet[DailyFigure]:
    """The kept daily figures of the places under the user's dashboard: read by the staff who open it, changed
    by nobody (only stats.snapshot writes them)."""
    if action not in (Action.LIST, Action.VIEW):
        return DailyFigure.objects.none()
    if is_unrestricted(user):
        return DailyFigure.objects.all()
    path = scope_path(user)
    if path is None or getattr(user, "role", None) not in DASHBOARD_STAFF:
        return DailyFigure.objects.none()
    return DailyFigure.objects.filter(region__path__startswith=path)


def large_board_readers() -> list[tuple[User, Focus]]:
    """For each district with an active district admin, one of them with the district; and the whole installation
    with an active superuser who has no place of their own: who a worker counts a large board for ahead of the
    morning (stats.tasks.boards_warm). The board is the same for every reader of a focus."""
    readers: list[tuple[User, Focus]] = []
    admins = (
        User.objects.filter(is_active=True, role=Role.DISTRICT_ADMIN, region__level=RegionLevel.DISTRICT)
        .select_related("region")
        .order_by("region_id", "pk")
    )
    seen: set[int] = set()
    for admin in admins:  # a few per district: a few hundred rows for a province
        if admin.region is not None and admin.region.pk not in seen:
            seen.add(admin.region.pk)
            readers.append((admin, Focus(region=admin.region)))
    officers = User.objects.filter(is_active=True, is_superuser=True).select_related("region").order_by("pk")
    officer = next((each for each in officers if scope_path(each) is None), None)
    if officer is not None:
        readers.append((officer, Focus(region=None)))
    return readers
