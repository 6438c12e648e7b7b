"""Public pages kept whole in the cache for anonymous visitors, rendered again once what they show changes.

A villager who scans a QR code carries no cookie: for such a GET the page is looked up by its path and query,
the language, Beijing's date and one version per thing it shows ("notices", "activities"...). The services
that change those things call `page_cache_touch(...)`, which gives each named thing a new version once the
transaction commits, so the next visitor's key finds nothing and the page is rendered from the database.

What must never be shared stays out of the stored page: cookies and headers are not stored (the middleware
sets them again on every answer, CSRF cookie and Vary included), and each CSRF token of a form is cut out and
written in afresh for each visitor, as is each value a view declares per visitor (`PerVisitor`: a form's
one-use token). A page that must show one visitor something of their own (a rate-limit block) says so with
`fresh_when`: that visitor's page is rendered afresh and never kept. A request with a session or messages
cookie, a signed-in visitor, an htmx request or a query the page does not read is rendered as usual and not
stored. Pages live at most PAGE_CACHE_SECONDS and never past Beijing's midnight, so a page that reads the clock
("公示中", upcoming activities) is at most that far behind, and a version bump lost to a Redis outage is too.

The cache fails open (portal.fail_open_cache): with Redis down every page is rendered as if nothing were kept.
A bump that could not be written is kept in the process and written before its next look-up.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone, translation
from django.utils.html import escape

from portal.csrf_tokens import csrf_token_for
from portal.fail_open_cache import FailOpenRedisCache
from portal.holed_gzip import KeptBody, kept_body, kept_response

logger = logging.getLogger("portal.page_cache")

VERSION_PREFIX = "page-cache:version:"
# The number names the kept form (portal/holed_gzip.py): a page kept by an older release is never read.
PAGE_PREFIX = "page-cache:page:2:"
DEFAULT_SECONDS = 60
# Versions named so belong to one visitor or account (portal/private_pages.py) and are kept a day, not for good.
PASSING_VERSION_PREFIX = "visitor:"
PASSING_VERSION_SECONDS = 24 * 3600
# Longer queries are somebody's experiment, not a link of ours: rendered, never stored.
MAX_QUERY_LENGTH = 300
CSRF_HOLE = "\x00csrf-token\x00"
CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')


# Below this length a value could stand in the page by chance (a count, a word): never cut out, never kept.
PER_VISITOR_MIN_LENGTH = 16
_PER_VISITOR_ATTRIBUTE = "_page_cache_per_visitor"


class PerVisitor:
    """A value every visitor gets their own of, such as a form's one-use token, declared by the view's public_page.

    The view takes it with `value(request)`; the kept page carries a hole in its place, and each visitor served
    that page gets a value made afresh by `make`. A value the page shows must come out of `make` long and
    random enough never to stand in the page by chance.
    """

    def __init__(self, name: str, make: Callable[[], str]) -> None:
        self.name = name
        self.make = make
        self.hole = f"\x00per-visitor:{name}\x00"

    def value(self, request: HttpRequest) -> str:
        """This visitor's value: made once per request, whether or not the page is kept."""
        values: dict[str, str] | None = getattr(request, _PER_VISITOR_ATTRIBUTE, None)
        if values is None:
            values = {}
            setattr(request, _PER_VISITOR_ATTRIBUTE, values)
        if self.name not in values:
            values[self.name] = self.make()
        return values[self.name]


class Shown(StrEnum):
    """What public pages show, each with its own version."""

    ORGANIZATIONS = "orgs"
    REGIONS = "regions"
    MEMBERS = "members"
    NOTICES = "notices"
    ACTIVITIES = "activities"


EVERYTHING: tuple[Shown, ...] = tuple(Shown)

_pending_lock = threading.Lock()
# Bumps that a Redis outage kept from being written: written before this process serves a cached page again.
_pending: set[str] = set()


def page_cache_touch(*shown: Shown | str) -> None:
    """Pages showing any of these are rendered afresh once the current transaction commits (now, outside one).

    Each call queues one write to Redis: a service changing many rows touches once, with all the names."""
    if shown:
        names = frozenset(str(name) for name in shown)
        transaction.on_commit(functools.partial(_bump, names), robust=True)


def _bump(names: Iterable[str]) -> None:
    names = set(names)
    with _pending_lock:
        names |= _pending
        _pending.clear()
    values = {VERSION_PREFIX + name: _new_version() for name in names}
    lasting = {key: value for key, value in values.items() if _version_seconds(key) is None}
    passing = {key: value for key, value in values.items() if key not in lasting}
    if not (_write_versions(lasting) and _write_versions(passing, timeout=PASSING_VERSION_SECONDS)):
        logger.warning("page cache: versions of %s not written, kept for the next look-up", sorted(names))
        with _pending_lock:
            _pending.update(names)


def _new_version() -> str:
    return uuid.uuid4().hex[:16]


def _version_seconds(key: str) -> int | None:
    """How long a version is kept: for good, or a day for a visitor's own (portal/private_pages.py), whose pages
    live seconds: once such a version is gone a new one is made, which no kept page matches."""
    return PASSING_VERSION_SECONDS if key.startswith(VERSION_PREFIX + PASSING_VERSION_PREFIX) else None


