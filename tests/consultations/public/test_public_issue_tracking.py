"""Following an issue: receipt code plus the last four digits of the phone, a member's own list, the rating."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from consultations import services
from consultations.models import Feedback, Issue, Rating
from consultations.ratelimits import TRACKING_FAILURES_PER_IP_PER_HOUR
from consultations.receipts import format_receipt_code
from consultations.states import IssueState

pytestmark = pytest.mark.django_db

# The phone of the issue_factory villager (tests/consultations/conftest.py).
PHONE = "13912345678"
LAST4 = PHONE[-4:]


def _detail(code: str) -> str:
    return f"/issues/track/{code}/"


def _track(client: Client, code: str, digits: str):
    return client.post("/issues/track/", {"code": code, "phone_last4": digits})


# ---- tracking by code and digits -------------------------------------------------------------------------------


def test_code_and_right_digits_open_the_timeline(client, issue_factory, village_staff_qingshan):
    issue = issue_factory()
    services.issue_accept(issue=issue, actor=village_staff_qingshan, comment="下周议事会讨论")

    response = _track(client, issue.receipt_code, LAST4)
    assert response.status_code == 302
    assert response["Location"] == _detail(issue.receipt_code)

    html = client.get(response["Location"]).content.decode()
    assert issue.title in html
    assert "待协商" in html
    assert "提交议题" in html and "受理" in html
    assert "下周议事会讨论" in html
    assert "青山村 秘书 李娟" in html


def test_codes_are_accepted_as_people_type_them(client, issue_factory):
    issue = issue_factory()
    spaced = f"{issue.receipt_code[:4]} {issue.receipt_code[4:]}"
    assert _track(client, spaced, LAST4)["Location"] == _detail(issue.receipt_code)


def test_wrong_digits_and_unknown_codes_get_the_same_neutral_message(client, issue_factory):
    issue = issue_factory()
    unknown = "99999999" if issue.receipt_code != "99999999" else "88888888"

    wrong_digits = _track(client, issue.receipt_code, "0000").content.decode()
    unknown_code = _track(client, unknown, LAST4).content.decode()

    assert "回执码或手机号后四位不正确" in wrong_digits
    assert "回执码或手机号后四位不正确" in unknown_code
    assert issue.title not in wrong_digits
    assert client.get(_detail(issue.receipt_code)).content.decode().count(issue.title) == 0


def test_the_code_alone_opens_nothing_but_asks_for_the_digits(client, issue_factory):
    issue = issue_factory()
    page = client.get(_detail(issue.receipt_code))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="digits-prompt"' in html
    assert "手机号码的后四位" in html
    assert issue.title not in html
    assert issue.description not in html


def test_digits_given_on_the_direct_page_open_it(client, issue_factory):
    issue = issue_factory()
    response = client.post(_detail(issue.receipt_code), {"phone_last4": LAST4})
    assert response["Location"] == _detail(issue.receipt_code)
    assert issue.title in client.get(_detail(issue.receipt_code)).content.decode()


def test_a_code_that_does_not_exist_looks_like_one_that_does(client, issue_factory):
    issue = issue_factory()
    unknown = "99999999" if issue.receipt_code != "99999999" else "88888888"
    real_page = client.get(_detail(issue.receipt_code))
    fake_page = client.get(_detail(unknown))
    assert real_page.status_code == fake_page.status_code == 200
    assert "digits-prompt" in fake_page.content.decode()
    wrong = client.post(_detail(unknown), {"phone_last4": LAST4})
    assert "回执码或手机号后四位不正确" in wrong.content.decode()


def test_guessing_digits_is_stopped_after_repeated_failures(client, issue_factory):
    issue = issue_factory()
    for guess in range(TRACKING_FAILURES_PER_IP_PER_HOUR):
        _track(client, issue.receipt_code, f"{guess:04d}" if f"{guess:04d}" != LAST4 else "9999")

    blocked = _track(client, issue.receipt_code, LAST4)

    assert blocked.status_code == 200
    assert "尝试次数过多" in blocked.content.decode()
    assert issue.title not in client.get(_detail(issue.receipt_code)).content.decode()


def test_the_submitters_own_browser_opens_the_issue_without_digits(client, issue_form_data):
    client.post("/issues/new/", issue_form_data())
    issue = Issue.objects.get()
    assert issue.title in client.get(_detail(issue.receipt_code)).content.decode()
    assert issue.title not in Client().get(_detail(issue.receipt_code)).content.decode()


def test_a_member_sees_their_own_issue_without_digits_but_not_others(client, member_craftsman, issue_factory):
    mine = issue_factory(submitter_user=member_craftsman, submitter_phone="13800001111", title="我的路灯")
    theirs = issue_factory(title="别人的议题")
    client.force_login(member_craftsman)

    assert "我的路灯" in client.get(_detail(mine.receipt_code)).content.decode()
    assert "别人的议题" not in client.get(_detail(theirs.receipt_code)).content.decode()


def test_rejection_reason_and_merge_target_are_shown(client, issue_in_state):
    rejected = issue_in_state("rejected")
    merged = issue_in_state("merged")
    _track(client, rejected.receipt_code, LAST4)
    _track(client, merged.receipt_code, LAST4)

    rejected_html = client.get(_detail(rejected.receipt_code)).content.decode()
    merged_html = client.get(_detail(merged.receipt_code)).content.decode()

    assert "属于个人纠纷，不在议事范围内。" in rejected_html
    assert "已合并办理" in merged_html
    assert merged.merged_into.get_state_display() in merged_html


def test_a_merged_issue_never_shows_the_other_villagers_receipt_code(client, issue_in_state):
    """The code of the issue it was merged into would open another villager's page."""
    merged = issue_in_state("merged")
    _track(client, merged.receipt_code, LAST4)

    merged_html = client.get(_detail(merged.receipt_code)).content.decode()

    assert "已合并办理" in merged_html
    assert merged.merged_into.receipt_code not in merged_html
    assert format_receipt_code(merged.merged_into.receipt_code) not in merged_html


