import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import (
    ContactAssignment,
    ContactKind,
    ContactLog,
    CrossAppointment,
    Membership,
    MembershipRole,
    OfficeLevel,
    Person,
    PublicOffice,
    PublicOfficeKind,
    Stratum,
)
from members.services import membership_end


def detail(person) -> str:
    return reverse("members:person_detail", kwargs={"pk": person.pk})


def test_the_person_page_shows_profile_history_offices_appointments_and_logs(
    client, village_staff_qingshan, town_staff_huanghu, qingshan_tongxinhui, enrol
):
    person = enrol(
        qingshan_tongxinhui, name="陈设计", occupation="传统材料设计师", joined_on=datetime.date(2019, 2, 28)
    )
    membership_end(
        membership=person.memberships.get(),
        left_on=datetime.date(2021, 3, 1),
        reason="外出务工",
        actor=village_staff_qingshan,
    )
    Membership.objects.create(
        person=person,
        organization=qingshan_tongxinhui,
        role=MembershipRole.VICE_PRESIDENT,
        joined_on=datetime.date(2022, 1, 1),
    )
    PublicOffice.objects.create(person=person, kind=PublicOfficeKind.NPC_DEPUTY, level=OfficeLevel.DISTRICT)
    CrossAppointment.objects.create(person=person, title="村委委员", body="青山村村民委员会")
    ContactAssignment.objects.create(
        person=person,
        official=town_staff_huanghu,
        official_title="镇统战委员",
        started_on=datetime.date(2023, 1, 1),
    )
    ContactLog.objects.create(
        person=person,
        kind=ContactKind.VISIT,
        occurred_on=datetime.date(2023, 1, 5),
        contacted_by="王敏",
        notes="早先的走访",
        author=town_staff_huanghu,
    )
    ContactLog.objects.create(
        person=person,
        kind=ContactKind.PHONE,
        occurred_on=datetime.date(2024, 2, 1),
        contacted_by="王敏",
        notes="最近的电话",
        author=town_staff_huanghu,
    )
    client.force_login(village_staff_qingshan)
    page = client.get(detail(person)).content.decode()
    for text in (
        "陈设计",
        "传统材料设计师",
        "副会长",
        "2022-01-01",
        "2019-02-28",
        "2021-03-01",
        "外出务工",
        "区县级人大代表",
        "青山村村民委员会",
        "村委委员",
        "镇统战委员",
    ):
        assert text in page, text
    assert page.index("最近的电话") < page.index("早先的走访")


@pytest.mark.parametrize("path", ["person_detail", "person_update", "membership_add", "contact_log_add"])
def test_guessing_the_id_of_a_person_out_of_scope_gives_404(client, village_staff_qingshan, designer_in_wanghu, path):
    client.force_login(village_staff_qingshan)
    url = reverse(f"members:{path}", kwargs={"pk": designer_in_wanghu.pk})
    response = client.post(url, {}) if path == "contact_log_add" else client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["membership_change_role", "membership_end"])
def test_guessing_the_id_of_a_membership_out_of_scope_gives_404(
    client, village_staff_qingshan, designer_in_wanghu, path
):
    client.force_login(village_staff_qingshan)
    url = reverse(f"members:{path}", kwargs={"pk": designer_in_wanghu.memberships.get().pk})
    assert client.get(url).status_code == 404


def test_a_village_secretary_does_not_see_memberships_of_other_villages_on_a_shared_person(
    client, village_staff_qingshan, craftsman_in_qingshan, tianmu_alliance
):
    Membership.objects.create(
        person=craftsman_in_qingshan, organization=tianmu_alliance, joined_on=datetime.date(2022, 3, 1)
    )
    client.force_login(village_staff_qingshan)
    page = client.get(detail(craftsman_in_qingshan)).content.decode()
    assert "青山同心荟" in page
    assert "天目共富联盟" not in page


def test_town_staff_see_a_masked_phone_on_the_person_page(client, town_staff_huanghu, craftsman_in_qingshan):
    client.force_login(town_staff_huanghu)
    page = client.get(detail(craftsman_in_qingshan)).content.decode()
    assert "138****1111" in page
    assert "13800001111" not in page


