"""The visitor's IP address, for the login lockout and the SMS rate limits alike.

Behind a reverse proxy REMOTE_ADDR is the proxy's; settings.TRUSTED_PROXY_COUNT says how many proxies of
ours stand in front, each appending the address it received from to X-Forwarded-For. Entries further left
were written by the client and are never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip_address(request: HttpRequest) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR"))
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return _valid(forwarded[-proxies]) or remote
