"""The activity list, the roster and the meeting list read what their page shows, not the whole scope's history:
the same rows in the same order, as many queries for 10 activities and meetings as for 300, and, on tables grown
to a few thousand rows, plans that fetch a village's rows by its index instead of reading every row of the
province."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Activity, ActivityCategory, ActivityForm, ActivityStatus
from activities.scoping import activities_for
from consultations.models import AgendaItem, Issue, Meeting, MeetingState
from consultations.selectors import meeting_list
from members.models import Person, Stratum
from members.scoping import persons_for
from orgs.models import Organization
from portal.accounts.models import User
from portal.scoping import Action
from tests.staff_scale.conftest import grow_town

STAFF = ["district_admin_yuhang", "town_staff_huanghu", "village_staff_qingshan"]
LISTS = ["/staff/activities/", "/staff/issues/meetings/", "/staff/roster/"]


def plan_activities(organizations: list[Organization], creator: User, *, per_organization: int, start: int = 0) -> None:
    """Activities hosted by each organization, every other one co-hosted by the next organization too."""
    now = timezone.now()
    activities = Activity.objects.bulk_create(
        Activity(
            host=organization,
            title=f"规模活动{start}-{index}-{number}",
            category=ActivityCategory.HERITAGE,
            form=ActivityForm.TALK,
            starts_at=now - datetime.timedelta(days=number * 7 + index % 5, hours=index % 24),
            ends_at=now - datetime.timedelta(days=number * 7 + index % 5, hours=index % 24 - 2),
            place="村文化礼堂",
            capacity=30,
            signup_deadline=now - datetime.timedelta(days=number * 7 + index % 5 + 1),
            status=ActivityStatus.COMPLETED,
            created_by=creator,
        )
        for index, organization in enumerate(organizations)
        for number in range(per_organization)
    )
    co_host = Activity.co_hosts.through
    co_host.objects.bulk_create(
        co_host(activity_id=activity.pk, organization_id=organizations[(position + 1) % len(organizations)].pk)
        for position, activity in enumerate(activities)
        if position % 2 == 0
    )


def hold_meetings(organizations: list[Organization], creator: User, *, per_organization: int) -> None:
    """Held meetings, each with the organization's issue on its agenda."""
    now = timezone.now()
    issues = {issue.organization_id: issue for issue in Issue.objects.filter(organization__in=organizations)}
    meetings = Meeting.objects.bulk_create(
        Meeting(
            organization=organization,
            title=f"{organization.name}议事会{number}",
            scheduled_at=now - datetime.timedelta(days=30 * number + index % 7),
            place="村委会",
            state=MeetingState.HELD,
            created_by=creator,
        )
        for index, organization in enumerate(organizations)
        for number in range(per_organization)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, issue=issues[meeting.organization_id])
        for meeting in meetings
        if meeting.organization_id in issues
    )


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("who", STAFF)
def test_the_lists_run_as_many_queries_for_ten_activities_and_meetings_as_for_three_hundred(
    request, who, tree, qingshan_tongxinhui, district_admin_yuhang, signed_in
):
    staff = signed_in(request.getfixturevalue(who))
    organizations = [qingshan_tongxinhui, *grow_town(tree.huanghu, 4)]
    plan_activities(organizations, district_admin_yuhang, per_organization=2)
    hold_meetings(organizations, district_admin_yuhang, per_organization=2)
    for url in LISTS:
        staff.get(url)  # warm the session and the caches
    few = {url: queries_of(staff, url) for url in LISTS}
    more = [*organizations, *grow_town(tree.huanghu, 25, start=4)]
    plan_activities(more, district_admin_yuhang, per_organization=10, start=1)
    hold_meetings(more, district_admin_yuhang, per_organization=10)
    many = {url: queries_of(staff, url) for url in LISTS}
    assert many == few


def test_an_activity_co_hosted_within_the_town_is_listed_once_as_the_town_sees_it(
    tree, qingshan_tongxinhui, wangweishan_tongxinhui, town_staff_huanghu, district_admin_yuhang, signed_in
):
    plan_activities([qingshan_tongxinhui, wangweishan_tongxinhui], district_admin_yuhang, per_organization=3)
    page = signed_in(town_staff_huanghu).get("/staff/activities/")
    listed = [activity.pk for activity in page.context["page"].object_list]
    newest_first = Activity.objects.order_by("-starts_at", "-id").values_list("pk", flat=True)
    assert listed == list(newest_first)


