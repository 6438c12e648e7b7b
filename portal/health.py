"""/healthz: one JSON answer about the database, the cache and the broker, for monitors and load balancers."""

import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.celery import app as celery_app
from portal.notifications.outbox import outbox_report
from portal.tasks import worker_heartbeat_age_seconds


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def _check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _check_database,
    "cache": _check_cache,
    "broker": _check_broker,
}


def _run(check: Callable[[], None]) -> dict[str, object]:
    started = time.monotonic()
    try:
        check()
    except Exception as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    results = {name: _run(check) for name, check in CHECKS.items()}
    healthy = all(result["ok"] for result in results.values())
    body = {
        "status": "ok" if healthy else "error",
        "checks": results,
        # Informational: a worker that stopped shows here long before anyone misses a reminder.
        "worker_heartbeat_age_seconds": _safe(worker_heartbeat_age_seconds),
        # Informational too: messages waiting long mean no worker sends, whatever the broker says.
        "outbox": _safe(outbox_report),
    }
    return JsonResponse(body, status=200 if healthy else 503)


def _safe(read: Callable[[], object]) -> object:
    try:
        return read()
    except Exception:
        return None
