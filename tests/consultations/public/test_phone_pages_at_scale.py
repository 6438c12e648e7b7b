"""The phone's pages and writes cost the same few queries beside a village's first issues or years of them.

Each test measures a page (or a submission) once with a short history, grows the history, and measures again:
the counts must be equal, and under the page's ceiling. The history is written in bulk, the way years of issues
would stand in the tables, not through the services.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.forms_public import new_submission_token
from consultations.models import Issue, IssueCategory, Rating, Transition
from consultations.states import IssueAction, IssueState
from portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NEW = "/issues/new/"
TRACK = "/issues/track/"
# The ceilings, what each costs now. A first submission or proof makes the visitor's session (4 queries of each).
# Submitting: the QR code's organization, both limits at once, the issue, its step, the staff to tell, their
# channel choices and all the messages in one insert (plus the transaction's own statements).
SUBMIT_QUERIES = 13
# Refused by a limit: the organization and the limits, nothing written.
REFUSED_QUERIES = 2
TRACK_QUERIES = 5
# Session, the issue, its latest notice, its public steps, its photos.
TRACK_DETAIL_QUERIES = 5
# Session, account, the member's issues counted and their page, the inbox's unread count.
MY_ISSUES_QUERIES = 5

_codes = itertools.count(60000000)


def grow_history(organization, count: int, *, hours_ago: float = 48, ip: str = "10.1.1.1", member=None) -> None:
    """`count` more issues of `organization`, submitted `hours_ago`, each with its public submission step."""
    created = timezone.now() - datetime.timedelta(hours=hours_ago)
    issues = Issue.objects.bulk_create(
        Issue(
            organization=organization,
            region_id=organization.region_id,
            receipt_code=str(next(_codes)),
            title=f"往年的议题{number}",
            description="说明",
            category=IssueCategory.OTHER,
            submitter_name="村民",
            submitter_phone=f"1350000{number % 10000:04d}",
            submitter_ip=ip,
            submitter_user=member,
            state=IssueState.SUBMITTED,
            state_changed_at=created,
            created_at=created,
        )
        for number in range(count)
    )
    Transition.objects.bulk_create(
        Transition(
            issue=issue,
            action=IssueAction.SUBMIT,
            from_state="",
            to_state=IssueState.SUBMITTED,
            actor_label="村民",
            created_at=created,
        )
        for issue in issues
    )


def _queries_of(request: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = request()
    return len(queries), response


def test_a_villager_submits_with_the_same_few_queries_beside_ten_issues_or_eight_hundred(
    issue_form_data, qingshan_tongxinhui, village_staff_qingshan, django_assert_max_num_queries
):
    url = f"{NEW}?org={qingshan_tongxinhui.slug}"

    def submit(phone: str):
        return Client().post(url, issue_form_data(submitter_phone=phone, submission_token=new_submission_token()))

    grow_history(qingshan_tongxinhui, 10)
    with django_assert_max_num_queries(SUBMIT_QUERIES):
        few, _first = _queries_of(lambda: submit("13712340001"))
    grow_history(qingshan_tongxinhui, 800)
    with django_assert_max_num_queries(SUBMIT_QUERIES):
        many, second = _queries_of(lambda: submit("13712340002"))

    assert few == many
    issue = Issue.objects.get(submitter_phone="13712340002")
    assert second.status_code == 302
    assert second["Location"] == reverse("issues:receipt", kwargs={"code": issue.receipt_code})
    # The villager's SMS and the secretary's inbox message, written together with the issue.
    urls = [f"/issues/track/{issue.receipt_code}/", f"/staff/issues/{issue.pk}/"]
    messages = OutboxMessage.objects.filter(url__in=urls)
    assert {(message.channel, message.phone, message.user_id) for message in messages} >= {
        ("sms", "13712340002", None),
        ("inbox", "", village_staff_qingshan.pk),
    }
    sms = messages.get(channel="sms")
    assert issue.receipt_code in sms.body
    assert sms.region_path == qingshan_tongxinhui.region.path
    assert issue.region_id == qingshan_tongxinhui.region_id


def test_a_network_over_its_limit_is_refused_with_the_same_queries_after_thirty_issues_or_three_hundred(
    issue_form_data, qingshan_tongxinhui, settings, django_assert_max_num_queries
):
    """The test client's address is 127.0.0.1; this hour it already sent the limit, then ten times more."""
    url = f"{NEW}?org={qingshan_tongxinhui.slug}"

    def submit():
        data = issue_form_data(title="又一个议题", submitter_phone="13712349999")
        return Client().post(url, {**data, "submission_token": new_submission_token()})

    grow_history(qingshan_tongxinhui, settings.ISSUE_SUBMISSIONS_PER_IP_PER_HOUR, hours_ago=0.5, ip="127.0.0.1")
    with django_assert_max_num_queries(REFUSED_QUERIES):
        few, first = _queries_of(submit)
    grow_history(qingshan_tongxinhui, 270, hours_ago=0.5, ip="127.0.0.1")
    with django_assert_max_num_queries(REFUSED_QUERIES):
        many, second = _queries_of(submit)

    assert few == many
    for response in (first, second):
        html = response.content.decode()
        assert response.status_code == 200
        assert "当前网络在一小时内提交的议题过多" in html
        assert 'value="又一个议题"' in html, "the form keeps what was typed"
    assert not Issue.objects.filter(title="又一个议题").exists()


