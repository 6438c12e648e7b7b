"""Planning and editing an activity: good input saves a draft; bad input says why, keeps the values, saves nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities.models import Activity, ActivityLog, ActivityStatus

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime(LOCAL)


@pytest.fixture
def plan(qingshan_tongxinhui):
    """A valid plan for 青山同心荟, as the form posts it; tests spoil one field at a time."""
    start = timezone.now() + datetime.timedelta(days=10)
    return {
        "host": str(qingshan_tongxinhui.pk),
        "title": "乡村传统体验：竹编入门",
        "category": "heritage",
        "form": "traditional_experience",
        "starts_at": local(start),
        "ends_at": local(start + datetime.timedelta(hours=3)),
        "place": "青山村竹编工坊",
        "capacity": "15",
        "signup_deadline": local(start - datetime.timedelta(days=1)),
        "audience": "members",
        "description": "跟着老手艺人编一只小竹篮。",
    }


def post_plan(client, data, **files):
    return client.post(reverse("staff_activities:create"), {**data, **files})


def test_village_staff_plan_an_activity_as_a_draft(staff_client, village_staff_qingshan, plan):
    response = post_plan(staff_client(village_staff_qingshan), plan)
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff_activities:detail", args=[activity.pk])
    assert activity.status == ActivityStatus.DRAFT
    assert activity.title == "乡村传统体验：竹编入门"
    # Typed as Beijing time: 10 days from now at the minute shown in the form.
    assert local(activity.starts_at) == plan["starts_at"]
    assert activity.created_by == village_staff_qingshan


@pytest.mark.any_hour
def test_plan_form_uses_datetime_local_inputs_in_beijing_time(staff_client, village_staff_qingshan, plan):
    page = staff_client(village_staff_qingshan).get(reverse("staff_activities:create")).content.decode()
    assert 'type="datetime-local"' in page
    assert "北京时间" in page


def assert_refused(response, field: str, message: str, kept: dict) -> None:
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors.get(field, [])), form.errors
    page = response.content.decode()
    assert message in page
    for value in kept.values():
        assert value in page
    assert not Activity.objects.exists()


@pytest.mark.any_hour
def test_a_start_in_the_past_is_refused_and_nothing_saved(staff_client, village_staff_qingshan, plan):
    start = timezone.now() - datetime.timedelta(days=1)
    plan |= {
        "starts_at": local(start),
        "ends_at": local(start + datetime.timedelta(hours=2)),
        "signup_deadline": local(start + datetime.timedelta(hours=1)),
    }
    response = post_plan(staff_client(village_staff_qingshan), plan)
    assert_refused(response, "starts_at", "开始时间已经过去", {"title": plan["title"], "place": plan["place"]})


def test_an_end_before_the_start_is_refused(staff_client, village_staff_qingshan, plan):
    start = timezone.now() + datetime.timedelta(days=10)
    plan |= {"ends_at": local(start - datetime.timedelta(hours=1)), "starts_at": local(start)}
    response = post_plan(staff_client(village_staff_qingshan), plan)
    assert_refused(response, "ends_at", "结束时间必须晚于开始时间", {"title": plan["title"]})


def test_a_capacity_of_zero_is_refused(staff_client, village_staff_qingshan, plan):
    response = post_plan(staff_client(village_staff_qingshan), plan | {"capacity": "0"})
    assert_refused(response, "capacity", "名额至少为 1 人", {"title": plan["title"]})


def test_an_exchange_visit_needs_a_co_host(staff_client, village_staff_qingshan, plan):
    response = post_plan(staff_client(village_staff_qingshan), plan | {"form": "exchange_visit"})
    assert_refused(response, "co_hosts", "同心荟互访至少要有一个协办组织", {"title": plan["title"]})


def test_an_exchange_visit_with_the_neighbouring_tongxinhui_is_saved_with_its_co_host(
    staff_client, village_staff_qingshan, wangweishan_tongxinhui, plan
):
    data = plan | {"form": "exchange_visit", "co_hosts": [str(wangweishan_tongxinhui.pk)]}
    assert post_plan(staff_client(village_staff_qingshan), data).status_code == 302
    assert list(Activity.objects.get().co_hosts.all()) == [wangweishan_tongxinhui]


def test_a_cover_that_is_not_a_picture_is_refused_and_staff_are_told_to_choose_it_again(
    staff_client, village_staff_qingshan, plan
):
    fake = SimpleUploadedFile("cover.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = post_plan(staff_client(village_staff_qingshan), plan, cover=fake)
    assert_refused(response, "cover", "不是有效的图片文件", {"title": plan["title"]})
    assert "请重新选择封面图" in response.content.decode()


def test_an_oversized_cover_is_refused(staff_client, village_staff_qingshan, plan, settings, jpeg_bytes):
    settings.ACTIVITY_PHOTO_MAX_BYTES = 1024
    big = SimpleUploadedFile("cover.jpg", jpeg_bytes(size=(600, 600), color="blue") * 3, content_type="image/jpeg")
    response = post_plan(staff_client(village_staff_qingshan), plan, cover=big)
    assert_refused(response, "cover", "太大（超过", {"title": plan["title"]})


def test_a_cover_is_reencoded_without_the_phones_exif(staff_client, village_staff_qingshan, plan, jpeg_bytes):
    upload = SimpleUploadedFile("IMG_0001.JPG", jpeg_bytes(exif=True), content_type="image/jpeg")
    assert post_plan(staff_client(village_staff_qingshan), plan, cover=upload).status_code == 302
    activity = Activity.objects.get()
    with activity.cover.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as picture:
        assert picture.format == "JPEG"
        assert not picture.getexif()


def test_staff_cannot_plan_for_an_organization_outside_their_scope(
    staff_client, village_staff_qingshan, tianmu_alliance, plan
):
    response = post_plan(staff_client(village_staff_qingshan), plan | {"host": str(tianmu_alliance.pk)})
    assert response.status_code == 400
    assert "host" in response.context["form"].errors
    assert not Activity.objects.exists()


# ---- editing ----------------------------------------------------------------------------------------------


def edit_data(activity: Activity, **changes: str | list[str]) -> dict:
    data = {
        "title": activity.title,
        "category": activity.category,
        "form": activity.form,
        "starts_at": local(activity.starts_at),
        "ends_at": local(activity.ends_at),
        "place": activity.place,
        "capacity": str(activity.capacity),
        "signup_deadline": local(activity.signup_deadline),
        "audience": activity.audience,
        "description": activity.description,
    }
    return data | changes


def test_capacity_cannot_drop_below_the_people_already_signed_up(
    staff_client, village_staff_qingshan, activity_factory, sign_up_people
):
    activity = activity_factory(capacity=10, audience="public")
    sign_up_people(activity, 5)
    response = staff_client(village_staff_qingshan).post(
        reverse("staff_activities:edit", args=[activity.pk]), edit_data(activity, capacity="3", place="村文化礼堂")
    )
    assert response.status_code == 400
    assert "已有 5 人报名，名额不能少于 5" in " ".join(response.context["form"].errors["capacity"])
    assert "村文化礼堂" in response.content.decode()  # what was typed is kept
    activity.refresh_from_db()
    assert (activity.capacity, activity.place) == (10, "青山村同心驿站")  # nothing half-saved


def test_editing_saves_only_what_changed_and_raising_capacity_moves_the_waiting_list_up(
    staff_client, village_staff_qingshan, activity_factory, sign_up_people
):
    activity = activity_factory(capacity=2, audience="public")
    people = sign_up_people(activity, 3)
    response = staff_client(village_staff_qingshan).post(
        reverse("staff_activities:edit", args=[activity.pk]), edit_data(activity, capacity="3")
    )
    assert response.status_code == 302
    people[2].refresh_from_db()
    assert people[2].status == "confirmed"
    assert ActivityLog.objects.filter(activity=activity, action="update", comment="capacity").exists()


@pytest.mark.any_hour
def test_the_edit_form_shows_the_times_in_beijing_time(staff_client, village_staff_qingshan, activity_factory):
    activity = activity_factory()
    page = staff_client(village_staff_qingshan).get(reverse("staff_activities:edit", args=[activity.pk]))
    assert f'value="{local(activity.starts_at)}"' in page.content.decode()


def test_co_hosts_can_be_changed_when_editing(
    staff_client, village_staff_qingshan, activity_factory, wangweishan_tongxinhui
):
    activity = activity_factory()
    data = edit_data(activity, form="exchange_visit", co_hosts=[str(wangweishan_tongxinhui.pk)])
    response = staff_client(village_staff_qingshan).post(reverse("staff_activities:edit", args=[activity.pk]), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.form == "exchange_visit"
    assert list(activity.co_hosts.all()) == [wangweishan_tongxinhui]
