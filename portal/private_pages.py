"""Signed-in pages kept for a few seconds per visitor: a reload, the back button or a second tab costs no render.

A staff queue, a roster or an admin changelist costs tens of milliseconds to render, and staff open the same
page again and again (back from an issue to the queue, a second tab, a reload before a meeting). For a GET
with a session the rendered page is kept under that session, its account (and what the account may see:
role, place, department, admin flags), the path and query, the language and Beijing's date, for at most
PRIVATE_PAGE_SECONDS. Nobody else is ever served it.

What makes a kept page wrong, and how each is handled (a kept page costs no query: the session is read through
its short-lived copy in Redis, portal/session_store.py):
- The visitor's own writes: any POST (or other unsafe request) with the session gives the session a new version
  once it is answered, so the page after "受理" or "保存" is rendered afresh, never the kept one.
- Things written for them by others that they expect to see at once: the inbox and its unread count. The
  inbox's delivery calls `private_pages_touch_users(...)` on commit.
- A change of the account (role, place, flags, password, deactivation, groups): any save gives the account a new
  version (`account_changed`, connected in portal/apps.py), so the next page is rendered and checked afresh.
- Signing out, or the session expiring: the session's copy in Redis goes with its row, so an ended session is
  never served a kept page (if Redis was unreachable at the sign-out, a copied cookie for at most
  SESSION_CACHE_SECONDS). The account itself is not read for a kept page: it was checked when the
  page was rendered, and has not changed since (its version says so).
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
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone, translation

from portal import page_cache
from portal.holed_gzip import KeptBody, kept_response

DEFAULT_SECONDS = 30
PAGE_PREFIX = "private-page:page:2:"  # as page_cache.PAGE_PREFIX
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


def _account_of_session(request: HttpRequest) -> tuple[str, str]:
    """The account the session is signed in to, as the session says it (id, and the key part naming it).

    Read from the session alone, so that a kept page costs no query for the account. What Django checks on
    each request (the account still active, its password the one signed in with) is checked when the page is
    rendered; any save of the account since gives it a new version (`account_changed`), so a kept page never
    outlives a deactivation, a new password or a new role.
    """
    session = request.session
    user_id = str(session.get(SESSION_KEY, ""))
    if not user_id:
        return "", "anonymous"
    return user_id, "|".join(
        (user_id, str(session.get(HASH_SESSION_KEY, "")), str(session.get(BACKEND_SESSION_KEY, "")))
    )


def account_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """Receiver of the account's saves, deletions and group or permission changes (connected in apps.py)."""
    user_model = get_user_model()
    if isinstance(instance, user_model):
        user_ids = [instance.pk] if instance.pk is not None else []
    elif kwargs.get("model") is user_model:  # a group's members changed from the group's side: pk_set names them
        user_ids = list(kwargs.get("pk_set") or ())
    else:
        return
    if user_ids:
        private_pages_touch_users(user_ids)


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


def _page_key(request: HttpRequest, session_name: str, account: str) -> str:
    parts = [
        session_name,
        account,
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


def _rendered_for(request: HttpRequest, user_id: str) -> bool:
    """Whether the page was rendered for the account the session names (Django may have turned it away)."""
    user = getattr(request, "_cached_user", None)
    if user is None:  # the view never asked who is signed in: nothing on the page depends on it
        return True
    return str(user.pk or "") == user_id if user.is_authenticated else not user_id


def _answer(request: HttpRequest, stored: dict[str, Any]) -> HttpResponse:
    body: KeptBody = stored["body"]
    response = kept_response(request, body, page_cache.hole_values(request, body, ()), stored["content_type"])
    for name, value in stored["headers"].items():
        response[name] = value
    return response


def private_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keeps the view's GET page for its visitor for PRIVATE_PAGE_SECONDS, until they write something.

    Wrap the whole view (its login and role checks inside): a visitor who may not see the page is never
    served it, since nothing is kept but 200 answers rendered for that same visitor.
    """

    @functools.wraps(view)
    def kept_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # _may_keep loaded the session: a key the store does not know (signed out, expired) is None by now.
        if not _may_keep(request) or not request.session.session_key:
            return view(request, *args, **kwargs)
        session_name = _session_name(request.session.session_key)
        user_id, account = _account_of_session(request)
        names = [session_name] + ([f"{USER_VERSION}{user_id}"] if user_id else [])
        key = _page_key(request, session_name, account)
        stored, versions = page_cache.look_up(key, names)
        if stored is not None:
            return _answer(request, stored)
        response = view(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.render()
        if _storable(request, response) and _rendered_for(request, user_id):
            body = page_cache.with_holes(request, response.content.decode(response.charset), ())
            if body is not None:
                headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
                cache.set(
                    key,
                    {
                        "versions": versions,
                        "body": body,
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
