"""A villager without the QR code finds the organization: place first (district → town → village) or by name.

A province holds 20,000 organizations: the form lists a place's organizations once they are few, each with its
town and village, and costs the same queries and the same few kilobytes however many there are.
"""

from __future__ import annotations

import gzip
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Issue
from consultations.organization_choice import ORGANIZATION_CHOICES_SHOWN
from orgs.models import Organization, OrganizationKind, OrganizationLevel, RegionLevel
from orgs.services import region_create

pytestmark = pytest.mark.django_db

PHONE_BUDGET_BYTES = 60 * 1024


def choices_on(response) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in response.context["form"].fields["organization"].widget.choices]


def places_listed(response, step: str) -> list[str]:
    for each in response.context["form"].organization_choice.steps:
        if each.name == step:
            return [region.name for region in each.options]
    return []


def villages_with_organizations(town, count: int, *, prefix: str = "村") -> list[Organization]:
    organizations = []
    for number in range(count):
        village = region_create(name=f"{prefix}{number:04d}村", level=RegionLevel.VILLAGE, parent=town)
        organizations.append(
            Organization.objects.create(
                name=f"{prefix}{number:04d}同心荟",
                slug=f"o{ord(prefix[0])}-{town.pk}-{number:04d}",
                kind=OrganizationKind.TONGXINHUI,
                region=village,
                level=OrganizationLevel.VILLAGE,
            )
        )
    return organizations


@pytest.fixture
def province(tree, qingshan_tongxinhui, tianmu_alliance):
    """余杭区 grown to a province's density: 黄湖镇 with 60 villages more, and three more towns of 40 each."""
    villages_with_organizations(tree.huanghu, 60, prefix="黄")
    for name in ("良渚街道", "仁和街道", "瓶窑镇"):
        town = region_create(name=name, level=RegionLevel.TOWN, parent=tree.yuhang)
        villages_with_organizations(town, 40, prefix=name[0])
    assert Organization.objects.count() > 3 * ORGANIZATION_CHOICES_SHOWN
    return tree


def test_a_small_portal_lists_each_organization_with_its_town_and_village(client, qingshan_tongxinhui, tianmu_alliance):
    response = client.get(reverse("issues:new"))
    choices = dict(choices_on(response))
    assert choices["qingshan"] == "青山同心荟（黄湖镇 青山村）"
    assert choices["tianmu-wanghu"] == "天目共富联盟（望湖村）（龙岗镇 望湖村）"
    assert places_listed(response, "district") == sorted(["余杭区", "临安区"])
    assert "青山同心荟（黄湖镇 青山村）" in response.content.decode()


def test_at_province_scale_the_place_is_chosen_first_district_town_village(client, province):
    start = client.get(reverse("issues:new"))
    assert choices_on(start) == [("", "请先选好地点，或输入名称查找")]
    assert 'data-testid="organization-narrow"' in start.content.decode()
    assert places_listed(start, "town") == []

    district = client.get(reverse("issues:new"), {"district": province.yuhang.pk})
    assert places_listed(district, "town") == sorted(["黄湖镇", "良渚街道", "仁和街道", "瓶窑镇"])
    assert choices_on(district)[1:] == [], "a district holds too many organizations to list"

    town = client.get(reverse("issues:new"), {"district": province.yuhang.pk, "town": province.huanghu.pk})
    assert "青山村" in places_listed(town, "village") and len(places_listed(town, "village")) == 62
    assert choices_on(town)[1:] == [], "61 organizations: the villager chooses the village"

    village = client.get(
        reverse("issues:new"),
        {"district": province.yuhang.pk, "town": province.huanghu.pk, "village": province.qingshan.pk},
    )
    assert choices_on(village)[1:] == [("qingshan", "青山同心荟（黄湖镇 青山村）")]


