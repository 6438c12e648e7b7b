"""The day before a meeting or an activity, the people expected there are reminded with time and place."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.utils import timezone

from activities import services as activity_services
from activities.models import Activity, Audience, Registration, RegistrationStatus
from activities.reminders import activities_remind_tomorrow
from consultations import services
from consultations.models import Meeting, MeetingState
from consultations.reminders import meetings_remind_tomorrow
from portal.notifications.kinds import Channel, Kind
from tests.reminders.reminder_helpers import at, count_queries, inbox_recipients, outbox, sms_phones

pytestmark = pytest.mark.any_hour

ANONYMOUS_PHONE = "13912345678"
STAFF_PHONE = "13500001234"


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def tomorrow(today) -> datetime.date:
    return today + datetime.timedelta(days=1)


# ---- meetings ---------------------------------------------------------------------------------------------------


@pytest.fixture
def meeting_tomorrow(issue_in_state, member_craftsman, qingshan_tongxinhui, village_staff_qingshan, tomorrow):
    """青山's 议事会 tomorrow 19:30, with issues of an anonymous villager (two) and of a member on its agenda."""
    village_staff_qingshan.phone = STAFF_PHONE
    village_staff_qingshan.save(update_fields=["phone"])
    issues = [
        issue_in_state("accepted", title="村口路灯不亮", submitter_phone=ANONYMOUS_PHONE),
        issue_in_state(
            "accepted",
            title="竹林步道塌方",
            submitter_user=member_craftsman,
            submitter_phone=member_craftsman.phone,
            submitter_name="张竹青",
        ),
        issue_in_state("accepted", title="垃圾清运不及时", submitter_phone=ANONYMOUS_PHONE),
    ]
    issue_in_state("accepted", submitter_phone="13955556666")  # waits for a later meeting
    return services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="11月协商议事会",
        scheduled_at=at(tomorrow, 19, 30),
        place="青山村文化礼堂",
        issues=issues,
    )


def test_staff_and_submitters_on_the_agenda_are_reminded_the_day_before_once(
    meeting_tomorrow, today, village_staff_qingshan, village_staff_wanghu, member_craftsman
):
    meetings_remind_tomorrow(today=today)
    meetings_remind_tomorrow(today=today)

    assert inbox_recipients(Kind.MEETING_TOMORROW) == {village_staff_qingshan.username, member_craftsman.username}
    # One SMS per person, however many of their issues are on the agenda.
    assert sorted(sms_phones(Kind.MEETING_TOMORROW)) == sorted([STAFF_PHONE, member_craftsman.phone, ANONYMOUS_PHONE])
    to_villager = outbox(Kind.MEETING_TOMORROW, channel=Channel.SMS, phone=ANONYMOUS_PHONE).get()
    assert "19:30" in to_villager.body
    assert "青山村文化礼堂" in to_villager.body
    first_issue = meeting_tomorrow.agenda.order_by("position").first().issue
    assert first_issue.receipt_code in to_villager.body
    to_staff = outbox(Kind.MEETING_TOMORROW, channel=Channel.INBOX, user=village_staff_qingshan).get()
    assert "19:30" in to_staff.body
    assert to_staff.url == f"/staff/issues/meetings/{meeting_tomorrow.pk}/"


def test_an_issue_requeued_from_an_earlier_meeting_is_announced_for_the_new_one(
    issue_in_state, qingshan_tongxinhui, village_staff_qingshan, today, tomorrow
):
    issue = issue_in_state("deliberating", submitter_phone="13955556666")
    services.agenda_record_no_consensus(
        item=issue.agenda_items.get(), actor=village_staff_qingshan, note="意见分歧较大，下次再议。"
    )
    meeting = services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="12月协商议事会",
        scheduled_at=at(tomorrow, 9),
        place="青山村村委会",
        issues=[issue],
    )

    meetings_remind_tomorrow(today=today)

    to_villager = outbox(Kind.MEETING_TOMORROW, channel=Channel.SMS, phone="13955556666").get()
    assert "09:00" in to_villager.body
    assert "青山村村委会" in to_villager.body
    assert to_villager.idempotency_key.startswith(f"meeting:{meeting.pk}:")


def test_no_meeting_reminder_on_the_wrong_day(meeting_tomorrow, today):
    meetings_remind_tomorrow(today=today - datetime.timedelta(days=1))
    meetings_remind_tomorrow(today=today + datetime.timedelta(days=1))  # the meeting day itself

    assert not outbox(Kind.MEETING_TOMORROW).exists()


def test_a_cancelled_meeting_is_not_announced(meeting_tomorrow, today):
    Meeting.objects.filter(pk=meeting_tomorrow.pk).update(state=MeetingState.CANCELLED)

    meetings_remind_tomorrow(today=today)

    assert not outbox(Kind.MEETING_TOMORROW).exists()


