"""A district's or the whole installation's dashboard is never counted during the request: the first officer to
open it is told a worker is counting it, and the page looks again every few seconds; everyone after gets the
kept board at once, with the time it was counted; an old board is shown while a worker counts a fresh one. A
town's board is counted in the request. Without Redis the board is counted in the request: slower, never lost."""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Iterator
from typing import cast

import pytest
import redis
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from portal.celery import app

BOARD_TASK = "stats.tasks.board_compute"


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    """The test run's Redis as Celery's broker: what the pages queue waits in its list for a worker."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("celery")
    yield client
    client.delete("celery")


@pytest.fixture(autouse=True)
def boards_kept(settings):
    settings.STATS_DASHBOARD_SECONDS = 600
    cache.clear()


def queued(broker: redis.Redis) -> list[tuple[str, list]]:
    messages = [json.loads(raw) for raw in broker.lrange("celery", 0, -1)]
    return [(message["headers"]["task"], json.loads(base64.b64decode(message["body"]))[0]) for message in messages]


def run_as_the_worker(broker: redis.Redis) -> None:
    """Takes each queued message off the broker and runs its task, as a worker would."""
    while (raw := broker.rpop("celery")) is not None:
        message = json.loads(cast(bytes, raw))
        args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        app.tasks[message["headers"]["task"]](*args, **kwargs)


def test_the_district_officers_first_view_asks_a_worker_and_the_next_shows_its_board(
    client, broker, tree, district_admin_yuhang, qingshan_tongxinhui, enrol, django_assert_max_num_queries
):
    enrol(qingshan_tongxinhui)
    client.force_login(district_admin_yuhang)
    first = client.get(reverse("stats:dashboard")).content.decode()
    assert 'data-testid="still-counting"' in first
    assert '<meta http-equiv="refresh" content="5">' in first
    assert "在册会员" in first  # the headline figures are there at once
    assert 'data-testid="figure-issues_month"' not in first
    assert [task for task, _args in queued(broker)] == [BOARD_TASK]

    # The page looks again while the worker has not answered: nothing more is asked of it.
    assert 'data-testid="still-counting"' in client.get(reverse("stats:dashboard")).content.decode()
    assert len(queued(broker)) == 1

    run_as_the_worker(broker)
    with django_assert_max_num_queries(12):
        counted = client.get(reverse("stats:dashboard")).content.decode()
    assert 'data-testid="still-counting"' not in counted and "refresh" not in counted
    assert 'data-testid="figure-issues_month"' in counted
    assert 'data-testid="computed-at"' in counted
    assert queued(broker) == []


def test_a_board_older_than_ten_minutes_is_shown_while_a_worker_counts_a_fresh_one(
    client, broker, tree, district_admin_yuhang
):
    client.force_login(district_admin_yuhang)
    client.get(reverse("stats:dashboard"))
    run_as_the_worker(broker)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=11)):
        page = client.get(reverse("stats:dashboard")).content.decode()
    assert 'data-testid="figure-issues_month"' in page and 'data-testid="still-counting"' not in page
    assert [task for task, _args in queued(broker)] == [BOARD_TASK]


def test_the_pdf_and_the_tables_of_a_board_being_counted_wait_for_it(client, broker, tree, district_admin_yuhang):
    client.force_login(district_admin_yuhang)
    pdf = client.get(reverse("stats:report_pdf"), {"region": tree.yuhang.pk}, follow=True)
    assert pdf.redirect_chain and "正在后台计算" in pdf.content.decode()
    run_as_the_worker(broker)
    assert client.get(reverse("stats:report_pdf"), {"region": tree.yuhang.pk})["Content-Type"] == "application/pdf"


def test_a_towns_board_is_counted_in_the_request(client, broker, tree, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    page = client.get(reverse("stats:dashboard")).content.decode()
    assert 'data-testid="figure-issues_month"' in page and 'data-testid="still-counting"' not in page
    assert queued(broker) == []


def test_without_redis_the_district_board_is_counted_in_the_request(
    client,
    tree,
    district_admin_yuhang,
    real_redis,
):
    client.force_login(district_admin_yuhang)
    real_redis.stop()
    page = client.get(reverse("stats:dashboard"))
    assert page.status_code == 200
    assert 'data-testid="figure-issues_month"' in page.content.decode()
