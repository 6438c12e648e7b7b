"""On a 390 px phone the light public pages still open their menu, with JavaScript or without."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_menu_opens_without_bootstrap_s_javascript(live_server, browser, phone_context_args, qingshan_tongxinhui):
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console", lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None
    )
    try:
        page.goto(f"{live_server.url}/notices/")
        menu_entry = page.get_by_role("link", name="近期活动")
        assert not menu_entry.is_visible(), "folded on a phone"
        page.get_by_role("button", name="展开菜单").click()
        menu_entry.wait_for(state="visible")
        page.get_by_role("button", name="展开菜单").click()
        menu_entry.wait_for(state="hidden")
        assert errors == []
    finally:
        context.close()


def test_without_javascript_the_menu_is_simply_shown(live_server, browser, phone_context_args, qingshan_tongxinhui):
    context = browser.new_context(**phone_context_args, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        assert page.get_by_role("link", name="我要反映").first.is_visible()
        assert not page.get_by_role("button", name="展开菜单").is_visible()
    finally:
        context.close()
