"""Writes to the region tree and organizations go through orgs.services, with the acting user and their scope.

Personas: 陈主任 runs 余杭区 (district admin), 王敏 works for 黄湖镇 (town staff), root is a superuser.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from consultations import services as issue_services
from consultations.models import IssueCategory
from orgs import services
from orgs.models import Organization, OrganizationKind, OrganizationLevel, Region, RegionLevel
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import OutboxMessage, OutboxState
from portal.notifications.scoping import outbox_messages_for
from portal.notifications.sending import outbox_dispatch_once
from portal.scoping import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(username="root", password="correct-horse-42", email="root@example.org")


def test_a_district_admin_adds_a_village_under_their_own_town(tree, district_admin_yuhang):
    village = services.region_add(
        actor=district_admin_yuhang, name="新港社区", level=RegionLevel.COMMUNITY, parent=tree.huanghu
    )
    assert village.path == f"{tree.huanghu.path}{village.pk}/"
    assert village.history.first().history_user == district_admin_yuhang


def test_places_are_added_neither_at_the_root_nor_in_another_district_nor_by_a_town(
    tree, district_admin_yuhang, town_staff_huanghu, superuser
):
    with pytest.raises(ValidationError) as refused:
        services.region_add(actor=district_admin_yuhang, name="另一个区", level=RegionLevel.DISTRICT, parent=None)
    assert "parent" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.region_add(actor=district_admin_yuhang, name="外区村", level=RegionLevel.VILLAGE, parent=tree.longgang)
    with pytest.raises(ValidationError):
        services.region_add(actor=town_staff_huanghu, name="新村", level=RegionLevel.VILLAGE, parent=tree.huanghu)
    assert not Region.objects.filter(name__in=["另一个区", "外区村", "新村"]).exists()
    assert services.region_add(actor=superuser, name="另一个区", level=RegionLevel.DISTRICT, parent=None).path


def test_two_places_of_one_name_under_one_parent_are_refused(tree, district_admin_yuhang):
    with pytest.raises(ValidationError) as refused:
        services.region_add(actor=district_admin_yuhang, name="青山村", level=RegionLevel.VILLAGE, parent=tree.huanghu)
    assert refused.value.message_dict["name"] == ["上级区域下已有同名区域。"]


def test_moving_a_town_moves_its_villages_and_the_mover_is_in_the_history(tree, superuser):
    services.region_update(actor=superuser, region=tree.huanghu, changes={"parent": tree.linan})
    qingshan = Region.objects.get(pk=tree.qingshan.pk)
    assert qingshan.path == f"{tree.linan.path}{tree.huanghu.pk}/{tree.qingshan.pk}/"
    assert qingshan.ancestor_ids == [tree.linan.pk, tree.huanghu.pk, tree.qingshan.pk]
    assert [r.name for r in qingshan.trail()] == ["临安区", "黄湖镇", "青山村"]
    assert qingshan.history.first().history_user == superuser


def test_a_place_moves_neither_under_itself_nor_out_of_ones_scope(tree, district_admin_yuhang):
    with pytest.raises(ValidationError):
        services.region_update(actor=district_admin_yuhang, region=tree.huanghu, changes={"parent": tree.qingshan})
    with pytest.raises(ValidationError):
        services.region_update(actor=district_admin_yuhang, region=tree.qingshan, changes={"parent": tree.longgang})
    with pytest.raises(ValidationError) as refused:
        services.region_update(actor=district_admin_yuhang, region=tree.yuhang, changes={"parent": tree.linan})
    assert refused.value.message_dict["parent"] == ["您所管辖的区域本身不能移动。"]
    with pytest.raises(PermissionDenied):
        services.region_update(actor=district_admin_yuhang, region=tree.wanghu, changes={"name": "改名村"})
    assert Region.objects.get(pk=tree.qingshan.pk).path == tree.qingshan.path


def test_ancestors_are_read_from_the_path(tree):
    assert tree.qingshan.ancestor_ids == [tree.yuhang.pk, tree.huanghu.pk, tree.qingshan.pk]
    above = Region.objects.ancestors_of(tree.qingshan, include_self=False)
    assert sorted(above.values_list("name", flat=True)) == ["余杭区", "黄湖镇"]


def _fields(region, **extra):
    return {
        "name": "王位山新阶层基地",
        "slug": "wangweishan-base",
        "kind": OrganizationKind.PRACTICE_BASE,
        "level": OrganizationLevel.VILLAGE,
        "region": region,
        **extra,
    }


@pytest.mark.any_hour
def test_town_staff_found_an_organization_in_their_town_but_not_elsewhere_nor_tomorrow(tree, town_staff_huanghu):
    with pytest.raises(ValidationError) as refused:
        services.organization_create(actor=town_staff_huanghu, fields=_fields(tree.wanghu))
    assert "region" in refused.value.message_dict
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.organization_create(actor=town_staff_huanghu, fields=_fields(tree.wangweishan, founded_on=tomorrow))
    assert refused.value.message_dict["founded_on"] == ["成立日期不能晚于今天。"]
    assert not Organization.objects.exists()
    created = services.organization_create(actor=town_staff_huanghu, fields=_fields(tree.wangweishan))
    assert created.history.get().history_user == town_staff_huanghu


def test_an_organization_of_another_district_is_not_changed_nor_paired_with(
    town_staff_huanghu, qingshan_tongxinhui, tianmu_alliance
):
    with pytest.raises(PermissionDenied):
        services.organization_update(
            actor=town_staff_huanghu, organization=tianmu_alliance, changes={"description": "改"}
        )
    with pytest.raises(ValidationError) as refused:
        services.organization_update(
            actor=town_staff_huanghu, organization=qingshan_tongxinhui, changes={}, partners=[tianmu_alliance]
        )
    assert "partners" in refused.value.message_dict
    assert not qingshan_tongxinhui.partners.exists()


# ---- what follows a place when it moves ----------------------------------------------------------------------


def _villager_raises_an_issue(organization, *, phone: str):
    return issue_services.issue_submit(
        organization=organization,
        title="村口路灯不亮",
        description="村口到竹林的路灯坏了一个多月。",
        category=IssueCategory.INFRASTRUCTURE,
        place="村口",
        submitter_name="王大伯",
        submitter_phone=phone,
        phone_visible_to_department=False,
    )


def test_a_town_moved_to_another_district_takes_the_messages_about_its_villages_with_it(
    tree, superuser, district_admin_yuhang, qingshan_tongxinhui, tianmu_alliance, village_staff_qingshan
):
    district_admin_linan = User.objects.create_user(
        username="linan_admin", role=Role.DISTRICT_ADMIN, region=tree.linan, is_staff=True
    )
    issue = _villager_raises_an_issue(qingshan_tongxinhui, phone="13912345678")
    outbox_dispatch_once(limit=50)  # the receipt went out before the move
    issue_services.issue_accept(issue=issue, actor=village_staff_qingshan)  # this one waits
    _villager_raises_an_issue(tianmu_alliance, phone="13987654321")
    about_qingshan = OutboxMessage.objects.filter(phone="13912345678", channel=Channel.SMS)
    assert set(about_qingshan.values_list("state", flat=True)) == {OutboxState.SENT, OutboxState.PENDING}

    services.region_update(actor=superuser, region=tree.huanghu, changes={"parent": tree.linan})

    qingshan = Region.objects.get(pk=tree.qingshan.pk)
    assert set(about_qingshan.values_list("region_path", flat=True)) == {qingshan.path}
    seen_by_linan = outbox_messages_for(district_admin_linan, Action.VIEW).filter(user__isnull=True)
    assert set(seen_by_linan.values_list("phone", flat=True)) == {"13912345678", "13987654321"}
    seen_by_yuhang = outbox_messages_for(district_admin_yuhang, Action.VIEW).filter(user__isnull=True)
    assert not seen_by_yuhang.exists(), "the district the town left no longer sees its villagers' messages"
    wanghu_rows = OutboxMessage.objects.filter(phone="13987654321").values_list("region_path", flat=True)
    assert set(wanghu_rows) == {tree.wanghu.path}, "messages about places that did not move keep their path"


def test_a_rename_leaves_the_messages_paths_as_they_were(tree, superuser, qingshan_tongxinhui):
    _villager_raises_an_issue(qingshan_tongxinhui, phone="13912345678")
    services.region_update(actor=superuser, region=tree.huanghu, changes={"name": "黄湖街道"})
    assert set(OutboxMessage.objects.filter(kind=Kind.ISSUE_PROGRESS).values_list("region_path", flat=True)) == {
        tree.qingshan.path
    }
