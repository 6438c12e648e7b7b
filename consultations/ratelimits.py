"""Limits on what anyone on the internet can do to the public issue pages.

Anonymous submissions are counted from the Issue rows themselves (indexed on phone+time and address+time),
so every web worker sees the same count and nothing extra is stored. Failed tracking attempts are counted
in the cache: they guess the last four digits of a phone, and 20 guesses an hour per address, and 10 an hour
per receipt code from any address, make 10,000 hopeless.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Issue
from portal.rate_limits import FixedWindow, windows_reached

WINDOW = datetime.timedelta(hours=1)
TRACKING_FAILURES_PER_IP_PER_HOUR = 20
_TRACKING_FAILURES = FixedWindow(name="issues-tracking-failures", seconds=int(WINDOW.total_seconds()))


class SubmissionRateLimited(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def issue_submission_check(*, phone: str, ip: str | None) -> None:
    """Raises SubmissionRateLimited when this phone or this address submitted too much in the last hour.

    Issues staff entered on someone's behalf do not count: a secretary typing in paper slips is not abuse.
    """
    per_phone, per_ip = settings.ISSUE_SUBMISSIONS_PER_PHONE_PER_HOUR, settings.ISSUE_SUBMISSIONS_PER_IP_PER_HOUR
    counts = _recent_submissions(phone=phone, ip=ip, per_phone=per_phone, per_ip=per_ip)
    if counts["phone"] >= per_phone:
        raise SubmissionRateLimited(
            _("这个手机号码在一小时内已提交了 %(count)d 个议题，请稍后再提交，或直接联系村里的同心荟。")
            % {"count": per_phone}
        )
    if ip and counts["ip"] >= per_ip:
        raise SubmissionRateLimited(_("当前网络在一小时内提交的议题过多，请稍后再试，或直接联系村里的同心荟。"))


def _recent_submissions(*, phone: str, ip: str | None, per_phone: int, per_ip: int) -> dict[str, int]:
    """This hour's submissions of the phone and of the address, in one query; each count stops at its limit.

    A flood from one network (or a shared one, a school's or a market's) must not make every later submission
    count a growing pile: each side reads at most its limit of rows from its own index (phone+time, address+time).
    A side below its limit has all its rows among those read, so its count is exact; one at its limit reads at
    least the limit.
    """
    recent = Issue.objects.filter(created_at__gte=timezone.now() - WINDOW, entered_by__isnull=True).order_by()
    found = Q(pk__in=recent.filter(submitter_phone=phone).values("pk")[:per_phone])
    counted = {"phone": Count("pk", filter=Q(submitter_phone=phone))}
    if ip:
        found |= Q(pk__in=recent.filter(submitter_ip=ip).values("pk")[:per_ip])
        counted["ip"] = Count("pk", filter=Q(submitter_ip=ip))
    # The outer query keeps the window too: given only the two `IN (…)` lists joined by OR, PostgreSQL walks every
    # issue of the history to test each against them (5 s at a million issues); within the hour it reads a few rows.
    counts = recent.filter(found).aggregate(**counted)
    return {"phone": counts["phone"], "ip": counts.get("ip", 0)}


def tracking_is_blocked(ip: str | None) -> bool:
    return _TRACKING_FAILURES.reached(ip or "unknown", limit=TRACKING_FAILURES_PER_IP_PER_HOUR)


def tracking_failure_record(ip: str | None) -> None:
    _TRACKING_FAILURES.record(ip or "unknown")


# Wrong digits for one receipt code, whatever the address: the per-address limit alone lets someone with many
# addresses try all 10,000 endings of a code within the hour; ten an hour make that take six weeks.
TRACKING_FAILURES_PER_CODE_PER_HOUR = 10
_TRACKING_FAILURES_BY_CODE = FixedWindow(name="issues-tracking-failures-by-code", seconds=int(WINDOW.total_seconds()))


def tracking_code_is_blocked(code: str) -> bool:
    return _TRACKING_FAILURES_BY_CODE.reached(code, limit=TRACKING_FAILURES_PER_CODE_PER_HOUR)


def tracking_code_failure_record(code: str) -> None:
    """Counted for codes that exist and codes that do not alike, so that the limit says nothing about either."""
    _TRACKING_FAILURES_BY_CODE.record(code)


def tracking_blocks(*, ip: str | None, code: str | None) -> tuple[bool, bool]:
    """Whether this network, and this receipt code (when one is known), are blocked: one round trip for both."""
    checks = [(_TRACKING_FAILURES, ip or "unknown", TRACKING_FAILURES_PER_IP_PER_HOUR)]
    if code is not None:
        checks.append((_TRACKING_FAILURES_BY_CODE, code, TRACKING_FAILURES_PER_CODE_PER_HOUR))
    reached = windows_reached(*checks)
    return reached[0], code is not None and reached[1]
