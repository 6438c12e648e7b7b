"""/healthz and the admins' banner tell when messages stop going out: a worker that stopped, a message that waits.

The heartbeat that a worker records every minute (portal/tasks.py) goes stale when no worker or no beat runs;
the outbox says how long its oldest message has waited. Either makes /healthz 503, naming the reason, and puts
"短信和消息暂未发出" on the pages of district admins and superusers, who can have the worker restarted.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from portal.accounts.models import User
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import OutboxMessage, OutboxState
from portal.notifications.schedule import schedule_install
from portal.tasks import WORKER_HEARTBEAT_ENTRY, WORKER_HEARTBEAT_KEY

BANNER = "短信和消息暂未发出"


@pytest.fixture
def installed_schedule(db):
    """The beat schedule as `make run` installs it, with beat having sent the heartbeat a minute ago."""
    schedule_install()
    PeriodicTask.objects.filter(name=WORKER_HEARTBEAT_ENTRY).update(
        last_run_at=timezone.now() - datetime.timedelta(seconds=60)
    )


@pytest.fixture
def heartbeat():
    """heartbeat(seconds_ago) stores the worker's last heartbeat; heartbeat(None) removes it."""

    def record(seconds_ago: float | None) -> None:
        if seconds_ago is None:
            cache.delete(WORKER_HEARTBEAT_KEY)
        else:
            cache.set(WORKER_HEARTBEAT_KEY, time.time() - seconds_ago, timeout=None)

    yield record
    cache.delete(WORKER_HEARTBEAT_KEY)


def _waiting_message(*, minutes: int) -> None:
    message = OutboxMessage.objects.create(
        idempotency_key=f"waiting:{minutes}",
        kind=Kind.ISSUE_PROGRESS,
        channel=Channel.SMS,
        phone="13912345678",
        subject="议题已受理",
        body="您反映的议题已受理。",
        state=OutboxState.PENDING,
        next_attempt_at=timezone.now(),
    )
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=minutes))


def _problems(client) -> tuple[int, list[str], dict]:
    response = client.get("/healthz")
    body = response.json()
    return response.status_code, [problem["code"] for problem in body["problems"]], body


def test_healthz_is_ok_while_the_worker_beats_and_nothing_waits(client, installed_schedule, heartbeat):
    heartbeat(20)
    status, problems, body = _problems(client)
    assert (status, problems) == (200, [])
    assert body["status"] == "ok"
    assert 19 < body["worker_heartbeat_age_seconds"] < 60


def test_healthz_is_503_when_the_worker_heartbeat_is_45_minutes_old(client, installed_schedule, heartbeat):
    heartbeat(2704)
    status, problems, body = _problems(client)
    assert (status, problems) == (503, ["worker_heartbeat_stale"])
    assert body["status"] == "error"
    assert "2704 s old" in body["problems"][0]["detail"]
    # Every server answers: it is the worker that stopped.
    assert all(check["ok"] for check in body["checks"].values())


def test_a_heartbeat_two_minutes_old_is_a_late_beat_not_an_alarm(client, installed_schedule, heartbeat):
    heartbeat(120)
    assert _problems(client)[:2] == (200, [])


def test_healthz_is_503_when_beat_sends_the_heartbeat_but_no_worker_records_it(client, installed_schedule, heartbeat):
    heartbeat(None)
    status, problems, _body = _problems(client)
    assert (status, problems) == (503, ["worker_heartbeat_missing"])


def test_a_fresh_installation_whose_beat_has_not_sent_a_heartbeat_yet_is_ok(client, db, heartbeat):
    schedule_install()
    heartbeat(None)
    assert _problems(client)[:2] == (200, [])


def test_without_a_heartbeat_in_the_schedule_nothing_says_one_should_beat(client, installed_schedule, heartbeat):
    PeriodicTask.objects.filter(name=WORKER_HEARTBEAT_ENTRY).update(enabled=False)
    heartbeat(2704)
    assert _problems(client)[:2] == (200, [])


def test_healthz_is_503_when_a_message_has_waited_16_minutes(client, installed_schedule, heartbeat):
    heartbeat(10)
    _waiting_message(minutes=16)
    status, problems, body = _problems(client)
    assert (status, problems) == (503, ["outbox_waiting_too_long"])
    assert body["outbox"]["pending"] == 1


def test_a_message_waiting_14_minutes_is_no_alarm_yet(client, installed_schedule, heartbeat):
    heartbeat(10)
    _waiting_message(minutes=14)
    assert _problems(client)[:2] == (200, [])


def test_healthz_names_every_reason_at_once(client, installed_schedule, heartbeat):
    heartbeat(2704)
    _waiting_message(minutes=50)
    assert _problems(client)[:2] == (503, ["worker_heartbeat_stale", "outbox_waiting_too_long"])


def test_the_district_admin_sees_on_the_issue_desk_that_messages_are_not_going_out(
    client, installed_schedule, heartbeat, district_admin_yuhang
):
    heartbeat(2704)
    _waiting_message(minutes=50)
    client.force_login(district_admin_yuhang)
    page = client.get("/staff/issues/").content.decode()
    assert 'data-testid="delivery-alert"' in page
    assert BANNER in page
    assert "后台任务进程（Celery worker 和 beat）没有在运行" in page
    assert "最早的一条已等待 50 分钟" in page


def test_a_superuser_sees_the_banner_in_the_admin(client, installed_schedule, heartbeat):
    root = User.objects.create_superuser(username="root", password="correct-horse-42", email="root@example.org")
    heartbeat(2704)
    client.force_login(root)
    page = client.get("/admin/").content.decode()
    assert 'data-testid="delivery-alert"' in page
    assert BANNER in page


def test_village_staff_are_not_shown_what_only_an_admin_can_fix(
    client, installed_schedule, heartbeat, village_staff_qingshan
):
    heartbeat(2704)
    client.force_login(village_staff_qingshan)
    page = client.get("/staff/issues/").content.decode()
    assert BANNER not in page


def test_no_banner_while_messages_go_out(client, installed_schedule, heartbeat, district_admin_yuhang):
    heartbeat(30)
    _waiting_message(minutes=2)
    client.force_login(district_admin_yuhang)
    page = client.get("/staff/issues/").content.decode()
    assert BANNER not in page


def test_the_banner_costs_one_indexed_lookup_and_never_counts_the_outbox(
    client, installed_schedule, heartbeat, district_admin_yuhang
):
    heartbeat(30)
    _waiting_message(minutes=2)
    client.force_login(district_admin_yuhang)
    with CaptureQueriesContext(connection) as queries:
        client.get("/staff/issues/")
    outbox_queries = [query["sql"] for query in queries if "notifications_outboxmessage" in query["sql"]]
    assert len(outbox_queries) == 1
    assert "COUNT(" not in outbox_queries[0].upper()
    assert "LIMIT 1" in outbox_queries[0].upper()


def test_the_banner_speaks_english_to_an_admin_reading_in_english(
    client, installed_schedule, heartbeat, district_admin_yuhang
):
    heartbeat(2704)
    _waiting_message(minutes=1)
    client.force_login(district_admin_yuhang)
    page = client.get("/staff/issues/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "SMS and other messages are not going out." in page
    assert BANNER not in page
