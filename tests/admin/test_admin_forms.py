"""What the admin does beyond scoping: every write through its service, accounts, phones, queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import ContactKind, ContactLog, CrossAppointment, Membership, MembershipRole, Person, Stratum
from orgs.models import Organization, Region, Space
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


def test_someone_who_joins_next_month_is_not_yet_counted_in_the_organization_list(
    client, qingshan_tongxinhui, district_admin_yuhang
):
    """The admin counts members as the organization's page and the home page do: on Beijing's today."""
    _enrol(qingshan_tongxinhui, 3, 0)
    Membership.objects.filter(person__name="成员0000").update(
        joined_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    client.force_login(district_admin_yuhang)
    changelist = client.get(reverse("admin:orgs_organization_changelist")).context["cl"]
    assert [org.current_member_count for org in changelist.result_list] == [2]


# ---- the admin is refused by the same rules as the staff pages (members.services, orgs.services) -------------


def _tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def _form_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200, "the form was expected back with its errors"
    form = response.context["adminform"].form
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def _inlines_untouched(client, url: str) -> dict[str, str]:
    """The management forms of a page's inlines, as a browser posts them when no inline row is touched."""
    data: dict[str, str] = {}
    for inline in client.get(url).context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = str(management.initial.get(name, 0) or 0)
    return data


@pytest.mark.any_hour
def test_the_admin_refuses_a_membership_that_begins_tomorrow(
    client, town_staff_huanghu, craftsman_in_qingshan, wangweishan_tongxinhui
):
    client.force_login(town_staff_huanghu)
    response = client.post(
        reverse("admin:members_membership_add"),
        {
            "person": craftsman_in_qingshan.pk,
            "organization": wangweishan_tongxinhui.pk,
            "role": MembershipRole.MEMBER,
            "joined_on": _tomorrow(),
        },
    )
    assert _form_errors(response) == {"joined_on": ["入会日期不能晚于今天。"]}
    assert response.context["adminform"].form["joined_on"].value() == _tomorrow()
    assert craftsman_in_qingshan.memberships.count() == 1


def test_the_admin_refuses_a_second_membership_over_the_current_one(
    client, town_staff_huanghu, craftsman_in_qingshan, qingshan_tongxinhui
):
    client.force_login(town_staff_huanghu)
    url = reverse("admin:members_membership_add")
    data = {"person": craftsman_in_qingshan.pk, "organization": qingshan_tongxinhui.pk, "role": MembershipRole.MEMBER}
    open_again = client.post(url, {**data, "joined_on": "2024-01-01"})
    assert "已是青山同心荟的在册会员" in _form_errors(open_again)["organization"][0]
    overlapping_past = client.post(url, {**data, "joined_on": "2018-01-01", "left_on": "2020-01-01"})
    assert "与 2019-02-28 起至今的会籍重叠" in _form_errors(overlapping_past)["joined_on"][0]
    assert craftsman_in_qingshan.memberships.count() == 1


def test_the_admin_offers_and_accepts_no_organization_outside_ones_scope(
    client, town_staff_huanghu, craftsman_in_qingshan, tianmu_alliance
):
    client.force_login(town_staff_huanghu)
    response = client.post(
        reverse("admin:members_membership_add"),
        {
            "person": craftsman_in_qingshan.pk,
            "organization": tianmu_alliance.pk,
            "role": MembershipRole.MEMBER,
            "joined_on": "2024-01-01",
        },
    )
    assert "organization" in _form_errors(response)
    assert not craftsman_in_qingshan.memberships.filter(organization=tianmu_alliance).exists()


