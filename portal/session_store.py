"""Sessions kept in PostgreSQL and read through a short-lived copy in Redis: a signed-in page reads no row.

Every signed-in request reads its session. From the database that is a query with the ORM around it, most of
the cost of a kept page (portal/private_pages.py). Django's cached_db engine reads a copy in the cache instead,
but keeps that copy as long as the session lives (two weeks): a sign-out made while Redis cannot be reached
deletes the row, not the copy (the cache fails open), and once Redis answers again the copy would let the old
cookie back in for the rest of those two weeks.

Here the database stays the only record, and the copy lives at most SESSION_CACHE_SECONDS from the moment it
was read from the database or written. So:
- A Redis outage signs nobody out and locks nobody out: reads fall through to the database, as before.
- A sign-out, a flush or an expiry takes effect at once while Redis is up (the copy is deleted with the row);
  when Redis was unreachable at that moment, a copied cookie works for at most SESSION_CACHE_SECONDS more. The
  browser that signed out has dropped its cookie by then.
- A signed-in visitor's session is read from the database at most once per SESSION_CACHE_SECONDS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore

if TYPE_CHECKING:
    from django.contrib.sessions.base_session import AbstractBaseSession
    from django.core.cache.backends.base import BaseCache

DEFAULT_CACHE_SECONDS = 30


def _copy_seconds(expiry_age: int) -> int:
    limit = int(getattr(settings, "SESSION_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))
    return max(1, min(expiry_age, limit))


class SessionStore(CachedDBStore):
    cache_key_prefix = "portal.session:"

    if TYPE_CHECKING:  # what Django's engines have and django-stubs leaves out
        _cache: BaseCache
        _session: dict[str, Any]

        def _get_session_from_db(self) -> AbstractBaseSession | None: ...

        async def _aget_session_from_db(self) -> AbstractBaseSession | None: ...

    def load(self) -> dict[str, Any]:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # a key the cache refuses is a session it never held: read the database
            data = None
        if data is not None:
            return data
        row = self._get_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        self._cache.set(self.cache_key, data, _copy_seconds(self.get_expiry_age(expiry=row.expire_date)))
        return data

    def save(self, must_create: bool = False) -> None:
        DBStore.save(self, must_create)
        self._cache.set(self.cache_key, self._session, _copy_seconds(self.get_expiry_age()))

    async def aload(self) -> dict[str, Any]:
        try:
            data = await self._cache.aget(await self.acache_key())
        except Exception:  # as in load()
            data = None
        if data is not None:
            return data
        row = await self._aget_session_from_db()
        if not row:
            return {}
        data = self.decode(row.session_data)
        expiry_age = await self.aget_expiry_age(expiry=row.expire_date)
        await self._cache.aset(await self.acache_key(), data, _copy_seconds(expiry_age))
        return data

    async def asave(self, must_create: bool = False) -> None:
        await DBStore.asave(self, must_create)
        await self._cache.aset(await self.acache_key(), self._session, _copy_seconds(await self.aget_expiry_age()))
