"""`manage.py seed_demo` brings the portal to life: issues at every step of the loop, monthly 议事会 and activities."""

from __future__ import annotations

import datetime
import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from activities.models import Activity, ActivityForm, ActivityStatus, Audience, Registration, RegistrationStatus
from consultations.counters import resolved_issue_count
from consultations.models import (
    AgendaItem,
    AgendaOutcome,
    Assignment,
    Feedback,
    Issue,
    IssueChannel,
    Meeting,
    MeetingState,
    PublicNotice,
    Rating,
    Transition,
)
from consultations.states import IssueAction, IssueState
from orgs.models import Organization
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.notifications.models import InboxMessage, OutboxMessage, OutboxState
from portal.site.demo.activities import past_activity_day

LOOP_MODELS = (Issue, Transition, Meeting, AgendaItem, Activity, Registration, OutboxMessage)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(demo_seeded):
    """What the first run printed; the demo is loaded once for the module (tests/conftest.py, DemoSeed)."""
    return demo_seeded


@pytest.fixture
def qingshan(seeded):
    return Organization.objects.get(slug="qingshan")


def test_running_it_again_writes_no_issue_meeting_activity_or_message(seeded):
    before = {model: model.objects.count() for model in LOOP_MODELS}
    output = _seed()
    assert {model: model.objects.count() for model in LOOP_MODELS} == before
    assert "没有新建" in output
    assert before[Issue] > 20 and before[Activity] > 6


def test_the_first_run_reports_what_it_created_and_still_prints_the_logins(seeded):
    output = seeded
    assert "议题" in output and "活动" in output
    assert "qingshan_secretary" in output and "/accounts/phone/" in output


def test_qingshan_has_issues_at_every_step_of_the_loop(qingshan):
    states = set(Issue.objects.filter(organization=qingshan).values_list("state", flat=True))
    assert states >= set(IssueState)
    assert resolved_issue_count(organization=qingshan) > 0
    other_places = Issue.objects.exclude(organization=qingshan).values_list("organization__slug", flat=True)
    assert {"qidu-shangmeng", "wanghu-coop"} <= set(other_places)


def test_every_issue_has_an_unbroken_audit_trail_from_its_submission_to_its_state(seeded):
    for issue in Issue.objects.prefetch_related("transitions"):
        trail = sorted(issue.transitions.all(), key=lambda t: (t.created_at, t.pk))
        assert trail[0].action == IssueAction.SUBMIT, issue.title
        assert trail[-1].to_state == issue.state, issue.title
        for previous, step in itertools.pairwise(trail):
            assert step.from_state == previous.to_state, (issue.title, step.action)
            assert step.created_at >= previous.created_at
        assert trail[-1].created_at <= timezone.now()


@pytest.mark.any_hour
def test_the_issues_around_today_tell_the_story_staff_and_handlers_work_on(qingshan):
    today = timezone.localdate()
    issues = Issue.objects.filter(organization=qingshan)
    waiting = issues.filter(state=IssueState.SUBMITTED)
    assert waiting.filter(created_at__lt=timezone.now() - datetime.timedelta(days=4)).exists()  # triage reminder
    assert issues.filter(channel=IssueChannel.PAPER, entered_by__isnull=False).exists()
    assert issues.get(state=IssueState.REJECTED).rejection_reason
    merged = issues.get(state=IssueState.MERGED)
    assert merged.merged_into is not None and merged.merged_into.organization == qingshan
    live = Assignment.objects.filter(issue__organization=qingshan, issue__state=IssueState.ASSIGNED)
    assert live.filter(deadline__lt=today).exists() and live.filter(deadline__gte=today).exists()
    assert {a.department.region.name for a in live} <= {"黄湖镇", "余杭区"}
    running = PublicNotice.objects.get(issue__organization=qingshan, issue__state=IssueState.PUBLICIZED)
    assert running.published_at <= timezone.now() < running.ends_at
    assert Feedback.objects.filter(issue__organization=qingshan, rating=Rating.SATISFIED).exists()


def test_the_demo_member_finds_their_own_issues_including_a_rated_result(seeded):
    member = User.objects.get(role=Role.MEMBER)
    mine = Issue.objects.filter(submitter_user=member)
    assert mine.count() >= 2
    assert mine.filter(state=IssueState.CLOSED, feedback__rating=Rating.SATISFIED).exists()
    assert all(issue.submitter_phone == member.phone for issue in mine)


