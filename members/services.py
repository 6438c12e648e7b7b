"""Every write to the roster: people, memberships, seats and posts, 列名联系 and contact logs. Nothing else
saves them.

The staff pages, the Django admin and the Excel import all call these functions with the acting user. Each
one runs in a transaction with the row locked, checks that the actor may touch what it names (the scoping
functions of members/ and orgs/), checks the rules, saves with update_fields and leaves its audit row in the
history tables with the actor as the history user.

Rules broken by the input raise django.core.exceptions.ValidationError keyed by the field the user typed,
with a Chinese message, before anything is saved; the caller shows it next to that field. An object the
actor may not touch at all raises PermissionDenied (the pages answer 404 before it comes to that).
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict, TypeVar, cast

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import (
    ContactAssignment,
    ContactKind,
    ContactLog,
    CrossAppointment,
    Membership,
    MembershipRole,
    Person,
    PublicOffice,
    Stratum,
)
from members.roster_index import phones_among
from members.scoping import (
    contact_assignments_for,
    contact_logs_for,
    keeps_contact_assignments,
    memberships_for,
    persons_for,
)
from members.selectors import roster_person_with_phone
from orgs.models import Organization, Region
from orgs.scoping import organizations_for, regions_for
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.accounts.scoping import users_for
from portal.page_cache import Shown, page_cache_touch
from portal.scoping import Action, is_unrestricted


class _ProfileDetails(TypedDict, total=False):
    gender: str
    phone: str
    occupation: str
    industry: str
    skills: str
    political_affiliation: str
    is_representative: bool
    nationality: str


class PersonProfile(_ProfileDetails):
    """The fields of a person that staff keep by hand; a new person has at least these three."""

    name: str
    region: Region
    stratum: Stratum | str


class PersonChanges(_ProfileDetails, total=False):
    """Some fields of a person's profile: what an edit changes."""

    name: str
    region: Region
    stratum: Stratum | str


PROFILE_FIELDS = frozenset(PersonProfile.__annotations__)


def _profile_fields_in(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if name in PROFILE_FIELDS}


# The casts are the one place where names read at run time (a form's cleaned data, an admin's changes, a
# sheet's row) become the profile's keys; other names are left out, and the services check what is given.
def person_profile(values: Mapping[str, Any]) -> PersonProfile:
    return cast(PersonProfile, _profile_fields_in(values))


def person_changes(values: Mapping[str, Any]) -> PersonChanges:
    return cast(PersonChanges, _profile_fields_in(values))


CONTACT_LOG_FIELDS = frozenset({"kind", "occurred_on", "contacted_by", "notes", "author"})
CONTACT_ASSIGNMENT_FIELDS = frozenset({"official", "official_title", "started_on", "ended_on"})
PUBLIC_OFFICE_FIELDS = frozenset({"kind", "level", "term", "started_on", "ended_on"})
CROSS_APPOINTMENT_FIELDS = frozenset({"title", "body", "region", "started_on", "ended_on"})


def phone_not_usable_message() -> str:
    """What an actor hears about a number held by someone they may not see.

    It says neither that the number is registered nor where: a district must not learn from it who lives in
    another. It says what to do next instead: check the number with the person, and if it is right, the
    district UFWD (who sees across places) finds the existing record and moves or links it.
    """
    return _("这个手机号不能在此登记。请先与本人核对号码；号码无误的，请联系区委统战部核实后办理。")


# ---- small checks shared by the services -------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def _ensure_not_in_future(day: datetime.date | None, *, field: str, label: str) -> None:
    if day is not None and day > _today():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})


def _ensure_not_before(day: datetime.date | None, start: datetime.date | None, *, field: str, message: str) -> None:
    if day is not None and start is not None and day < start:
        raise ValidationError({field: message % {"day": start.isoformat()}})


def _audit(obj: models.Model, *, actor: User, reason: str) -> None:
    """The history row written by the next save names the actor and why (django-simple-history)."""
    # The ignores: django-simple-history reads these off the instance, which no model declares.
    obj._history_user = actor  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]


def _unknown_fields(given: Iterable[str], allowed: frozenset[str]) -> None:
    unknown = set(given) - allowed
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")


def _lock_person_for(actor: User, person: Person) -> Person:
    if not persons_for(actor, Action.CHANGE).filter(pk=person.pk).exists():
        raise PermissionDenied(_("您不能修改这位人员的信息。"))
    return Person.objects.select_for_update().select_related("region").get(pk=person.pk)


class RosterFacts(Protocol):
    """What the roster's rules read: the database for one write, or what an import's batch read beforehand.

    The rules below are written once against these questions, so one write and a sheet's batch refuse the same
    things with the same words."""

    def region_in_scope(self, region_id: int | None) -> bool: ...

    def organization_in_scope(self, organization: Organization) -> bool: ...

    def phone_holder(self, phone: str, *, other_than: Person | None) -> tuple[str, bool] | None:
        """The name of whoever else holds the number and whether the actor may see them; None when nobody does."""
        ...

    def spans(self, person: Person, organization: Organization) -> list[Membership]: ...


