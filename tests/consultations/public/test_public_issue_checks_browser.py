"""A villager on a 390 px phone is told what to fix before anything is sent, and taken to it."""

from __future__ import annotations

import pytest

from consultations.models import Issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused_field(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name")


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        selector,
    )


def test_the_phone_checks_the_form_before_sending_and_goes_to_the_first_field_to_fix(
    live_server, browser, phone_context_args, qingshan_tongxinhui, wangweishan_tongxinhui
):
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    try:
        page.goto(f"{live_server.url}/issues/new/")
        page.get_by_label("标题").fill("村口路灯坏了")
        page.get_by_label("手机号码").fill("12345")
        page.get_by_role("button", name="提交议题").click()

        summary = page.get_by_test_id("check-summary")
        summary.wait_for()
        assert [link.inner_text() for link in summary.get_by_role("link").all()] == [
            "向哪个组织反映：请选择要反映的组织。",
            "类别：请选择类别。",
            "具体情况：请填写具体情况。",
            "您的姓名：请填写您的姓名。",
            "手机号码：请输入 11 位手机号码，例如 13800000000。",
        ]
        assert "请输入 11 位手机号码" in page.get_by_test_id("error-submitter_phone").inner_text()
        assert page.get_by_test_id("error-description").inner_text() == "请填写具体情况。"
        assert focused_field(page) == "organization"
        assert in_view(page, "[name=organization]")
        assert page.get_by_role("button", name="提交议题").is_enabled()
        assert posts == [] and Issue.objects.count() == 0

        summary.get_by_role("link", name="手机号码：请输入 11 位手机号码，例如 13800000000。").click()
        assert focused_field(page) == "submitter_phone"
        assert in_view(page, "[name=submitter_phone]")
        page.get_by_label("手机号码").fill("137 1234 5678")
        assert page.get_by_test_id("error-submitter_phone").count() == 0, "a number put right loses its red words"

        page.get_by_label("向哪个组织反映").select_option(label="青山同心荟（黄湖镇 青山村）")
        page.get_by_label("类别").select_option("infrastructure")
        page.get_by_label("具体情况").fill("村口路灯坏了一个星期，晚上看不清路。")
        page.get_by_label("您的姓名").fill("李阿婆")
        page.get_by_role("button", name="提交议题").click()
        page.wait_for_url("**/issues/new/receipt/*/")
        assert Issue.objects.get().organization == qingshan_tongxinhui
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_an_error_found_by_the_server_names_the_field_and_puts_the_cursor_in_it(
    live_server, browser, phone_context_args, qingshan_tongxinhui
):
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/issues/new/?org=qingshan")
        page.get_by_label("标题").fill("祠堂屋顶漏雨")
        page.get_by_label("类别").select_option("culture")
        page.get_by_label("具体情况").fill("下大雨时祠堂东边屋顶漏雨。")
        page.get_by_label("您的姓名").fill("王大伯")
        page.get_by_label("手机号码").fill("12012345678")
        # An old browser that checks no pattern: the server's answer must lead the way by itself.
        page.evaluate("document.querySelector('[name=submitter_phone]').removeAttribute('pattern')")
        page.get_by_role("button", name="提交议题").click()

        page.get_by_test_id("error-summary").wait_for()
        assert page.get_by_test_id("error-summary").inner_text() == "手机号码：请输入 11 位手机号码，例如 13800000000。"
        assert focused_field(page) == "submitter_phone"
        assert in_view(page, "[name=submitter_phone]")
        assert page.get_by_label("标题").input_value() == "祠堂屋顶漏雨"
    finally:
        context.close()


def test_without_javascript_the_browser_still_refuses_a_wrong_number(
    live_server, browser, phone_context_args, qingshan_tongxinhui
):
    context = browser.new_context(**phone_context_args, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/issues/new/?org=qingshan")
        phone = page.get_by_label("手机号码")
        phone.fill("12345")
        assert phone.evaluate("field => field.validity.patternMismatch")
        phone.fill("+86 137-1234-5678")
        assert phone.evaluate("field => field.validity.valid")
        assert page.get_by_label("标题").evaluate("field => field.validity.valueMissing")
    finally:
        context.close()
