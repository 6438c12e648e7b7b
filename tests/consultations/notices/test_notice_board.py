"""The public notice board: published results for anyone, filtered by place and organization, printable,
and never a submitter's name or phone."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import PublicNotice

pytestmark = pytest.mark.django_db

BOARD = reverse("notices:board")
SUBMITTER_NAME = "王秀英"
SUBMITTER_PHONE = "13987654321"


def detail_of(notice: PublicNotice) -> str:
    return reverse("notices:detail", kwargs={"pk": notice.pk})


def titles_on(response) -> list[str]:
    return [notice.title for notice in response.context["page"].object_list]


@pytest.mark.any_hour
def test_the_board_lists_published_results_newest_first(client, published_issue, notice_rows, wangweishan_tongxinhui):
    notice_rows(wangweishan_tongxinhui, 1, title="早先的公示", ended=True)
    published_issue()
    response = client.get(BOARD)
    assert response.status_code == 200
    assert titles_on(response) == ["村口路灯已修复", "早先的公示0"]
    content = response.content.decode()
    assert "公示中" in content
    assert "已结束" in content
    assert "青山同心荟" in content
    assert "王位山同心荟" in content
    assert "黄湖镇 青山村" in content


def test_the_board_filters_by_organization(client, notice_rows, qingshan_tongxinhui, wangweishan_tongxinhui):
    notice_rows(qingshan_tongxinhui, 1, title="青山")
    notice_rows(wangweishan_tongxinhui, 1, title="王位山")
    response = client.get(BOARD, {"org": "wangweishan"})
    assert titles_on(response) == ["王位山0"]


def test_the_board_filters_by_everything_under_a_district_or_a_town(
    client, tree, notice_rows, qingshan_tongxinhui, wangweishan_tongxinhui, tianmu_alliance
):
    notice_rows(qingshan_tongxinhui, 1, title="青山")
    notice_rows(wangweishan_tongxinhui, 1, title="王位山")
    notice_rows(tianmu_alliance, 1, title="天目")
    assert sorted(titles_on(client.get(BOARD, {"region": tree.yuhang.pk}))) == ["王位山0", "青山0"]
    assert sorted(titles_on(client.get(BOARD, {"region": tree.huanghu.pk}))) == ["王位山0", "青山0"]
    assert titles_on(client.get(BOARD, {"region": tree.linan.pk})) == ["天目0"]


def test_choosing_a_town_offers_its_organizations(client, tree, notice_rows, qingshan_tongxinhui, tianmu_alliance):
    notice_rows(qingshan_tongxinhui, 1)
    content = client.get(BOARD, {"region": tree.huanghu.pk}).content.decode()
    assert 'value="qingshan"' in content
    assert 'value="tianmu-wanghu"' not in content


def test_an_unknown_organization_shows_everything_with_a_message(client, notice_rows, qingshan_tongxinhui):
    notice_rows(qingshan_tongxinhui, 2)
    response = client.get(BOARD, {"org": "no-such-place"})
    assert response.status_code == 200
    assert len(titles_on(response)) == 2
    assert "找不到这个组织。" in response.content.decode()


def test_no_personal_data_of_the_submitter_on_the_board_or_the_notice(client, published_issue):
    issue = published_issue(submitter_name=SUBMITTER_NAME, submitter_phone=SUBMITTER_PHONE)
    notice = issue.notices.get()
    for url in (BOARD, detail_of(notice), f"{BOARD}?org=qingshan"):
        content = client.get(url).content.decode()
        assert SUBMITTER_NAME not in content
        assert SUBMITTER_PHONE not in content
        assert "139****4321" not in content
        assert "87654321" not in content


@pytest.mark.any_hour
def test_the_notice_shows_the_result_the_consensus_and_the_dates_of_each_public_step(client, published_issue):
    issue = published_issue(submitter_name=SUBMITTER_NAME)
    notice = issue.notices.get()
    response = client.get(detail_of(notice))
    content = response.content.decode()
    assert "村口路灯已修复" in content
    assert "村口路灯已更换，恢复照明。" in content
    assert "由村里统一更换路灯，费用从公益金列支。" in content
    # The receipt code is the submitter's key to their own page: a public notice never prints it.
    assert issue.receipt_code not in content
    assert timezone.localdate(notice.published_at).isoformat() in content
    steps = [step.action_label for step in response.context["steps"]]
    assert steps[:2] == ["提交议题", "受理"]
    assert "部门答复办结" in steps and steps[-1] == "发布结果公示"
    named = {step.actor_label for step in response.context["steps"]}
    assert "青山村 秘书 李娟" in named
    assert SUBMITTER_NAME not in named


def test_the_notice_is_printable_without_the_site_navigation(client, published_issue):
    notice = published_issue().notices.get()
    content = client.get(detail_of(notice)).content.decode()
    assert "data-print-page" in content
    assert "js/print-page.js" in content
    stylesheet_path = finders.find("css/portal.css")
    assert isinstance(stylesheet_path, str)
    with open(stylesheet_path, encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    print_rules = css[css.index("@media print") :]
    assert ".portal-header" in print_rules and "footer" in print_rules and ".btn" in print_rules


def test_an_unknown_notice_answers_404(client, db):
    assert client.get(reverse("notices:detail", kwargs={"pk": 999_999})).status_code == 404


def _board_queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BOARD, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"org": "qingshan"}, {"region": "town"}])
def test_the_board_runs_the_same_number_of_queries_for_5_and_100_notices(
    client, tree, notice_rows, qingshan_tongxinhui, params, django_assert_max_num_queries
):
    if params.get("region") == "town":
        params = {"region": tree.huanghu.pk}
    notice_rows(qingshan_tongxinhui, 5)
    with_five = _board_queries(client, params)
    notice_rows(qingshan_tongxinhui, 95)
    with django_assert_max_num_queries(with_five):
        assert client.get(BOARD, params).status_code == 200
    assert with_five <= 8


def test_the_notice_page_runs_a_bounded_number_of_queries(client, published_issue, django_assert_max_num_queries):
    notice = published_issue().notices.get()
    with django_assert_max_num_queries(4):
        assert client.get(detail_of(notice)).status_code == 200
