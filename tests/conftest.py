"""Personas and places shared by the whole suite.

The tree: 余杭区 → 黄湖镇 → 青山村 (with 青山同心荟) and a neighbouring 王位山村; 临安区 stands apart.
Each persona is named after what they do, so a test reads as a sentence about them.

`@pytest.mark.any_hour` runs a test three times: at the real time, and with the clock at 00:30 and at 23:30
Asia/Shanghai of today. Between 00:00 and 08:00 Beijing time the UTC date is still yesterday's, and at 23:30 a
day's end is near, so a test (or the code under it) that takes the date of a UTC moment fails in one of them.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterator
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from members.models import Membership, MembershipRole, Person, Stratum
from orgs.models import (
    Department,
    DepartmentLevel,
    Organization,
    OrganizationKind,
    OrganizationLevel,
    RegionLevel,
)
from orgs.services import region_create
from portal.accounts.models import User
from portal.accounts.roles import Role

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# Local times the marked tests also run at; None is the real clock.
ANY_HOUR_TIMES: dict[str, datetime.time | None] = {
    "now": None,
    "0030-shanghai": datetime.time(0, 30),
    "2330-shanghai": datetime.time(23, 30),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock-at",
        metavar="HH:MM",
        default=None,
        help="run every test not marked any_hour with the clock at this Asia/Shanghai time of today "
        "(to find tests that depend on the hour)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("any_hour") is not None:
        metafunc.parametrize("any_hour_clock", list(ANY_HOUR_TIMES.values()), ids=list(ANY_HOUR_TIMES), indirect=True)


@pytest.fixture(autouse=True)
def any_hour_clock(request: pytest.FixtureRequest) -> Iterator[datetime.datetime | None]:
    """The moment the clock was set to for a test marked any_hour, or None (the real clock).

    Autouse, so it is set up before the test's other function fixtures: the data they make is stamped at the
    chosen hour too. The clock ticks on from there (tick=True), so durations and timeouts still pass. Only
    this process is moved: a Celery worker or a browser in another process keeps the real clock, so tests
    that depend on one are not marked.
    """
    local_time = getattr(request, "param", None)
    clock_at = request.config.getoption("--clock-at")
    if local_time is None and clock_at and not hasattr(request, "param"):
        local_time = datetime.time.fromisoformat(clock_at)
    if local_time is None:
        yield None
        return
    today = datetime.datetime.now(SHANGHAI).date()
    moment = datetime.datetime.combine(today, local_time, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=True):
        yield moment


class DemoSeed:
    """The demo data of `manage.py seed_demo`, loaded once for a run of tests that read it, rolled back after it.

    Loading it takes seconds, and some forty tests in four modules read it. It is loaded in a transaction that
    each test's own (a savepoint, as for any test) nests in, so what a test writes is rolled back as usual, and
    rolled back after the last test of the run (pytest_runtest_teardown), before any other test. It is loaded
    again when a test's clock differs from the one it was loaded at (any_hour): the demo is dated from the moment
    it runs, so a test at 00:30 reads a demo loaded at 00:30, as it did when each test loaded its own.
    """

    def __init__(self, django_db_blocker) -> None:
        self.blocker = django_db_blocker
        self.atomic: transaction.Atomic | None = None
        self.clock: datetime.time | None = None
        self.output = ""
        self.started = datetime.datetime.min.replace(tzinfo=datetime.UTC)

    def at(self, clock: datetime.time | None) -> str:
        if self.atomic is None or clock != self.clock:
            self.discard()
            with self.blocker.unblock():
                if connection.in_atomic_block:
                    raise RuntimeError("demo_seeded must be set up before any fixture that uses the database")
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
                self.started = timezone.now()
                out = StringIO()
                call_command("seed_demo", stdout=out)
            self.clock, self.output = clock, out.getvalue()
        return self.output

    def discard(self) -> None:
        if self.atomic is not None:
            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
            self.atomic = None


_DEMO_SEED = pytest.StashKey[DemoSeed]()


@pytest.fixture(scope="session")
def _demo_seed(request: pytest.FixtureRequest, django_db_setup, django_db_blocker) -> Iterator[DemoSeed]:
    seed = request.config.stash[_DEMO_SEED] = DemoSeed(django_db_blocker)
    yield seed
    seed.discard()


@pytest.fixture
def demo_seeded(request: pytest.FixtureRequest, _demo_seed: DemoSeed, any_hour_clock) -> str:
    """The database as `manage.py seed_demo` leaves it on an empty one, and what that first run printed."""
    output = _demo_seed.at(any_hour_clock.time() if any_hour_clock else None)
    # Only now the test's own transaction, inside the demo's (declared, it would be opened before the demo).
    request.getfixturevalue("db")
    return output


@pytest.fixture
def demo_loaded_from(demo_seeded, _demo_seed: DemoSeed) -> datetime.datetime:
    """The moment just before the demo the test reads started loading."""
    return _demo_seed.started


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    try:
        return (yield)
    finally:
        seed = item.config.stash.get(_DEMO_SEED, None)
        if seed is not None and "demo_seeded" not in getattr(nextitem, "fixturenames", ()):
            seed.discard()


def _clock_order(item: pytest.Item) -> int:
    callspec = getattr(item, "callspec", None)
    clock = callspec.params.get("any_hour_clock") if callspec else None
    return list(ANY_HOUR_TIMES.values()).index(clock)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that read the demo run one after another where the first of them was, those at the real clock
    first, then those at 00:30, then at 23:30: the demo is loaded once per clock."""
    seeded = [item for item in items if "demo_seeded" in getattr(item, "fixturenames", ())]
    if not seeded:
        return
    for item in seeded:
        # Last, so set up after the demo; and pytest-django sees a test that needs the test database.
        if "db" not in item.fixturenames:  # type: ignore[attr-defined]
            item.fixturenames.append("db")  # type: ignore[attr-defined]
    first = items.index(seeded[0])
    rest = [item for item in items if "demo_seeded" not in getattr(item, "fixturenames", ())]
    items[:] = rest[:first] + sorted(seeded, key=_clock_order) + rest[first:]


