import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import ContactAssignment, MembershipRole, Stratum
from members.services import membership_end

ROSTER = reverse("members:roster")


def names_on(response) -> list[str]:
    return [person.name for person in response.context["page"].object_list]


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(ROSTER)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["member_craftsman", "handler_huanghu"])
def test_members_and_department_handlers_may_not_open_the_roster(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(ROSTER).status_code == 403
    assert client.get(reverse("members:growth")).status_code == 403
    assert client.get(reverse("members:person_create")).status_code == 403


def test_village_staff_see_their_village_and_not_other_villages(
    client, village_staff_qingshan, craftsman_in_qingshan, designer_in_wanghu
):
    client.force_login(village_staff_qingshan)
    response = client.get(ROSTER)
    assert response.status_code == 200
    assert names_on(response) == ["张竹青"]
    assert "吴设计" not in response.content.decode()


def test_town_staff_see_every_village_of_their_town(
    client, town_staff_huanghu, qingshan_tongxinhui, wangweishan_tongxinhui, enrol, designer_in_wanghu
):
    enrol(qingshan_tongxinhui, name="青山甲")
    enrol(wangweishan_tongxinhui, name="王位山乙")
    client.force_login(town_staff_huanghu)
    assert sorted(names_on(client.get(ROSTER))) == ["王位山乙", "青山甲"]


def test_each_row_shows_stratum_occupation_organization_role_and_representative_badge(
    client, village_staff_qingshan, qingshan_tongxinhui, enrol
):
    enrol(
        qingshan_tongxinhui,
        name="沈会长",
        role=MembershipRole.PRESIDENT,
        occupation="漫画家",
        stratum=Stratum.NEW_MEDIA,
        is_representative=True,
        gender="female",
    )
    client.force_login(village_staff_qingshan)
    page = client.get(ROSTER).content.decode()
    for text in ("沈会长", "女", "新媒体从业人员", "漫画家", "青山同心荟", "会长", "代表人士"):
        assert text in page


def test_village_staff_see_phones_whole(client, village_staff_qingshan, craftsman_in_qingshan):
    client.force_login(village_staff_qingshan)
    assert "13800001111" in client.get(ROSTER).content.decode()


def test_town_staff_see_phones_masked_except_for_people_they_are_assigned_to(
    client, town_staff_huanghu, qingshan_tongxinhui, enrol
):
    assigned = enrol(qingshan_tongxinhui, name="联系对象", phone="13911112222")
    enrol(qingshan_tongxinhui, name="普通会员", phone="13933334444")
    ContactAssignment.objects.create(person=assigned, official=town_staff_huanghu, started_on=datetime.date(2023, 1, 1))
    client.force_login(town_staff_huanghu)
    page = client.get(ROSTER).content.decode()
    assert "13911112222" in page
    assert "139****4444" in page
    assert "13933334444" not in page


def test_an_ended_contact_assignment_no_longer_shows_the_phone_whole(
    client, town_staff_huanghu, qingshan_tongxinhui, enrol
):
    person = enrol(qingshan_tongxinhui, phone="13911112222")
    ContactAssignment.objects.create(
        person=person,
        official=town_staff_huanghu,
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2022, 1, 1),
    )
    client.force_login(town_staff_huanghu)
    page = client.get(ROSTER).content.decode()
    assert "139****2222" in page
    assert "13911112222" not in page


@pytest.mark.parametrize("query", ["13800001111", "138 0000 1111", "0000111", "1111"])
def test_village_staff_find_a_member_by_full_or_partial_phone(
    client, village_staff_qingshan, craftsman_in_qingshan, qingshan_tongxinhui, enrol, query
):
    enrol(qingshan_tongxinhui, name="别人", phone="13922223333")
    client.force_login(village_staff_qingshan)
    assert names_on(client.get(ROSTER, {"q": query})) == ["张竹青"]


@pytest.mark.parametrize("query", ["13800001111", "138 0000 1111", "0000", "1380"])
def test_town_staff_who_see_phones_masked_cannot_search_by_phone_whole_or_partial(
    client, town_staff_huanghu, craftsman_in_qingshan, query
):
    # A masked 138****1111 hides four digits: answering even whole numbers would give them away in 10⁴ tries.
    client.force_login(town_staff_huanghu)
    response = client.get(ROSTER, {"q": query})
    assert names_on(response) == []
    page = response.content.decode()
    assert "手机号对您是隐藏的，不能按手机号查找，请按姓名查找。" in page
    assert f'value="{query}"' in page  # the search box keeps what was typed
    assert "张竹青" not in page


def test_town_staff_still_find_a_member_by_name_and_see_the_phone_masked(
    client, town_staff_huanghu, craftsman_in_qingshan
):
    client.force_login(town_staff_huanghu)
    response = client.get(ROSTER, {"q": "竹青"})
    assert names_on(response) == ["张竹青"]
    page = response.content.decode()
    assert "138****1111" in page and "13800001111" not in page
    assert "手机号对您是隐藏的" not in page
    assert 'placeholder="姓名"' in page  # the box does not offer what it will refuse


def test_village_staff_are_offered_search_by_part_of_a_phone(client, village_staff_qingshan):
    client.force_login(village_staff_qingshan)
    assert 'placeholder="姓名或手机号（可输入部分号码）"' in client.get(ROSTER).content.decode()


def test_a_phone_search_does_not_reach_people_out_of_scope(client, village_staff_qingshan, designer_in_wanghu, db):
    client.force_login(village_staff_qingshan)
    assert names_on(client.get(ROSTER, {"q": "13900002222"})) == []


def test_search_by_part_of_a_name(client, village_staff_qingshan, qingshan_tongxinhui, enrol):
    enrol(qingshan_tongxinhui, name="欧阳竹")
    enrol(qingshan_tongxinhui, name="李明")
    client.force_login(village_staff_qingshan)
    assert names_on(client.get(ROSTER, {"q": "竹"})) == ["欧阳竹"]


