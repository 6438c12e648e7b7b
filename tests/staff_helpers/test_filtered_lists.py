"""The three staff lists share one frame: the filters, the count of what they find, the pager, the empty word."""

import datetime
import re

import pytest
from django.urls import reverse

from members.models import Membership, MembershipRole, Person, Stratum

ROSTER = reverse("members:roster")
ISSUE_QUEUE = reverse("staff_issues:queue")
ACTIVITIES = reverse("staff_activities:list")


def count_line(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</p>', page, re.S)
    assert match, f"no {testid} on the page"
    return " ".join(match.group(1).split())


def enrol_craftsmen(organization, count: int) -> None:
    people = Person.objects.bulk_create(
        Person(name=f"竹编匠{index:03d}", region=organization.region, stratum=Stratum.FREELANCER)
        for index in range(count)
    )
    Membership.objects.bulk_create(
        Membership(
            person=person, organization=organization, role=MembershipRole.MEMBER, joined_on=datetime.date(2020, 1, 1)
        )
        for person in people
    )


def test_a_roster_longer_than_a_page_says_how_many_and_which_page_and_the_pager_keeps_the_filters(
    client, village_staff_qingshan, qingshan_tongxinhui
):
    enrol_craftsmen(qingshan_tongxinhui, 51)
    client.force_login(village_staff_qingshan)
    page = client.get(ROSTER, {"q": "竹编匠"}).content.decode()
    assert count_line(page, "roster-count") == "共 51 人 · 第 1/2 页"
    assert 'href="?q=%E7%AB%B9%E7%BC%96%E5%8C%A0&amp;page=2">下一页</a>' in page
    second = client.get(ROSTER, {"q": "竹编匠", "page": "2"}).content.decode()
    assert count_line(second, "roster-count") == "共 51 人 · 第 2/2 页"
    assert second.count('data-testid="roster-row"') == 1


def test_a_short_roster_shows_its_count_without_a_page_number_or_pager(
    client, village_staff_qingshan, craftsman_in_qingshan
):
    client.force_login(village_staff_qingshan)
    page = client.get(ROSTER).content.decode()
    assert count_line(page, "roster-count") == "共 1 人"
    assert "下一页" not in page


@pytest.mark.parametrize(
    ("url", "testid", "count", "label", "nothing", "button"),
    [
        (ROSTER, "roster-count", "共 0 人", "筛选人员", "没有符合条件的人员。", "btn btn-outline-secondary"),
        (ISSUE_QUEUE, "queue-count", "共 0 件", "筛选议题", "这里没有议题。", "btn btn-outline-secondary btn-sm"),
        (ACTIVITIES, "activity-count", "共 0 场活动", "筛选活动", "没有符合条件的活动。", "btn btn-outline-secondary"),
    ],
)
def test_an_empty_list_says_so_under_its_filters_and_offers_to_clear_them(
    client, village_staff_qingshan, qingshan_tongxinhui, url, testid, count, label, nothing, button
):
    client.force_login(village_staff_qingshan)
    page = client.get(url, {"organization": str(qingshan_tongxinhui.pk)}).content.decode()
    assert f'role="search" aria-label="{label}"' in page
    assert count_line(page, testid) == count
    assert nothing in page
    assert "<table" not in page.split(f'data-testid="{testid}"')[1]
    assert f'<a class="{button}" href="{url}">清除</a>' in page


@pytest.mark.parametrize(("url", "target"), [(ROSTER, "roster-more-filters"), (ISSUE_QUEUE, "queue-more-filters")])
def test_the_folded_filters_open_by_themselves_when_one_of_them_is_in_use(
    client, village_staff_qingshan, qingshan_tongxinhui, url, target
):
    client.force_login(village_staff_qingshan)
    folded = client.get(url).content.decode()
    assert f'class="collapse" id="{target}"' in folded
    assert f'data-bs-target="#{target}" aria-expanded="false"' in " ".join(folded.split())
    opened = client.get(url, {"organization": str(qingshan_tongxinhui.pk)}).content.decode()
    assert f'class="collapse show" id="{target}"' in opened
    assert f'data-bs-target="#{target}" aria-expanded="true"' in " ".join(opened.split())
