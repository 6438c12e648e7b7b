"""A Redis cache that fails open: when Redis is down, every call answers as an empty cache would, and logs.

Nothing the portal keeps in the cache is worth an error page: rate-limit counters, the double-tap guard of
the issue form, the worker heartbeat. So when Redis is unreachable a read finds nothing, a write is dropped,
`add` reports success (a guard that cannot be checked lets the request through) and `incr` counts from zero.
Short socket timeouts and a single connection attempt keep a dead or unreachable Redis from holding a
request: a villager on a weak signal must not wait on our cache.

Sessions live in the database and only a short-lived copy of each is kept here (portal/session_store.py), so
nobody is logged out or locked out by an outage.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger("portal.cache")

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Seconds: Redis answers in well under a millisecond on the same network; longer means it is not there.
CONNECT_TIMEOUT = 0.5
COMMAND_TIMEOUT = 1.0
# After a failure, calls skip Redis for this long: a host that does not answer costs its timeout once per
# process and pause, not on every call of every request.
RETRY_AFTER_SECONDS = 3.0
T = TypeVar("T")


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django wraps the connection pool in a new redis.Redis on every call, which costs more than a GET on the same
    network (it builds the client's table of reply parsers each time): one client per pool is made once here."""

    def __init__(self, servers: Any, **options: Any) -> None:
        super().__init__(servers, **options)
        # One for writes, one for reads (with replicas, each instance keeps reading from the one it first chose).
        self._clients: dict[bool, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        client = self._clients.get(write)
        if client is None:
            client = self._clients[write] = super().get_client(key, write=write)
        return client


class FailOpenRedisCache(RedisCache):
    # Shared by every thread's instance in the process: one failure spares them all the wait.
    _skip_until: float = 0.0

    @classmethod
    def retry_now(cls) -> None:
        """Forget the last failure, so the next call tries Redis again (a test that restarted it)."""
        cls._skip_until = 0.0

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", COMMAND_TIMEOUT)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient

    def _fail_open(self, operation: str, call: Callable[[], T], fallback: T) -> T:
        if time.monotonic() < FailOpenRedisCache._skip_until:
            logger.warning(
                "cache unavailable, %s failed open: Redis failed less than %s s ago", operation, RETRY_AFTER_SECONDS
            )
            return fallback
        try:
            return call()
        except UNAVAILABLE as error:
            FailOpenRedisCache._skip_until = time.monotonic() + RETRY_AFTER_SECONDS
            # Every time, with what was not done: a rate limit that went unchecked must show in the log.
            logger.warning("cache unavailable, %s failed open: %s: %s", operation, type(error).__name__, error)
            return fallback

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._fail_open(
            f"add {key!r}", lambda: super(FailOpenRedisCache, self).add(key, value, timeout, version), True
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._fail_open(
            f"get {key!r}", lambda: super(FailOpenRedisCache, self).get(key, default, version), default
        )

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        self._fail_open(f"set {key!r}", lambda: super(FailOpenRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._fail_open(
            f"touch {key!r}", lambda: super(FailOpenRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._fail_open(f"delete {key!r}", lambda: super(FailOpenRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._fail_open("get_many", lambda: super(FailOpenRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._fail_open(f"has_key {key!r}", lambda: super(FailOpenRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._fail_open(
            f"incr {key!r}", lambda: super(FailOpenRedisCache, self).incr(key, delta, version), delta
        )

    def set_many(self, data: dict[Any, Any], timeout: Any = None, version: int | None = None) -> list[Any]:
        return self._fail_open(
            "set_many", lambda: super(FailOpenRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def set_many_if_up(self, data: dict[Any, Any], timeout: Any = None, version: int | None = None) -> bool:
        """set_many that says whether Redis took the values: False when it is down (so the caller can retry)."""

        def write() -> bool:
            super(FailOpenRedisCache, self).set_many(data, timeout, version)
            return True

        return self._fail_open("set_many", write, False)

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._fail_open("delete_many", lambda: super(FailOpenRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._fail_open("clear", lambda: super(FailOpenRedisCache, self).clear(), None)