class _DatabaseFacts:
    """The facts for one write, each asked of the database when a rule needs it."""

    def __init__(self, actor: User) -> None:
        self.actor = actor

    def region_in_scope(self, region_id: int | None) -> bool:
        return region_id is not None and regions_for(self.actor, Action.VIEW).filter(pk=region_id).exists()

    def organization_in_scope(self, organization: Organization) -> bool:
        return organizations_for(self.actor, Action.CHANGE).filter(pk=organization.pk).exists()

    def phone_holder(self, phone: str, *, other_than: Person | None) -> tuple[str, bool] | None:
        holders = Person.objects.filter(phone=phone)
        if other_than is not None:
            holders = holders.exclude(pk=other_than.pk)
        holder = holders.only("pk", "name").first()
        if holder is None:
            return None
        return holder.name, persons_for(self.actor, Action.VIEW).filter(pk=holder.pk).exists()

    def spans(self, person: Person, organization: Organization) -> list[Membership]:
        return list(Membership.objects.filter(person=person, organization=organization))


def _check_region(facts: RosterFacts, region_id: int | None) -> None:
    if not facts.region_in_scope(region_id):
        raise ValidationError({"region": _("所在区域不在您的管辖范围内，请选择您负责范围内的区域。")})


def _check_organization(facts: RosterFacts, organization: Organization) -> None:
    if not facts.organization_in_scope(organization):
        raise ValidationError({"organization": _("请选择您负责范围内的组织。")})


def _check_phone_free(facts: RosterFacts, *, phone: str, person: Person | None) -> None:
    """A phone identifies one person. Say whose it is only when the actor may see that person."""
    if not phone:
        return
    held = facts.phone_holder(phone, other_than=person)
    if held is None:
        return
    name, visible = held
    if visible:
        message = _("该手机号已登记在人员名册中，属于 %(name)s，请勿重复登记。") % {"name": name}
    else:
        message = phone_not_usable_message()
    raise ValidationError({"phone": message})


def _validate_person(person: Person) -> None:
    # Field validators (11-digit mobile, choices); uniqueness was checked above with a clearer message. The
    # place is not looked up again: it is the stored one, or a new one the scope check has just found.
    person.full_clean(exclude=["region"], validate_unique=False, validate_constraints=False)


def _apply_changes(person: Person, changes: Mapping[str, object]) -> list[str]:
    """Set the fields that really change; their names."""
    changed = [field for field, value in changes.items() if getattr(person, field) != value]
    for field in changed:
        setattr(person, field, changes[field])
    return changed


def _check_person(
    facts: RosterFacts, person: Person, *, changed: Collection[str] | None, known_as: Person | None = None
) -> None:
    """The rules of a person's profile; `changed` None for someone new, else only the changed fields' rules.

    `known_as` is the person as the caller keeps them when `person` is a copy being tried out."""
    if changed is None or "region" in changed:
        # A person who lives elsewhere keeps their place; moving someone is only into one's own area.
        _check_region(facts, person.region_id)
    if changed is None or "phone" in changed:
        person.phone = person.phone or ""
        _check_phone_free(facts, phone=person.phone, person=None if changed is None else (known_as or person))
    _validate_person(person)


def _save_person(person: Person, *, update_fields: list[str] | None = None) -> None:
    # Leaders' names and the counts by stratum are on the public pages.
    page_cache_touch(Shown.MEMBERS)
    try:
        with transaction.atomic():
            person.save(update_fields=update_fields)
    except IntegrityError as error:  # another secretary registered the same phone a moment ago
        raise ValidationError({"phone": phone_not_usable_message()}) from error


def _same_span(span: Membership, other: Membership | None) -> bool:
    return other is not None and (span is other or (span.pk is not None and span.pk == other.pk))


def _check_span_free(
    facts: RosterFacts,
    *,
    person: Person,
    organization: Organization,
    joined_on: datetime.date,
    left_on: datetime.date | None,
    other_than: Membership | None = None,
) -> None:
    """Spans of one person in one organization never overlap, or the growth counts would count them twice.

    A span runs from joined_on up to, not including, left_on: a role change ends one row on the day the next
    begins, and that is no overlap.
    """
    spans = [span for span in facts.spans(person, organization) if not _same_span(span, other_than)]
    # One open span per person and organization (a constraint): the first is the one.
    current = next((span for span in spans if span.left_on is None), None)
    if current is not None and (left_on is None or left_on > current.joined_on):
        if left_on is None:
            raise ValidationError(
                {
                    "organization": _("该人员已是%(organization)s的在册会员，如需调整职务请使用“变更职务”。")
                    % {"organization": organization.name}
                }
            )
        raise ValidationError(
            {
                "joined_on": _("这段会籍与 %(day)s 起至今的会籍重叠，同一组织的会籍不能重叠。")
                % {"day": current.joined_on.isoformat()}
            }
        )
    overlapping = [
        span
        for span in spans
        if span.left_on is not None and span.left_on > joined_on and (left_on is None or span.joined_on < left_on)
    ]
    clash = max(overlapping, key=lambda span: span.left_on or joined_on, default=None)
    if clash is None:
        return
    assert clash.left_on is not None
    if left_on is None:
        raise ValidationError(
            {"joined_on": _("入会日期不能早于上次退出该组织的日期（%(day)s）。") % {"day": clash.left_on.isoformat()}}
        )
    raise ValidationError(
        {
            "joined_on": _("这段会籍与 %(start)s 至 %(end)s 的会籍重叠，同一组织的会籍不能重叠。")
            % {"start": clash.joined_on.isoformat(), "end": clash.left_on.isoformat()}
        }
    )


