"""What the admin phone tests look at: a person whose phone changed once, an issue and a sign-up, all in 青山村."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from activities import services as activity_services
from activities.models import ActivityCategory, ActivityForm, Audience, Registration
from consultations import services as issue_services
from consultations.models import Issue, IssueCategory
from members.models import Membership, Person
from portal.accounts.models import User

OLD_PHONE = "13800001111"
NEW_PHONE = "13800005555"
SUBMITTER_PHONE = "13912345678"
REGISTRANT_PHONE = "13700002468"


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(username="root", password="correct-horse-42", email="root@example.org")


@pytest.fixture
def craftsman_with_new_phone(craftsman_in_qingshan) -> Person:
    """张竹青 changed numbers once, so that the history page has a phone diff to show."""
    craftsman_in_qingshan.phone = NEW_PHONE
    craftsman_in_qingshan.save(update_fields=["phone"])
    return craftsman_in_qingshan


@pytest.fixture
def villager_issue(qingshan_tongxinhui) -> Issue:
    return issue_services.issue_submit(
        organization=qingshan_tongxinhui,
        title="村口路灯不亮",
        description="村口到竹林的路灯坏了一个多月。",
        category=IssueCategory.INFRASTRUCTURE,
        place="村口",
        submitter_name="王大伯",
        submitter_phone=SUBMITTER_PHONE,
        phone_visible_to_department=False,
    )


@pytest.fixture
def villager_sign_up(qingshan_tongxinhui, village_staff_qingshan) -> Registration:
    starts_at = timezone.now() + datetime.timedelta(days=3)
    activity = activity_services.activity_create(
        host=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="青山talk：竹编与乡村设计",
        category=ActivityCategory.HERITAGE,
        form=ActivityForm.TALK,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="青山村同心驿站",
        capacity=20,
        signup_deadline=starts_at - datetime.timedelta(hours=1),
        audience=Audience.PUBLIC,
    )
    activity = activity_services.activity_publish(activity=activity, actor=village_staff_qingshan)
    return activity_services.registration_create(activity=activity, name="村民甲", phone=REGISTRANT_PHONE)


@pytest.fixture
def enrol(db):
    """enrol(organization, name=..., phone=...) -> a current member of the organization, living in its place."""

    def make(organization, *, name: str, phone: str) -> Person:
        person = Person.objects.create(name=name, phone=phone, region=organization.region, stratum="freelancer")
        Membership.objects.create(person=person, organization=organization, joined_on=datetime.date(2020, 1, 1))
        return person

    return make
