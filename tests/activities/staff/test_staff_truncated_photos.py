"""A cover or an event photo cut off on the way up is refused in words, never with a server error, and the
rest of what staff typed stays in the form."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, ActivityPhoto, ActivityStatus

pytestmark = pytest.mark.django_db


def cut_off(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data[: len(data) * 2 // 3], content_type="image/jpeg")


def test_a_truncated_cover_is_refused_and_the_plan_is_kept(
    staff_client, village_staff_qingshan, qingshan_tongxinhui, jpeg_bytes
):
    start = timezone.localtime() + datetime.timedelta(days=10)
    plan = {
        "host": str(qingshan_tongxinhui.pk),
        "title": "乡村传统体验：竹编入门",
        "category": "heritage",
        "form": "traditional_experience",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "place": "青山村竹编工坊",
        "capacity": "15",
        "signup_deadline": (start - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "audience": "members",
        "description": "跟着老手艺人编一只小竹篮。",
    }
    cover = cut_off(jpeg_bytes(size=(640, 480), color="green", exif=True), "封面.jpg")

    response = staff_client(village_staff_qingshan).post(reverse("staff_activities:create"), {**plan, "cover": cover})

    assert response.status_code == 400
    assert "“封面.jpg”不是有效的图片文件" in " ".join(response.context["form"].errors["cover"])
    page = response.content.decode()
    assert "乡村传统体验：竹编入门" in page
    assert "青山村竹编工坊" in page
    assert not Activity.objects.exists()


def test_a_truncated_event_photo_is_refused_and_the_summary_is_kept(
    staff_client, village_staff_qingshan, activity_factory, move_to_past, jpeg_bytes
):
    activity = move_to_past(activity_factory())
    photos = [
        SimpleUploadedFile("合影.jpg", jpeg_bytes(), content_type="image/jpeg"),
        cut_off(jpeg_bytes(size=(640, 480), color="blue"), "现场.jpg"),
    ]

    response = staff_client(village_staff_qingshan).post(
        reverse("staff_activities:complete", args=[activity.pk]),
        {"summary": "二十位会员学了竹编。", "walk_in_count": "2", "photos": photos},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "“现场.jpg”不是有效的图片文件" in page
    assert "二十位会员学了竹编。" in page
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED
    assert not ActivityPhoto.objects.exists()
