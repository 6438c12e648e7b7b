"""Every write to the roster. Views parse and check scope; the rules live here.

Rules broken by the input raise django.core.exceptions.ValidationError keyed by the field the user typed,
with a Chinese message, before anything is saved; the caller shows it next to that field.
"""

from __future__ import annotations

import datetime
from typing import Required, TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import ContactKind, ContactLog, Membership, MembershipRole, Person, Stratum
from members.scoping import persons_for
from orgs.models import Organization, Region
from portal.accounts.models import User
from portal.scoping import Action


class PersonProfile(TypedDict, total=False):
    """The fields of a person that staff keep by hand."""

    name: Required[str]
    region: Required[Region]
    stratum: Required[Stratum | str]
    gender: str
    phone: str
    occupation: str
    industry: str
    skills: str
    political_affiliation: str
    is_representative: bool
    nationality: str


PROFILE_FIELDS = frozenset(PersonProfile.__annotations__)


def _today() -> datetime.date:
    return timezone.localdate()


def _ensure_not_in_future(day: datetime.date, *, field: str, label: str) -> None:
    if day > _today():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})


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
        message = _("该手机号已登记在人员名册中,属于 %(name)s,请勿重复登记。") % {"name": holder.name}
    else:
        message = _("该手机号已登记在人员名册中,属于另一位人员,请核对号码。")
    raise ValidationError({"phone": message})


def _validate_person(person: Person) -> None:
    # Field validators (11-digit mobile, choices); uniqueness was checked above with a clearer message.
    person.full_clean(validate_unique=False, validate_constraints=False)


def _ensure_can_join(*, person: Person, organization: Organization, joined_on: datetime.date) -> None:
    _ensure_not_in_future(joined_on, field="joined_on", label=_("入会日期"))
    spans = Membership.objects.filter(person=person, organization=organization)
    if spans.filter(left_on__isnull=True).exists():
        raise ValidationError(
            {
                "organization": _("该人员已是%(organization)s的在册会员,如需调整职务请使用“变更职务”。")
                % {"organization": organization.name}
            }
        )
    # Spans of the same organization never overlap, or the growth counts would count someone twice.
    last_left_on = spans.order_by("-left_on").values_list("left_on", flat=True).first()
    if last_left_on is not None and joined_on < last_left_on:
        raise ValidationError(
            {"joined_on": _("入会日期不能早于上次退出该组织的日期(%(day)s)。") % {"day": last_left_on.isoformat()}}
        )


@transaction.atomic
def person_create(
    *,
    actor: User,
    profile: PersonProfile,
    organization: Organization | None = None,
    role: MembershipRole | str = MembershipRole.MEMBER,
    joined_on: datetime.date | None = None,
) -> Person:
    """Register a person, with their first membership when an organization is given."""
    unknown = set(profile) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"not profile fields: {sorted(unknown)}")
    person = Person(**profile)
    person.phone = person.phone or ""
    _ensure_phone_free(phone=person.phone, actor=actor, person=None)
    _validate_person(person)
    if organization is not None:
        if joined_on is None:
            raise ValidationError({"joined_on": _("请填写入会日期。")})
        _ensure_not_in_future(joined_on, field="joined_on", label=_("入会日期"))
    person._history_user = actor  # type: ignore[attr-defined]
    person._change_reason = _("登记人员")  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as error:  # another secretary registered the same phone a moment ago
        raise ValidationError({"phone": _("该手机号已登记在人员名册中,属于另一位人员,请核对号码。")}) from error
    if organization is not None:
        assert joined_on is not None
        membership_add(person=person, organization=organization, role=role, joined_on=joined_on, actor=actor)
    return person


