"""A village secretary on a phone: log in, find a member by phone, write down a visit."""

import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Kept after the run so that a person can look at what the secretary saw.
SCREENSHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS", Path(tempfile.gettempdir()) / "portal-screenshots"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_village_staff_find_a_member_by_phone_and_add_a_contact_log_on_a_phone(
    live_server,
    browser,
    phone_context_args,
    village_staff_qingshan,
    craftsman_in_qingshan,
    enrol,
    qingshan_tongxinhui,
):
    for index in range(12):
        enrol(qingshan_tongxinhui, name=f"青山会员{index:02d}", occupation="民宿主理人")
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/roster/")
    page.get_by_label("用户名").fill("qingshan_secretary")
    page.get_by_label("密码").fill("correct-horse-42")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="人员名册")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "roster-390.png"), full_page=True)

    page.get_by_role("searchbox").fill("1111")
    page.get_by_role("button", name="搜索").click()
    rows = page.get_by_test_id("roster-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("13800001111")
    page.screenshot(path=str(SCREENSHOTS / "roster-search-390.png"), full_page=True)

    page.get_by_role("button", name="更多筛选").click()
    expect(page.locator("#roster-more-filters")).to_have_class(re.compile(r"\bshow\b"))
    expect(page.get_by_label("社会阶层")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "roster-filters-390.png"), full_page=True)

    rows.first.get_by_role("link", name="张竹青").click()
    expect(page.get_by_role("heading", name=re.compile("张竹青"))).to_be_visible()
    page.locator("label", has_text="走访").click()
    page.get_by_label("情况记录").fill("上门走访，了解竹编工坊用地需求")
    page.get_by_role("button", name="添加联系记录").click()

    expect(page.get_by_text("已添加联系记录。")).to_be_visible()
    log = page.get_by_test_id("contact-log").first
    expect(log).to_contain_text("上门走访，了解竹编工坊用地需求")
    expect(log).to_contain_text("青山村 秘书 李娟")
    page.screenshot(path=str(SCREENSHOTS / "person-390.png"), full_page=True)
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
