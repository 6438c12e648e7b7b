"""The capacity guarantees of activities, told through the services that staff, members and visitors use."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities import services
from activities.checkin_codes import current_checkin_token
from activities.models import Activity, Audience, CheckinMethod, Registration, RegistrationStatus
from portal.notifications.outbox import outbox_dispatch_once

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED
DURING_CHECKIN = datetime.timedelta(minutes=30)  # check-in opens an hour before the start


def statuses(registrations):
    return [Registration.objects.get(pk=registration.pk).status for registration in registrations]


def expired_token(activity):
    """The code shown two windows ago: a photo taken a couple of minutes earlier."""
    return current_checkin_token(
        activity, timezone.now() - datetime.timedelta(seconds=2 * settings.CHECKIN_CODE_ROTATE_SECONDS)
    )


# ---- sign-up and the waiting list ----------------------------------------------------------------------------


def test_sign_ups_are_confirmed_until_the_capacity_then_wait(activity_factory, sign_up_people):
    activity = activity_factory(capacity=3, audience=Audience.PUBLIC)

    registrations = sign_up_people(activity, 5)

    assert [r.status for r in registrations] == [CONFIRMED] * 3 + [WAITLISTED] * 2


def test_signing_up_twice_with_the_same_phone_keeps_one_registration(activity_factory):
    activity = activity_factory(audience=Audience.PUBLIC)
    services.registration_create(activity=activity, name="王大伯", phone="13912345678")

    with pytest.raises(ValidationError, match="这个手机号已经报名了本次活动"):
        services.registration_create(activity=activity, name="王大伯", phone="13912345678")

    assert Registration.objects.filter(activity=activity).count() == 1


def test_cancelling_a_confirmed_place_moves_the_first_waiting_person_up_and_texts_them(
    activity_factory, sign_up_people, sms_outbox, django_capture_on_commit_callbacks
):
    activity = activity_factory(capacity=2, audience=Audience.PUBLIC, title="竹林生态考察")
    first, _second, first_waiting, second_waiting = sign_up_people(activity, 4)

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first)

    assert statuses([first, first_waiting, second_waiting]) == [CANCELLED, CONFIRMED, WAITLISTED]
    assert Registration.objects.get(pk=first_waiting.pk).promoted_at is not None
    assert [message.phone for message in sms_outbox] == [first_waiting.phone]
    assert "从候补转为正式报名" in sms_outbox[0].text
    assert "竹林生态考察" in sms_outbox[0].text


def test_cancelling_a_waiting_place_moves_nobody_up(
    activity_factory, sign_up_people, sms_outbox, django_capture_on_commit_callbacks
):
    activity = activity_factory(capacity=1, audience=Audience.PUBLIC)
    confirmed, first_waiting, second_waiting = sign_up_people(activity, 3)

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first_waiting)

    assert statuses([confirmed, first_waiting, second_waiting]) == [CONFIRMED, CANCELLED, WAITLISTED]
    assert sms_outbox == []


def test_members_only_activity_refuses_visitors_and_members_of_other_organizations(
    activity_factory, craftsman_in_qingshan, designer_in_wanghu
):
    activity = activity_factory(audience=Audience.MEMBERS)

    with pytest.raises(ValidationError, match="仅限会员报名"):
        services.registration_create(activity=activity, name="路人", phone="13912345678")
    with pytest.raises(ValidationError, match="仅限主办和协办组织的会员"):
        services.registration_create(
            activity=activity, name=designer_in_wanghu.name, phone=designer_in_wanghu.phone, person=designer_in_wanghu
        )
    registration = services.registration_create(
        activity=activity,
        name=craftsman_in_qingshan.name,
        phone=craftsman_in_qingshan.phone,
        person=craftsman_in_qingshan,
    )
    assert registration.status == CONFIRMED
    assert Registration.objects.filter(activity=activity).count() == 1


def test_members_of_a_co_host_may_sign_up_for_a_members_only_exchange_visit(
    activity_factory, designer_in_wanghu, tianmu_alliance
):
    activity = activity_factory(audience=Audience.MEMBERS, co_hosts=[tianmu_alliance])

    registration = services.registration_create(
        activity=activity, name=designer_in_wanghu.name, phone=designer_in_wanghu.phone, person=designer_in_wanghu
    )

    assert registration.status == CONFIRMED


@pytest.mark.any_hour
def test_sign_up_after_the_deadline_is_refused(activity_factory):
    activity = activity_factory(audience=Audience.PUBLIC)
    # Time passes: the deadline is now behind us.
    Activity.objects.filter(pk=activity.pk).update(signup_deadline=timezone.now() - datetime.timedelta(minutes=1))

    with pytest.raises(ValidationError, match="报名已经截止"):
        services.registration_create(activity=activity, name="王大伯", phone="13912345678")
    assert not Registration.objects.filter(activity=activity).exists()


def test_a_draft_takes_no_sign_ups(activity_factory):
    activity = activity_factory(audience=Audience.PUBLIC, publish=False)

    with pytest.raises(ValidationError, match="不接受报名"):
        services.registration_create(activity=activity, name="王大伯", phone="13912345678")


# ---- capacity changes and cancelling the activity --------------------------------------------------------------


def test_capacity_cannot_drop_below_the_people_already_confirmed(
    activity_factory, sign_up_people, village_staff_qingshan
):
    activity = activity_factory(capacity=5, audience=Audience.PUBLIC)
    sign_up_people(activity, 4)

    with pytest.raises(ValidationError) as refusal:
        services.activity_update(activity=activity, actor=village_staff_qingshan, capacity=3)

    assert "已有 4 人报名，名额不能少于 4" in refusal.value.message_dict["capacity"][0]
    assert Activity.objects.get(pk=activity.pk).capacity == 5


def test_raising_the_capacity_moves_waiting_people_up_in_order(
    activity_factory, sign_up_people, village_staff_qingshan, sms_outbox, django_capture_on_commit_callbacks
):
    activity = activity_factory(capacity=2, audience=Audience.PUBLIC)
    registrations = sign_up_people(activity, 5)

    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update(activity=activity, actor=village_staff_qingshan, capacity=4)

    assert statuses(registrations) == [CONFIRMED] * 4 + [WAITLISTED]
    assert [message.phone for message in sms_outbox] == [registrations[2].phone, registrations[3].phone]


def test_cancelling_the_activity_texts_everyone_signed_up_or_waiting(
    activity_factory, sign_up_people, village_staff_qingshan, sms_outbox, django_capture_on_commit_callbacks
):
    activity = activity_factory(capacity=2, audience=Audience.PUBLIC)
    confirmed, gone, waiting = sign_up_people(activity, 3)
    services.registration_cancel(registration=gone)  # promotes `waiting`, texted below only once more
    outbox_dispatch_once()  # the promotion went out long before the cancellation

    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_cancel(activity=activity, actor=village_staff_qingshan, reason="台风预警，改期举行")

    assert sorted(message.phone for message in sms_outbox) == sorted([confirmed.phone, waiting.phone])
    assert all("台风预警" in message.text for message in sms_outbox)


def test_nobody_cancels_a_sign_up_after_the_activity_is_cancelled(
    activity_factory, sign_up_people, village_staff_qingshan
):
    activity = activity_factory(audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)
    services.activity_cancel(activity=activity, actor=village_staff_qingshan, reason="场地维修")

    with pytest.raises(ValidationError, match="不能再取消报名"):
        services.registration_cancel(registration=registration)


# ---- check-in by the rotating QR code ----------------------------------------------------------------------------


def test_check_in_with_the_current_code_marks_the_registration(activity_factory, sign_up_people):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)

    checked_in = services.checkin_by_code(
        activity=activity, token=current_checkin_token(activity), name="村民1", phone=registration.phone
    )

    assert checked_in.pk == registration.pk
    assert checked_in.checked_in_at is not None
    assert checked_in.checkin_method == CheckinMethod.QR


@pytest.mark.any_hour
def test_check_in_with_the_code_of_two_windows_ago_is_refused(activity_factory, sign_up_people):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)

    with pytest.raises(ValidationError, match="签到码已过期，请重新扫描现场二维码"):
        services.checkin_by_code(
            activity=activity, token=expired_token(activity), name="村民1", phone=registration.phone
        )
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


@pytest.mark.any_hour
def test_check_in_with_the_code_of_the_previous_window_still_works(activity_factory, sign_up_people):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)
    a_minute_ago = timezone.now() - datetime.timedelta(seconds=settings.CHECKIN_CODE_ROTATE_SECONDS)

    services.checkin_by_code(
        activity=activity, token=current_checkin_token(activity, a_minute_ago), name="村民1", phone=registration.phone
    )

    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None


@pytest.mark.parametrize("forged", ["", "000000000000", "deadbeefcafe", "../../etc"])
def test_check_in_with_a_forged_code_is_refused(activity_factory, sign_up_people, forged):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)

    with pytest.raises(ValidationError, match="签到码已过期"):
        services.checkin_by_code(activity=activity, token=forged, name="村民1", phone=registration.phone)


def test_a_code_of_another_activity_does_not_check_in_here(activity_factory, sign_up_people):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    other = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)

    with pytest.raises(ValidationError, match="签到码已过期"):
        services.checkin_by_code(
            activity=activity, token=current_checkin_token(other), name="村民1", phone=registration.phone
        )


def test_check_in_long_before_the_start_is_refused(activity_factory, sign_up_people):
    activity = activity_factory(starts_in=datetime.timedelta(days=2), audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)

    with pytest.raises(ValidationError, match="不在签到时间"):
        services.checkin_by_code(
            activity=activity, token=current_checkin_token(activity), name="村民1", phone=registration.phone
        )


def test_someone_not_signed_up_checks_in_while_there_is_room(activity_factory, sign_up_people):
    activity = activity_factory(starts_in=DURING_CHECKIN, capacity=2, audience=Audience.PUBLIC)
    sign_up_people(activity, 1)

    walk_in = services.checkin_by_code(
        activity=activity, token=current_checkin_token(activity), name="过路游客", phone="13955556666"
    )

    assert walk_in.status == CONFIRMED
    assert walk_in.checked_in_at is not None


def test_someone_not_signed_up_cannot_check_in_when_the_activity_is_full(activity_factory, sign_up_people):
    activity = activity_factory(starts_in=DURING_CHECKIN, capacity=2, audience=Audience.PUBLIC)
    sign_up_people(activity, 2)

    with pytest.raises(ValidationError, match="名额已满"):
        services.checkin_by_code(
            activity=activity, token=current_checkin_token(activity), name="过路游客", phone="13955556666"
        )
    assert Registration.objects.filter(activity=activity).count() == 2


def test_a_member_not_signed_up_checks_in_to_a_members_only_activity(activity_factory, craftsman_in_qingshan):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.MEMBERS)

    registration = services.checkin_by_code(
        activity=activity,
        token=current_checkin_token(activity),
        name=craftsman_in_qingshan.name,
        phone=craftsman_in_qingshan.phone,
        person=craftsman_in_qingshan,
    )

    assert registration.person == craftsman_in_qingshan
    assert registration.checked_in_at is not None


def test_a_visitor_not_signed_up_cannot_walk_in_to_a_members_only_activity(activity_factory):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.MEMBERS)

    with pytest.raises(ValidationError, match="仅限会员"):
        services.checkin_by_code(
            activity=activity, token=current_checkin_token(activity), name="过路游客", phone="13955556666"
        )
    assert not Registration.objects.filter(activity=activity).exists()


def test_a_waiting_person_checks_in_when_there_is_room(activity_factory, sign_up_people):
    activity = activity_factory(starts_in=DURING_CHECKIN, capacity=1, audience=Audience.PUBLIC)
    _confirmed, waiting = sign_up_people(activity, 2)
    # The services move the waiting list up whenever a place opens; a place that opened some other way (a row
    # edited by hand) must still let the waiting person in at the door.
    Activity.objects.filter(pk=activity.pk).update(capacity=2)

    checked_in = services.checkin_by_code(
        activity=activity, token=current_checkin_token(activity), name="村民2", phone=waiting.phone
    )

    assert checked_in.pk == waiting.pk
    assert checked_in.status == CONFIRMED
    assert checked_in.promoted_at is not None
    assert checked_in.checked_in_at is not None


def test_a_waiting_person_cannot_check_in_while_the_activity_is_full(activity_factory, sign_up_people):
    activity = activity_factory(starts_in=DURING_CHECKIN, capacity=1, audience=Audience.PUBLIC)
    _confirmed, waiting = sign_up_people(activity, 2)

    with pytest.raises(ValidationError, match="名额已满"):
        services.checkin_by_code(
            activity=activity, token=current_checkin_token(activity), name="村民2", phone=waiting.phone
        )
    assert statuses([waiting]) == [WAITLISTED]


def test_checking_in_twice_keeps_the_first_time(activity_factory, sign_up_people):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)
    token = current_checkin_token(activity)
    first = services.checkin_by_code(activity=activity, token=token, name="村民1", phone=registration.phone)

    again = services.checkin_by_code(activity=activity, token=token, name="村民1", phone=registration.phone)

    assert again.checked_in_at == first.checked_in_at
    assert Registration.objects.filter(activity=activity).count() == 1
