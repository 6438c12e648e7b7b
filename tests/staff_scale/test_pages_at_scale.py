"""Each staff page and admin changelist runs as many queries for a town of 5 villages (an issue in each state) as
for one of 300, and no page counts the whole history: past the paginators' cap a list says "超过 N 条"."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.pagination import CappedCountPaginator
from tests.staff_scale.conftest import grow_town

STAFF_PAGES = [
    "/staff/issues/",
    "/staff/issues/?tab=ended",
    "/staff/issues/?tab=submitted&q=规模",
    "/staff/issues/meetings/",
    "/staff/issues/new/",
    "/staff/roster/",
    "/staff/roster/?q=规模会员1",
    "/staff/activities/",
    "/staff/activities/new/",
]
ADMIN_PAGES = [
    "/admin/consultations/issue/",
    "/admin/members/person/",
    "/admin/members/membership/",
    "/admin/orgs/organization/",
    "/admin/activities/activity/",
    "/admin/members/membership/add/",
    "/admin/orgs/organization/{qingshan}/change/",
]


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("who", ["district_admin_yuhang", "town_staff_huanghu", "village_staff_qingshan"])
def test_staff_pages_run_as_many_queries_for_5_villages_as_for_300(request, who, tree, qingshan_tongxinhui, signed_in):
    staff = signed_in(request.getfixturevalue(who))
    grow_town(tree.huanghu, 5)
    for url in STAFF_PAGES:
        staff.get(url)  # warm the session and the caches
    few = {url: queries_of(staff, url) for url in STAFF_PAGES}
    grow_town(tree.huanghu, 295, start=5)
    many = {url: queries_of(staff, url) for url in STAFF_PAGES}
    assert many == few


@pytest.mark.parametrize("who", ["district_admin_yuhang", "town_staff_huanghu"])
def test_admin_changelists_run_as_many_queries_for_5_villages_as_for_300(
    request, who, tree, qingshan_tongxinhui, signed_in
):
    officer = signed_in(request.getfixturevalue(who))
    urls = [url.format(qingshan=qingshan_tongxinhui.pk) for url in ADMIN_PAGES]
    grow_town(tree.huanghu, 5)
    for url in urls:
        officer.get(url)
    few = {url: queries_of(officer, url) for url in urls}
    grow_town(tree.huanghu, 295, start=5)
    many = {url: queries_of(officer, url) for url in urls}
    assert many == few


def test_a_large_organization_select_is_a_search_box_not_three_hundred_options(tree, district_admin_yuhang, signed_in):
    grow_town(tree.huanghu, 300)
    page = signed_in(district_admin_yuhang).get("/staff/activities/new/").content.decode()
    co_hosts = re.search(r'<select name="co_hosts".*?</select>', page, re.S)
    assert co_hosts is not None
    assert 'data-search-url="/staff/organizations/search/?scope=public"' in co_hosts.group(0)
    assert co_hosts.group(0).count("<option") == 0
    queue = signed_in(district_admin_yuhang).get("/staff/issues/").content.decode()
    organization = re.search(r'<select name="organization".*?</select>', queue, re.S)
    assert organization is not None
    assert organization.group(0).count("<option") == 1  # 全部组织


def test_a_town_of_a_few_villages_keeps_its_plain_select(tree, qingshan_tongxinhui, town_staff_huanghu, signed_in):
    grow_town(tree.huanghu, 5)
    queue = signed_in(town_staff_huanghu).get("/staff/issues/").content.decode()
    organization = re.search(r'<select name="organization".*?</select>', queue, re.S)
    assert organization is not None
    assert "data-search-url" not in organization.group(0)
    assert "青山同心荟" in organization.group(0)


def test_past_the_cap_lists_say_more_than_and_never_count_everything(
    monkeypatch, tree, district_admin_yuhang, signed_in
):
    monkeypatch.setattr(CappedCountPaginator, "cap", 5)
    grow_town(tree.huanghu, 40)
    officer = signed_in(district_admin_yuhang)

    roster = officer.get("/staff/roster/")
    assert "超过 5 条，只列出前 5 条，请用筛选缩小范围" in roster.content.decode()
    queue = officer.get("/staff/issues/?tab=ended")
    assert {value: count for value, _label, count in queue.context["tabs"]}["ended"] == "5+"

    with CaptureQueriesContext(connection) as captured:
        changelist = officer.get("/admin/members/person/")
    assert "超过 5 条，只列出前 5 条，请用筛选或搜索缩小范围" in changelist.content.decode()
    counts = [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]
    assert counts, "the changelist counts what it shows"
    assert all("LIMIT" in sql.upper() for sql in counts), counts
