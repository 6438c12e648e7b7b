"""Village staff hear of issues waiting for triage, issues waiting for a meeting, and a month without activity."""

from __future__ import annotations

import datetime

import pytest

from activities import services as activity_services
from activities.models import Activity
from activities.reminders import organizations_remind_no_activity
from consultations.models import Issue
from consultations.reminders import issues_remind_agenda, issues_remind_triage
from orgs.models import Organization, OrganizationKind, OrganizationLevel
from portal.notifications.kinds import Channel, Kind
from tests.reminders.reminder_helpers import at, count_queries, inbox_recipients, issue_copies, outbox

pytestmark = pytest.mark.any_hour

D = datetime.date


def submitted_on(issue: Issue, moment: datetime.datetime) -> None:
    Issue.objects.filter(pk=issue.pk).update(state_changed_at=moment, created_at=moment)


# ---- triage ---------------------------------------------------------------------------------------------------


def test_village_staff_hear_of_an_issue_waiting_for_triage_more_than_two_working_days(
    issue_factory, village_staff_qingshan, village_staff_wanghu, town_staff_huanghu
):
    issue = issue_factory(title="竹林步道塌方")
    submitted_on(issue, at(D(2026, 11, 16), 10))  # a Monday morning

    issues_remind_triage(today=D(2026, 11, 18))  # two working days: not yet
    assert not outbox(Kind.TRIAGE_WAITING).exists()

    issues_remind_triage(today=D(2026, 11, 19))
    issues_remind_triage(today=D(2026, 11, 19))
    issues_remind_triage(today=D(2026, 11, 20))

    assert inbox_recipients(Kind.TRIAGE_WAITING) == {village_staff_qingshan.username}
    message = outbox(Kind.TRIAGE_WAITING, channel=Channel.INBOX).get()
    assert "竹林步道塌方" in message.subject
    assert message.url == f"/staff/issues/{issue.pk}/"


def test_triage_wait_does_not_count_national_day(issue_factory, village_staff_qingshan):
    submitted_on(issue_factory(), at(D(2026, 9, 29), 10))  # waits 9-30, then 10-8, 10-9

    for day in (D(2026, 9, 30), D(2026, 10, 5), D(2026, 10, 8)):
        issues_remind_triage(today=day)
    assert not outbox(Kind.TRIAGE_WAITING).exists()

    issues_remind_triage(today=D(2026, 10, 9))
    assert inbox_recipients(Kind.TRIAGE_WAITING) == {village_staff_qingshan.username}


def test_a_village_without_staff_account_is_looked_after_by_its_town(
    issue_factory, wangweishan_tongxinhui, village_staff_qingshan, town_staff_huanghu
):
    submitted_on(issue_factory(organization=wangweishan_tongxinhui), at(D(2026, 11, 2)))

    issues_remind_triage(today=D(2026, 11, 16))

    assert inbox_recipients(Kind.TRIAGE_WAITING) == {town_staff_huanghu.username}


def test_issues_already_triaged_are_not_reminded(issue_factory, village_staff_qingshan):
    from consultations import services

    issue = issue_factory()
    services.issue_accept(issue=issue, actor=village_staff_qingshan)
    submitted_on(issue, at(D(2026, 11, 2)))

    issues_remind_triage(today=D(2026, 11, 16))

    assert not outbox(Kind.TRIAGE_WAITING).exists()


def test_triage_sweep_queries_do_not_grow_with_fresh_issues(issue_factory, village_staff_qingshan):
    waiting = issue_factory()
    submitted_on(waiting, at(D(2026, 11, 2)))
    fresh = issue_factory()
    submitted_on(fresh, at(D(2026, 11, 16)))
    issue_copies(Issue.objects.get(pk=fresh.pk), 5)

    with_few = count_queries(lambda: issues_remind_triage(today=D(2026, 11, 16)))
    issue_copies(Issue.objects.get(pk=fresh.pk), 95)
    with_many = count_queries(lambda: issues_remind_triage(today=D(2026, 11, 16)))

    assert with_many == with_few
    assert outbox(Kind.TRIAGE_WAITING, channel=Channel.INBOX).count() == 1


# ---- accepted issues waiting for a meeting ----------------------------------------------------------------------


def test_accepted_issues_not_on_an_agenda_are_pointed_out_from_the_twentieth_once_a_month(
    issue_in_state, village_staff_qingshan, village_staff_wanghu
):
    issue_in_state("accepted")
    issue_in_state("accepted")
    issue_in_state("deliberating")  # on an agenda: not waiting

    issues_remind_agenda(today=D(2026, 11, 19))
    assert not outbox(Kind.AGENDA_WAITING).exists()

    for day in (D(2026, 11, 20), D(2026, 11, 20), D(2026, 11, 23), D(2026, 11, 30)):
        issues_remind_agenda(today=day)
    assert inbox_recipients(Kind.AGENDA_WAITING) == {village_staff_qingshan.username}
    message = outbox(Kind.AGENDA_WAITING, channel=Channel.INBOX).get()
    assert "2 件" in message.subject

    issues_remind_agenda(today=D(2026, 12, 21))  # next month, again
    assert outbox(Kind.AGENDA_WAITING, channel=Channel.INBOX).count() == 2


