"""A district officer drills down from 余杭区 to 青山村, downloads a table as Excel and opens the printable report."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from members.models import Stratum

SCREENSHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS", Path(tempfile.gettempdir()) / "portal-screenshots"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_district_admin_drills_down_to_a_village_and_downloads_the_report(
    live_server, browser, district_admin_yuhang, qingshan_tongxinhui, wangweishan_tongxinhui, enrol
):
    for stratum in (Stratum.FREELANCER, Stratum.FREELANCER, Stratum.NEW_MEDIA):
        enrol(qingshan_tongxinhui, stratum=stratum)
    enrol(wangweishan_tongxinhui)
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/dashboard/%3Fperiod%3Dyear")
    page.get_by_label("用户名").fill("yuhang_admin")
    page.get_by_label("密码").fill("correct-horse-42")
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_test_id("focus-name")).to_contain_text("余杭区")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-district.png"), full_page=True)
    page.get_by_test_id("figure-breakdown").get_by_role("link", name="黄湖镇").click()
    expect(page.get_by_test_id("focus-name")).to_contain_text("黄湖镇")
    page.get_by_test_id("figure-breakdown").get_by_role("link", name="青山村").click()
    expect(page.get_by_test_id("focus-name")).to_contain_text("青山村")
    expect(page.get_by_test_id("trail")).to_contain_text("余杭区")
    members = page.get_by_test_id("figure-members")
    expect(members.get_by_role("row", name="自由职业人员")).to_contain_text("2")
    expect(members.locator("svg.stats-chart")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "dashboard-village.png"), full_page=True)

    with page.expect_download() as download_info:
        members.get_by_test_id("export-xlsx").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes())).active
    totals = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert totals["合计"] == 3  # 青山村 only: 王位山村's member is not in it

    page.get_by_test_id("report-link").click()
    expect(page.get_by_role("heading", name="青山村统战工作报表")).to_be_visible()
    expect(page.get_by_test_id("report-notices")).to_contain_text("本期没有发布结果公示。")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-report-print.png"), full_page=True)

    page.emulate_media(media="screen")
    with page.expect_download() as download_info:
        page.get_by_test_id("report-pdf").click()
    report = PdfReader(download_info.value.path())
    assert "青山村统战工作报表" in report.pages[0].extract_text()
    context.close()