def test_a_network_one_under_its_limit_may_still_submit(issue_form_data, qingshan_tongxinhui, settings):
    grow_history(qingshan_tongxinhui, settings.ISSUE_SUBMISSIONS_PER_IP_PER_HOUR - 1, hours_ago=0.5, ip="127.0.0.1")
    # Older than the hour: not counted, however many.
    grow_history(qingshan_tongxinhui, 50, hours_ago=2, ip="127.0.0.1")

    response = Client().post(f"{NEW}?org={qingshan_tongxinhui.slug}", issue_form_data(title="刚好还能提交"))

    assert response.status_code == 302
    assert Issue.objects.filter(title="刚好还能提交").exists()


def test_a_phone_over_its_limit_is_told_so_even_from_a_busy_network(issue_form_data, qingshan_tongxinhui, settings):
    """Both limits are read in one query; the phone's, the more personal one, speaks first."""
    phone = "13712345678"
    grow_history(qingshan_tongxinhui, 60, hours_ago=0.5, ip="127.0.0.1")
    Issue.objects.filter(pk__in=Issue.objects.order_by("-pk").values("pk")[:5]).update(submitter_phone=phone)

    response = Client().post(f"{NEW}?org={qingshan_tongxinhui.slug}", issue_form_data(submitter_phone=phone))

    html = response.content.decode()
    assert response.status_code == 200
    assert "这个手机号码在一小时内已提交了 5 个议题" in html
    assert "当前网络在一小时内提交的议题过多" not in html


def test_tracking_by_code_and_digits_and_the_issue_page_cost_the_same_beside_few_or_many_issues(
    issue_factory, qingshan_tongxinhui, django_assert_max_num_queries
):
    issue = issue_factory(submitter_phone="13912345678")
    detail = reverse("issues:track_detail", kwargs={"code": issue.receipt_code})

    def track_and_open() -> tuple[int, int, Any]:
        visitor = Client()
        with django_assert_max_num_queries(TRACK_QUERIES):
            digits = {"code": issue.receipt_code, "phone_last4": "5678"}
            tracked, proven = _queries_of(lambda: visitor.post(TRACK, digits))
        assert proven.status_code == 302
        assert proven["Location"] == detail
        with django_assert_max_num_queries(TRACK_DETAIL_QUERIES):
            opened, page = _queries_of(lambda: visitor.get(detail))
        return tracked, opened, page

    grow_history(qingshan_tongxinhui, 10)
    few = track_and_open()
    grow_history(qingshan_tongxinhui, 800)
    many = track_and_open()

    assert few[:2] == many[:2]
    html = many[2].content.decode()
    assert many[2].status_code == 200
    assert issue.title in html
    assert issue.description in html, "the submitter reads what they wrote"


