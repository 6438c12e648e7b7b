"""What a roster sheet speaks of, read for the whole file at once: people by phone, by name and place, and their
memberships, so a 10,000-row import reads them in a few queries instead of several per row (each per-row
look-up also scanned the scope again).

The index follows the import as it goes: each row that passes its checks is staged back in, so a later row of the
same file finds what an earlier row registers or changes, before anything is written (the rows are written
together, members.services.roster_rows_write). The index hands out its own objects, which also name the people
and spans to that service: the import copies one before it applies a row to it, so a row that fails halfway
leaves nothing of its half-applied values for the next row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.db.models.expressions import RawSQL

from members.models import Membership, Person
from members.scoping import memberships_for, persons_for
from portal.accounts.models import User
from portal.scoping import Action

# A span is found by its person (the index's object for them), organization and joining date.
MembershipKey = tuple[int, int, datetime.date]
PROFILE_ATTRIBUTES = (
    "name",
    "gender",
    "phone",
    "stratum",
    "occupation",
    "industry",
    "skills",
    "political_affiliation",
    "is_representative",
    "region",
)


class RosterIndex:
    def __init__(self) -> None:
        # By the objects' identity: someone the file registers has no id until the rows are written.
        self._people: dict[int, Person] = {}
        self._changeable: set[int] = set()
        self._filed_as: dict[int, tuple[str, str, int]] = {}
        self._by_phone: dict[str, Person] = {}
        self._by_name_region: dict[tuple[str, int], list[Person]] = {}
        self._memberships: dict[MembershipKey, Membership] = {}

    @classmethod
    def load(
        cls,
        *,
        actor: User,
        phones: Iterable[str],
        names: Iterable[str],
        names_of_people_without_phone: Iterable[str] = (),
    ) -> RosterIndex:
        """Everyone holding one of the phones; the people the actor may change with one of the names, and with one
        of `names_of_people_without_phone` if they have no phone (a row with a number finds by name only them)."""
        index = cls()
        by_pk: dict[int, Person] = {}
        by_phone = list(Person.objects.select_related("region").filter(phone__in=phones_among(phones)))
        changeable = set(
            persons_for(actor, Action.CHANGE).filter(pk__in=[p.pk for p in by_phone]).values_list("pk", flat=True)
        )
        for person in by_phone:
            by_pk[person.pk] = person
            index._file(person, changeable=person.pk in changeable)
        # Ordered as the model orders people, as the per-row look-up was.
        named = Q(name__in=set(names)) | Q(name__in=set(names_of_people_without_phone), phone="")
        for person in persons_for(actor, Action.CHANGE).filter(named).order_by("name", "id"):
            if person.pk in by_pk:
                index._changeable.add(id(by_pk[person.pk]))
                continue
            by_pk[person.pk] = person
            index._file(person, changeable=True)
        for membership in (
            memberships_for(actor, Action.CHANGE).select_related("organization").filter(person_id__in=list(by_pk))
        ):
            membership.person = by_pk[membership.person_id]
            index._memberships[_key_of(membership.person, membership)] = membership
        return index

    def _file(self, person: Person, *, changeable: bool) -> None:
        key = id(person)
        self._people[key] = person
        if changeable:
            self._changeable.add(key)
        previous = self._filed_as.get(key)
        if previous is not None:
            phone, name, region_id = previous
            if self._by_phone.get(phone) is person:
                del self._by_phone[phone]
            same = self._by_name_region.get((name, region_id), [])
            if person in same:
                same.remove(person)
        if person.phone:
            self._by_phone[person.phone] = person
        self._by_name_region.setdefault((person.name, person.region_id), []).append(person)
        self._filed_as[key] = (person.phone, person.name, person.region_id)

    def holding_phone(self, phone: str) -> tuple[Person, bool] | None:
        """The person holding the number and whether the importer may change them; None when nobody does."""
        person = self._by_phone.get(phone)
        if person is None:
            return None
        return person, id(person) in self._changeable

    def named(self, name: str, region_id: int) -> list[Person]:
        """The people with this name in this place, in the roster's order."""
        return list(self._by_name_region.get((name, region_id), []))

    def membership(self, *, person: Person, organization_id: int, joined_on: datetime.date) -> Membership | None:
        return self._memberships.get((id(person), organization_id, joined_on))

    def staged(self, *, person: Person, values: Person, membership: Membership, span_values: Membership) -> None:
        """A row passed: later rows find `person` and `membership` (the index's objects, or new ones, which the
        index keeps from now on) as the row leaves them, `values` and `span_values` being the row's copies."""
        if values is not person:
            for name in PROFILE_ATTRIBUTES:
                setattr(person, name, getattr(values, name))
        self._file(person, changeable=True)
        if span_values is not membership:
            membership.role = span_values.role
            membership.left_on = span_values.left_on
        membership.person = person
        self._memberships[_key_of(person, membership)] = membership


def phones_among(phones: Iterable[str]) -> RawSQL:
    """`phone__in=phones_among(...)`: the numbers read as a list to join with, not searched one by one for every row.

    With `= ANY(array)` the database walked a 1,000-number array for each person of a table it believed small (it
    had not seen the rows this import had just added): seconds per batch."""
    return RawSQL("SELECT unnest(%s::text[])", [sorted(set(phones))])


def _key_of(person: Person, membership: Membership) -> MembershipKey:
    return (id(person), membership.organization_id, membership.joined_on)
