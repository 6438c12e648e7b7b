"""`make bench`: the portal at province scale, served as in production, page by page against a trivial view.

    .venv/bin/python bench/run.py --scale 0.01 [--rounds 5 --round-seconds 1.0 --label before]

Starts throwaway PostgreSQL and Redis (tests/harness/servers.py), migrates, loads a province
(`manage.py bench_province`, or the demo data as a stand-in where that command does not exist), collects the
static files and serves with gunicorn and portal.settings.production (4 workers, PORTAL_BENCH=1 for the
trivial view and the query header). Then, for every page a user reaches, 16 clients fetch the page and the
trivial view in alternate rounds; the reminder sweeps run in this process as beat would run them; a 10,000-row
roster goes through the admin's import; the phone form is fetched with everything it loads, compressed as a
phone asks for it. Appends the run to bench/results.json and writes bench/results.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import functools
import gzip
import html.parser
import json
import logging
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load, report  # noqa: E402
from bench.province import Province, province_read, stand_in_write  # noqa: E402
from tests.harness.servers import PostgresServer, RedisServer, _as_postgres, free_port  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 12; V2102A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0 Mobile Safari/537.36"
)
# What a phone's browser sends; whitenoise answers with the gzip files collectstatic wrote.
PHONE_ACCEPT_ENCODING = "gzip, deflate, br"
WORKERS = 4


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def git_commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def server_env(database_url: str, redis_url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # As behind the TLS proxy of production: it says https and appends the visitor's address.
        "TRUSTED_PROXY_COUNT": "1",
        "PORTAL_DATA_DIR": str(data_dir),
        "PORTAL_BENCH": "1",
    }


def manage(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - started


def province_load(env: dict[str, str], scale: float, data_dir: Path) -> tuple[Path, float, bool]:
    """Loads the province; returns where province.json is, the seconds it took and whether it is a stand-in."""
    from django.core.management import get_commands

    path = data_dir / "bench" / "province.json"
    if "bench_province" in get_commands():
        seconds = manage(env, "bench_province", "--scale", str(scale), "--output", str(path))
        return path, seconds, False
    log("manage.py bench_province does not exist yet: the demo data stands in for a province")
    seconds = manage(env, "seed_demo")
    stand_in_write(path)
    return path, seconds, True


class KeptPostgres(PostgresServer):
    """The bench's PostgreSQL in a folder that outlives the run (`--keep`): a province of scale 1.0 takes most of
    an hour to load, and is loaded once for the runs that follow."""

    def start(self) -> str:
        if not (self.datadir / "PG_VERSION").exists():
            return super().start()
        self.sockdir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.sockdir, user="postgres")
        options = (
            f"-p {self.port} -k {self.sockdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        pg_ctl = [str(self.bin / "pg_ctl"), "-D", str(self.datadir), "-l", str(self.datadir / "log")]
        subprocess.run(_as_postgres([*pg_ctl, "-o", options, "-w", "start"]), check=True, stdout=subprocess.DEVNULL)
        return f"postgres://portal:portal@127.0.0.1:{self.port}/portal"

    def stop(self) -> None:
        # A clean shutdown: the next run starts without recovering the loaded province.
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def kept_province(data_dir: Path, scale: float) -> Path | None:
    """province.json of a kept run at this scale, if there is one."""
    path = data_dir / "bench" / "province.json"
    if path.exists() and json.loads(path.read_text(encoding="utf-8")).get("scale") == scale:
        return path
    return None


class Gunicorn:
    def __init__(self, env: dict[str, str], logfile: Path) -> None:
        self.port = free_port()
        self.env = env
        self.logfile = logfile
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        command = [str(gunicorn), "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(WORKERS), "--timeout", "60", "--no-control-socket", "--backlog", "2048"]
        with self.logfile.open("wb") as output:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=output, stderr=output)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped: see {self.logfile}\n{self.logfile.read_text()[-2000:]}")
            try:
                answer = asyncio.run(load.fetch_once("127.0.0.1", self.port, get("/bench/trivial/", self.host)))
                if answer.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer within 60 s")

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def visitor_address(number: int) -> str:
    """A distinct network per request where limits are per network, as villagers on their own phones."""
    return f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}"


def phone_headers(host: str, address: str = "10.200.0.1") -> dict[str, str]:
    return {
        "User-Agent": PHONE_USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Accept-Language": "zh-CN,zh;q=0.9",
        "Accept-Encoding": PHONE_ACCEPT_ENCODING,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": address,
    }


def get(path: str, host: str, cookies: dict[str, str] | None = None) -> bytes:
    return load.request_bytes("GET", path, host=host, headers=phone_headers(host), cookies=cookies)


def get_target(
    name: str,
    group: str,
    path: str,
    host: str,
    cookies: dict[str, str] | None = None,
    fresh: Callable[[], dict[str, str]] | None = None,
    afresh: Callable[[int], str] | None = None,
) -> load.Target:
    """`fresh()` gives the cookies of a new session of the same visitor, for the page rendered afresh;
    `afresh(n)` the address of a view nobody asked for yet, for a page kept for everyone (the dashboard)."""
    raw = get(path, host, cookies)
    separator = "&" if "?" in path else "?"
    # A signed-in page is kept per session: a new session's first view is rendered from the database. The sessions
    # are made here, before the measuring loop, which runs in asyncio where the ORM may not be called.
    new_sessions = (
        [get(path, host, fresh()) for _ in range(load.RENDERED_REQUESTS)] if fresh is not None and not afresh else []
    )

    def rendered(number: int) -> bytes:
        if afresh is not None:
            return get(afresh(number), host, cookies)
        if new_sessions:
            return new_sessions[number % len(new_sessions)]
        # A public page is kept per query: one it does not read is rendered, as for the first visitor after a change.
        return get(f"{path}{separator}bench-render={uuid.uuid4().hex[:8]}{number}", host, cookies)

    return load.Target(name=name, group=group, build=lambda number: raw, rendered=rendered)


def post_target(
    name: str, group: str, path: str, host: str, cookies: dict[str, str], fields: Callable[[int], dict[str, str]]
) -> load.Target:
    def build(number: int) -> bytes:
        body = urllib.parse.urlencode(fields(number)).encode()
        headers = {
            **phone_headers(host, visitor_address(number)),
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{host}",
            "Referer": f"https://{host}{path}",
        }
        return load.request_bytes("POST", path, host=host, headers=headers, cookies=cookies, body=body)

    return load.Target(name=name, group=group, build=build, expect=frozenset({302}))


def csrf_pair(host: str, port: int) -> tuple[str, str]:
    """The cookie and the form token a visitor gets with the phone form; both may be sent many times."""
    page = asyncio.run(load.fetch_once("127.0.0.1", port, get("/issues/new/", host)))
    cookie = re.search(r"csrftoken=([^;]+)", page.headers.get("set-cookie", ""))
    body = gzip.decompress(page.body) if page.headers.get("content-encoding") == "gzip" else page.body
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if page.status != 200 or cookie is None or token is None:
        raise SystemExit(f"/issues/new/ gave no CSRF token ({page.status})")
    return cookie.group(1), token.group(1).decode()


def staff_samples(province: Province) -> dict[str, int]:
    """A meeting and an activity the village staff account may open (the province's samples may be elsewhere)."""
    from activities.scoping import activities_for
    from consultations.scoping import meetings_for
    from portal.accounts.models import User
    from portal.scoping import Action

    staff = User.objects.get(username=province.usernames["village_staff"])
    meeting = meetings_for(staff, Action.VIEW).filter(pk=province.meeting_id).first()
    meeting = meeting or meetings_for(staff, Action.VIEW).order_by("-pk").first()
    activity = activities_for(staff, Action.VIEW).filter(pk=province.activity_id).first()
    activity = activity or activities_for(staff, Action.VIEW).order_by("-pk").first()
    if meeting is None or activity is None:
        raise SystemExit("the village staff account sees no meeting or no activity")
    return {"meeting": meeting.pk, "activity": activity.pk}


def targets_build(province: Province, host: str, port: int) -> list[load.Target]:
    from bench.inprocess import session_cookie, visitor_session_cookie
    from consultations.models import IssueCategory
    from consultations.scoping import TRACKING_SESSION_KEY

    def signed_in(role: str) -> dict[str, str]:
        return {"sessionid": session_cookie(province.usernames[role])}

    def proof() -> dict[str, str]:
        return {"sessionid": visitor_session_cookie({TRACKING_SESSION_KEY: [province.receipt_code]})}

    # Each visitor's session, and how to make them a new one (a signed-in page is kept per session).
    fresh: dict[str, Callable[[], dict[str, str]]] = {
        role: functools.partial(signed_in, role)
        for role in ("village_staff", "town_staff", "district_admin", "department_handler", "member")
    }
    fresh["proven"] = proof
    sessions = {who: make() for who, make in fresh.items()}

    def page(
        name: str, group: str, path: str, who: str | None = None, afresh: Callable[[int], str] | None = None
    ) -> load.Target:
        if who is None:
            return get_target(name, group, path, host)
        return get_target(name, group, path, host, sessions[who], fresh[who], afresh)

    today = datetime.date.today()

    def dashboard_year(number: int) -> str:
        # The dashboard's figures are kept per area and period for everyone who opens them: a twelve-month window
        # of its own for each request is what the first officer to ask for a period waits for. A town's is counted
        # in the request; a district's page says a worker is counting it (board_compute's time, with the sweeps).
        end = today - datetime.timedelta(days=number + 1)
        return f"/staff/dashboard/?period=dates&from={end - datetime.timedelta(days=364)}&to={end}"

    csrf_cookie, csrf_token = csrf_pair(host, port)
    slug, code = province.organization_slug, province.receipt_code
    staff = staff_samples(province)
    meeting_path = f"/staff/issues/meetings/{staff['meeting']}/"
    category = IssueCategory.choices[0][0]

    def issue_fields(number: int) -> dict[str, str]:
        return {
            "csrfmiddlewaretoken": csrf_token,
            "organization": slug,
            "title": f"村口路灯坏了 {number}",
            "description": "村口到小学的路灯坏了三盏，晚上接孩子看不清路。",
            "category": category,
            "place": "村口",
            "submitter_name": "王秀英",
            # Numbers of a prefix the province's villagers do not use: the limit of 5 an hour is per phone.
            "submitter_phone": f"198{number % 10**8:08d}",
            "submission_token": uuid.uuid4().hex,
        }

    def track_fields(number: int) -> dict[str, str]:
        return {"csrfmiddlewaretoken": csrf_token, "code": code, "phone_last4": province.phone_last4}

    csrf = {"csrftoken": csrf_cookie}
    return [
        page("/", "public", "/"),
        page("/notices/", "public", "/notices/"),
        page("/notices/<id>/", "public", f"/notices/{province.notice_id}/"),
        page("/orgs/", "public", "/orgs/"),
        page("/orgs/<slug>/", "public", f"/orgs/{slug}/"),
        page("/activities/", "public", "/activities/"),
        page("/activities/<id>/", "public", f"/activities/{province.activity_id}/"),
        page("GET /issues/new/", "phone", "/issues/new/"),
        page("GET /issues/new/?org=", "phone", f"/issues/new/?org={slug}"),
        post_target("POST /issues/new/?org=", "write", f"/issues/new/?org={slug}", host, csrf, issue_fields),
        page("GET /issues/track/", "phone", "/issues/track/"),
        post_target("POST /issues/track/", "write", "/issues/track/", host, csrf, track_fields),
        page("/issues/track/<code>/", "phone", f"/issues/track/{code}/", "proven"),
        page("/issues/mine/ (member)", "phone", "/issues/mine/", "member"),
        page("/activities/mine/ (member)", "phone", "/activities/mine/", "member"),
        page("/staff/issues/ (village)", "staff", "/staff/issues/", "village_staff"),
        page("/staff/issues/ (town)", "staff", "/staff/issues/", "town_staff"),
        page("/staff/issues/meetings/", "staff", "/staff/issues/meetings/", "village_staff"),
        page("/staff/issues/meetings/<id>/", "staff", meeting_path, "village_staff"),
        page("/staff/roster/ (village)", "staff", "/staff/roster/", "village_staff"),
        page("/staff/roster/ (town)", "staff", "/staff/roster/", "town_staff"),
        page("/staff/activities/", "staff", "/staff/activities/", "village_staff"),
        page("/staff/activities/<id>/", "staff", f"/staff/activities/{staff['activity']}/", "village_staff"),
        page("/department/", "staff", "/department/", "department_handler"),
        page("/inbox/", "staff", "/inbox/", "village_staff"),
        page("/staff/dashboard/ (district)", "staff", "/staff/dashboard/", "district_admin", dashboard_year),
        page("/staff/dashboard/ (town)", "staff", "/staff/dashboard/", "town_staff", dashboard_year),
        page("/admin/consultations/issue/", "admin", "/admin/consultations/issue/", "district_admin"),
        page("/admin/members/person/", "admin", "/admin/members/person/", "district_admin"),
        page("/admin/members/membership/", "admin", "/admin/members/membership/", "district_admin"),
    ]


FETCHED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "apple-touch-icon", "manifest"}


