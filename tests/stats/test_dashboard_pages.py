"""Who opens which part of the dashboard (a matrix of personas and places), what a drill-down link opens, the
exports of a table, and the queries a page costs at every level and at two sizes of data."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from members.models import Stratum
from orgs.models import Organization, OrganizationKind, OrganizationLevel


@pytest.fixture
def places(tree, qingshan_tongxinhui, tianmu_alliance):
    return {
        "余杭区": {"region": tree.yuhang.pk},
        "黄湖镇": {"region": tree.huanghu.pk},
        "青山村": {"region": tree.qingshan.pk},
        "青山同心荟": {"org": qingshan_tongxinhui.pk},
        "临安区": {"region": tree.linan.pk},
        "天目共富联盟": {"org": tianmu_alliance.pk},
    }


# persona → the places above whose dashboard they open (200); every other place answers 404.
OPENS = {
    "district_admin_yuhang": {"余杭区", "黄湖镇", "青山村", "青山同心荟"},
    "town_staff_huanghu": {"黄湖镇", "青山村", "青山同心荟"},
    "village_staff_qingshan": {"青山村", "青山同心荟"},
    "village_staff_wanghu": {"天目共富联盟"},
}


@pytest.mark.parametrize("persona", sorted(OPENS))
def test_each_persona_opens_the_places_of_their_scope_and_no_other(request, persona, places, client):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    answers = {name: client.get(reverse("stats:dashboard"), query).status_code for name, query in places.items()}
    assert answers == {name: 200 if name in OPENS[persona] else 404 for name in places}
    for name, query in places.items():
        export = client.get(reverse("stats:export", kwargs={"key": "members", "extension": "csv"}), query)
        assert export.status_code == (200 if name in OPENS[persona] else 404), name


def test_the_dashboard_opens_at_the_user_s_own_place(open_dashboard, town_staff_huanghu):
    page = open_dashboard(town_staff_huanghu).content.decode()
    assert 'data-testid="focus-name">黄湖镇' in page
    assert "青山村" in page  # the village to drill down to


@pytest.mark.parametrize("persona", ["handler_huanghu", "member_craftsman"])
def test_handlers_and_members_are_refused(request, persona, open_dashboard):
    assert open_dashboard(request.getfixturevalue(persona)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, tree):
    response = client.get(reverse("stats:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_district_admin_drills_down_from_the_district_to_an_organization(
    open_dashboard, client, district_admin_yuhang, qingshan_tongxinhui, enrol
):
    enrol(qingshan_tongxinhui)
    page = open_dashboard(district_admin_yuhang, period="year").content.decode()
    assert "黄湖镇" in page
    town = client.get(reverse("stats:dashboard"), {"period": "year", "region": qingshan_tongxinhui.region.parent_id})
    assert f"region={qingshan_tongxinhui.region_id}" in town.content.decode()
    village = client.get(reverse("stats:dashboard"), {"period": "year", "region": qingshan_tongxinhui.region_id})
    assert f"org={qingshan_tongxinhui.pk}" in village.content.decode()
    organization = client.get(reverse("stats:dashboard"), {"period": "year", "org": qingshan_tongxinhui.pk})
    assert 'data-testid="focus-name">青山同心荟' in organization.content.decode()


def test_odd_addresses_answer_404_or_this_month(open_dashboard, district_admin_yuhang):
    assert open_dashboard(district_admin_yuhang, region="²").status_code == 404
    assert open_dashboard(district_admin_yuhang, org="9" * 30).status_code == 404
    page = open_dashboard(district_admin_yuhang, period="dates", **{"from": "2025-13-01", "to": "x"})
    assert page.status_code == 200


def test_a_table_exports_to_xlsx_with_chinese_headers_and_numbers_as_numbers(
    client, district_admin_yuhang, qingshan_tongxinhui, enrol
):
    for stratum in (Stratum.FREELANCER, Stratum.FREELANCER, Stratum.FOREIGN_OBSERVER):
        enrol(qingshan_tongxinhui, stratum=stratum)
    client.force_login(district_admin_yuhang)
    response = client.get(
        reverse("stats:export", kwargs={"key": "members", "extension": "xlsx"}), {"org": qingshan_tongxinhui.pk}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="members-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("社会阶层", "期末", "上年同期")
    by_label = {row[0]: row[1:] for row in rows[1:] if row and row[0]}
    assert by_label["自由职业人员"] == (2, 2)
    assert by_label["外籍观察员"] == (1, 1)
    assert by_label["合计"] == (3, 3)
    assert isinstance(by_label["合计"][0], int)


def test_a_table_exports_to_csv_that_excel_reads_as_chinese(client, district_admin_yuhang, qingshan_tongxinhui):
    client.force_login(district_admin_yuhang)
    response = client.get(reverse("stats:export", kwargs={"key": "org_kind", "extension": "csv"}))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff类别,期末,上年同期")
    assert "同心荟,1,1" in text
    assert client.get(reverse("stats:export", kwargs={"key": "org_kind", "extension": "exe"})).status_code == 404
    assert client.get(reverse("stats:export", kwargs={"key": "nothing", "extension": "csv"})).status_code == 404


def _grow(tree, enrol, issue_factory, size: int) -> None:
    """`size` more organizations in each village of 黄湖镇, each with `size` members and an issue."""
    for village in (tree.qingshan, tree.wangweishan):
        for index in range(size):
            organization = Organization.objects.create(
                name=f"{village.name}组织{size}-{index}",
                slug=f"org-{village.pk}-{size}-{index}",
                kind=OrganizationKind.TONGXINHUI,
                region=village,
                level=OrganizationLevel.VILLAGE,
                founded_on=datetime.date(2020, 1, 1),
            )
            for _ in range(size):
                enrol(organization)
            issue_factory(organization=organization, settle=False)


@pytest.mark.parametrize("level", ["district", "town", "village", "organization"])
def test_a_dashboard_page_costs_the_same_queries_at_two_sizes_of_data(
    level, client, tree, district_admin_yuhang, qingshan_tongxinhui, enrol, issue_factory, django_assert_num_queries
):
    query = {
        "district": {"region": tree.yuhang.pk},
        "town": {"region": tree.huanghu.pk},
        "village": {"region": tree.qingshan.pk},
        "organization": {"org": qingshan_tongxinhui.pk},
    }[level]
    client.force_login(district_admin_yuhang)
    url = reverse("stats:dashboard")
    _grow(tree, enrol, issue_factory, 1)
    client.get(url, query)  # sessions, language and the like settle on the first request

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url, {**query, "period": "last12"}).status_code == 200
    _grow(tree, enrol, issue_factory, 4)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url, {**query, "period": "last12"}).status_code == 200
    assert len(small.captured_queries) <= 60


def test_the_admin_index_shows_the_top_figures_of_the_admin_s_district_and_links_the_dashboard(
    client, district_admin_yuhang, qingshan_tongxinhui, enrol
):
    enrol(qingshan_tongxinhui)
    client.force_login(district_admin_yuhang)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'data-testid="admin-stats-summary"' in page
    assert "统计看板 · 余杭区" in page
    assert '<th scope="row">在册会员</th><td>1</td>' in page
    assert reverse("stats:dashboard") in page
