"""The roster's one door: each service refuses what the pages, the admin and the import must all refuse.

Personas: 李娟 keeps the roster of 青山村 (village staff), 王敏 the villages of 黄湖镇 (town staff), 陈主任 the
district of 余杭区; 张竹青 is a craftsman of 青山同心荟, 吴设计 a designer of the 天目 alliance in 临安区.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members import services
from members.models import ContactKind, ContactLog, Membership, MembershipRole, Person, Stratum

pytestmark = pytest.mark.django_db


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def profile(region, **fields):
    return {"name": "林新", "region": region, "stratum": Stratum.FREELANCER, **fields}


# ---- people --------------------------------------------------------------------------------------------------


def test_a_village_secretary_cannot_register_someone_living_in_another_district(tree, village_staff_qingshan):
    with pytest.raises(ValidationError) as refused:
        services.person_create(actor=village_staff_qingshan, profile=profile(tree.wanghu))
    assert "所在区域不在您的管辖范围内" in refused.value.message_dict["region"][0]
    assert not Person.objects.filter(name="林新").exists()


def test_a_village_secretary_cannot_enrol_a_new_person_in_an_organization_of_another_district(
    tree, village_staff_qingshan, tianmu_alliance
):
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=village_staff_qingshan,
            profile=profile(tree.qingshan),
            organization=tianmu_alliance,
            joined_on=datetime.date(2024, 1, 1),
        )
    assert refused.value.message_dict["organization"] == ["请选择您负责范围内的组织。"]
    assert not Person.objects.filter(name="林新").exists()


def test_nobody_edits_a_person_outside_their_scope(village_staff_qingshan, designer_in_wanghu):
    with pytest.raises(PermissionDenied):
        services.person_update(person=designer_in_wanghu, actor=village_staff_qingshan, changes={"skills": "改"})
    designer_in_wanghu.refresh_from_db()
    assert designer_in_wanghu.skills != "改"


def test_a_person_cannot_be_moved_to_a_place_outside_ones_scope(tree, village_staff_qingshan, craftsman_in_qingshan):
    with pytest.raises(ValidationError) as refused:
        services.person_update(
            person=craftsman_in_qingshan, actor=village_staff_qingshan, changes={"region": tree.wanghu}
        )
    assert "region" in refused.value.message_dict
    assert Person.objects.get(pk=craftsman_in_qingshan.pk).region == tree.qingshan


def test_the_history_of_an_edit_names_who_made_it(village_staff_qingshan, craftsman_in_qingshan):
    services.person_update(person=craftsman_in_qingshan, actor=village_staff_qingshan, changes={"skills": "竹编"})
    latest = craftsman_in_qingshan.history.first()
    assert (latest.skills, latest.history_user) == ("竹编", village_staff_qingshan)


def test_a_phone_held_outside_ones_scope_gets_the_answer_that_tells_nothing(
    tree, village_staff_qingshan, district_admin_yuhang, designer_in_wanghu
):
    """Probe 13: neither that the number is registered nor where; what to do next instead."""
    for actor in (village_staff_qingshan, district_admin_yuhang):
        with pytest.raises(ValidationError) as refused:
            services.person_create(actor=actor, profile=profile(tree.qingshan, phone="13900002222"))
        (message,) = refused.value.message_dict["phone"]
        assert message == services.phone_not_usable_message()
        assert "已登记" not in message and "范围" not in message and "吴设计" not in message
        assert "核对号码" in message and "区委统战部" in message


# ---- memberships ---------------------------------------------------------------------------------------------


@pytest.mark.any_hour
def test_joining_today_is_accepted_and_tomorrow_refused_whatever_the_hour_in_beijing(
    town_staff_huanghu, craftsman_in_qingshan, wangweishan_tongxinhui
):
    """Today is Beijing's today: at 00:30 Beijing it is still yesterday in UTC; at 23:30 the two dates agree."""
    with pytest.raises(ValidationError):
        services.membership_add(
            person=craftsman_in_qingshan,
            organization=wangweishan_tongxinhui,
            role=MembershipRole.MEMBER,
            joined_on=tomorrow(),
            actor=town_staff_huanghu,
        )
    joined = services.membership_add(
        person=craftsman_in_qingshan,
        organization=wangweishan_tongxinhui,
        role=MembershipRole.MEMBER,
        joined_on=timezone.localdate(),
        actor=town_staff_huanghu,
    )
    assert joined.joined_on == timezone.localdate()