def _check_span_dates(*, joined_on: datetime.date, left_on: datetime.date | None) -> None:
    _ensure_not_in_future(joined_on, field="joined_on", label=_("入会日期"))
    _ensure_not_in_future(left_on, field="left_on", label=_("退出日期"))
    _ensure_not_before(left_on, joined_on, field="left_on", message=_("退出日期不能早于入会日期（%(day)s）。"))


def _new_span(
    facts: RosterFacts,
    *,
    person: Person,
    organization: Organization,
    role: MembershipRole | str,
    joined_on: datetime.date,
    left_on: datetime.date | None,
    leave_reason: str = "",
) -> Membership:
    """A span checked by every rule, not yet saved."""
    _check_organization(facts, organization)
    _check_span_dates(joined_on=joined_on, left_on=left_on)
    _check_span_free(facts, person=person, organization=organization, joined_on=joined_on, left_on=left_on)
    membership = Membership(
        person=person,
        organization=organization,
        role=role,
        joined_on=joined_on,
        left_on=left_on,
        leave_reason=leave_reason.strip() if left_on else "",
    )
    # Person and organization were just locked and scope-checked: not looked up a third time (a sheet's rows).
    membership.full_clean(exclude=["person", "organization"], validate_unique=False, validate_constraints=False)
    return membership


def _correct_span(
    facts: RosterFacts,
    span: Membership,
    *,
    person: Person,
    organization: Organization,
    role: MembershipRole | str,
    left_on: datetime.date | None,
    reason: str,
) -> list[str]:
    """Set a span's role and end as a roster sheet states them; the fields to save (none when nothing changes)."""
    changed = [name for name, value in (("role", role), ("left_on", left_on)) if getattr(span, name) != value]
    if not changed:
        return []
    _check_span_dates(joined_on=span.joined_on, left_on=left_on)
    _check_span_free(
        facts, person=person, organization=organization, joined_on=span.joined_on, left_on=left_on, other_than=span
    )
    span.role = role
    span.left_on = left_on
    if left_on is None:
        span.leave_reason = ""
        changed.append("leave_reason")
    elif "left_on" in changed:
        span.leave_reason = reason
        changed.append("leave_reason")
    # The span keeps its person and organization, both read with the lock: not looked up again.
    span.full_clean(exclude=["person", "organization"], validate_unique=False, validate_constraints=False)
    return changed


# ---- people ---------------------------------------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    actor: User,
    profile: PersonProfile,
    organization: Organization | None = None,
    role: MembershipRole | str = MembershipRole.MEMBER,
    joined_on: datetime.date | None = None,
) -> Person:
    """Register a person living in the actor's area, with their first membership when an organization is given."""
    _unknown_fields(profile, PROFILE_FIELDS)
    person = Person(**profile)
    facts = _DatabaseFacts(actor)
    _check_person(facts, person, changed=None)
    if organization is not None:
        _check_organization(facts, organization)
        if joined_on is None:
            raise ValidationError({"joined_on": _("请填写入会日期。")})
        _ensure_not_in_future(joined_on, field="joined_on", label=_("入会日期"))
    _audit(person, actor=actor, reason=_("登记人员"))
    _save_person(person)
    if organization is not None:
        assert joined_on is not None
        membership_add(person=person, organization=organization, role=role, joined_on=joined_on, actor=actor)
    return person


@transaction.atomic
def person_update(*, person: Person, actor: User, changes: PersonChanges) -> Person:
    """Change some fields of a person's profile; only the fields that really change are written."""
    _unknown_fields(changes, PROFILE_FIELDS)
    locked = _lock_person_for(actor, person)
    changed = _apply_changes(locked, changes)
    if not changed:
        return locked
    _check_person(_DatabaseFacts(actor), locked, changed=changed)
    _audit(locked, actor=actor, reason=_("修改人员信息"))
    _save_person(locked, update_fields=[*changed, "updated_at"])
    return locked


# ---- memberships ------------------------------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *,
    person: Person,
    organization: Organization,
    role: MembershipRole | str,
    joined_on: datetime.date,
    actor: User,
    left_on: datetime.date | None = None,
    leave_reason: str = "",
) -> Membership:
    """A person joins an organization; with `left_on`, a past span is recorded (a roster sheet's history)."""
    # Locking the person serialises concurrent membership changes of the same person.
    locked_person = _lock_person_for(actor, person)
    membership = _new_span(
        _DatabaseFacts(actor),
        person=locked_person,
        organization=organization,
        role=role,
        joined_on=joined_on,
        left_on=left_on,
        leave_reason=leave_reason,
    )
    _audit(membership, actor=actor, reason=_("加入组织"))
    membership.save()
    page_cache_touch(Shown.MEMBERS)
    return membership


