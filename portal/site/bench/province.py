"""Building a province: generate into spools, COPY them into PostgreSQL in one transaction, rebuild what was set
aside, and describe the result for the benchmark runner (`.data/bench/province.json`)."""

from __future__ import annotations

import datetime
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.db.models import Count
from django.utils import translation

from activities.models import Activity, Audience
from activities.states import ActivityStatus
from consultations.models import Assignment, AssignmentState, Issue, Meeting, PublicNotice
from consultations.states import RESOLVED_STATES, MeetingState
from orgs.models import Organization, Region, RegionLevel
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.site.bench import bulk_load
from portal.site.bench.generator import ProvinceGenerator, Sizes
from portal.site.bench.spool import Spools


class _Lines:
    """A command's output, passed on line by line to our log."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log

    def write(self, text: str) -> None:
        if text.strip():
            self.log(f"  {text.strip()}")

    def flush(self) -> None:
        pass


class ProvinceRefused(Exception):
    """The database is not one a province may be loaded into (SQLite, or organizations already there)."""


@dataclass
class Timings:
    generate: float = 0.0
    copy: float = 0.0
    indexes: float = 0.0
    finish: float = 0.0
    total: float = 0.0
    per_table: dict[str, float] = field(default_factory=dict)


@dataclass
class Built:
    rows: dict[str, int]
    timings: Timings
    logins: dict[str, dict[str, str]]
    samples: dict[str, Any]
    sizes: Sizes

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def province_build(
    *,
    scale: float,
    seed: int,
    at: datetime.datetime,
    replace: bool = False,
    keep_indexes: bool = False,
    log: Callable[[str], None] = lambda _line: None,
) -> Built:
    if connection.vendor != "postgresql":
        raise ProvinceRefused(
            "bench_province loads with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database "
            f"(this one is {connection.vendor})."
        )
    started = time.perf_counter()
    timings = Timings()
    spools = Spools()
    try:
        with translation.override("zh-hans"), transaction.atomic():
            if Organization.objects.exists():
                if not replace:
                    raise ProvinceRefused(
                        "This database already has organizations; pass --replace to empty the portal's tables first."
                    )
                log("Emptying the portal's tables…")
                bulk_load.truncate_portal_tables(connection)
            generator = ProvinceGenerator(scale=scale, seed=seed, at=at, spools=spools)
            log(f"Generating {generator.sizes}…")
            generator.generate()
            spools.close()
            timings.generate = time.perf_counter() - started
            tables = [spool.table for spool in spools]
            aside = None if keep_indexes else bulk_load.set_aside_indexes(connection, tables)
            copy_started = time.perf_counter()
            for spool in spools:
                seconds = bulk_load.copy_spool(connection, spool)
                timings.per_table[spool.table] = seconds
                log(f"  {spool.table}: {spool.rows} rows in {seconds:.1f} s")
            timings.copy = time.perf_counter() - copy_started
            if aside is not None:
                index_started = time.perf_counter()
                log(f"Rebuilding {len(aside.indexes)} indexes and {len(aside.constraints)} constraints…")
                bulk_load.restore_indexes(connection, aside)
                timings.indexes = time.perf_counter() - index_started
            finish_started = time.perf_counter()
            bulk_load.reset_sequences(connection, [spool.model for spool in spools])
            # Statistics first: the recount of the counters and the choice of samples need good plans.
            bulk_load.analyze(connection, tables)
            log(f"Analyzed in {time.perf_counter() - finish_started:.1f} s.")
            if "counters_rebuild" in get_commands():
                counters_started = time.perf_counter()
                log("Rebuilding the counters…")
                call_command("counters_rebuild", stdout=_Lines(log))
                # What the rebuild wrote: the board flags of the notices and the tallies (not loaded above).
                rewritten = [PublicNotice._meta.db_table, *set(bulk_load.portal_tables()) - set(tables)]
                bulk_load.analyze(connection, sorted(rewritten))
                log(f"Counters rebuilt in {time.perf_counter() - counters_started:.1f} s.")
            samples_started = time.perf_counter()
            places = _measured_places()
            logins = _passwords_for(_measured_accounts(places))
            samples = _samples(places, at=at)
            log(f"Accounts and samples chosen in {time.perf_counter() - samples_started:.1f} s.")
            timings.finish = time.perf_counter() - finish_started
    finally:
        spools.close()
        spools.cleanup()
    timings.total = time.perf_counter() - started
    rows = {spool.table: spool.rows for spool in spools}
    return Built(rows=rows, timings=timings, logins=logins, samples=samples, sizes=generator.sizes)


# ---- what the benchmark runner measures with --------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    district: Region
    town: Region
    village: Region


def _measured_places() -> Places:
    """The biggest district (most places under it), its biggest town, and that town's busiest village."""
    district = max(
        Region.objects.filter(level=RegionLevel.DISTRICT).order_by("pk"),
        key=lambda place: Region.objects.filter(path__startswith=place.path).count(),
    )
    town = max(
        Region.objects.filter(parent=district).order_by("pk"),
        key=lambda place: Region.objects.filter(parent=place).count(),
    )
    busiest = (
        Issue.objects.filter(region__parent=town)
        .values("region_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "region_id")
        .first()
    )
    village = (
        Region.objects.get(pk=busiest["region_id"])
        if busiest
        else Region.objects.filter(parent=town).order_by("pk").first()
    )
    assert village is not None, "every town has a village"
    return Places(district=district, town=town, village=village)


def _measured_accounts(places: Places) -> dict[str, User]:
    """One account per role with a realistic scope: the admin of the biggest district, the staff of its biggest
    town and of that town's busiest village, the handler with the fullest queue, the member with most issues."""
    fullest = (
        Assignment.objects.filter(state__in=[AssignmentState.OPEN, AssignmentState.ACKNOWLEDGED])
        .values("department_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "department_id")
        .first()
    )
    handlers = User.objects.filter(role=Role.DEPARTMENT_HANDLER).order_by("pk")
    if fullest:
        handlers = handlers.filter(department_id=fullest["department_id"])
    keenest = (
        Issue.objects.filter(submitter_user__role=Role.MEMBER)
        .values("submitter_user_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "submitter_user_id")
        .first()
    )
    members = User.objects.filter(role=Role.MEMBER).exclude(phone="").order_by("pk")
    if keenest:
        members = members.filter(pk=keenest["submitter_user_id"])
    accounts = {
        "district_admin": User.objects.filter(role=Role.DISTRICT_ADMIN, region=places.district).order_by("pk").first(),
        "town_staff": User.objects.filter(role=Role.TOWN_STAFF, region=places.town).order_by("pk").first(),
        "village_staff": User.objects.filter(role=Role.VILLAGE_STAFF, region=places.village).order_by("pk").first(),
        "department_handler": handlers.first(),
        "member": members.first(),
    }
    missing = [role for role, user in accounts.items() if user is None]
    if missing:
        raise RuntimeError(f"The province has no account for {missing}")
    return {role: user for role, user in accounts.items() if user is not None}


def _passwords_for(accounts: dict[str, User]) -> dict[str, dict[str, str]]:
    """A fresh password each run for the measured accounts, written only to the file. One for all five: each
    hash takes the hasher's full work factor, and these accounts guard generated data only."""
    password = secrets.token_urlsafe(12)
    User.objects.filter(pk__in=[user.pk for user in accounts.values()]).update(password=make_password(password))
    logins = {}
    for role, user in accounts.items():
        login = {"username": user.username, "password": password, "user_id": str(user.pk)}
        if user.phone:
            login["phone"] = user.phone
        logins[role] = login
    return logins


def _samples(places: Places, *, at: datetime.datetime) -> dict[str, Any]:
    """Ids and slugs of realistic rows in the measured village (or anywhere when it has none of a kind)."""
    org = Organization.objects.filter(region=places.village).order_by("pk").first()
    assert org is not None, "every village has its 同心荟"
    notices = PublicNotice.objects.filter(issue__state__in=RESOLVED_STATES)
    if any(each.name == "is_current" for each in PublicNotice._meta.get_fields()):
        notices = notices.filter(is_current=True)
    notice = (
        notices.filter(organization=org).order_by("-published_at", "-pk").first() or notices.order_by("-pk").first()
    )
    # Public, published and upcoming as a rule; a very small province may have only other kinds.
    upcoming = Activity.objects.filter(status=ActivityStatus.PUBLISHED, starts_at__gt=at).order_by("starts_at", "pk")
    activity = (
        upcoming.filter(host=org, audience=Audience.PUBLIC).first()
        or upcoming.filter(audience=Audience.PUBLIC).first()
        or upcoming.first()
        or Activity.objects.filter(audience=Audience.PUBLIC).order_by("-starts_at", "-pk").first()
    )
    held = Meeting.objects.filter(state=MeetingState.HELD).annotate(items=Count("agenda")).filter(items__gt=0)
    meeting = held.filter(organization=org).order_by("-scheduled_at").first() or held.order_by("-pk").first()
    issue = Issue.objects.filter(organization=org).order_by("-created_at", "-pk").first()
    assert notice and activity and meeting and issue, "a province has a notice, an activity, a meeting and an issue"
    return {
        "organization_slug": org.slug,
        "organization_id": org.pk,
        "notice_id": notice.pk,
        "activity_id": activity.pk,
        "meeting_id": meeting.pk,
        "issue_id": issue.pk,
        "receipt_code": issue.receipt_code,
        "phone_last4": issue.submitter_phone[-4:],
        "region_chain": {
            "district_id": places.district.pk,
            "town_id": places.town.pk,
            "village_id": places.village.pk,
        },
    }
