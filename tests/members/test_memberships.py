import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import Membership, MembershipRole
from members.services import membership_add, membership_change_role, membership_end

TODAY = timezone.localdate


def test_changing_a_role_ends_the_old_row_and_opens_a_new_one(client, village_staff_qingshan, craftsman_in_qingshan):
    old = craftsman_in_qingshan.memberships.get()
    client.force_login(village_staff_qingshan)
    response = client.post(
        reverse("members:membership_change_role", kwargs={"pk": old.pk}),
        {"role": MembershipRole.VICE_PRESIDENT, "changed_on": "2023-06-01"},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.role, old.left_on, old.leave_reason) == (
        MembershipRole.MEMBER,
        datetime.date(2023, 6, 1),
        "职务变更为副会长",
    )
    new = craftsman_in_qingshan.memberships.get(left_on__isnull=True)
    assert (new.role, new.joined_on) == (MembershipRole.VICE_PRESIDENT, datetime.date(2023, 6, 1))
    assert new.history.get().history_change_reason == "由会员变更为副会长"
    page = client.get(reverse("members:person_detail", kwargs={"pk": craftsman_in_qingshan.pk})).content.decode()
    assert "职务变更为副会长" in page


def test_a_role_change_dated_before_joining_is_refused_and_nothing_changes(
    client, village_staff_qingshan, craftsman_in_qingshan
):
    old = craftsman_in_qingshan.memberships.get()
    client.force_login(village_staff_qingshan)
    response = client.post(
        reverse("members:membership_change_role", kwargs={"pk": old.pk}),
        {"role": MembershipRole.PRESIDENT, "changed_on": "2018-01-01"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "变更日期不能早于本次入会日期（2019-02-28）" in page
    assert 'value="2018-01-01"' in page
    assert Membership.objects.count() == 1
    old.refresh_from_db()
    assert old.left_on is None


def test_ending_a_membership_keeps_the_row_with_date_and_reason(client, village_staff_qingshan, craftsman_in_qingshan):
    membership = craftsman_in_qingshan.memberships.get()
    client.force_login(village_staff_qingshan)
    response = client.post(
        reverse("members:membership_end", kwargs={"pk": membership.pk}),
        {"left_on": "2024-01-15", "reason": "迁居外地"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.left_on, membership.leave_reason) == (datetime.date(2024, 1, 15), "迁居外地")
    assert membership.history.first().history_user == village_staff_qingshan


@pytest.mark.parametrize(
    ("left_on", "message"),
    [
        ("2019-01-01", "退出日期不能早于入会日期（2019-02-28）"),
        ("2999-01-01", "退出日期不能晚于今天"),
        ("not-a-date", "请输入正确的日期"),
    ],
)
@pytest.mark.any_hour
def test_a_bad_leaving_date_is_refused_in_chinese_and_kept_in_the_form(
    client, village_staff_qingshan, craftsman_in_qingshan, left_on, message
):
    membership = craftsman_in_qingshan.memberships.get()
    client.force_login(village_staff_qingshan)
    response = client.post(
        reverse("members:membership_end", kwargs={"pk": membership.pk}),
        {"left_on": left_on, "reason": "迁居外地"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'value="迁居外地"' in page
    membership.refresh_from_db()
    assert membership.left_on is None


def test_an_ended_membership_cannot_be_ended_or_changed_again_from_its_page(
    client, village_staff_qingshan, craftsman_in_qingshan
):
    membership = craftsman_in_qingshan.memberships.get()
    membership_end(
        membership=membership, left_on=datetime.date(2023, 1, 1), reason="迁居", actor=village_staff_qingshan
    )
    client.force_login(village_staff_qingshan)
    response = client.post(
        reverse("members:membership_end", kwargs={"pk": membership.pk}),
        {"left_on": "2024-01-01", "reason": "再次退出"},
    )
    assert "这条会籍已于 2023-01-01 结束" in response.content.decode()
    membership.refresh_from_db()
    assert membership.leave_reason == "迁居"


def test_adding_a_membership_to_an_organization_in_scope(
    client, town_staff_huanghu, craftsman_in_qingshan, wangweishan_tongxinhui
):
    client.force_login(town_staff_huanghu)
    response = client.post(
        reverse("members:membership_add", kwargs={"pk": craftsman_in_qingshan.pk}),
        {
            "organization": wangweishan_tongxinhui.pk,
            "role": MembershipRole.OBSERVER,
            "joined_on": "2024-05-01",
        },
    )
    assert response.status_code == 302
    assert craftsman_in_qingshan.memberships.filter(
        organization=wangweishan_tongxinhui, role=MembershipRole.OBSERVER
    ).exists()


def test_a_person_cannot_hold_two_open_memberships_of_the_same_organization(
    client, village_staff_qingshan, craftsman_in_qingshan, qingshan_tongxinhui
):
    client.force_login(village_staff_qingshan)
    response = client.post(
        reverse("members:membership_add", kwargs={"pk": craftsman_in_qingshan.pk}),
        {"organization": qingshan_tongxinhui.pk, "role": MembershipRole.MEMBER, "joined_on": "2024-05-01"},
    )
    assert response.status_code == 400
    assert "该人员已是青山同心荟的在册会员" in response.content.decode()
    assert Membership.objects.count() == 1


def test_a_membership_cannot_be_added_to_an_organization_out_of_scope(
    client, village_staff_qingshan, craftsman_in_qingshan, tianmu_alliance
):
    client.force_login(village_staff_qingshan)
    response = client.post(
        reverse("members:membership_add", kwargs={"pk": craftsman_in_qingshan.pk}),
        {"organization": tianmu_alliance.pk, "role": MembershipRole.MEMBER, "joined_on": "2024-05-01"},
    )
    assert response.status_code == 400
    assert not craftsman_in_qingshan.memberships.filter(organization=tianmu_alliance).exists()


# --- services, called directly ------------------------------------------------------------------------------


def test_rejoining_cannot_overlap_the_previous_span(village_staff_qingshan, craftsman_in_qingshan, qingshan_tongxinhui):
    membership_end(
        membership=craftsman_in_qingshan.memberships.get(),
        left_on=datetime.date(2022, 6, 1),
        reason="外出",
        actor=village_staff_qingshan,
    )
    with pytest.raises(ValidationError) as refused:
        membership_add(
            person=craftsman_in_qingshan,
            organization=qingshan_tongxinhui,
            role=MembershipRole.MEMBER,
            joined_on=datetime.date(2022, 1, 1),
            actor=village_staff_qingshan,
        )
    assert "joined_on" in refused.value.error_dict
    rejoined = membership_add(
        person=craftsman_in_qingshan,
        organization=qingshan_tongxinhui,
        role=MembershipRole.MEMBER,
        joined_on=datetime.date(2022, 6, 1),
        actor=village_staff_qingshan,
    )
    assert rejoined.left_on is None
    assert craftsman_in_qingshan.memberships.count() == 2


def test_a_role_change_to_the_same_role_is_refused(village_staff_qingshan, craftsman_in_qingshan):
    with pytest.raises(ValidationError) as refused:
        membership_change_role(
            membership=craftsman_in_qingshan.memberships.get(),
            role=MembershipRole.MEMBER,
            changed_on=TODAY(),
            actor=village_staff_qingshan,
        )
    assert refused.value.message_dict["role"] == ["新职务与现任职务相同。"]


def test_a_membership_without_a_reason_is_not_ended(village_staff_qingshan, craftsman_in_qingshan):
    with pytest.raises(ValidationError):
        membership_end(
            membership=craftsman_in_qingshan.memberships.get(),
            left_on=TODAY(),
            reason="  ",
            actor=village_staff_qingshan,
        )
    assert craftsman_in_qingshan.memberships.get().left_on is None
