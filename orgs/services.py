"""Writes to the region tree and organizations. The tree path is kept here and nowhere else.

The admin calls region_add / region_update / organization_create / organization_update with the acting user:
each checks the actor's scope inside its transaction, validates, saves with update_fields and leaves its
history row with the actor as the history user. region_create and region_get_or_create lay out the tree when
an installation is set up (seed data, fixtures), before any user exists to act.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Required, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orgs.models import Organization, Region, RegionLevel
from orgs.scoping import organizations_for, regions_for
from portal.accounts.models import User
from portal.notifications.outbox import outbox_region_move
from portal.page_cache import Shown, page_cache_touch
from portal.scoping import Action, is_unrestricted


def _audit(obj: models.Model, *, actor: User | None, reason: str) -> None:
    # The ignores: django-simple-history reads these off the instance, which no model declares.
    obj._history_user = actor  # type: ignore[attr-defined]
    obj._change_reason = reason  # type: ignore[attr-defined]


# ---- the tree -----------------------------------------------------------------------------------------------


def _validate_region(region: Region) -> None:
    region.full_clean(exclude=["path"], validate_constraints=False)
    if Region.objects.filter(parent=region.parent, name=region.name).exclude(pk=region.pk).exists():
        raise ValidationError({"name": _("上级区域下已有同名区域。")})


def _write_region(*, name: str, level: RegionLevel | str, parent: Region | None, actor: User | None) -> Region:
    region = Region(name=name, level=level, parent=parent)
    _validate_region(region)
    _audit(region, actor=actor, reason=_("新增区域"))
    try:
        with transaction.atomic():
            region.save()
    except IntegrityError as error:  # the same name under the same parent, a moment ago
        raise ValidationError({"name": _("上级区域下已有同名区域。")}) from error
    region.path = f"{parent.path if parent else '/'}{region.pk}/"
    _audit(region, actor=actor, reason=_("新增区域"))
    region.save(update_fields=["path"])
    page_cache_touch(Shown.REGIONS)
    return region


@transaction.atomic
def region_create(*, name: str, level: RegionLevel | str, parent: Region | None) -> Region:
    """Lay out a place when the installation is set up; people acting in the portal use region_add."""
    return _write_region(name=name, level=level, parent=parent, actor=None)


@transaction.atomic
def region_get_or_create(*, name: str, level: RegionLevel | str, parent: Region | None) -> Region:
    existing = Region.objects.filter(name=name, parent=parent).first()
    if existing is not None:
        return existing
    return region_create(name=name, level=level, parent=parent)


def _ensure_parent_allowed(actor: User, parent: Region | None) -> None:
    if parent is None:
        if not is_unrestricted(actor):
            raise ValidationError({"parent": _("请选择上级区域：新增区县由系统管理员办理。")})
        return
    if not regions_for(actor, Action.CHANGE).filter(pk=parent.pk).exists():
        raise ValidationError({"parent": _("上级区域不在您的管辖范围内。")})


@transaction.atomic
def region_add(*, actor: User, name: str, level: RegionLevel | str, parent: Region | None) -> Region:
    """A new place under one of the actor's own; only superusers add a district at the root."""
    _ensure_parent_allowed(actor, parent)
    return _write_region(name=name.strip(), level=level, parent=parent, actor=actor)


class RegionChanges(TypedDict, total=False):
    name: str
    level: RegionLevel | str
    parent: Region | None


@transaction.atomic
def region_update(*, actor: User, region: Region, changes: RegionChanges) -> Region:
    """Rename a place, change its level or move it under another place: every descendant's path moves with it,
    in the same transaction."""
    if not regions_for(actor, Action.CHANGE).filter(pk=region.pk).exists():
        raise PermissionDenied(_("您不能修改这个区域。"))
    locked = Region.objects.select_for_update().get(pk=region.pk)
    changed = [field for field, value in changes.items() if getattr(locked, field) != value]
    if not changed:
        return locked
    moving = "parent" in changed
    new_parent: Region | None = changes.get("parent") if moving else None
    if moving:
        if not is_unrestricted(actor) and locked.pk == actor.region_id:
            raise ValidationError({"parent": _("您所管辖的区域本身不能移动。")})
        _ensure_parent_allowed(actor, new_parent)
        if new_parent is not None and new_parent.path.startswith(locked.path):
            raise ValidationError({"parent": _("区域不能移到它自己或它的下级区域之下。")})
    given: Mapping[str, object] = changes  # read by the names that changed
    for field in changed:
        setattr(locked, field, given[field])
    _validate_region(locked)
    _audit(locked, actor=actor, reason=_("修改区域"))
    old_path = locked.path
    if moving:
        locked.path = f"{new_parent.path if new_parent else '/'}{locked.pk}/"
        changed.append("path")
    try:
        with transaction.atomic():
            locked.save(update_fields=changed)
    except IntegrityError as error:
        raise ValidationError({"name": _("上级区域下已有同名区域。")}) from error
    if moving:
        for descendant in Region.objects.select_for_update().filter(path__startswith=old_path).exclude(pk=locked.pk):
            descendant.path = locked.path + descendant.path[len(old_path) :]
            _audit(descendant, actor=actor, reason=_("随上级区域移动"))
            descendant.save(update_fields=["path"])
        # The outbox keeps a copy of the path of what each message is about: it scopes messages to bare numbers.
        outbox_region_move(old_path=old_path, new_path=locked.path)
    page_cache_touch(Shown.REGIONS)
    return locked