def test_wrong_digits_are_refused_in_the_same_words_whether_or_not_the_code_exists(issue_factory):
    issue = issue_factory(submitter_phone="13912345678")

    wrong = Client().post(TRACK, {"code": issue.receipt_code, "phone_last4": "0000"})
    unknown = Client().post(TRACK, {"code": "99999999", "phone_last4": "5678"})

    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "回执码或手机号后四位不正确，请核对后再试。" in response.content.decode()


def test_my_issues_cost_the_same_with_three_issues_or_sixty(
    client, member_craftsman, qingshan_tongxinhui, django_assert_max_num_queries
):
    client.force_login(member_craftsman)
    grow_history(qingshan_tongxinhui, 3, member=member_craftsman)
    grow_history(qingshan_tongxinhui, 200)
    with django_assert_max_num_queries(MY_ISSUES_QUERIES):
        few, first = _queries_of(lambda: client.get("/issues/mine/"))
    grow_history(qingshan_tongxinhui, 57, member=member_craftsman)
    grow_history(qingshan_tongxinhui, 600)
    with django_assert_max_num_queries(MY_ISSUES_QUERIES):
        many, second = _queries_of(lambda: client.get("/issues/mine/"))

    assert few == many
    assert first.content.decode().count("往年的议题") == 3
    assert second.content.decode().count("往年的议题") == 20, "twenty a page"


@pytest.mark.django_db(transaction=True)
def test_a_taken_receipt_code_is_drawn_again_and_the_issue_saved_once(issue_factory):
    """As on the phone: each submission is its own transaction, the one a taken code rolls back."""
    issue_factory(receipt_codes=lambda: "12345678")
    codes = iter(["12345678", "12345678", "87654321"])

    second = issue_factory(receipt_codes=lambda: next(codes), title="第二个议题")

    assert second.receipt_code == "87654321"
    assert list(Issue.objects.order_by("pk").values_list("receipt_code", flat=True)) == ["12345678", "87654321"]
    assert Transition.objects.filter(issue=second).count() == 1
    assert OutboxMessage.objects.filter(url="/issues/track/87654321/", channel="sms").count() == 1


def test_a_rated_result_shows_its_notice_and_the_rating_in_the_same_few_queries(
    issue_in_state, qingshan_tongxinhui, django_assert_max_num_queries
):
    issue = issue_in_state("publicized", submitter_phone="13912345678")
    services.feedback_submit(issue=issue, rating=Rating.BASICALLY_SATISFIED, comment="路修好了，就是慢了点")
    unrated = issue_in_state("publicized", submitter_phone="13912340000")
    grow_history(qingshan_tongxinhui, 300)

    def open_page(code: str, digits: str) -> Any:
        visitor = Client()
        visitor.post(TRACK, {"code": code, "phone_last4": digits})
        with django_assert_max_num_queries(TRACK_DETAIL_QUERIES):
            return visitor.get(reverse("issues:track_detail", kwargs={"code": code}))

    rated_html = open_page(issue.receipt_code, "5678").content.decode()
    unrated_html = open_page(unrated.receipt_code, "0000").content.decode()

    assert 'data-testid="notice-link"' in rated_html
    assert 'data-testid="feedback-given"' in rated_html
    assert "基本满意" in rated_html and "路修好了，就是慢了点" in rated_html
    assert 'data-testid="feedback-form"' not in rated_html
    assert 'data-testid="notice-link"' in unrated_html
    assert 'data-testid="feedback-form"' in unrated_html, "an unrated result asks for the rating"
