"""The notice board and the organization list are narrowed place first: 区/县 → 镇/街道 → 村/社区.

A province holds 100 districts, 1,300 towns and 20,000 villages: each list holds only the places inside the one
chosen above it, a plain GET form brings the next list without JavaScript, and the page costs the same queries
however many places there are. Links saved before the steps (?region=, ?org=) still filter.
"""

from __future__ import annotations

import gzip
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgs.models import Organization, OrganizationKind, OrganizationLevel, Region, RegionLevel
from orgs.services import region_create

pytestmark = pytest.mark.django_db

BOARD = reverse("notices:board")
ORGS = reverse("orgs:public_list")
PAGES = [BOARD, ORGS]
PAGE_BUDGET_BYTES = 60 * 1024


def places_listed(response, step: str) -> list[str]:
    """The names offered by the step's select, without its 全部 option; [] when the page shows no such step."""
    found = re.search(rf'<select[^>]*id="place-{step}"[^>]*>(.*?)</select>', response.content.decode(), re.S)
    if found is None:
        return []
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', found.group(1))
    assert options[0][0] == "", "each step starts with 全部"
    return [name for _value, name in options[1:]]


def place_chosen(response, step: str) -> str | None:
    found = re.search(rf'<select[^>]*id="place-{step}"[^>]*>(.*?)</select>', response.content.decode(), re.S)
    chosen = re.search(r"<option [^>]*selected>([^<]*)</option>", found.group(1)) if found else None
    return chosen.group(1) if chosen else None


def names_on(response) -> list[str]:
    """What the page lists: notice titles on the board, organization names on the list."""
    page = response.context["page"]
    return sorted(getattr(row, "title", None) or row.name for row in page.object_list)


def village_organization(town, name: str, slug: str) -> Organization:
    village = region_create(name=f"{name}村", level=RegionLevel.VILLAGE, parent=town)
    return Organization.objects.create(
        name=f"{name}同心荟",
        slug=slug,
        kind=OrganizationKind.TONGXINHUI,
        region=village,
        level=OrganizationLevel.VILLAGE,
    )


@pytest.fixture
def places(tree, qingshan_tongxinhui, wangweishan_tongxinhui, tianmu_alliance, notice_rows):
    """The suite's places with one notice for each organization, and 良渚街道 in 余杭区 with 良渚 of its own."""
    liangzhu = region_create(name="良渚街道", level=RegionLevel.TOWN, parent=tree.yuhang)
    tree.liangzhu = liangzhu
    tree.liangzhu_tongxinhui = village_organization(liangzhu, "良渚", "liangzhu")
    for organization, title in (
        (qingshan_tongxinhui, "青山"),
        (wangweishan_tongxinhui, "王位山"),
        (tianmu_alliance, "天目"),
        (tree.liangzhu_tongxinhui, "良渚"),
    ):
        notice_rows(organization, 1, title=title)
    return tree


def grow_to_300_places(tree) -> None:
    """Ten districts more, each with four towns of six villages: 290 places more."""
    for district_number in range(10):
        district = region_create(name=f"新区{district_number:02d}", level=RegionLevel.DISTRICT, parent=None)
        for town_number in range(4):
            name = f"新镇{district_number:02d}{town_number}"
            town = region_create(name=name, level=RegionLevel.TOWN, parent=district)
            for village_number in range(6):
                region_create(name=f"新村{town.pk}-{village_number}", level=RegionLevel.VILLAGE, parent=town)
    for town_number in range(40):
        region_create(name=f"黄湖新村{town_number:02d}", level=RegionLevel.VILLAGE, parent=tree.huanghu)


@pytest.mark.parametrize("page", PAGES)
def test_each_list_holds_only_the_places_inside_the_one_chosen_above(client, places, page):
    start = client.get(page)
    assert sorted(places_listed(start, "district")) == sorted(["余杭区", "临安区"])
    assert places_listed(start, "town") == [] and places_listed(start, "village") == []

    district = client.get(page, {"district": places.yuhang.pk})
    assert place_chosen(district, "district") == "余杭区"
    assert sorted(places_listed(district, "town")) == sorted(["黄湖镇", "良渚街道"]), "not 临安区's 龙岗镇"
    assert places_listed(district, "village") == []

    town = client.get(page, {"district": places.yuhang.pk, "town": places.huanghu.pk})
    assert sorted(places_listed(town, "village")) == sorted(["青山村", "王位山村"])


def test_choosing_a_district_then_a_town_then_a_village_narrows_the_board(client, places):
    assert names_on(client.get(BOARD)) == sorted(["青山0", "王位山0", "天目0", "良渚0"])
    district = {"district": places.yuhang.pk}
    assert names_on(client.get(BOARD, district)) == sorted(["青山0", "王位山0", "良渚0"])
    town = {**district, "town": places.huanghu.pk}
    assert names_on(client.get(BOARD, town)) == sorted(["青山0", "王位山0"])
    village = {**town, "village": places.qingshan.pk}
    response = client.get(BOARD, village)
    assert names_on(response) == ["青山0"]
    assert "青山村" in response.content.decode()  # the counter names the place