def test_joining_tomorrow_is_refused(town_staff_huanghu, craftsman_in_qingshan, wangweishan_tongxinhui):
    with pytest.raises(ValidationError) as refused:
        services.membership_add(
            person=craftsman_in_qingshan,
            organization=wangweishan_tongxinhui,
            role=MembershipRole.MEMBER,
            joined_on=tomorrow(),
            actor=town_staff_huanghu,
        )
    assert refused.value.message_dict["joined_on"] == ["入会日期不能晚于今天。"]


def test_a_past_span_may_be_recorded_but_not_over_the_current_one(village_staff_qingshan, craftsman_in_qingshan):
    organization = craftsman_in_qingshan.memberships.get().organization  # current since 2019-02-28
    with pytest.raises(ValidationError) as refused:
        services.membership_add(
            person=craftsman_in_qingshan,
            organization=organization,
            role=MembershipRole.MEMBER,
            joined_on=datetime.date(2018, 1, 1),
            left_on=datetime.date(2019, 6, 1),
            actor=village_staff_qingshan,
        )
    assert "与 2019-02-28 起至今的会籍重叠" in refused.value.message_dict["joined_on"][0]
    before = services.membership_add(
        person=craftsman_in_qingshan,
        organization=organization,
        role=MembershipRole.MEMBER,
        joined_on=datetime.date(2018, 1, 1),
        left_on=datetime.date(2019, 2, 28),
        actor=village_staff_qingshan,
    )
    assert before.left_on == datetime.date(2019, 2, 28)
    assert craftsman_in_qingshan.memberships.count() == 2


def test_a_past_span_cannot_overlap_another_past_span(village_staff_qingshan, craftsman_in_qingshan):
    organization = craftsman_in_qingshan.memberships.get().organization
    services.membership_add(
        person=craftsman_in_qingshan,
        organization=organization,
        role=MembershipRole.MEMBER,
        joined_on=datetime.date(2015, 1, 1),
        left_on=datetime.date(2016, 1, 1),
        actor=village_staff_qingshan,
    )
    with pytest.raises(ValidationError) as refused:
        services.membership_add(
            person=craftsman_in_qingshan,
            organization=organization,
            role=MembershipRole.MEMBER,
            joined_on=datetime.date(2015, 6, 1),
            left_on=datetime.date(2017, 1, 1),
            actor=village_staff_qingshan,
        )
    assert "与 2015-01-01 至 2016-01-01 的会籍重叠" in refused.value.message_dict["joined_on"][0]


@pytest.mark.any_hour
def test_a_leaving_date_in_the_future_is_refused(village_staff_qingshan, craftsman_in_qingshan):
    with pytest.raises(ValidationError) as refused:
        services.membership_end(
            membership=craftsman_in_qingshan.memberships.get(),
            left_on=tomorrow(),
            reason="迁居外地",
            actor=village_staff_qingshan,
        )
    assert refused.value.message_dict["left_on"] == ["退出日期不能晚于今天。"]
    assert craftsman_in_qingshan.memberships.get().left_on is None


@pytest.mark.any_hour
def test_a_role_change_dated_tomorrow_is_refused(village_staff_qingshan, craftsman_in_qingshan):
    with pytest.raises(ValidationError) as refused:
        services.membership_change_role(
            membership=craftsman_in_qingshan.memberships.get(),
            role=MembershipRole.PRESIDENT,
            changed_on=tomorrow(),
            actor=village_staff_qingshan,
        )
    assert refused.value.message_dict["changed_on"] == ["变更日期不能晚于今天。"]


def test_memberships_of_another_district_are_neither_ended_nor_changed(village_staff_qingshan, designer_in_wanghu):
    membership = designer_in_wanghu.memberships.get()
    with pytest.raises(PermissionDenied):
        services.membership_end(
            membership=membership, left_on=timezone.localdate(), reason="x", actor=village_staff_qingshan
        )
    with pytest.raises(PermissionDenied):
        services.membership_change_role(
            membership=membership,
            role=MembershipRole.PRESIDENT,
            changed_on=timezone.localdate(),
            actor=village_staff_qingshan,
        )
    with pytest.raises(PermissionDenied):
        services.membership_correct(
            membership=membership, role=MembershipRole.PRESIDENT, left_on=None, reason="x", actor=village_staff_qingshan
        )
    assert Membership.objects.get(pk=membership.pk).role == MembershipRole.MEMBER


def test_a_correction_cannot_end_a_span_before_it_began(village_staff_qingshan, craftsman_in_qingshan):
    with pytest.raises(ValidationError) as refused:
        services.membership_correct(
            membership=craftsman_in_qingshan.memberships.get(),
            role=MembershipRole.MEMBER,
            left_on=datetime.date(2018, 1, 1),
            reason="按名册更正",
            actor=village_staff_qingshan,
        )
    assert refused.value.message_dict["left_on"] == ["退出日期不能早于入会日期（2019-02-28）。"]