def test_the_person_page_runs_a_bounded_number_of_queries(
    client, village_staff_qingshan, craftsman_in_qingshan, django_assert_max_num_queries
):
    for day in range(1, 29):
        ContactLog.objects.create(
            person=craftsman_in_qingshan,
            kind=ContactKind.VISIT,
            occurred_on=datetime.date(2024, 2, day),
            contacted_by="李娟",
            notes="走访",
            author=village_staff_qingshan,
        )
    client.force_login(village_staff_qingshan)
    with django_assert_max_num_queries(16):
        assert client.get(detail(craftsman_in_qingshan)).status_code == 200


# --- contact logs -------------------------------------------------------------------------------------------


def test_village_staff_add_a_contact_log_which_appears_on_the_person_page(
    client, village_staff_qingshan, craftsman_in_qingshan
):
    client.force_login(village_staff_qingshan)
    form_page = client.get(detail(craftsman_in_qingshan)).content.decode()
    assert 'value="青山村 秘书 李娟"' in form_page  # contacted_by defaults to the user's display name
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("members:contact_log_add", kwargs={"pk": craftsman_in_qingshan.pk}),
        {
            "occurred_on": today,
            "kind": ContactKind.CONDOLENCE,
            "contacted_by": "李娟",
            "notes": "春节慰问，送去对联",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "已添加联系记录" in page
    assert "春节慰问，送去对联" in page
    log = ContactLog.objects.get()
    assert (log.author, log.kind, log.person) == (
        village_staff_qingshan,
        ContactKind.CONDOLENCE,
        craftsman_in_qingshan,
    )


@pytest.mark.any_hour
def test_a_contact_log_dated_tomorrow_is_refused_and_the_typed_notes_are_kept(
    client, village_staff_qingshan, craftsman_in_qingshan
):
    client.force_login(village_staff_qingshan)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("members:contact_log_add", kwargs={"pk": craftsman_in_qingshan.pk}),
        {
            "occurred_on": tomorrow,
            "kind": ContactKind.VISIT,
            "contacted_by": "李娟",
            "notes": "还没发生的走访",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "联系日期不能晚于今天" in page
    assert "还没发生的走访" in page
    assert not ContactLog.objects.exists()


def test_a_contact_log_without_notes_or_kind_is_refused_in_chinese(
    client, village_staff_qingshan, craftsman_in_qingshan
):
    client.force_login(village_staff_qingshan)
    response = client.post(
        reverse("members:contact_log_add", kwargs={"pk": craftsman_in_qingshan.pk}),
        {"occurred_on": timezone.localdate().isoformat(), "contacted_by": "李娟"},
    )
    page = response.content.decode()
    assert "请选择联系方式" in page
    assert "请填写情况记录" in page
    assert not ContactLog.objects.exists()


# --- adding and editing people ------------------------------------------------------------------------------


def new_person_data(organization, **overrides):
    data = {
        "organization": organization.pk,
        "role": MembershipRole.MEMBER,
        "joined_on": "2024-03-01",
        "name": "林新",
        "gender": "male",
        "phone": "13712345678",
        "region": organization.region_id,
        "stratum": Stratum.FREELANCER,
        "occupation": "漫画家",
        "industry": "",
        "skills": "",
        "political_affiliation": "",
        "nationality": "",
    }
    data.update(overrides)
    return data


def test_village_staff_register_a_person_with_a_first_membership(client, village_staff_qingshan, qingshan_tongxinhui):
    client.force_login(village_staff_qingshan)
    response = client.post(
        reverse("members:person_create"), new_person_data(qingshan_tongxinhui, phone="137 1234 5678")
    )
    assert response.status_code == 302, response.context["form"].errors
    person = Person.objects.get(name="林新")
    assert response.url == detail(person)
    assert person.phone == "13712345678"
    membership = person.memberships.get()
    assert (membership.organization, membership.joined_on, membership.left_on) == (
        qingshan_tongxinhui,
        datetime.date(2024, 3, 1),
        None,
    )
    assert person.history.get().history_user == village_staff_qingshan


def test_a_person_cannot_be_registered_into_an_organization_out_of_scope(
    client, village_staff_qingshan, qingshan_tongxinhui, tianmu_alliance
):
    client.force_login(village_staff_qingshan)
    response = client.post(
        reverse("members:person_create"),
        new_person_data(tianmu_alliance, region=qingshan_tongxinhui.region_id),
    )
    assert response.status_code == 400
    assert "请选择您负责范围内的组织" in response.content.decode()
    assert not Person.objects.filter(name="林新").exists()


def test_a_bad_phone_is_refused_in_chinese_and_the_form_keeps_what_was_typed(
    client, village_staff_qingshan, qingshan_tongxinhui
):
    client.force_login(village_staff_qingshan)
    response = client.post(
        reverse("members:person_create"),
        new_person_data(qingshan_tongxinhui, phone="1234567", occupation="竹编手艺人"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "请输入11位手机号码" in page
    assert 'value="1234567"' in page
    assert 'value="竹编手艺人"' in page
    assert not Person.objects.filter(name="林新").exists()


def test_a_phone_already_in_the_roster_names_the_holder_when_in_scope(
    client, village_staff_qingshan, qingshan_tongxinhui, craftsman_in_qingshan
):
    client.force_login(village_staff_qingshan)
    response = client.post(reverse("members:person_create"), new_person_data(qingshan_tongxinhui, phone="13800001111"))
    assert response.status_code == 400
    assert "该手机号已登记在人员名册中，属于 张竹青" in str(response.context["form"].errors), response.context[
        "form"
    ].errors
    assert Person.objects.count() == 1


def test_a_phone_already_in_the_roster_out_of_scope_does_not_leak_who_holds_it(
    client, village_staff_qingshan, qingshan_tongxinhui, designer_in_wanghu
):
    client.force_login(village_staff_qingshan)
    response = client.post(reverse("members:person_create"), new_person_data(qingshan_tongxinhui, phone="13900002222"))
    page = response.content.decode()
    assert response.status_code == 400
    # Not even that the number is registered: a village must not learn who lives elsewhere (probe 13).
    assert "这个手机号不能在此登记。请先与本人核对号码；号码无误的，请联系区委统战部核实后办理。" in page
    assert "已登记" not in page and "管辖范围以外" not in page
    assert "吴设计" not in page
    assert not Person.objects.filter(name="林新").exists()


@pytest.mark.any_hour
def test_a_first_membership_dated_in_the_future_saves_nothing(client, village_staff_qingshan, qingshan_tongxinhui):
    client.force_login(village_staff_qingshan)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("members:person_create"), new_person_data(qingshan_tongxinhui, joined_on=tomorrow))
    assert "入会日期不能晚于今天" in response.content.decode()
    assert not Person.objects.filter(name="林新").exists()


def test_village_staff_edit_a_person(client, village_staff_qingshan, craftsman_in_qingshan):
    client.force_login(village_staff_qingshan)
    url = reverse("members:person_update", kwargs={"pk": craftsman_in_qingshan.pk})
    assert 'value="13800001111"' in client.get(url).content.decode()
    data = {
        "name": "张竹青",
        "gender": "female",
        "phone": "13800001111",
        "region": craftsman_in_qingshan.region_id,
        "stratum": Stratum.FREELANCER,
        "occupation": "竹编非遗传承人",
        "is_representative": "on",
    }
    assert client.post(url, data).status_code == 302
    craftsman_in_qingshan.refresh_from_db()
    assert (craftsman_in_qingshan.occupation, craftsman_in_qingshan.is_representative) == (
        "竹编非遗传承人",
        True,
    )
    assert craftsman_in_qingshan.history.first().history_change_reason == "修改人员信息"


def test_town_staff_who_see_phones_masked_cannot_read_or_overwrite_them_in_the_edit_form(
    client, town_staff_huanghu, craftsman_in_qingshan
):
    client.force_login(town_staff_huanghu)
    url = reverse("members:person_update", kwargs={"pk": craftsman_in_qingshan.pk})
    assert "13800001111" not in client.get(url).content.decode()
    data = {
        "name": "张竹青",
        "phone": "13999999999",
        "region": craftsman_in_qingshan.region_id,
        "stratum": Stratum.FREELANCER,
        "occupation": "竹编手工艺者",
    }
    assert client.post(url, data).status_code == 302
    craftsman_in_qingshan.refresh_from_db()
    assert craftsman_in_qingshan.phone == "13800001111"