@pytest.mark.parametrize("who", STAFF)
def test_each_list_shows_the_rows_of_the_scope_newest_first_as_a_plain_reading_of_the_scope_would(
    request, who, tree, qingshan_tongxinhui, tianmu_alliance, district_admin_yuhang
):
    user = request.getfixturevalue(who)
    organizations = [qingshan_tongxinhui, tianmu_alliance, *grow_town(tree.huanghu, 6)]
    plan_activities(organizations, district_admin_yuhang, per_organization=3)
    hold_meetings(organizations, district_admin_yuhang, per_organization=2)
    region = user.region.path

    activities = activities_for(user, Action.LIST).order_by("-starts_at", "-id")
    in_scope = [
        activity.pk
        for activity in Activity.objects.prefetch_related("co_hosts").order_by("-starts_at", "-id")
        if any(org.region.path.startswith(region) for org in [activity.host, *activity.co_hosts.all()])
    ]
    assert [activity.pk for activity in activities] == in_scope
    assert in_scope and len(in_scope) < Activity.objects.count()

    meetings = list(meeting_list(user=user))
    assert [meeting.pk for meeting in meetings] == list(
        Meeting.objects.filter(organization__region__path__startswith=region)
        .order_by("-scheduled_at", "-pk")
        .values_list("pk", flat=True)
    )
    # A meeting of a village with an issue has it on its agenda, not yet recorded; 青山同心荟 has none.
    agenda = {meeting.pk: (vars(meeting)["agenda_count"], vars(meeting)["pending_count"]) for meeting in meetings}
    assert agenda == {
        meeting.pk: (1, 1) if meeting.organization_id != qingshan_tongxinhui.pk else (0, 0) for meeting in meetings
    }
    assert (1, 1) in agenda.values() or who == "village_staff_qingshan"


def plan_of(rows: QuerySet) -> str:
    """The plan of a page's query, costed as production costs it (portal/settings/production.py)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL random_page_cost = 1.1")
        return rows.explain()


@pytest.fixture
def province_sized(tree, qingshan_tongxinhui, district_admin_yuhang):
    """A town of 400 villages, each with 20 people, 20 activities and 12 meetings: tables big enough that reading all
    of a table costs more than fetching a village's rows by its index."""
    organizations = [qingshan_tongxinhui, *grow_town(tree.huanghu, 399)]
    for start in range(0, len(organizations), 100):
        chunk = organizations[start : start + 100]
        plan_activities(chunk, district_admin_yuhang, per_organization=20)
        hold_meetings(chunk, district_admin_yuhang, per_organization=12)
        Person.objects.bulk_create(
            Person(name=f"村民{organization.pk}-{number}", region_id=organization.region_id, stratum=Stratum.FREELANCER)
            for organization in chunk
            for number in range(20)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return organizations


def test_a_village_secretary_s_lists_read_the_village_s_rows_by_index_in_a_town_of_four_hundred_villages(
    province_sized, village_staff_qingshan
):
    activities = activities_for(village_staff_qingshan, Action.LIST).order_by("-starts_at", "-id")[:30]
    plan = plan_of(activities)
    assert "Seq Scan on activities_activity " not in plan
    assert "Unique" not in plan  # no DISTINCT over the scope's activities

    # The village's people are fetched by id, not found walking the whole table (by a scan or in name order).
    people = plan_of(persons_for(village_staff_qingshan, Action.LIST).order_by("name", "id")[:30])
    assert "Seq Scan on members_person " not in people
    assert "members_person_pkey" in people


def test_the_meeting_list_counts_the_agenda_of_the_listed_meetings_only(province_sized, town_staff_huanghu):
    plan = plan_of(meeting_list(user=town_staff_huanghu)[:20])
    assert "Seq Scan on consultations_agendaitem" not in plan
    assert "GroupAggregate" not in plan.split("SubPlan")[0]  # nothing grouped before the newest 20 are taken
