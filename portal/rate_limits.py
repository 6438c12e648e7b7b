"""Fixed-window rate limits counted in the cache, shared by every web worker.

The first event of a key starts its window; later events count within it and never extend it. When the
cache cannot be reached the limit fails open with a logged warning: an outage of Redis must not lock
villagers out of the public pages, and what these limits guard (guessing, flooding) is rare next to that.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.cache import cache

from portal.fail_open_cache import UNAVAILABLE

logger = logging.getLogger("portal.rate_limits")


@dataclass(frozen=True)
class FixedWindow:
    """At most `limit` events per `seconds` for each key; `name` keeps the keys of two limits apart."""

    name: str
    seconds: int

    def _key(self, key: str) -> str:
        return f"ratelimit:{self.name}:{key}"

    def count(self, key: str) -> int:
        try:
            return int(cache.get(self._key(key), 0) or 0)
        except UNAVAILABLE as error:
            logger.warning("rate limit %s not checked (cache unavailable): %s", self.name, error)
            return 0

    def reached(self, key: str, *, limit: int) -> bool:
        return self.count(key) >= limit

    def record(self, key: str) -> None:
        full_key = self._key(key)
        try:
            # add() starts the window at the first event; incr() never extends it.
            cache.add(full_key, 0, timeout=self.seconds)
            try:
                cache.incr(full_key)
            except ValueError:  # the window ended between the two calls
                cache.set(full_key, 1, timeout=self.seconds)
        except UNAVAILABLE as error:
            logger.warning("rate limit %s not counted (cache unavailable): %s", self.name, error)


def windows_reached(*checks: tuple[FixedWindow, str, int]) -> list[bool]:
    """For each (window, key, limit), whether the limit is reached: all read in one round trip to the cache."""
    keys = [window._key(key) for window, key, _limit in checks]
    try:
        found = cache.get_many(keys)
    except UNAVAILABLE as error:
        logger.warning("rate limits %s not checked (cache unavailable): %s", [each[0].name for each in checks], error)
        return [False] * len(checks)
    return [
        int(found.get(full_key, 0) or 0) >= limit for full_key, (_window, _key, limit) in zip(keys, checks, strict=True)
    ]