def _lock_membership_for(actor: User, membership: Membership) -> Membership:
    if not memberships_for(actor, Action.CHANGE).filter(pk=membership.pk).exists():
        raise PermissionDenied(_("您不能修改这条会籍。"))
    # The person first, as membership_add does, so that two changes of one person's spans queue up.
    Person.objects.select_for_update().filter(pk=membership.person_id).first()
    return Membership.objects.select_for_update().select_related("organization").get(pk=membership.pk)


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: MembershipRole | str, changed_on: datetime.date, actor: User
) -> Membership:
    """A new role is a new span: the current row ends on `changed_on` and a new one starts that day."""
    locked = _lock_membership_for(actor, membership)
    if locked.left_on is not None:
        raise ValidationError({"role": _("这条会籍已经结束，不能再变更职务。")})
    if locked.role == role:
        raise ValidationError({"role": _("新职务与现任职务相同。")})
    _ensure_not_in_future(changed_on, field="changed_on", label=_("变更日期"))
    _ensure_not_before(
        changed_on, locked.joined_on, field="changed_on", message=_("变更日期不能早于本次入会日期（%(day)s）。")
    )
    new_label = MembershipRole(role).label
    locked.left_on = changed_on
    locked.leave_reason = _("职务变更为%(role)s") % {"role": new_label}
    _audit(locked, actor=actor, reason=locked.leave_reason)
    locked.save(update_fields=["left_on", "leave_reason"])
    successor = Membership(
        person_id=locked.person_id, organization=locked.organization, role=role, joined_on=changed_on
    )
    successor.full_clean(validate_unique=False, validate_constraints=False)
    _audit(
        successor,
        actor=actor,
        reason=_("由%(old)s变更为%(new)s") % {"old": locked.get_role_display(), "new": new_label},
    )
    successor.save()
    page_cache_touch(Shown.MEMBERS)
    return successor


@transaction.atomic
def membership_end(*, membership: Membership, left_on: datetime.date, reason: str, actor: User) -> Membership:
    locked = _lock_membership_for(actor, membership)
    if locked.left_on is not None:
        raise ValidationError({"left_on": _("这条会籍已于 %(day)s 结束。") % {"day": locked.left_on.isoformat()}})
    _ensure_not_in_future(left_on, field="left_on", label=_("退出日期"))
    _ensure_not_before(left_on, locked.joined_on, field="left_on", message=_("退出日期不能早于入会日期（%(day)s）。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退出原因。")})
    locked.left_on = left_on
    locked.leave_reason = reason
    _audit(locked, actor=actor, reason=_("退出组织：%(reason)s") % {"reason": reason})
    locked.save(update_fields=["left_on", "leave_reason"])
    page_cache_touch(Shown.MEMBERS)
    return locked


@transaction.atomic
def membership_correct(
    *,
    membership: Membership,
    actor: User,
    role: MembershipRole | str,
    left_on: datetime.date | None,
    reason: str,
) -> Membership:
    """Set a span's record as an office's roster sheet states it (the role it was held in, when it ended).

    The sheet names a span by its joining date, so this corrects that row rather than starting a new one;
    the history tables keep what it said before. The same rules hold as for every span: no date in the
    future, no end before the start, no overlap with another span of the same organization.
    """
    locked = _lock_membership_for(actor, membership)
    changed = _correct_span(
        _DatabaseFacts(actor),
        locked,
        person=locked.person,
        organization=locked.organization,
        role=role,
        left_on=left_on,
        reason=reason,
    )
    if not changed:
        return locked
    _audit(locked, actor=actor, reason=reason)
    locked.save(update_fields=changed)
    page_cache_touch(Shown.MEMBERS)
    return locked


# ---- a roster sheet, many rows at once ----------------------------------------------------------------------

# Large enough that a typical sheet is one batch; small enough that each IN (...) list and insert stays quick.
ROSTER_BATCH_SIZE = 1000
# An UPDATE of many rows is one CASE per field that the database walks for every row: kept short.
BULK_UPDATE_SIZE = 100


@dataclass(frozen=True, kw_only=True)
class RosterRow:
    """One row of a roster sheet, as it is to be written.

    `person` and `membership` say whom and which span the row is about. One without a primary key is someone or
    a span the sheet adds: the first row naming that object registers it, and every later row naming the same
    object (not an equal one) is about what that row registered. The values written are the row's own:
    `profile` for the person (the fields the row changes; all of them for someone new), the rest for the span.
    """

    person: Person
    profile: PersonChanges
    membership: Membership
    organization: Organization
    role: MembershipRole | str
    joined_on: datetime.date
    left_on: datetime.date | None


@dataclass(frozen=True)
class RosterRowWritten:
    """What became of a row: the person and span as saved, or why the row was refused (nothing of it saved)."""

    person: Person | None = None
    membership: Membership | None = None
    error: ValidationError | None = None


@dataclass
class _Registered:
    """What earlier batches of one call registered, by the object the rows name them with."""

    persons: dict[int, Person]
    spans: dict[int, Membership]

    def stored_pk(self, obj: Person | Membership) -> int | None:
        if obj.pk is not None:
            return obj.pk
        saved = (self.persons if isinstance(obj, Person) else self.spans).get(id(obj))
        return saved.pk if saved is not None else None


class _BatchFacts:
    """A batch's facts, read in a few queries before its rows are checked, and kept up to date as they pass."""

    def __init__(
        self,
        *,
        regions: set[int],
        organizations: set[int],
        phone_holders: dict[str, Person],
        visible: set[int],
        spans: dict[tuple[int, int], list[Membership]],
    ) -> None:
        self.regions = regions
        self.organizations = organizations
        self.phone_holders = phone_holders
        self.visible = visible
        self._spans = spans

    def region_in_scope(self, region_id: int | None) -> bool:
        return region_id in self.regions

    def organization_in_scope(self, organization: Organization) -> bool:
        return organization.pk in self.organizations

    def phone_holder(self, phone: str, *, other_than: Person | None) -> tuple[str, bool] | None:
        holder = self.phone_holders.get(phone)
        if holder is None or (other_than is not None and _same_person(holder, other_than)):
            return None
        # Someone this import registers is the importer's own.
        return holder.name, holder.pk is None or holder.pk in self.visible

    def spans(self, person: Person, organization: Organization) -> list[Membership]:
        return self._spans.get((_person_key(person), organization.pk), [])

    def add_span(self, span: Membership, person: Person) -> None:
        self._spans.setdefault((_person_key(person), span.organization_id), []).append(span)

    def phone_moved(self, person: Person, old: str) -> None:
        if old and self.phone_holders.get(old) is person:
            del self.phone_holders[old]
        if person.phone:
            self.phone_holders[person.phone] = person


