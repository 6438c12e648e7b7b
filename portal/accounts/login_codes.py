"""One-time SMS codes with which members log in on their phones.

Two services: `login_code_request` (send a code) and `login_code_verify` (check it, return the member).
The LoginCode rows are the only state: they hold the hashed codes and are counted for the rate limits,
so the limits hold across every web worker. A number that belongs to no member is treated exactly like a
registered one (a row is stored, the same answers are given) except that no SMS leaves.
"""

from __future__ import annotations

import datetime
import logging
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from portal.accounts.models import LoginCode, LoginCodeStatus, User
from portal.accounts.roles import Role
from portal.phones import mask_phone
from portal.sms import send_sms

logger = logging.getLogger("portal.accounts.login_codes")

CODE_DIGITS = 6
_HMAC_SALT = "portal.accounts.login_codes"
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


def _code_hash(*, code: str, salt: str, phone: str) -> str:
    return salted_hmac(_HMAC_SALT, f"{phone}:{salt}:{code}", algorithm="sha256").hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _member_with_phone(phone: str) -> User | None:
    # Only members sign in by SMS: staff accounts keep their password and its lockout.
    return User.objects.filter(phone=phone, role=Role.MEMBER, is_active=True).first()


def _login_code_text(code: str) -> str:
    minutes = max(1, settings.LOGIN_CODE_TTL_SECONDS // 60)
    return _("您的登录验证码是 %(code)s,%(minutes)d 分钟内有效。请勿告诉他人。") % {
        "code": code,
        "minutes": minutes,
    }


def _send_login_code(*, phone: str, code: str) -> None:
    # The text goes to a mainland phone in the site's language, whatever language the page was in.
    with translation.override(settings.LANGUAGE_CODE):
        text = _login_code_text(code)
    send_sms(phone=phone, text=text)


@dataclass(frozen=True)
class LoginCodeSent:
    """What the member is told after a request: the same for registered and unknown numbers."""

    masked_phone: str
    resend_after_seconds: int


def login_code_request(*, phone: str, ip: str | None) -> LoginCodeSent:
    """Creates a code for `phone` and, if a member has that number, texts it once the transaction commits.

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
            refusal = _("验证码已发送,请 %(seconds)d 秒后再重新获取。") % {"seconds": max(wait, 1)}
        elif len(recent) >= settings.LOGIN_CODE_PER_PHONE_PER_HOUR:
            refusal = _("该号码获取验证码过于频繁,请一小时后再试。")
        elif (
            ip
            and LoginCode.objects.filter(requested_from_ip=ip, created_at__gte=hour_ago).count()
            >= settings.LOGIN_CODE_PER_IP_PER_HOUR
        ):
            refusal = _("当前网络获取验证码过于频繁,请稍后再试。")
        else:
            member = _member_with_phone(normalized)
            LoginCode.objects.filter(phone=normalized, status=LoginCodeStatus.ACTIVE).update(
                status=LoginCodeStatus.SUPERSEDED, closed_at=now
            )
            code = _new_code()
            salt = secrets.token_hex(16)
            LoginCode.objects.create(
                phone=normalized,
                user=member,
                requested_from_ip=ip or None,
                code_hash=_code_hash(code=code, salt=salt, phone=normalized),
                salt=salt,
                created_at=now,
                expires_at=now + datetime.timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS),
            )
            if member is not None:
                # robust: a provider failure is logged, it does not turn the member's page into an error.
                transaction.on_commit(lambda: _send_login_code(phone=normalized, code=code), robust=True)
            else:
                logger.info("login code for unregistered %s from %s", mask_phone(normalized), ip)
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
        login_code = (
            LoginCode.objects.select_for_update()
            .filter(phone=normalized, status=LoginCodeStatus.ACTIVE)
            .order_by("-created_at")
            .first()
        )
        if login_code is None:
            refusal = _("验证码无效,请重新获取。")
        elif login_code.expires_at <= now:
            refusal = _("验证码已过期,请重新获取。")
        elif not constant_time_compare(
            login_code.code_hash, _code_hash(code=typed, salt=login_code.salt, phone=normalized)
        ) or not _still_a_member(login_code):
            login_code.failed_attempts += 1
            left = settings.LOGIN_CODE_MAX_ATTEMPTS - login_code.failed_attempts
            if left <= 0:
                login_code.status = LoginCodeStatus.EXHAUSTED
                login_code.closed_at = now
                refusal = _("验证码错误次数过多,已失效,请重新获取。")
            else:
                refusal = _("验证码不正确,还可以再试 %(left)d 次。") % {"left": left}
            login_code.save(update_fields=["failed_attempts", "status", "closed_at"])
        else:
            login_code.status = LoginCodeStatus.USED
            login_code.closed_at = now
            login_code.save(update_fields=["status", "closed_at"])
            member = login_code.user
    if refusal is not None or member is None:
        raise LoginCodeRefused(refusal or _("验证码无效,请重新获取。"))
    logger.info("member %s logged in by SMS code from %s", member.pk, ip)
    return member


def _still_a_member(login_code: LoginCode) -> bool:
    """A code for an unregistered number never logs anyone in, nor one whose account was closed since."""
    user = login_code.user
    return user is not None and user.is_active and user.role == Role.MEMBER and user.phone == login_code.phone


def login_code_purge(*, older_than: datetime.timedelta) -> int:
    """Deletes requests older than `older_than` (past every limit window and TTL); returns how many."""
    with transaction.atomic():
        deleted, _per_model = LoginCode.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
