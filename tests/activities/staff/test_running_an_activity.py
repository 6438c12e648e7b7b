"""Publishing, cancelling, recording afterwards and checking people in by hand, from the detail page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import ActivityLog, ActivityPhoto, ActivityStatus, CheckinMethod, RegistrationStatus

pytestmark = pytest.mark.django_db


def detail(activity):
    return reverse("staff_activities:detail", args=[activity.pk])


def test_publishing_a_draft_opens_sign_up(staff_client, village_staff_qingshan, activity_factory):
    activity = activity_factory(publish=False)
    client = staff_client(village_staff_qingshan)
    assert 'data-testid="publish"' in client.get(detail(activity)).content.decode()
    response = client.post(reverse("staff_activities:publish", args=[activity.pk]), follow=True)
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED
    assert "已发布" in response.content.decode()
    assert ActivityLog.objects.filter(activity=activity, action="publish", actor=village_staff_qingshan).exists()


def test_cancelling_tells_everyone_signed_up_or_waiting_by_sms(
    staff_client,
    village_staff_qingshan,
    activity_factory,
    sign_up_people,
    sms_outbox,
    django_capture_on_commit_callbacks,
):
    activity = activity_factory(capacity=2, audience="public", title="生态环保：龙坞水库巡护")
    people = sign_up_people(activity, 3)  # two confirmed, one waiting
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client(village_staff_qingshan).post(
            reverse("staff_activities:cancel", args=[activity.pk]), {"reason": "台风预警，改期另行通知"}
        )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED
    assert sorted(message.phone for message in sms_outbox) == sorted(person.phone for person in people)
    assert all("台风预警" in message.text for message in sms_outbox)


def test_cancelling_without_a_reason_is_refused_next_to_the_field(
    staff_client, village_staff_qingshan, activity_factory
):
    activity = activity_factory()
    response = staff_client(village_staff_qingshan).post(
        reverse("staff_activities:cancel", args=[activity.pk]), {"reason": "  "}
    )
    assert response.status_code == 400
    assert "请填写取消原因" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED


def test_after_the_event_staff_record_summary_walk_ins_and_photos(
    staff_client, village_staff_qingshan, activity_factory, move_to_past, jpeg_bytes
):
    activity = move_to_past(activity_factory())
    photos = [
        SimpleUploadedFile(f"p{index}.jpg", jpeg_bytes(exif=True), content_type="image/jpeg") for index in range(3)
    ]
    response = staff_client(village_staff_qingshan).post(
        reverse("staff_activities:complete", args=[activity.pk]),
        {"summary": "二十位会员学了竹编，做了十只小竹篮。", "walk_in_count": "4", "photos": photos},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.COMPLETED
    assert activity.walk_in_count == 4
    assert ActivityPhoto.objects.filter(activity=activity).count() == 3
    page = staff_client(village_staff_qingshan).get(detail(activity)).content.decode()
    assert "二十位会员学了竹编" in page
    assert 'data-testid="activity-photos"' in page


def test_more_than_nine_photos_are_refused(
    staff_client, village_staff_qingshan, activity_factory, move_to_past, jpeg_bytes
):
    activity = move_to_past(activity_factory())
    photos = [SimpleUploadedFile(f"p{index}.jpg", jpeg_bytes(), content_type="image/jpeg") for index in range(10)]
    response = staff_client(village_staff_qingshan).post(
        reverse("staff_activities:complete", args=[activity.pk]),
        {"summary": "小结", "walk_in_count": "0", "photos": photos},
    )
    assert response.status_code == 400
    assert "每个活动最多 9 张照片" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED
    assert not ActivityPhoto.objects.exists()


def test_a_photo_that_is_not_a_picture_is_refused(staff_client, village_staff_qingshan, activity_factory, move_to_past):
    activity = move_to_past(activity_factory())
    fake = SimpleUploadedFile("p.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = staff_client(village_staff_qingshan).post(
        reverse("staff_activities:complete", args=[activity.pk]), {"summary": "小结", "photos": [fake]}
    )
    assert response.status_code == 400
    assert "不是有效的图片文件" in response.content.decode()
    assert not ActivityPhoto.objects.exists()


def test_the_summary_form_is_not_offered_before_the_start(staff_client, village_staff_qingshan, activity_factory):
    activity = activity_factory()
    assert 'data-testid="complete"' not in staff_client(village_staff_qingshan).get(detail(activity)).content.decode()


def test_staff_check_in_someone_without_a_phone_by_hand(
    staff_client, village_staff_qingshan, activity_factory, sign_up_people
):
    activity = activity_factory(audience="public")
    grandmother = sign_up_people(activity, 1)[0]
    client = staff_client(village_staff_qingshan)
    assert 'data-testid="manual-checkin"' in client.get(detail(activity)).content.decode()
    response = client.post(reverse("staff_activities:registration_check_in", args=[grandmother.pk]), follow=True)
    grandmother.refresh_from_db()
    assert grandmother.checked_in_at is not None
    assert grandmother.checkin_method == CheckinMethod.MANUAL
    assert 'data-testid="checked-in"' in response.content.decode()


def test_co_host_staff_cannot_check_people_in(
    staff_client, village_staff_wangweishan, activity_factory, sign_up_people, wangweishan_tongxinhui
):
    activity = activity_factory(audience="public", form="exchange_visit", co_hosts=[wangweishan_tongxinhui])
    registration = sign_up_people(activity, 1)[0]
    client = staff_client(village_staff_wangweishan)
    assert 'data-testid="manual-checkin"' not in client.get(detail(activity)).content.decode()
    response = client.post(reverse("staff_activities:registration_check_in", args=[registration.pk]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_the_waiting_list_is_shown_in_the_order_people_move_up(
    staff_client, village_staff_qingshan, activity_factory, sign_up_people
):
    activity = activity_factory(capacity=1, audience="public")
    sign_up_people(activity, 3)
    response = staff_client(village_staff_qingshan).get(detail(activity))
    waiting = [r.name for r in response.context["waitlisted"]]
    assert waiting == ["村民2", "村民3"]
    assert [r.status for r in response.context["confirmed"]] == [RegistrationStatus.CONFIRMED]


def test_village_staff_see_phones_whole_and_town_staff_see_them_masked(
    staff_client, village_staff_qingshan, town_staff_huanghu, activity_factory, sign_up_people
):
    activity = activity_factory(audience="public")
    sign_up_people(activity, 1, first_phone="13712345678")
    assert "13712345678" in staff_client(village_staff_qingshan).get(detail(activity)).content.decode()
    town_page = staff_client(town_staff_huanghu).get(detail(activity)).content.decode()
    assert "13712345678" not in town_page
    assert "137****5678" in town_page


def test_the_detail_page_shows_the_log_in_chinese(staff_client, village_staff_qingshan, activity_factory):
    activity = activity_factory()
    page = staff_client(village_staff_qingshan).get(detail(activity)).content.decode()
    assert "创建" in page and "发布" in page


def test_the_detail_page_runs_a_bounded_number_of_queries(
    staff_client, village_staff_qingshan, activity_factory, sign_up_people, django_assert_max_num_queries
):
    activity = activity_factory(capacity=5, audience="public")
    sign_up_people(activity, 12)
    client = staff_client(village_staff_qingshan)
    with django_assert_max_num_queries(16):
        assert client.get(detail(activity)).status_code == 200
