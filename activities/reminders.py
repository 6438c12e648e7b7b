"""What activities remind people of, and when. Beat runs each sweep (activities/tasks.py).

Each sweep is a plain function of `today` that reads only what is due through indexed filters and queues its
messages with keys naming the event and the day or month, so a second run sends nothing new.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityStatus, Registration, RegistrationStatus
from orgs.models import Organization
from portal.notifications.audiences import staff_directory
from portal.notifications.kinds import Kind
from portal.notifications.outbox import OutboxBatch, Recipient
from portal.notifications.short_texts import clock, month_day, shorten, sms_fit
from portal.workdays import is_workday

MONTHLY_CHECK_DAY = 20
# Published and completed activities count as "planned"; a draft or a cancelled one does not.
PLANNED_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED)

TITLE_IN_SMS = 12
PLACE_IN_SMS = 12
NAME_IN_SMS = 10


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _registrations_tomorrow(today: datetime.date) -> QuerySet[Registration]:
    tomorrow = today + datetime.timedelta(days=1)
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        activity__status=ActivityStatus.PUBLISHED,
        activity__starts_at__gte=_local_midnight(tomorrow),
        activity__starts_at__lt=_local_midnight(tomorrow + datetime.timedelta(days=1)),
    ).order_by("activity__starts_at", "pk")


def registrations_due_tomorrow(*, today: datetime.date) -> list[int]:
    """The ids of the confirmed sign-ups of tomorrow's activities: what beat's task hands out in chunks."""
    return list(_registrations_tomorrow(today).values_list("pk", flat=True))


@transaction.atomic
def activities_remind_tomorrow(*, today: datetime.date, ids: Collection[int] | None = None) -> int:
    """The day before an activity: each confirmed registrant, by SMS and, if they have an account, in the inbox.
    The key carries the activity's date, so an activity moved to another day is announced again.

    `ids` limits the sweep to those sign-ups (one chunk of beat's task); any cancelled since is passed over."""
    chosen = _registrations_tomorrow(today)
    if ids is not None:
        chosen = chosen.filter(pk__in=sorted(ids))
    registrations = list(chosen.select_related("activity__host__region", "person__user"))
    # Every message of the sweep is written in one go: the same few queries for ten registrants or a thousand.
    batch = OutboxBatch()
    for registration in registrations:
        _tell_registrant(batch, registration)
    return len(batch.write())


def _tell_registrant(batch: OutboxBatch, registration: Registration) -> None:
    activity = registration.activity
    person = registration.person
    user = getattr(person, "user", None) if person is not None else None
    values = {
        "title": activity.title,
        "when": clock(activity.starts_at),
        "day": month_day(timezone.localdate(activity.starts_at)),
        "place": activity.place,
        "name": registration.name,
    }
    batch.add(
        kind=Kind.ACTIVITY_TOMORROW,
        key=f"registration:{registration.pk}:day_before:{timezone.localdate(activity.starts_at).isoformat()}",
        recipient=Recipient(user=user, phone=registration.phone),
        subject=_("明天 %(when)s:%(title)s") % values,
        body=_("%(name)s，您报名的“%(title)s”将于明天（%(day)s）%(when)s在%(place)s举行，请准时参加；到场后扫码签到。")
        % values,
        sms=sms_fit(
            _("提醒：您报名的“%(title)s”明天%(when)s在%(place)s举行。")
            % {
                **values,
                "title": shorten(activity.title, TITLE_IN_SMS),
                "place": shorten(activity.place, PLACE_IN_SMS),
            }
        ),
        url=reverse("activities:detail", kwargs={"pk": activity.pk}),
        region_path=activity.host.region.path,
    )


@transaction.atomic
def organizations_remind_no_activity(*, today: datetime.date) -> int:
    """From the 20th (first working day on or after it): organizations with no activity published or held this
    month, hosted or co-hosted, are pointed out to their village staff, once a month per organization."""
    if today.day < MONTHLY_CHECK_DAY or not is_workday(today):
        return 0
    month_start = today.replace(day=1)
    next_month = (month_start + datetime.timedelta(days=32)).replace(day=1)
    this_month = Q(
        status__in=PLANNED_STATUSES,
        starts_at__gte=_local_midnight(month_start),
        starts_at__lt=_local_midnight(next_month),
    )
    hosted = Activity.objects.filter(this_month, host=OuterRef("pk"))
    co_hosted = Activity.objects.filter(this_month, co_hosts=OuterRef("pk"))
    idle = list(
        Organization.objects.filter(is_active=True)
        .exclude(Exists(hosted))
        .exclude(Exists(co_hosted))
        .select_related("region")
        .order_by("pk")
    )
    staff = staff_directory(organization.region.path for organization in idle)
    month = today.strftime("%Y-%m")
    batch = OutboxBatch()
    for organization in idle:
        values = {"organization": organization.name, "month": today.month}
        batch.tell(
            staff.village_staff(organization.region.path),
            kind=Kind.NO_ACTIVITY_THIS_MONTH,
            key=f"organization:{organization.pk}:no_activity:{month}",
            subject=_("%(organization)s%(month)d月尚未安排活动") % values,
            body=_(
                "%(organization)s本月（%(month)d月）还没有发布活动。每个组织每月至少开展一次活动，请及时安排并发布。"
            )
            % values,
            sms=sms_fit(
                _("%(organization)s本月尚未发布活动，请及时安排。")
                % {**values, "organization": shorten(organization.name, NAME_IN_SMS)}
            ),
            url=reverse("staff_activities:create"),
        )
    return len(batch.write())
