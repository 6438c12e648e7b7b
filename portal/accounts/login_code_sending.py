"""The sending half of login codes, run by the outbox worker: the code is made when its SMS leaves.

The request (`login_codes.login_code_request`) stores a LoginCode row without a code and queues an urgent
outbox row for every number alike. Here, off the request, the worker decides: a number that belongs to an
active member gets a fresh code (only its salted hash is kept) and the SMS; any other number gets nothing.
So neither the page's timing nor the outbox table gives away who is registered, and no code rests in clear.

A member is an active member account, or a current member of the roster who has none yet: their account is
made at their first successful code. The roster is a domain app, which the base does not import: the composition
(portal/site) connects it here with `roster_accounts_connect`; unconnected, only existing accounts sign in.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from portal.accounts.models import LoginCode, LoginCodeStatus, User
from portal.accounts.roles import Role

if TYPE_CHECKING:
    from portal.notifications.models import OutboxMessage

CODE_DIGITS = 6
_HMAC_SALT = "portal.accounts.login_codes"
_OUTBOX_KEY_PREFIX = "login-code:"


def login_code_outbox_key(login_code: LoginCode) -> str:
    """The outbox event key of a code's SMS; the worker finds the LoginCode row back from it."""
    return f"{_OUTBOX_KEY_PREFIX}{login_code.pk}"


def _login_code_id(idempotency_key: str) -> int | None:
    if not idempotency_key.startswith(_OUTBOX_KEY_PREFIX):
        return None
    number = idempotency_key[len(_OUTBOX_KEY_PREFIX) :].split(":", 1)[0]
    return int(number) if number.isdigit() else None


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(*, code: str, salt: str, phone: str) -> str:
    return salted_hmac(_HMAC_SALT, f"{phone}:{salt}:{code}", algorithm="sha256").hexdigest()


def member_with_phone(phone: str) -> User | None:
    # Only members sign in by SMS: staff accounts keep their password and its lockout.
    return User.objects.filter(phone=phone, role=Role.MEMBER, is_active=True).first()


@dataclass(frozen=True)
class RosterAccounts:
    """What the base asks the roster about a number that has no member account."""

    # Whether the number is a current member's on the roster who may get an account (a read, no write).
    is_member: Callable[[str], bool]
    # Makes (or finds) that member's account, with its audit row; None when the number no longer qualifies.
    account_create: Callable[[str], User | None]


_NO_ROSTER = RosterAccounts(is_member=lambda phone: False, account_create=lambda phone: None)
_roster: list[RosterAccounts] = [_NO_ROSTER]


def roster_accounts_connect(roster: RosterAccounts) -> None:
    """Called once by the composition when the apps are ready."""
    _roster[0] = roster


def roster_accounts() -> RosterAccounts:
    return _roster[0]


def may_receive_code(phone: str) -> bool:
    """An active member account, or a member on the roster whose account the first code will make."""
    if User.objects.filter(phone=phone).exclude(role=Role.MEMBER, is_active=True).exists():
        return False  # staff, or a closed account: never signed in by SMS, never given a second account
    return member_with_phone(phone) is not None or roster_accounts().is_member(phone)


def _login_code_text(code: str) -> str:
    minutes = max(1, settings.LOGIN_CODE_TTL_SECONDS // 60)
    # The text goes to a mainland phone in the site's language, whatever language the page was in.
    with translation.override(settings.LANGUAGE_CODE):
        return _("您的登录验证码是 %(code)s，%(minutes)d 分钟内有效。请勿告诉他人。") % {
            "code": code,
            "minutes": minutes,
        }


def login_code_sms_compose(message: OutboxMessage) -> str | None:
    """The SMS of a login code with a new code, or None when nothing must be sent: the number is not an active
    member's, or the request has expired or been used while the message waited (e.g. for the broker).

    A retry after a failed send makes a new code: the one before never reached the phone.
    """
    login_code_id = _login_code_id(message.idempotency_key)
    if login_code_id is None:
        return None
    now = timezone.now()
    with transaction.atomic():
        login_code = (
            LoginCode.objects.select_for_update()
            .filter(pk=login_code_id, phone=message.phone, status=LoginCodeStatus.ACTIVE, expires_at__gt=now)
            .first()
        )
        if login_code is None or not may_receive_code(message.phone):
            return None
        code = _new_code()
        login_code.salt = secrets.token_hex(16)
        login_code.code_hash = code_hash(code=code, salt=login_code.salt, phone=login_code.phone)
        # None for a member on the roster without an account yet: the verification makes it.
        login_code.user = member_with_phone(message.phone)
        login_code.save(update_fields=["salt", "code_hash", "user"])
    return _login_code_text(code)
