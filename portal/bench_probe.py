"""What `make bench` needs from the server it measures, served only when the environment sets PORTAL_BENCH=1.

A page's throughput means little on its own: it is read against a trivial view served by the same process,
through the same middleware, measured alternately with it (bench/run.py). Each response names the number of
database queries its request ran, so the bench reads query counts off real production requests.

Never switched on in a real installation: the header tells anyone how much work a request costs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

QUERY_COUNT_HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    """Counts the queries of the whole request (first in MIDDLEWARE, so sessions and auth count too)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counting(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(count)
        return response


def trivial(request: HttpRequest) -> HttpResponse:
    """The yardstick: no template, no query; what is left is the middleware and the server."""
    return HttpResponse(b"ok", content_type="text/plain")


TRIVIAL_PATH = "bench/trivial/"
urlpatterns = [path(TRIVIAL_PATH, trivial, name="bench_trivial")]
