"""Roster fixtures: people enrolled in organizations, one at a time or by the hundred."""

from __future__ import annotations

import datetime

import pytest

from members.models import Membership, MembershipRole, Person, Stratum
from orgs.models import Organization


@pytest.fixture
def enrol(db):
    """enrol(org, name=..., phone=..., role=..., joined_on=..., left_on=..., **person fields) -> Person"""
    counter = iter(range(10_000))

    def make(
        organization: Organization,
        *,
        name: str | None = None,
        phone: str | None = None,
        role: str = MembershipRole.MEMBER,
        joined_on: datetime.date = datetime.date(2020, 1, 1),
        left_on: datetime.date | None = None,
        **fields: object,
    ) -> Person:
        number = next(counter)
        fields.setdefault("stratum", Stratum.FREELANCER)
        person = Person.objects.create(
            name=name or f"成员{number:03d}",
            phone=phone if phone is not None else f"1370000{number:04d}",
            region=organization.region,
            **fields,
        )
        Membership.objects.create(
            person=person, organization=organization, role=role, joined_on=joined_on, left_on=left_on
        )
        return person

    return make


@pytest.fixture
def enrol_many(db):
    """enrol_many(org, count): bulk-created members, so that a page can be measured against a big roster."""

    def make(organization: Organization, count: int, *, start: int = 0) -> list[Person]:
        persons = Person.objects.bulk_create(
            Person(
                name=f"批量成员{start + index:04d}",
                phone=f"1360000{start + index:04d}",
                region=organization.region,
                stratum=Stratum.FREELANCER if index % 2 else Stratum.NEW_MEDIA,
                occupation=f"职业{index % 7}",
                is_representative=index % 10 == 0,
            )
            for index in range(count)
        )
        Membership.objects.bulk_create(
            Membership(
                person=person,
                organization=organization,
                role=MembershipRole.MEMBER,
                joined_on=datetime.date(2019, 2, 28) + datetime.timedelta(days=index),
            )
            for index, person in enumerate(persons)
        )
        return persons

    return make
