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
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _lazy

from orgs.models import Organization, Region
from orgs.scoping import organizations_public
from portal.query_params import id_param
from portal.scoping import under

# The organizations of a place are listed when they are at most this many; a village always lists its own.
ORGANIZATION_CHOICES_SHOWN = 50
ORGANIZATION_SEARCH_MAX_LENGTH = 30
# Places whose names start with the typed words: their organizations (and those of their villages) are found.
SEARCH_PLACES_MATCHED = 10
# A district has a few dozen towns and a town a few dozen villages; a guard, not a page size (also the most places
# whose organizations a search looks through).
PLACES_LISTED_MAX = 500

PLACE_STEPS: tuple[tuple[str, Promise], ...] = (
    ("district", _lazy("区/县")),
    ("town", _lazy("镇/街道")),
    ("village", _lazy("村/社区")),
)
PLACE_STEP_NAMES = tuple(name for name, _label in PLACE_STEPS)


@dataclass
class PlaceStep:
    name: str
    label: Promise
    options: list[Region]
    chosen: Region | None


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


def places_requested(data: Mapping[str, object]) -> list[int | None]:
    """The place ids of the steps, from a GET or POST; anything that is not an id counts as not chosen."""
    return [id_param(data.get(name)) for name in PLACE_STEP_NAMES]


def search_requested(data: Mapping[str, object]) -> str:
    raw = data.get("org_q")
    return raw.strip()[:ORGANIZATION_SEARCH_MAX_LENGTH] if isinstance(raw, str) else ""


def _chosen_chain(ids: list[int | None]) -> list[Region]:
    """The chosen places as far as each lies inside the one above it: a changed district drops the old town."""
    wanted = [pk for pk in ids if pk is not None]
    if not wanted:
        return []
    by_id = Region.objects.filter(pk__in=wanted).in_bulk()
    chain: list[Region] = []
    for pk in ids:
        region = by_id.get(pk) if pk is not None else None
        parent_id = chain[-1].pk if chain else None
        if region is None or region.parent_id != parent_id:
            break
        chain.append(region)
    return chain


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
    """The steps with their lists and the organizations to list, in at most five queries."""
    chain = _chosen_chain(places)
    parents = [region.pk for region in chain]
    listed = Region.objects.filter(Q(parent__isnull=True) | Q(parent_id__in=parents)).order_by("name", "pk")
    by_parent: dict[int | None, list[Region]] = {}
    for region in listed[:PLACES_LISTED_MAX]:
        by_parent.setdefault(region.parent_id, []).append(region)
    choice = OrganizationChoice(search=search)
    parent_id: int | None = None
    for index, (name, label) in enumerate(PLACE_STEPS):
        options = by_parent.get(parent_id, [])
        if index > 0 and (parent_id is None or not options):
            break  # nothing chosen above, or a place with nothing under it (a village)
        chosen = chain[index] if index < len(chain) else None
        choice.steps.append(PlaceStep(name=name, label=label, options=options, chosen=chosen))
        if chosen is None:
            break
        parent_id = chosen.pk

    if search:
        organizations = _organizations_named(search)
    elif choice.place is not None:
        organizations = organizations_offered().filter(under(choice.place.path, "region"))
    else:
        organizations = organizations_offered()
    shown = list(organizations[: ORGANIZATION_CHOICES_SHOWN + 1])
    choice.too_many = len(shown) > ORGANIZATION_CHOICES_SHOWN
    at_the_bottom = choice.place is not None and not by_parent.get(choice.place.pk)
    # A long list is no help on a phone: the villager narrows the place instead, unless there is nothing below.
    listed_anyway = at_the_bottom or bool(search)
    choice.organizations = shown[:ORGANIZATION_CHOICES_SHOWN] if not choice.too_many or listed_anyway else []
    return choice
