"""A place chosen step by step (区/县 → 镇/街道 → 村/社区), each list holding only the places inside the one above.

A province holds 100 districts, 1,300 towns and 20,000 villages: no page lists them all. The phone form, the
notice board and the organization list each show the districts, then the chosen district's towns, then the chosen
town's villages, in two queries however many places there are. The steps are plain GET or POST fields named
after the levels, so each works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _lazy

from orgs.models import Region
from portal.query_params import id_param

# A district has a few dozen towns and a town a few dozen villages; a guard, not a page size.
PLACES_LISTED_MAX = 500

PLACE_STEPS: tuple[tuple[str, Promise], ...] = (
    ("district", _lazy("区/县")),
    ("town", _lazy("镇/街道")),
    ("village", _lazy("村/社区")),
)
PLACE_STEP_NAMES = tuple(name for name, _label in PLACE_STEPS)
# What place_filter reads from an address: the steps, and the one place of links saved before them.
PLACE_FILTER_QUERY = ("region", *PLACE_STEP_NAMES)


@dataclass
class PlaceStep:
    name: str
    label: Promise
    options: list[Region]
    chosen: Region | None


@dataclass
class PlaceChoice:
    steps: list[PlaceStep] = field(default_factory=list)
    # The chosen place has no places under it (a village): nothing to narrow further.
    at_the_bottom: bool = False
    # The address named a place (?region=) that is none: the page says so and shows everything.
    unknown_place: bool = False

    @property
    def place(self) -> Region | None:
        chosen = [step.chosen for step in self.steps if step.chosen is not None]
        return chosen[-1] if chosen else None

    def chosen_ids(self) -> dict[str, int]:
        return {step.name: step.chosen.pk for step in self.steps if step.chosen is not None}


def places_requested(data: Mapping[str, object]) -> list[int | None]:
    """The place ids of the steps, from a GET or POST; anything that is not an id counts as not chosen."""
    return [id_param(data.get(name)) for name in PLACE_STEP_NAMES]


def place_filter(data: Mapping[str, object], *, around: Region | None = None) -> PlaceChoice:
    """The place steps of a list's filter (GET): district, town and village, or, for links saved before the steps,
    ?region= naming one place, whose steps are read from its path (one more query). With nothing asked, the steps
    lead to `around` (the place of an organization chosen alone)."""
    places = places_requested(data)
    legacy = data.get("region")
    unknown = False
    if not any(places) and legacy not in (None, ""):
        region_id = id_param(legacy)
        region = Region.objects.filter(pk=region_id).only("path").first() if region_id is not None else None
        places, unknown = (list(region.ancestor_ids) if region is not None else []), region is None
    elif not any(places) and around is not None:
        places = list(around.ancestor_ids)
    choice = place_choice(places=places)
    choice.unknown_place = unknown
    return choice


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


def place_choice(*, places: list[int | None]) -> PlaceChoice:
    """The steps with their lists, in at most two queries: the chosen places, then the lists under them."""
    chain = _chosen_chain(places[: len(PLACE_STEPS)])
    parents = [region.pk for region in chain]
    listed = Region.objects.filter(Q(parent__isnull=True) | Q(parent_id__in=parents)).order_by("name", "pk")
    by_parent: dict[int | None, list[Region]] = {}
    for region in listed[:PLACES_LISTED_MAX]:
        by_parent.setdefault(region.parent_id, []).append(region)
    choice = PlaceChoice()
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
    choice.at_the_bottom = choice.place is not None and not by_parent.get(choice.place.pk)
    return choice
