"""Fixtures of the staff activity pages, on top of tests/activities/conftest.py (activity_factory & co).

- `village_staff_wangweishan`: the secretary of 王位山村, whose 同心荟 co-hosts visits with 青山.
- `staff_client(user)`: a test client logged in as that user.
- `move_to_past(activity, days_ago=..., hours=2)`: the services refuse past dates by design, so tests make an
  activity in the future and then move its times back with a queryset update.
- `jpeg_bytes(...)` / `png_with_exif_bytes()`: small pictures made with Pillow.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from activities.models import Activity
from portal.accounts.models import User
from portal.accounts.roles import Role


@pytest.fixture
def village_staff_wangweishan(tree):
    return User.objects.create_user(
        username="wangweishan_secretary",
        password="correct-horse-42",
        role=Role.VILLAGE_STAFF,
        region=tree.wangweishan,
        display_name="王位山村 秘书 陈晓",
    )


@pytest.fixture
def staff_client():
    def login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return login


@pytest.fixture
def move_to_past():
    def move(activity: Activity, *, days_ago: float = 1, hours: float = 2) -> Activity:
        starts_at = timezone.now() - datetime.timedelta(days=days_ago)
        Activity.objects.filter(pk=activity.pk).update(
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=hours),
            signup_deadline=starts_at - datetime.timedelta(hours=1),
        )
        activity.refresh_from_db()
        return activity

    return move


def make_jpeg(*, size: tuple[int, int] = (64, 48), color: str = "red", exif: bool = False) -> bytes:
    picture = Image.new("RGB", size, color)
    buffer = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "PhoneMaker"  # Make
        tags[0x0110] = "SecretPhone 9"  # Model
        picture.save(buffer, format="JPEG", exif=tags.tobytes())
    else:
        picture.save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def jpeg_bytes():
    return make_jpeg
