"""CSRF tokens exactly as Django makes them, drawn from one read of the system's random source.

Django draws each of a token's 64 characters (the cookie's secret, then the mask of the page's token) with a
call of its own to `secrets.choice`: about 0.15 ms for a villager whose phone carries no cookie yet, a third of
what a kept page with a form costs at province scale (README, "Performance at province scale"). Here the same
characters come from one `os.urandom` read: a byte below 248 (4 × 62) gives `CSRF_ALLOWED_CHARS[byte % 62]`,
the others are dropped, so each character is as likely as with Django's draw. What Django checks stays Django's:
the secret goes where `django.middleware.csrf.get_token` puts it (the request's `CSRF_COOKIE`, which
CsrfViewMiddleware sets as the cookie), the token is masked as Django masks it, and Django's middleware
unmasks and compares it on the POST. tests/portal/test_csrf_tokens.py holds Django to accepting these tokens and
refusing altered ones; with `CSRF_USE_SESSIONS` the secret lives in the session and Django's own `get_token`
is used.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils.functional import SimpleLazyObject

_ALPHABET = len(CSRF_ALLOWED_CHARS)
# The largest multiple of the alphabet's length a byte can reach: above it, `byte % 62` would favour some letters.
_UNBIASED_BELOW = 256 - 256 % _ALPHABET
_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}


def csrf_random_string(length: int = CSRF_SECRET_LENGTH) -> str:
    drawn: list[str] = []
    while len(drawn) < length:
        # 8 spare bytes: a byte is dropped 3 % of the time, so a second read is needed about once in 10,000 draws.
        drawn += [
            CSRF_ALLOWED_CHARS[byte % _ALPHABET] for byte in secrets.token_bytes(length + 8) if byte < _UNBIASED_BELOW
        ]
    return "".join(drawn[:length])


def csrf_masked(secret: str) -> str:
    """The page's token for a secret: a fresh mask, then the secret shifted by it, as Django's
    `_mask_cipher_secret` does (and `_unmask_cipher_token` undoes)."""
    mask = csrf_random_string()
    cipher = "".join(CSRF_ALLOWED_CHARS[(_INDEX[x] + _INDEX[y]) % _ALPHABET] for x, y in zip(secret, mask, strict=True))
    return mask + cipher


def csrf_token_for(request: HttpRequest) -> str:
    """What `django.middleware.csrf.get_token(request)` returns, with the cookie sent as it would send it."""
    if settings.CSRF_USE_SESSIONS:
        return get_token(request)
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = csrf_random_string()
        request.META["CSRF_COOKIE"] = secret
    # Whether new or the visitor's own: the cookie is sent again so that its expiry starts anew, as Django does.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return csrf_masked(secret)


def csrf(request: HttpRequest) -> dict[str, Any]:
    """Context processor standing in for Django's built-in one (which runs before it, and whose lazy token is
    then never evaluated): `{% csrf_token %}` draws the token through `csrf_token_for`."""
    return {"csrf_token": SimpleLazyObject(lambda: csrf_token_for(request))}
