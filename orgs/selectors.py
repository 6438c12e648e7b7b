"""Reads for the public organization pages. Each function runs one query whatever the size of the roster."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from members.models import LEADERSHIP_ROLES, Membership, MembershipRole, Stratum
from orgs.models import Organization, Region
from orgs.scoping import organizations_public


def region_trail(region: Region) -> list[Region]:
    """The region and its ancestors, root first (余杭区 › 黄湖镇 › 青山村)."""
    return region.trail()


@dataclass(frozen=True)
class StratumCount:
    stratum: str
    label: str
    count: int


def organization_stratum_counts(organization: Organization, *, on: datetime.date | None = None) -> list[StratumCount]:
    """Members on a day counted by stratum, in the order of the official list; no names, no phones."""
    day = on or timezone.localdate()
    rows = (
        Membership.objects.on(day)
        .filter(organization=organization)
        .values("person__stratum")
        .annotate(count=Count("person", distinct=True))
    )
    counts = {row["person__stratum"]: row["count"] for row in rows}
    return [
        StratumCount(stratum=value, label=str(label), count=counts[value])
        for value, label in Stratum.choices
        if counts.get(value)
    ]


def organization_member_count(organization: Organization, *, on: datetime.date | None = None) -> int:
    day = on or timezone.localdate()
    return Membership.objects.on(day).filter(organization=organization).values("person").distinct().count()


@dataclass(frozen=True)
class Leader:
    name: str
    role: str
    role_label: str


_LEADERSHIP_ORDER = {role.value: index for index, role in enumerate(LEADERSHIP_ROLES)}


def organization_leaders(organization: Organization, *, on: datetime.date | None = None) -> list[Leader]:
    """会长, 副会长 and 秘书长 in office on a day.

    Only names and roles: leaders' names are public, their phones and the rest of the roster are not.
    """
    day = on or timezone.localdate()
    rows = (
        Membership.objects.on(day)
        .filter(organization=organization, role__in=LEADERSHIP_ROLES)
        .order_by("joined_on", "person__name")
        .values_list("person__name", "role")
    )
    leaders = [Leader(name=name, role=role, role_label=str(MembershipRole(role).label)) for name, role in rows]
    return sorted(leaders, key=lambda leader: _LEADERSHIP_ORDER[leader.role])


def organization_partners(organization: Organization) -> QuerySet[Organization]:
    """结对组织 that are themselves public."""
    return organizations_public().filter(partners=organization).order_by("name")


def organizations_public_list(*, region: Region | None = None, kind: str = "") -> QuerySet[Organization]:
    """Public organizations, optionally under a region (district or town) and of a kind."""
    organizations = organizations_public()
    if region is not None:
        organizations = organizations.filter(region__path__startswith=region.path)
    if kind:
        organizations = organizations.filter(kind=kind)
    return organizations.order_by("region__path", "name")


def organization_member_counts(organization_ids: list[int], *, on: datetime.date | None = None) -> dict[int, int]:
    """Members on a day of each organization of a page, in one query; those with none are absent."""
    day = on or timezone.localdate()
    rows = (
        Membership.objects.on(day)
        .filter(organization_id__in=organization_ids)
        .values("organization_id")
        .annotate(count=Count("person", distinct=True))
    )
    return {row["organization_id"]: row["count"] for row in rows}