def test_members_on_a_day_count_a_role_change_once_and_not_the_day_someone_left(
    village_staff_qingshan, craftsman_in_qingshan
):
    first = craftsman_in_qingshan.memberships.get()
    services.membership_change_role(
        membership=first,
        role=MembershipRole.PRESIDENT,
        changed_on=datetime.date(2023, 6, 1),
        actor=village_staff_qingshan,
    )
    on_the_day = Membership.objects.on(datetime.date(2023, 6, 1))
    assert [m.role for m in on_the_day] == [MembershipRole.PRESIDENT]
    assert [m.role for m in Membership.objects.on(datetime.date(2023, 5, 31))] == [MembershipRole.MEMBER]
    assert not Membership.objects.on(datetime.date(2019, 2, 27)).exists()
    assert [m.role for m in Membership.objects.current()] == [MembershipRole.PRESIDENT]


# ---- 列名联系 and contact logs ---------------------------------------------------------------------------------


def test_only_the_district_assigns_a_liaison(town_staff_huanghu, district_admin_yuhang, craftsman_in_qingshan):
    with pytest.raises(PermissionDenied):
        services.contact_assignment_add(
            actor=town_staff_huanghu,
            person=craftsman_in_qingshan,
            official=town_staff_huanghu,
            started_on=datetime.date(2024, 1, 1),
        )
    assignment = services.contact_assignment_add(
        actor=district_admin_yuhang,
        person=craftsman_in_qingshan,
        official=town_staff_huanghu,
        official_title="镇统战委员",
        started_on=datetime.date(2024, 1, 1),
    )
    assert assignment.history.get().history_user == district_admin_yuhang


def test_a_liaison_from_another_district_or_ending_before_it_began_is_refused(
    district_admin_yuhang, village_staff_wanghu, town_staff_huanghu, craftsman_in_qingshan
):
    with pytest.raises(ValidationError) as refused:
        services.contact_assignment_add(
            actor=district_admin_yuhang,
            person=craftsman_in_qingshan,
            official=village_staff_wanghu,
            started_on=datetime.date(2024, 1, 1),
        )
    assert "official" in refused.value.message_dict
    assignment = services.contact_assignment_add(
        actor=district_admin_yuhang,
        person=craftsman_in_qingshan,
        official=town_staff_huanghu,
        started_on=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        services.contact_assignment_update(
            actor=district_admin_yuhang, assignment=assignment, changes={"ended_on": datetime.date(2023, 1, 1)}
        )
    assert refused.value.message_dict["ended_on"] == ["终止日期不能早于起始日期（2024-01-01）。"]


def test_a_contact_log_is_corrected_only_by_its_author(
    village_staff_qingshan, town_staff_huanghu, craftsman_in_qingshan
):
    log = services.contact_log_add(
        person=craftsman_in_qingshan,
        kind=ContactKind.VISIT,
        occurred_on=datetime.date(2024, 5, 1),
        contacted_by="",
        notes="谈竹编工作室用房",
        actor=village_staff_qingshan,
    )
    with pytest.raises(PermissionDenied):
        services.contact_log_update(actor=town_staff_huanghu, log=log, changes={"notes": "改写"})
    with pytest.raises(ValidationError):
        services.contact_log_update(actor=village_staff_qingshan, log=log, changes={"occurred_on": tomorrow()})
    services.contact_log_update(actor=village_staff_qingshan, log=log, changes={"notes": "谈竹编工作室用房和展销"})
    assert ContactLog.objects.get(pk=log.pk).notes == "谈竹编工作室用房和展销"


def test_a_contact_log_about_someone_out_of_scope_is_refused(village_staff_qingshan, designer_in_wanghu):
    with pytest.raises(PermissionDenied):
        services.contact_log_add(
            person=designer_in_wanghu,
            kind=ContactKind.PHONE,
            occurred_on=datetime.date(2024, 5, 1),
            contacted_by="",
            notes="x",
            actor=village_staff_qingshan,
        )
    assert not ContactLog.objects.exists()


def test_changing_a_phone_to_one_held_outside_ones_scope_gets_the_same_answer(
    village_staff_qingshan, craftsman_in_qingshan, designer_in_wanghu
):
    with pytest.raises(ValidationError) as refused:
        services.person_update(
            person=craftsman_in_qingshan, actor=village_staff_qingshan, changes={"phone": "13900002222"}
        )
    assert refused.value.message_dict["phone"] == [services.phone_not_usable_message()]
    assert Person.objects.get(pk=craftsman_in_qingshan.pk).phone == "13800001111"
