"""The header on an office screen (1366 px wide) holds on one line, in English as in Chinese, for the widest menu:
a district officer's, with the workspace, the admin, the name, the role, the place and the inbox."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The boxes of the header: each label, button and the identity, where they sit and how tall they are.
HEADER_BOXES = r"""() => {
  const nav = document.querySelector(".portal-header .navbar");
  const items = [...nav.querySelectorAll(".navbar-brand, .nav-link, .btn, .portal-identity")]
    .filter((item) => item.offsetParent !== null)
    .map((item) => {
      const box = item.getBoundingClientRect();
      const text = item.textContent.trim().replace(/\s+/g, " ");
      return {text, top: box.top, bottom: box.bottom, height: box.height, width: Math.round(box.width)};
    });
  const style = getComputedStyle(nav);
  const inner = nav.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return {inner, items};
}"""


def _header(live_server, browser, language: str, *, username: str | None) -> dict:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", timezone_id="Asia/Shanghai")
    host = live_server.url.split("//", 1)[1].split(":", 1)[0]
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"}])
    page = context.new_page()
    try:
        if username:
            page.goto(f"{live_server.url}/accounts/login/")
            page.locator("input[name=username]").fill(username)
            page.locator("input[name=password]").fill("correct-horse-42")
            page.locator("form button[type=submit]").last.click()
            page.wait_for_load_state()
        page.goto(f"{live_server.url}/notices/")
        return page.evaluate(HEADER_BOXES)
    finally:
        context.close()


def _described(header: dict) -> str:
    rows = [f"{item['text']}: top {item['top']}, {item['width']} px wide" for item in header["items"]]
    return f"header {header['inner']} px high:\n" + "\n".join(rows)


def _one_line(header: dict) -> bool:
    tallest = max(item["height"] for item in header["items"])
    tops = [item["top"] for item in header["items"]]
    return max(tops) - min(tops) < tallest / 2 and header["inner"] <= tallest + 1


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_district_officers_header_is_one_line_at_1366_px(live_server, browser, district_admin_yuhang, language):
    header = _header(live_server, browser, language, username="yuhang_admin")

    assert any("Admin" in item["text"] or "管理后台" in item["text"] for item in header["items"])
    assert _one_line(header), _described(header)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_visitors_header_is_one_line_at_1366_px(live_server, browser, db, language):
    header = _header(live_server, browser, language, username=None)

    assert _one_line(header), _described(header)
