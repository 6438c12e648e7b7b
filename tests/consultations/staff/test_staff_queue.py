"""The work queue: only the secretary's own village, by state, filtered, overdue on top, in bounded queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Assignment, Issue, IssueCategory, IssueChannel
from consultations.states import IssueState
from portal.workdays import add_working_days
from tests.consultations.staff.conftest import detail_url, queue_url, receipts_in

S = IssueState
pytestmark = pytest.mark.django_db


def test_village_staff_never_see_another_villages_issues(secretary, issue_factory, neighbour_issue):
    own = issue_factory(title="村口路灯不亮")
    response = secretary.get(queue_url())
    assert response.status_code == 200
    assert receipts_in(response) == [own.receipt_code]
    assert neighbour_issue.title not in response.content.decode()


def test_town_staff_see_every_village_of_their_town(client, town_staff_huanghu, issue_factory, neighbour_issue):
    own = issue_factory()
    client.force_login(town_staff_huanghu)
    assert set(receipts_in(client.get(queue_url()))) == {own.receipt_code, neighbour_issue.receipt_code}


def test_staff_of_another_district_see_nothing_of_ours(client, village_staff_wanghu, issue_factory):
    issue_factory()
    client.force_login(village_staff_wanghu)
    assert receipts_in(client.get(queue_url())) == []


@pytest.mark.parametrize("persona", ["handler_huanghu", "member_craftsman"])
@pytest.mark.parametrize("url_name", ["queue", "enter", "meetings", "meeting_new"])
def test_handlers_and_members_are_refused_the_staff_pages(client, request, persona, url_name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(f"staff_issues:{url_name}")).status_code == 403


def test_handler_is_refused_even_an_issue_assigned_to_the_department(client, handler_huanghu, issue_in_state):
    issue = issue_in_state(S.ASSIGNED)
    client.force_login(handler_huanghu)
    assert client.get(detail_url(issue)).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(queue_url())
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_guessing_an_issue_id_of_another_village_answers_404(secretary, neighbour_issue):
    assert secretary.get(detail_url(neighbour_issue)).status_code == 404
    response = secretary.post(reverse("staff_issues:act", args=[neighbour_issue.pk, "accept"]), {})
    assert response.status_code == 404
    neighbour_issue.refresh_from_db()
    assert neighbour_issue.state == S.SUBMITTED


def test_tabs_count_the_issues_of_each_state_and_show_one_state(secretary, issue_factory, issue_in_state):
    issue_factory()
    issue_factory()
    accepted = issue_in_state(S.ACCEPTED)
    rejected = issue_in_state(S.REJECTED)
    response = secretary.get(queue_url())
    counts = {value: count for value, _label, count in response.context["tabs"]}
    assert counts["submitted"] == 2
    assert counts["accepted"] == 1
    assert counts["open"] == 3
    assert counts["ended"] == 1
    assert rejected.receipt_code not in receipts_in(response)

    assert receipts_in(secretary.get(queue_url(tab="accepted"))) == [accepted.receipt_code]
    assert receipts_in(secretary.get(queue_url(tab="ended"))) == [rejected.receipt_code]
    page = secretary.get(queue_url(tab="accepted")).content.decode()
    assert "待受理" in page and "已结束" in page


def test_filters_narrow_the_queue(
    client, town_staff_huanghu, issue_factory, neighbour_issue, qingshan_tongxinhui, village_staff_qingshan
):
    lamp = issue_factory(title="村口路灯不亮", category=IssueCategory.INFRASTRUCTURE)
    water = issue_factory(title="溪水发黑", category=IssueCategory.ENVIRONMENT)
    slip = issue_factory(
        title="垃圾清运太少",
        category=IssueCategory.ENVIRONMENT,
        channel=IssueChannel.PAPER,
        entered_by=village_staff_qingshan,
    )
    old = issue_factory(title="旧事一件")
    Issue.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    client.force_login(town_staff_huanghu)

    def shown(**params):
        return set(receipts_in(client.get(queue_url(**params))))

    assert shown(organization=str(qingshan_tongxinhui.pk)) == {
        lamp.receipt_code,
        water.receipt_code,
        slip.receipt_code,
        old.receipt_code,
    }
    assert shown(category=IssueCategory.ENVIRONMENT) == {water.receipt_code, slip.receipt_code}
    assert shown(channel=IssueChannel.PAPER) == {slip.receipt_code}
    assert shown(q="路灯") == {lamp.receipt_code}
    spaced_code = f"{water.receipt_code[:4]} {water.receipt_code[4:]}"
    assert shown(q=spaced_code) == {water.receipt_code}
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert old.receipt_code not in shown(submitted_after=since)
    assert shown(submitted_before=since) == {old.receipt_code}


def test_organization_filter_offers_only_organizations_in_scope(secretary, issue_factory, wangweishan_tongxinhui):
    issue_factory()
    form = secretary.get(queue_url()).context["filter"].form
    assert wangweishan_tongxinhui not in form.fields["organization"].queryset


@pytest.mark.any_hour
def test_issue_waiting_for_triage_over_two_working_days_is_overdue_and_on_top(secretary, issue_factory):
    fresh = issue_factory(title="刚提交的")
    waiting = issue_factory(title="等了很久的")
    long_ago = timezone.now() - datetime.timedelta(days=10)
    Issue.objects.filter(pk=waiting.pk).update(created_at=long_ago, state_changed_at=long_ago)
    response = secretary.get(queue_url())
    rows = list(response.context["page"].object_list)
    assert [row.receipt_code for row in rows] == [waiting.receipt_code, fresh.receipt_code]
    assert rows[0].is_overdue and not rows[1].is_overdue
    page = response.content.decode()
    assert "超过 2 个工作日未受理" in page
    assert response.context["overdue_count"] == 1


@pytest.mark.any_hour
def test_issue_submitted_today_is_not_overdue(secretary, issue_factory):
    issue_factory()
    rows = list(secretary.get(queue_url()).context["page"].object_list)
    assert not rows[0].is_overdue


@pytest.mark.any_hour
def test_assigned_issue_past_its_deadline_is_overdue_and_on_top(secretary, issue_in_state, issue_factory):
    in_time = issue_in_state(S.ASSIGNED, title="按期办理中")
    late = issue_in_state(S.ASSIGNED, title="部门超期未答复")
    issue_factory(title="新议题")
    Assignment.objects.filter(issue=late).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    response = secretary.get(queue_url())
    rows = list(response.context["page"].object_list)
    assert rows[0].receipt_code == late.receipt_code and rows[0].is_overdue
    in_time_row = next(row for row in rows if row.pk == in_time.pk)
    assert not in_time_row.is_overdue
    assert in_time_row.live_deadline == add_working_days(timezone.localdate(), 15)
    assert "黄湖镇农业农村办" in response.content.decode()


def _bulk_issues(organization, count: int, *, entered_by=None) -> None:
    now = timezone.now()
    Issue.objects.bulk_create(
        Issue(
            organization=organization,
            region_id=organization.region_id,
            receipt_code=f"{90000000 + number}",
            title=f"议题{number}",
            description="说明",
            category=IssueCategory.OTHER,
            submitter_name="村民",
            submitter_phone="13900000000",
            state=S.SUBMITTED if number % 2 else S.ACCEPTED,
            state_changed_at=now - datetime.timedelta(days=number % 9),
            entered_by=entered_by,
        )
        for number in range(count)
    )


def test_queue_runs_the_same_number_of_queries_for_5_and_200_issues(
    secretary, qingshan_tongxinhui, village_staff_qingshan, django_assert_max_num_queries
):
    _bulk_issues(qingshan_tongxinhui, 5, entered_by=village_staff_qingshan)
    secretary.get(queue_url())  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        secretary.get(queue_url())
    Issue.objects.all().delete()
    _bulk_issues(qingshan_tongxinhui, 200, entered_by=village_staff_qingshan)
    with CaptureQueriesContext(connection) as many:
        response = secretary.get(queue_url())
    assert len(response.context["page"].object_list) == 30
    assert len(few) == len(many)
    with django_assert_max_num_queries(12):
        secretary.get(queue_url(tab="submitted", q="议题", category=IssueCategory.OTHER))


@pytest.mark.parametrize(
    "end",
    [
        datetime.date(2025, 10, 9),  # the Thursday after the National Day week; 9-28 and 10-11 are 调休 workdays
        datetime.date(2025, 2, 5),  # the first workday after the Spring Festival
        datetime.date(2025, 6, 4),  # an ordinary Wednesday
        datetime.date(2025, 6, 9),  # a Monday
    ],
)
def test_triage_clock_counts_back_three_chinese_working_days(end):
    from portal.workdays import latest_start_with_working_days, working_days_between

    start = latest_start_with_working_days(end, 3)
    assert working_days_between(start, end) >= 3
    assert working_days_between(start + datetime.timedelta(days=1), end) < 3