@pytest.fixture(scope="session", autouse=True)
def _close_stray_database_sessions(django_db_setup, django_db_blocker):
    """Live-server threads can leave a connection open; close them so the test database drops cleanly."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            # Client backends only: an autovacuum worker on the test database belongs to the superuser.
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def phone_context_args():
    """A cheap phone: 390 px wide, touch, zh-CN."""
    return {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }


@pytest.fixture
def tree(db):
    """The places of the suite, as a simple namespace of regions."""
    yuhang = region_create(name="余杭区", level=RegionLevel.DISTRICT, parent=None)
    huanghu = region_create(name="黄湖镇", level=RegionLevel.TOWN, parent=yuhang)
    qingshan = region_create(name="青山村", level=RegionLevel.VILLAGE, parent=huanghu)
    wangweishan = region_create(name="王位山村", level=RegionLevel.VILLAGE, parent=huanghu)
    linan = region_create(name="临安区", level=RegionLevel.DISTRICT, parent=None)
    longgang = region_create(name="龙岗镇", level=RegionLevel.TOWN, parent=linan)
    wanghu = region_create(name="望湖村", level=RegionLevel.VILLAGE, parent=longgang)

    class Tree:
        pass

    places = Tree()
    for name, region in locals().copy().items():
        if hasattr(region, "path"):
            setattr(places, name, region)
    return places


@pytest.fixture
def qingshan_tongxinhui(tree):
    return Organization.objects.create(
        name="青山同心荟",
        slug="qingshan",
        kind=OrganizationKind.TONGXINHUI,
        region=tree.qingshan,
        level=OrganizationLevel.VILLAGE,
        founded_on=datetime.date(2019, 2, 28),
    )


@pytest.fixture
def wangweishan_tongxinhui(tree):
    return Organization.objects.create(
        name="王位山同心荟",
        slug="wangweishan",
        kind=OrganizationKind.TONGXINHUI,
        region=tree.wangweishan,
        level=OrganizationLevel.VILLAGE,
        founded_on=datetime.date(2021, 5, 1),
    )


@pytest.fixture
def tianmu_alliance(tree):
    return Organization.objects.create(
        name="天目共富联盟（望湖村）",
        slug="tianmu-wanghu",
        kind=OrganizationKind.PROSPERITY_ALLIANCE,
        region=tree.wanghu,
        level=OrganizationLevel.VILLAGE,
        founded_on=datetime.date(2022, 3, 1),
    )


@pytest.fixture
def huanghu_water_office(tree):
    return Department.objects.create(name="黄湖镇农业农村办", level=DepartmentLevel.TOWN, region=tree.huanghu)


def _user(username: str, role: Role, **extra) -> User:
    user = User.objects.create_user(username=username, password="correct-horse-42", role=role, **extra)
    if role in (Role.DISTRICT_ADMIN, Role.TOWN_STAFF):
        # The admin site is their workplace; what they may do there is decided by scoping, not groups.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def district_admin_yuhang(tree):
    return _user("yuhang_admin", Role.DISTRICT_ADMIN, region=tree.yuhang, display_name="余杭统战部 陈主任")


@pytest.fixture
def town_staff_huanghu(tree):
    return _user("huanghu_staff", Role.TOWN_STAFF, region=tree.huanghu, display_name="黄湖镇 统战干部 王敏")


@pytest.fixture
def village_staff_qingshan(tree):
    return _user("qingshan_secretary", Role.VILLAGE_STAFF, region=tree.qingshan, display_name="青山村 秘书 李娟")


@pytest.fixture
def village_staff_wanghu(tree):
    return _user("wanghu_secretary", Role.VILLAGE_STAFF, region=tree.wanghu, display_name="望湖村 秘书 周强")


@pytest.fixture
def handler_huanghu(huanghu_water_office):
    return _user(
        "huanghu_handler",
        Role.DEPARTMENT_HANDLER,
        department=huanghu_water_office,
        display_name="农业农村办 经办人 赵磊",
    )


@pytest.fixture
def craftsman_in_qingshan(tree, qingshan_tongxinhui):
    person = Person.objects.create(
        name="张竹青", phone="13800001111", region=tree.qingshan, stratum=Stratum.FREELANCER, occupation="竹编手工艺者"
    )
    Membership.objects.create(
        person=person,
        organization=qingshan_tongxinhui,
        role=MembershipRole.MEMBER,
        joined_on=datetime.date(2019, 2, 28),
    )
    return person


@pytest.fixture
def member_craftsman(craftsman_in_qingshan):
    return _user("m13800001111", Role.MEMBER, person=craftsman_in_qingshan, phone="13800001111")


@pytest.fixture
def designer_in_wanghu(tree, tianmu_alliance):
    person = Person.objects.create(
        name="吴设计",
        phone="13900002222",
        region=tree.wanghu,
        stratum=Stratum.PRIVATE_ENTERPRISE,
        occupation="电梯企业工程师",
    )
    Membership.objects.create(
        person=person, organization=tianmu_alliance, role=MembershipRole.MEMBER, joined_on=datetime.date(2022, 3, 1)
    )
    return person
