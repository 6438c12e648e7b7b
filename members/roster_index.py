"""What a roster sheet speaks of, read for the whole file at once: people by phone, by name and place, and their
memberships, so a 10,000-row import reads them in a few queries instead of several per row (each per-row
look-up also scanned the scope again).

The index follows the import as it writes: each person and membership saved by the services is put back in, so a
later row of the same file finds what an earlier row registered, as it did when every row asked the database.
Look-ups hand out copies: a row that fails halfway must not leave its half-applied values for the next row.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable

from members.models import Membership, Person
from members.scoping import memberships_for, persons_for
from portal.accounts.models import User
from portal.scoping import Action

MembershipKey = tuple[int, int, datetime.date]


class RosterIndex:
    def __init__(self) -> None:
        self._persons: dict[int, Person] = {}
        self._changeable: set[int] = set()
        self._by_phone: dict[str, int] = {}
        self._by_name_region: dict[tuple[str, int], list[int]] = {}
        self._memberships: dict[MembershipKey, Membership] = {}

    @classmethod
    def load(cls, *, actor: User, phones: Iterable[str], names: Iterable[str]) -> RosterIndex:
        index = cls()
        by_phone = list(Person.objects.select_related("region").filter(phone__in=set(phones)))
        index._changeable = set(
            persons_for(actor, Action.CHANGE).filter(pk__in=[p.pk for p in by_phone]).values_list("pk", flat=True)
        )
        for person in by_phone:
            index._remember(person)
        # Ordered as the model orders people, as the per-row look-up was.
        for person in persons_for(actor, Action.CHANGE).filter(name__in=set(names)).order_by("name", "id"):
            index._changeable.add(person.pk)
            index._remember(person)
        for membership in memberships_for(actor, Action.CHANGE).filter(person_id__in=list(index._persons)):
            index._memberships[_key_of(membership)] = membership
        return index

    def _remember(self, person: Person) -> None:
        previous = self._persons.get(person.pk)
        if previous is not None:
            if self._by_phone.get(previous.phone) == person.pk:
                del self._by_phone[previous.phone]
            same = self._by_name_region.get((previous.name, previous.region_id), [])
            if person.pk in same:
                same.remove(person.pk)
        self._persons[person.pk] = person
        if person.phone:
            self._by_phone[person.phone] = person.pk
        self._by_name_region.setdefault((person.name, person.region_id), []).append(person.pk)

    def _copy(self, pk: int) -> Person:
        return copy.copy(self._persons[pk])

    def holding_phone(self, phone: str) -> tuple[Person, bool] | None:
        """The person holding the number and whether the importer may change them; None when nobody does."""
        pk = self._by_phone.get(phone)
        if pk is None:
            return None
        return self._copy(pk), pk in self._changeable

    def named(self, name: str, region_id: int) -> list[Person]:
        """The people the importer may change with this name in this place, in the roster's order."""
        return [self._copy(pk) for pk in self._by_name_region.get((name, region_id), [])]

    def membership(self, *, person: Person, organization_id: int, joined_on: datetime.date) -> Membership | None:
        found = self._memberships.get((person.pk, organization_id, joined_on))
        if found is None:
            return None
        found = copy.copy(found)
        found.person = self._copy(person.pk) if person.pk in self._persons else person
        return found

    def saved(self, person: Person, membership: Membership | None = None) -> None:
        """A row was written: later rows of the file find the person and the membership as they are now."""
        self._changeable.add(person.pk)
        self._remember(copy.copy(person))
        if membership is not None and membership.pk is not None:
            self._memberships[_key_of(membership)] = copy.copy(membership)


def _key_of(membership: Membership) -> MembershipKey:
    return (membership.person_id, membership.organization_id, membership.joined_on)
