"""Who sees what, as a matrix: each role × an object inside and outside its scope × list / view / change.

The scoping functions are the single source of truth for staff pages and the admin alike, so the matrix
is asserted on them; the page- and admin-level tests check that both use them.
"""

from __future__ import annotations

import datetime

import pytest

from members.models import ContactAssignment, ContactKind, ContactLog
from members.scoping import (
    can_see_full_phone,
    contact_logs_for,
    memberships_for,
    persons_for,
)
from orgs.scoping import departments_for, organizations_for, regions_for
from portal.scoping import Action

LIST, VIEW, CHANGE = Action.LIST, Action.VIEW, Action.CHANGE


@pytest.fixture
def world(
    tree,
    qingshan_tongxinhui,
    wangweishan_tongxinhui,
    tianmu_alliance,
    craftsman_in_qingshan,
    designer_in_wanghu,
    huanghu_water_office,
    district_admin_yuhang,
    town_staff_huanghu,
    village_staff_qingshan,
    village_staff_wanghu,
    handler_huanghu,
    member_craftsman,
):
    return locals()


# role fixture, object, action, expected visible
ORGANIZATION_MATRIX = [
    ("district_admin_yuhang", "qingshan_tongxinhui", LIST, True),
    ("district_admin_yuhang", "qingshan_tongxinhui", CHANGE, True),
    ("district_admin_yuhang", "tianmu_alliance", LIST, False),
    ("district_admin_yuhang", "tianmu_alliance", VIEW, False),
    ("town_staff_huanghu", "wangweishan_tongxinhui", VIEW, True),
    ("town_staff_huanghu", "wangweishan_tongxinhui", CHANGE, True),
    ("town_staff_huanghu", "tianmu_alliance", VIEW, False),
    ("village_staff_qingshan", "qingshan_tongxinhui", CHANGE, True),
    ("village_staff_qingshan", "wangweishan_tongxinhui", LIST, False),
    ("village_staff_qingshan", "wangweishan_tongxinhui", VIEW, False),
    ("village_staff_wanghu", "tianmu_alliance", CHANGE, True),
    ("village_staff_wanghu", "qingshan_tongxinhui", VIEW, False),
    ("handler_huanghu", "qingshan_tongxinhui", LIST, False),
    ("handler_huanghu", "qingshan_tongxinhui", CHANGE, False),
    ("member_craftsman", "qingshan_tongxinhui", LIST, False),
    ("member_craftsman", "qingshan_tongxinhui", CHANGE, False),
]


@pytest.mark.parametrize(("role", "obj", "action", "expected"), ORGANIZATION_MATRIX)
def test_organization_scope(world, role, obj, action, expected):
    user, organization = world[role], world[obj]
    assert organizations_for(user, action).filter(pk=organization.pk).exists() is expected


PERSON_MATRIX = [
    ("district_admin_yuhang", "craftsman_in_qingshan", LIST, True),
    ("district_admin_yuhang", "craftsman_in_qingshan", CHANGE, True),
    ("district_admin_yuhang", "designer_in_wanghu", VIEW, False),
    ("town_staff_huanghu", "craftsman_in_qingshan", VIEW, True),
    ("town_staff_huanghu", "designer_in_wanghu", LIST, False),
    ("village_staff_qingshan", "craftsman_in_qingshan", CHANGE, True),
    ("village_staff_qingshan", "designer_in_wanghu", VIEW, False),
    ("village_staff_qingshan", "designer_in_wanghu", CHANGE, False),
    ("village_staff_wanghu", "designer_in_wanghu", VIEW, True),
    ("village_staff_wanghu", "craftsman_in_qingshan", LIST, False),
    ("handler_huanghu", "craftsman_in_qingshan", VIEW, False),
    ("member_craftsman", "craftsman_in_qingshan", VIEW, True),
    ("member_craftsman", "craftsman_in_qingshan", CHANGE, False),
    ("member_craftsman", "designer_in_wanghu", VIEW, False),
]


@pytest.mark.parametrize(("role", "obj", "action", "expected"), PERSON_MATRIX)
def test_person_scope(world, role, obj, action, expected):
    user, person = world[role], world[obj]
    assert persons_for(user, action).filter(pk=person.pk).exists() is expected


@pytest.mark.parametrize(("role", "obj", "action", "expected"), PERSON_MATRIX)
def test_membership_scope_follows_the_organization(world, role, obj, action, expected):
    user, person = world[role], world[obj]
    assert memberships_for(user, action).filter(person=person).exists() is expected


