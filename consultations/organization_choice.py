"""How a villager without a QR code finds the organization: place first (district → town → village), or a name.

A province holds some 20,000 organizations: the phone form never lists them all. Each step lists the places
inside the one chosen above it (a district's towns, a town's villages), and the organizations are listed once
the chosen place holds few enough of them. A typed name finds organizations, villages and towns by the start of
their names (prefix indexes, orgs migration 0004). Every answer costs the same few queries however many
organizations there are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from orgs.models import Organization, Region
from orgs.place_choice import PLACE_STEP_NAMES, PLACES_LISTED_MAX, PlaceStep, place_choice, places_requested
from orgs.scoping import organizations_public
from portal.scoping import under

__all__ = ["PLACE_STEP_NAMES", "OrganizationChoice", "organization_choice", "places_requested", "search_requested"]

# The organizations of a place are listed when they are at most this many; a village always lists its own.
ORGANIZATION_CHOICES_SHOWN = 50
ORGANIZATION_SEARCH_MAX_LENGTH = 30
# Places whose names start with the typed words: their organizations (and those of their villages) are found.
SEARCH_PLACES_MATCHED = 10


@dataclass
class OrganizationChoice:
    steps: list[PlaceStep] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    # The chosen place (or the whole province) holds more organizations than are listed: choose further or search.
    too_many: bool = False
    search: str = ""

    @property
    def place(self) -> Region | None:
        chosen = [step.chosen for step in self.steps if step.chosen is not None]
        return chosen[-1] if chosen else None

    def chosen_ids(self) -> dict[str, int]:
        return {step.name: step.chosen.pk for step in self.steps if step.chosen is not None}


def organizations_offered() -> QuerySet[Organization]:
    return organizations_public().select_related("region__parent").order_by("name", "pk")


def search_requested(data: Mapping[str, object]) -> str:
    raw = data.get("org_q")
    return raw.strip()[:ORGANIZATION_SEARCH_MAX_LENGTH] if isinstance(raw, str) else ""


def _organizations_named(search: str) -> QuerySet[Organization]:
    """Organizations whose name, village or town starts with the typed words.

    Three small queries rather than one: each condition then walks its own index (name, path, region), where an
    OR across the joined tables would read all 20,000 organizations and their places (50 ms at province scale).
    """
    paths = list(
        Region.objects.filter(name__startswith=search)
        .order_by("path")
        .values_list("path", flat=True)[:SEARCH_PLACES_MATCHED]
    )
    places: list[int] = []
    if paths:
        inside = Q()
        for path in paths:
            inside |= Q(path__startswith=path)
        places = list(Region.objects.filter(inside).values_list("pk", flat=True)[:PLACES_LISTED_MAX])
    return organizations_offered().filter(Q(name__startswith=search) | Q(region_id__in=places))


def organization_choice(*, places: list[int | None], search: str = "") -> OrganizationChoice:
    """The steps with their lists (orgs.place_choice) and the organizations to list, in at most five queries."""
    places_chosen = place_choice(places=places)
    choice = OrganizationChoice(steps=places_chosen.steps, search=search)

    if search:
        organizations = _organizations_named(search)
    elif choice.place is not None:
        organizations = organizations_offered().filter(under(choice.place.path, "region"))
    else:
        organizations = organizations_offered()
    shown = list(organizations[: ORGANIZATION_CHOICES_SHOWN + 1])
    choice.too_many = len(shown) > ORGANIZATION_CHOICES_SHOWN
    # A long list is no help on a phone: the villager narrows the place instead, unless there is nothing below.
    listed_anyway = places_chosen.at_the_bottom or bool(search)
    choice.organizations = shown[:ORGANIZATION_CHOICES_SHOWN] if not choice.too_many or listed_anyway else []
    return choice
