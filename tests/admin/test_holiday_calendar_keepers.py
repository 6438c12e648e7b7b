"""The holiday calendar (节假日调整) holds for the whole installation: every district's deadlines count in it. A
superuser enters the State Council's days; district admins and town staff read them and change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from portal.models import WorkdayOverride

pytestmark = pytest.mark.django_db

CALENDAR = "admin:portal_workdayoverride_changelist"


@pytest.fixture
def spring_festival_makeup_day(db) -> WorkdayOverride:
    return WorkdayOverride.objects.create(date=datetime.date(2027, 2, 7), is_workday=True, note="春节调休")


def test_a_district_admin_reads_the_calendar_but_cannot_add_a_day(
    client, district_admin_yuhang, spring_festival_makeup_day
):
    client.force_login(district_admin_yuhang)

    listing = client.get(reverse(CALENDAR))
    assert listing.status_code == 200
    assert "春节调休" in listing.content.decode()
    response = client.post(
        reverse("admin:portal_workdayoverride_add"), {"date": "2027-02-08", "is_workday": "", "note": "2027年春节"}
    )
    assert response.status_code == 403
    assert WorkdayOverride.objects.count() == 1


def test_a_district_admin_cannot_change_or_delete_a_day(client, district_admin_yuhang, spring_festival_makeup_day):
    client.force_login(district_admin_yuhang)
    day = spring_festival_makeup_day

    page = client.get(reverse("admin:portal_workdayoverride_change", args=[day.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    changed = client.post(
        reverse("admin:portal_workdayoverride_change", args=[day.pk]),
        {"date": "2027-02-07", "is_workday": "", "note": "改掉"},
    )
    assert changed.status_code == 403
    deleted = client.post(reverse("admin:portal_workdayoverride_delete", args=[day.pk]), {"post": "yes"})
    assert deleted.status_code == 403
    day.refresh_from_db()
    assert day.is_workday is True
    assert day.note == "春节调休"


def test_a_superuser_enters_changes_and_deletes_days(client, superuser, spring_festival_makeup_day):
    client.force_login(superuser)
    day = spring_festival_makeup_day

    added = client.post(
        reverse("admin:portal_workdayoverride_add"), {"date": "2027-02-08", "is_workday": "", "note": "2027年春节"}
    )
    assert added.status_code == 302
    changed = client.post(
        reverse("admin:portal_workdayoverride_change", args=[day.pk]),
        {"date": "2027-02-07", "is_workday": "on", "note": "春节调休（上班）"},
    )
    assert changed.status_code == 302
    day.refresh_from_db()
    assert day.note == "春节调休（上班）"
    assert (
        client.post(reverse("admin:portal_workdayoverride_delete", args=[day.pk]), {"post": "yes"}).status_code == 302
    )
    assert list(WorkdayOverride.objects.values_list("note", flat=True)) == ["2027年春节"]
