"""Signing up and cancelling from the activity page: members with one tap, visitors with a name and a phone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from activities.models import Audience, Registration, RegistrationStatus
from activities.public_tokens import registration_token

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"


def detail(activity) -> str:
    return reverse("activities:detail", args=[activity.pk])


def signup(activity) -> str:
    return reverse("activities:signup", args=[activity.pk])


# ---- members ------------------------------------------------------------------------------------------------


def test_a_member_signs_up_with_one_tap_as_their_roster_entry(client, activity_factory, member_craftsman):
    activity = activity_factory()
    client.force_login(member_craftsman)

    assert "立即报名" in client.get(detail(activity)).content.decode()
    page = client.post(signup(activity), follow=True).content.decode()

    registration = Registration.objects.get(activity=activity)
    assert (registration.person, registration.name, registration.phone, registration.status) == (
        member_craftsman.person,
        "张竹青",
        "13800001111",
        CONFIRMED,
    )
    assert "报名成功" in page
    assert "您已报名" in page
    assert "取消报名" in page


def test_a_member_tapping_twice_is_signed_up_once(client, activity_factory, member_craftsman):
    activity = activity_factory()
    client.force_login(member_craftsman)

    client.post(signup(activity))
    page = client.post(signup(activity), follow=True).content.decode()

    assert Registration.objects.filter(activity=activity).count() == 1
    assert "这个手机号已经报名了本次活动" in page
    assert "您已报名" in page


def test_a_member_who_finds_it_full_reads_their_place_on_the_waiting_list(
    client, activity_factory, sign_up_people, member_craftsman
):
    activity = activity_factory(capacity=2, audience=Audience.PUBLIC)
    sign_up_people(activity, 3)  # two confirmed, one already waiting
    client.force_login(member_craftsman)

    page = client.post(signup(activity), follow=True).content.decode()

    assert Registration.objects.get(activity=activity, person=member_craftsman.person).status == WAITLISTED
    assert "您在候补第 2 位" in page


def test_a_member_cancels_from_the_page_and_the_first_waiting_moves_up(
    client, activity_factory, sign_up_people, member_craftsman, sms_outbox, django_capture_on_commit_callbacks
):
    activity = activity_factory(capacity=1, audience=Audience.PUBLIC)
    client.force_login(member_craftsman)
    client.post(signup(activity))
    (waiting,) = sign_up_people(activity, 1)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("activities:cancel", args=[activity.pk]), follow=True).content.decode()

    assert Registration.objects.get(person=member_craftsman.person).status == CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == CONFIRMED
    assert [message.phone for message in sms_outbox] == [waiting.phone]
    assert "已取消报名" in page
    assert "加入候补" in page  # the place went to the one who waited


def test_a_member_cannot_cancel_someone_elses_sign_up(client, activity_factory, sign_up_people, member_craftsman):
    activity = activity_factory(audience=Audience.PUBLIC)
    (stranger,) = sign_up_people(activity, 1)
    client.force_login(member_craftsman)

    response = client.post(reverse("activities:cancel", args=[activity.pk]))

    assert response.status_code == 404
    assert Registration.objects.get(pk=stranger.pk).status == CONFIRMED


def test_a_member_of_another_organization_is_told_the_activity_is_for_members_of_the_hosts(
    client, activity_factory, member_factory, tianmu_alliance
):
    outsider = member_factory(name="吴设计", organization=tianmu_alliance)
    activity = activity_factory(audience=Audience.MEMBERS)
    client.force_login(outsider)

    page = client.post(signup(activity), follow=True).content.decode()

    assert "仅限主办和协办组织的会员参加" in page
    assert not Registration.objects.filter(activity=activity).exists()


# ---- visitors ------------------------------------------------------------------------------------------------


def test_a_visitor_signs_up_for_a_public_activity_and_gets_a_cancel_link(client, activity_factory):
    activity = activity_factory(audience=Audience.PUBLIC, title="竹林清洁志愿行")

    response = client.post(signup(activity), {"name": " 王大伯 ", "phone": "139 1234 5678"})

    registration = Registration.objects.get(activity=activity)
    assert (registration.name, registration.phone, registration.person, registration.status) == (
        "王大伯",
        "13912345678",
        None,
        CONFIRMED,
    )
    link = reverse("activities:registration", args=[activity.pk, registration_token(registration)])
    assert response.url == link
    page = client.get(link).content.decode()
    assert "您已报名" in page
    assert "139****5678" in page
    assert "13912345678" not in page
    assert f"http://testserver{link}" in page
    # Coming back to the activity page in the same browser shows the sign-up too.
    assert "您已报名" in client.get(detail(activity)).content.decode()


def test_a_visitor_who_types_a_bad_phone_keeps_what_they_typed(client, activity_factory):
    activity = activity_factory(audience=Audience.PUBLIC)

    response = client.post(signup(activity), {"name": "王大伯", "phone": "1391234"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "请输入 11 位手机号码" in page
    assert 'value="王大伯"' in page
    assert 'value="1391234"' in page
    assert not Registration.objects.exists()


def test_a_visitor_signing_up_twice_with_one_phone_is_told_and_signed_up_once(client, activity_factory):
    activity = activity_factory(audience=Audience.PUBLIC)
    client.post(signup(activity), {"name": "王大伯", "phone": "13912345678"})

    response = client.post(signup(activity), {"name": "王大伯", "phone": "13912345678"})

    assert "这个手机号已经报名了本次活动" in response.content.decode()
    assert Registration.objects.filter(activity=activity).count() == 1


def test_a_visitor_is_asked_to_log_in_by_phone_for_a_members_only_activity(client, activity_factory):
    activity = activity_factory(audience=Audience.MEMBERS)

    page = client.get(detail(activity)).content.decode()

    assert "本次活动仅限会员报名" in page
    assert f'href="/accounts/phone/?next=%2Factivities%2F{activity.pk}%2F"' in page
    assert 'name="phone"' not in page
    response = client.post(signup(activity), {"name": "路人", "phone": "13912345678"})
    assert response.status_code == 400
    assert "仅限会员报名" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_visitor_cancels_with_the_link_and_their_phone(
    client, activity_factory, sign_up_people, sms_outbox, django_capture_on_commit_callbacks
):
    activity = activity_factory(capacity=1, audience=Audience.PUBLIC)
    client.post(signup(activity), {"name": "王大伯", "phone": "13912345678"})
    (waiting,) = sign_up_people(activity, 1)
    registration = Registration.objects.get(phone="13912345678")
    link = reverse("activities:registration", args=[activity.pk, registration_token(registration)])

    wrong = client.post(link, {"phone": "13900000000"})
    assert "手机号与报名时填写的不一致" in wrong.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == CONFIRMED

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(link, {"phone": "139-1234-5678"}, follow=True).content.decode()

    assert Registration.objects.get(pk=registration.pk).status == CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == CONFIRMED
    assert [message.phone for message in sms_outbox] == [waiting.phone]
    assert "已取消报名" in page
    assert "报名已取消" in page


def test_a_tampered_cancel_link_is_not_found(client, activity_factory):
    activity = activity_factory(audience=Audience.PUBLIC)
    client.post(signup(activity), {"name": "王大伯", "phone": "13912345678"})
    registration = Registration.objects.get()
    token = registration_token(registration)
    other_id = re.sub(r"^\d+", str(registration.pk + 1), token)

    for bad in (other_id, token[:-1] + ("A" if token[-1] != "A" else "B"), "1"):
        assert client.get(reverse("activities:registration", args=[activity.pk, bad])).status_code == 404


def test_the_waiting_list_position_is_shown_to_a_visitor(client, activity_factory, sign_up_people):
    activity = activity_factory(capacity=1, audience=Audience.PUBLIC)
    sign_up_people(activity, 3)  # one confirmed, two waiting

    response = client.post(signup(activity), {"name": "王大伯", "phone": "13912345678"}, follow=True)

    assert "您在候补第 3 位" in response.content.decode()
    assert Registration.objects.get(phone="13912345678").status == RegistrationStatus.WAITLISTED


@pytest.mark.any_hour
def test_one_network_cannot_fill_an_activity_with_made_up_numbers(activity_factory, settings):
    from django.test import Client

    settings.ACTIVITY_GUEST_SIGNUPS_PER_IP_PER_HOUR = 3
    activity = activity_factory(audience=Audience.PUBLIC, capacity=50)
    # Each villager on their own phone, all behind the village's one public address.
    for number in range(3):
        villager = {"name": f"访客{number}", "phone": f"1390000000{number}"}
        Client().post(signup(activity), villager, REMOTE_ADDR="10.9.8.7")
    response = Client().post(signup(activity), {"name": "访客九", "phone": "13900000009"}, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 400
    assert "当前网络报名次数过多" in response.content.decode()
    assert "访客九" in response.content.decode(), "what was typed stays in the form"
    assert Registration.objects.filter(activity=activity).count() == 3
    elsewhere = Client().post(signup(activity), {"name": "访客九", "phone": "13900000009"}, REMOTE_ADDR="10.9.8.8")
    assert elsewhere.status_code == 302