def _person_key(person: Person) -> int:
    # Stored people by their id; someone the batch registers, not saved yet, by the object itself.
    return person.pk if person.pk is not None else -id(person)


def _same_person(one: Person, other: Person) -> bool:
    return one is other or (one.pk is not None and one.pk == other.pk)


@dataclass(frozen=True)
class _Reasons:
    """The history's reasons, as the one-row services give them; translated once per batch, not per row."""

    registered: str
    changed: str
    joined: str
    corrected: str

    @classmethod
    def translated(cls) -> _Reasons:
        return cls(_("登记人员"), _("修改人员信息"), _("加入组织"), _("按导入的名册更正"))


@dataclass
class _BatchWrites:
    """What a batch's rows passed, to be written together: the objects, the fields changed, one history row each."""

    reasons: _Reasons
    new_persons: list[Person]
    changed_persons: dict[int, Person]
    person_fields: set[str]
    person_history: list[tuple[Person, Person, bool]]
    new_spans: list[Membership]
    changed_spans: dict[int, Membership]
    span_fields: set[str]
    span_history: list[tuple[Membership, Membership, bool]]


Kept = TypeVar("Kept", Person, Membership)


def _snapshot_for_history(obj: Kept, *, actor: User, reason: str) -> Kept:
    snapshot = copy.copy(obj)
    _audit(snapshot, actor=actor, reason=reason)
    return snapshot


@transaction.atomic
def roster_rows_write(*, rows: Sequence[RosterRow], actor: User) -> list[RosterRowWritten]:
    """Write a roster sheet's rows as the actor, each refused by the rules that refuse one write, in batches of a
    few queries each whatever their size (ROSTER_BATCH_SIZE rows).

    Rows are taken in order: a row sees what the rows before it wrote, and a refused row writes nothing of its
    own (the caller decides about the rest; the import saves nothing of a file with a refused row). People and
    spans get the same history rows, by the actor and with the same reasons, as person_create, person_update,
    membership_add and membership_correct write; every batch takes its rows' people and spans with one lock.
    """
    registered = _Registered(persons={}, spans={})
    written: list[RosterRowWritten] = []
    for start in range(0, len(rows), ROSTER_BATCH_SIZE):
        written.extend(_roster_batch_write(rows[start : start + ROSTER_BATCH_SIZE], actor=actor, registered=registered))
    if any(row.error is None for row in written):
        page_cache_touch(Shown.MEMBERS)
    return written


def _roster_batch_write(rows: Sequence[RosterRow], *, actor: User, registered: _Registered) -> list[RosterRowWritten]:
    person_pks = {pk for pk in (registered.stored_pk(row.person) for row in rows) if pk is not None}
    span_pks = {pk for pk in (registered.stored_pk(row.membership) for row in rows) if pk is not None}
    organization_ids = {row.organization.pk for row in rows}
    changeable = set(persons_for(actor, Action.CHANGE).filter(pk__in=person_pks).values_list("pk", flat=True))
    locked = {
        person.pk: person
        for person in Person.objects.select_for_update(of=("self",)).select_related("region").filter(pk__in=changeable)
    }
    span_changeable = set(
        memberships_for(actor, Action.CHANGE).filter(pk__in=span_pks).values_list("pk", flat=True) if span_pks else []
    )
    spans: dict[tuple[int, int], list[Membership]] = {}
    stored_spans: dict[int, Membership] = {}
    for stored in Membership.objects.select_for_update(of=("self",)).filter(
        person_id__in=list(locked), organization_id__in=organization_ids
    ):
        spans.setdefault((stored.person_id, stored.organization_id), []).append(stored)
        stored_spans[stored.pk] = stored
    region_ids = {region.pk for region in (row.profile.get("region") for row in rows) if region is not None}
    phones = {phone for phone in (row.profile.get("phone") for row in rows) if phone}
    holders = {
        holder.phone: locked.get(holder.pk, holder)
        for holder in Person.objects.filter(phone__in=phones_among(phones)).only("pk", "name", "phone")
    }
    facts = _BatchFacts(
        regions=set(regions_for(actor, Action.VIEW).filter(pk__in=region_ids).values_list("pk", flat=True)),
        organizations=set(
            organizations_for(actor, Action.CHANGE).filter(pk__in=organization_ids).values_list("pk", flat=True)
        ),
        phone_holders=holders,
        visible=set(
            persons_for(actor, Action.VIEW)
            .filter(pk__in=[holder.pk for holder in holders.values()])
            .values_list("pk", flat=True)
            if holders
            else []
        ),
        spans=spans,
    )
    writes = _BatchWrites(_Reasons.translated(), [], {}, set(), [], [], {}, set(), [])
    new_here: dict[int, Person] = {}
    spans_here: dict[int, Membership] = {}
    outcomes: list[RosterRowWritten] = []
    for row in rows:
        person_pk = registered.stored_pk(row.person)
        person = locked.get(person_pk) if person_pk is not None else new_here.get(id(row.person))
        span_pk = registered.stored_pk(row.membership)
        span: Membership | None = (
            stored_spans.get(span_pk) if span_pk is not None else spans_here.get(id(row.membership))
        )
        try:
            if person_pk is not None and person is None:
                raise PermissionDenied(_("您不能修改这位人员的信息。"))
            if span_pk is not None and (span is None or span_pk not in span_changeable):
                raise PermissionDenied(_("您不能修改这条会籍。"))
            saved_person, saved_span = _roster_row_write(
                row, person=person, span=span, facts=facts, writes=writes, actor=actor
            )
        except ValidationError as error:
            outcomes.append(RosterRowWritten(error=error))
            continue
        except PermissionDenied as error:
            outcomes.append(RosterRowWritten(error=ValidationError(str(error))))
            continue
        if person is None:
            new_here[id(row.person)] = saved_person
        if span is None:
            spans_here[id(row.membership)] = saved_span
        outcomes.append(RosterRowWritten(person=saved_person, membership=saved_span))
    try:
        with transaction.atomic():
            _roster_batch_save(writes)
    except IntegrityError:  # another secretary registered one of these numbers a moment ago
        refused = ValidationError({"phone": phone_not_usable_message()})
        return [RosterRowWritten(error=refused if outcome.error is None else outcome.error) for outcome in outcomes]
    registered.persons.update(new_here)
    registered.spans.update(spans_here)
    return outcomes


