"""What the public pages cost does not grow with the province: the same queries for two results and two
members as for a hundred of each (kept counters for the results, per-organization counts for the members)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Membership, Person, Stratum

pytestmark = pytest.mark.django_db

# Enough for any of these pages whatever the volume; the comparison above it checks that it does not grow.
PAGE_QUERY_BOUND = 12


def _member_of(organization, number: int) -> None:
    person = Person.objects.create(
        name=f"会员{number}", phone=f"1380000{number:04d}", region=organization.region, stratum=Stratum.OTHER
    )
    Membership.objects.create(person=person, organization=organization, joined_on=datetime.date(2020, 1, 1))


def test_pages_run_as_many_queries_for_a_big_province_as_for_a_small_one(
    client, tree, qingshan_tongxinhui, wangweishan_tongxinhui, notice_rows, django_assert_max_num_queries
):
    def queries_per_page() -> dict[str, int]:
        counts = {}
        for url in (
            reverse("home"),
            reverse("orgs:public_list"),
            reverse("orgs:public_detail", args=["qingshan"]),
            reverse("notices:board"),
            reverse("notices:board") + "?org=qingshan",
            reverse("notices:board") + f"?region={tree.huanghu.pk}",
            reverse("notices:board") + "?page=2",
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[url] = len(queries)
        return counts

    for number in range(2):
        _member_of(qingshan_tongxinhui, number)
    notice_rows(qingshan_tongxinhui, 2)
    small = queries_per_page()
    for number in range(2, 60):
        _member_of(wangweishan_tongxinhui if number % 2 else qingshan_tongxinhui, number)
    notice_rows(qingshan_tongxinhui, 45)
    notice_rows(wangweishan_tongxinhui, 45, ended=True)
    assert queries_per_page() == small
    for url in small:
        with django_assert_max_num_queries(PAGE_QUERY_BOUND):
            client.get(url)
