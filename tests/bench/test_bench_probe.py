"""The bench's probe: a trivial view and a query count on each response, only where PORTAL_BENCH=1 says so."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from portal.bench_probe import QUERY_COUNT_HEADER

ROOT = Path(__file__).resolve().parent.parent.parent

# Where the production server would send /bench/trivial/, and whether it counts queries.
WIRING = """
from django.conf import settings
from django.urls import Resolver404, resolve
try:
    print(resolve("/bench/trivial/").url_name)
except Resolver404:
    print("absent")
print("portal.bench_probe.QueryCountMiddleware" in settings.MIDDLEWARE)
"""
# A visitor on the benchmarked server asks for the trivial view.
VISIT = (
    "from django.test import Client;"
    "c = Client(HTTP_HOST='portal.example.cn', HTTP_X_FORWARDED_PROTO='https');"
    "r = c.get('/bench/trivial/');"
    f"print(r.status_code, r.get('{QUERY_COUNT_HEADER}'), r.content.decode())"
)


def _production(script: str, **extra: str) -> list[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "ALLOWED_HOSTS": "portal.example.cn",
        **extra,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_a_production_server_has_no_trivial_view_and_counts_no_queries():
    assert _production(WIRING) == ["absent", "False"]


def test_a_benchmarked_server_serves_the_trivial_view_with_its_query_count():
    assert _production(WIRING, PORTAL_BENCH="1") == ["bench_trivial", "True"]
    # No session, no user: the yardstick runs no query at all.
    assert _production(VISIT, PORTAL_BENCH="1") == ["200", "0", "ok"]


@pytest.mark.django_db
def test_the_query_header_counts_every_query_of_a_signed_in_staff_page(client, village_staff_qingshan):
    client.force_login(village_staff_qingshan)
    probed = ["portal.bench_probe.QueryCountMiddleware", *_middleware()]
    with override_settings(MIDDLEWARE=probed), CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/issues/")
    assert response.status_code == 200
    # The session, the user and the page's own queries: all of them, as the connection saw them.
    assert int(response[QUERY_COUNT_HEADER]) == len(queries.captured_queries) > 2


def _middleware() -> list[str]:
    from django.conf import settings

    return list(settings.MIDDLEWARE)