def _roster_row_write(
    row: RosterRow,
    *,
    person: Person | None,
    span: Membership | None,
    facts: _BatchFacts,
    writes: _BatchWrites,
    actor: User,
) -> tuple[Person, Membership]:
    """Check one row against the batch's facts; when it passes, keep what it changes for the batch's writes."""
    # Tried on copies: a row refused halfway leaves the people and spans of the batch as they were.
    if person is None:
        trial = Person(**row.profile)
        _check_person(facts, trial, changed=None)
        person_changed: list[str] | None = None
        owner = trial
    else:
        trial = copy.copy(person)
        person_changed = _apply_changes(trial, row.profile)
        if person_changed:
            _check_person(facts, trial, changed=person_changed, known_as=person)
        owner = person
    if span is None:
        new_span = _new_span(
            facts,
            person=owner,
            organization=row.organization,
            role=row.role,
            joined_on=row.joined_on,
            left_on=row.left_on,
        )
        span_changed: list[str] | None = None
    else:
        new_span = copy.copy(span)
        span_changed = _correct_span(
            facts,
            new_span,
            person=owner,
            organization=row.organization,
            role=row.role,
            left_on=row.left_on,
            reason=writes.reasons.corrected,
        )

    # The row passes: its changes become the batch's.
    if person is None:
        person = trial
        writes.new_persons.append(person)
        writes.person_history.append(
            (person, _snapshot_for_history(person, actor=actor, reason=writes.reasons.registered), False)
        )
        facts.phone_moved(person, "")
    elif person_changed:
        old_phone = person.phone
        for field in person_changed:
            setattr(person, field, getattr(trial, field))
        person.updated_at = timezone.now()
        if person.pk is not None:
            writes.changed_persons[person.pk] = person
            writes.person_fields.update(person_changed)
        writes.person_history.append(
            (person, _snapshot_for_history(person, actor=actor, reason=writes.reasons.changed), True)
        )
        facts.phone_moved(person, old_phone)
    if span is None:
        new_span.person = person
        span = new_span
        writes.new_spans.append(span)
        writes.span_history.append(
            (span, _snapshot_for_history(span, actor=actor, reason=writes.reasons.joined), False)
        )
        facts.add_span(span, person)
    elif span_changed:
        for field in span_changed:
            setattr(span, field, getattr(new_span, field))
        if span.pk is not None:
            writes.changed_spans[span.pk] = span
            writes.span_fields.update(span_changed)
        writes.span_history.append(
            (span, _snapshot_for_history(span, actor=actor, reason=writes.reasons.corrected), True)
        )
    return person, span


def _roster_batch_save(writes: _BatchWrites) -> None:
    Person.objects.bulk_create(writes.new_persons)
    if writes.changed_persons:
        Person.objects.bulk_update(
            list(writes.changed_persons.values()),
            fields=[*sorted(writes.person_fields), "updated_at"],
            batch_size=BULK_UPDATE_SIZE,
        )
    for person, snapshot, _update in writes.person_history:
        # Saved after the snapshot was taken: the history row carries the id and times the row got.
        snapshot.pk = person.pk
        snapshot.created_at = person.created_at
        if snapshot.updated_at is None:
            snapshot.updated_at = person.updated_at
    _history_create(Person, writes.person_history)
    Membership.objects.bulk_create(writes.new_spans)
    if writes.changed_spans:
        Membership.objects.bulk_update(
            list(writes.changed_spans.values()), fields=sorted(writes.span_fields), batch_size=BULK_UPDATE_SIZE
        )
    for membership, span_snapshot, _update in writes.span_history:
        span_snapshot.pk = membership.pk
        span_snapshot.person_id = membership.person_id
    _history_create(Membership, writes.span_history)


