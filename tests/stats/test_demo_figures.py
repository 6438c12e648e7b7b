"""The demo makes the dashboard show the seeds' figures (seed 000: 青山同心荟; seed 001: 鹿城区)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from orgs.models import Organization, Region
from portal.accounts.models import User
from stats.dashboard import dashboard
from stats.periods import Period, PeriodKind
from stats.scoping import Focus


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def figures(focus):
    today = timezone.localdate()
    admin = User.objects.get(username="admin")
    return dashboard(user=admin, focus=focus, period=Period.of(PeriodKind.YEAR, today), today=today)


def rows(board, key):
    table = board.table(key)
    assert table is not None
    return {row.label: row.values for row in table.rows}


def headline(board, label):
    return {each.label: each.value for each in board.headlines}[label]


def test_the_dashboard_shows_the_figures_of_seed_000_for_qingshan_and_of_seed_001_for_lucheng(demo):
    qingshan = Organization.objects.get(slug="qingshan")
    board = figures(Focus(region=qingshan.region, organization=qingshan))

    assert headline(board, "在册会员") == 59
    members = rows(board, "members")
    assert members["自由职业人员"][0] == 26
    assert members["外籍观察员"][0] == 3
    growth = rows(board, "growth")
    assert growth["2019-02-28"] == (21, 10)
    # The demo publishes fewer results than seed 000's 42 (README, 统计看板): the counter says what it holds.
    assert headline(board, "已解决议题") > 0
    meetings = list(rows(board, "meetings").values())
    assert all(held >= 1 for held, _hosts, _none in meetings[:-1])

    # Seed 001 (one seeding for both: loading the demo takes a minute).
    board = figures(Focus(region=Region.objects.get(name="鹿城区", parent=None)))

    categories = rows(board, "org_category")
    assert all(categories[name][0] >= 1 for name in ("孵化型", "联盟型", "文化型", "服务型", "青创型"))
    recognitions = rows(board, "recognitions")["合计"]
    assert recognitions[:2] == (1, 2)  # 1 national, 2 provincial practice-innovation bases
    towns = rows(board, "towns")
    assert towns and all(count >= 1 for (count,) in towns.values())  # 区、镇(街)两级全覆盖
    assert rows(board, "representatives")["人大代表、政协委员合计（人次）"][0] > 0
