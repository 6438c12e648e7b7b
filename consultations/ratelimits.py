"""Limits on what anyone on the internet can do to the public issue pages.

Anonymous submissions are counted from the Issue rows themselves (indexed on phone+time and address+time),
so every web worker sees the same count and nothing extra is stored. Failed tracking attempts are counted
in the cache: they guess the last four digits of a phone, and 20 guesses an hour per address, and 10 an hour
per receipt code from any address, make 10,000 hopeless.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Issue
from portal.rate_limits import FixedWindow

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
    since = timezone.now() - WINDOW
    recent = Issue.objects.filter(created_at__gte=since, entered_by__isnull=True)
    if recent.filter(submitter_phone=phone).count() >= settings.ISSUE_SUBMISSIONS_PER_PHONE_PER_HOUR:
        raise SubmissionRateLimited(
            _("这个手机号码在一小时内已提交了 %(count)d 个议题，请稍后再提交，或直接联系村里的同心荟。")
            % {"count": settings.ISSUE_SUBMISSIONS_PER_PHONE_PER_HOUR}
        )
    if ip and recent.filter(submitter_ip=ip).count() >= settings.ISSUE_SUBMISSIONS_PER_IP_PER_HOUR:
        raise SubmissionRateLimited(_("当前网络在一小时内提交的议题过多，请稍后再试，或直接联系村里的同心荟。"))


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
