"""Every answer carries the portal's Content-Security-Policy, built once (portal/content_policy.py): the same
header django-csp builds, built again when the policy changes, and a view with a policy of its own keeps it."""

from __future__ import annotations

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.http import HttpResponse, HttpResponseBase
from django.test import Client, RequestFactory, override_settings

from portal.content_policy import KeptPolicyMiddleware

pytestmark = pytest.mark.django_db


def _answer(response: HttpResponseBase | None = None, path: str = "/") -> HttpResponseBase:
    response = response or HttpResponse("页面")
    request = RequestFactory().get(path)
    middleware = KeptPolicyMiddleware(lambda request: response)
    middleware.process_request(request)
    return middleware.process_response(request, response)


def test_every_page_carries_the_policy_django_csp_would_build():
    assert Client().get("/orgs/")[HEADER] == build_policy()
    assert _answer()[HEADER] == build_policy()
    assert HEADER_REPORT_ONLY not in _answer()


def test_a_changed_policy_shows_on_the_next_answer():
    before = _answer()[HEADER]
    policy = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https://map.example.cn"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy, CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        changed = _answer()
        assert "https://map.example.cn" in changed[HEADER] and "https://map.example.cn" in changed[HEADER_REPORT_ONLY]
    assert _answer()[HEADER] == before


def test_a_view_with_a_policy_of_its_own_keeps_it_and_an_exempt_view_has_none():
    from csp.decorators import csp_exempt, csp_update

    own = csp_update({"img-src": ["https://tiles.example.cn"]})(lambda request: HttpResponse("地图"))
    assert "https://tiles.example.cn" in _answer(own(RequestFactory().get("/")))[HEADER]
    exempt = csp_exempt()(lambda request: HttpResponse("下载"))
    assert HEADER not in _answer(exempt(RequestFactory().get("/")))


def test_a_header_a_view_set_itself_is_left_alone_and_excluded_prefixes_get_none():
    preset = HttpResponse("页面")
    preset[HEADER] = "default-src 'none'"
    assert _answer(preset)[HEADER] == "default-src 'none'"
    policy = {"EXCLUDE_URL_PREFIXES": ["/healthz"], "DIRECTIVES": {"default-src": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert HEADER not in _answer(path="/healthz")
        assert HEADER in _answer(path="/orgs/")
