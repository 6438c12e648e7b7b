"""The villager's phone pages are kept whole too: the form printed on QR codes and the tracking form.

Each villager still gets their own CSRF token and their own double-tap token, so two villagers on the kept
form both submit, and a double tap of one still makes one issue; an organization's own QR code is its own
page; a network blocked from tracking is told so on the empty form, and that page is never kept.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from consultations.models import Issue
from consultations.ratelimits import TRACKING_FAILURES_PER_IP_PER_HOUR, tracking_failure_record
from orgs import services as org_services
from tests.consultations.public.conftest import issue_form_data  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

NEW = "/issues/new/"
TRACK = "/issues/track/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_token" value="([^"]+)"')
BLOCKED_NETWORK = "203.0.113.7"


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _token(pattern: re.Pattern[str], html: str) -> str:
    match = pattern.search(html)
    assert match, f"no {pattern.pattern} on the page"
    return match.group(1)


def _without_tokens(html: str) -> str:
    return SUBMISSION.sub('name="submission_token" value=""', CSRF.sub('name="csrfmiddlewaretoken" value=""', html))


def test_the_second_villager_on_the_phone_form_is_served_without_a_query(
    qingshan_tongxinhui, tree, django_assert_num_queries
):
    town = qingshan_tongxinhui.region.parent
    for path in (NEW, f"{NEW}?org={qingshan_tongxinhui.slug}", f"{NEW}?district={town.parent_id}", TRACK):
        first = _html(Client().get(path))
        with django_assert_num_queries(0):
            second = _html(Client().get(path))
        assert _without_tokens(second) == _without_tokens(first), path
        assert second != first, f"{path}: the second villager got the first one's tokens"


def test_the_next_list_of_places_fetched_by_the_phone_form_is_kept_too(qingshan_tongxinhui, django_assert_num_queries):
    town = qingshan_tongxinhui.region.parent
    path = f"{NEW}choices/?district={town.parent_id}&town={town.pk}"
    first = Client().get(path)
    with django_assert_num_queries(0):
        second = Client().get(path)

    assert qingshan_tongxinhui.region.name in _html(second)
    assert _html(second) == _html(first)
    assert second["Cache-Control"] == "public, max-age=300"


def test_two_villagers_on_the_kept_form_each_submit_and_a_double_tap_still_makes_one_issue(
    qingshan_tongxinhui,
    issue_form_data,  # noqa: F811
):
    path = f"{NEW}?org={qingshan_tongxinhui.slug}"
    li, wang = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    li_page, wang_page = _html(li.get(path)), _html(wang.get(path))
    assert _token(CSRF, li_page) != _token(CSRF, wang_page)
    assert _token(SUBMISSION, li_page) != _token(SUBMISSION, wang_page)

    def send(client: Client, page: str, **typed: str):
        data = issue_form_data(submission_token=_token(SUBMISSION, page), **typed)
        return client.post(path, {**data, "csrfmiddlewaretoken": _token(CSRF, page)})

    li_sent = send(li, li_page)
    li_tapped_again = send(li, li_page)
    wang_sent = send(wang, wang_page, title="村口路灯不亮", submitter_name="王大伯", submitter_phone="13787654321")

    assert li_sent.status_code == wang_sent.status_code == 302
    assert li_tapped_again["Location"] == li_sent["Location"], "the double tap shows the same receipt"
    assert sorted(Issue.objects.values_list("title", flat=True)) == sorted(["竹林小路塌了一段", "村口路灯不亮"])


def test_the_qr_code_of_another_organization_is_its_own_page(qingshan_tongxinhui, wangweishan_tongxinhui):
    qingshan = _html(Client().get(f"{NEW}?org={qingshan_tongxinhui.slug}"))
    wangweishan = _html(Client().get(f"{NEW}?org={wangweishan_tongxinhui.slug}"))

    assert f'value="{qingshan_tongxinhui.slug}"' in qingshan
    assert f'value="{wangweishan_tongxinhui.slug}"' in wangweishan
    assert wangweishan_tongxinhui.name in wangweishan
    assert wangweishan_tongxinhui.name not in qingshan


def test_a_renamed_organization_shows_on_the_next_villagers_form(
    qingshan_tongxinhui, village_staff_qingshan, committed
):
    path = f"{NEW}?org={qingshan_tongxinhui.slug}"
    Client().get(path)

    with committed():
        org_services.organization_update(
            organization=qingshan_tongxinhui, actor=village_staff_qingshan, changes={"name": "青山村同心荟（新）"}
        )

    assert "青山村同心荟（新）" in _html(Client().get(path))


def test_a_blocked_network_is_told_so_on_the_tracking_form_and_others_are_not(django_assert_num_queries):
    assert 'data-testid="tracking-blocked"' not in _html(Client().get(TRACK))
    for _attempt in range(TRACKING_FAILURES_PER_IP_PER_HOUR):
        tracking_failure_record(BLOCKED_NETWORK)

    blocked = _html(Client(REMOTE_ADDR=BLOCKED_NETWORK).get(TRACK))
    assert 'data-testid="tracking-blocked"' in blocked
    assert "尝试次数过多" in blocked
    # Its page was not kept: the next villager on another network sees the form as it was, without a query.
    with django_assert_num_queries(0):
        other = _html(Client().get(TRACK))
    assert 'data-testid="tracking-blocked"' not in other
    assert 'data-testid="tracking-blocked"' in _html(Client(REMOTE_ADDR=BLOCKED_NETWORK).get(TRACK))


def test_a_blocked_network_sending_the_kept_form_is_still_refused(issue_factory):
    issue = issue_factory()
    Client().get(TRACK)
    for _attempt in range(TRACKING_FAILURES_PER_IP_PER_HOUR):
        tracking_failure_record(BLOCKED_NETWORK)

    refused = Client(REMOTE_ADDR=BLOCKED_NETWORK).post(TRACK, {"code": issue.receipt_code, "phone_last4": "5678"})

    assert "尝试次数过多" in _html(refused)
    assert issue.title not in _html(refused)
