"""An activity's life as data: its statuses, what can be done to it, and from which status and at what time.

draft 草稿 ──publish──▶ published 报名中 ──record summary──▶ completed 已结束
  └──────────cancel (reason, everyone signed up is told)──────▶ cancelled 已取消

activities/services.py checks RULES before every write (refusing with the rule's Chinese message), and the
staff and public pages show a button only for an action in allowed_actions(): both read the same table.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("报名中")
    COMPLETED = "completed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class ActivityAction(models.TextChoices):
    """What happens to an activity or its sign-ups; also the action of each ActivityLog row."""

    CREATE = "create", _("创建")
    EDIT = "update", _("修改")
    PUBLISH = "publish", _("发布")
    CANCEL = "cancel", _("取消活动")
    COMPLETE = "complete", _("记录小结")
    REGISTER = "register", _("报名")
    PROMOTE = "promote", _("候补转正")
    CANCEL_REGISTRATION = "cancel_registration", _("取消报名")
    CHECK_IN = "checkin", _("签到")


S, A = ActivityStatus, ActivityAction


class ActivityFacts(Protocol):
    """What the rules read of an activity: activities.models.Activity, which cannot be imported here (the models
    import this module)."""

    status: str
    starts_at: datetime.datetime
    signup_deadline: datetime.datetime


# A timing rule reads the activity and the moment, and answers why not now ("" when the time is right).
Timing = Callable[[ActivityFacts, datetime.datetime], str | Promise]


def _signup_still_open(activity: ActivityFacts, now: datetime.datetime) -> str | Promise:
    return _("报名已经截止。") if now > activity.signup_deadline else ""


def _deadline_ahead(activity: ActivityFacts, now: datetime.datetime) -> str | Promise:
    # Publishing an activity nobody could still sign up for would only show a dead page.
    return _("报名截止时间已经过去，请先修改时间。") if activity.signup_deadline <= now else ""


def _has_started(activity: ActivityFacts, now: datetime.datetime) -> str | Promise:
    return _("活动还没有开始，结束后再写小结。") if activity.starts_at > now else ""


@dataclass(frozen=True)
class Rule:
    allowed_from: frozenset[ActivityStatus]
    leads_to: ActivityStatus | None  # None keeps the status
    refusal: str | Promise  # why not, when the status does not allow it
    timing: Timing | None = None


RULES: dict[ActivityAction, Rule] = {
    A.EDIT: Rule(frozenset({S.DRAFT, S.PUBLISHED}), None, _("已结束或已取消的活动不能再修改。")),
    A.PUBLISH: Rule(frozenset({S.DRAFT}), S.PUBLISHED, _("只有草稿可以发布。"), _deadline_ahead),
    A.CANCEL: Rule(frozenset({S.DRAFT, S.PUBLISHED}), S.CANCELLED, _("已结束或已取消的活动不能取消。")),
    # Completed stays completed: staff come back to add photos or correct the summary.
    A.COMPLETE: Rule(
        frozenset({S.PUBLISHED, S.COMPLETED}), S.COMPLETED, _("只有已发布的活动可以记录活动小结。"), _has_started
    ),
    A.REGISTER: Rule(frozenset({S.PUBLISHED}), None, _("该活动现在不接受报名。"), _signup_still_open),
    # After the event a cancelled no-show would flatter the attendance rate; a cancelled event needs nothing.
    A.CANCEL_REGISTRATION: Rule(frozenset({S.PUBLISHED}), None, _("活动已结束或已取消，不能再取消报名。")),
    # Staff tick people off the paper sheet after the event too; the QR window is the check-in service's own.
    A.CHECK_IN: Rule(frozenset({S.PUBLISHED, S.COMPLETED}), None, _("该活动不在签到时间。")),
}
# Creating has no status to start from, and promotion from the waiting list follows from other actions.
UNRULED_ACTIONS = frozenset({A.CREATE, A.PROMOTE})


def refusal(activity: ActivityFacts, action: ActivityAction, *, now: datetime.datetime) -> str:
    """Why `action` cannot be taken on `activity` at `now`, in Chinese; "" when it can."""
    rule = RULES[action]
    if activity.status not in rule.allowed_from:
        return str(rule.refusal)
    if rule.timing is not None:
        return str(rule.timing(activity, now))
    return ""


def check_allowed(activity: ActivityFacts, action: ActivityAction, *, now: datetime.datetime) -> None:
    """Raises ValidationError with the rule's message when `action` is not allowed now; the services call it."""
    reason = refusal(activity, action, now=now)
    if reason:
        raise ValidationError(reason, code=f"not_allowed_{action.value}")


def allowed_actions(activity: ActivityFacts, *, now: datetime.datetime) -> frozenset[ActivityAction]:
    """The actions the table allows now, for the pages to show only those buttons."""
    return frozenset(action for action in RULES if not refusal(activity, action, now=now))
