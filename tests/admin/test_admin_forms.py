"""What the admin does beyond scoping: the region tree through its services, accounts, phones, queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Membership, MembershipRole, Person, Stratum
from orgs.models import Region
from portal.accounts.models import User
from portal.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_region_added_in_the_admin_gets_its_tree_path(client, tree, district_admin_yuhang):
    client.force_login(district_admin_yuhang)
    response = client.post(
        reverse("admin:orgs_region_add"),
        {"name": "新港社区", "level": "community", "parent": tree.huanghu.pk},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Region.objects.get(name="新港社区")
    assert created.path == f"{tree.huanghu.path}{created.pk}/"
    assert created.history.first().history_user == district_admin_yuhang


def test_district_admin_cannot_add_a_district_outside_the_tree(client, tree, district_admin_yuhang):
    client.force_login(district_admin_yuhang)
    response = client.post(reverse("admin:orgs_region_add"), {"name": "另一个区", "level": "district", "parent": ""})
    assert response.status_code == 200
    assert not Region.objects.filter(name="另一个区").exists()


def test_moving_a_village_in_the_admin_moves_its_path(client, tree, district_admin_yuhang):
    client.force_login(district_admin_yuhang)
    response = client.post(
        reverse("admin:orgs_region_change", args=[tree.qingshan.pk]),
        {"name": "青山村", "level": "village", "parent": tree.yuhang.pk},
    )
    assert response.status_code == 302
    assert Region.objects.get(pk=tree.qingshan.pk).path == f"{tree.yuhang.path}{tree.qingshan.pk}/"


def test_district_admin_creates_accounts_only_inside_the_district(client, tree, district_admin_yuhang):
    client.force_login(district_admin_yuhang)
    add = client.get(reverse("admin:accounts_user_add")).context["adminform"].form
    assert tree.linan not in add.fields["region"].queryset
    assert "is_superuser" not in add.fields
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newtown",
            "usable_password": "true",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
            "role": Role.TOWN_STAFF,
            "region": tree.huanghu.pk,
            "display_name": "新镇干部",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = User.objects.get(username="newtown")
    assert created.region == tree.huanghu
    assert not created.is_superuser


def test_district_admin_cannot_grant_superuser_when_editing(
    client, tree, district_admin_yuhang, village_staff_qingshan
):
    client.force_login(district_admin_yuhang)
    url = reverse("admin:accounts_user_change", args=[village_staff_qingshan.pk])
    response = client.post(
        url,
        {
            "username": village_staff_qingshan.username,
            "role": Role.VILLAGE_STAFF,
            "region": tree.qingshan.pk,
            "display_name": "青山村 秘书 李娟",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    village_staff_qingshan.refresh_from_db()
    assert not village_staff_qingshan.is_superuser


def test_person_list_masks_phones_for_town_staff_and_shows_them_to_the_district(
    client, craftsman_in_qingshan, town_staff_huanghu, district_admin_yuhang
):
    url = reverse("admin:members_person_changelist")
    client.force_login(town_staff_huanghu)
    town_page = client.get(url).content.decode()
    assert "138****1111" in town_page
    assert "13800001111" not in town_page
    client.force_login(district_admin_yuhang)
    assert "13800001111" in client.get(url).content.decode()


def _enrol(organization, count: int, start: int) -> None:
    persons = Person.objects.bulk_create(
        Person(
            name=f"成员{start + n:04d}",
            phone=f"1350000{start + n:04d}",
            region=organization.region,
            stratum=Stratum.FREELANCER,
        )
        for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(person=p, organization=organization, role=MembershipRole.MEMBER, joined_on="2020-01-01")
        for p in persons
    )


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:members_person_changelist",
        "admin:members_membership_changelist",
        "admin:orgs_organization_changelist",
    ],
)
def test_changelists_run_as_many_queries_for_ninety_people_as_for_three(
    client, qingshan_tongxinhui, town_staff_huanghu, url_name
):
    client.force_login(town_staff_huanghu)
    _enrol(qingshan_tongxinhui, 3, 0)
    client.get(reverse(url_name))  # warm the session and content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name)).status_code == 200
    _enrol(qingshan_tongxinhui, 87, 100)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(url_name)).status_code == 200
    assert len(many) == len(few)


def test_organization_list_shows_current_member_count(client, qingshan_tongxinhui, district_admin_yuhang):
    _enrol(qingshan_tongxinhui, 4, 0)
    Membership.objects.filter(person__name="成员0000").update(left_on="2021-01-01")
    client.force_login(district_admin_yuhang)
    changelist = client.get(reverse("admin:orgs_organization_changelist")).context["cl"]
    assert [org.current_member_count for org in changelist.result_list] == [3]
