"""A member on a 390 px phone: logs in by SMS, signs up, scans the QR code at the door, checks in."""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from activities.checkin_codes import current_checkin_token
from activities.models import Registration

SCREENSHOTS = Path(os.environ.get("PORTAL_SCREENSHOTS", Path(tempfile.gettempdir()) / "portal-screenshots"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_signs_up_and_checks_in_on_a_phone(
    live_server, browser, phone_context_args, activity_factory, member_craftsman, sms_outbox, wangweishan_tongxinhui
):
    activity = activity_factory(
        title="青山talk：竹编手艺与乡村设计",
        starts_in=datetime.timedelta(minutes=30),
        capacity=30,
        co_hosts=[wangweishan_tongxinhui],
        place="青山村同心驿站（龙坞水库旁）",
        description="竹编手艺人张竹青分享三十年的竹编经验，现场体验编一只小竹篮。\n请穿方便活动的衣服。",
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/activities/{activity.pk}/")
        expect(page.get_by_role("heading", name="青山talk：竹编手艺与乡村设计")).to_be_visible()
        page.get_by_role("link", name="会员用手机号登录后报名").click()

        page.get_by_label("手机号码").fill("138 0000 1111")
        page.get_by_role("button", name="获取验证码").click()
        page.wait_for_url("**/accounts/phone/code/")
        code = re.search(r"\d{6}", sms_outbox[-1].text)
        assert code is not None, sms_outbox[-1].text
        page.get_by_label("短信验证码").fill(code.group())
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(f"{live_server.url}/activities/{activity.pk}/")

        page.get_by_role("button", name="立即报名").click()
        expect(page.get_by_test_id("registration-status")).to_contain_text("您已报名")
        page.screenshot(path=str(SCREENSHOTS / "activity-detail-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        # At the door: the phone's camera opens the link of the QR code on the screen.
        page.goto(f"{live_server.url}/activities/{activity.pk}/checkin/?t={current_checkin_token(activity)}")
        page.get_by_role("button", name="一键签到").click()
        success = page.get_by_test_id("checkin-success")
        expect(success).to_contain_text("签到成功")
        page.screenshot(path=str(SCREENSHOTS / "activity-checkin-success-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.get_by_role("link", name="我的活动").click()
        expect(page.get_by_test_id("attended")).to_contain_text("青山talk：竹编手艺与乡村设计")
        expect(page.get_by_test_id("upcoming")).not_to_contain_text("青山talk：竹编手艺与乡村设计")
        page.screenshot(path=str(SCREENSHOTS / "activity-mine-390.png"), full_page=True)
    finally:
        context.close()

    registration = Registration.objects.get(activity=activity)
    assert registration.person == member_craftsman.person
    assert registration.checked_in_at is not None
