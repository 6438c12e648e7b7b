"""After Beijing midnight beat asks the workers for this month's board of every district and of the whole
installation, so that the morning's first officer is not told to wait: once for each, in the portal's language,
for a reader who may open it; nothing is asked twice, nor while a view's request stands; with the broker gone
nothing is lost but the head start."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.notifications.schedule import DEFAULT_SCHEDULE, Crontab
from stats.tasks import boards_warm
from tests.notifications.conftest import broker_unreachable  # noqa: F401 (a fixture)
from tests.stats.test_board_requests import BOARD_TASK, broker, queued, run_as_the_worker  # noqa: F401

pytestmark = pytest.mark.django_db

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
# 17:40 UTC of the 3rd: Beijing is already on the 4th.
NIGHT = datetime.datetime(2026, 12, 4, 1, 40, tzinfo=BEIJING)
MORNING = datetime.datetime(2026, 12, 4, 8, 10, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def boards_kept(settings):
    settings.STATS_DASHBOARD_SECONDS = 600
    cache.clear()


@pytest.fixture
def officers(tree, district_admin_yuhang):
    """余杭's admin (with a colleague), 临安's admin, a district admin whose place is a town by mistake, a
    deactivated one, and the province's officer, a superuser without a place."""
    make = User.objects.create_user
    make(username="yuhang_colleague", password="x-42-correct", role=Role.DISTRICT_ADMIN, region=tree.yuhang)
    linan = make(username="linan_admin", password="x-42-correct", role=Role.DISTRICT_ADMIN, region=tree.linan)
    make(username="town_as_district", password="x-42-correct", role=Role.DISTRICT_ADMIN, region=tree.huanghu)
    make(username="gone", password="x-42-correct", role=Role.DISTRICT_ADMIN, region=tree.linan, is_active=False)
    province = User.objects.create_superuser(username="province", password="x-42-correct", email="p@example.org")
    return {"yuhang": district_admin_yuhang, "linan": linan, "province": province}


def test_the_warm_up_runs_after_the_nightly_snapshot_on_beijing_time():
    entries = {entry.task: entry for entry in DEFAULT_SCHEDULE}
    warm, snapshot = entries["stats.tasks.boards_warm"].when, entries["stats.tasks.snapshot_yesterday"].when
    assert isinstance(warm, Crontab) and isinstance(snapshot, Crontab)
    assert (int(warm.hour), int(warm.minute)) > (int(snapshot.hour), int(snapshot.minute))


def test_each_district_and_the_installation_are_asked_for_once_for_this_month(broker, tree, officers):  # noqa: F811
    with time_machine.travel(NIGHT, tick=False):
        assert boards_warm() == 3

    asked = queued(broker)
    assert [task for task, _args in asked] == [BOARD_TASK] * 3
    readers = {(args[0], tuple(sorted(args[1].items()))) for _task, args in asked}
    assert readers == {
        (officers["yuhang"].pk, (("region", str(tree.yuhang.pk)),)),
        (officers["linan"].pk, (("region", str(tree.linan.pk)),)),
        (officers["province"].pk, ()),
    }
    assert {args[2]["period"] for _task, args in asked} == {"month"}
    assert {args[3] for _task, args in asked} == {"2026-12-04"}, "Beijing's date, not UTC's (still the 3rd)"
    assert {args[4] for _task, args in asked} == {"zh-hans"}


def test_the_morning_officer_is_shown_the_counted_board_at_once(
    client,
    broker,  # noqa: F811
    officers,
):
    with time_machine.travel(NIGHT, tick=False):
        boards_warm()
        run_as_the_worker(broker)

    client.force_login(officers["yuhang"])
    with time_machine.travel(MORNING, tick=False):
        page = client.get(reverse("stats:dashboard")).content.decode()

    assert 'data-testid="still-counting"' not in page
    assert 'data-testid="figure-issues_month"' in page
    assert "01:40" in page.split('data-testid="computed-at"', 1)[1][:200], "shown with the time it was counted"
    # Older than the dashboard's ten minutes: shown at once, and a worker asked for a fresh one meanwhile.
    assert [task for task, _args in queued(broker)] == [BOARD_TASK]


def test_nothing_is_asked_twice_nor_while_a_view_already_asked(client, broker, officers):  # noqa: F811
    with time_machine.travel(NIGHT, tick=False):
        client.force_login(officers["yuhang"])
        client.get(reverse("stats:dashboard"))  # an officer up at night: a worker was asked for 余杭's board
        assert len(queued(broker)) == 1
        assert boards_warm() == 2
        run_as_the_worker(broker)
        assert boards_warm() == 0
    assert queued(broker) == []


def test_with_the_broker_gone_nothing_is_claimed_and_the_morning_view_asks_as_before(
    client,
    officers,
    broker_unreachable,  # noqa: F811
):
    with time_machine.travel(NIGHT, tick=False):
        assert boards_warm() == 0
    client.force_login(officers["yuhang"])
    with time_machine.travel(MORNING, tick=False):
        page = client.get(reverse("stats:dashboard")).content.decode()
    # No worker can be asked: the board is counted in the request, as a page does without a broker.
    assert 'data-testid="figure-issues_month"' in page
