"""The daily snapshot: rebuilt for any past day, the same rows however often and from however many workers,
and equal to what the dashboard computes live for that day."""

from __future__ import annotations

import datetime
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from members.models import Stratum
from stats.dashboard import dashboard
from stats.models import DailyFigure
from stats.periods import Period, PeriodKind
from stats.scoping import Focus
from stats.snapshot import kept_members, snapshot_rebuild

DAY = datetime.date(2024, 12, 31)


def kept_rows():
    return sorted(DailyFigure.objects.values_list("metric", "day", "region_id", "organization_id", "value"))


@pytest.fixture
def roster(qingshan_tongxinhui, wangweishan_tongxinhui, enrol):
    for stratum in (Stratum.FREELANCER, Stratum.FREELANCER, Stratum.FOREIGN_OBSERVER):
        enrol(qingshan_tongxinhui, joined_on=datetime.date(2020, 1, 1), stratum=stratum)
    enrol(qingshan_tongxinhui, joined_on=datetime.date(2020, 1, 1), left_on=DAY)  # gone on the day itself
    enrol(wangweishan_tongxinhui, joined_on=datetime.date(2025, 1, 1))  # not yet


def test_a_rebuilt_day_equals_the_dashboard_s_live_figures_for_that_day(
    roster, qingshan_tongxinhui, district_admin_yuhang, tree
):
    snapshot_rebuild(day=DAY)

    kept = kept_members(organizations=Q(region__path__startswith=tree.yuhang.path), day=DAY)
    live = dashboard(
        user=district_admin_yuhang,
        focus=Focus(region=tree.yuhang),
        period=Period(PeriodKind.DATES, DAY, DAY),
        today=timezone.localdate(),
    )
    members = live.table("members")
    assert members is not None
    by_stratum = {row.label: row.values[0] for row in members.rows}
    assert kept == {"members": 3, "members:freelancer": 2, "members:foreign_observer": 1}
    assert by_stratum["合计"] == kept["members"]
    assert by_stratum["自由职业人员"] == kept["members:freelancer"]


def test_rebuilding_twice_gives_the_same_rows(roster, issue_factory):
    snapshot_rebuild(day=DAY)
    first = kept_rows()
    snapshot_rebuild(day=DAY)
    assert kept_rows() == first
    assert first


def test_the_command_rebuilds_a_span_of_past_days_and_refuses_today(roster):
    output = StringIO()
    call_command("stats_rebuild", "--date", "2024-12-30", "--to", "2024-12-31", stdout=output)
    assert "2024-12-30:" in output.getvalue()
    assert set(DailyFigure.objects.values_list("day", flat=True)) == {datetime.date(2024, 12, 30), DAY}
    with pytest.raises(CommandError):
        call_command("stats_rebuild", "--date", timezone.localdate().isoformat())


@pytest.mark.django_db(transaction=True)
def test_two_workers_rebuilding_the_same_day_at_once_leave_one_set_of_rows(tree, enrol):
    from orgs.models import Organization, OrganizationKind, OrganizationLevel

    organization = Organization.objects.create(
        name="青山同心荟",
        slug="qingshan",
        kind=OrganizationKind.TONGXINHUI,
        region=tree.qingshan,
        level=OrganizationLevel.VILLAGE,
    )
    for _ in range(5):
        enrol(organization, joined_on=datetime.date(2020, 1, 1))
    errors: list[BaseException] = []

    def rebuild() -> None:
        try:
            snapshot_rebuild(day=DAY)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=rebuild) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert kept_rows() == [
        ("members", DAY, tree.qingshan.pk, organization.pk, 5),
        ("members:freelancer", DAY, tree.qingshan.pk, organization.pk, 5),
    ]
