"""The 余杭区 officer exports a roster in Chromium, under the portal's real Content-Security-Policy: "select all"
works on the list and on the export page, and the browser reports no violation on the way."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

# Every violation the page reports, from the first script on: Playwright's init script is not subject to the CSP.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample || ""}`);
});
"""


def _watch(page) -> list[str]:
    """What the console says the CSP refused, and every script error the page raised."""
    problems: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def _violations(page, problems: list[str]) -> list[str]:
    return [*page.evaluate("window.__cspViolations"), *problems]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_officer_selects_all_and_exports_the_roster_with_no_csp_violation(
    live_server, browser, district_admin_yuhang, qingshan_tongxinhui, wangweishan_tongxinhui, enrol
):
    enrol(qingshan_tongxinhui, name="张竹青", phone="13800001111")
    enrol(qingshan_tongxinhui, name="李竹韵", phone="13800002222")
    enrol(wangweishan_tongxinhui, name="赵山民", phone="13800004444")
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    context.add_init_script(LISTEN_FOR_VIOLATIONS)
    page = context.new_page()
    problems = _watch(page)
    try:
        page.goto(f"{live_server.url}/accounts/login/?next=/admin/members/membership/")
        page.get_by_label("用户名").fill("yuhang_admin")
        page.get_by_label("密码").fill("correct-horse-42")
        page.get_by_role("button", name="登录").click()

        # The list: the header box ticks every row, and the counter follows.
        rows = page.locator("input.action-select")
        expect(rows).to_have_count(3)
        response = page.reload()
        assert response is not None
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        page.locator("#action-toggle").check()
        for index in range(3):
            expect(rows.nth(index)).to_be_checked()
        expect(page.locator(".action-counter")).to_contain_text("3")
        greeting = page.get_by_test_id("admin-greeting")
        expect(greeting).to_have_text("余杭统战部 陈主任")
        assert greeting.evaluate("element => getComputedStyle(element).textTransform") == "none"

        # The ticked rows go to the export page through the action.
        page.get_by_label("动作").select_option("export_admin_action")
        page.get_by_role("button", name="执行").click()
        expect(page.get_by_text(re.compile("3"))).not_to_have_count(0)

        # The export page: 全选 clears and ticks every column; XLSX is already chosen.
        columns = page.locator('.selectable-field-export-row input[type="checkbox"]:not(#id_select_all_fields)')
        expect(columns).to_have_count(14)
        select_all = page.get_by_label("全选")
        expect(select_all).to_be_checked()
        select_all.uncheck()
        for index in range(14):
            expect(columns.nth(index)).not_to_be_checked()
        select_all.check()
        for index in range(14):
            expect(columns.nth(index)).to_be_checked()
        columns.nth(1).uncheck()
        expect(select_all).not_to_be_checked()
        columns.nth(1).check()
        expect(select_all).to_be_checked()
        expect(page.get_by_label("格式")).to_have_value("0")

        with page.expect_download() as download:
            page.get_by_role("button", name="导出").click()
        assert download.value.suggested_filename == f"余杭区-会员名册-{timezone.localdate().isoformat()}.xlsx"

        # The export page reached from the list's own 导出 link, filtered by one organization.
        page.goto(f"{live_server.url}/admin/members/membership/?organization__id__exact={qingshan_tongxinhui.pk}")
        page.get_by_role("link", name="导出").click()
        expect(page.get_by_label("全选")).to_be_checked()
        with page.expect_download() as download:
            page.get_by_role("button", name="导出").click()
        assert download.value.suggested_filename == f"青山同心荟-会员名册-{timezone.localdate().isoformat()}.xlsx"

        assert _violations(page, problems) == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_superuser_edits_a_periodic_task_with_no_csp_violation(live_server, browser, superuser):
    from django_celery_beat.models import CrontabSchedule

    CrontabSchedule.objects.create(minute="30", hour="8", timezone="Asia/Shanghai")
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.add_init_script(LISTEN_FOR_VIOLATIONS)
    page = context.new_page()
    problems = _watch(page)
    try:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/django_celery_beat/periodictask/add/")
        page.get_by_label("用户名").fill("root")
        page.get_by_label("密码").fill("correct-horse-42")
        page.get_by_role("button", name="登录").click()

        crontab = page.locator("#id_crontab")
        expect(crontab).to_be_visible()
        crontab.select_option(index=1)
        expect(page.locator(".field-crontab .help")).to_contain_text("Translation:")

        assert _violations(page, problems) == []
    finally:
        context.close()
