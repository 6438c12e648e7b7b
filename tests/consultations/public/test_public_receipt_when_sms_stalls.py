"""The receipt page promises an SMS only while messages are going out: with the worker stopped, the villager is
told the SMS will be late and to keep the code now, before leaving the page."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from portal.notifications.schedule import schedule_install
from portal.tasks import WORKER_HEARTBEAT_ENTRY, WORKER_HEARTBEAT_KEY

pytestmark = pytest.mark.django_db

PROMISE = "回执码也会以短信发送到"
DELAYED = "短信暂时发不出去"


@pytest.fixture
def worker_last_seen() -> Iterator[Callable[[float], None]]:
    """worker_last_seen(seconds_ago): beat sent the heartbeat a minute ago; a worker recorded it that long ago."""
    schedule_install()
    PeriodicTask.objects.filter(name=WORKER_HEARTBEAT_ENTRY).update(
        last_run_at=timezone.now() - datetime.timedelta(seconds=60)
    )

    def record(seconds_ago: float) -> None:
        cache.set(WORKER_HEARTBEAT_KEY, time.time() - seconds_ago, timeout=None)

    yield record
    cache.delete(WORKER_HEARTBEAT_KEY)


def _receipt_page(client, issue_form_data) -> str:
    response = client.post(reverse("issues:new"), issue_form_data())
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_while_the_worker_beats_the_receipt_page_promises_the_sms(client, issue_form_data, worker_last_seen):
    worker_last_seen(20)
    page = _receipt_page(client, issue_form_data)
    assert PROMISE in page
    assert DELAYED not in page


def test_with_the_worker_stopped_the_receipt_page_says_the_sms_will_be_late(client, issue_form_data, worker_last_seen):
    worker_last_seen(2704)
    page = _receipt_page(client, issue_form_data)
    assert DELAYED in page
    assert "请现在就抄下或截图保存回执码" in page
    assert PROMISE not in page
