"""Odd input in the address never breaks a page: a NUL byte, a superscript "²", full-width or Arabic-Indic
digits, numbers too large for the database, negative numbers. Each page that reads a query parameter either
ignores the bad value (and shows what it would show without it) or answers 404; never a server error."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from activities.models import Activity, ActivityStatus, Audience
from portal.query_params import id_param, slug_param

pytestmark = pytest.mark.django_db

ODD_VALUES = {
    "nul": "1\x00",
    "nul-alone": "\x00",
    "superscript-two": "²",
    "full-width": "１２",
    "arabic-indic": "١٢",
    "huge": "9" * 30,
    "enormous": "9" * 5000,
    "negative": "-1",
    "float": "1e5",
}

# (who, page, query parameters it reads); "who" is a persona fixture, or None for an anonymous visitor.
PAGES = [
    (None, "/issues/new/", ["org"]),
    (None, "/notices/", ["region", "district", "town", "village", "org", "page"]),
    (None, "/orgs/", ["region", "district", "town", "village", "kind", "page"]),
    (None, "/activities/", ["org", "page"]),
    (None, "/activities/{activity}/checkin/", ["t", "p"]),
    (None, "/accounts/login/", ["next"]),
    ("member_craftsman", "/issues/mine/", ["page"]),
    ("member_craftsman", "/activities/mine/", ["page"]),
    ("member_craftsman", "/inbox/", ["page"]),
    (
        "village_staff_qingshan",
        "/staff/issues/",
        ["page", "tab", "q", "organization", "category", "channel", "submitted_after", "submitted_before"],
    ),
    ("village_staff_qingshan", "/staff/issues/deadline/", ["working_days", "assign-working_days"]),
    ("village_staff_qingshan", "/staff/issues/meetings/", ["page"]),
    ("village_staff_qingshan", "/staff/issues/meetings/new/", ["org"]),
    ("village_staff_qingshan", "/staff/issues/new/", ["organization"]),
    (
        "village_staff_qingshan",
        "/staff/roster/",
        [
            "page",
            "q",
            "status",
            "organization",
            "role",
            "joined_after",
            "joined_before",
            "stratum",
            "occupation",
            "representative",
        ],
    ),
    ("village_staff_qingshan", "/staff/roster/growth/", ["on", "page"]),
    (
        "village_staff_qingshan",
        "/staff/activities/",
        ["page", "organization", "category", "form", "status", "month"],
    ),
    ("village_staff_qingshan", "/staff/activities/month/", ["org", "month"]),
    ("village_staff_qingshan", "/staff/activities/new/", ["org"]),
    ("village_staff_qingshan", "/staff/activities/figures/", ["page"]),
    ("village_staff_qingshan", "/staff/activities/figures/inactive/", ["org", "page"]),
    ("handler_huanghu", "/department/", ["tab", "page"]),
]

CASES = [
    pytest.param(who, page, parameter, id=f"{page}?{parameter}=")
    for who, page, parameters in PAGES
    for parameter in parameters
]


@pytest.fixture
def published_activity(qingshan_tongxinhui, village_staff_qingshan) -> Activity:
    start = timezone.now() + datetime.timedelta(days=3)
    return Activity.objects.create(
        host=qingshan_tongxinhui,
        title="竹编入门",
        category="heritage",
        form="traditional_experience",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="竹编工坊",
        capacity=10,
        signup_deadline=start - datetime.timedelta(hours=1),
        audience=Audience.PUBLIC,
        status=ActivityStatus.PUBLISHED,
        created_by=village_staff_qingshan,
    )


@pytest.mark.parametrize(("who", "page", "parameter"), CASES)
def test_an_odd_query_parameter_is_ignored_or_answers_404(request, who, page, parameter, published_activity):
    client = Client(raise_request_exception=False)
    if who is not None:
        client.force_login(request.getfixturevalue(who))
    path = page.format(activity=published_activity.pk)

    answers = {name: client.get(path, {parameter: value}).status_code for name, value in ODD_VALUES.items()}

    assert {name: status for name, status in answers.items() if status not in (200, 302, 404)} == {}


@pytest.mark.parametrize("name", ["issues/\x00.jpg", "issues/a\x00b/photo.jpg", "activities/\x00", "answers/%00.pdf"])
def test_a_nul_byte_in_a_media_path_answers_404(client, db, name):
    assert Client(raise_request_exception=False).get(f"/media/{name}").status_code == 404


ODD_PATHS = [
    "/issues/track/%00/",
    "/issues/track/%C2%B2%C2%B2%C2%B2%C2%B2%C2%B2%C2%B2%C2%B2%C2%B2/",
    "/issues/new/receipt/%00/",
    "/notices/99999999999999999999999/",
    "/activities/{activity}/registration/%00/",
    "/activities/{activity}/checkin/done/%00/",
    "/activities/{activity}/checkin/done/%C2%B2/",
    "/orgs/%00/",
]


@pytest.mark.parametrize("path", ODD_PATHS)
def test_odd_values_in_the_path_of_a_public_page_answer_404_or_the_page(path, published_activity):
    client = Client(raise_request_exception=False)
    assert client.get(path.format(activity=published_activity.pk)).status_code in (200, 302, 404)


ADMIN_LISTS = ["/admin/members/person/", "/admin/consultations/issue/", "/admin/activities/registration/"]


@pytest.mark.parametrize("changelist", ADMIN_LISTS)
def test_odd_values_in_an_admin_list_are_ignored(changelist, district_admin_yuhang):
    client = Client(raise_request_exception=False)
    client.force_login(district_admin_yuhang)
    for parameter in ("q", "p", "o"):
        for name, value in ODD_VALUES.items():
            status = client.get(changelist, {parameter: value}).status_code
            assert status in (200, 302), f"{parameter}={name}: {status}"


def test_only_plain_digits_make_an_id_and_only_slug_characters_a_slug():
    assert id_param("42") == 42
    assert [id_param(value) for value in ODD_VALUES.values()] == [None] * len(ODD_VALUES)
    assert id_param(None) is None
    assert slug_param(" qingshan ") == "qingshan"
    assert slug_param("qing\x00shan") is None
    assert slug_param("") is None