class AssetFinder(html.parser.HTMLParser):
    """The stylesheets, scripts, images and icons a page makes the browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("href") and set((values.get("rel") or "").split()) & FETCHED_LINKS:
            self.urls.append(str(values["href"]))
        elif tag in {"script", "img"} and values.get("src"):
            self.urls.append(str(values["src"]))


CSS_URL = re.compile(rb"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def phone_form_bytes(host: str, port: int, path: str = "/issues/new/") -> dict[str, Any]:
    """The phone form and everything it loads, with the Accept-Encoding of a phone: bytes on the wire."""

    async def fetch(url: str) -> load.Response:
        return await load.fetch_once("127.0.0.1", port, get(url, host))

    resources: list[dict[str, Any]] = []
    seen: set[str] = set()
    queue = [path]
    while queue:
        url = queue.pop(0)
        if url in seen or url.startswith(("data:", "http:", "https:", "//")):
            continue
        seen.add(url)
        answer = asyncio.run(fetch(url))
        if answer.status != 200:
            raise SystemExit(f"the phone form loads {url}, which answers {answer.status}")
        encoding = answer.headers.get("content-encoding", "identity")
        resources.append({"path": url, "encoding": encoding, "wire_bytes": answer.wire_bytes})
        content_type = answer.headers.get("content-type", "")
        body = gzip.decompress(answer.body) if encoding == "gzip" else answer.body
        if "text/html" in content_type:
            finder = AssetFinder()
            finder.feed(body.decode("utf-8", "replace"))
            queue += [urllib.parse.urljoin(url, found) for found in finder.urls]
        elif "text/css" in content_type:
            queue += [urllib.parse.urljoin(url, found.decode()) for found in CSS_URL.findall(body)]
    return {"path": path, "resources": resources, "wire_bytes": sum(item["wire_bytes"] for item in resources)}


def pages_measure(targets: list[load.Target], host: str, port: int, *, rounds: int, seconds: float) -> list[Any]:
    trivial = get_target("trivial", "public", "/bench/trivial/", host)
    results = []
    for target in targets:
        comparison = asyncio.run(
            load.compare(target, trivial, host="127.0.0.1", port=port, clients=16, rounds=rounds, round_seconds=seconds)
        )
        summary = comparison.summary()
        log(
            f"{target.name}: {summary['queries']} queries, median {summary['median_ms']} ms, "
            f"p95 {summary['p95_ms']} ms, {summary['rps']} req/s, ratio {summary['ratio']}, "
            f"rendered afresh {summary['rendered_ms']} ms"
        )
        results.append(summary)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--rounds", type=int, default=5, help="alternate rounds of page and trivial view")
    parser.add_argument("--round-seconds", type=float, default=1.0)
    parser.add_argument("--label", default="", help="e.g. before or after")
    parser.add_argument("--roster-rows", type=int, default=10_000, help="0 skips the roster import")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--keep",
        type=Path,
        help="a folder for the database that outlives the run; a later run at the same scale reuses its province",
    )
    parser.add_argument(
        "--load-only", action="store_true", help="with --keep: load the province and stop, measuring nothing"
    )
    options = parser.parse_args()

    # A run stopped by `timeout` or Ctrl-C still stops its servers (the finally below).
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    started = time.perf_counter()
    workdir = options.keep.resolve() if options.keep else Path(tempfile.mkdtemp(prefix="portal-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if options.keep and os.geteuid() == 0:
        shutil.chown(workdir, user="postgres")
    postgres = KeptPostgres(workdir) if options.keep else PostgresServer(workdir)
    (workdir / f"redis-{os.getpid()}").mkdir()
    redis = RedisServer(workdir / f"redis-{os.getpid()}")
    server: Gunicorn | None = None
    try:
        env = server_env(postgres.start(), redis.start(), workdir / "data")
        os.environ.update(env)
        import django

        django.setup()
        # The sweeps would print every SMS they send through the log backend, and axes every session built.
        for name in ("", "portal.sms", "axes"):
            logging.getLogger(name).setLevel(logging.WARNING)
        timings = {"migrate": manage(env, "migrate", "--noinput", "-v0")}
        kept = kept_province(workdir / "data", options.scale) if options.keep else None
        if kept is not None:
            log(f"reusing the province kept in {workdir}")
            province_path, timings["province"], stand_in = kept, 0.0, False
        else:
            province_path, timings["province"], stand_in = province_load(env, options.scale, workdir / "data")
        province = province_read(province_path)
        if options.load_only:
            log(f"province {province.counts} loaded in {timings['province']:.0f} s; nothing measured")
            return 0
        timings["collectstatic"] = manage(env, "collectstatic", "--noinput", "-v0")
        server = Gunicorn(env, workdir / "gunicorn.log")
        server.start()
        log(f"gunicorn on {server.host} with {WORKERS} workers; province {province.counts}")

        from bench.inprocess import boards_count

        # Before the pages: the district dashboard is served from the board a worker counted.
        boards = boards_count(province.usernames["district_admin"])
        for board in boards:
            log(f"{board['name']}: {board['seconds']} s, {board['queries']} queries")
        targets = targets_build(province, server.host, server.port)
        pages = pages_measure(targets, server.host, server.port, rounds=options.rounds, seconds=options.round_seconds)
        phone_form = phone_form_bytes(server.host, server.port)
        log(f"phone form: {phone_form['wire_bytes']} bytes on the wire")
        server.stop()

        from bench.inprocess import large_export_measure, roster_import, sweeps_run

        sweeps = sweeps_run() + boards
        for sweep in sweeps:
            log(f"sweep {sweep['name']}: {sweep['seconds']} s, {sweep['queries']} queries")
        large_export = large_export_measure()
        log(f"large export: {large_export}")
        run: dict[str, Any] = {
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "commit": git_commit(),
            "label": options.label,
            "scale": options.scale,
            "stand_in": stand_in,
            "clients": 16,
            "workers": WORKERS,
            "rounds": options.rounds,
            "round_seconds": options.round_seconds,
            "province": {"counts": province.counts, "seconds": round(timings["province"], 1)},
            "timings": {name: round(value, 1) for name, value in timings.items()},
            "results": {
                "pages": pages,
                "phone_form": phone_form,
                "sweeps": sweeps,
                "large_export": large_export,
                "roster_import": None,
            },
        }
        # Kept before the roster import, which takes minutes: an interrupted run still leaves its pages.
        runs = report.results_append(options.output, {**run, "seconds": round(time.perf_counter() - started, 1)})
        if options.roster_rows:
            run["results"]["roster_import"] = roster_import(
                username=province.usernames["town_staff"], rows=options.roster_rows
            )
            log(f"roster import: {run['results']['roster_import']}")
            runs = report.results_replace_last(
                options.output, {**run, "seconds": round(time.perf_counter() - started, 1)}
            )
        print(report.markdown(runs))
        return 0
    finally:
        if server is not None:
            server.stop()
        redis.stop()
        postgres.stop()
        shutil.rmtree(workdir if not options.keep else workdir / f"redis-{os.getpid()}", ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
