"""What runs the installation stays out of a district officer's admin: Celery beat's schedules and the raw
outbox (待发消息) are for superusers. The holiday calendar stays in sight, read-only, as it moves deadlines."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

INTERNALS = {
    "django_celery_beat_periodictask": "周期任务",
    "django_celery_beat_intervalschedule": "间隔",
    "django_celery_beat_crontabschedule": "定时",
    "django_celery_beat_clockedschedule": "时钟",
    "django_celery_beat_solarschedule": "日程",
    "notifications_outboxmessage": "待发消息",
}


def _index(client) -> str:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_officer_of_yuhang_finds_no_schedule_and_no_outbox_on_the_admin_index(client, district_admin_yuhang):
    client.force_login(district_admin_yuhang)

    index = _index(client)

    for model in INTERNALS:
        assert reverse(f"admin:{model}_changelist") not in index, model
    assert "django_celery_beat" not in index
    assert "待发消息" not in index
    assert reverse("admin:portal_workdayoverride_changelist") in index


def test_the_officer_of_yuhang_finds_no_outbox_in_the_notifications_app_list(client, district_admin_yuhang):
    client.force_login(district_admin_yuhang)

    app_list = client.get(reverse("admin:app_list", args=["notifications"]))

    assert app_list.status_code == 200
    assert reverse("admin:notifications_inboxmessage_changelist") in app_list.content.decode()
    assert reverse("admin:notifications_outboxmessage_changelist") not in app_list.content.decode()
    assert client.get(reverse("admin:app_list", args=["django_celery_beat"])).status_code == 404


@pytest.mark.parametrize("model", sorted(INTERNALS))
def test_the_officer_of_yuhang_is_refused_each_internal_page_by_its_address(client, district_admin_yuhang, model):
    client.force_login(district_admin_yuhang)

    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 403
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403


def test_the_officer_of_yuhang_reads_the_holiday_calendar_without_changing_it(client, district_admin_yuhang):
    client.force_login(district_admin_yuhang)

    assert client.get(reverse("admin:portal_workdayoverride_changelist")).status_code == 200
    assert client.get(reverse("admin:portal_workdayoverride_add")).status_code == 403


def test_a_superuser_still_keeps_every_internal(client, superuser):
    client.force_login(superuser)

    index = _index(client)

    for model in INTERNALS:
        assert reverse(f"admin:{model}_changelist") in index, model
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200, model
