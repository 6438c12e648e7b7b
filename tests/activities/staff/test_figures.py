"""Figures on a small dataset whose numbers are known by hand.

青山同心荟 hosts four completed activities over the last six months (one of them a visit co-hosted by 王位山同心荟);
王位山同心荟 hosts nothing. Members: 青山 m1 (came this month), m2 (came to the visit), m3 (came five months ago
only), m4 (signed up, never came), m7 (left the organization); 王位山 m5 (came to the visit), m6 (did not).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Activity
from activities.selectors import Month
from members.models import Membership

pytestmark = [pytest.mark.django_db, pytest.mark.any_hour]


def completed_at(activity: Activity, starts_at: datetime.datetime) -> Activity:
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        signup_deadline=starts_at - datetime.timedelta(hours=1),
        status="completed",
    )
    return activity


@pytest.fixture
def dataset(
    activity_factory,
    member_factory,
    sign_up_people,
    village_staff_qingshan,
    wangweishan_tongxinhui,
    qingshan_tongxinhui,
):
    now = timezone.now()
    this_month = Month.containing(now)
    members = {name: member_factory(name=name) for name in ("m1", "m2", "m3", "m4", "m7")}
    members |= {name: member_factory(name=name, organization=wangweishan_tongxinhui) for name in ("m5", "m6")}
    Membership.objects.filter(person=members["m7"].person).update(left_on=datetime.date(2024, 1, 1))

    def sign_up(activity, name):
        person = members[name].person
        return services.registration_create(activity=activity, name=person.name, phone=person.phone, person=person)

    def came(registration):
        services.checkin_manual(registration=registration, actor=village_staff_qingshan)

    a = activity_factory(title="A", audience="public")
    came(sign_up(a, "m1"))
    sign_up(a, "m4")
    first, _second = sign_up_people(a, 2, first_phone="13500000001")
    came(first)
    completed_at(a, this_month.starts_at + (now - this_month.starts_at) / 2)

    b = activity_factory(title="B", audience="public")
    public = sign_up_people(b, 3, first_phone="13500000011")
    came(public[0])
    came(public[1])
    services.registration_cancel(registration=public[2])
    completed_at(b, this_month.shifted(-2).starts_at + datetime.timedelta(days=10))

    c = activity_factory(title="C", audience="public", form="exchange_visit", co_hosts=[wangweishan_tongxinhui])
    came(sign_up(c, "m2"))
    came(sign_up(c, "m5"))
    sign_up(c, "m6")
    completed_at(c, this_month.shifted(-1).starts_at + datetime.timedelta(days=10))

    d = activity_factory(title="D", audience="public")
    came(sign_up(d, "m3"))
    completed_at(d, this_month.shifted(-5).starts_at + datetime.timedelta(days=10))

    # Neither a draft nor a cancelled activity counts.
    activity_factory(title="草稿", publish=False)
    services.activity_cancel(activity=activity_factory(title="取消的"), actor=village_staff_qingshan, reason="下雨")
    return {"months": [this_month.shifted(offset).key for offset in range(-5, 1)], "members": members}


def figures_page(client):
    return client.get(reverse("staff_activities:figures"))


def test_figures_per_organization(staff_client, town_staff_huanghu, dataset):
    response = figures_page(staff_client(town_staff_huanghu))
    rows = {row.label: row for row in response.context["page"].object_list}
    keys = dataset["months"]
    qingshan, wangweishan = rows["青山同心荟"], rows["王位山同心荟"]
    assert [qingshan.months[key].activities for key in keys] == [1, 0, 0, 1, 1, 1]
    assert [wangweishan.months[key].activities for key in keys] == [0, 0, 0, 0, 1, 0]
    assert qingshan.total.signups == 10  # 4 + 2 (one cancelled) + 3 + 1
    assert (qingshan.total.checked_in_done, qingshan.total.confirmed_done) == (7, 10)
    assert wangweishan.total.signups == 3
    assert (wangweishan.total.checked_in_done, wangweishan.total.confirmed_done) == (2, 3)
    assert qingshan.inactive_members == 2  # m3, m4
    assert wangweishan.inactive_members == 1  # m6
    page = response.content.decode()
    assert "70%" in page and "67%" in page


def test_figures_roll_up_per_region_counting_a_visit_once(staff_client, town_staff_huanghu, dataset, tree):
    response = figures_page(staff_client(town_staff_huanghu))
    regions = {row.label: row for row in response.context["regions"]}
    assert set(regions) == {"黄湖镇", "青山村", "王位山村"}
    town = regions["黄湖镇"]
    assert town.total.activities == 4
    assert town.total.signups == 10
    assert town.inactive_members == 3
    assert regions["王位山村"].total.activities == 0


def test_the_inactive_members_of_one_organization_are_listed(
    staff_client, village_staff_qingshan, dataset, qingshan_tongxinhui
):
    response = staff_client(village_staff_qingshan).get(
        reverse("staff_activities:inactive_members"), {"org": qingshan_tongxinhui.pk}
    )
    assert [person.name for person in response.context["page"].object_list] == ["m3", "m4"]


def test_village_staff_see_figures_of_their_own_village_only(staff_client, village_staff_qingshan, dataset):
    response = figures_page(staff_client(village_staff_qingshan))
    assert [row.label for row in response.context["page"].object_list] == ["青山同心荟"]
    assert [row.label for row in response.context["regions"]] == ["青山村"]


def test_inactive_members_of_another_village_are_not_found(
    staff_client, village_staff_qingshan, dataset, wangweishan_tongxinhui
):
    response = staff_client(village_staff_qingshan).get(
        reverse("staff_activities:inactive_members"), {"org": wangweishan_tongxinhui.pk}
    )
    assert response.status_code == 404