def test_a_meeting_moved_to_another_day_is_announced_again(meeting_tomorrow, today, tomorrow, village_staff_qingshan):
    meetings_remind_tomorrow(today=today)
    Meeting.objects.filter(pk=meeting_tomorrow.pk).update(scheduled_at=at(tomorrow + datetime.timedelta(days=1), 9))

    meetings_remind_tomorrow(today=tomorrow)

    assert outbox(Kind.MEETING_TOMORROW, channel=Channel.INBOX, user=village_staff_qingshan).count() == 2


def test_meeting_sweep_queries_do_not_grow_with_meetings_on_other_days(meeting_tomorrow, today):
    def later_meetings(count: int) -> None:
        rows = []
        for index in range(count):
            row = copy.copy(meeting_tomorrow)
            row.pk = row.id = None
            row.scheduled_at = meeting_tomorrow.scheduled_at + datetime.timedelta(days=2 + index % 20)
            rows.append(row)
        Meeting.objects.bulk_create(rows)

    later_meetings(5)
    with_few = count_queries(lambda: meetings_remind_tomorrow(today=today))
    later_meetings(95)
    with_many = count_queries(lambda: meetings_remind_tomorrow(today=today))

    assert with_many == with_few


# ---- activities -------------------------------------------------------------------------------------------------


@pytest.fixture
def activity_tomorrow(activity_factory, tomorrow):
    starts = at(tomorrow, 14, 30)
    return activity_factory(
        title="青山talk：竹编与乡村设计",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="青山村同心驿站",
        capacity=2,
        audience=Audience.PUBLIC,
    )


def test_confirmed_registrants_are_reminded_the_day_before_with_time_and_place(
    activity_tomorrow, member_factory, today
):
    member = member_factory(name="张竹青", phone="13800001111")
    activity_services.registration_create(
        activity=activity_tomorrow, name="张竹青", phone=member.phone, person=member.person
    )
    activity_services.registration_create(activity=activity_tomorrow, name="村民甲", phone="13700000001")
    waiting = activity_services.registration_create(activity=activity_tomorrow, name="村民乙", phone="13700000002")
    cancelled = activity_services.registration_create(activity=activity_tomorrow, name="村民丙", phone="13700000003")
    activity_services.registration_cancel(registration=cancelled)
    assert waiting.status == RegistrationStatus.WAITLISTED

    activities_remind_tomorrow(today=today)
    activities_remind_tomorrow(today=today)

    assert sorted(sms_phones(Kind.ACTIVITY_TOMORROW)) == ["13700000001", "13800001111"]
    assert inbox_recipients(Kind.ACTIVITY_TOMORROW) == {member.username}
    sms = outbox(Kind.ACTIVITY_TOMORROW, channel=Channel.SMS, phone="13700000001").get()
    assert "14:30" in sms.body
    assert "青山村同心驿站" in sms.body
    assert sms.url == f"/activities/{activity_tomorrow.pk}/"


def test_no_activity_reminder_on_the_wrong_day_or_for_a_cancelled_activity(
    activity_tomorrow, sign_up_people, village_staff_qingshan, today
):
    sign_up_people(activity_tomorrow, 2)

    activities_remind_tomorrow(today=today - datetime.timedelta(days=1))
    activities_remind_tomorrow(today=today + datetime.timedelta(days=1))
    assert not outbox(Kind.ACTIVITY_TOMORROW).exists()

    activity_services.activity_cancel(activity=activity_tomorrow, actor=village_staff_qingshan, reason="台风预警")
    activities_remind_tomorrow(today=today)
    assert not outbox(Kind.ACTIVITY_TOMORROW).exists()


def test_activity_sweep_queries_do_not_grow_with_activities_on_other_days(activity_tomorrow, sign_up_people, today):
    registration = sign_up_people(activity_tomorrow, 1)[0]

    def later_activities(count: int) -> None:
        activities = []
        for index in range(count):
            row = copy.copy(activity_tomorrow)
            row.pk = row.id = None
            shift = datetime.timedelta(days=2 + index % 20)
            row.starts_at, row.ends_at = row.starts_at + shift, row.ends_at + shift
            row.signup_deadline = row.signup_deadline + shift
            activities.append(row)
        registrations = []
        for activity in Activity.objects.bulk_create(activities):
            row = copy.copy(registration)
            row.pk = row.id = None
            row.activity = activity
            registrations.append(row)
        Registration.objects.bulk_create(registrations)

    later_activities(5)
    with_few = count_queries(lambda: activities_remind_tomorrow(today=today))
    later_activities(95)
    with_many = count_queries(lambda: activities_remind_tomorrow(today=today))

    assert with_many == with_few
    assert outbox(Kind.ACTIVITY_TOMORROW, channel=Channel.SMS).count() == 1
