"""A member on a cheap phone logs in with the code from the SMS."""

import re

import pytest

from portal.sms import backends as sms_backends


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_logs_in_on_a_phone_with_the_sms_code(
    live_server, browser, phone_context_args, member_craftsman, sms_outbox
):
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/phone/")
        page.get_by_label("手机号码").fill("138 0000 1111")
        page.get_by_role("button", name="获取验证码").click()
        page.wait_for_url("**/accounts/phone/code/")
        assert "如果该号码已登记，验证码已发送" in page.content()

        code = re.search(r"\d{6}", sms_backends.outbox[0].text)
        assert code is not None, sms_backends.outbox[0].text
        page.get_by_label("短信验证码").fill(code.group())
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(f"{live_server.url}/issues/mine/")  # 我的议题, not the public home page
        page.get_by_label("展开菜单").click()  # on a phone the header folds behind its menu button
        identity = page.get_by_test_id("identity")
        identity.wait_for(state="visible")
        assert "会员/村民" in identity.inner_text()
        # Nothing is wider than the phone's screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
