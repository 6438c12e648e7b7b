"""The parts of the bench that run inside the bench's own process, on the database the server reads: sessions
for the logged-in pages, the reminder sweeps as beat runs them, and a 10,000-row roster import through the
admin's import pages. Needs Django set up with the server's settings (bench/run.py does it).
"""

from __future__ import annotations

import contextlib
import datetime
import html
import io
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.report import EXPORT_MEMORY_GOAL_MB, sweep_goal_seconds

# Sweeps that only act from the 20th of a month are also run as on the 20th, so they are measured doing work.
MONTHLY_SWEEPS_FROM_20TH = ("issues_remind_agenda", "organizations_remind_no_activity")


@dataclass
class QueryCount:
    count: int = 0


@contextlib.contextmanager
def queries_counted() -> Iterator[QueryCount]:
    from django.db import connection

    counted = QueryCount()

    def counting(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict) -> Any:
        counted.count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        yield counted


def session_cookie(username: str, extra: dict[str, object] | None = None) -> str:
    """A signed-in session of the user, as the login page would leave it, saved in the session store."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from portal.accounts.models import User
    from portal.session_store import SessionStore

    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    for key, value in (extra or {}).items():
        store[key] = value
    store.create()
    assert store.session_key is not None
    return store.session_key


def visitor_session_cookie(extra: dict[str, object]) -> str:
    from portal.session_store import SessionStore

    store = SessionStore()
    for key, value in extra.items():
        store[key] = value
    store.create()
    assert store.session_key is not None
    return store.session_key


def _timed(name: str, run: Callable[[], int]) -> dict[str, object]:
    with queries_counted() as counted:
        started = time.perf_counter()
        queued = run()
        seconds = time.perf_counter() - started
    return {
        "name": name,
        "seconds": round(seconds, 3),
        "queries": counted.count,
        "queued": queued,
        "pass": seconds < sweep_goal_seconds(name),
    }


def sweeps_run() -> list[dict[str, object]]:
    """Every task of beat's default schedule, called in this process as the worker would, timed and counted."""
    from django.conf import settings
    from django.utils import timezone, translation

    from activities import reminders as activity_reminders
    from consultations import reminders as issue_reminders
    from portal.celery import app
    from portal.notifications.schedule import DEFAULT_SCHEDULE

    # Every app's tasks registered, as a worker's start registers them (each app owns its tasks module).
    app.loader.import_default_modules()
    results = []
    for entry in DEFAULT_SCHEDULE:

        def as_the_worker(task: Any = app.tasks[entry.task]) -> int:
            return int(task() or 0)

        results.append(_timed(entry.task.rsplit(".", 1)[-1], as_the_worker))
    today = timezone.localdate()
    if today.day < 20:
        twentieth = today.replace(day=20)
        for sweep in (issue_reminders.issues_remind_agenda, activity_reminders.organizations_remind_no_activity):

            def on_the_20th(sweep: Callable[..., int] = sweep, day: datetime.date = twentieth) -> int:
                with translation.override(settings.LANGUAGE_CODE):
                    return sweep(today=day)

            results.append(_timed(f"{sweep.__name__} (as on the 20th)", on_the_20th))
    return results + workers_share_run()


def boards_count(district_admin: str) -> list[dict[str, object]]:
    """The dashboards a worker counts (stats.tasks.board_compute), as it counts them: the district's of this month,
    which the district dashboard measured next is then served from, the district's of the last 12 months, and
    the whole installation's, opened by a superuser (a province officer). Each is judged by the claim a worker
    holds on a board (stats.kept_boards.COMPUTING_SECONDS): counted later than that, another is asked for."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from stats.tasks import board_compute

    users = get_user_model().objects
    district = users.get(username=district_admin)
    officer = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
    today = timezone.localdate().isoformat()
    boards = [
        ("district, this month", district, "month"),
        ("district, last 12 months", district, "last12"),
        ("whole installation, this month", officer, "month"),
    ]
    results = []
    for label, user, period in boards:
        if user is None:
            continue

        def count(user: Any = user, period: str = period) -> int:
            board_compute(user.pk, {}, {"period": period}, today, settings.LANGUAGE_CODE)
            return 0

        results.append(_timed(f"board_compute ({label})", count))
    return results


def _slowest(name: str, timings: list[dict[str, Any]]) -> list[dict[str, object]]:
    """The slowest of a sweep's worker tasks, named with how many there were and what they queued or sent."""
    if not timings:
        return []
    slowest = max(timings, key=lambda timing: timing["seconds"])
    total = sum(float(timing["seconds"]) for timing in timings)
    return [
        {
            **slowest,
            "name": f"{name} (slowest of {len(timings)}; {total:.1f} s in all)",
            "queued": sum(int(timing["queued"]) for timing in timings),
        }
    ]


