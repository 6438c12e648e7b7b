"""A town grown to scale for the query-count tests: villages with their 同心荟, people with a membership and a
phone, and issues in every state, created in bulk; plus a town staff of another district's town."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from consultations.models import Issue, IssueCategory
from consultations.states import IssueState
from members.models import Membership, MembershipRole, Person, Stratum
from orgs.models import Organization, OrganizationKind, OrganizationLevel, Region, RegionLevel
from portal.accounts.models import User
from portal.accounts.roles import Role

STATES = [IssueState.SUBMITTED, IssueState.ACCEPTED, IssueState.ASSIGNED, IssueState.CLOSED, IssueState.REJECTED]


def grow_town(town: Region, count: int, *, start: int = 0) -> list[Organization]:
    """`count` more villages under `town`, each with a 同心荟, a member with a phone and an issue."""
    villages = Region.objects.bulk_create(
        Region(name=f"规模村{number}", level=RegionLevel.VILLAGE, parent=town) for number in range(start, start + count)
    )
    for village in villages:
        village.path = f"{town.path}{village.pk}/"
    Region.objects.bulk_update(villages, ["path"])
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"规模村{start + index}同心荟",
            slug=f"scale-{start + index}",
            kind=OrganizationKind.TONGXINHUI,
            region=village,
            level=OrganizationLevel.VILLAGE,
        )
        for index, village in enumerate(villages)
    )
    persons = Person.objects.bulk_create(
        Person(
            name=f"规模会员{start + index}",
            phone=f"1370000{start + index:04d}",
            region=organization.region,
            stratum=Stratum.FREELANCER,
            occupation=f"职业{index % 7}",
        )
        for index, organization in enumerate(organizations)
    )
    Membership.objects.bulk_create(
        Membership(
            person=person,
            organization=organization,
            role=MembershipRole.MEMBER,
            joined_on=datetime.date(2023, 1, 1),
        )
        for person, organization in zip(persons, organizations, strict=True)
    )
    now = timezone.now()
    Issue.objects.bulk_create(
        Issue(
            organization=organization,
            region_id=organization.region_id,
            receipt_code=f"{70000000 + start + index}",
            title=f"规模议题{start + index}",
            description="说明",
            category=IssueCategory.OTHER,
            submitter_name="村民",
            submitter_phone="13900000000",
            state=STATES[index % len(STATES)],
            state_changed_at=now - datetime.timedelta(days=index % 9),
        )
        for index, organization in enumerate(organizations)
    )
    return organizations


@pytest.fixture
def town_staff_longgang(tree) -> User:
    """Town staff of 龙岗镇 (临安区): another district's town, for the scoping matrix."""
    return User.objects.create_user(
        username="longgang_staff",
        password="correct-horse-42",
        role=Role.TOWN_STAFF,
        region=tree.longgang,
        is_staff=True,
        display_name="龙岗镇 统战干部 孙立",
    )


@pytest.fixture
def signed_in():
    def sign_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in
