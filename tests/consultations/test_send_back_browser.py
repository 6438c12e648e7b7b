"""In Chromium: the 青山村 secretary finds the department's answer not carried out and sends it back with a reason;
the handler of 黄湖镇农业农村办 finds it again in 部门待办, as 办理中, with the reason."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from consultations.states import IssueState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
TITLE = "村口路灯不亮"
REASON = "到现场查看，三盏路灯仍有一盏不亮。"


@pytest.fixture(autouse=True)
def _quiet_sms_and_fresh_cache(settings):
    settings.SMS_BACKEND = "portal.sms.backends.MemoryBackend"
    cache.clear()
    yield
    cache.clear()


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(**DESKTOP)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context


def test_the_secretary_sends_an_answer_back_and_the_handler_has_it_in_hand_again(
    browser, live_server, issue_in_state, village_staff_qingshan, handler_huanghu
):
    issue = issue_in_state(IssueState.ANSWERED, title=TITLE)

    secretary = signed_in(browser, live_server, village_staff_qingshan).new_page()
    secretary.goto(f"{live_server.url}/staff/issues/{issue.pk}/")
    expect(secretary.locator(".staff-state").first).to_have_text("部门已答复，待确认办结")
    send_back = secretary.get_by_test_id("action-send_back")
    expect(secretary.get_by_test_id("action-confirm_done")).to_be_visible()
    send_back.locator("summary").click()
    send_back.get_by_role("button", name="退回部门重办").click()
    # Without a reason the page says what is missing and keeps the form open.
    expect(secretary.get_by_test_id("action-send_back")).to_contain_text("请填写退回重办的理由")
    send_back = secretary.get_by_test_id("action-send_back")
    send_back.get_by_label("哪里还没办好").fill(REASON)
    send_back.get_by_role("button", name="退回部门重办").click()
    expect(secretary.locator(".alert-success[role=alert]")).to_contain_text("已退回黄湖镇农业农村办重办")
    expect(secretary.locator(".staff-state").first).to_have_text("部门处理中")
    expect(secretary.get_by_test_id("timeline")).to_contain_text("退回部门重办")
    expect(secretary.get_by_test_id("action-send_back")).to_have_count(0)

    handler = signed_in(browser, live_server, handler_huanghu).new_page()
    handler.goto(f"{live_server.url}/department/")
    handler.get_by_test_id("queue-tabs").get_by_role("link", name="办理中").click()
    row = handler.get_by_test_id("assignment-row").filter(has_text=TITLE)
    expect(row).to_contain_text("办理中")
    expect(row.get_by_test_id("sent-back-reason")).to_contain_text(REASON)
    row.click()
    expect(handler.get_by_test_id("sent-back")).to_contain_text(REASON)
    expect(handler.get_by_test_id("assignment-state")).to_have_text("办理中")
    handler.get_by_label("答复内容").fill("第三盏路灯的线路已更换，三盏都亮了。")
    handler.get_by_role("button", name="最终答复").click()
    expect(handler.get_by_test_id("assignment-state")).to_have_text("已答复")