@pytest.mark.any_hour
def test_qingshan_held_a_monthly_meeting_in_each_of_the_last_six_months_and_has_the_next_one_planned(qingshan):
    now = timezone.now()
    held = Meeting.objects.filter(organization=qingshan, state=MeetingState.HELD, scheduled_at__lte=now)
    latest_six = list(held.order_by("-scheduled_at")[:6])
    months = {(m.scheduled_at.year, m.scheduled_at.month) for m in latest_six}
    assert len(months) == 6
    assert latest_six[-1].scheduled_at > now - datetime.timedelta(days=200)
    for meeting in latest_six:
        assert meeting.minutes and meeting.attendees.exists() and meeting.villagers_count > 0
    consensus = AgendaItem.objects.filter(meeting__organization=qingshan, outcome=AgendaOutcome.CONSENSUS)
    assert consensus.exists()
    assert all(item.votes_for > item.votes_against and item.consensus_text for item in consensus)
    assert AgendaItem.objects.filter(meeting__organization=qingshan, outcome=AgendaOutcome.NO_CONSENSUS).exists()
    upcoming = Meeting.objects.get(organization=qingshan, state=MeetingState.SCHEDULED)
    assert upcoming.scheduled_at > now
    assert set(upcoming.agenda.values_list("issue__state", flat=True)) == {IssueState.DELIBERATING}


@pytest.mark.any_hour
def test_qingshan_held_an_activity_in_each_of_the_last_six_months(qingshan):
    today = timezone.localdate()
    completed = Activity.objects.filter(host=qingshan, status=ActivityStatus.COMPLETED)
    held_in = {(timezone.localdate(a.starts_at).year, timezone.localdate(a.starts_at).month) for a in completed}
    for months_ago in range(1, 7):
        day = past_activity_day(today, months_ago)
        assert (day.year, day.month) in held_in
    assert today - past_activity_day(today, 1) < datetime.timedelta(days=45)
    for activity in completed:
        assert activity.summary
        assert activity.registrations.filter(checked_in_at__isnull=False).exists()
    assert {"talk", "study_tour", "exhibition", "exchange_visit", "traditional_experience"} <= set(
        completed.values_list("form", flat=True)
    )
    visit = completed.get(form=ActivityForm.EXCHANGE_VISIT)
    assert visit.co_hosts.filter(region__path__startswith=_lucheng_path()).exists()


def _lucheng_path() -> str:
    from orgs.models import Region

    return Region.objects.get(name="鹿城区", parent=None).path


def test_qingshan_has_two_activities_open_for_sign_up_one_already_full_and_a_draft(qingshan):
    now = timezone.now()
    open_now = Activity.objects.filter(host=qingshan, status=ActivityStatus.PUBLISHED, starts_at__gt=now)
    talk = open_now.get(form=ActivityForm.TALK)
    assert talk.audience == Audience.MEMBERS and talk.signup_deadline > now
    member = User.objects.get(role=Role.MEMBER)
    assert talk.registrations.filter(person=member.person, status=RegistrationStatus.CONFIRMED).exists()
    experience = open_now.get(form=ActivityForm.TRADITIONAL_EXPERIENCE)
    assert experience.audience == Audience.PUBLIC
    confirmed = experience.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    assert confirmed == experience.capacity
    assert experience.registrations.filter(status=RegistrationStatus.WAITLISTED).exists()
    assert Activity.objects.filter(host=qingshan, status=ActivityStatus.DRAFT).exists()
    for slug in ("lucheng-gongyi", "tianmu"):
        assert Activity.objects.filter(host__slug=slug).exists()


def test_no_demo_message_waits_to_be_sent_when_the_portal_starts(seeded):
    assert OutboxMessage.objects.exists()
    assert not OutboxMessage.objects.exclude(state=OutboxState.SENT).exists()
    # The member's inbox still shows the history of their issues, dated when it happened.
    member = User.objects.get(role=Role.MEMBER)
    inbox = InboxMessage.objects.filter(user=member)
    assert inbox.exists()
    assert inbox.filter(created_at__lt=timezone.now() - datetime.timedelta(days=30)).exists()
