"""The cache fails open: with Redis down every call answers as an empty cache would and says so in the log,
and the fixed-window rate limits let people through rather than lock them out."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from django.core.cache import cache

from portal.fail_open_cache import FailOpenRedisCache
from portal.rate_limits import FixedWindow

GUESSES = FixedWindow(name="test-guesses", seconds=60)


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_fixed_window_counts_each_key_apart_and_stops_at_the_limit(fresh_cache):
    for _ in range(3):
        assert not GUESSES.reached("10.0.0.1", limit=3)
        GUESSES.record("10.0.0.1")
    assert GUESSES.reached("10.0.0.1", limit=3)
    assert not GUESSES.reached("10.0.0.2", limit=3)
    assert not FixedWindow(name="another-limit", seconds=60).reached("10.0.0.1", limit=3)


def test_the_window_starts_at_the_first_event_and_is_not_extended(fresh_cache):
    short = FixedWindow(name="test-short", seconds=1)
    short.record("k")
    time.sleep(0.6)
    short.record("k")
    assert short.count("k") == 2
    time.sleep(0.6)
    assert short.count("k") == 0, "the second event did not extend the window"


def test_with_redis_down_the_cache_answers_empty_quickly_and_logs(real_redis, caplog):
    real_redis.stop()
    try:
        with caplog.at_level(logging.WARNING, logger="portal.cache"):
            started = time.monotonic()
            assert cache.get("anything", "default") == "default"
            assert cache.add("guard", 1) is True, "a guard that cannot be checked lets the request through"
            cache.set("key", 1)
            assert cache.incr("counter") == 1
            assert cache.get_many(["a", "b"]) == {}
            assert cache.delete("key") is False
            took = time.monotonic() - started
    finally:
        real_redis.start()
    assert took < 2.0
    assert sum("failed open" in record.getMessage() for record in caplog.records) == 6


def test_with_redis_down_a_rate_limit_lets_people_through_and_logs_a_warning(real_redis, caplog):
    real_redis.stop()
    try:
        with caplog.at_level(logging.WARNING):
            for _ in range(5):
                GUESSES.record("10.0.0.1")
            blocked = GUESSES.reached("10.0.0.1", limit=3)
    finally:
        real_redis.start()
    assert blocked is False
    assert any("ratelimit:test-guesses:10.0.0.1" in record.getMessage() for record in caplog.records)
    assert all(record.levelno == logging.WARNING for record in caplog.records if "failed open" in record.getMessage())


class SilentRedis:
    """A server that accepts connections and never answers: a Redis host that hangs rather than refuses."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.1)
        self.url = f"redis://127.0.0.1:{self.server.getsockname()[1]}/0"
        self.held: list[socket.socket] = []

    def connections_so_far(self) -> int:
        while True:
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                return len(self.held)
            self.held.append(connection)

    def close(self) -> None:
        for connection in self.held:
            connection.close()
        self.server.close()


def test_a_hanging_redis_holds_one_call_of_the_process_then_is_skipped_for_a_while(caplog):
    silent = SilentRedis()
    hanging = FailOpenRedisCache(silent.url, {})
    FailOpenRedisCache.retry_now()
    try:
        with caplog.at_level(logging.WARNING, logger="portal.cache"):
            answers = [hanging.get(f"key-{n}", "default") for n in range(10)]
            tried = silent.connections_so_far()
    finally:
        FailOpenRedisCache.retry_now()
        silent.close()
    assert answers == ["default"] * 10
    assert tried == 1, "after the first timeout the other nine calls did not wait on the host"
    assert sum("failed open" in record.getMessage() for record in caplog.records) == 10
