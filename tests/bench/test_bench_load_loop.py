"""The bench's measuring loop against a local server: a page and a yardstick in alternate rounds, a few requests."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.test.utils import override_settings

from bench import load

pytestmark = pytest.mark.django_db(transaction=True)


class QuietRequestHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@dataclass(frozen=True)
class Server:
    host: str
    port: int


@pytest.fixture
def probed_server() -> Iterator[Server]:
    """A threaded server of the portal with the bench's query counter first in its middleware."""
    with override_settings(MIDDLEWARE=["portal.bench_probe.QueryCountMiddleware", *settings.MIDDLEWARE]):
        handler = WSGIHandler()
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietRequestHandler, allow_reuse_address=True)
    server.set_app(handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(host="127.0.0.1", port=server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _target(server: Server, name: str, path: str) -> load.Target:
    raw = load.request_bytes("GET", path, host=f"{server.host}:{server.port}", headers={"Accept-Encoding": "gzip"})
    return load.Target(name=name, group="public", build=lambda number: raw)


def _compare(server: Server, target: load.Target, yardstick: load.Target) -> load.Comparison:
    # In a thread of its own: the browser tests of the same session leave an event loop running in this one.
    coroutine = load.compare(
        target,
        yardstick,
        host=server.host,
        port=server.port,
        clients=2,
        rounds=2,
        round_seconds=0.2,
        warmup_requests=1,
    )
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as runner:
        return runner.submit(asyncio.run, coroutine).result()


def test_the_loop_measures_a_page_and_its_yardstick_with_their_queries(probed_server, qingshan_tongxinhui):
    summary = _compare(
        probed_server, _target(probed_server, "/orgs/", "/orgs/"), _target(probed_server, "notices", "/notices/")
    ).summary()
    assert summary["name"] == "/orgs/"
    assert summary["statuses"] == {"200": summary["requests"]}
    assert isinstance(summary["requests"], int) and summary["requests"] >= 2
    # Read off each response's header (a page the cache answers may run none).
    assert isinstance(summary["queries"], int | float) and summary["queries_max"] is not None
    assert 0 < summary["median_ms"] <= summary["p95_ms"]
    assert summary["rps"] > 0
    assert summary["trivial"]["requests"] >= 2
    assert summary["ratio"] > 0
    assert summary["trivial"]["rps"] > 0


def test_the_ratio_is_the_median_of_the_back_to_back_rounds_so_one_disturbed_round_does_not_sway_it():
    page = load.Samples(round_rates=[100.0, 100.0, 10.0])  # the last round met a burst of background work
    trivial = load.Samples(round_rates=[200.0, 200.0, 200.0])
    target = load.Target(name="/orgs/", group="public", build=lambda number: b"", expect=frozenset({200}))
    assert load.Comparison(target=target, page=page, trivial=trivial).summary()["ratio"] == 0.5


def test_the_loop_stops_loudly_when_a_page_answers_what_no_visitor_should_get(probed_server, village_staff_qingshan):
    # Without a session the staff queue sends the visitor to the login page: that is not the page measured.
    with pytest.raises(load.BenchFailure, match=r"unexpected statuses \{302:"):
        _compare(
            probed_server,
            _target(probed_server, "/staff/issues/", "/staff/issues/"),
            _target(probed_server, "/orgs/", "/orgs/"),
        )


def test_nearest_rank_percentiles():
    ordered = [float(number) for number in range(1, 21)]
    assert load.percentile(ordered, 0.95) == 19.0
    assert load.percentile(ordered, 0.5) == 10.0
    assert load.percentile([7.0], 0.95) == 7.0
