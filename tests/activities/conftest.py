"""Activities of 青山同心荟, made the way staff make them: through the services.

Fixtures shared by every activities test (sub-folders included):
- `activity_factory(**fields)`: a published activity of 青山同心荟, planned by the 青山村 secretary.
  Defaults: starts in 3 days for 2 hours, capacity 20, sign-up closes 1 hour before the start, members only.
  `starts_in=timedelta(...)` moves the start (check-in opens 1 hour before it, so `starts_in=timedelta(
  minutes=30)` gives an activity whose check-in is open now); `publish=False` leaves it a draft; any other
  keyword goes to services.activity_create (host, co_hosts, capacity, audience, title, ...).
- `sign_up_people(activity, count, first_phone=...)`: `count` people of the public sign up, in order, with
  consecutive phones; returns their registrations.
- `member_factory(name=..., phone=..., organization=...)`: a member user with a person and a membership.
- `sms_outbox`: the SMS "sent" during the test, with Celery running tasks eagerly (on commit).
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.utils import timezone

from activities import services
from activities.models import Activity, ActivityCategory, ActivityForm, Audience, Registration
from members.models import Membership, MembershipRole, Person, Stratum
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.sms import backends as sms_backends

DEFAULT_PASSWORD = "correct-horse-42"


@pytest.fixture
def sms_outbox(settings):
    """Messages "sent" while the test runs, in order; Celery runs tasks at once, in the test's process."""
    from portal.celery import app

    settings.SMS_BACKEND = "portal.sms.backends.MemoryBackend"
    sms_backends.outbox.clear()
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield sms_backends.outbox
    app.conf.task_always_eager = was_eager
    sms_backends.outbox.clear()


@pytest.fixture
def activity_factory(qingshan_tongxinhui, village_staff_qingshan):
    """activity_factory(starts_in=..., publish=True, **activity_create kwargs) -> Activity."""
    numbers = itertools.count(1)

    def make(
        *, starts_in: datetime.timedelta = datetime.timedelta(days=3), publish: bool = True, **fields: Any
    ) -> Activity:
        number = next(numbers)
        starts_at = timezone.now() + starts_in
        fields.setdefault("host", qingshan_tongxinhui)
        fields.setdefault("actor", village_staff_qingshan)
        fields.setdefault("title", f"青山talk 第{number}期：竹编与乡村设计")
        fields.setdefault("category", ActivityCategory.HERITAGE)
        fields.setdefault("form", ActivityForm.TALK)
        fields.setdefault("starts_at", starts_at)
        fields.setdefault("ends_at", fields["starts_at"] + datetime.timedelta(hours=2))
        fields.setdefault("place", "青山村同心驿站")
        fields.setdefault("capacity", 20)
        fields.setdefault(
            "signup_deadline",
            max(fields["starts_at"] - datetime.timedelta(hours=1), timezone.now() + datetime.timedelta(minutes=10)),
        )
        fields.setdefault("audience", Audience.MEMBERS)
        fields.setdefault("description", "手艺人分享竹编技艺，聊聊乡村设计。")
        activity = services.activity_create(**fields)
        if publish:
            activity = services.activity_publish(activity=activity, actor=fields["actor"])
        return activity

    return make


@pytest.fixture
def sign_up_people():
    """sign_up_people(activity, count, first_phone="13700000001") -> [Registration] in sign-up order."""

    def sign_up(activity: Activity, count: int, *, first_phone: str = "13700000001") -> list[Registration]:
        first = int(first_phone)
        return [
            services.registration_create(activity=activity, name=f"村民{index + 1}", phone=str(first + index))
            for index in range(count)
        ]

    return sign_up


@pytest.fixture
def member_factory(tree, qingshan_tongxinhui):
    """member_factory(name=..., phone=..., organization=...) -> a member User with person and membership."""
    numbers = itertools.count(1)

    def make(*, name: str | None = None, phone: str | None = None, organization=None) -> User:
        number = next(numbers)
        phone = phone or f"1360000{number:04d}"
        organization = organization or qingshan_tongxinhui
        person = Person.objects.create(
            name=name or f"会员{number}", phone=phone, region=organization.region, stratum=Stratum.FREELANCER
        )
        Membership.objects.create(
            person=person, organization=organization, role=MembershipRole.MEMBER, joined_on=datetime.date(2020, 1, 1)
        )
        return User.objects.create_user(
            username=f"m{phone}", password=DEFAULT_PASSWORD, role=Role.MEMBER, person=person, phone=phone
        )

    return make
