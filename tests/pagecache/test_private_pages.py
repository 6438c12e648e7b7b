"""Signed-in pages are kept a few seconds for the one session that rendered them, and never shown to anyone else.

The village secretary going back to the queue, a reload, the admin's list after looking at one row: served
from the kept page without a query (the session is read through its copy in Redis). Her own action is on the
next page at once; a new inbox message shows in the header at once; a colleague's change within
PRIVATE_PAGE_SECONDS. Another account, a changed role, a signed-out session, a page with a message to show:
never the kept page.
"""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from consultations import services as issue_services
from consultations.states import IssueAction, IssueState

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def private_pages_on(settings) -> None:
    settings.PRIVATE_PAGE_SECONDS = 30


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def secretary(village_staff_qingshan) -> Client:
    """青山村's secretary at the office PC."""
    return _signed_in(village_staff_qingshan)


def test_the_secretary_reopening_the_queue_is_served_her_kept_page_without_a_query(
    secretary, issue_factory, django_assert_num_queries
):
    issue_factory(title="村口路灯不亮")
    first = _html(secretary.get("/staff/issues/"))
    assert "村口路灯不亮" in first
    with django_assert_num_queries(0):  # the session's copy is in Redis; the account was checked at render
        second = _html(secretary.get("/staff/issues/"))
    assert TOKEN.sub("", second) == TOKEN.sub("", first)


def test_a_change_made_elsewhere_shows_on_her_kept_page_within_the_private_page_seconds(
    settings, secretary, village_staff_qingshan, issue_factory, committed
):
    settings.PRIVATE_PAGE_SECONDS = 1
    issue = issue_factory(title="水渠堵了")
    detail = reverse("staff_issues:detail", args=[issue.pk])
    assert str(IssueState.SUBMITTED.label) in _html(secretary.get(detail))
    with committed():  # accepted from her phone, say: another session, and no message to her
        issue_services.issue_accept(issue=issue, actor=village_staff_qingshan)
    assert str(IssueState.SUBMITTED.label) in _html(secretary.get(detail))  # the page she opened a moment ago
    time.sleep(1.2)
    assert str(IssueState.ACCEPTED.label) in _html(secretary.get(detail))


def test_after_her_own_action_the_secretary_sees_its_result_at_once(secretary, issue_factory, committed):
    issue = issue_factory(title="村口路灯不亮")
    detail = reverse("staff_issues:detail", args=[issue.pk])
    assert str(IssueState.SUBMITTED.label) in _html(secretary.get(detail))
    with committed():
        answer = secretary.post(reverse("staff_issues:act", args=[issue.pk, IssueAction.ACCEPT]), {})
    assert answer.status_code == 302
    # The page after the action shows its message, then the same page without it: both rendered afresh.
    after = _html(secretary.get(detail))
    assert str(IssueState.ACCEPTED.label) in after
    assert str(IssueState.ACCEPTED.label) in _html(secretary.get(detail))


def test_another_secretary_is_never_served_her_kept_page(
    secretary, village_staff_wanghu, issue_factory, django_assert_max_num_queries
):
    issue_factory(title="村口路灯不亮")
    assert "村口路灯不亮" in _html(secretary.get("/staff/issues/"))
    neighbour = _signed_in(village_staff_wanghu)
    assert "村口路灯不亮" not in _html(neighbour.get("/staff/issues/"))
    # The same person in a second browser has a session of her own, and so a page of her own.
    second_browser = _signed_in(village_staff_wanghu)
    assert "村口路灯不亮" not in _html(second_browser.get("/staff/issues/"))


def test_a_secretary_moved_to_another_village_sees_that_village_on_her_next_page(
    secretary, village_staff_qingshan, village_staff_wanghu, issue_factory, committed
):
    issue_factory(title="村口路灯不亮")
    assert "村口路灯不亮" in _html(secretary.get("/staff/issues/"))
    village_staff_qingshan.region = village_staff_wanghu.region
    with committed():
        village_staff_qingshan.save(update_fields=["region"])
    assert "村口路灯不亮" not in _html(secretary.get("/staff/issues/"))


