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

from members.models import Membership, Stratum
from stats.dashboard import dashboard
from stats.models import DailyFigure, SnapshotDay
from stats.periods import Period, PeriodKind
from stats.scoping import Focus
from stats.snapshot import kept_member_counts, kept_members, snapshot_rebuild

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
    places = [
        (metric, DAY, region_id, None, 5)
        for metric in ("place_members", "place_members:freelancer")
        for region_id in tree.qingshan.ancestor_ids
    ]
    assert kept_rows() == sorted(
        [
            ("members", DAY, tree.qingshan.pk, organization.pk, 5),
            ("members:freelancer", DAY, tree.qingshan.pk, organization.pk, 5),
            *places,
        ]
    )


# ---- the growth series read from the kept days -----------------------------------------------------------------


def _growth(user, focus):
    table = dashboard(
        user=user, focus=focus, period=Period.of(PeriodKind.YEAR, timezone.localdate()), today=timezone.localdate()
    ).table("growth")
    assert table is not None
    return {row.label: row.values for row in table.rows}


@pytest.fixture
def town_with_a_member_in_two_villages(qingshan_tongxinhui, wangweishan_tongxinhui, enrol):
    """黄湖镇: a freelancer in both 青山同心荟 and 王位山同心荟 since 2021, and a designer in 青山 since 2022."""
    both = enrol(qingshan_tongxinhui, joined_on=datetime.date(2021, 3, 1), stratum=Stratum.FREELANCER)
    Membership.objects.create(person=both, organization=wangweishan_tongxinhui, joined_on=datetime.date(2021, 5, 1))
    enrol(qingshan_tongxinhui, joined_on=datetime.date(2022, 7, 1), stratum=Stratum.NEW_MEDIA)


def test_a_place_keeps_each_of_its_people_once_however_many_of_its_organizations_they_belong_to(
    town_with_a_member_in_two_villages, tree, qingshan_tongxinhui, wangweishan_tongxinhui
):
    day = datetime.date(2023, 1, 1)
    snapshot_rebuild(day=day)
    place = dict(
        DailyFigure.objects.filter(day=day, metric="place_members", organization__isnull=True).values_list(
            "region_id", "value"
        )
    )
    assert place[tree.huanghu.pk] == 2  # not 3: the freelancer of both villages counts once in the town
    assert place[tree.yuhang.pk] == 2
    assert place[tree.qingshan.pk] == 2 and place[tree.wangweishan.pk] == 1
    per_organization = dict(
        DailyFigure.objects.filter(day=day, metric="members").values_list("organization_id", "value")
    )
    assert per_organization == {qingshan_tongxinhui.pk: 2, wangweishan_tongxinhui.pk: 1}


@pytest.mark.parametrize("place", ["town", "organization"])
def test_the_growth_series_read_from_the_kept_days_equals_the_live_count(
    town_with_a_member_in_two_villages, tree, qingshan_tongxinhui, district_admin_yuhang, place
):
    focus = (
        Focus(region=tree.huanghu) if place == "town" else Focus(region=tree.qingshan, organization=qingshan_tongxinhui)
    )
    live = _growth(district_admin_yuhang, focus)
    for label in list(live)[:-1]:  # every past day of the series; today is never kept
        snapshot_rebuild(day=datetime.date.fromisoformat(label))
    assert SnapshotDay.objects.count() == len(live) - 1
    assert _growth(district_admin_yuhang, focus) == live


def test_a_kept_day_is_read_from_the_snapshot_and_a_day_not_kept_is_counted_live(
    town_with_a_member_in_two_villages, tree, district_admin_yuhang
):
    focus = Focus(region=tree.huanghu)
    snapshot_rebuild(day=datetime.date(2023, 1, 1))
    # What the page shows for a kept day is the kept row: changed here, it shows.
    DailyFigure.objects.filter(
        day=datetime.date(2023, 1, 1), metric="place_members", region=tree.huanghu, organization__isnull=True
    ).update(value=41)
    growth = _growth(district_admin_yuhang, focus)
    assert growth["2023-01-01"] == (41, 1)
    assert growth["2024-01-01"] == (2, 1)  # not kept: counted live
    assert growth[timezone.localdate().isoformat()] == (2, 1)  # today: always live


def test_on_a_kept_day_a_place_without_members_reads_zero(tree, qingshan_tongxinhui, enrol, district_admin_yuhang):
    enrol(qingshan_tongxinhui, joined_on=datetime.date(2023, 6, 1))
    snapshot_rebuild(day=datetime.date(2023, 1, 1))  # before anyone joined: no rows, but the day is kept
    assert kept_member_counts(organization=None, region_id=tree.huanghu.pk, days=[datetime.date(2023, 1, 1)]) == {
        datetime.date(2023, 1, 1): (0, 0)
    }
