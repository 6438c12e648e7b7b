"""Every pick of an organization or a person is a search: the admin's autocomplete and the staff pages' organization
search answer only within the user's scope, twenty at most, and never with a phone number."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.staff_scale.conftest import grow_town

ORGANIZATION_BOX = "/admin/autocomplete/?app_label=members&model_name=membership&field_name=organization"
PERSON_BOX = "/admin/autocomplete/?app_label=members&model_name=membership&field_name=person"
STAFF_SEARCH = "/staff/organizations/search/"


def names(response) -> list[str]:
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


@pytest.fixture
def three_organizations(qingshan_tongxinhui, wangweishan_tongxinhui, tianmu_alliance):
    return qingshan_tongxinhui, wangweishan_tongxinhui, tianmu_alliance


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("district_admin_yuhang", ["青山同心荟", "王位山同心荟"]),
        ("town_staff_huanghu", ["青山同心荟", "王位山同心荟"]),
        ("town_staff_longgang", ["天目共富联盟（望湖村）"]),
    ],
)
def test_the_admin_organization_box_offers_only_what_the_officer_may_pick(
    request, who, expected, three_organizations, signed_in
):
    officer = signed_in(request.getfixturevalue(who))
    assert sorted(names(officer.get(ORGANIZATION_BOX))) == sorted(expected)


def test_village_staff_have_no_admin_box_to_ask(village_staff_qingshan, three_organizations, signed_in):
    response = signed_in(village_staff_qingshan).get(ORGANIZATION_BOX + "&term=同心荟")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admin_box_answers_twenty_at_a_time_and_says_there_are_more(tree, district_admin_yuhang, signed_in):
    grow_town(tree.huanghu, 30)
    response = signed_in(district_admin_yuhang).get(ORGANIZATION_BOX + "&term=规模村")
    assert len(names(response)) == 20
    assert response.json()["pagination"]["more"] is True


def test_the_person_box_never_answers_a_number_to_those_who_see_it_masked(
    craftsman_in_qingshan, town_staff_huanghu, district_admin_yuhang, signed_in
):
    town = signed_in(town_staff_huanghu)
    assert names(town.get(PERSON_BOX + "&term=张竹")) == ["张竹青"]
    assert names(town.get(PERSON_BOX + "&term=13800001111")) == []
    district = signed_in(district_admin_yuhang)
    answer = district.get(PERSON_BOX + "&term=13800001111")
    assert names(answer) == ["张竹青"]
    assert "13800001111" not in answer.content.decode()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("district_admin_yuhang", ["王位山同心荟（王位山村）", "青山同心荟（青山村）"]),
        ("town_staff_longgang", ["天目共富联盟（望湖村）（望湖村）"]),
        ("village_staff_qingshan", ["青山同心荟（青山村）"]),
    ],
)
def test_the_staff_organization_search_answers_within_what_the_user_may_plan_for(
    request, who, expected, three_organizations, signed_in
):
    staff = signed_in(request.getfixturevalue(who))
    assert sorted(names(staff.get(STAFF_SEARCH, {"scope": "editable", "q": "村"}))) == sorted(expected)


def test_co_hosts_come_from_any_running_organization_and_say_nothing_but_a_name(
    village_staff_qingshan, three_organizations, signed_in
):
    response = signed_in(village_staff_qingshan).get(STAFF_SEARCH, {"scope": "public", "q": "村"})
    assert len(names(response)) == 3
    assert all(set(row) == {"id", "text"} for row in response.json()["results"])


def test_the_staff_search_answers_twenty_at_most(tree, district_admin_yuhang, signed_in):
    grow_town(tree.huanghu, 30)
    assert len(names(signed_in(district_admin_yuhang).get(STAFF_SEARCH, {"q": "规模"}))) == 20


def test_members_and_visitors_may_not_search_organizations(member_craftsman, client, signed_in):
    assert signed_in(member_craftsman).get(STAFF_SEARCH, {"q": "村"}).status_code == 403
    assert client.get(STAFF_SEARCH, {"q": "村"}).status_code == 302


def test_partial_phone_search_finds_for_village_staff_and_is_refused_to_town_staff(
    craftsman_in_qingshan, village_staff_qingshan, town_staff_huanghu, signed_in
):
    village = signed_in(village_staff_qingshan).get("/staff/roster/", {"q": "0111"})
    assert [person.name for person in village.context["page"].object_list] == ["张竹青"]
    town = signed_in(town_staff_huanghu).get("/staff/roster/", {"q": "0111"})
    assert list(town.context["page"].object_list) == []
    assert town.context["filter"].phone_search_refused


def test_the_partial_searches_have_their_trigram_indexes(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        found = {row[0] for row in cursor.fetchall()}
    assert found >= {"members_person_phone_trgm", "members_person_name_trgm", "consultations_issue_title_trgm"}