def test_a_town_of_another_district_is_dropped_with_what_lies_below_it(client, province):
    response = client.get(
        reverse("issues:new"),
        {"district": province.linan.pk, "town": province.huanghu.pk, "village": province.qingshan.pk},
    )
    assert places_listed(response, "town") == ["龙岗镇"]
    assert response.context["form"].organization_choice.place == province.linan
    assert choices_on(response)[1:] == [("tianmu-wanghu", "天目共富联盟（望湖村）（龙岗镇 望湖村）")]


def test_a_few_towns_list_their_organizations_at_once(client, tree, qingshan_tongxinhui, wangweishan_tongxinhui):
    response = client.get(reverse("issues:new"), {"district": tree.yuhang.pk, "town": tree.huanghu.pk})
    assert {slug for slug, _label in choices_on(response)[1:]} == {"qingshan", "wangweishan"}


def test_a_name_finds_organizations_villages_and_towns_by_how_they_begin(client, province):
    by_name = client.get(reverse("issues:new"), {"org_q": "青山同"})
    assert choices_on(by_name)[1:] == [("qingshan", "青山同心荟（黄湖镇 青山村）")]
    by_village = client.get(reverse("issues:new"), {"org_q": "望湖村"})
    assert choices_on(by_village)[1:] == [("tianmu-wanghu", "天目共富联盟（望湖村）（龙岗镇 望湖村）")]
    by_town = client.get(reverse("issues:new"), {"org_q": "良渚"})
    assert len(choices_on(by_town)) == 1 + 40

    nothing = client.get(reverse("issues:new"), {"org_q": "不存在的村"})
    assert choices_on(nothing)[1:] == []
    assert 'data-testid="organization-search-empty"' in nothing.content.decode()


def test_the_form_costs_the_same_queries_for_three_organizations_or_three_hundred(
    client, tree, qingshan_tongxinhui, tianmu_alliance, wangweishan_tongxinhui, django_assert_max_num_queries
):
    addresses = [
        reverse("issues:new"),
        reverse("issues:new") + f"?district={tree.yuhang.pk}&town={tree.huanghu.pk}",
        reverse("issues:new") + f"?district={tree.yuhang.pk}&town={tree.huanghu.pk}&village={tree.qingshan.pk}",
        reverse("issues:new") + "?org_q=青山",
        reverse("issues:new") + "?org=qingshan",
        reverse("issues:new_choices") + f"?district={tree.yuhang.pk}&town={tree.huanghu.pk}",
    ]
    few = {}
    for address in addresses:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        few[address] = len(captured.captured_queries)
        assert few[address] <= 6, address

    villages_with_organizations(tree.huanghu, 150, prefix="新")
    villages_with_organizations(region_create(name="瓶窑镇", level=RegionLevel.TOWN, parent=tree.yuhang), 147)
    assert Organization.objects.count() == 300
    for address in addresses:
        with django_assert_max_num_queries(few[address]):
            assert client.get(address).status_code == 200


def test_the_qr_code_form_names_its_organization_and_lists_nothing_else(client, tree, qingshan_tongxinhui):
    response = client.get(reverse("issues:new"), {"org": "qingshan"})
    page = response.content.decode()
    assert 'data-testid="fixed-organization-place">黄湖镇 青山村<' in page
    assert "<select" not in page.split('data-testid="fixed-organization"')[0].split("向谁反映")[1]
    assert 'name="district"' not in page and "<option" not in page.split("反映什么事")[0]
    other = re.search(r'href="([^"]+)" data-testid="other-organization">选择其他组织<', page)
    assert other is not None
    again = client.get(other.group(1).replace("&amp;", "&"))
    assert again.context["form"].organization_choice.place == tree.qingshan
    assert choices_on(again)[1:] == [("qingshan", "青山同心荟（黄湖镇 青山村）")]