def _history_create(model: type[Person] | type[Membership], history: list) -> None:
    """The history rows the saves would have written: a row's own values, by the actor, with the reason.

    The last state of each person or span in the batch is what the batch has just written, so those rows are copied
    from the table by the database itself (one INSERT … SELECT per kind of change); the earlier states of someone a
    batch changes twice are written first, from their snapshots, through simple_history."""
    last = {id(obj): index for index, (obj, _snapshot, _update) in enumerate(history)}
    earlier = [entry for index, entry in enumerate(history) if last[id(entry[0])] != index]
    for update in (False, True):
        snapshots = [snapshot for _obj, snapshot, is_update in earlier if is_update is update]
        if snapshots:
            model.history.bulk_history_create(snapshots, update=update)
    finals: dict[tuple[bool, str, int], list[int]] = {}
    for index, (obj, snapshot, update) in enumerate(history):
        if last[id(obj)] == index:
            key = (update, snapshot._change_reason, snapshot._history_user.pk)
            finals.setdefault(key, []).append(obj.pk)
    for (update, reason, user_pk), pks in sorted(finals.items(), key=lambda item: item[0][0]):
        _history_copied(model, pks, history_type="~" if update else "+", reason=reason, user_pk=user_pk)


def _history_copied(
    model: type[Person] | type[Membership], pks: list[int], *, history_type: str, reason: str, user_pk: int
) -> None:
    historical = model.history.model
    quote = connection.ops.quote_name
    pairs = [(historical._meta.get_field(field.name).column, field.column) for field in historical.tracked_fields]
    targets = ", ".join(quote(target) for target, _source in pairs)
    sources = ", ".join(quote(source) for _target, source in pairs)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(historical._meta.db_table)} "  # noqa: S608 - names from the models, values bound
            f"({targets}, history_date, history_change_reason, history_type, history_user_id) "
            f"SELECT {sources}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.pk.column)} = ANY(%s) ORDER BY {quote(model._meta.pk.column)}",
            [timezone.now(), reason, history_type, user_pk, pks],
        )


# ---- 列名联系 and contact logs -------------------------------------------------------------------------------


def _ensure_official_in_scope(actor: User, official: User) -> None:
    if not users_for(actor, Action.VIEW).filter(pk=official.pk).exists():
        raise ValidationError({"official": _("请选择您管辖范围内的干部。")})


def _check_assignment(assignment: ContactAssignment) -> None:
    _ensure_not_in_future(assignment.started_on, field="started_on", label=_("起始日期"))
    _ensure_not_in_future(assignment.ended_on, field="ended_on", label=_("终止日期"))
    _ensure_not_before(
        assignment.ended_on,
        assignment.started_on,
        field="ended_on",
        message=_("终止日期不能早于起始日期（%(day)s）。"),
    )
    assignment.full_clean(validate_unique=False, validate_constraints=False)


@transaction.atomic
def contact_assignment_add(
    *,
    actor: User,
    person: Person,
    official: User,
    started_on: datetime.date,
    official_title: str = "",
    ended_on: datetime.date | None = None,
) -> ContactAssignment:
    """列名联系: an official of the actor's district is assigned to keep in touch with a person of it."""
    if not keeps_contact_assignments(actor):
        raise PermissionDenied(_("列名联系由区委统战部安排。"))
    locked_person = _lock_person_for(actor, person)
    _ensure_official_in_scope(actor, official)
    assignment = ContactAssignment(
        person=locked_person,
        official=official,
        official_title=official_title.strip(),
        started_on=started_on,
        ended_on=ended_on,
    )
    _check_assignment(assignment)
    _audit(assignment, actor=actor, reason=_("安排列名联系"))
    assignment.save()
    return assignment


@transaction.atomic
def contact_assignment_update(
    *, actor: User, assignment: ContactAssignment, changes: dict[str, object]
) -> ContactAssignment:
    """Correct or end a 列名联系 (set `ended_on`); the person it is about stays the same."""
    _unknown_fields(changes, CONTACT_ASSIGNMENT_FIELDS)
    if not contact_assignments_for(actor, Action.CHANGE).filter(pk=assignment.pk).exists():
        raise PermissionDenied(_("列名联系由区委统战部安排。"))
    locked = ContactAssignment.objects.select_for_update().get(pk=assignment.pk)
    changed = [field for field, value in changes.items() if getattr(locked, field) != value]
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, changes[field])
    if "official" in changed:
        _ensure_official_in_scope(actor, locked.official)
    _check_assignment(locked)
    _audit(locked, actor=actor, reason=_("修改列名联系"))
    locked.save(update_fields=changed)
    return locked


@transaction.atomic
def contact_log_add(
    *,
    person: Person,
    kind: ContactKind | str,
    occurred_on: datetime.date,
    contacted_by: str,
    notes: str,
    actor: User,
) -> ContactLog:
    """A contact is testimony: it is signed by whoever records it."""
    locked_person = _lock_person_for(actor, person)
    _ensure_not_in_future(occurred_on, field="occurred_on", label=_("联系日期"))
    log = ContactLog(
        person=locked_person,
        kind=kind,
        occurred_on=occurred_on,
        contacted_by=contacted_by.strip() or str(actor),
        notes=notes.strip(),
        author=actor,
    )
    log.full_clean()
    _audit(log, actor=actor, reason=_("新增联系记录"))
    log.save()
    return log