def _write_versions(values: dict[str, str], timeout: int | None = None) -> bool:
    """Writes the versions; False when the cache could not take them."""
    if not values:
        return True
    backend = caches["default"]  # `cache` is a proxy: only the backend itself is a FailOpenRedisCache
    if isinstance(backend, FailOpenRedisCache):
        return backend.set_many_if_up(values, timeout=timeout)
    try:
        cache.set_many(values, timeout=timeout)
    except Exception:  # any other backend: a failed bump must not fail the caller whose commit it follows
        return False
    return True


def look_up(page_key: str, names: Iterable[str]) -> tuple[dict[str, Any] | None, list[str]]:
    """The kept page if it was rendered at the current versions, and those versions: one round trip to Redis.

    A page is kept under its path, language and date, with the versions it was rendered at; it is served only
    while they are still the current ones. A name without a version (evicted, never bumped) gets a new one.
    """
    if _pending:
        _bump(())
    version_keys = [VERSION_PREFIX + name for name in names]
    found = cache.get_many([page_key, *version_keys])
    versions = []
    for key in version_keys:
        version = found.get(key)
        if version is None:
            # Never a constant: a page kept at an old version must not match once the version is lost.
            version = _new_version()
            if not cache.add(key, version, timeout=_version_seconds(key)):
                version = cache.get(key) or version
        versions.append(str(version))
    stored = found.get(page_key)
    if isinstance(stored, dict) and stored.get("versions") == versions:
        return stored, versions
    return None, versions


def _seconds_to_keep(now: datetime.datetime) -> int:
    local = timezone.localtime(now)
    midnight = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time(), local.tzinfo)
    seconds = getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_SECONDS)
    return max(1, min(int(seconds), int((midnight - local).total_seconds())))


def _may_use_cache(request: HttpRequest, query_names: frozenset[str]) -> bool:
    if request.method != "GET" or getattr(settings, "PAGE_CACHE_SECONDS", DEFAULT_SECONDS) <= 0:
        return False
    # No session cookie means nobody is signed in, and the page reads no session: no query to know it.
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies:
        return False
    if "HTTP_HX_REQUEST" in request.META:
        return False
    query = request.META.get("QUERY_STRING", "")
    return len(query) <= MAX_QUERY_LENGTH and set(request.GET) <= query_names


def _page_key(request: HttpRequest, now: datetime.datetime) -> str:
    parts = [request.get_full_path(), translation.get_language() or "", timezone.localdate(now).isoformat()]
    return PAGE_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html") or response.has_header("Cache-Control"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    storage = getattr(request, "_messages", None)
    return not (storage is not None and getattr(storage, "added_new", False))


def _from_stored(request: HttpRequest, stored: dict[str, Any], per_visitor: Iterable[PerVisitor]) -> HttpResponse:
    body: KeptBody = stored["body"]
    values = hole_values(request, body, per_visitor)
    return kept_response(request, body, values, stored["content_type"])


def hole_values(request: HttpRequest, body: KeptBody, per_visitor: Iterable[PerVisitor]) -> dict[str, str]:
    """This visitor's value for each hole the kept page has (a token is only made for a page that shows one)."""
    present = {part for part in body["parts"] if isinstance(part, str)}
    values = {CSRF_HOLE: csrf_token_for(request)} if CSRF_HOLE in present else {}
    for each in per_visitor:
        if each.hole in present:
            values[each.hole] = escape(each.value(request))
    return values


def with_holes(request: HttpRequest, content: str, per_visitor: Iterable[PerVisitor]) -> KeptBody | None:
    """The page as kept, cut at each per-visitor value; None when it holds one that was not declared (or one too
    short to cut out safely): such a page is never kept, lest the next visitor get this one's value."""
    content = CSRF_INPUT.sub(lambda match: match[1] + CSRF_HOLE + match[2], content)
    values: dict[str, str] = dict(getattr(request, _PER_VISITOR_ATTRIBUTE, None) or {})
    for each in per_visitor:
        value = values.pop(each.name, None)
        if value is None:
            continue
        if len(value) < PER_VISITOR_MIN_LENGTH:
            return None
        content = content.replace(escape(value), each.hole)
    return None if values else kept_body(content, [CSRF_HOLE, *(each.hole for each in per_visitor)])


def public_page(
    *shown: Shown,
    query: Iterable[str] = (),
    per_visitor: Iterable[PerVisitor] = (),
    fresh_when: Callable[[HttpRequest], bool] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable]:
    """Keeps the view's page for anonymous GETs, until any of `shown` changes; `query` names what it reads.

    `per_visitor` are the values each visitor gets their own of, written afresh into the kept page; when
    `fresh_when(request)` holds, the page shows this visitor something of their own: rendered, never kept.
    """
    names = sorted({str(name) for name in shown})
    query_names = frozenset(query)
    holes = tuple(per_visitor)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _may_use_cache(request, query_names) or (fresh_when is not None and fresh_when(request)):
                return view(request, *args, **kwargs)
            now = timezone.now()
            key = _page_key(request, now)
            # Versions read before rendering: a change committed meanwhile bumps past them, so what this render
            # keeps is never taken for the page after the change.
            stored, versions = look_up(key, names)
            if stored is not None:
                return _from_stored(request, stored, holes)
            response = view(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                response.render()  # rendered now so that its content can be kept
            storable = _storable(request, response)
            body = with_holes(request, response.content.decode(response.charset), holes) if storable else None
            if body is not None:
                cache.set(
                    key,
                    {"versions": versions, "body": body, "content_type": response["Content-Type"]},
                    timeout=_seconds_to_keep(now),
                )
            return response

        return cached_view

    return decorator