def test_a_new_role_in_the_admin_ends_the_row_and_opens_another_as_on_the_pages(
    client, town_staff_huanghu, craftsman_in_qingshan
):
    old = craftsman_in_qingshan.memberships.get()
    client.force_login(town_staff_huanghu)
    url = reverse("admin:members_membership_change", args=[old.pk])
    undated = client.post(url, {"role": MembershipRole.PRESIDENT, "left_on": "", "leave_reason": ""})
    assert _form_errors(undated) == {"changed_on": ["变更职务请填写变更日期。"]}
    tomorrow = client.post(url, {"role": MembershipRole.PRESIDENT, "changed_on": _tomorrow()})
    assert _form_errors(tomorrow) == {"changed_on": ["变更日期不能晚于今天。"]}
    assert Membership.objects.get(pk=old.pk).role == MembershipRole.MEMBER

    response = client.post(url, {"role": MembershipRole.PRESIDENT, "changed_on": "2023-06-01"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.role, old.left_on) == (MembershipRole.MEMBER, datetime.date(2023, 6, 1))
    new = craftsman_in_qingshan.memberships.get(left_on__isnull=True)
    assert (new.role, new.joined_on) == (MembershipRole.PRESIDENT, datetime.date(2023, 6, 1))
    assert new.history.get().history_user == town_staff_huanghu
    # The ended row is history: the admin shows it, and changes nothing in it.
    client.post(url, {"role": MembershipRole.OBSERVER, "left_on": "2024-01-01"})
    old.refresh_from_db()
    assert (old.role, old.left_on) == (MembershipRole.MEMBER, datetime.date(2023, 6, 1))


@pytest.mark.any_hour
def test_leaving_in_the_admin_needs_a_past_date_and_a_reason(client, town_staff_huanghu, craftsman_in_qingshan):
    membership = craftsman_in_qingshan.memberships.get()
    client.force_login(town_staff_huanghu)
    url = reverse("admin:members_membership_change", args=[membership.pk])
    base = {"role": MembershipRole.MEMBER}
    assert _form_errors(client.post(url, {**base, "left_on": _tomorrow(), "leave_reason": "迁居"})) == {
        "left_on": ["退出日期不能晚于今天。"]
    }
    assert "请填写退出原因。" in str(_form_errors(client.post(url, {**base, "left_on": "2024-01-15"})))
    assert client.post(url, {**base, "left_on": "2024-01-15", "leave_reason": "迁居外地"}).status_code == 302
    membership.refresh_from_db()
    assert (membership.left_on, membership.leave_reason) == (datetime.date(2024, 1, 15), "迁居外地")
    assert membership.history.first().history_user == town_staff_huanghu


def _person_data(tree, **extra):
    return {"name": "林新", "region": tree.qingshan.pk, "stratum": Stratum.FREELANCER, "phone": "", **extra}


def test_a_phone_held_outside_ones_scope_gets_the_same_neutral_answer_in_the_admin(
    client, tree, town_staff_huanghu, designer_in_wanghu
):
    client.force_login(town_staff_huanghu)
    url = reverse("admin:members_person_add")
    response = client.post(url, {**_person_data(tree, phone="13900002222"), **_inlines_untouched(client, url)})
    errors = _form_errors(response)
    assert errors == {"phone": ["这个手机号不能在此登记。请先与本人核对号码；号码无误的，请联系区委统战部核实后办理。"]}
    page = response.content.decode()
    assert "已登记" not in page and "吴设计" not in page
    assert not Person.objects.filter(name="林新").exists()


def test_a_person_added_in_the_admin_is_in_the_history_under_who_added_them(client, tree, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    url = reverse("admin:members_person_add")
    response = client.post(url, {**_person_data(tree, phone="13700009999"), **_inlines_untouched(client, url)})
    assert response.status_code == 302, _form_errors(response)
    assert Person.objects.get(name="林新").history.get().history_user == town_staff_huanghu


def test_an_organization_whose_inline_row_is_wrong_is_not_saved_either(client, tree, town_staff_huanghu):
    """The service writes while the form is checked; a bad inline row after it must leave nothing behind."""
    client.force_login(town_staff_huanghu)
    url = reverse("admin:orgs_organization_add")
    data = {
        "name": "王位山新阶层基地",
        "slug": "wangweishan-base",
        "kind": "practice_base",
        "level": "village",
        "region": tree.wangweishan.pk,
        "is_active": "on",
        **_inlines_untouched(client, url),
    }
    prefix = next(
        inline.formset.prefix
        for inline in client.get(url).context["inline_admin_formsets"]
        if inline.formset.model is Space
    )
    # A space with an address but no name.
    data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-name": "", f"{prefix}-0-address": "王位山村文化礼堂"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert not Organization.objects.filter(slug="wangweishan-base").exists()


def test_seats_and_posts_of_a_person_are_shown_beside_them_and_written_on_their_own_pages(
    client, town_staff_huanghu, craftsman_in_qingshan
):
    client.force_login(town_staff_huanghu)
    response = client.post(
        reverse("admin:members_crossappointment_add"),
        {
            "person": craftsman_in_qingshan.pk,
            "title": "村委委员",
            "body": "青山村村委会",
            "started_on": "2024-01-01",
            "ended_on": "2023-01-01",
        },
    )
    assert _form_errors(response) == {"ended_on": ["终止日期不能早于起始日期（2024-01-01）。"]}
    response = client.post(
        reverse("admin:members_crossappointment_add"),
        {"person": craftsman_in_qingshan.pk, "title": "村委委员", "body": "青山村村委会", "started_on": "2024-01-01"},
    )
    assert response.status_code == 302, _form_errors(response)
    post = CrossAppointment.objects.get()
    assert post.history.get().history_user == town_staff_huanghu
    page = client.get(reverse("admin:members_person_change", args=[craftsman_in_qingshan.pk]))
    inlines = {inline.formset.model: inline for inline in page.context["inline_admin_formsets"]}
    assert not inlines[CrossAppointment].has_change_permission
    assert not inlines[Membership].has_add_permission


@pytest.mark.any_hour
def test_a_contact_log_added_in_the_admin_is_signed_by_its_author_and_not_dated_tomorrow(
    client, district_admin_yuhang, craftsman_in_qingshan
):
    client.force_login(district_admin_yuhang)
    url = reverse("admin:members_contactlog_add")
    data = {"person": craftsman_in_qingshan.pk, "kind": ContactKind.VISIT, "contacted_by": "陈主任", "notes": "走访"}
    assert _form_errors(client.post(url, {**data, "occurred_on": _tomorrow()})) == {
        "occurred_on": ["联系日期不能晚于今天。"]
    }
    assert client.post(url, {**data, "occurred_on": "2024-05-01"}).status_code == 302
    log = ContactLog.objects.get()
    assert (log.author, log.history.get().history_user) == (district_admin_yuhang, district_admin_yuhang)


@pytest.mark.any_hour
def test_an_organization_founded_tomorrow_is_refused_in_the_admin(client, tree, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    url = reverse("admin:orgs_organization_add")
    data = {
        "name": "王位山新阶层基地",
        "slug": "wangweishan-base",
        "kind": "practice_base",
        "level": "village",
        "region": tree.wangweishan.pk,
        "founded_on": _tomorrow(),
        "is_active": "on",
        **_inlines_untouched(client, url),
    }
    assert _form_errors(client.post(url, data)) == {"founded_on": ["成立日期不能晚于今天。"]}
    response = client.post(url, {**data, "founded_on": "2024-01-01"})
    assert response.status_code == 302, _form_errors(response)
    assert Organization.objects.get(slug="wangweishan-base").history.get().history_user == town_staff_huanghu