def test_a_step_without_javascript_keeps_what_was_typed_and_judges_nothing(client, province, issue_form_data):
    data = issue_form_data(organization="", step="place", district=str(province.yuhang.pk))
    response = client.post(reverse("issues:new"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="form-errors"' not in page
    assert "竹林小路塌了一段" in page and "13712345678" in page and "去竹林的小路前天下雨塌了一段" in page
    assert places_listed(response, "town") == sorted(["黄湖镇", "良渚街道", "仁和街道", "瓶窑镇"])
    assert Issue.objects.count() == 0

    searched = client.post(reverse("issues:new"), {**data, "step": "search", "org_q": "青山"})
    assert choices_on(searched)[1:] == [("qingshan", "青山同心荟（黄湖镇 青山村）")]
    assert "竹林小路塌了一段" in searched.content.decode()

    # Enter in the search box presses the form's first button, the place's: with no place chosen it searches.
    entered = client.post(reverse("issues:new"), {**data, "district": "", "org_q": "望湖"})
    assert choices_on(entered)[1:] == [("tianmu-wanghu", "天目共富联盟（望湖村）（龙岗镇 望湖村）")]
    placed = client.post(reverse("issues:new"), {**data, "org_q": "望湖"})
    assert places_listed(placed, "town") and choices_on(placed)[1:] == [], "a place chosen lists that place"


@pytest.mark.parametrize("slug", ["closed-down", "no-such-organization"])
def test_an_organization_out_of_reach_is_refused_in_chinese_and_the_text_stays(
    client, tree, qingshan_tongxinhui, issue_form_data, slug
):
    Organization.objects.create(
        name="已撤销同心荟",
        slug="closed-down",
        kind=OrganizationKind.TONGXINHUI,
        region=tree.qingshan,
        level=OrganizationLevel.VILLAGE,
        is_active=False,
    )
    response = client.post(reverse("issues:new"), issue_form_data(organization=slug))
    assert response.status_code == 200
    page = response.content.decode()
    assert "这个组织暂不接受议题，请重新选择。" in page
    assert "竹林小路塌了一段" in page and "13712345678" in page
    assert "已撤销同心荟" not in page
    assert Issue.objects.count() == 0


def test_an_organization_beyond_the_list_stays_chosen_when_the_form_comes_back(client, province, issue_form_data):
    response = client.post(reverse("issues:new"), issue_form_data(organization="qingshan", title=""))
    assert response.status_code == 200
    assert '<option value="qingshan" selected>' in response.content.decode()


def test_the_choice_block_alone_for_the_phone_s_script(client, province):
    response = client.get(reverse("issues:new_choices"), {"district": province.yuhang.pk, "town": province.huanghu.pk})
    block = response.content.decode()
    assert block.lstrip().startswith("<div") and "<html" not in block
    assert 'name="village"' in block and "青山村" in block
    assert "public" in response["Cache-Control"]
    chosen = client.get(reverse("issues:new_choices"), {"organization": "qingshan"})
    assert '<option value="qingshan" selected>' in chosen.content.decode()


ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"')


def phone_bytes(client, address: str) -> dict[str, int]:
    """What a phone receives for the page and each file it names, compressed as the server sends it."""
    page = client.get(address, HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    received = {address: len(page.content)}
    for url in ASSET.findall(gzip.decompress(page.content).decode()):
        asset = client.get(url.replace("&amp;", "&"), HTTP_ACCEPT_ENCODING="gzip")
        assert asset.status_code == 200, url
        body = b"".join(asset.streaming_content) if asset.streaming else asset.content
        assert asset.get("Content-Encoding") == "gzip", url
        received[url] = len(body)
    return received


@pytest.fixture
def hundred_districts(province):
    """A province's hundred districts and counties: the first list the phone form shows."""
    for number in range(98):
        region_create(name=f"第{number:02d}区", level=RegionLevel.DISTRICT, parent=None)
    return province


@pytest.mark.parametrize("query", ["", "?org=qingshan", "?org_q=黄"])
def test_the_phone_form_and_all_it_loads_fit_in_sixty_kilobytes(client, hundred_districts, query):
    received = phone_bytes(client, reverse("issues:new") + query)
    assert any("bootstrap" in url for url in received) and any("issue_form.js" in url for url in received)
    assert "htmx" not in " ".join(received) and "bootstrap.bundle" not in " ".join(received)
    assert sum(received.values()) < PHONE_BUDGET_BYTES, received
