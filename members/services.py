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

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict, TypeVar, cast

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
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


def _ensure_region_in_scope(actor: User, region: Region | None) -> None:
    if region is None or not regions_for(actor, Action.VIEW).filter(pk=region.pk).exists():
        raise ValidationError({"region": _("所在区域不在您的管辖范围内，请选择您负责范围内的区域。")})


def _ensure_organization_in_scope(actor: User, organization: Organization) -> None:
    if not organizations_for(actor, Action.CHANGE).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("请选择您负责范围内的组织。")})


def _ensure_phone_free(*, phone: str, actor: User, person: Person | None) -> None:
    """A phone identifies one person. Say whose it is only when the actor may see that person."""
    if not phone:
        return
    holders = Person.objects.filter(phone=phone)
    if person is not None:
        holders = holders.exclude(pk=person.pk)
    holder = holders.only("pk", "name").first()
    if holder is None:
        return
    if persons_for(actor, Action.VIEW).filter(pk=holder.pk).exists():
        message = _("该手机号已登记在人员名册中，属于 %(name)s，请勿重复登记。") % {"name": holder.name}
    else:
        message = phone_not_usable_message()
    raise ValidationError({"phone": message})


def _validate_person(person: Person) -> None:
    # Field validators (11-digit mobile, choices); uniqueness was checked above with a clearer message. The
    # place is not looked up again: it is the stored one, or a new one the scope check has just found.
    person.full_clean(exclude=["region"], validate_unique=False, validate_constraints=False)


def _save_person(person: Person, *, update_fields: list[str] | None = None) -> None:
    # Leaders' names and the counts by stratum are on the public pages.
    page_cache_touch(Shown.MEMBERS)
    try:
        with transaction.atomic():
            person.save(update_fields=update_fields)
    except IntegrityError as error:  # another secretary registered the same phone a moment ago
        raise ValidationError({"phone": phone_not_usable_message()}) from error


def _ensure_span_free(
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
    spans = Membership.objects.filter(person=person, organization=organization)
    if other_than is not None:
        spans = spans.exclude(pk=other_than.pk)
    current = spans.current().first()
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
    overlapping = spans.filter(left_on__isnull=False, left_on__gt=joined_on)
    if left_on is not None:
        overlapping = overlapping.filter(joined_on__lt=left_on)
    clash = overlapping.order_by("-left_on").first()
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
    person.phone = person.phone or ""
    _ensure_region_in_scope(actor, profile.get("region"))
    _ensure_phone_free(phone=person.phone, actor=actor, person=None)
    _validate_person(person)
    if organization is not None:
        _ensure_organization_in_scope(actor, organization)
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
    changed = [field for field, value in changes.items() if getattr(locked, field) != value]
    if not changed:
        return locked
    given: Mapping[str, object] = changes  # read by the names that changed
    for field in changed:
        setattr(locked, field, given[field])
    if "region" in changed:
        # A person who lives elsewhere keeps their place; moving someone is only into one's own area.
        _ensure_region_in_scope(actor, locked.region)
    if "phone" in changed:
        locked.phone = locked.phone or ""
        _ensure_phone_free(phone=locked.phone, actor=actor, person=locked)
    _validate_person(locked)
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
    _ensure_organization_in_scope(actor, organization)
    _check_span_dates(joined_on=joined_on, left_on=left_on)
    _ensure_span_free(person=locked_person, organization=organization, joined_on=joined_on, left_on=left_on)
    membership = Membership(
        person=locked_person,
        organization=organization,
        role=role,
        joined_on=joined_on,
        left_on=left_on,
        leave_reason=leave_reason.strip() if left_on else "",
    )
    # Person and organization were just locked and scope-checked: not looked up a third time (a sheet's rows).
    membership.full_clean(exclude=["person", "organization"], validate_unique=False, validate_constraints=False)
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
    changed = [name for name, value in (("role", role), ("left_on", left_on)) if getattr(locked, name) != value]
    if not changed:
        return locked
    _check_span_dates(joined_on=locked.joined_on, left_on=left_on)
    _ensure_span_free(
        person=locked.person,
        organization=locked.organization,
        joined_on=locked.joined_on,
        left_on=left_on,
        other_than=locked,
    )
    locked.role = role
    locked.left_on = left_on
    if left_on is None:
        locked.leave_reason = ""
        changed.append("leave_reason")
    elif "left_on" in changed:
        locked.leave_reason = reason
        changed.append("leave_reason")
    locked.full_clean(validate_unique=False, validate_constraints=False)
    _audit(locked, actor=actor, reason=reason)
    locked.save(update_fields=changed)
    page_cache_touch(Shown.MEMBERS)
    return locked


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
        _ensure_region_in_scope(actor, record.region)
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
