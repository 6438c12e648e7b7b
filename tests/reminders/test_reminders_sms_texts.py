"""Every reminder SMS fits one message with the signature, even for the longest names, and keeps what matters."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from activities.models import Audience
from activities.reminders import activities_remind_tomorrow, organizations_remind_no_activity
from consultations import services
from consultations.handler_messages import assignment_new_notify
from consultations.models import Assignment, Issue, PublicNotice
from consultations.reminders import (
    assignments_remind_deadlines,
    issues_remind_agenda,
    issues_remind_triage,
    meetings_remind_tomorrow,
    notices_close_and_request_rating,
)
from orgs.models import Department, Organization
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import OutboxMessage
from portal.sms import SMS_MAX_LENGTH, sms_text
from tests.reminders.reminder_helpers import at, outbox

pytestmark = pytest.mark.any_hour

LONG_TITLE = "关于村口到竹林步道沿线路灯长期不亮影响村民夜间出行安全的问题反映以及后续维护管理机制的建议" * 2
LONG_PLACE = "青山村文化礼堂二楼多功能会议室（村委会大楼东侧，停车场从南门进入）" * 3
LONG_NAME = "杭州市余杭区黄湖镇青山村新的社会阶层人士同心荟联合会暨新阶层实践创新基地" * 2


def all_sms() -> list[str]:
    return list(OutboxMessage.objects.filter(channel=Channel.SMS).values_list("body", flat=True))


def test_the_longest_names_still_fit_one_sms_with_dates_times_and_codes_kept(
    issue_in_state,
    qingshan_tongxinhui,
    village_staff_qingshan,
    town_staff_huanghu,
    district_admin_yuhang,
    handler_huanghu,
    huanghu_water_office,
    activity_factory,
):
    Organization.objects.filter(pk=qingshan_tongxinhui.pk).update(name=LONG_NAME[:100])
    Department.objects.filter(pk=huanghu_water_office.pk).update(name=LONG_NAME[:100])
    for number, user in enumerate([village_staff_qingshan, town_staff_huanghu, district_admin_yuhang, handler_huanghu]):
        user.phone = f"1350000000{number}"
        user.save(update_fields=["phone"])
    title = LONG_TITLE[:60]
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)

    assigned = issue_in_state("assigned", title=title)
    Assignment.objects.filter(issue=assigned).update(deadline=datetime.date(2026, 11, 3))
    assignment_new_notify(Assignment.objects.get(issue=assigned))
    assignments_remind_deadlines(today=datetime.date(2026, 11, 16))
    soon = issue_in_state("assigned", title=title)
    Assignment.objects.filter(issue=soon).update(deadline=datetime.date(2026, 11, 18))
    assignments_remind_deadlines(today=datetime.date(2026, 11, 16))

    waiting = issue_in_state("submitted", title=title)
    Issue.objects.filter(pk=waiting.pk).update(state_changed_at=at(datetime.date(2026, 11, 2)))
    issues_remind_triage(today=datetime.date(2026, 11, 16))
    issue_in_state("accepted", title=title)
    issues_remind_agenda(today=datetime.date(2026, 11, 20))
    organizations_remind_no_activity(today=datetime.date(2026, 11, 20))

    on_agenda = issue_in_state("accepted", title=title)
    services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title=LONG_TITLE[:100],
        scheduled_at=at(tomorrow, 19, 30),
        place=LONG_PLACE[:100],
        issues=[on_agenda],
    )
    meetings_remind_tomorrow(today=today)

    starts = at(tomorrow, 14, 30)
    activity = activity_factory(
        title=LONG_TITLE[:80],
        place=LONG_PLACE[:120],
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        audience=Audience.PUBLIC,
    )
    from activities import services as activity_services

    activity_services.registration_create(activity=activity, name="村民甲", phone="13700000001")
    activities_remind_tomorrow(today=today)

    publicized = issue_in_state("publicized", title=title)
    PublicNotice.objects.filter(issue=publicized).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    notices_close_and_request_rating(now=timezone.now())

    kinds_with_sms = set(OutboxMessage.objects.filter(channel=Channel.SMS).values_list("kind", flat=True))
    assert kinds_with_sms >= {
        Kind.ASSIGNMENT_NEW,
        Kind.ASSIGNMENT_DUE_SOON,
        Kind.ASSIGNMENT_OVERDUE,
        Kind.ASSIGNMENT_ESCALATED,
        Kind.MEETING_TOMORROW,
        Kind.ACTIVITY_TOMORROW,
        Kind.ISSUE_RATE_REQUEST,
    }
    for body in all_sms():
        assert len(sms_text(body)) <= SMS_MAX_LENGTH
    # What the reader acts on survives the shortening of names.
    assert "11月18日" in outbox(Kind.ASSIGNMENT_DUE_SOON, channel=Channel.SMS).get().body
    assert "11月3日" in outbox(Kind.ASSIGNMENT_OVERDUE, channel=Channel.SMS).get().body
    assert "7个工作日" in outbox(Kind.ASSIGNMENT_ESCALATED, channel=Channel.SMS, user=district_admin_yuhang).get().body
    assert on_agenda.receipt_code in outbox(Kind.MEETING_TOMORROW, channel=Channel.SMS, user=None).get().body
    assert "19:30" in outbox(Kind.MEETING_TOMORROW, channel=Channel.SMS, user=village_staff_qingshan).get().body
    assert "14:30" in outbox(Kind.ACTIVITY_TOMORROW, channel=Channel.SMS).get().body
    rate_request = outbox(Kind.ISSUE_RATE_REQUEST, channel=Channel.SMS).get()
    assert f"/issues/track/{publicized.receipt_code}/" in rate_request.body


def test_staff_who_choose_sms_for_monthly_checks_get_texts_that_fit(
    issue_in_state, qingshan_tongxinhui, village_staff_qingshan
):
    from portal.notifications.models import ChannelPreference

    Organization.objects.filter(pk=qingshan_tongxinhui.pk).update(name=LONG_NAME[:100])
    village_staff_qingshan.phone = "13500000009"
    village_staff_qingshan.save(update_fields=["phone"])
    for kind in (Kind.TRIAGE_WAITING, Kind.AGENDA_WAITING, Kind.NO_ACTIVITY_THIS_MONTH):
        ChannelPreference.objects.create(user=village_staff_qingshan, kind=kind, channels=[Channel.SMS])
    waiting = issue_in_state("submitted", title=LONG_TITLE[:60])
    Issue.objects.filter(pk=waiting.pk).update(state_changed_at=at(datetime.date(2026, 11, 2)))
    issue_in_state("accepted", title=LONG_TITLE[:60])

    issues_remind_triage(today=datetime.date(2026, 11, 20))
    issues_remind_agenda(today=datetime.date(2026, 11, 20))
    organizations_remind_no_activity(today=datetime.date(2026, 11, 20))

    reminders = OutboxMessage.objects.filter(channel=Channel.SMS).exclude(kind=Kind.ISSUE_PROGRESS)
    texts = dict(reminders.values_list("kind", "body"))
    assert set(texts) == {Kind.TRIAGE_WAITING, Kind.AGENDA_WAITING, Kind.NO_ACTIVITY_THIS_MONTH}
    for body in texts.values():
        sms_text(body)
    assert "1件" in texts[Kind.AGENDA_WAITING]
