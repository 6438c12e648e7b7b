"""A villager on a 390 px phone: submits with a photo, keeps the receipt code, tracks the issue from another phone."""

from __future__ import annotations

import re

import pytest
from PIL import Image

from consultations.models import Issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _noisy_photo(path, size=(2400, 1800)):
    """A phone-sized JPEG that does not compress well, like a real photo of a muddy path."""
    noise = Image.effect_noise(size, 60)
    Image.merge("RGB", (noise, noise.rotate(90, expand=False), noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT))).save(
        path, format="JPEG", quality=95
    )
    return path


def _fill_issue(page, *, title="竹林小路塌了一段"):
    page.get_by_label("标题").fill(title)
    page.get_by_label("类别").select_option("infrastructure")
    page.get_by_label("具体情况").fill("去竹林的小路前天下雨塌了一段，老人小孩走很危险。")
    page.get_by_label("地点（选填）").fill("竹林小路北段")
    page.get_by_label("您的姓名").fill("李阿婆")
    page.get_by_label("手机号码").fill("137 1234 5678")


def test_villager_submits_with_a_photo_and_tracks_it_by_code(
    live_server, browser, phone_context_args, qingshan_tongxinhui, tmp_path
):
    photo = _noisy_photo(tmp_path / "IMG_2041.jpg")
    original_size = photo.stat().st_size
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/issues/new/?org=qingshan")
        assert "青山同心荟" in page.get_by_test_id("fixed-organization").inner_text()
        _fill_issue(page)
        page.get_by_label("同意职能部门查看我的电话").check()
        page.locator("input[type=file]").set_input_files(str(photo))
        page.get_by_text("已选择 1 张照片").wait_for()
        shrunk_size = page.evaluate("document.querySelector('input[type=file]').files[0].size")
        assert shrunk_size < original_size, "the browser shrank the photo before upload"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.get_by_role("button", name="提交议题").dblclick()
        page.wait_for_url(re.compile(r"/issues/new/receipt/\d{8}/$"))
        code = page.get_by_test_id("receipt-code").get_attribute("data-code")
        assert page.get_by_test_id("receipt-code").inner_text().replace(" ", "") == code
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        issue = Issue.objects.get()
        assert issue.receipt_code == code, "a double tap made one issue"
        photo_row = issue.photos.get()
        assert max(photo_row.width, photo_row.height) <= 1600
        assert issue.phone_visible_to_department
    finally:
        context.close()

    # Later, on a grandson's phone: code plus the last four digits.
    other = browser.new_context(**phone_context_args)
    page = other.new_page()
    try:
        page.goto(f"{live_server.url}/issues/track/")
        page.get_by_label("回执码").fill(f"{code[:4]} {code[4:]}")
        page.get_by_label("手机号后四位").fill("0000")
        page.get_by_role("button", name="查询").click()
        assert "回执码或手机号后四位不正确" in page.get_by_test_id("tracking-error").inner_text()

        page.get_by_label("手机号后四位").fill("5678")
        page.get_by_role("button", name="查询").click()
        page.wait_for_url(f"**/issues/track/{code}/")
        assert page.get_by_test_id("issue-state").inner_text() == "已提交"
        timeline = page.get_by_test_id("timeline").inner_text()
        assert "提交议题" in timeline and "李阿婆" in timeline
        assert page.locator("[data-testid=photos] img").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        other.close()


def test_typed_text_survives_a_reload_and_is_forgotten_after_submitting(
    live_server, browser, phone_context_args, qingshan_tongxinhui
):
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/issues/new/?org=qingshan")
        page.get_by_label("标题").fill("祠堂屋顶漏雨")
        page.get_by_label("具体情况").fill("下大雨时祠堂东边屋顶漏雨，老物件要受潮了。")
        page.get_by_label("类别").select_option("culture")

        page.reload()  # the signal dropped, the tab was closed, the phone restarted…
        assert page.get_by_label("标题").input_value() == "祠堂屋顶漏雨"
        assert page.get_by_label("具体情况").input_value() == "下大雨时祠堂东边屋顶漏雨，老物件要受潮了。"
        assert page.get_by_label("类别").input_value() == "culture"
        page.locator("[data-draft-restored]").wait_for(state="visible")

        page.get_by_label("您的姓名").fill("王大伯")
        page.get_by_label("手机号码").fill("13912340000")
        page.get_by_role("button", name="提交议题").click()
        page.wait_for_url(re.compile(r"/issues/new/receipt/\d{8}/$"))

        page.goto(f"{live_server.url}/issues/new/?org=qingshan")
        assert page.get_by_label("标题").input_value() == ""
        assert Issue.objects.get().title == "祠堂屋顶漏雨"
    finally:
        context.close()


def test_a_refused_submit_keeps_the_text_and_asks_for_photos_again(
    live_server, browser, phone_context_args, qingshan_tongxinhui, tmp_path
):
    photo = tmp_path / "small.png"
    Image.new("RGB", (300, 200), (200, 30, 30)).save(photo, format="PNG")
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/issues/new/?org=qingshan")
        _fill_issue(page)
        page.get_by_label("手机号码").fill("12345")
        page.locator("input[type=file]").set_input_files(str(photo))
        # The phone now refuses this number before sending; an old browser that checks no pattern sends it.
        page.evaluate("document.querySelector('[name=submitter_phone]').removeAttribute('pattern')")
        page.get_by_role("button", name="提交议题").click()
        page.get_by_test_id("error-submitter_phone").wait_for()

        assert "请输入 11 位手机号码" in page.get_by_test_id("error-submitter_phone").inner_text()
        assert "请重新选择照片" in page.get_by_test_id("photos-choose-again").inner_text()
        assert page.get_by_label("标题").input_value() == "竹林小路塌了一段"
        assert page.get_by_role("button", name="提交议题").is_enabled()
        assert Issue.objects.count() == 0
    finally:
        context.close()