def test_monthly_check_on_a_weekend_twentieth_waits_for_the_first_working_day(issue_in_state, village_staff_qingshan):
    issue_in_state("accepted")

    issues_remind_agenda(today=D(2026, 6, 20))  # a Saturday
    assert not outbox(Kind.AGENDA_WAITING).exists()

    issues_remind_agenda(today=D(2026, 6, 22))
    assert inbox_recipients(Kind.AGENDA_WAITING) == {village_staff_qingshan.username}


def test_no_agenda_reminder_when_every_accepted_issue_is_on_an_agenda(issue_in_state, village_staff_qingshan):
    issue_in_state("deliberating")
    issue_in_state("agreed")

    issues_remind_agenda(today=D(2026, 11, 20))

    assert not outbox(Kind.AGENDA_WAITING).exists()


# ---- a month without activity ------------------------------------------------------------------------------------


@pytest.fixture
def activity_in(activity_factory):
    """activity_in(day, host=..., publish=...) -> an activity moved to start on `day`."""

    def make(day: datetime.date, **fields: object) -> Activity:
        activity = activity_factory(**fields)
        starts = at(day, 14)
        Activity.objects.filter(pk=activity.pk).update(
            starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), signup_deadline=starts
        )
        return activity

    return make


def test_organizations_without_an_activity_this_month_are_pointed_out_to_their_staff(
    activity_in,
    qingshan_tongxinhui,
    wangweishan_tongxinhui,
    tianmu_alliance,
    village_staff_qingshan,
    village_staff_wanghu,
    town_staff_huanghu,
):
    activity_in(D(2026, 11, 8), host=qingshan_tongxinhui)

    organizations_remind_no_activity(today=D(2026, 11, 19))
    assert not outbox(Kind.NO_ACTIVITY_THIS_MONTH).exists()

    for day in (D(2026, 11, 20), D(2026, 11, 20), D(2026, 11, 27)):
        organizations_remind_no_activity(today=day)

    # 王位山村 has no staff account: its town hears of it.
    assert inbox_recipients(Kind.NO_ACTIVITY_THIS_MONTH) == {village_staff_wanghu.username, town_staff_huanghu.username}
    assert outbox(Kind.NO_ACTIVITY_THIS_MONTH, channel=Channel.INBOX).count() == 2
    message = outbox(Kind.NO_ACTIVITY_THIS_MONTH, user=town_staff_huanghu).first()
    assert message is not None and "王位山同心荟" in message.subject


def test_drafts_cancelled_and_other_months_activities_do_not_count(
    activity_in, qingshan_tongxinhui, village_staff_qingshan
):
    activity_in(D(2026, 11, 10), publish=False)
    cancelled = activity_in(D(2026, 11, 12))
    activity_services.activity_cancel(activity=cancelled, actor=village_staff_qingshan, reason="台风预警")
    activity_in(D(2026, 10, 30))
    activity_in(D(2026, 12, 1))

    organizations_remind_no_activity(today=D(2026, 11, 20))

    assert inbox_recipients(Kind.NO_ACTIVITY_THIS_MONTH) == {village_staff_qingshan.username}


def test_a_co_hosted_activity_counts_for_the_co_host(
    activity_in, qingshan_tongxinhui, wangweishan_tongxinhui, town_staff_huanghu, village_staff_qingshan
):
    visit = activity_in(D(2026, 11, 14), host=qingshan_tongxinhui)
    visit.co_hosts.set([wangweishan_tongxinhui])

    organizations_remind_no_activity(today=D(2026, 11, 20))

    assert not outbox(Kind.NO_ACTIVITY_THIS_MONTH).exists()


def test_no_activity_sweep_queries_do_not_grow_with_busy_organizations(
    activity_in, tree, qingshan_tongxinhui, village_staff_qingshan
):
    activity_in(D(2026, 11, 3))  # 青山 is busy; a quiet organization is due
    Organization.objects.create(
        name="安静同心荟",
        slug="quiet",
        kind=OrganizationKind.TONGXINHUI,
        region=tree.qingshan,
        level=OrganizationLevel.VILLAGE,
    )

    def busy_organizations(count: int, start: int) -> None:
        for number in range(start, start + count):
            organization = Organization.objects.create(
                name=f"忙碌同心荟{number}",
                slug=f"busy-{number}",
                kind=OrganizationKind.TONGXINHUI,
                region=tree.qingshan,
                level=OrganizationLevel.VILLAGE,
            )
            Activity.objects.filter(pk=activity_in(D(2026, 11, 5)).pk).update(host=organization)

    busy_organizations(5, 0)
    with_few = count_queries(lambda: organizations_remind_no_activity(today=D(2026, 11, 20)))
    busy_organizations(95, 5)
    with_many = count_queries(lambda: organizations_remind_no_activity(today=D(2026, 11, 20)))

    assert with_many == with_few
    assert outbox(Kind.NO_ACTIVITY_THIS_MONTH, channel=Channel.INBOX).count() == 1
