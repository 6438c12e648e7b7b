"""The Content-Security-Policy header, built once per process instead of once per answer.

django-csp's middleware builds the header string from the settings on every response (about 0.02 ms, a
twentieth of a kept page). The portal's policy is the same for every page: no view sets its own
(`csp_update`, `csp_replace`, `csp_exempt` decorators) and no template asks for a nonce. So when an answer
carries none of those and no nonce was drawn, the header built once is set; any other answer goes through
django-csp unchanged. The string is built again when a test changes the settings.
"""

from __future__ import annotations

import functools
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# What django-csp's decorators leave on a response (csp.decorators): such an answer has a policy of its own.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@functools.cache
def _headers() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, value, excluded URL prefixes) for the enforced policy and the report-only one, where set."""
    headers = []
    for header, setting, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        value = build_policy(report_only=report_only)
        if value:
            policy: dict[str, Any] = getattr(settings, setting, None) or {}
            headers.append((header, value, tuple(policy.get("EXCLUDE_URL_PREFIXES") or ())))
    return tuple(headers)


@receiver(setting_changed)
def _policy_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _headers.cache_clear()


class KeptPolicyMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, name) for name in _PER_RESPONSE):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            # Django's debug pages carry inline scripts and styles: as django-csp, no header on them.
            return response
        for header, value, excluded in _headers():
            if header not in response and not request.path_info.startswith(excluded):
                response[header] = value
        # As django-csp: a nonce asked for after the header was written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
