"""A department handler at an office desk: log in, find the overdue issue on top, answer it."""

import datetime
import os
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Assignment

SCREENSHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS", Path(tempfile.gettempdir()) / "portal-screenshots"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_handler_answers_the_overdue_issue_first_on_a_desktop(live_server, browser, handler_huanghu, assigned_issue):
    assigned_issue(title="水渠清淤")
    soon = assigned_issue(title="村道坑洼修补")
    late = assigned_issue(title="灌溉泵站故障")
    today = timezone.localdate()
    Assignment.objects.filter(pk=late.pk).update(deadline=today - datetime.timedelta(days=12))
    Assignment.objects.filter(pk=soon.pk).update(deadline=today + datetime.timedelta(days=1))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/department/")
    page.get_by_label("用户名").fill("huanghu_handler")
    page.get_by_label("密码").fill("correct-horse-42")
    page.get_by_role("button", name="登录").click()

    rows = page.get_by_test_id("assignment-row")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("灌溉泵站故障")
    expect(rows.first.get_by_test_id("overdue-badge")).to_contain_text("超期")
    expect(rows.nth(1)).to_contain_text("即将到期")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "department-queue-1280.png"), full_page=True)

    rows.first.click()
    page.get_by_role("button", name="签收").click()
    expect(page.get_by_text("已签收。请在办理期限内答复。")).to_be_visible()
    page.get_by_label("答复内容").fill("已派维修人员更换泵站电机，恢复灌溉。")
    page.screenshot(path=str(SCREENSHOTS / "department-assignment-1280.png"), full_page=True)
    page.get_by_role("button", name="最终答复").click()
    expect(page.get_by_test_id("assignment-state")).to_have_text("已答复")
    context.close()