def test_choosing_a_district_then_a_town_narrows_the_organization_list(client, places):
    district = {"district": places.linan.pk}
    assert names_on(client.get(ORGS, district)) == ["天目共富联盟（望湖村）"]
    town = {"district": places.yuhang.pk, "town": places.liangzhu.pk}
    assert names_on(client.get(ORGS, town)) == ["良渚同心荟"]
    kind = {**town, "kind": OrganizationKind.PROSPERITY_ALLIANCE}
    assert names_on(client.get(ORGS, kind)) == []


def test_a_town_offers_its_organizations_and_a_district_of_many_asks_for_the_next_place(client, places):
    town = client.get(BOARD, {"district": places.yuhang.pk, "town": places.huanghu.pk}).content.decode()
    assert 'value="qingshan"' in town and 'value="wangweishan"' in town and 'value="liangzhu"' not in town

    for number in range(51):
        village_organization(places.liangzhu, f"良渚{number:02d}", f"liangzhu-{number:02d}")
    district = client.get(BOARD, {"district": places.yuhang.pk}).content.decode()
    assert 'value="qingshan"' not in district
    assert "这里的组织较多，请先选择下一级地点。" in district


def test_links_saved_before_the_steps_still_filter(client, places):
    response = client.get(BOARD, {"region": places.huanghu.pk})
    assert names_on(response) == sorted(["青山0", "王位山0"])
    assert place_chosen(response, "district") == "余杭区" and place_chosen(response, "town") == "黄湖镇"

    response = client.get(BOARD, {"org": "qingshan"})
    assert names_on(response) == ["青山0"]
    assert place_chosen(response, "town") == "黄湖镇" and place_chosen(response, "village") == "青山村"
    assert 'value="qingshan" selected' in response.content.decode()

    assert names_on(client.get(BOARD, {"region": places.huanghu.pk, "org": "wangweishan"})) == ["王位山0"]
    assert names_on(client.get(ORGS, {"region": places.linan.pk})) == ["天目共富联盟（望湖村）"]
    kept = client.get(ORGS, {"region": places.yuhang.pk, "kind": OrganizationKind.TONGXINHUI})
    assert names_on(kept) == sorted(["青山同心荟", "王位山同心荟", "良渚同心荟"])


def test_a_changed_district_drops_the_town_and_the_organization_of_the_old_one(client, places):
    """Without JavaScript the form sends the old town and organization along with the newly chosen district."""
    response = client.get(BOARD, {"district": places.linan.pk, "town": places.huanghu.pk, "org": "qingshan"})
    assert names_on(response) == ["天目0"]
    assert place_chosen(response, "district") == "临安区" and place_chosen(response, "town") is None
    assert places_listed(response, "town") == ["龙岗镇"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "query", [{"district": "999999"}, {"district": "abc", "town": "1"}, {"village": "0"}, {"region": "-3"}]
)
def test_an_unknown_place_shows_everything(client, places, page, query):
    response = client.get(page, query)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 4
    assert places_listed(response, "town") == []


@pytest.mark.parametrize(("page", "message"), [(BOARD, "找不到这个地点。"), (ORGS, "筛选条件无效")])
def test_an_unknown_region_of_an_old_link_shows_everything_and_says_so(client, places, page, message):
    response = client.get(page, {"region": 999999})
    assert len(response.context["page"].object_list) == 4
    assert message in response.content.decode()


def _queries(client, page: str, query: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page, query)
        assert response.status_code == 200
    return len(queries)


def test_both_pages_run_as_many_queries_for_300_places_as_for_a_few(client, places):
    queries = [
        {},
        {"district": places.yuhang.pk},
        {"district": places.yuhang.pk, "town": places.huanghu.pk},
        {"district": places.yuhang.pk, "town": places.huanghu.pk, "village": places.qingshan.pk},
        {"region": places.huanghu.pk},
        {"org": "qingshan"},
    ]
    few = {(page, str(query)): _queries(client, page, query) for page in PAGES for query in queries}
    grow_to_300_places(places)
    assert Region.objects.count() >= 300
    many = {(page, str(query)): _queries(client, page, query) for page in PAGES for query in queries}
    assert many == few
    assert max(few[(BOARD, str(query))] for query in queries) <= 9


def test_a_town_of_many_villages_stays_small_on_the_wire(client, places):
    grow_to_300_places(places)
    for page in PAGES:
        response = client.get(page, {"district": places.yuhang.pk, "town": places.huanghu.pk})
        assert len(places_listed(response, "village")) == 42
        assert len(places_listed(response, "district")) == 12
        assert len(gzip.compress(response.content)) < PAGE_BUDGET_BYTES
