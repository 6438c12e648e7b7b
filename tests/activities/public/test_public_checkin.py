"""Checking in by scanning the QR code at the event: /activities/<id>/checkin/?t=<code>."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from activities.checkin_codes import current_checkin_token
from activities.models import Audience, Registration, RegistrationStatus
from activities.public_tokens import scan_proof

pytestmark = pytest.mark.django_db

DURING_CHECKIN = datetime.timedelta(minutes=30)
EXPIRED_MESSAGE = "签到码已过期，请重新扫描现场二维码"


def checkin_url(activity, **query) -> str:
    url = reverse("activities:checkin", args=[activity.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def expired_token(activity) -> str:
    seconds = 2 * settings.CHECKIN_CODE_ROTATE_SECONDS
    return current_checkin_token(activity, timezone.now() - datetime.timedelta(seconds=seconds))


def test_a_signed_up_member_checks_in_with_one_tap_and_sees_it_in_green(client, activity_factory, member_craftsman):
    activity = activity_factory(starts_in=DURING_CHECKIN)
    client.force_login(member_craftsman)
    client.post(reverse("activities:signup", args=[activity.pk]))

    scanned = client.get(checkin_url(activity, t=current_checkin_token(activity)))
    assert "一键签到" in scanned.content.decode()
    proof = scanned.context["proof"]
    response = client.post(checkin_url(activity), {"p": proof}, follow=True)

    registration = Registration.objects.get(activity=activity)
    assert registration.checked_in_at is not None
    page = response.content.decode()
    assert "签到成功" in page
    assert "张竹青" in page


def test_a_visitor_signed_up_with_their_phone_checks_in_by_typing_it(client, activity_factory, sign_up_people):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)

    response = client.post(
        checkin_url(activity),
        {"t": current_checkin_token(activity), "name": "村民1", "phone": registration.phone},
        follow=True,
    )

    assert "签到成功" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None


def test_a_member_not_signed_up_checks_in_while_there_is_room(client, activity_factory, member_craftsman):
    activity = activity_factory(starts_in=DURING_CHECKIN, capacity=5)
    client.force_login(member_craftsman)

    proof = client.get(checkin_url(activity, t=current_checkin_token(activity))).context["proof"]
    response = client.post(checkin_url(activity), {"p": proof}, follow=True)

    assert "签到成功" in response.content.decode()
    registration = Registration.objects.get(activity=activity)
    assert (registration.person, registration.status) == (member_craftsman.person, RegistrationStatus.CONFIRMED)


@pytest.mark.any_hour
def test_an_expired_code_is_refused_with_a_clear_message(client, activity_factory, member_craftsman):
    activity = activity_factory(starts_in=DURING_CHECKIN)
    client.force_login(member_craftsman)

    page = client.get(checkin_url(activity, t=expired_token(activity))).content.decode()
    assert EXPIRED_MESSAGE in page
    assert "一键签到" not in page

    response = client.post(checkin_url(activity), {"t": expired_token(activity)})
    assert response.status_code == 400
    assert EXPIRED_MESSAGE in response.content.decode()
    assert not Registration.objects.filter(activity=activity).exists()


@pytest.mark.parametrize("forged", ["000000000000", "abc", ""])
def test_a_forged_code_is_refused(client, activity_factory, sign_up_people, forged):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)

    assert EXPIRED_MESSAGE in client.get(checkin_url(activity, t=forged)).content.decode()
    response = client.post(checkin_url(activity), {"t": forged, "name": "村民1", "phone": registration.phone})

    assert response.status_code == 400
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_a_forged_or_old_scan_proof_is_refused(client, activity_factory, sign_up_people, settings):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    other = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)
    typed = {"name": "村民1", "phone": registration.phone}

    for proof in (scan_proof(other), scan_proof(activity)[:-2] + "xx"):
        response = client.post(checkin_url(activity), {"p": proof, **typed})
        assert response.status_code == 400
        assert EXPIRED_MESSAGE in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


@pytest.mark.any_hour
def test_a_scan_gives_time_to_type_after_the_code_on_screen_has_changed(
    client, activity_factory, sign_up_people, monkeypatch
):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)
    proof = client.get(checkin_url(activity, t=current_checkin_token(activity))).context["proof"]
    # Three windows later the scanned code itself is dead, but the page opened with it still checks in.
    later = timezone.now() + datetime.timedelta(seconds=3 * settings.CHECKIN_CODE_ROTATE_SECONDS)
    monkeypatch.setattr(timezone, "now", lambda: later)

    response = client.post(checkin_url(activity), {"p": proof, "name": "村民1", "phone": registration.phone})

    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None


def test_a_visitor_cannot_walk_in_to_a_members_only_activity_and_is_shown_the_login(client, activity_factory):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.MEMBERS)
    token = current_checkin_token(activity)

    page = client.get(checkin_url(activity, t=token)).content.decode()
    assert "/accounts/phone/?next=" in page
    response = client.post(checkin_url(activity), {"t": token, "name": "路人", "phone": "13955556666"})

    assert response.status_code == 400
    assert "仅限会员" in response.content.decode()
    assert not Registration.objects.filter(activity=activity).exists()


def test_a_walk_in_is_refused_when_the_activity_is_full(client, activity_factory, sign_up_people):
    activity = activity_factory(starts_in=DURING_CHECKIN, capacity=1, audience=Audience.PUBLIC)
    sign_up_people(activity, 1)

    response = client.post(
        checkin_url(activity), {"t": current_checkin_token(activity), "name": "过路游客", "phone": "13955556666"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "名额已满" in page
    assert 'value="过路游客"' in page


def test_a_bad_phone_at_check_in_is_explained_next_to_the_field(client, activity_factory):
    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)

    response = client.post(
        checkin_url(activity), {"t": current_checkin_token(activity), "name": "王大伯", "phone": "12345"}
    )

    assert response.status_code == 400
    assert "请输入 11 位手机号码" in response.content.decode()


def test_the_success_page_cannot_be_opened_for_someone_not_checked_in(client, activity_factory, sign_up_people):
    from activities.public_tokens import registration_token

    activity = activity_factory(starts_in=DURING_CHECKIN, audience=Audience.PUBLIC)
    (registration,) = sign_up_people(activity, 1)

    url = reverse("activities:checkin_done", args=[activity.pk, registration_token(registration)])
    assert client.get(url).status_code == 404