def test_a_person_living_elsewhere_is_seen_by_the_village_whose_organization_they_joined(
    world, tree, qingshan_tongxinhui, village_staff_qingshan, village_staff_wanghu
):
    from members.models import Membership, Person, Stratum

    commuter = Person.objects.create(
        name="杭城来的设计师", phone="13700003333", region=tree.wanghu, stratum=Stratum.FREELANCER
    )
    Membership.objects.create(person=commuter, organization=qingshan_tongxinhui, joined_on=datetime.date(2023, 5, 1))
    assert persons_for(village_staff_qingshan, VIEW).filter(pk=commuter.pk).exists()
    assert persons_for(village_staff_wanghu, VIEW).filter(pk=commuter.pk).exists()


def test_contact_log_notes_are_hidden_from_the_member_they_are_about(
    world, craftsman_in_qingshan, village_staff_qingshan, member_craftsman
):
    log = ContactLog.objects.create(
        person=craftsman_in_qingshan,
        kind=ContactKind.VISIT,
        occurred_on=datetime.date(2026, 11, 1),
        contacted_by="李娟",
        notes="家中老人生病，需要关心",
        author=village_staff_qingshan,
    )
    assert contact_logs_for(village_staff_qingshan, VIEW).filter(pk=log.pk).exists()
    assert not contact_logs_for(member_craftsman, VIEW).filter(pk=log.pk).exists()


def test_only_the_author_or_the_district_corrects_a_contact_log(
    world, craftsman_in_qingshan, village_staff_qingshan, town_staff_huanghu, district_admin_yuhang
):
    log = ContactLog.objects.create(
        person=craftsman_in_qingshan,
        kind=ContactKind.PHONE,
        occurred_on=datetime.date(2026, 11, 2),
        contacted_by="李娟",
        notes="电话确认参加青山talk",
        author=village_staff_qingshan,
    )
    assert contact_logs_for(village_staff_qingshan, CHANGE).filter(pk=log.pk).exists()
    assert contact_logs_for(district_admin_yuhang, CHANGE).filter(pk=log.pk).exists()
    assert contact_logs_for(town_staff_huanghu, VIEW).filter(pk=log.pk).exists()
    assert not contact_logs_for(town_staff_huanghu, CHANGE).filter(pk=log.pk).exists()


def test_regions_only_the_district_changes_the_tree(world, tree, district_admin_yuhang, town_staff_huanghu):
    assert set(regions_for(town_staff_huanghu, VIEW)) == {tree.huanghu, tree.qingshan, tree.wangweishan}
    assert not regions_for(town_staff_huanghu, CHANGE).exists()
    assert regions_for(district_admin_yuhang, CHANGE).filter(pk=tree.qingshan.pk).exists()
    assert not regions_for(district_admin_yuhang, VIEW).filter(pk=tree.linan.pk).exists()


def test_village_staff_see_the_departments_above_them_to_hand_issues_upward(
    world, village_staff_qingshan, village_staff_wanghu, huanghu_water_office, handler_huanghu
):
    assert departments_for(village_staff_qingshan, VIEW).filter(pk=huanghu_water_office.pk).exists()
    assert not departments_for(village_staff_qingshan, CHANGE).exists()
    assert not departments_for(village_staff_wanghu, VIEW).filter(pk=huanghu_water_office.pk).exists()
    assert list(departments_for(handler_huanghu, VIEW)) == [huanghu_water_office]


@pytest.mark.parametrize(
    ("role", "sees_whole"),
    [
        ("district_admin_yuhang", True),
        ("village_staff_qingshan", True),
        ("town_staff_huanghu", False),
        ("handler_huanghu", False),
        ("member_craftsman", True),  # their own number
    ],
)
def test_phones_are_masked_unless_the_role_needs_them(world, craftsman_in_qingshan, role, sees_whole):
    assert can_see_full_phone(world[role], craftsman_in_qingshan) is sees_whole


def test_an_official_assigned_to_a_person_sees_their_phone(world, craftsman_in_qingshan, town_staff_huanghu):
    ContactAssignment.objects.create(
        person=craftsman_in_qingshan, official=town_staff_huanghu, started_on=datetime.date(2025, 1, 1)
    )
    assert can_see_full_phone(town_staff_huanghu, craftsman_in_qingshan)


def test_anonymous_visitors_see_nothing_of_the_roster(world, craftsman_in_qingshan):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not persons_for(anonymous, VIEW).exists()
    assert not organizations_for(anonymous, LIST).exists()
    assert not can_see_full_phone(anonymous, craftsman_in_qingshan)
