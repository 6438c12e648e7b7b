"""The portal draws CSRF tokens itself (portal/csrf_tokens.py) and Django checks them: a villager's form posts
with the token and cookie it was given, and an altered token, another visitor's cookie or none is refused."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token  # type: ignore[attr-defined]
from django.test import Client, RequestFactory, override_settings

from activities.models import Audience
from portal.csrf_tokens import csrf_masked, csrf_random_string, csrf_token_for

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_secret_is_32_characters_of_djangos_alphabet_each_drawn_as_often_as_the_others():
    draws = [csrf_random_string() for _ in range(2000)]
    assert {len(secret) for secret in draws} == {32}
    counts = Counter("".join(draws))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    # 64,000 characters: about 1,032 each, a standard deviation of 32; a biased draw (byte % 62 over all bytes)
    # gives the first eight characters a fifth more.
    assert max(counts.values()) < 1200 and min(counts.values()) > 870


def test_django_unmasks_the_token_to_the_secret_and_each_page_gets_a_new_mask():
    secret = csrf_random_string()
    first, second = csrf_masked(secret), csrf_masked(secret)
    assert first != second
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == secret


def test_a_visitor_with_a_cookie_keeps_its_secret_and_has_the_cookie_renewed():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret = csrf_random_string()
    token = csrf_token_for(request)
    assert _unmask_cipher_token(token) == secret == request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


@pytest.fixture
def bamboo_class(activity_factory):
    return activity_factory(audience=Audience.PUBLIC, title="竹编体验课")


def _signup(client: Client, activity, token: str, phone: str):
    return client.post(
        f"/activities/{activity.pk}/signup/",
        {"name": "李秀英", "phone": phone, "csrfmiddlewaretoken": token},
        REMOTE_ADDR="10.0.0.7",
    )


@pytest.mark.parametrize("kept", [False, True], ids=["rendered", "kept page"])
def test_li_signs_up_with_the_token_her_phone_was_given_and_an_altered_one_is_refused(bamboo_class, kept):
    if kept:
        Client().get(f"/activities/{bamboo_class.pk}/")  # the next visitor is answered from the kept page
    li = Client(enforce_csrf_checks=True)
    token = TOKEN.findall(li.get(f"/activities/{bamboo_class.pk}/").content.decode())[0]
    assert len(li.cookies["csrftoken"].value) == 32 and len(token) == 64

    altered = token[:40] + ("a" if token[40] != "a" else "b") + token[41:]
    assert _signup(li, bamboo_class, altered, "13700000011").status_code == 403
    assert _signup(li, bamboo_class, token, "13700000011").status_code == 302


def test_a_token_is_refused_with_another_visitors_cookie(bamboo_class):
    li, wang = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    li_token = TOKEN.findall(li.get(f"/activities/{bamboo_class.pk}/").content.decode())[0]
    wang.get(f"/activities/{bamboo_class.pk}/")
    assert _signup(wang, bamboo_class, li_token, "13700000012").status_code == 403


@override_settings(CSRF_USE_SESSIONS=True)
def test_with_the_secret_in_the_session_djangos_own_token_is_used(bamboo_class):
    li = Client(enforce_csrf_checks=True)
    token = TOKEN.findall(li.get(f"/activities/{bamboo_class.pk}/").content.decode())[0]
    assert "csrftoken" not in li.cookies
    assert _signup(li, bamboo_class, token, "13700000013").status_code == 302
