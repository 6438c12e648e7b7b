"""The last four digits of a phone are 10,000 guesses: besides the limit per network address, each receipt code
takes ten wrong guesses an hour, whatever the address they come from. The submitter's own browser, the member's
account and staff in scope still open the issue."""

from __future__ import annotations

import pytest
from django.test import Client

from consultations.models import Issue
from consultations.ratelimits import TRACKING_FAILURES_PER_CODE_PER_HOUR, TRACKING_FAILURES_PER_IP_PER_HOUR

pytestmark = pytest.mark.django_db

PHONE = "13912345678"  # the issue_factory villager's (tests/consultations/conftest.py)
LAST4 = PHONE[-4:]
BLOCKED = "这个回执码的后四位输错次数过多"


def _detail(code: str) -> str:
    return f"/issues/track/{code}/"


def from_address(number: int) -> Client:
    """A visitor from another network each time, as a guesser with many addresses would be."""
    return Client(REMOTE_ADDR=f"10.0.{number // 250}.{number % 250 + 1}")


def wrong_guesses(code: str, count: int) -> None:
    for number in range(count):
        guess = f"{number:04d}" if f"{number:04d}" != LAST4 else "9999"
        response = from_address(number).post("/issues/track/", {"code": code, "phone_last4": guess})
        assert "回执码或手机号后四位不正确" in response.content.decode()


def test_the_per_code_limit_is_below_the_per_address_limit():
    assert TRACKING_FAILURES_PER_CODE_PER_HOUR < TRACKING_FAILURES_PER_IP_PER_HOUR


def test_ten_wrong_guesses_from_ten_addresses_close_the_code_for_the_hour(issue_factory):
    issue = issue_factory()
    wrong_guesses(issue.receipt_code, TRACKING_FAILURES_PER_CODE_PER_HOUR)

    fresh = from_address(999)
    by_form = fresh.post("/issues/track/", {"code": issue.receipt_code, "phone_last4": LAST4})
    by_link = fresh.post(_detail(issue.receipt_code), {"phone_last4": LAST4})

    for response in (by_form, by_link):
        assert response.status_code == 200
        assert BLOCKED in response.content.decode()
        assert "联系村里的同心荟" in response.content.decode()
    assert issue.title not in fresh.get(_detail(issue.receipt_code)).content.decode()


def test_wrong_guesses_on_the_direct_page_count_too(issue_factory):
    issue = issue_factory()
    for number in range(TRACKING_FAILURES_PER_CODE_PER_HOUR):
        from_address(number).post(_detail(issue.receipt_code), {"phone_last4": "0000"})

    response = from_address(500).post("/issues/track/", {"code": issue.receipt_code, "phone_last4": LAST4})

    assert BLOCKED in response.content.decode()


def test_a_code_that_does_not_exist_closes_the_same_way(issue_factory):
    issue = issue_factory()
    unknown = "99999999" if issue.receipt_code != "99999999" else "88888888"
    wrong_guesses(unknown, TRACKING_FAILURES_PER_CODE_PER_HOUR)

    response = from_address(999).post("/issues/track/", {"code": unknown, "phone_last4": LAST4})

    assert BLOCKED in response.content.decode()


def test_other_codes_stay_open(issue_factory):
    guessed = issue_factory(title="被猜的议题")
    other = issue_factory(title="另一个议题")
    wrong_guesses(guessed.receipt_code, TRACKING_FAILURES_PER_CODE_PER_HOUR)

    response = from_address(999).post("/issues/track/", {"code": other.receipt_code, "phone_last4": LAST4})

    assert response.status_code == 302
    assert response["Location"] == _detail(other.receipt_code)


def test_nine_wrong_guesses_still_let_the_submitter_in(issue_factory):
    issue = issue_factory()
    wrong_guesses(issue.receipt_code, TRACKING_FAILURES_PER_CODE_PER_HOUR - 1)

    response = from_address(999).post("/issues/track/", {"code": issue.receipt_code, "phone_last4": LAST4})

    assert response.status_code == 302


def test_the_submitters_own_browser_and_staff_still_open_a_closed_code(
    client, issue_form_data, village_staff_qingshan, issue_factory
):
    client.post("/issues/new/", issue_form_data())
    issue = Issue.objects.get()
    wrong_guesses(issue.receipt_code, TRACKING_FAILURES_PER_CODE_PER_HOUR)

    assert issue.title in client.get(_detail(issue.receipt_code)).content.decode()
    staff = Client()
    staff.force_login(village_staff_qingshan)
    assert issue.title in staff.get(_detail(issue.receipt_code)).content.decode()
    assert issue.receipt_code in staff.get("/staff/issues/", {"q": issue.receipt_code}).content.decode()


def test_a_member_still_opens_their_own_issue(member_craftsman, issue_factory):
    mine = issue_factory(submitter_user=member_craftsman, submitter_phone="13800001111", title="我的路灯")
    wrong_guesses(mine.receipt_code, TRACKING_FAILURES_PER_CODE_PER_HOUR)
    member = Client()
    member.force_login(member_craftsman)

    assert "我的路灯" in member.get(_detail(mine.receipt_code)).content.decode()