@transaction.atomic
def person_update(*, person: Person, actor: User, changes: PersonProfile) -> Person:
    """Change some fields of a person's profile; only the fields that really change are written."""
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"not profile fields: {sorted(unknown)}")
    locked = Person.objects.select_for_update().get(pk=person.pk)
    changed = [field for field, value in changes.items() if getattr(locked, field) != value]
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, changes[field])  # type: ignore[literal-required]
    if "phone" in changed:
        locked.phone = locked.phone or ""
        _ensure_phone_free(phone=locked.phone, actor=actor, person=locked)
    _validate_person(locked)
    locked._history_user = actor  # type: ignore[attr-defined]
    locked._change_reason = _("修改人员信息")  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            locked.save(update_fields=[*changed, "updated_at"])
    except IntegrityError as error:
        raise ValidationError({"phone": _("该手机号已登记在人员名册中,属于另一位人员,请核对号码。")}) from error
    return locked


@transaction.atomic
def membership_add(
    *,
    person: Person,
    organization: Organization,
    role: MembershipRole | str,
    joined_on: datetime.date,
    actor: User,
) -> Membership:
    # Locking the person serialises concurrent membership changes of the same person.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    _ensure_can_join(person=person, organization=organization, joined_on=joined_on)
    membership = Membership(person=person, organization=organization, role=role, joined_on=joined_on)
    membership.full_clean(validate_unique=False, validate_constraints=False)
    membership._history_user = actor  # type: ignore[attr-defined]
    membership._change_reason = _("加入组织")  # type: ignore[attr-defined]
    membership.save()
    return membership


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: MembershipRole | str, changed_on: datetime.date, actor: User
) -> Membership:
    """A new role is a new span: the current row ends on `changed_on` and a new one starts that day."""
    locked = Membership.objects.select_for_update().select_related("organization").get(pk=membership.pk)
    if locked.left_on is not None:
        raise ValidationError({"role": _("这条会籍已经结束,不能再变更职务。")})
    if locked.role == role:
        raise ValidationError({"role": _("新职务与现任职务相同。")})
    _ensure_not_in_future(changed_on, field="changed_on", label=_("变更日期"))
    if changed_on < locked.joined_on:
        raise ValidationError(
            {"changed_on": _("变更日期不能早于本次入会日期(%(day)s)。") % {"day": locked.joined_on.isoformat()}}
        )
    new_label = MembershipRole(role).label
    locked.left_on = changed_on
    locked.leave_reason = _("职务变更为%(role)s") % {"role": new_label}
    locked._history_user = actor  # type: ignore[attr-defined]
    locked._change_reason = locked.leave_reason  # type: ignore[attr-defined]
    locked.save(update_fields=["left_on", "leave_reason"])
    successor = Membership(
        person_id=locked.person_id, organization=locked.organization, role=role, joined_on=changed_on
    )
    successor.full_clean(validate_unique=False, validate_constraints=False)
    successor._history_user = actor  # type: ignore[attr-defined]
    successor._change_reason = _("由%(old)s变更为%(new)s") % {  # type: ignore[attr-defined]
        "old": locked.get_role_display(),
        "new": new_label,
    }
    successor.save()
    return successor


@transaction.atomic
def membership_end(*, membership: Membership, left_on: datetime.date, reason: str, actor: User) -> Membership:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.left_on is not None:
        raise ValidationError({"left_on": _("这条会籍已于 %(day)s 结束。") % {"day": locked.left_on.isoformat()}})
    _ensure_not_in_future(left_on, field="left_on", label=_("退出日期"))
    if left_on < locked.joined_on:
        raise ValidationError(
            {"left_on": _("退出日期不能早于入会日期(%(day)s)。") % {"day": locked.joined_on.isoformat()}}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退出原因。")})
    locked.left_on = left_on
    locked.leave_reason = reason
    locked._history_user = actor  # type: ignore[attr-defined]
    locked._change_reason = _("退出组织:%(reason)s") % {"reason": reason}  # type: ignore[attr-defined]
    locked.save(update_fields=["left_on", "leave_reason"])
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
    _ensure_not_in_future(occurred_on, field="occurred_on", label=_("联系日期"))
    log = ContactLog(
        person=person,
        kind=kind,
        occurred_on=occurred_on,
        contacted_by=contacted_by.strip() or str(actor),
        notes=notes.strip(),
        author=actor,
    )
    log.full_clean()
    log._history_user = actor  # type: ignore[attr-defined]
    log._change_reason = _("新增联系记录")  # type: ignore[attr-defined]
    log.save()
    return log
