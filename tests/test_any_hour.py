"""What people see dated "today" is Beijing's today, at half past midnight and at half past eleven at night too.

Between 00:00 and 08:00 in Beijing the UTC date is still yesterday's: a page or a sweep that takes the date of a
UTC moment shows, counts or files things on the wrong day for a third of the day. Every test here is marked
any_hour (tests/conftest.py), so it also runs with the clock at 00:30 and at 23:30 Asia/Shanghai.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Audience
from members.models import Membership, MembershipRole, Person, Stratum
from tests.activities.conftest import activity_factory  # noqa: F401 (fixture)
from tests.consultations.conftest import issue_factory  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.any_hour]

VILLAGER_PHONE = "13912345678"
# Expectations are worked out apart from django.utils.timezone, which the code under test uses.
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def beijing_today() -> datetime.date:
    return datetime.datetime.now(BEIJING).date()


def in_beijing(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(BEIJING)


def _joined_today(organization) -> Person:
    person = Person.objects.create(
        name="新会员 方晓", phone="13700009999", region=organization.region, stratum=Stratum.FREELANCER
    )
    Membership.objects.create(
        person=person, organization=organization, role=MembershipRole.MEMBER, joined_on=beijing_today()
    )
    return person


def test_the_clock_of_a_marked_test_stands_at_the_hour_it_runs_for(any_hour_clock):
    if any_hour_clock is None:
        # The real clock: nothing was moved, and Beijing's today is still what the portal calls today.
        assert timezone.localdate() == beijing_today()
        return
    assert datetime.timedelta(0) <= timezone.now() - any_hour_clock < datetime.timedelta(minutes=5)
    assert timezone.localdate() == beijing_today() == any_hour_clock.date()
    if any_hour_clock.hour == 0:
        # What the marker is for: the UTC date is yesterday's.
        assert timezone.now().date() == beijing_today() - datetime.timedelta(days=1)


def test_a_villager_tracking_an_issue_sees_the_beijing_day_and_time_it_was_raised(client, issue_factory):  # noqa: F811
    issue = issue_factory(submitter_phone=VILLAGER_PHONE)
    tracked = client.post("/issues/track/", {"code": issue.receipt_code, "phone_last4": VILLAGER_PHONE[-4:]})
    page = client.get(tracked["Location"]).content.decode()
    assert in_beijing(issue.created_at).strftime("%Y-%m-%d %H:%M") in page


def test_someone_who_joined_today_counts_on_todays_growth_page(client, village_staff_qingshan, qingshan_tongxinhui):
    _joined_today(qingshan_tongxinhui)
    client.force_login(village_staff_qingshan)
    response = client.get(reverse("members:growth"))
    assert response.context["on_date"] == beijing_today()
    assert [(growth.organization.name, count) for growth, count in response.context["rows"]] == [("青山同心荟", 1)]
    assert f'max="{beijing_today():%Y-%m-%d}"' in response.content.decode()


def test_someone_who_joined_today_counts_on_the_public_page_of_the_organization(client, qingshan_tongxinhui):
    _joined_today(qingshan_tongxinhui)
    response = client.get(reverse("orgs:public_detail", kwargs={"slug": "qingshan"}))
    assert response.context["member_count"] == 1
    today = beijing_today()
    assert f"会员人数统计截至 {today.year}年{today.month}月{today.day}日" in response.content.decode()


def test_an_activity_starting_in_twenty_minutes_sits_on_its_beijing_day_of_the_month_view(
    client,
    village_staff_qingshan,
    activity_factory,  # noqa: F811
):
    activity = activity_factory(starts_in=datetime.timedelta(minutes=20))
    start_day = in_beijing(activity.starts_at).date()
    client.force_login(village_staff_qingshan)
    response = client.get(reverse("staff_activities:month"), {"month": f"{start_day:%Y-%m}"})
    days = [day for week in response.context["weeks"] for day in week]
    assert [day.day for day in days if activity in day.activities] == [start_day]
    if start_day.month == beijing_today().month:
        assert [day.day for day in days if day.is_today] == [beijing_today()]


def test_the_calendar_file_of_an_activity_gives_its_start_in_utc_even_when_beijing_is_a_day_ahead(
    client,
    activity_factory,  # noqa: F811
):
    activity = activity_factory(starts_in=datetime.timedelta(minutes=20), audience=Audience.PUBLIC)
    body = client.get(reverse("activities:ics", args=[activity.pk])).content.decode()
    in_utc = activity.starts_at.astimezone(datetime.UTC)
    assert f"DTSTART:{in_utc:%Y%m%dT%H%M%S}Z" in body.replace("\r\n ", "")


def test_a_handler_sees_the_beijing_date_as_today_on_the_department_queue(client, handler_huanghu):
    client.force_login(handler_huanghu)
    page = client.get(reverse("department:queue")).content.decode()
    assert f"今天 {beijing_today():%Y-%m-%d}" in page
