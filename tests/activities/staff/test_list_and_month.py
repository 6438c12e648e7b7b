"""The list across the organizations in scope, the "this month" panel and one organization's month."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity
from activities.selectors import Month
from orgs.models import Organization, OrganizationKind, OrganizationLevel, RegionLevel
from orgs.services import region_create

pytestmark = [pytest.mark.django_db, pytest.mark.any_hour]


def earlier_this_month() -> datetime.datetime:
    """A moment of the current month that has already passed (halfway between its start and now)."""
    month_start = Month.containing(timezone.now()).starts_at
    return month_start + (timezone.now() - month_start) / 2


def place_at(activity: Activity, starts_at: datetime.datetime) -> Activity:
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        signup_deadline=starts_at - datetime.timedelta(hours=1),
    )
    activity.refresh_from_db()
    return activity


def test_an_organization_with_no_activity_this_month_stands_out(
    staff_client, town_staff_huanghu, activity_factory, wangweishan_tongxinhui
):
    place_at(activity_factory(), earlier_this_month())
    response = staff_client(town_staff_huanghu).get(reverse("staff_activities:list"))
    planned = {row.name: row.planned for row in response.context["planned"]}
    assert planned == {"青山同心荟": 1, "王位山同心荟": 0}
    page = response.content.decode()
    assert page.count('data-testid="no-activity-flag"') == 1
    assert "本月尚未安排活动" in page
    # The one lacking an activity comes first.
    assert response.context["planned"][0].name == "王位山同心荟"


def test_drafts_cancelled_activities_and_other_months_do_not_count_as_planned(
    staff_client, village_staff_qingshan, activity_factory
):
    place_at(activity_factory(publish=False), earlier_this_month())
    place_at(activity_factory(), Month.containing(timezone.now()).shifted(-1).starts_at + datetime.timedelta(days=3))
    response = staff_client(village_staff_qingshan).get(reverse("staff_activities:list"))
    assert [row.planned for row in response.context["planned"]] == [0]


def test_a_visit_counts_for_the_co_host_too(staff_client, town_staff_huanghu, activity_factory, wangweishan_tongxinhui):
    visit = activity_factory(form="exchange_visit", co_hosts=[wangweishan_tongxinhui])
    place_at(visit, earlier_this_month())
    response = staff_client(town_staff_huanghu).get(reverse("staff_activities:list"))
    assert {row.name: row.planned for row in response.context["planned"]} == {"青山同心荟": 1, "王位山同心荟": 1}


def test_the_list_filters_by_organization_status_and_month(
    staff_client, town_staff_huanghu, activity_factory, wangweishan_tongxinhui, village_staff_qingshan
):
    activity_factory(title="青山的草稿", publish=False)
    visit = activity_factory(title="互访王位山", form="exchange_visit", co_hosts=[wangweishan_tongxinhui])
    client = staff_client(town_staff_huanghu)
    by_org = client.get(reverse("staff_activities:list"), {"organization": wangweishan_tongxinhui.pk})
    assert [a.title for a in by_org.context["page"].object_list] == ["互访王位山"]
    drafts = client.get(reverse("staff_activities:list"), {"status": "draft"})
    assert [a.title for a in drafts.context["page"].object_list] == ["青山的草稿"]
    month = Month.containing(visit.starts_at)
    in_month = client.get(reverse("staff_activities:list"), {"month": month.key})
    assert in_month.context["page"].paginator.count == 2
    other = client.get(reverse("staff_activities:list"), {"month": month.shifted(-2).key})
    assert other.context["page"].paginator.count == 0


def test_sign_up_counts_are_not_multiplied_by_co_hosts(
    staff_client, town_staff_huanghu, activity_factory, sign_up_people, tree
):
    partners = [
        Organization.objects.create(
            name=f"伙伴{index}",
            slug=f"partner-{index}",
            kind=OrganizationKind.TONGXINHUI,
            region=tree.huanghu,
            level=OrganizationLevel.TOWN,
        )
        for index in range(3)
    ]
    visit = activity_factory(audience="public", form="exchange_visit", co_hosts=partners)
    sign_up_people(visit, 2)
    response = staff_client(town_staff_huanghu).get(reverse("staff_activities:list"))
    [row] = response.context["page"].object_list
    assert row.confirmed_count == 2


def make_organizations(tree, count: int) -> list[Organization]:
    town = region_create(name=f"测试镇{count}", level=RegionLevel.TOWN, parent=tree.yuhang)
    organizations = []
    for index in range(count):
        village = region_create(name=f"村{count}-{index}", level=RegionLevel.VILLAGE, parent=town)
        organizations.append(
            Organization.objects.create(
                name=f"同心荟{count}-{index}",
                slug=f"org-{count}-{index}",
                kind=OrganizationKind.TONGXINHUI,
                region=village,
                level=OrganizationLevel.VILLAGE,
            )
        )
    return organizations


@pytest.mark.parametrize("url_name", ["staff_activities:list", "staff_activities:figures"])
def test_list_and_figures_pages_run_the_same_queries_for_3_and_30_organizations(
    url_name, staff_client, district_admin_yuhang, activity_factory, sign_up_people, tree, move_to_past
):
    client = staff_client(district_admin_yuhang)

    def queries_with(count: int) -> int:
        for organization in make_organizations(tree, count):
            activity = activity_factory(host=organization, actor=district_admin_yuhang, audience="public")
            sign_up_people(activity, 2, first_phone=f"1350000{organization.pk:04d}")
            past = move_to_past(activity_factory(host=organization, actor=district_admin_yuhang), days_ago=20)
            Activity.objects.filter(pk=past.pk).update(status="completed")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        return len(captured.captured_queries)

    few = queries_with(3)
    many = queries_with(27)  # 30 organizations in all
    assert few == many
    assert few <= 14


def test_the_month_view_is_a_calendar_from_monday(staff_client, village_staff_qingshan, activity_factory):
    activity = activity_factory(title="展览参观：水的一生")
    month = Month.containing(activity.starts_at)
    response = staff_client(village_staff_qingshan).get(reverse("staff_activities:month"), {"month": month.key})
    page = response.content.decode()
    assert response.context["weekday_names"][0] == "周一"
    assert response.context["weekday_names"][-1] == "周日"
    for week in response.context["weeks"]:
        assert len(week) == 7
        assert week[0].day.weekday() == 0
    day = timezone.localtime(activity.starts_at).date()
    cells = [cell for week in response.context["weeks"] for cell in week if cell.day == day]
    assert [a.title for a in cells[0].activities] == ["展览参观：水的一生"]
    assert "展览参观：水的一生" in page
    assert f"month={month.shifted(-1).key}" in page
    assert f"month={month.shifted(1).key}" in page


def test_an_empty_month_says_nothing_is_planned(staff_client, village_staff_qingshan, qingshan_tongxinhui):
    response = staff_client(village_staff_qingshan).get(
        reverse("staff_activities:month"), {"org": qingshan_tongxinhui.pk, "month": "2031-02"}
    )
    assert response.context["month"] == Month(2031, 2)
    assert 'data-testid="month-empty"' in response.content.decode()


def test_the_month_view_of_an_organization_out_of_scope_is_not_found(
    staff_client, village_staff_qingshan, tianmu_alliance
):
    response = staff_client(village_staff_qingshan).get(reverse("staff_activities:month"), {"org": tianmu_alliance.pk})
    assert response.status_code == 404


def test_the_month_view_runs_a_bounded_number_of_queries(
    staff_client, village_staff_qingshan, activity_factory, django_assert_max_num_queries
):
    for days in range(1, 15):
        activity_factory(starts_in=datetime.timedelta(days=days))
    client = staff_client(village_staff_qingshan)
    with django_assert_max_num_queries(10):
        client.get(reverse("staff_activities:month"))
