"""The check-in screen shown on a projector, and the paper attendance sheet."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from activities.checkin_codes import checkin_token_is_valid
from activities.views_staff import qr_svg

pytestmark = pytest.mark.django_db


def screen(client, activity):
    return client.get(reverse("staff_activities:checkin_screen", args=[activity.pk]))


def test_the_screen_shows_a_qr_code_of_the_checkin_address_with_a_valid_token(
    staff_client, village_staff_qingshan, activity_factory, settings
):
    activity = activity_factory(title="青山talk：自然好邻居")
    response = screen(staff_client(village_staff_qingshan), activity)
    page = response.content.decode()
    assert response.status_code == 200
    url = response.context["checkin_url"]
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "testserver"
    assert parts.path == f"/activities/{activity.pk}/checkin/"
    token = parse_qs(parts.query)["t"][0]
    assert checkin_token_is_valid(activity, token)
    # The inline SVG on the page is exactly the QR code of that address (segno is deterministic).
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg is not None
    assert svg.group(0) == qr_svg(url)
    assert "青山talk：自然好邻居" in page
    assert "<script" not in page.split("</head>")[0]
    assert response["Cache-Control"] == "no-store"


def test_the_screen_reloads_itself_just_after_the_code_rotates(
    staff_client, village_staff_qingshan, activity_factory, settings
):
    activity = activity_factory()
    page = screen(staff_client(village_staff_qingshan), activity).content.decode()
    refresh = re.search(r'<meta http-equiv="refresh" content="(\d+)">', page)
    assert refresh is not None
    assert 1 < int(refresh.group(1)) <= settings.CHECKIN_CODE_ROTATE_SECONDS + 1


def test_a_forged_token_never_matches_the_one_on_the_screen(staff_client, village_staff_qingshan, activity_factory):
    activity = activity_factory()
    url = screen(staff_client(village_staff_qingshan), activity).context["checkin_url"]
    token = parse_qs(urlsplit(url).query)["t"][0]
    assert not checkin_token_is_valid(activity, token[::-1])
    other = activity_factory()
    assert not checkin_token_is_valid(other, token)


def test_the_screen_counts_who_has_checked_in(staff_client, village_staff_qingshan, activity_factory, sign_up_people):
    from activities import services

    activity = activity_factory(audience="public")
    first, _second = sign_up_people(activity, 2)
    services.checkin_manual(registration=first, actor=village_staff_qingshan)
    response = screen(staff_client(village_staff_qingshan), activity)
    assert re.search(r"已签到 <strong>1</strong> 人", response.content.decode())


def test_a_draft_has_no_code_to_show(staff_client, village_staff_qingshan, activity_factory):
    activity = activity_factory(publish=False)
    page = screen(staff_client(village_staff_qingshan), activity).content.decode()
    assert "<svg" not in page
    assert 'http-equiv="refresh"' not in page
    assert 'data-testid="checkin-closed"' in page


def test_the_attendance_sheet_lists_the_confirmed_people_with_a_signature_column(
    staff_client, village_staff_qingshan, activity_factory, sign_up_people
):
    activity = activity_factory(capacity=2, audience="public")
    sign_up_people(activity, 3)  # the third waits and is not on the sheet
    response = staff_client(village_staff_qingshan).get(
        reverse("staff_activities:attendance_sheet", args=[activity.pk])
    )
    page = response.content.decode()
    assert page.count('data-testid="attendance-row"') == 2
    assert "签名" in page
    assert "村民3" not in page