def test_internal_notes_stay_off_the_public_timeline(client, issue_factory):
    issue = issue_factory()
    issue.transitions.create(
        action="accept",
        from_state="submitted",
        to_state="submitted",
        actor_label="内部",
        comment="内部备注：此人常来反映",
        is_public=False,
    )
    _track(client, issue.receipt_code, LAST4)
    assert "内部备注" not in client.get(_detail(issue.receipt_code)).content.decode()


def test_the_tracking_page_runs_a_bounded_number_of_queries(
    client, issue_in_state, django_assert_max_num_queries, make_photo
):
    small = issue_in_state("accepted")
    big = issue_in_state("publicized")
    for _ in range(4):
        big.photos.create(image=make_photo())
    _track(client, small.receipt_code, LAST4)
    _track(client, big.receipt_code, LAST4)

    with django_assert_max_num_queries(10):
        client.get(_detail(small.receipt_code))
    with django_assert_max_num_queries(10):
        response = client.get(_detail(big.receipt_code))
    assert response.content.decode().count("<img") == 4


# ---- the rating ---------------------------------------------------------------------------------------------


def _published_by_the_village(issue: Issue, staff, drive_issue) -> Issue:
    """issue_submit → accept → meeting with the issue → consensus → resolved in the village → published."""
    drive_issue(issue, "agreed")
    services.issue_resolve_in_village(issue=issue, actor=staff, resolution="村里自筹资金修好了小路。")
    services.issue_publish(issue=issue, actor=staff, title="竹林小路已修复", body="村里自筹资金修好了小路。")
    issue.refresh_from_db()
    assert issue.state == IssueState.PUBLICIZED
    return issue


def test_submitter_rates_the_published_result_once(client, issue_form_data, drive_issue, village_staff_qingshan):
    client.post("/issues/new/", issue_form_data())
    issue = _published_by_the_village(Issue.objects.get(), village_staff_qingshan, drive_issue)

    page = client.get(_detail(issue.receipt_code)).content.decode()
    assert 'data-testid="feedback-form"' in page
    assert "竹林小路已修复" in page, "the notice is linked"
    assert f"/notices/{issue.notices.get().pk}/" in page

    response = client.post(
        f"/issues/track/{issue.receipt_code}/rate/",
        {"rating": "basically_satisfied", "comment": "修得不错，路边再装个护栏更好"},
    )
    assert response["Location"] == _detail(issue.receipt_code)

    feedback = Feedback.objects.get()
    assert feedback.rating == Rating.BASICALLY_SATISFIED
    after = client.get(_detail(issue.receipt_code)).content.decode()
    assert "感谢您的评价" in after
    assert "基本满意" in after
    assert 'data-testid="feedback-form"' not in after

    again = client.post(f"/issues/track/{issue.receipt_code}/rate/", {"rating": "unsatisfied"})
    assert Feedback.objects.count() == 1
    assert "已经评价过" in client.get(again["Location"]).content.decode()


