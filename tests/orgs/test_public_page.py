"""The public organization page /orgs/<slug>/ and the list /orgs/: what anyone on a phone may read."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Membership, MembershipRole, Person, Stratum
from orgs.models import (
    Organization,
    OrganizationCategory,
    OrganizationKind,
    OrganizationLevel,
    Recognition,
    RecognitionLevel,
    Space,
)

pytestmark = pytest.mark.django_db

# Enough for the page whatever the roster size; the test with 10 and 300 members checks it does not grow.
DETAIL_PAGE_QUERY_BOUND = 10
LIST_PAGE_QUERY_BOUND = 8


def _enrol(
    organization,
    *,
    number,
    stratum=Stratum.FREELANCER,
    role=MembershipRole.MEMBER,
    joined_on=datetime.date(2019, 2, 28),
    left_on=None,
    name=None,
):
    person = Person.objects.create(
        name=name or f"会员{number:03d}",
        phone=f"1370000{number:04d}",
        region=organization.region,
        stratum=stratum,
    )
    Membership.objects.create(person=person, organization=organization, role=role, joined_on=joined_on, left_on=left_on)
    return person


def _enrol_many(organization, count, start=0):
    people = Person.objects.bulk_create(
        Person(
            name=f"批量会员{n:04d}",
            phone=f"1360000{n:04d}",
            region=organization.region,
            stratum=Stratum.FREELANCER if n % 3 else Stratum.NEW_MEDIA,
        )
        for n in range(start, start + count)
    )
    Membership.objects.bulk_create(
        Membership(person=person, organization=organization, joined_on=datetime.date(2020, 1, 1)) for person in people
    )


@pytest.fixture
def qingshan_page(qingshan_tongxinhui, tianmu_alliance):
    org = qingshan_tongxinhui
    org.description = "杭州市第一个以村为单元的新阶层人士统战组织。"
    org.save(update_fields=["description"])
    Recognition.objects.create(organization=org, level=RecognitionLevel.DISTRICT, title="未来乡村实验区", year=2019)
    Space.objects.create(organization=org, name="同心驿站", description="青山talk 的场地")
    Space.objects.create(organization=org, name="同心会客厅")
    org.partners.add(tianmu_alliance)
    people = {
        "president": _enrol(org, number=1, role=MembershipRole.PRESIDENT, name="俞建国"),
        "vice": _enrol(
            org,
            number=2,
            role=MembershipRole.VICE_PRESIDENT,
            name="沈晓燕",
            stratum=Stratum.PRIVATE_ENTERPRISE,
        ),
        "secretary": _enrol(
            org, number=3, role=MembershipRole.SECRETARY_GENERAL, name="何雨晴", stratum=Stratum.INTERMEDIARY
        ),
        "member": _enrol(org, number=4, name="楼婉婷"),
        "observer": _enrol(
            org, number=5, role=MembershipRole.OBSERVER, name="卢卡斯·韦伯", stratum=Stratum.FOREIGN_OBSERVER
        ),
        "left": _enrol(org, number=6, name="周已退", left_on=datetime.date(2021, 6, 30)),
        "former_president": _enrol(
            org, number=7, role=MembershipRole.PRESIDENT, name="钱前任", left_on=datetime.date(2020, 12, 31)
        ),
        "future": _enrol(org, number=8, name="吴未来", joined_on=timezone.localdate() + datetime.timedelta(days=30)),
    }
    return org, people


def _get(client, org):
    return client.get(reverse("orgs:public_detail", kwargs={"slug": org.slug}))


def test_public_page_introduces_the_organization(client, qingshan_page):
    org, _people = qingshan_page
    response = _get(client, org)
    assert response.status_code == 200
    html = response.content.decode()
    assert "青山同心荟" in html
    assert "同心荟" in html and "村/园区级" in html
    assert re.search(r"余杭区.*黄湖镇.*青山村", html, re.S), "the region trail runs from the district down"
    assert "2019年2月28日" in html
    assert "杭州市第一个以村为单元" in html
    assert "未来乡村实验区" in html and "2019" in html and "区级" in html
    assert "同心驿站" in html and "同心会客厅" in html
    assert "天目共富联盟（望湖村）" in html, "partners are listed"


def test_public_page_names_current_leaders_with_their_roles(client, qingshan_page):
    org, _people = qingshan_page
    response = _get(client, org)
    leaders = [(leader.role_label, leader.name) for leader in response.context["leaders"]]
    assert leaders == [("会长", "俞建国"), ("副会长", "沈晓燕"), ("秘书长", "何雨晴")]
    html = response.content.decode()
    assert "钱前任" not in html, "a former president is not a current leader"


def test_public_page_shows_no_member_names_and_no_phone_digits(client, qingshan_page):
    org, people = qingshan_page
    html = _get(client, org).content.decode()
    for key in ("member", "observer", "left", "future"):
        assert people[key].name not in html
    for person in people.values():
        assert person.phone not in html
        assert person.phone[-4:] not in html, "not even the masked tail of a phone"


@pytest.mark.any_hour
def test_public_page_counts_current_members_by_stratum(client, qingshan_page):
    org, _people = qingshan_page
    response = _get(client, org)
    assert response.context["member_count"] == 5, "left and not-yet-joined members are not counted"
    counts = {row.stratum: row.count for row in response.context["stratum_counts"]}
    assert counts == {
        Stratum.FREELANCER: 2,
        Stratum.PRIVATE_ENTERPRISE: 1,
        Stratum.INTERMEDIARY: 1,
        Stratum.FOREIGN_OBSERVER: 1,
    }
    html = response.content.decode()
    assert 'data-stratum="foreign_observer"' in html and "外籍观察员" in html


def test_inactive_organization_page_is_not_found(client, qingshan_page):
    org, _people = qingshan_page
    org.is_active = False
    org.save(update_fields=["is_active"])
    assert _get(client, org).status_code == 404


def test_unknown_slug_is_not_found(client, db):
    assert client.get("/orgs/no-such-organization/").status_code == 404


def test_public_page_runs_the_same_queries_for_10_and_300_members(
    client, qingshan_tongxinhui, django_assert_max_num_queries
):
    _enrol_many(qingshan_tongxinhui, 10)
    with CaptureQueriesContext(connection) as few:
        assert _get(client, qingshan_tongxinhui).status_code == 200
    _enrol_many(qingshan_tongxinhui, 290, start=10)
    with django_assert_max_num_queries(DETAIL_PAGE_QUERY_BOUND), CaptureQueriesContext(connection) as many:
        response = _get(client, qingshan_tongxinhui)
    assert response.context["member_count"] == 300
    assert len(many) == len(few)


@pytest.fixture
def many_organizations(tree):
    for number in range(25):
        Organization.objects.create(
            name=f"黄湖同心荟{number:02d}",
            slug=f"huanghu-{number:02d}",
            kind=OrganizationKind.TONGXINHUI,
            region=tree.wangweishan,
            level=OrganizationLevel.VILLAGE,
            category=OrganizationCategory.CULTURE,
        )


def test_list_filters_by_town_and_kind(client, qingshan_tongxinhui, tianmu_alliance):
    response = client.get(reverse("orgs:public_list"), {"region": qingshan_tongxinhui.region.parent_id})
    names = [org.name for org in response.context["page"].object_list]
    assert names == ["青山同心荟"], "a town lists what lies under it, not other districts"

    response = client.get(reverse("orgs:public_list"), {"kind": OrganizationKind.PROSPERITY_ALLIANCE})
    assert [org.name for org in response.context["page"].object_list] == ["天目共富联盟（望湖村）"]


def test_list_shows_current_member_counts_and_hides_inactive_organizations(
    client, qingshan_page, wangweishan_tongxinhui
):
    wangweishan_tongxinhui.is_active = False
    wangweishan_tongxinhui.save(update_fields=["is_active"])
    response = client.get(reverse("orgs:public_list"))
    listed = {org.name: org.member_count for org in response.context["page"].object_list}
    assert "王位山同心荟" not in listed
    assert listed["青山同心荟"] == 5


def test_list_is_paginated_and_keeps_the_filter_across_pages(client, many_organizations, tree):
    response = client.get(reverse("orgs:public_list"), {"region": tree.huanghu.pk})
    page = response.context["page"]
    assert page.paginator.count == 25 and len(page.object_list) == 20
    assert f"region={tree.huanghu.pk}&amp;page=2" in response.content.decode()
    second = client.get(reverse("orgs:public_list"), {"region": tree.huanghu.pk, "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_list_ignores_an_unknown_region_and_says_so(client, qingshan_tongxinhui):
    response = client.get(reverse("orgs:public_list"), {"region": 999999})
    assert response.status_code == 200
    assert [org.name for org in response.context["page"].object_list] == ["青山同心荟"]
    assert "筛选条件无效" in response.content.decode()


def test_list_query_count_is_bounded(client, many_organizations, qingshan_tongxinhui, django_assert_max_num_queries):
    _enrol_many(qingshan_tongxinhui, 50)
    with django_assert_max_num_queries(LIST_PAGE_QUERY_BOUND):
        response = client.get(reverse("orgs:public_list"), {"kind": OrganizationKind.TONGXINHUI})
    assert response.status_code == 200
