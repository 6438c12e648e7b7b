"""One-time SMS codes with which members log in on their phones.

Two services: `login_code_request` (queue a code) and `login_code_verify` (check it, return the member).
The LoginCode rows are the only state: they hold the hashed codes and are counted for the rate limits,
so the limits hold across every web worker. The request does the same work for every number: it stores a
row and queues an urgent outbox message; the worker writes the code and texts it only if the number is a
member's (`login_code_sending`), so the page answers in the same time whether or not it is registered.
A new request leaves earlier codes valid: asking for someone else's number cannot cancel their code.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from portal.accounts.login_code_sending import CODE_DIGITS, code_hash, login_code_outbox_key, roster_accounts
from portal.accounts.models import LoginCode, LoginCodeStatus, User
from portal.accounts.roles import Role
from portal.notifications.kinds import Kind
from portal.notifications.models import OutboxPriority
from portal.notifications.outbox import Recipient, message_enqueue
from portal.phones import mask_phone

logger = logging.getLogger("portal.accounts.login_codes")

_MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-()()]")


class LoginCodeRefused(Exception):
    """A request or a verification the member must be told about; `message` is shown next to the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalize_phone(raw: str) -> str | None:
    """A mainland mobile as 11 digits, from what people type ("138 0000 1111", "+86 138..."), or None."""
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if _MAINLAND_MOBILE.match(digits) else None


@dataclass(frozen=True)
class LoginCodeSent:
    """What the member is told after a request: the same for registered and unknown numbers."""

    masked_phone: str
    resend_after_seconds: int


def login_code_request(*, phone: str, ip: str | None) -> LoginCodeSent:
    """Stores a request for `phone` and queues its SMS on the outbox, urgent; the worker decides whether a code
    goes out (only to a member's number). Earlier codes stay valid until used or expired.

    Raises LoginCodeRefused when the number is malformed or a rate limit is reached.
    """
    normalized = normalize_phone(phone)
    if normalized is None:
        raise LoginCodeRefused(_("请输入 11 位手机号码。"))
    now = timezone.now()
    hour_ago = now - datetime.timedelta(hours=1)
    refusal: str | None = None
    with transaction.atomic():
        # Locking this number's recent rows makes two simultaneous requests for it take turns.
        recent = list(
            LoginCode.objects.select_for_update()
            .filter(phone=normalized, created_at__gte=hour_ago)
            .order_by("-created_at")
        )
        if recent and (now - recent[0].created_at).total_seconds() < settings.LOGIN_CODE_RESEND_SECONDS:
            wait = settings.LOGIN_CODE_RESEND_SECONDS - int((now - recent[0].created_at).total_seconds())
            refusal = _("验证码已发送，请 %(seconds)d 秒后再重新获取。") % {"seconds": max(wait, 1)}
        elif len(recent) >= settings.LOGIN_CODE_PER_PHONE_PER_HOUR:
            refusal = _("该号码获取验证码过于频繁，请一小时后再试。")
        elif (
            ip
            and LoginCode.objects.filter(requested_from_ip=ip, created_at__gte=hour_ago).count()
            >= settings.LOGIN_CODE_PER_IP_PER_HOUR
        ):
            refusal = _("当前网络获取验证码过于频繁，请稍后再试。")
        else:
            login_code = LoginCode.objects.create(
                phone=normalized,
                requested_from_ip=ip or None,
                created_at=now,
                expires_at=now + datetime.timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS),
            )
            message_enqueue(
                kind=Kind.LOGIN_CODE,
                key=login_code_outbox_key(login_code),
                recipient=Recipient(phone=normalized),
                subject=_("登录验证码"),
                body=_("登录验证码在发送时生成，不在此保存。"),
                sms=_("登录验证码在发送时生成，不在此保存。"),
                priority=OutboxPriority.URGENT,
            )
            logger.info("login code requested for %s from %s", mask_phone(normalized), ip)
    if refusal is not None:
        raise LoginCodeRefused(refusal)
    return LoginCodeSent(masked_phone=mask_phone(normalized), resend_after_seconds=settings.LOGIN_CODE_RESEND_SECONDS)


def login_code_verify(*, phone: str, code: str, ip: str | None) -> User:
    """Returns the member whose number received `code`; the code is then used up.

    Raises LoginCodeRefused for a wrong, expired, used or exhausted code. Wrong tries are counted on the code
    even though the refusal is raised, which is why the transaction is closed before raising.
    """
    normalized = normalize_phone(phone)
    typed = (code or "").strip()
    if normalized is None:
        raise LoginCodeRefused(_("请输入 11 位手机号码。"))
    if not (len(typed) == CODE_DIGITS and typed.isdigit()):
        raise LoginCodeRefused(_("请输入短信中的 6 位数字验证码。"))
    now = timezone.now()
    refusal: str | None = None
    member: User | None = None
    with transaction.atomic():
        # Every code of this number still open: a second request does not cancel the first.
        open_codes = list(
            LoginCode.objects.select_for_update()
            .filter(phone=normalized, status=LoginCodeStatus.ACTIVE)
            .order_by("-created_at")
        )
        valid = [each for each in open_codes if each.expires_at > now]
        matching = next(
            (
                each
                for each in valid
                if constant_time_compare(each.code_hash, code_hash(code=typed, salt=each.salt, phone=normalized))
                and _still_a_member(each)
            ),
            None,
        )
        if not open_codes:
            refusal = _("验证码无效，请重新获取。")
        elif not valid:
            refusal = _("验证码已过期，请重新获取。")
        elif matching is None:
            refusal = _wrong_try(valid, now=now)
        else:
            matching.status = LoginCodeStatus.USED
            matching.closed_at = now
            # A member on the roster without an account: the first successful code makes it.
            member = matching.user or roster_accounts().account_create(normalized)
            matching.user = member
            matching.save(update_fields=["status", "closed_at", "user"])
    if refusal is not None or member is None:
        raise LoginCodeRefused(refusal or _("验证码无效，请重新获取。"))
    logger.info("member %s logged in by SMS code from %s", member.pk, ip)
    return member


def _wrong_try(valid: list[LoginCode], *, now: datetime.datetime) -> str:
    """Counts a wrong code against every valid code of the number: two open codes give no extra guesses."""
    tries_left = 0
    for login_code in valid:
        login_code.failed_attempts += 1
        if login_code.failed_attempts >= settings.LOGIN_CODE_MAX_ATTEMPTS:
            login_code.status = LoginCodeStatus.EXHAUSTED
            login_code.closed_at = now
        login_code.save(update_fields=["failed_attempts", "status", "closed_at"])
        tries_left = max(tries_left, settings.LOGIN_CODE_MAX_ATTEMPTS - login_code.failed_attempts)
    if tries_left <= 0:
        return _("验证码错误次数过多，已失效，请重新获取。")
    return _("验证码不正确，还可以再试 %(left)d 次。") % {"left": tries_left}


def _still_a_member(login_code: LoginCode) -> bool:
    """A code for an unregistered number never logs anyone in (it was never sent, so it has no hash to match), nor
    one whose account was closed since. A code sent to a member on the roster without an account has no user: the
    roster decides again when it is typed in."""
    user = login_code.user
    if user is None:
        return bool(login_code.code_hash)
    return user.is_active and user.role == Role.MEMBER and user.phone == login_code.phone


def login_code_purge(*, older_than: datetime.timedelta) -> int:
    """Deletes requests older than `older_than` (past every limit window and TTL); returns how many."""
    with transaction.atomic():
        deleted, _per_model = LoginCode.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