# ---- organizations ------------------------------------------------------------------------------------------


class OrganizationFields(TypedDict, total=False):
    name: Required[str]
    slug: Required[str]
    kind: Required[str]
    region: Required[Region]
    level: Required[str]
    category: str
    founded_on: datetime.date | None
    description: str
    is_active: bool


ORGANIZATION_FIELDS = frozenset(OrganizationFields.__annotations__)


def _ensure_organization_place(actor: User, organization: Organization) -> None:
    # Town staff place organizations anywhere in their town, though they may not edit the tree.
    if not regions_for(actor, Action.VIEW).filter(pk=organization.region_id).exists():
        raise ValidationError({"region": _("所在区域不在您的管辖范围内，请选择您负责范围内的区域。")})
    founded_on = organization.founded_on
    if founded_on is not None and founded_on > timezone.localdate():
        raise ValidationError({"founded_on": _("成立日期不能晚于今天。")})


def _set_partners(actor: User, organization: Organization, partners: Iterable[Organization] | None) -> bool:
    """Pairings the actor adds or removes are with organizations they keep; others already there stay."""
    if partners is None:
        return False
    wanted = {partner.pk for partner in partners}
    current = set(organization.partners.values_list("pk", flat=True))
    touched = wanted ^ current
    if not touched:
        return False
    keepable = set(organizations_for(actor, Action.CHANGE).filter(pk__in=touched).values_list("pk", flat=True))
    if touched - keepable:
        raise ValidationError({"partners": _("只能与您负责范围内的组织结对或解除结对。")})
    if organization.pk in wanted:
        raise ValidationError({"partners": _("组织不能与自己结对。")})
    organization.partners.set(wanted)
    return True


def _unknown_fields(given: Iterable[str]) -> None:
    unknown = set(given) - ORGANIZATION_FIELDS
    if unknown:
        raise TypeError(f"not organization fields: {sorted(unknown)}")


@transaction.atomic
def organization_create(
    *, actor: User, fields: OrganizationFields, partners: Iterable[Organization] = ()
) -> Organization:
    _unknown_fields(fields)
    if organizations_for(actor, Action.CHANGE).query.is_empty():
        raise PermissionDenied(_("您不能新增组织。"))
    organization = Organization(**fields)
    _ensure_organization_place(actor, organization)
    organization.full_clean()
    _audit(organization, actor=actor, reason=_("新增组织"))
    organization.save()
    _set_partners(actor, organization, partners)
    page_cache_touch(Shown.ORGANIZATIONS)
    return organization


@transaction.atomic
def organization_update(
    *,
    actor: User,
    organization: Organization,
    changes: OrganizationFields | dict[str, object],
    partners: Iterable[Organization] | None = None,
) -> Organization:
    """Change some fields (and, given `partners`, the pairings) of an organization the actor keeps."""
    _unknown_fields(changes)
    if not organizations_for(actor, Action.CHANGE).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("您不能修改这个组织。"))
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    changed = [field for field, value in changes.items() if getattr(locked, field) != value]
    given: Mapping[str, object] = changes  # read by the names that changed
    for field in changed:
        setattr(locked, field, given[field])
    if changed:
        if "region" in changed or "founded_on" in changed:
            _ensure_organization_place(actor, locked)
        locked.full_clean()
        _audit(locked, actor=actor, reason=_("修改组织信息"))
        locked.save(update_fields=changed)
    _set_partners(actor, locked, partners)
    page_cache_touch(Shown.ORGANIZATIONS)
    return locked
