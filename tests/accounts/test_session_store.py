"""Sessions live in PostgreSQL and are read through a copy in Redis that lives at most SESSION_CACHE_SECONDS.

The member on her phone and the secretary at the office PC are signed in by a database row; Redis only spares
each of their pages the read of it. A sign-out ends the session at once; one made while Redis could not be
reached, within SESSION_CACHE_SECONDS on every server; a Redis outage signs nobody out.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from portal.fail_open_cache import FailOpenRedisCache
from portal.session_store import SessionStore
from tests.notifications.conftest import real_redis  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _is_signed_in(client: Client) -> bool:
    return client.get("/issues/mine/").status_code == 200


def _replay(cookie: str) -> Client:
    """Someone holding a copy of the cookie, on another browser."""
    client = Client()
    client.cookies["sessionid"] = cookie
    return client


def test_a_signed_in_member_s_pages_read_her_session_from_redis_not_from_the_database(
    member_craftsman, django_assert_num_queries
):
    member = _signed_in(member_craftsman)
    key = member.cookies["sessionid"].value
    store = SessionStore(key)
    with django_assert_num_queries(0):
        assert store.get("_auth_user_id") == str(member_craftsman.pk)
    assert Session.objects.filter(session_key=key).exists()  # the row is the record


def test_the_copy_in_redis_lives_no_longer_than_session_cache_seconds(settings, member_craftsman):
    settings.SESSION_CACHE_SECONDS = 30
    member = _signed_in(member_craftsman)
    store = SessionStore(member.cookies["sessionid"].value)
    redis = cache._cache.get_client()  # type: ignore[attr-defined]  # the Redis client under Django's cache
    assert 0 < redis.ttl(cache.make_and_validate_key(store.cache_key)) <= 30  # the session lasts two weeks


def test_a_session_whose_copy_expired_is_read_from_the_database_once_and_copied_again(
    member_craftsman, django_assert_num_queries
):
    key = _signed_in(member_craftsman).cookies["sessionid"].value
    cache.delete(SessionStore(key).cache_key)
    with django_assert_num_queries(1):
        assert SessionStore(key).get("_auth_user_id") == str(member_craftsman.pk)
    with django_assert_num_queries(0):
        assert SessionStore(key).get("_auth_user_id") == str(member_craftsman.pk)


def test_signing_out_ends_the_session_at_once_for_every_copy_of_the_cookie(member_craftsman):
    member = _signed_in(member_craftsman)
    cookie = member.cookies["sessionid"].value
    assert _is_signed_in(_replay(cookie))
    member.post(reverse("accounts:logout"))
    assert not _is_signed_in(_replay(cookie))
    assert not Session.objects.filter(session_key=cookie).exists()


def test_a_sign_out_made_while_redis_was_unreachable_is_honoured_within_session_cache_seconds(
    settings, member_craftsman
):
    settings.SESSION_CACHE_SECONDS = 1
    member = _signed_in(member_craftsman)
    cookie = member.cookies["sessionid"].value
    FailOpenRedisCache._skip_until = time.monotonic() + 60  # every cache call fails open, as in an outage
    try:
        member.post(reverse("accounts:logout"))
    finally:
        FailOpenRedisCache.retry_now()
    assert not Session.objects.filter(session_key=cookie).exists()
    time.sleep(1.2)
    assert not _is_signed_in(_replay(cookie))


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_a_signed_in_member_stays_signed_in_and_can_sign_out(
    member_craftsman,
    real_redis,  # noqa: F811
):
    member = _signed_in(member_craftsman)
    cookie = member.cookies["sessionid"].value
    real_redis.stop()
    try:
        assert _is_signed_in(member)
        member.post(reverse("accounts:logout"))
        assert not _is_signed_in(_replay(cookie))
    finally:
        real_redis.start()
    FailOpenRedisCache.retry_now()
    assert not _is_signed_in(_replay(cookie))  # Redis came back empty-handed: the row is gone
