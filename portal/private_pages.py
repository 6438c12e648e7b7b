"""Signed-in pages kept for a few seconds per visitor: a reload, the back button or a second tab costs no render.

A staff queue, a roster or an admin changelist costs tens of milliseconds to render, and staff open the same
page again and again (back from an issue to the queue, a second tab, a reload before a meeting). For a GET
with a session the rendered page is kept under that session, its account (and what the account may see:
role, place, department, admin flags), the path and query, the language and Beijing's date, for at most
PRIVATE_PAGE_SECONDS. Nobody else is ever served it.

What makes a kept page wrong, and how each is handled:
- The visitor's own writes: any POST (or other unsafe request) with the session gives the session a new version
  once it is answered, so the page after "受理" or "保存" is rendered afresh, never the kept one.
- Things written for them by others that they expect to see at once: the inbox and its unread count. The
  inbox's delivery calls `private_pages_touch_users(...)` on commit.
- A change of role, place or flags: part of the key, so the next page is the new account's.
- Signing out, or the session expiring or being cut off by a password change: the account is loaded as on
  every request (sessions and auth run before the page), so an ended session is never served a kept page.
- Other people's changes in the visitor's area (a villager's new issue, a colleague's action): shown within
  PRIVATE_PAGE_SECONDS, as if the visitor had opened the page that much earlier. Every write still checks state
  and scope in its service, so acting on a page that is a few seconds old fails as it would on any older tab.

As for public pages (portal.page_cache), nothing per request is kept: CSRF tokens are holes filled afresh,
cookies are set again by the middleware, and a page with a message to show (the messages framework) or a
session the view changed is rendered and not kept. htmx fragments are never kept. The cache fails open.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from portal import page_cache

DEFAULT_SECONDS = 30
PAGE_PREFIX = "private-page:page:"
SESSION_VERSION = page_cache.PASSING_VERSION_PREFIX + "session:"
USER_VERSION = page_cache.PASSING_VERSION_PREFIX + "user:"
# Headers a view sets on its own answer (never_cache's) that a kept page must carry again; cookies never.
KEPT_HEADERS = ("Cache-Control", "Expires", "Content-Language", "Content-Disposition")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _seconds() -> int:
    return int(getattr(settings, "PRIVATE_PAGE_SECONDS", DEFAULT_SECONDS))


def _session_name(session_key: str) -> str:
    # The session key is a credential: versions and pages are named by its digest, never by the key itself.
    return SESSION_VERSION + hashlib.sha256(session_key.encode()).hexdigest()[:32]


def private_pages_touch_users(user_ids: Iterable[int]) -> None:
    """These accounts' kept pages are rendered afresh once the current transaction commits."""
    page_cache.page_cache_touch(*(f"{USER_VERSION}{user_id}" for user_id in user_ids))


def _account_part(request: HttpRequest) -> str:
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    fields = ("pk", "role", "region_id", "department_id", "is_staff", "is_superuser", "is_active")
    return "|".join(str(getattr(user, name, "")) for name in fields)


def _may_keep(request: HttpRequest) -> bool:
    if request.method != "GET" or _seconds() <= 0 or "HTTP_HX_REQUEST" in request.META:
        return False
    if len(request.META.get("QUERY_STRING", "")) > page_cache.MAX_QUERY_LENGTH:
        return False
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return False
    # A message waits to be shown once: its page is rendered, and rendering it takes the message away.
    return getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in request.COOKIES and "_messages" not in session


def _page_key(request: HttpRequest, session_name: str) -> str:
    parts = [
        session_name,
        _account_part(request),
        request.get_full_path(),
        translation.get_language() or "",
        timezone.localdate().isoformat(),
    ]
    return PAGE_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    # The admin's views set the CSRF cookie themselves (csrf_protect); answering a kept page sets it anew.
    if response.status_code != 200 or response.streaming or set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if request.session.modified:
        return False
    storage = getattr(request, "_messages", None)
    return not (storage is not None and getattr(storage, "added_new", False))


def _answer(request: HttpRequest, stored: dict[str, Any]) -> HttpResponse:
    content: str = stored["content"]
    if page_cache.CSRF_HOLE in content:
        content = content.replace(page_cache.CSRF_HOLE, get_token(request))
    response = HttpResponse(content, content_type=stored["content_type"])
    for name, value in stored["headers"].items():
        response[name] = value
    patch_vary_headers(response, ("Cookie",))
    return response


def private_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keeps the view's GET page for its visitor for PRIVATE_PAGE_SECONDS, until they write something.

    Wrap the whole view (its login and role checks inside): a visitor who may not see the page is never
    served it, since nothing is kept but 200 answers rendered for that same visitor.
    """

    @functools.wraps(view)
    def kept_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_keep(request):
            return view(request, *args, **kwargs)
        session_name = _session_name(request.session.session_key or "")
        names = [session_name]
        if request.user.is_authenticated:
            names.append(f"{USER_VERSION}{request.user.pk}")
        key = _page_key(request, session_name)
        stored, versions = page_cache.look_up(key, names)
        if stored is not None:
            return _answer(request, stored)
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.render()
        if _storable(request, response):
            content = page_cache.with_holes(request, response.content.decode(response.charset), ())
            if content is not None:
                headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
                cache.set(
                    key,
                    {
                        "versions": versions,
                        "content": content,
                        "content_type": response["Content-Type"],
                        "headers": headers,
                    },
                    timeout=_seconds(),
                )
        return response

    return kept_view


class SessionWritesMiddleware:
    """After any unsafe request with a session, that session's kept pages are rendered afresh.

    After the answer, not before: what the request wrote is committed by then (services commit inside the
    request), so the next GET renders it. Placed after the session and auth middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            session = getattr(request, "session", None)
            keys = {request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")}
            if session is not None and session.session_key:
                keys.add(session.session_key)  # a sign-in gives a new key; both are done with
            names = [_session_name(key) for key in keys if key]
            # Only if the request loaded its account already: asking now would cost a query for nothing.
            user = getattr(request, "_cached_user", None)
            if user is not None and user.is_authenticated:
                names.append(f"{USER_VERSION}{user.pk}")  # their other sessions (phone and office PC) too
            if names:
                page_cache.page_cache_touch(*names)
        return response