@transaction.atomic
def contact_log_update(*, actor: User, log: ContactLog, changes: dict[str, object]) -> ContactLog:
    """Its author corrects a log (district admins too); only a superuser re-attributes it to someone else."""
    _unknown_fields(changes, CONTACT_LOG_FIELDS)
    if not contact_logs_for(actor, Action.CHANGE).filter(pk=log.pk).exists():
        raise PermissionDenied(_("联系记录只能由记录人本人更正。"))
    locked = ContactLog.objects.select_for_update().get(pk=log.pk)
    changed = [field for field, value in changes.items() if getattr(locked, field) != value]
    if not changed:
        return locked
    if "author" in changed and not is_unrestricted(actor):
        raise ValidationError({"author": _("记录人不能更改。")})
    for field in changed:
        setattr(locked, field, changes[field])
    _ensure_not_in_future(locked.occurred_on, field="occurred_on", label=_("联系日期"))
    if isinstance(locked.notes, str):
        locked.notes = locked.notes.strip()
    locked.full_clean()
    _audit(locked, actor=actor, reason=_("更正联系记录"))
    locked.save(update_fields=changed)
    return locked


# ---- seats and concurrent posts (人大代表/政协委员, 兼任) ----------------------------------------------------
#
# A term may end after today (a five-year seat): only its order is checked, not the calendar.

PersonRecord = PublicOffice | CrossAppointment
Record = TypeVar("Record", PublicOffice, CrossAppointment)


def _save_person_record(record: PersonRecord, *, actor: User, reason: str, update_fields: list[str] | None) -> None:
    _ensure_not_before(
        record.ended_on, record.started_on, field="ended_on", message=_("终止日期不能早于起始日期（%(day)s）。")
    )
    if isinstance(record, CrossAppointment) and record.region_id is not None:
        _check_region(_DatabaseFacts(actor), record.region_id)
    record.full_clean(validate_unique=False, validate_constraints=False)
    _audit(record, actor=actor, reason=reason)
    record.save(update_fields=update_fields)


def _record_add(model: type[Record], *, actor: User, person: Person, values: dict[str, object], reason: str) -> Record:
    record = model(person=_lock_person_for(actor, person), **values)
    _save_person_record(record, actor=actor, reason=reason, update_fields=None)
    return record


def _record_update(record: Record, *, actor: User, changes: dict[str, object]) -> Record:
    _lock_person_for(actor, record.person)
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    changed = [field for field, value in changes.items() if getattr(locked, field) != value]
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, changes[field])
    _save_person_record(locked, actor=actor, reason=_("修改任职信息"), update_fields=changed)
    return locked


@transaction.atomic
def public_office_add(*, actor: User, person: Person, values: dict[str, object]) -> PublicOffice:
    """A seat as 人大代表 or 政协委员 of a person in the actor's scope."""
    _unknown_fields(values, PUBLIC_OFFICE_FIELDS)
    return _record_add(PublicOffice, actor=actor, person=person, values=values, reason=_("登记人大代表/政协委员任职"))


@transaction.atomic
def public_office_update(*, actor: User, office: PublicOffice, changes: dict[str, object]) -> PublicOffice:
    _unknown_fields(changes, PUBLIC_OFFICE_FIELDS)
    return _record_update(office, actor=actor, changes=changes)


@transaction.atomic
def cross_appointment_add(*, actor: User, person: Person, values: dict[str, object]) -> CrossAppointment:
    """A concurrent post such as 村两委委员; the body's place, when given, lies in the actor's scope."""
    _unknown_fields(values, CROSS_APPOINTMENT_FIELDS)
    return _record_add(CrossAppointment, actor=actor, person=person, values=values, reason=_("登记兼任职务"))


@transaction.atomic
def cross_appointment_update(
    *, actor: User, appointment: CrossAppointment, changes: dict[str, object]
) -> CrossAppointment:
    _unknown_fields(changes, CROSS_APPOINTMENT_FIELDS)
    return _record_update(appointment, actor=actor, changes=changes)


# ---- a member's own login ------------------------------------------------------------------------------------


@transaction.atomic
def member_account_create(*, phone: str) -> User | None:
    """The login account of a current member of the roster, made when they first sign in by SMS code (portal/site
    connects it to the phone login; nobody else calls it). Returns the account that already exists for them, or
    None when the number is no current member's or is held by an account that does not sign in by SMS (staff, or
    an account that was closed: it is not reopened behind its administrator's back).

    The new account has no password, carries the person's name, and its creation is on the admin's log of the
    account, written by the member themselves."""
    found = roster_person_with_phone(phone, on_date=_today())
    if found is None:
        return None
    person = Person.objects.select_for_update().get(pk=found.pk)
    existing = User.objects.filter(models.Q(phone=phone) | models.Q(person=person)).first()
    if existing is not None:
        usable = existing.role == Role.MEMBER and existing.is_active and existing.phone == phone
        return existing if usable else None
    username = f"m{phone}"
    if User.objects.filter(username=username).exists():
        username = f"m{phone}-{person.pk}"
    account = User(username=username, role=Role.MEMBER, phone=phone, person=person, display_name=person.name[:50])
    account.set_unusable_password()
    account.save()
    LogEntry.objects.create(
        user=account,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(account.pk),
        object_repr=str(account)[:200],
        action_flag=ADDITION,
        change_message=_("会员首次用手机验证码登录，按会员名册建立账号"),
    )
    return account
