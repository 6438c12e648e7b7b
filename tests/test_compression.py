"""Pages reach a phone gzip-compressed (at level 4, portal/compression.py): the same page once inflated, a
different byte stream each time (against BREACH), streams handled as Django does."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PHONE = "gzip, deflate, br"  # what a phone's browser accepts


def test_a_page_reaches_a_phone_compressed_and_inflates_to_the_same_page(qingshan_tongxinhui):
    plain = Client().get("/orgs/")
    packed = Client().get("/orgs/", HTTP_ACCEPT_ENCODING=PHONE)
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2
    inflated = gzip.decompress(packed.content).decode()
    assert "青山同心荟" in inflated
    assert inflated.count("<html") == 1


def test_two_answers_of_the_same_page_never_carry_the_same_bytes(qingshan_tongxinhui):
    first, second = (Client().get("/orgs/", HTTP_ACCEPT_ENCODING=PHONE).content for _ in range(2))
    assert first != second


def test_a_browser_that_takes_no_gzip_gets_the_page_as_it_is(qingshan_tongxinhui):
    page = Client().get("/orgs/", HTTP_ACCEPT_ENCODING="identity")
    assert not page.has_header("Content-Encoding")
    assert "青山同心荟" in page.content.decode()
