"""Members on the public pages are counted per organization, on Beijing's today, from that organization's own
memberships: the home page, /orgs/ and /orgs/<slug>/ show the recount after every roster change and at either
side of midnight, and what a page costs does not grow with the province's rosters or results."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from members import services as member_services
from members.models import Membership, MembershipRole, Person, Stratum

pytestmark = pytest.mark.django_db

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def members_recounted(organization) -> int:
    return (
        Membership.objects.on(timezone.localdate())
        .filter(organization=organization)
        .values("person")
        .distinct()
        .count()
    )


def figures_on_pages(client, organization) -> tuple[int, int, int]:
    home = client.get(reverse("home")).context["organizations"]
    listed = client.get(reverse("orgs:public_list")).context["page"].object_list
    page = client.get(reverse("orgs:public_detail", args=[organization.slug])).context["member_count"]
    on_home = next(each.current_members for each in home if each.pk == organization.pk)
    on_list = next(each.member_count for each in listed if each.pk == organization.pk)
    return on_home, on_list, page


def _person(number: int, region) -> Person:
    return Person.objects.create(
        name=f"会员{number}", phone=f"1380000{number:04d}", region=region, stratum=Stratum.OTHER
    )


@pytest.mark.any_hour
def test_after_each_roster_change_every_page_shows_the_recount(client, qingshan_tongxinhui, village_staff_qingshan):
    org = qingshan_tongxinhui
    today = timezone.localdate()
    joined = [
        member_services.membership_add(
            person=_person(number, org.region),
            organization=org,
            role=MembershipRole.MEMBER,
            joined_on=today - datetime.timedelta(days=30),
            actor=village_staff_qingshan,
        )
        for number in range(3)
    ]
    assert figures_on_pages(client, org) == (3, 3, 3) == (members_recounted(org),) * 3

    member_services.membership_change_role(
        membership=joined[0], role=MembershipRole.SECRETARY_GENERAL, changed_on=today, actor=village_staff_qingshan
    )
    assert figures_on_pages(client, org) == (3, 3, 3) == (members_recounted(org),) * 3

    member_services.membership_end(membership=joined[1], left_on=today, reason="搬迁", actor=village_staff_qingshan)
    assert figures_on_pages(client, org) == (2, 2, 2) == (members_recounted(org),) * 3


@pytest.mark.parametrize(
    ("minutes_after_midnight", "in_qingshan", "in_wangweishan"), [(-1, 2, 0), (1, 1, 1)], ids=["23:59", "00:01"]
)
def test_members_count_on_beijing_today_either_side_of_midnight(
    client, qingshan_tongxinhui, wangweishan_tongxinhui, minutes_after_midnight, in_qingshan, in_wangweishan
):
    """A span that ends, and one that begins, on a day (as a roster sheet may record them ahead) change the
    figures at Beijing's midnight with no write: nothing is kept that would need a sweep."""
    day = datetime.date(2026, 12, 3)
    leaving, staying, arriving = (_person(number, qingshan_tongxinhui.region) for number in range(3))
    since = datetime.date(2020, 1, 1)
    Membership.objects.create(person=leaving, organization=qingshan_tongxinhui, joined_on=since, left_on=day)
    Membership.objects.create(person=staying, organization=qingshan_tongxinhui, joined_on=since)
    Membership.objects.create(person=arriving, organization=wangweishan_tongxinhui, joined_on=day)
    midnight = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=BEIJING)
    with time_machine.travel(midnight + datetime.timedelta(minutes=minutes_after_midnight), tick=False):
        assert figures_on_pages(client, qingshan_tongxinhui) == (in_qingshan,) * 3
        assert figures_on_pages(client, wangweishan_tongxinhui) == (in_wangweishan,) * 3
        assert members_recounted(qingshan_tongxinhui) == in_qingshan