def test_rating_without_a_choice_says_so(client, issue_form_data, drive_issue, village_staff_qingshan):
    client.post("/issues/new/", issue_form_data())
    issue = _published_by_the_village(Issue.objects.get(), village_staff_qingshan, drive_issue)

    response = client.post(f"/issues/track/{issue.receipt_code}/rate/", {"comment": "还行"})

    assert "请选择满意、基本满意或不满意" in response.content.decode()
    assert "还行" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_someone_without_the_proof_cannot_rate(client, issue_in_state):
    issue = issue_in_state("publicized")
    response = client.post(f"/issues/track/{issue.receipt_code}/rate/", {"rating": "unsatisfied"})
    assert response["Location"] == _detail(issue.receipt_code)
    assert Feedback.objects.count() == 0


def test_no_rating_form_before_the_result_is_published(client, issue_in_state):
    issue = issue_in_state("handled")
    _track(client, issue.receipt_code, LAST4)
    assert 'data-testid="feedback-form"' not in client.get(_detail(issue.receipt_code)).content.decode()


def test_a_closed_issue_can_still_be_rated(client, issue_in_state):
    issue = issue_in_state("closed")
    _track(client, issue.receipt_code, LAST4)
    assert 'data-testid="feedback-form"' in client.get(_detail(issue.receipt_code)).content.decode()
    client.post(f"/issues/track/{issue.receipt_code}/rate/", {"rating": "unsatisfied", "comment": "灯又坏了"})
    assert Feedback.objects.get().rating == Rating.UNSATISFIED


# ---- a member's own issues --------------------------------------------------------------------------------------


def test_a_member_lists_their_own_issues_newest_first(client, member_craftsman, issue_factory):
    issue_factory(submitter_user=member_craftsman, title="先提的")
    issue_factory(submitter_user=member_craftsman, title="后提的")
    issue_factory(title="别人的")
    client.force_login(member_craftsman)

    html = client.get("/issues/mine/").content.decode()

    assert html.index("后提的") < html.index("先提的")
    assert "别人的" not in html


def test_my_issues_needs_a_login(client):
    response = client.get("/issues/mine/")
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_my_issues_is_paginated_with_bounded_queries(
    client, member_craftsman, issue_factory, django_assert_max_num_queries
):
    for number in range(25):
        issue_factory(submitter_user=member_craftsman, title=f"议题{number:02d}", submitter_phone=f"138000{number:05d}")
    client.force_login(member_craftsman)

    with django_assert_max_num_queries(8):
        first = client.get("/issues/mine/").content.decode()
    with django_assert_max_num_queries(8):
        second = client.get("/issues/mine/?page=2").content.decode()

    assert "议题24" in first and "议题04" not in first
    assert "议题04" in second


def test_staff_of_the_village_open_the_public_page_without_digits_but_other_villages_do_not(
    client, issue_factory, village_staff_qingshan, village_staff_wanghu
):
    issue = issue_factory(title="村口路灯")
    client.force_login(village_staff_qingshan)
    assert "村口路灯" in client.get(_detail(issue.receipt_code)).content.decode()
    client.force_login(village_staff_wanghu)
    assert "村口路灯" not in client.get(_detail(issue.receipt_code)).content.decode()


def test_a_receipt_page_opens_only_in_the_browser_that_submitted(client, issue_form_data):
    response = client.post("/issues/new/", issue_form_data())
    other = Client().get(response["Location"])
    assert other.status_code == 302
    assert other["Location"] == _detail(Issue.objects.get().receipt_code)


def test_a_cancelled_meeting_shows_on_the_submitters_timeline_with_its_reason(
    client, issue_in_state, qingshan_tongxinhui, village_staff_qingshan
):
    issue = issue_in_state("accepted")
    meeting = services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="四月议事会",
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
        place="青山村文化礼堂",
        issues=[issue],
    )
    services.meeting_cancel(meeting=meeting, actor=village_staff_qingshan, reason="台风预警，延期召开")

    html = client.get(_track(client, issue.receipt_code, LAST4)["Location"]).content.decode()
    assert "议事会取消，退回待协商" in html
    assert "台风预警，延期召开" in html
    assert 'data-action="meeting_cancel"' in html
