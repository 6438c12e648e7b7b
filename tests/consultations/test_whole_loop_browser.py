"""The whole loop in Chromium, through the real pages only, as the three people of seed 000 live it.

A villager on a 390 px phone raises an issue with a photo and tracks it by receipt code; the 青山村 secretary
accepts it, holds the monthly 议事会 where it reaches consensus and sends it to 黄湖镇农业农村办; the
department's handler acknowledges and answers it; the secretary publishes the result; anyone reads it on
/notices/; and the villager, on the same phone, sees the result and rates it.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from consultations.models import Feedback, Issue, PublicNotice, Rating
from consultations.states import IssueState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
PASSWORD = "correct-horse-42"

TITLE = "竹林小路塌了一段"
PHONE = "13712345678"
VILLAGER = "李阿婆"
CONSENSUS = "由村里出工出料修复塌方路段，镇农业农村办负责验收。"
ANSWER = "已会同村里修复竹林小路塌方路段 30 米，并加装护栏，验收合格。"
NOTICE_TITLE = "竹林小路塌方已修复"


@pytest.fixture(autouse=True)
def _quiet_sms_and_fresh_cache(settings):
    """No real SMS; the rate limits and submission tokens of earlier tests must not count against this one."""
    settings.SMS_BACKEND = "portal.sms.backends.MemoryBackend"
    cache.clear()
    yield
    cache.clear()


def _phone_photo(path):
    image = Image.new("RGB", (1200, 900), (70, 110, 60))
    for x in range(0, 1200, 9):
        for y in range(0, 900, 3):
            image.putpixel((x, y), (200, 180, 90))
    image.save(path, format="JPEG", quality=90)
    return path


def _log_in(page: Page, live_server, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _success(page: Page):
    return page.locator(".alert-success[role=alert]")


def _state_badge(page: Page):
    return page.locator(".staff-state").first


def test_an_issue_goes_round_the_whole_loop_across_three_people(
    live_server,
    browser,
    phone_context_args,
    qingshan_tongxinhui,
    huanghu_water_office,
    village_staff_qingshan,
    handler_huanghu,
    craftsman_in_qingshan,
    tmp_path,
):
    photo = _phone_photo(tmp_path / "IMG_3107.jpg")
    phone_context = browser.new_context(**phone_context_args)
    staff_context = browser.new_context(**DESKTOP)
    handler_context = browser.new_context(**DESKTOP)
    visitor_context = browser.new_context(**phone_context_args)
    try:
        # 1. The villager raises the issue from her phone, keeps the receipt code and tracks it.
        villager = phone_context.new_page()
        villager.goto(f"{live_server.url}/issues/new/?org=qingshan")
        expect(villager.get_by_test_id("fixed-organization")).to_contain_text("青山同心荟")
        villager.get_by_label("标题").fill(TITLE)
        villager.get_by_label("类别").select_option("infrastructure")
        villager.get_by_label("具体情况").fill("去竹林的小路前天下雨塌了一段，老人小孩走很危险，希望尽快修一下。")
        villager.get_by_label("地点（选填）").fill("竹林小路北段")
        villager.get_by_label("您的姓名").fill(VILLAGER)
        villager.get_by_label("手机号码").fill(PHONE)
        villager.locator("input[type=file]").set_input_files(str(photo))
        expect(villager.get_by_text("已选择 1 张照片")).to_be_visible()
        villager.get_by_role("button", name="提交议题").click()

        expect(villager.get_by_role("heading", name="议题已提交")).to_be_visible()
        code = villager.get_by_test_id("receipt-code").get_attribute("data-code")
        assert code and re.fullmatch(r"\d{8}", code)
        issue = Issue.objects.get(receipt_code=code)
        assert issue.photos.count() == 1

        villager.goto(f"{live_server.url}/issues/track/")
        villager.get_by_label("回执码").fill(code)
        villager.get_by_label("手机号后四位").fill(PHONE[-4:])
        villager.get_by_role("button", name="查询").click()
        expect(villager.get_by_test_id("issue-state")).to_have_text("已提交")
        expect(villager.get_by_test_id("timeline")).to_contain_text("提交议题")
        expect(villager.locator("[data-testid=photos] img")).to_have_count(1)
        assert villager.evaluate("document.documentElement.scrollWidth") <= 390

        # 2. The 青山村 secretary finds it in her work queue and accepts it.
        staff = staff_context.new_page()
        _log_in(staff, live_server, village_staff_qingshan.username, "/staff/issues/")
        row = staff.get_by_test_id("queue-row").filter(has_text=code)
        expect(row).to_contain_text("已提交")
        row.get_by_role("link", name=TITLE).click()
        expect(staff.get_by_role("heading", name=TITLE)).to_be_visible()
        accept = staff.get_by_test_id("action-accept")
        accept.locator("summary").click()
        accept.get_by_role("button", name="受理").click()
        expect(_success(staff)).to_contain_text("已受理，议题进入待协商。")
        expect(_state_badge(staff)).to_have_text("待协商")

        # … schedules this month's 议事会 (it has just begun) with the issue on its agenda …
        staff.get_by_role("link", name="议事会", exact=True).click()
        staff.get_by_role("link", name="安排议事会").click()
        began = timezone.localtime(timezone.now() - datetime.timedelta(minutes=30))
        staff.get_by_label("召开时间").fill(began.strftime("%Y-%m-%dT%H:%M"))
        staff.get_by_label("地点").fill("青山村文化礼堂")
        # Its time is past, so the form asks to confirm that a meeting already held is being recorded.
        staff.get_by_label("补录已召开的会议").check()
        staff.get_by_label(f"{code} {TITLE}").check()
        staff.get_by_role("button", name="安排议事会").click()
        expect(_success(staff)).to_contain_text("月度协商议事会")
        agenda_item = staff.get_by_test_id("agenda-item").filter(has_text=code)
        expect(agenda_item).to_contain_text("待协商")

        # … records who came …
        attendance = staff.get_by_test_id("attendance")
        attendance.get_by_label(craftsman_in_qingshan.name).check()
        attendance.get_by_label("列席村民人数").fill("23")
        attendance.get_by_label("职能部门代表人数").fill("1")
        attendance.get_by_label("统战部门代表人数").fill("1")
        attendance.get_by_label("会议纪要").fill("讨论竹林小路塌方修复方案，村民同意出工出料。")
        attendance.get_by_role("button", name="保存出席情况").click()
        expect(_success(staff)).to_have_text("已登记出席情况和会议纪要。")
        expect(staff.get_by_test_id("attendance-summary")).to_contain_text("23")

        # … and the consensus, with the votes.
        consensus = agenda_item.locator("details[data-testid^=consensus-]")
        consensus.locator("summary").click()
        consensus.get_by_label("共识内容").fill(CONSENSUS)
        consensus.get_by_label("赞成").fill("21")
        consensus.get_by_label("反对").fill("2")
        consensus.get_by_label("弃权").fill("1")
        consensus.get_by_role("button", name="记录共识").click()
        expect(_success(staff)).to_contain_text(f"“{TITLE}”已记录为达成共识")
        expect(agenda_item).to_contain_text("赞成 21，反对 2，弃权 1")

        # Back on the issue: it goes to 黄湖镇农业农村办 with the default deadline.
        agenda_item.get_by_role("link", name=TITLE).click()
        expect(_state_badge(staff)).to_have_text("已达成共识")
        assign = staff.get_by_test_id("action-assign")
        assign.locator("summary").click()
        assign.get_by_label("承办部门").select_option(label=huanghu_water_office.name)
        expect(assign.get_by_label("办理时限（工作日）")).to_have_value("15")
        assign.get_by_role("button", name="提交职能部门").click()
        expect(_success(staff)).to_contain_text(f"已交{huanghu_water_office.name}办理")
        expect(_state_badge(staff)).to_have_text("部门处理中")

        # 3. The department's handler acknowledges and answers it.
        handler = handler_context.new_page()
        _log_in(handler, live_server, handler_huanghu.username, "/department/")
        assignment_row = handler.get_by_test_id("assignment-row").filter(has_text=TITLE)
        expect(assignment_row).to_contain_text(code)
        assignment_row.click()
        expect(handler.get_by_test_id("consensus")).to_have_text(CONSENSUS)
        handler.get_by_role("button", name="签收").click()
        expect(_success(handler)).to_have_text("已签收。请在办理期限内答复。")
        handler.get_by_label("答复内容").fill(ANSWER)
        handler.get_by_role("button", name="最终答复").click()
        expect(_success(handler)).to_contain_text("村里确认办理完成后议题办结")
        expect(handler.get_by_test_id("assignment-state")).to_have_text("已答复")

        # 4. The secretary checks the work, confirms it, and publishes the result.
        staff.reload()
        expect(_state_badge(staff)).to_have_text("部门已答复，待确认办结")
        confirm = staff.get_by_test_id("action-confirm_done")
        confirm.locator("summary").click()
        confirm.get_by_role("button", name="确认办结").click()
        expect(_state_badge(staff)).to_have_text("已办结")
        publish = staff.get_by_test_id("action-publish")
        publish.locator("summary").click()
        publish.get_by_label("公示标题").fill(NOTICE_TITLE)
        expect(publish.get_by_label("公示内容")).to_contain_text(ANSWER)
        expect(publish.get_by_label("公示期（天）")).to_have_value("7")
        publish.get_by_role("button", name="发布结果公示").click()
        expect(_success(staff)).to_have_text("已发布结果公示，公示期 7 天。")
        expect(_state_badge(staff)).to_have_text("公示中")

        # 5. Anyone finds it on the notice board, without the villager's name or phone.
        visitor = visitor_context.new_page()
        visitor.goto(f"{live_server.url}/notices/")
        notice = visitor.get_by_test_id("notice").filter(has_text=NOTICE_TITLE)
        expect(notice).to_contain_text("公示中")
        expect(notice).to_contain_text("青山同心荟")
        notice.click()
        expect(visitor.get_by_role("heading", name=NOTICE_TITLE)).to_be_visible()
        detail = visitor.get_by_test_id("notice-detail")
        expect(detail).to_contain_text(ANSWER)
        expect(detail).not_to_contain_text(VILLAGER)
        expect(detail).not_to_contain_text(PHONE)

        # The villager, back on her phone (the session still holds her proof), sees the result and rates it.
        villager.goto(f"{live_server.url}/issues/track/{code}/")
        expect(villager.get_by_test_id("issue-state")).to_have_text("公示中")
        expect(villager.get_by_test_id("notice-link")).to_contain_text(NOTICE_TITLE)
        timeline = villager.get_by_test_id("timeline")
        for step in ("受理", "形成共识", "提交职能部门", "部门答复办结", "发布结果公示"):
            expect(timeline).to_contain_text(step)
        villager.get_by_role("radio", name="满意", exact=True).check()
        villager.get_by_label("意见（选填）").fill("修得很快，谢谢村里和镇里。")
        villager.get_by_role("button", name="提交评价").click()
        expect(_success(villager)).to_contain_text("感谢您的评价")
        expect(villager.get_by_test_id("feedback-given")).to_contain_text("满意")
        assert villager.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        for context in (phone_context, staff_context, handler_context, visitor_context):
            context.close()

    feedback = Feedback.objects.get(issue__receipt_code=code)
    assert feedback.rating == Rating.SATISFIED
    assert feedback.notice == PublicNotice.objects.get(issue__receipt_code=code)
    assert feedback.comment == "修得很快，谢谢村里和镇里。"
    assert Issue.objects.get(receipt_code=code).state == IssueState.PUBLICIZED
