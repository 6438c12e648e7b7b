"""我的活动 costs the same few queries for a member's first sign-up or a long record of them."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities import services
from activities.checkin_codes import current_checkin_token
from activities.models import Audience

pytestmark = pytest.mark.django_db

# Session, account, the sign-ups ahead, the activities attended, the inbox's unread count.
MY_ACTIVITIES_QUERIES = 5


def sign_up_member(activity, user):
    person = user.person
    return services.registration_create(activity=activity, name=person.name, phone=person.phone, person=person)


def test_my_activities_cost_the_same_with_one_sign_up_or_many(
    client, activity_factory, sign_up_people, member_craftsman, django_assert_max_num_queries
):
    def grow(count: int) -> None:
        for _ in range(count):
            upcoming = activity_factory(title="竹编体验课", audience=Audience.PUBLIC)
            sign_up_people(upcoming, 2)
            sign_up_member(upcoming, member_craftsman)
            attended = activity_factory(title="昨天的分享会", starts_in=datetime.timedelta(minutes=30))
            services.checkin_by_code(
                activity=attended,
                token=current_checkin_token(attended),
                name="张竹青",
                phone="13800001111",
                person=member_craftsman.person,
            )

    client.force_login(member_craftsman)
    grow(1)
    with django_assert_max_num_queries(MY_ACTIVITIES_QUERIES), CaptureQueriesContext(connection) as few:
        first = client.get("/activities/mine/")
    grow(8)
    with django_assert_max_num_queries(MY_ACTIVITIES_QUERIES), CaptureQueriesContext(connection) as many:
        second = client.get("/activities/mine/")

    assert len(few) == len(many)
    for response, count in ((first, 1), (second, 9)):
        html = response.content.decode()
        upcoming, attended = html.split('data-testid="attended"')
        assert upcoming.count("竹编体验课") == count
        assert attended.count("昨天的分享会") == count
        assert "取消报名" in upcoming


def test_a_signed_in_account_without_a_roster_entry_is_told_what_the_page_is_for(client, village_staff_qingshan):
    client.force_login(village_staff_qingshan)

    html = client.get("/activities/mine/").content.decode()

    assert "“我的活动”供会员使用：请用登记在会员名册上的手机号登录。" in html