def workers_share_run() -> list[dict[str, object]]:
    """What beat's hand-outs leave to the workers, run here one task after the other as a worker would take them:
    each chunk of the deadline, meeting and activity reminders, then the outbox dispatches until nothing is due.
    Each task is judged by the sweep goal; the totals say how long one worker alone would take (several share
    them in production)."""
    from django.utils import timezone

    from activities.tasks import registration_chunks, remind_activities_tomorrow_chunk
    from consultations.tasks import (
        deadline_chunks,
        meeting_chunks,
        remind_assignment_deadlines_chunk,
        remind_meetings_tomorrow_chunk,
    )
    from portal.notifications.sending import outbox_dispatch_batch
    from portal.notifications.tasks import DISPATCH_BATCH

    day = timezone.localdate().isoformat()
    chunked = [
        ("remind_assignment_deadlines_chunk", remind_assignment_deadlines_chunk, deadline_chunks(day)),
        ("remind_meetings_tomorrow_chunk", remind_meetings_tomorrow_chunk, meeting_chunks(day)),
        ("remind_activities_tomorrow_chunk", remind_activities_tomorrow_chunk, registration_chunks(day)),
    ]
    results: list[dict[str, object]] = []
    for name, chunk_task, chunks in chunked:
        timed = []
        for ids in chunks:

            def chunk(ids: list[int] = ids, chunk_task: Any = chunk_task) -> int:
                return int(chunk_task(day, ids))

            timed.append(_timed("chunk", chunk))
        results += _slowest(name, timed)
    dispatches: list[dict[str, Any]] = []
    # Bounded, so that a run on a province with a huge backlog still ends: 400 batches are 100,000 rows.
    while len(dispatches) < 400:
        claimed: list[int] = []

        def dispatch(claimed: list[int] = claimed) -> int:
            count, sent = outbox_dispatch_batch(limit=DISPATCH_BATCH)
            claimed.append(count)
            return sent

        dispatches.append(_timed("dispatch", dispatch))
        if claimed[0] < DISPATCH_BATCH:
            break
    return results + _slowest(f"outbox_dispatch, a batch of {DISPATCH_BATCH}", dispatches)


