"""A villager on a 390 px phone reads the notice board and opens a result."""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

SCREENSHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS", Path(tempfile.gettempdir()) / "portal-screenshots"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_villager_reads_the_notice_board_on_a_phone(
    live_server,
    browser,
    phone_context_args,
    tree,
    published_issue,
    notice_rows,
    wangweishan_tongxinhui,
    tianmu_alliance,
):
    notice_rows(wangweishan_tongxinhui, 3, title="王位山文化礼堂开放时间调整", ended=True)
    notice_rows(tianmu_alliance, 2, title="望湖村道路硬化")
    published_issue(submitter_name="王秀英", submitter_phone="13987654321")
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    page.goto(f"{live_server.url}/notices/")
    expect(page.get_by_test_id("notice")).to_have_count(6)
    expect(page.get_by_test_id("resolved-counter")).to_contain_text("已解决议题")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "notices-390.png"), full_page=True)

    # Place first: the district's towns come with the page the choice sends (place_filter.js), then the town's.
    expect(page.get_by_label("镇/街道")).to_have_count(0)
    page.get_by_label("区/县").select_option(label="余杭区")
    expect(page).to_have_url(f"{live_server.url}/notices/?district={tree.yuhang.pk}")
    expect(page.get_by_label("镇/街道").locator("option")).to_have_text(["全部", "黄湖镇"])
    page.get_by_label("镇/街道").select_option(label="黄湖镇")
    expect(page.get_by_label("村/社区").locator("option")).to_have_count(3)
    expect(page.get_by_test_id("notice")).to_have_count(4)
    expect(page.get_by_test_id("notice-list")).not_to_contain_text("望湖村道路硬化")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SCREENSHOTS / "notices-town-390.png"), full_page=True)

    page.get_by_label("组织").select_option(label="青山同心荟")
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("notice")).to_have_count(1)

    page.get_by_test_id("notice").first.click()
    expect(page.get_by_role("heading", name="村口路灯已修复")).to_be_visible()
    expect(page.get_by_test_id("notice-detail")).not_to_contain_text("王秀英")
    page.screenshot(path=str(SCREENSHOTS / "notice-detail-390.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator(".portal-header")).to_be_hidden()
    expect(page.get_by_role("button", name="打印本页")).to_be_hidden()
    page.screenshot(path=str(SCREENSHOTS / "notice-detail-print.png"), full_page=True)
    context.close()
