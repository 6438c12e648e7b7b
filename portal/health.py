"""/healthz: one JSON answer about the database, the cache and the broker, for monitors and load balancers.

It is 503 when a check fails, and also when messages are not going out although every server answers (the
worker stopped, or a message has waited too long): "problems" names each reason.
"""

import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.celery import app as celery_app
from portal.delivery_health import delivery_health
from portal.notifications.outbox import outbox_report
from portal.tasks import worker_heartbeat_age_seconds

T = TypeVar("T")


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
    problems = [
        {"code": f"{name}_unavailable", "detail": result["error"]}
        for name, result in results.items()
        if not result["ok"]
    ]
    outbox = _safe(outbox_report)
    # The report already holds the age of the oldest unsent message (waiting or being sent): no second lookup.
    oldest_waiting = outbox["oldest_pending_age_seconds"] if outbox is not None else None
    delivery = _safe(lambda: delivery_health(oldest_waiting_age_seconds=oldest_waiting))
    if delivery is not None:
        problems += [{"code": problem.code, "detail": problem.detail} for problem in delivery.problems]
    body = {
        "status": "error" if problems else "ok",
        "problems": problems,
        "checks": results,
        "worker_heartbeat_age_seconds": (
            delivery.heartbeat_age_seconds if delivery is not None else _safe(worker_heartbeat_age_seconds)
        ),
        "outbox": outbox,
    }
    return JsonResponse(body, status=503 if problems else 200)


def _safe(read: Callable[[], T]) -> T | None:
    try:
        return read()
    except Exception:
        return None
