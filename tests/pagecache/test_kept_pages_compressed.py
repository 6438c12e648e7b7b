"""A kept page goes out gzip-compressed as a rendered one does, but compressed once: around its holes.

A phone that asks for gzip gets the kept form compressed, with its own CSRF and double-tap tokens, which it can
send back; a browser that does not ask gets it plain; the tokens are never compressed with the page (BREACH),
and every answer's header has its own length. Chromium reads the compressed kept form and submits it.
"""

from __future__ import annotations

import gzip
import re
import struct
import zlib

import pytest
from django.test import Client

from consultations.models import Issue
from portal.holed_gzip import filled, filled_gzip, kept_body
from tests.consultations.public.conftest import issue_form_data  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db  # the page-cache fixtures clear what earlier tests kept

NEW = "/issues/new/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_token" value="([^"]+)"')
TOKEN_HOLE, OTHER_HOLE = "\x00csrf\x00", "\x00per-visitor:submission\x00"
PAGE = "<!doctype html><p>青山村同心荟</p>" * 200 + f'<input value="{TOKEN_HOLE}">' + "<p>提交议题</p>" * 50


def _token(pattern: re.Pattern[str], html: str) -> str:
    match = pattern.search(html)
    assert match, f"no {pattern.pattern} on the page"
    return match.group(1)


def _gzip_filename_length(answer: bytes) -> int:
    assert answer[3] & gzip.FNAME
    return answer.index(b"\x00", 10) - 10


@pytest.mark.parametrize(
    "content",
    [
        PAGE,
        TOKEN_HOLE,  # nothing but a hole
        f"{TOKEN_HOLE}<p>前</p>{OTHER_HOLE}{OTHER_HOLE}<p>后</p>",  # holes at the edges and side by side
        "<p>没有空位的页面</p>",
    ],
    ids=["page", "only-a-hole", "holes-at-the-edges", "no-hole"],
)
def test_a_kept_page_unzips_to_the_page_with_this_visitors_values(content):
    body = kept_body(content, [TOKEN_HOLE, OTHER_HOLE])
    values = {TOKEN_HOLE: "li-token-" + "7" * 55, OTHER_HOLE: "a" * 70_000}  # longer than one stored block
    expected = content.replace(TOKEN_HOLE, values[TOKEN_HOLE]).replace(OTHER_HOLE, values[OTHER_HOLE]).encode()

    answer = filled_gzip(body, values)

    assert gzip.decompress(answer) == expected
    assert zlib.decompress(answer, wbits=31) == expected  # one member, checksum and length checked by zlib too
    assert struct.unpack("<I", answer[-4:])[0] == len(expected)
    assert filled(body, values) == expected


def test_the_token_travels_uncompressed_and_every_answer_has_its_own_length():
    body = kept_body(PAGE, [TOKEN_HOLE])
    token = "Q" * 64

    answers = [filled_gzip(body, {TOKEN_HOLE: token}) for _ in range(40)]

    assert all(token.encode() in answer for answer in answers), "the token is a stored block, never deflated"
    assert len({_gzip_filename_length(answer) for answer in answers}) > 10
    assert len(answers[0]) < len(PAGE.encode()) / 5, "the page is still compressed"


def test_a_phone_that_asks_for_gzip_gets_the_kept_form_compressed_and_sends_it_back(
    qingshan_tongxinhui,
    issue_form_data,  # noqa: F811
    django_assert_num_queries,
):
    path = f"{NEW}?org={qingshan_tongxinhui.slug}"
    rendered = Client(HTTP_ACCEPT_ENCODING="gzip, deflate").get(path)
    li = Client(enforce_csrf_checks=True, HTTP_ACCEPT_ENCODING="gzip, deflate")
    with django_assert_num_queries(0):
        kept = li.get(path)

    assert kept["Content-Encoding"] == rendered["Content-Encoding"] == "gzip"
    assert {"Cookie", "Accept-Encoding"} <= {part.strip() for part in kept["Vary"].split(",")}
    assert int(kept["Content-Length"]) == len(kept.content)
    page, first = gzip.decompress(kept.content).decode(), gzip.decompress(rendered.content).decode()
    assert _token(CSRF, page) != _token(CSRF, first) and _token(SUBMISSION, page) != _token(SUBMISSION, first)
    assert CSRF.sub("", SUBMISSION.sub("", page)) == CSRF.sub("", SUBMISSION.sub("", first))

    data = issue_form_data(submission_token=_token(SUBMISSION, page))
    sent = li.post(path, {**data, "csrfmiddlewaretoken": _token(CSRF, page)})

    assert sent.status_code == 302
    assert Issue.objects.get().title == data["title"]


def test_a_browser_that_does_not_ask_for_gzip_gets_the_kept_form_plain(qingshan_tongxinhui):
    path = f"{NEW}?org={qingshan_tongxinhui.slug}"
    Client(HTTP_ACCEPT_ENCODING="gzip").get(path)

    plain = Client().get(path)

    assert not plain.has_header("Content-Encoding")
    assert qingshan_tongxinhui.name in plain.content.decode()
    assert "\x00" not in plain.content.decode()


def test_a_signed_in_page_kept_for_the_secretary_is_compressed_too(
    settings, village_staff_qingshan, issue_factory, django_assert_num_queries
):
    settings.PRIVATE_PAGE_SECONDS = 30
    issue_factory(title="村口路灯不亮")
    secretary = Client(HTTP_ACCEPT_ENCODING="gzip")
    secretary.force_login(village_staff_qingshan)
    first = gzip.decompress(secretary.get("/staff/issues/").content).decode()
    with django_assert_num_queries(0):
        kept = secretary.get("/staff/issues/")

    assert kept["Content-Encoding"] == "gzip"
    page = gzip.decompress(kept.content).decode()
    assert "村口路灯不亮" in page
    assert CSRF.sub("", page) == CSRF.sub("", first)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chromium_reads_the_compressed_kept_form_and_submits_it(
    live_server, browser, phone_context_args, qingshan_tongxinhui
):
    path = f"{live_server.url}{NEW}?org={qingshan_tongxinhui.slug}"
    Client(HTTP_ACCEPT_ENCODING="gzip").get(f"{NEW}?org={qingshan_tongxinhui.slug}")  # the form is kept now
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    try:
        answer = page.goto(path)
        assert answer is not None and answer.headers.get("content-encoding") == "gzip"
        assert "青山同心荟" in page.get_by_test_id("fixed-organization").inner_text()
        page.get_by_label("标题").fill("竹林小路塌了一段")
        page.get_by_label("类别").select_option("infrastructure")
        page.get_by_label("具体情况").fill("去竹林的小路前天下雨塌了一段，老人小孩走很危险。")
        page.get_by_label("您的姓名").fill("李阿婆")
        page.get_by_label("手机号码").fill("137 1234 5678")
        page.get_by_role("button", name="提交议题").click()
        page.wait_for_url(re.compile(r"/issues/new/receipt/\d{8}/$"))
        assert Issue.objects.get().title == "竹林小路塌了一段"
    finally:
        context.close()
