"""The .ics file a phone imports into its calendar: one valid VEVENT, in the format phones accept."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from activities.ics import escape_text, fold_line
from activities.models import Audience

pytestmark = [pytest.mark.django_db, pytest.mark.any_hour]

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def test_the_calendar_file_is_one_event_in_utc_with_the_page_address(client, activity_factory):
    activity = activity_factory(
        title="青山talk;竹编,与设计",
        place="青山村同心驿站, 二楼",
        starts_at=datetime.datetime(2031, 5, 17, 14, 30, tzinfo=SHANGHAI),
        ends_at=datetime.datetime(2031, 5, 17, 16, 30, tzinfo=SHANGHAI),
        signup_deadline=datetime.datetime(2031, 5, 16, 18, 0, tzinfo=SHANGHAI),
        description="第一行\n第二行",
        audience=Audience.PUBLIC,
    )

    response = client.get(reverse("activities:ics", args=[activity.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="activity-{activity.pk}.ics"' in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends with CRLF, no bare LF
    lines = unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert f"UID:activity-{activity.pk}@testserver" in lines
    assert any(
        line.startswith("DTSTAMP:") and line.endswith("Z") and len(line) == len("DTSTAMP:20310517T063000Z")
        for line in lines
    )
    assert "DTSTART:20310517T063000Z" in lines
    assert "DTEND:20310517T083000Z" in lines
    assert "SUMMARY:青山talk\\;竹编\\,与设计" in lines
    assert "LOCATION:青山村同心驿站\\, 二楼" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert description.startswith("DESCRIPTION:第一行\\n第二行\\n")
    assert f"http://testserver/activities/{activity.pk}/" in description
    assert lines[-2] == "END:VCALENDAR"


def test_every_line_of_the_calendar_file_fits_in_75_octets(client, activity_factory):
    activity = activity_factory(title="同心荟互访" * 12, description="竹编手艺人分享乡村设计的经验。" * 40)

    body = client.get(reverse("activities:ics", args=[activity.pk])).content

    physical_lines = body.split(b"\r\n")
    assert max(len(line) for line in physical_lines) <= 75
    assert any(line.startswith(b" ") for line in physical_lines)  # long lines were folded
    for line in physical_lines:
        line.decode("utf-8")  # a fold never cuts a character in half
    assert "同心荟互访" * 12 in "".join(unfold(body.decode()))


def test_a_cancelled_activity_is_marked_cancelled_in_the_calendar(client, activity_factory, village_staff_qingshan):
    from activities import services

    activity = activity_factory()
    services.activity_cancel(activity=activity, actor=village_staff_qingshan, reason="暴雨")

    assert "STATUS:CANCELLED" in unfold(client.get(reverse("activities:ics", args=[activity.pk])).content.decode())


def test_text_escaping_follows_the_icalendar_rules():
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_folding_cuts_between_characters_and_keeps_the_text():
    line = "DESCRIPTION:" + "荟" * 40
    folded = fold_line(line)
    pieces = folded.encode().split(b"\r\n")
    assert all(len(piece) <= 75 for piece in pieces)
    assert all(piece.startswith(b" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == line
    assert fold_line("SHORT:ok") == "SHORT:ok"
