"""A year's roster imports in queries that grow with its rows, not with rows times rows (issue 10)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.db import connection

from members.models import Membership, Person
from tests.members.test_roster_excel import upload

pytestmark = pytest.mark.django_db

# What one new person and their membership cost through the services, savepoints and history rows included.
QUERIES_PER_ROW = 24


@contextlib.contextmanager
def queries_counted() -> Iterator[list[int]]:
    # Counted as they run: the test database's query log keeps only the last 9,000.
    counted = [0]

    def counting(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        yield counted


def roster(rows: int, *, known: Person) -> list[list[object]]:
    # The file's first row speaks of someone already on the roster, by phone: found, not registered again.
    place = ["青山村", "青山同心荟"]
    craftsman = [known.name, "男", known.phone, "自由职业人员", "竹编手工艺者", "手工艺", "竹编", "群众", "是"]
    sheet: list[list[object]] = [[*craftsman, *place, "会长", "2019-02-28", None]]
    for number in range(1, rows):
        person = [f"村民{number}", "女" if number % 2 else "男", f"197{number:08d}", "新媒体从业人员", "个体经营"]
        sheet.append([*person, "农业", "", "群众", "否", *place, "会员", "2024-03-01", None])
    return sheet


def previewed(client, rows: list[list[object]]) -> int:
    with queries_counted() as counted:
        preview = upload(client, rows)
    assert "confirm_form" in preview.context, preview.context["result"].invalid_rows[:3]
    return counted[0]


def test_a_town_previews_a_long_roster_in_a_bounded_number_of_queries_per_row(
    client, craftsman_in_qingshan, town_staff_huanghu
):
    # Rows checked against every earlier row would show as the longer file costing more than twice the shorter.
    client.force_login(town_staff_huanghu)
    shorter = previewed(client, roster(150, known=craftsman_in_qingshan))
    longer = previewed(client, roster(300, known=craftsman_in_qingshan))

    assert longer < QUERIES_PER_ROW * 300
    assert longer < 2.5 * shorter
    # A preview is a dry run: nothing of either file stays.
    assert Person.objects.count() == 1
    assert Membership.objects.count() == 1
