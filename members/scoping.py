"""Who may list, view and change people, memberships and contact records. Views and the admin use these."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet

from members.models import (
    ContactAssignment,
    ContactLog,
    CrossAppointment,
    Membership,
    MembershipQuerySet,
    Person,
    PublicOffice,
)
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.phones import mask_phone, sees_every_phone_whole
from portal.scoping import Action, AnyUser, has_role, is_unrestricted, path_ids, pk_among, scope_path, under

ROSTER_KEEPERS = (Role.DISTRICT_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)


def _person_in_scope(path: str) -> Q:
    """A person belongs to a subtree by where they live or by any organization of it they were ever part of."""
    if len(path_ids(path)) == 1:
        # A district holds a tenth of the province's people: one pass over them, keeping the district's, costs less
        # than gathering a tenth of them by id.
        in_scoped_org = Membership.objects.filter(person=OuterRef("pk"), organization__region__path__startswith=path)
        return under(path, "region") | Q(Exists(in_scoped_org))
    # A town's or a village's people are read by place and by membership, then sorted: the OR above would read
    # every person of the province to find a village's forty.
    living = Person.objects.filter(under(path, "region")).order_by().values("pk")
    joined = Membership.objects.filter(organization__region__path__startswith=path).order_by().values("person_id")
    return pk_among(living, joined)


Rows = TypeVar("Rows", bound=QuerySet)


def _own(queryset: Rows, field: str, own_id: int | None) -> Rows:
    """A member's own rows; a member account not linked to a person has none."""
    return queryset.filter(**{field: own_id}) if own_id is not None else queryset.none()


def persons_for(user: AnyUser, action: Action) -> QuerySet[Person]:
    persons = Person.objects.select_related("region")
    if is_unrestricted(user):
        return persons
    if has_role(user, Role.MEMBER):
        if action == Action.CHANGE:
            return persons.none()
        return _own(persons, "pk", getattr(user, "person_id", None))
    path = scope_path(user)
    if path is None or not has_role(user, *ROSTER_KEEPERS):
        return persons.none()
    return persons.filter(_person_in_scope(path))


def memberships_for(user: AnyUser, action: Action) -> MembershipQuerySet:
    memberships = Membership.objects.select_related("person", "organization")
    if is_unrestricted(user):
        return memberships
    if has_role(user, Role.MEMBER):
        if action == Action.CHANGE:
            return memberships.none()
        return _own(memberships, "person_id", getattr(user, "person_id", None))
    path = scope_path(user)
    if path is None or not has_role(user, *ROSTER_KEEPERS):
        return memberships.none()
    return memberships.filter(organization__region__path__startswith=path)


def _person_records_for(user: AnyUser, action: Action, queryset: QuerySet) -> QuerySet:
    """Records hanging off a person follow the person, but members never see staff records about themselves."""
    if is_unrestricted(user):
        return queryset
    path = scope_path(user)
    if path is None or not has_role(user, *ROSTER_KEEPERS):
        return queryset.none()
    return queryset.filter(person__in=persons_for(user, Action.VIEW))


def contact_logs_for(user: AnyUser, action: Action) -> QuerySet[ContactLog]:
    logs = _person_records_for(user, action, ContactLog.objects.select_related("person", "author"))
    if action == Action.CHANGE and not (is_unrestricted(user) or has_role(user, Role.DISTRICT_ADMIN)):
        # A log is testimony: only its author corrects it.
        return logs.filter(author_id=getattr(user, "pk", None))
    return logs


def keeps_contact_assignments(user: AnyUser) -> bool:
    """列名联系 is the district's decision: who keeps in touch with whom is assigned there."""
    return is_unrestricted(user) or has_role(user, Role.DISTRICT_ADMIN)


def contact_assignments_for(user: AnyUser, action: Action) -> QuerySet[ContactAssignment]:
    assignments = ContactAssignment.objects.select_related("person", "official")
    if action == Action.CHANGE and not keeps_contact_assignments(user):
        return assignments.none()
    return _person_records_for(user, action, assignments)


def public_offices_for(user: AnyUser, action: Action) -> QuerySet[PublicOffice]:
    return _person_records_for(user, action, PublicOffice.objects.select_related("person"))


def cross_appointments_for(user: AnyUser, action: Action) -> QuerySet[CrossAppointment]:
    return _person_records_for(user, action, CrossAppointment.objects.select_related("person"))


@dataclass(frozen=True)
class PhoneVisibility:
    """Whose phones a user sees whole, decided once for a page or a sheet: PIPL without a query per row."""

    sees_all: bool
    person_ids: frozenset[int]

    def shows_whole(self, person: Person) -> bool:
        return self.sees_all or person.pk in self.person_ids

    def phone_of(self, person: Person) -> str:
        return person.phone if self.shows_whole(person) else mask_phone(person.phone)


def phone_visibility_for(user: AnyUser, persons: Iterable[Person] | None = None) -> PhoneVisibility:
    """PIPL: a phone is shown whole only to those who call people for a living, to officials assigned to
    the person (列名联系), and to its owner. `persons` narrows the one query to a page; None means any."""
    if sees_every_phone_whole(user):
        return PhoneVisibility(sees_all=True, person_ids=frozenset())
    if not (user.is_authenticated and user.is_active):
        return PhoneVisibility(sees_all=False, person_ids=frozenset())
    assert isinstance(user, User)
    assignments = ContactAssignment.objects.filter(official=user, ended_on__isnull=True)
    if persons is not None:
        page_ids = {person.pk for person in persons}
        if not page_ids:
            return PhoneVisibility(sees_all=False, person_ids=frozenset())
        assignments = assignments.filter(person_id__in=page_ids)
    visible = set(assignments.values_list("person_id", flat=True))
    if user.person_id is not None:
        visible.add(user.person_id)
    return PhoneVisibility(sees_all=False, person_ids=frozenset(visible))


def can_see_full_phone(user: AnyUser, person: Person) -> bool:
    return phone_visibility_for(user, [person]).shows_whole(person)
