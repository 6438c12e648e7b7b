"""An activity recorded through the services at the moments it happened (`now=`, as the demo writes last year's
talks) carries those moments: its creation, each sign-up, the walk-in who scanned the code at the door, the
photos of the summary and every line of its record, which the secretary reads on the activity's page."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from activities import services
from activities.checkin_codes import current_checkin_token
from activities.models import ActivityCategory, ActivityForm, ActivityLog, Audience
from activities.states import ActivityAction as A

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)

# Last May: the talk was planned three weeks ahead.
PLANNED = timezone.make_aware(datetime.datetime(2025, 5, 6, 10, 20))
STARTS = timezone.make_aware(datetime.datetime(2025, 5, 27, 14, 0))


def _jpeg(name: str) -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name=name)


def _log_of(activity) -> list[tuple[str, datetime.datetime]]:
    return list(ActivityLog.objects.filter(activity=activity).order_by("id").values_list("action", "created_at"))


def test_last_mays_talk_keeps_the_moments_of_its_planning_sign_ups_check_ins_and_summary(
    client, qingshan_tongxinhui, village_staff_qingshan
):
    secretary = village_staff_qingshan
    activity = services.activity_create(
        host=qingshan_tongxinhui,
        actor=secretary,
        title="青山talk：竹编与乡村设计",
        category=ActivityCategory.HERITAGE,
        form=ActivityForm.TALK,
        starts_at=STARTS,
        ends_at=STARTS + 2 * HOUR,
        place="青山村同心驿站",
        capacity=20,
        signup_deadline=STARTS - HOUR,
        audience=Audience.PUBLIC,
        now=PLANNED,
    )
    published = PLANNED + HOUR
    services.activity_publish(activity=activity, actor=secretary, now=published)
    signed_up = PLANNED + 2 * DAY
    registration = services.registration_create(activity=activity, name="村民甲", phone="13700000001", now=signed_up)
    ticked_off = STARTS - 10 * datetime.timedelta(minutes=1)
    services.checkin_manual(registration=registration, actor=secretary, now=ticked_off)
    at_the_door = STARTS + 5 * datetime.timedelta(minutes=1)
    walk_in = services.checkin_by_code(
        activity=activity,
        token=current_checkin_token(activity, at_the_door),
        name="路过的游客",
        phone="13700000002",
        now=at_the_door,
    )
    summed_up = STARTS + 3 * HOUR
    services.activity_complete(
        activity=activity,
        actor=secretary,
        summary="二十位村民和游客听了竹编手艺人的分享。",
        photos=[_jpeg("现场.jpg")],
        now=summed_up,
    )

    activity.refresh_from_db()
    registration.refresh_from_db()
    assert activity.created_at == PLANNED
    assert registration.created_at == signed_up
    assert walk_in.created_at == at_the_door
    assert activity.photos.get().created_at == summed_up
    assert _log_of(activity) == [
        (A.CREATE, PLANNED),
        (A.PUBLISH, published),
        (A.REGISTER, signed_up),
        (A.CHECK_IN, ticked_off),
        (A.CHECK_IN, at_the_door),
        (A.COMPLETE, summed_up),
    ]
    client.force_login(secretary)
    page = client.get(f"/staff/activities/{activity.pk}/").content.decode()
    for moment in ("2025-05-06 10:20", "2025-05-08 10:20", "2025-05-27 14:05"):
        assert moment in page, f"the record shows {moment}"


def test_a_sign_up_nobody_dates_is_stamped_with_the_real_time(activity_factory):
    activity = activity_factory(audience=Audience.PUBLIC)
    before = timezone.now()
    registration = services.registration_create(activity=activity, name="村民乙", phone="13700000003")
    after = timezone.now()

    assert before <= registration.created_at <= after
    assert before <= ActivityLog.objects.filter(registration=registration).get().created_at <= after