def test_filters_by_stratum_occupation_and_representative(client, village_staff_qingshan, qingshan_tongxinhui, enrol):
    enrol(
        qingshan_tongxinhui,
        name="设计师",
        stratum=Stratum.FREELANCER,
        occupation="传统材料设计师",
        is_representative=True,
    )
    enrol(qingshan_tongxinhui, name="博主", stratum=Stratum.NEW_MEDIA, occupation="短视频博主")
    client.force_login(village_staff_qingshan)
    assert names_on(client.get(ROSTER, {"stratum": Stratum.NEW_MEDIA})) == ["博主"]
    assert names_on(client.get(ROSTER, {"occupation": "传统材料设计师"})) == ["设计师"]
    assert names_on(client.get(ROSTER, {"representative": "yes"})) == ["设计师"]
    assert names_on(client.get(ROSTER, {"representative": "no"})) == ["博主"]


def test_role_and_joined_between_describe_the_same_membership(
    client, town_staff_huanghu, qingshan_tongxinhui, wangweishan_tongxinhui, enrol
):
    vice = enrol(
        qingshan_tongxinhui,
        name="副会长甲",
        role=MembershipRole.VICE_PRESIDENT,
        joined_on=datetime.date(2019, 2, 28),
    )
    enrol(qingshan_tongxinhui, name="新会员", joined_on=datetime.date(2023, 6, 1))
    from members.models import Membership

    Membership.objects.create(
        person=vice,
        organization=wangweishan_tongxinhui,
        role=MembershipRole.MEMBER,
        joined_on=datetime.date(2023, 6, 1),
    )
    client.force_login(town_staff_huanghu)
    joined_2023 = {"joined_after": "2023-01-01", "joined_before": "2023-12-31"}
    assert sorted(names_on(client.get(ROSTER, joined_2023))) == ["副会长甲", "新会员"]
    assert names_on(client.get(ROSTER, {**joined_2023, "role": MembershipRole.VICE_PRESIDENT})) == []
    assert names_on(client.get(ROSTER, {"role": MembershipRole.VICE_PRESIDENT})) == ["副会长甲"]
    in_wangweishan = {"organization": wangweishan_tongxinhui.pk}
    assert names_on(client.get(ROSTER, in_wangweishan)) == ["副会长甲"]


def test_the_organization_filter_offers_only_organizations_in_scope(
    client, village_staff_qingshan, qingshan_tongxinhui, wangweishan_tongxinhui, tianmu_alliance
):
    client.force_login(village_staff_qingshan)
    response = client.get(ROSTER)
    offered = list(response.context["filter"].form.fields["organization"].queryset)
    assert offered == [qingshan_tongxinhui]
    assert client.get(ROSTER, {"organization": tianmu_alliance.pk}).context["filter"].form.errors


def test_former_members_are_listed_apart_from_current_ones(client, village_staff_qingshan, qingshan_tongxinhui, enrol):
    enrol(qingshan_tongxinhui, name="在册者")
    enrol(qingshan_tongxinhui, name="退出者", left_on=datetime.date(2022, 5, 1))
    client.force_login(village_staff_qingshan)
    assert names_on(client.get(ROSTER)) == ["在册者"]
    assert names_on(client.get(ROSTER, {"status": "former"})) == ["退出者"]
    assert sorted(names_on(client.get(ROSTER, {"status": "all"}))) == ["在册者", "退出者"]


def test_someone_who_changed_role_is_still_a_current_member(client, village_staff_qingshan, qingshan_tongxinhui, enrol):
    from members.services import membership_change_role

    person = enrol(qingshan_tongxinhui, name="升任者")
    membership_change_role(
        membership=person.memberships.get(),
        role=MembershipRole.SECRETARY_GENERAL,
        changed_on=datetime.date(2023, 1, 1),
        actor=village_staff_qingshan,
    )
    client.force_login(village_staff_qingshan)
    assert names_on(client.get(ROSTER)) == ["升任者"]
    assert names_on(client.get(ROSTER, {"status": "former"})) == []
    membership_end(
        membership=person.memberships.get(left_on__isnull=True),
        left_on=datetime.date(2024, 1, 1),
        reason="工作调动",
        actor=village_staff_qingshan,
    )
    assert names_on(client.get(ROSTER, {"status": "former"})) == ["升任者"]


def test_the_roster_is_paginated_by_fifty_and_keeps_filters_across_pages(
    client, village_staff_qingshan, qingshan_tongxinhui, enrol_many
):
    enrol_many(qingshan_tongxinhui, 120)
    client.force_login(village_staff_qingshan)
    first = client.get(ROSTER, {"stratum": Stratum.FREELANCER})
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 60
    assert "stratum=freelancer&amp;page=2" in first.content.decode()
    assert len(client.get(ROSTER, {"stratum": Stratum.FREELANCER, "page": 2}).context["page"].object_list) == 10


# Town staff search by name: they see phones masked, and so may not search by them.
@pytest.mark.parametrize(("persona", "query"), [("village_staff_qingshan", "136"), ("town_staff_huanghu", "批量")])
def test_the_roster_runs_the_same_number_of_queries_for_10_and_500_members(
    client, qingshan_tongxinhui, enrol_many, django_assert_max_num_queries, persona, query, request
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    enrol_many(qingshan_tongxinhui, 10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(ROSTER, {"q": query}).status_code == 200
    enrol_many(qingshan_tongxinhui, 490, start=10)
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as large:
        response = client.get(ROSTER, {"q": query})
    assert response.context["page"].paginator.count == 500
    assert len(large.captured_queries) == len(small.captured_queries)
