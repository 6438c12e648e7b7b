"""我的活动: what a member signed up for, where they wait, and what they attended."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from activities import services
from activities.checkin_codes import current_checkin_token
from activities.models import Audience, Registration

pytestmark = pytest.mark.django_db


def sign_up_member(activity, user):
    person = user.person
    return services.registration_create(activity=activity, name=person.name, phone=person.phone, person=person)


def test_my_activities_lists_sign_ups_waiting_places_and_attendance(
    client, activity_factory, sign_up_people, member_craftsman
):
    confirmed = activity_factory(title="竹编体验课")
    full = activity_factory(title="满员的考察", capacity=1, audience=Audience.PUBLIC)
    sign_up_people(full, 2)  # one confirmed, one waiting ahead of the member
    attended = activity_factory(title="昨天的分享会", starts_in=datetime.timedelta(minutes=30))
    not_mine = activity_factory(title="别人的活动", audience=Audience.PUBLIC)
    sign_up_people(not_mine, 1, first_phone="13500000001")
    sign_up_member(confirmed, member_craftsman)
    sign_up_member(full, member_craftsman)
    services.checkin_by_code(
        activity=attended,
        token=current_checkin_token(attended),
        name="张竹青",
        phone="13800001111",
        person=member_craftsman.person,
    )
    client.force_login(member_craftsman)

    response = client.get(reverse("activities:mine"))

    upcoming = [registration.activity.title for registration in response.context["upcoming"]]
    assert upcoming == ["竹编体验课", "满员的考察"]
    assert [registration.activity.title for registration in response.context["attended"]] == ["昨天的分享会"]
    page = response.content.decode()
    assert "您在候补第 2 位" in page
    assert "别人的活动" not in page


def test_a_member_cancels_from_my_activities_and_comes_back_to_it(client, activity_factory, member_craftsman):
    activity = activity_factory(title="竹编体验课")
    sign_up_member(activity, member_craftsman)
    client.force_login(member_craftsman)

    response = client.post(reverse("activities:cancel", args=[activity.pk]), {"next": reverse("activities:mine")})

    assert response.url == reverse("activities:mine")
    assert Registration.objects.get().status == "cancelled"
    assert client.get(reverse("activities:mine")).context["upcoming"] == []


def test_my_activities_asks_visitors_to_log_in_by_phone(client):
    response = client.get(reverse("activities:mine"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:phone_login"))
    assert "next=/activities/mine/" in response.url


def test_staff_without_a_roster_entry_are_told_my_activities_is_for_members(client, village_staff_qingshan):
    client.force_login(village_staff_qingshan)

    page = client.get(reverse("activities:mine")).content.decode()

    assert "供会员使用" in page


@pytest.mark.parametrize("count", [3, 40])
def test_my_activities_runs_the_same_few_queries_however_many_registrations(
    client, activity_factory, sign_up_people, member_craftsman, django_assert_max_num_queries, count
):
    for number in range(count):
        activity = activity_factory(
            capacity=1,
            audience=Audience.PUBLIC,
            starts_in=datetime.timedelta(minutes=30) if number % 3 == 0 else datetime.timedelta(days=3),
        )
        if number % 3 == 0:
            services.checkin_by_code(
                activity=activity,
                token=current_checkin_token(activity),
                name="张竹青",
                phone="13800001111",
                person=member_craftsman.person,
            )
        else:
            if number % 2:
                sign_up_people(activity, 1, first_phone=f"137{number:08d}")
            sign_up_member(activity, member_craftsman)
    client.force_login(member_craftsman)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("activities:mine"))
    assert response.status_code == 200
    assert len(response.context["upcoming"]) + len(response.context["attended"]) == count