ROSTER_HEADERS = [
    "姓名",
    "性别",
    "手机号",
    "社会阶层",
    "职业",
    "行业",
    "专长",
    "政治面貌",
    "代表人士",
    "所在区域",
    "组织",
    "职务",
    "入会日期",
    "退出日期",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英志强丽娟海燕明华文军桂兰春梅小红伟东晓峰"


ROSTER_PHONE_PREFIX = "197"  # a prefix the generated province leaves free


def roster_workbook(rows: int, *, village: str, organization: str, start: int = 0) -> bytes:
    """`rows` new members, numbered from `start`: a province kept between runs already has the earlier ones."""
    import openpyxl

    from members.models import Stratum

    strata = [str(label) for _, label in Stratum.choices]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(ROSTER_HEADERS)
    for number in range(start, start + rows):
        name = SURNAMES[number % len(SURNAMES)] + GIVEN[(number // 20) % len(GIVEN)] + GIVEN[(number // 7) % 24]
        sheet.append(
            [
                name,
                "男" if number % 2 else "女",
                f"{ROSTER_PHONE_PREFIX}{number:08d}",
                strata[number % len(strata)],
                "个体经营",
                "农业",
                "",
                "群众",
                "否",
                village,
                organization,
                "会员",
                "2024-03-01",
                None,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def _confirm_fields(page: str, action: str) -> dict[str, str] | None:
    """The hidden fields of the preview's confirm form, as the browser sends them back; None without the form."""
    start = page.find(f'action="{action}"')
    if start < 0:
        return None
    form = page[start : page.index("</form>", start)]
    fields = {}
    for tag in INPUT.findall(form):
        attributes = dict(ATTRIBUTE.findall(tag))
        if "name" in attributes and attributes.get("type") != "submit":
            fields[attributes["name"]] = html.unescape(attributes.get("value", ""))
    return fields


def roster_import(*, username: str, rows: int = 10_000, host: str = "127.0.0.1") -> dict[str, object]:
    """The admin's two steps (upload with its dry run, then confirm), timed, as a town's staff member imports."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from members.models import Membership
    from orgs.models import RegionLevel
    from orgs.scoping import organizations_for
    from portal.accounts.models import User
    from portal.scoping import Action

    user = User.objects.get(username=username)
    organization = (
        organizations_for(user, Action.VIEW)
        .filter(region__level=RegionLevel.VILLAGE, is_active=True)
        .order_by("pk")
        .first()
    )
    assert organization is not None, f"{username} keeps no village organization"
    from members.models import Person

    earlier = Person.objects.filter(phone__startswith=ROSTER_PHONE_PREFIX).count()  # imported by earlier runs
    workbook = roster_workbook(rows, village=organization.region.name, organization=organization.name, start=earlier)
    client = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    before = Membership.objects.count()
    upload = SimpleUploadedFile(
        "名册.xlsx", workbook, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    started = time.perf_counter()
    with queries_counted() as preview_queries:
        preview = client.post(
            reverse("admin:members_membership_import"), {"format": 0, "resource": 0, "import_file": upload}
        )
    preview_seconds = time.perf_counter() - started
    fields = _confirm_fields(preview.content.decode("utf-8"), reverse("admin:members_membership_process_import"))
    if preview.status_code != 200 or fields is None:
        saved = Path(tempfile.gettempdir()) / "bench-roster-preview.html"
        saved.write_bytes(preview.content)
        raise RuntimeError(f"the roster preview answered {preview.status_code} without a confirm form: see {saved}")
    started = time.perf_counter()
    with queries_counted() as confirm_queries:
        confirmed = client.post(reverse("admin:members_membership_process_import"), {**fields, "confirm": "1"})
    confirm_seconds = time.perf_counter() - started
    added = Membership.objects.count() - before
    if confirmed.status_code != 302 or added != rows:
        raise RuntimeError(f"the roster import answered {confirmed.status_code} and added {added} of {rows} rows")
    return {
        "rows": rows,
        "organization": organization.name,
        "preview_seconds": round(preview_seconds, 1),
        "preview_queries": preview_queries.count,
        "confirm_seconds": round(confirm_seconds, 1),
        "confirm_queries": confirm_queries.count,
        "rows_per_second": round(rows / (preview_seconds + confirm_seconds), 1),
    }


def large_export_measure() -> dict[str, object]:
    """The whole province's roster (every membership) as the worker builds it: asked for by a province officer
    through the dashboard's service, then built by export_build in a process of its own, which reports its own
    peak resident memory (imports included) when it ends."""
    import os
    import subprocess
    import sys

    from portal.accounts.models import User
    from stats.export_requests import roster_export_request
    from stats.scoping import Focus

    officer, _created = User.objects.get_or_create(
        username="bench_province_officer", defaults={"is_superuser": True, "is_staff": True}
    )
    export = roster_export_request(user=officer, focus=Focus(region=None))
    script = (
        "import django, resource, time; django.setup();"
        "from stats.large_exports import export_build;"
        "started = time.perf_counter();"
        f"built = export_build(export_id={export.pk});"
        "seconds = round(time.perf_counter() - started, 1);"
        "print(built.rows, seconds, built.state, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parent.parent,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    )
    rows, seconds, state, peak_kb = done.stdout.split()[-4:]
    peak_mb = round(int(peak_kb) / 1024, 1)  # Linux reports kilobytes
    return {
        "rows": int(rows),
        "seconds": float(seconds),
        "state": state,
        "peak_mb": peak_mb,
        "pass": peak_mb < EXPORT_MEMORY_GOAL_MB and state == "ready",
    }
