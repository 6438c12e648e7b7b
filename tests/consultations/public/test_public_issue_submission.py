"""A villager submits an issue from a phone: what they see, what is saved, and what is refused."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import Issue, IssuePhoto, Transition
from consultations.states import IssueState

pytestmark = pytest.mark.django_db

NEW = "/issues/new/"
# As filled in by issue_form_data (conftest.py).
VILLAGER_NAME = "李阿婆"
VILLAGER_PHONE = "13712345678"


def _errors_of(response, field: str) -> str:
    """The text of the error block shown next to a field."""
    html = response.content.decode()
    match = re.search(rf'data-testid="error-{field}">(.*?)</div>\s*</div>', html, re.S)
    assert match, f"no error shown next to {field}"
    return re.sub(r"<[^>]+>", " ", match.group(1))


# ---- the happy paths --------------------------------------------------------------------------------------


def test_the_form_address_printed_on_qr_codes_is_stable():
    assert reverse("issues:new") == NEW
    assert reverse("issues:track") == "/issues/track/"
    assert reverse("issues:track_detail", kwargs={"code": "12345678"}) == "/issues/track/12345678/"


def test_anonymous_villager_submits_and_gets_a_receipt_code(client, issue_form_data, make_photo, qingshan_tongxinhui):
    response = client.post(NEW, {**issue_form_data(), "photos": [make_photo(), make_photo("png")]})

    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("issues:receipt", kwargs={"code": issue.receipt_code})
    assert issue.organization == qingshan_tongxinhui
    assert issue.submitter_name == VILLAGER_NAME
    assert issue.submitter_phone == VILLAGER_PHONE
    assert issue.submitter_user is None
    assert issue.phone_visible_to_department is True
    assert issue.submitter_ip == "127.0.0.1"
    assert issue.state == IssueState.SUBMITTED
    assert issue.photos.count() == 2
    assert all(photo.image.name.endswith(".jpg") for photo in issue.photos.all())

    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    spaced = f"{issue.receipt_code[:4]} {issue.receipt_code[4:]}"
    assert spaced in html
    assert "请抄下或截图保存回执码" in html
    assert "data-issue-draft-clear" in html, "the receipt tells the script to forget the draft"
    assert reverse("issues:track_detail", kwargs={"code": issue.receipt_code}) in html


def test_member_gets_name_and_phone_prefilled_and_the_issue_under_their_account(
    client, member_craftsman, issue_form_data
):
    client.force_login(member_craftsman)
    page = client.get(NEW).content.decode()
    assert 'value="张竹青"' in page
    assert 'value="13800001111"' in page
    assert "议题会记在您的账号下" in page

    client.post(NEW, issue_form_data(submitter_name="张竹青", submitter_phone="13800001111"))

    issue = Issue.objects.get()
    assert issue.submitter_user == member_craftsman
    assert issue.submitter_phone == "13800001111"


def test_org_in_the_address_preselects_the_organization_as_fixed_text(
    client, qingshan_tongxinhui, wangweishan_tongxinhui, issue_form_data
):
    page = client.get(f"{NEW}?org=qingshan").content.decode()
    assert 'data-testid="fixed-organization"' in page
    assert "青山同心荟" in page
    assert "王位山同心荟" not in page, "no select of other organizations when the QR code names one"
    assert 'type="hidden" name="organization" value="qingshan"' in page

    client.post(f"{NEW}?org=qingshan", issue_form_data(organization="qingshan"))
    assert Issue.objects.get().organization == qingshan_tongxinhui


def test_without_org_the_villager_chooses_among_public_organizations(
    client, qingshan_tongxinhui, wangweishan_tongxinhui
):
    wangweishan_tongxinhui.is_active = False
    wangweishan_tongxinhui.save(update_fields=["is_active"])
    page = client.get(NEW).content.decode()
    assert '<select name="organization"' in page
    assert "青山同心荟" in page
    assert "王位山同心荟" not in page, "inactive organizations take no issues"


def test_page_is_light_no_inline_script_and_loads_the_form_script(client, qingshan_tongxinhui):
    response = client.get(NEW)
    html = response.content.decode()
    assert "js/issue_form.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "CSP forbids inline scripts"
    assert 'enctype="multipart/form-data"' in html
    assert len(response.content) < 40_000


# ---- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "长" * 61}, "title", "标题最多 60 个字，现在有 61 个字"),
        ({"description": "长" * 2001}, "description", "具体情况最多 2000 个字"),
        ({"title": "   "}, "title", "请填写标题"),
        ({"description": ""}, "description", "请填写具体情况"),
        ({"category": ""}, "category", "请选择类别"),
        ({"submitter_name": ""}, "submitter_name", "请填写您的姓名"),
        ({"submitter_phone": "1234567"}, "submitter_phone", "请输入 11 位手机号码"),
        ({"submitter_phone": "23800001111"}, "submitter_phone", "请输入 11 位手机号码"),
        ({"submitter_phone": ""}, "submitter_phone", "请填写手机号码"),
    ],
)
def test_bad_text_input_is_explained_next_to_the_field_and_typed_text_is_kept(
    client, issue_form_data, overrides, field, message
):
    data = issue_form_data(**overrides)
    response = client.post(NEW, data)

    assert response.status_code == 200
    assert message in _errors_of(response, field)
    html = response.content.decode()
    for kept in ("title", "description", "place", "submitter_name"):
        if kept != field and data.get(kept):
            assert str(data[kept]) in html, f"{kept} was lost"
    assert Issue.objects.count() == 0
    assert Transition.objects.count() == 0


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(client, issue_form_data, make_photo):
    fake = make_photo(name="村口照片.jpg")
    fake.file.seek(0)
    fake.file.truncate()
    fake.file.write(b"%PDF-1.4 this is a document, not a photo")
    fake.size = fake.file.tell()
    fake.file.seek(0)

    response = client.post(NEW, {**issue_form_data(), "photos": [fake]})

    errors = _errors_of(response, "photos")
    assert "不是有效的图片文件" in errors
    assert "请重新选择照片" in errors
    assert "竹林小路塌了一段" in response.content.decode()
    assert Issue.objects.count() == 0
    assert IssuePhoto.objects.count() == 0


def test_an_oversized_photo_is_refused(client, settings, issue_form_data, make_photo):
    settings.ISSUE_PHOTO_MAX_BYTES = 20_000
    big = make_photo(size=(1600, 1200))
    assert big.size > 20_000

    response = client.post(NEW, {**issue_form_data(), "photos": [big]})

    assert "太大" in _errors_of(response, "photos")
    assert Issue.objects.count() == 0


def test_seven_photos_are_too_many(client, issue_form_data, make_photo):
    response = client.post(NEW, {**issue_form_data(), "photos": [make_photo(size=(40, 30)) for _ in range(7)]})

    errors = _errors_of(response, "photos")
    assert "最多上传 6 张照片" in errors
    assert "请重新选择照片" in errors
    assert Issue.objects.count() == 0


def test_a_photo_claiming_huge_pixel_dimensions_is_refused(client, settings, issue_form_data, make_photo):
    settings.ISSUE_PHOTO_MAX_PIXELS = 1_000_000
    response = client.post(NEW, {**issue_form_data(), "photos": [make_photo("png", size=(2000, 1000))]})

    assert "像素尺寸过大" in _errors_of(response, "photos")
    assert Issue.objects.count() == 0


def test_photos_chosen_before_another_field_failed_must_be_chosen_again(client, issue_form_data, make_photo):
    response = client.post(NEW, {**issue_form_data(title=""), "photos": [make_photo()]})

    assert "请重新选择照片" in response.content.decode()
    assert Issue.objects.count() == 0


def test_webp_and_gif_photos_are_accepted(client, issue_form_data, make_photo):
    client.post(NEW, {**issue_form_data(), "photos": [make_photo("webp"), make_photo("gif")]})
    assert Issue.objects.get().photos.count() == 2


# ---- a double tap submits once ---------------------------------------------------------------------------------


def test_the_same_form_sent_twice_makes_one_issue_and_shows_the_same_receipt(client, issue_form_data):
    data = issue_form_data()
    first = client.post(NEW, data)
    second = client.post(NEW, data)

    assert Issue.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


def test_a_replayed_form_from_another_browser_also_makes_one_issue(client, issue_form_data):
    data = issue_form_data()
    client.post(NEW, data)
    other = Client()
    replay = other.post(NEW, data)

    assert Issue.objects.count() == 1
    assert replay["Location"].startswith("/issues/new/receipt/")


def test_two_forms_with_different_tokens_make_two_issues(client, issue_form_data):
    client.post(NEW, issue_form_data())
    client.post(NEW, issue_form_data(title="路灯不亮"))
    assert Issue.objects.count() == 2


def test_each_form_page_carries_a_fresh_token(client, qingshan_tongxinhui):
    found = [re.search(r'name="submission_token" value="([^"]+)"', client.get(NEW).content.decode()) for _ in range(2)]
    tokens = {match.group(1) for match in found if match is not None}
    assert len(tokens) == 2


# ---- rate limits ---------------------------------------------------------------------------------------------


def _backdate(issue: Issue, minutes: int) -> None:
    Issue.objects.filter(pk=issue.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=minutes))


@pytest.mark.any_hour
def test_one_phone_may_submit_only_so_many_issues_an_hour(client, settings, issue_form_data, issue_factory):
    settings.ISSUE_SUBMISSIONS_PER_PHONE_PER_HOUR = 2
    for _ in range(2):
        issue_factory(submitter_phone=VILLAGER_PHONE)

    response = client.post(NEW, issue_form_data())

    assert response.status_code == 200
    assert "这个手机号码在一小时内已提交了 2 个议题" in response.content.decode()
    assert "竹林小路塌了一段" in response.content.decode()
    assert Issue.objects.count() == 2


@pytest.mark.any_hour
def test_the_phone_limit_counts_only_the_last_hour(client, settings, issue_form_data, issue_factory):
    settings.ISSUE_SUBMISSIONS_PER_PHONE_PER_HOUR = 1
    _backdate(issue_factory(submitter_phone=VILLAGER_PHONE), minutes=61)

    client.post(NEW, issue_form_data())
    assert Issue.objects.count() == 2


@pytest.mark.any_hour
def test_one_network_may_submit_only_so_many_issues_an_hour(client, settings, issue_form_data, issue_factory):
    settings.ISSUE_SUBMISSIONS_PER_IP_PER_HOUR = 3
    for number in range(3):
        issue_factory(submitter_phone=f"1390000000{number}", submitter_ip="127.0.0.1")

    response = client.post(NEW, issue_form_data())

    assert "当前网络在一小时内提交的议题过多" in response.content.decode()
    assert Issue.objects.count() == 3


def test_members_are_not_held_by_the_anonymous_limits(
    client, settings, member_craftsman, issue_form_data, issue_factory
):
    settings.ISSUE_SUBMISSIONS_PER_PHONE_PER_HOUR = 1
    issue_factory(submitter_phone="13800001111")
    client.force_login(member_craftsman)

    client.post(NEW, issue_form_data(submitter_name="张竹青", submitter_phone="13800001111"))
    assert Issue.objects.filter(submitter_user=member_craftsman).count() == 1