def test_a_deactivated_account_is_sent_to_the_login_page_not_served_its_kept_queue(
    secretary, village_staff_qingshan, committed
):
    _html(secretary.get("/staff/issues/"))
    village_staff_qingshan.is_active = False
    with committed():
        village_staff_qingshan.save(update_fields=["is_active"])
    answer = secretary.get("/staff/issues/")
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_a_new_password_set_elsewhere_ends_the_old_sessions_kept_pages(secretary, village_staff_qingshan, committed):
    _html(secretary.get("/staff/issues/"))
    village_staff_qingshan.set_password("a-new-password-2026")
    with committed():
        village_staff_qingshan.save(update_fields=["password"])
    answer = secretary.get("/staff/issues/")
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_a_signed_out_session_is_sent_to_the_login_page_not_served_the_kept_queue(secretary, committed):
    _html(secretary.get("/staff/issues/"))
    session_cookie = secretary.cookies["sessionid"].value
    with committed():
        secretary.post(reverse("accounts:logout"))
    replay = Client()
    replay.cookies["sessionid"] = session_cookie
    answer = replay.get("/staff/issues/")
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_a_new_inbox_message_shows_in_the_header_of_her_kept_page_at_once(secretary, issue_factory, committed):
    assert 'data-testid="inbox-unread"' not in _html(secretary.get("/staff/issues/"))
    with committed():
        issue_factory(title="水渠堵了")  # the secretary is told of it in her inbox
    assert 'data-testid="inbox-unread">1<' in _html(secretary.get("/staff/issues/"))


def test_each_view_of_a_kept_page_carries_its_own_csrf_token_and_its_forms_still_post(
    village_staff_qingshan, issue_factory, committed
):
    secretary = Client(enforce_csrf_checks=True)
    secretary.force_login(village_staff_qingshan)
    issue = issue_factory(title="村口路灯不亮")
    detail = reverse("staff_issues:detail", args=[issue.pk])
    _html(secretary.get(detail))
    kept = _html(secretary.get(detail))
    assert "\x00" not in kept
    token = TOKEN.search(kept)
    assert token is not None
    with committed():
        answer = secretary.post(
            reverse("staff_issues:act", args=[issue.pk, IssueAction.ACCEPT]), {"csrfmiddlewaretoken": token[1]}
        )
    assert answer.status_code == 302


def test_the_admin_list_is_kept_for_its_session_and_still_tells_browsers_not_to_store_it(
    district_admin_yuhang, issue_factory, django_assert_num_queries, committed
):
    issue_factory(title="村口路灯不亮")
    admin_user = _signed_in(district_admin_yuhang)
    listing = "/admin/consultations/issue/"
    first = _html(admin_user.get(listing))
    assert "村口路灯不亮" in first
    with django_assert_num_queries(0):  # kept outside the admin site's check of the account, as every kept page
        _html(admin_user.get(listing))
    assert "no-store" in admin_user.get(listing)["Cache-Control"]  # as the admin says of its own pages


def test_with_redis_stopped_signed_in_pages_render_as_usual(secretary, issue_factory, real_redis):
    issue_factory(title="村口路灯不亮")
    real_redis.stop()
    try:
        assert "村口路灯不亮" in _html(secretary.get("/staff/issues/"))
        assert "村口路灯不亮" in _html(secretary.get("/staff/issues/"))
    finally:
        real_redis.start()


def test_an_admin_list_kept_for_an_officer_is_not_served_once_she_may_no_longer_use_the_admin(
    district_admin_yuhang, issue_factory, committed
):
    issue_factory(title="村口路灯不亮")
    officer = _signed_in(district_admin_yuhang)
    listing = "/admin/consultations/issue/"
    assert "村口路灯不亮" in _html(officer.get(listing))
    with committed():
        district_admin_yuhang.is_staff = False
        district_admin_yuhang.save(update_fields=["is_staff"])
    answer = officer.get(listing)
    assert answer.status_code == 302
    assert "/admin/login/" in answer["Location"]
