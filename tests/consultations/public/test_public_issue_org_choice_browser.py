"""On a 390 px phone, with JavaScript and without: district → town → village, the organization, the receipt."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from consultations.models import Issue
from orgs.models import Organization, OrganizationKind, OrganizationLevel, RegionLevel
from orgs.services import region_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def crowded_huanghu(tree, qingshan_tongxinhui, tianmu_alliance):
    """黄湖镇 with 60 villages more, each with its 同心荟: too many to list before the village is chosen."""
    for number in range(60):
        village = region_create(name=f"黄{number:02d}村", level=RegionLevel.VILLAGE, parent=tree.huanghu)
        Organization.objects.create(
            name=f"黄{number:02d}同心荟",
            slug=f"huang-{number:02d}",
            kind=OrganizationKind.TONGXINHUI,
            region=village,
            level=OrganizationLevel.VILLAGE,
        )
    return tree


def fill_the_rest(page) -> None:
    page.get_by_label("标题").fill("竹林小路塌了一段")
    page.get_by_label("类别").select_option("infrastructure")
    page.get_by_label("具体情况").fill("去竹林的小路前天下雨塌了一段，老人小孩走很危险。")
    page.get_by_label("您的姓名").fill("李阿婆")
    page.get_by_label("手机号码").fill("137 1234 5678")


def test_a_villager_chooses_district_town_village_and_gets_a_receipt(
    live_server, browser, phone_context_args, crowded_huanghu
):
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    try:
        page.goto(f"{live_server.url}/issues/new/")
        assert page.get_by_test_id("organization-narrow").is_visible()
        assert page.get_by_role("button", name="选好地点，列出下一级").is_hidden()
        page.get_by_label("区/县").select_option(label="余杭区")
        page.get_by_label("镇/街道").select_option(label="黄湖镇")
        page.get_by_label("村/社区").select_option(label="青山村")
        organization = page.get_by_label("向哪个组织反映")
        organization.select_option(label="青山同心荟（黄湖镇 青山村）")
        assert posts == [], "each list came as a small block, the form was not sent"
        fill_the_rest(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.get_by_role("button", name="提交议题").click()
        page.wait_for_url(re.compile(r"/issues/new/receipt/\d{8}/$"))
        assert Issue.objects.get().organization.slug == "qingshan"
    finally:
        context.close()


def test_a_villager_finds_the_organization_by_name_and_a_draft_keeps_it(
    live_server, browser, phone_context_args, crowded_huanghu
):
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/issues/new/")
        page.get_by_label("或者输入村名、镇名或组织名查找").fill("望湖")
        page.get_by_role("button", name="查找").click()
        page.get_by_label("向哪个组织反映").select_option(label="天目共富联盟（望湖村）（龙岗镇 望湖村）")
        page.get_by_label("标题").fill("望湖边的路灯")

        page.goto(f"{live_server.url}/issues/new/")
        page.locator("[data-draft-restored]").wait_for(state="visible")
        expect(page.get_by_label("向哪个组织反映")).to_have_value("tianmu-wanghu")
        assert page.get_by_label("标题").input_value() == "望湖边的路灯"
    finally:
        context.close()


def test_without_javascript_each_step_comes_back_with_the_typed_text(
    live_server, browser, phone_context_args, crowded_huanghu
):
    context = browser.new_context(**phone_context_args, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/issues/new/")
        fill_the_rest(page)
        next_list = page.get_by_role("button", name="选好地点，列出下一级")
        page.get_by_label("区/县").select_option(label="余杭区")
        next_list.click()
        page.get_by_label("镇/街道").select_option(label="黄湖镇")
        next_list.click()
        page.get_by_label("村/社区").select_option(label="青山村")
        next_list.click()
        assert page.get_by_test_id("form-errors").count() == 0, "a step judges nothing"
        assert page.get_by_label("标题").input_value() == "竹林小路塌了一段"
        assert page.get_by_label("手机号码").input_value() == "137 1234 5678"
        page.get_by_label("向哪个组织反映").select_option(label="青山同心荟（黄湖镇 青山村）")

        page.get_by_role("button", name="提交议题").click()
        page.wait_for_url(re.compile(r"/issues/new/receipt/\d{8}/$"))
        assert Issue.objects.get().organization.slug == "qingshan"
    finally:
        context.close()


def test_the_qr_code_form_lists_nothing_and_offers_another_organization(
    live_server, browser, phone_context_args, crowded_huanghu
):
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/issues/new/?org=qingshan")
        assert page.locator("select[name=organization], select[name=district]").count() == 0
        page.get_by_role("link", name="选择其他组织").click()
        assert page.get_by_label("村/社区").locator("option:checked").inner_text() == "青山村"
        assert page.get_by_label("向哪个组织反映").locator("option").count() == 2
    finally:
        context.close()
