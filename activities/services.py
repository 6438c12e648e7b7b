"""Every write to activities and sign-ups. Capacity is guarded by locking the activity row.

Sign-up, cancel, promotion from the waiting list and check-in all lock the activity first, so that however
many people tap "报名" in the same second, confirmed sign-ups never exceed the capacity.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.checkin_codes import checkin_token_is_valid
from activities.messages import activity_url, registrant_message
from activities.models import (
    Activity,
    ActivityLog,
    ActivityPhoto,
    Audience,
    CheckinMethod,
    Registration,
    RegistrationStatus,
)
from activities.states import RULES, ActivityAction, check_allowed
from members.models import Membership, Person
from orgs.models import Organization
from orgs.scoping import organizations_for, organizations_public
from portal.accounts.models import User
from portal.notifications.outbox import Recipient, message_enqueue
from portal.page_cache import Shown, page_cache_touch
from portal.scoping import Action

# Check-in opens this long before the start, for people who arrive early.
CHECKIN_OPENS_BEFORE = datetime.timedelta(hours=1)
EDITABLE_FIELDS = (
    "title",
    "category",
    "form",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "signup_deadline",
    "audience",
)


A = ActivityAction


def _log(
    activity: Activity,
    action: ActivityAction,
    *,
    actor: User | None,
    comment: str = "",
    registration: Registration | None = None,
    now: datetime.datetime | None = None,
) -> None:
    ActivityLog.objects.create(
        activity=activity,
        registration=registration,
        action=action,
        actor=actor,
        comment=comment,
        created_at=now or timezone.now(),
    )
    # Every change of an activity or its sign-ups is logged here, and each may change its public pages.
    page_cache_touch(Shown.ACTIVITIES)


def _notify(registration_id: int, event: str) -> None:
    """Queues the registrant's message in the outbox, in this transaction: sent after the commit, and kept
    if the broker is down."""
    registration = Registration.objects.select_related("activity__host__region").get(pk=registration_id)
    with translation.override("zh-hans"):
        kind, subject, body, sms = registrant_message(registration, event)
    message_enqueue(
        kind=kind,
        key=f"registration:{registration.pk}:{event}",
        recipient=Recipient(
            user=User.objects.filter(person_id=registration.person_id).first() if registration.person_id else None,
            phone=registration.phone,
        ),
        subject=subject,
        body=body,
        sms=sms,
        url=activity_url(registration),
        region_path=registration.activity.host.region.path,
    )


def _lock_for_staff(activity: Activity, actor: User) -> Activity:
    if not organizations_for(actor, Action.CHANGE).filter(pk=activity.host_id).exists():
        raise PermissionDenied(_("您不能管理这个组织的活动。"))
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _check_schedule(*, starts_at, ends_at, signup_deadline, now: datetime.datetime) -> None:
    errors: dict[str, str] = {}
    if starts_at <= now:
        errors["starts_at"] = _("开始时间已经过去，请选择以后的时间。")
    if ends_at <= starts_at:
        errors["ends_at"] = _("结束时间必须晚于开始时间。")
    if signup_deadline > ends_at:
        errors["signup_deadline"] = _("报名截止时间不能晚于活动结束时间。")
    elif signup_deadline <= now:
        errors["signup_deadline"] = _("报名截止时间已经过去。")
    if errors:
        raise ValidationError(errors)


def _move(activity: Activity, action: ActivityAction, *, now: datetime.datetime | None = None) -> None:
    """Checks `action` against the table on a locked activity and sets the status it leads to."""
    check_allowed(activity, action, now=now or timezone.now())
    leads_to = RULES[action].leads_to
    if leads_to is not None:
        activity.status = leads_to


def _confirmed_count(activity: Activity) -> int:
    return activity.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


# ---- staff: plan, publish, cancel, record ------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *,
    host: Organization,
    actor: User,
    title: str,
    category: str,
    form: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    capacity: int,
    signup_deadline: datetime.datetime,
    audience: str = Audience.MEMBERS,
    description: str = "",
    co_hosts: Sequence[Organization] = (),
    cover: File | None = None,
    now: datetime.datetime | None = None,
) -> Activity:
    if not organizations_for(actor, Action.CHANGE).filter(pk=host.pk).exists():
        raise PermissionDenied(_("您不能为这个组织安排活动。"))
    now = now or timezone.now()
    _check_schedule(starts_at=starts_at, ends_at=ends_at, signup_deadline=signup_deadline, now=now)
    activity = Activity.objects.create(
        host=host,
        title=title.strip(),
        category=category,
        form=form,
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        capacity=capacity,
        signup_deadline=signup_deadline,
        audience=audience,
        cover=cover or "",
        created_by=actor,
        created_at=now,
    )
    partners = [org for org in co_hosts if org.pk != host.pk]
    if partners:
        allowed = set(organizations_public().filter(pk__in=[org.pk for org in partners]).values_list("pk", flat=True))
        activity.co_hosts.set([org for org in partners if org.pk in allowed])
    _log(activity, A.CREATE, actor=actor, now=now)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, actor: User, **changes: object) -> Activity:
    """Edits a draft or published activity; capacity never drops below the people already confirmed."""
    locked = _lock_for_staff(activity, actor)
    check_allowed(locked, A.EDIT, now=timezone.now())
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(locked, field, value.strip() if isinstance(value, str) else value)
    if {"starts_at", "ends_at", "signup_deadline"} & set(changes):
        _check_schedule(
            starts_at=locked.starts_at,
            ends_at=locked.ends_at,
            signup_deadline=locked.signup_deadline,
            now=timezone.now(),
        )
    if "capacity" in changes:
        confirmed = _confirmed_count(locked)
        if locked.capacity < confirmed:
            raise ValidationError(
                {"capacity": _("已有 %(count)d 人报名，名额不能少于 %(count)d。") % {"count": confirmed}}
            )
    locked.save(update_fields=list(changes))
    if "capacity" in changes:
        _promote_while_room(locked, actor=actor)
    _log(locked, A.EDIT, actor=actor, comment=", ".join(sorted(changes)))
    return locked


@transaction.atomic
def activity_set_cover(*, activity: Activity, actor: User, cover: File) -> Activity:
    locked = _lock_for_staff(activity, actor)
    check_allowed(locked, A.EDIT, now=timezone.now())
    locked.cover = cover
    locked.save(update_fields=["cover"])
    page_cache_touch(Shown.ACTIVITIES)
    return locked


@transaction.atomic
def activity_set_co_hosts(*, activity: Activity, actor: User, co_hosts: Sequence[Organization]) -> Activity:
    """Replaces the co-hosts of a draft or published activity (public organizations other than the host)."""
    locked = _lock_for_staff(activity, actor)
    check_allowed(locked, A.EDIT, now=timezone.now())
    wanted = [org.pk for org in co_hosts if org.pk != locked.host_id]
    allowed = list(organizations_public().filter(pk__in=wanted).values_list("pk", flat=True))
    locked.co_hosts.set(allowed)
    _log(locked, A.EDIT, actor=actor, comment="co_hosts")
    return locked


@transaction.atomic
def activity_publish(*, activity: Activity, actor: User, now: datetime.datetime | None = None) -> Activity:
    locked = _lock_for_staff(activity, actor)
    _move(locked, A.PUBLISH, now=now)
    locked.save(update_fields=["status"])
    _log(locked, A.PUBLISH, actor=actor, now=now)
    return locked


@transaction.atomic
def activity_cancel(*, activity: Activity, actor: User, reason: str) -> Activity:
    """Cancels with a reason; everyone signed up or waiting is told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写取消原因，报名的人会收到它。")})
    locked = _lock_for_staff(activity, actor)
    _move(locked, A.CANCEL)
    locked.cancel_reason = reason
    locked.save(update_fields=["status", "cancel_reason"])
    live = list(locked.registrations.exclude(status=RegistrationStatus.CANCELLED).values_list("pk", flat=True))
    for registration_id in live:
        _notify(registration_id, "activity_cancelled")
    _log(locked, A.CANCEL, actor=actor, comment=reason)
    return locked


@transaction.atomic
def activity_complete(
    *,
    activity: Activity,
    actor: User,
    summary: str,
    walk_in_count: int = 0,
    photos: Sequence[File] = (),
    now: datetime.datetime | None = None,
) -> Activity:
    """After the event: the summary, photos and head count; the activity shows on the public page."""
    locked = _lock_for_staff(activity, actor)
    _move(locked, A.COMPLETE, now=now)
    locked.summary = (summary or "").strip()
    locked.walk_in_count = walk_in_count
    locked.save(update_fields=["summary", "walk_in_count", "status"])
    for photo in photos:
        ActivityPhoto.objects.create(activity=locked, image=photo, created_at=now or timezone.now())
    _log(locked, A.COMPLETE, actor=actor, now=now)
    return locked


# ---- sign-up, cancel, waiting list ---------------------------------------------------------------------------


def _may_sign_up(activity: Activity, person: Person | None) -> bool:
    if activity.audience == Audience.PUBLIC:
        return True
    if person is None:
        return False
    organization_ids = [activity.host_id, *activity.co_hosts.values_list("pk", flat=True)]
    return Membership.objects.current().filter(person=person, organization_id__in=organization_ids).exists()


def _members_only_message(person: Person | None) -> str:
    if person is None:
        return _("本次活动仅限会员报名，请先用会员手机登录。")
    # Signed in as a member, but of another organization: logging in again would not help.
    return _("本次活动仅限主办和协办组织的会员参加。")


@transaction.atomic
def registration_create(
    *,
    activity: Activity,
    name: str,
    phone: str,
    person: Person | None = None,
    actor: User | None = None,
    now: datetime.datetime | None = None,
) -> Registration:
    """Signs up: confirmed while there is room, otherwise on the waiting list."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    now = now or timezone.now()
    check_allowed(locked, A.REGISTER, now=now)
    if not _may_sign_up(locked, person):
        raise ValidationError(_members_only_message(person))
    status = (
        RegistrationStatus.CONFIRMED if _confirmed_count(locked) < locked.capacity else RegistrationStatus.WAITLISTED
    )
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                activity=locked, person=person, name=name.strip(), phone=phone, status=status, created_at=now
            )
    except IntegrityError as error:
        raise ValidationError(_("这个手机号已经报名了本次活动。")) from error
    _log(locked, A.REGISTER, actor=actor, registration=registration, comment=status, now=now)
    return registration


def _promote_while_room(activity: Activity, *, actor: User | None) -> list[Registration]:
    """Moves the earliest waiting people up while there is room; the caller holds the activity lock."""
    room = activity.capacity - _confirmed_count(activity)
    if room <= 0:
        return []
    waiting = list(
        activity.registrations.select_for_update()
        .filter(status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "id")[:room]
    )
    now = timezone.now()
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        _log(activity, A.PROMOTE, actor=actor, registration=registration)
        _notify(registration.pk, "promoted")
    return waiting


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: User | None = None) -> Registration:
    """Cancels a sign-up; if it held a place, the first on the waiting list moves up."""
    locked_activity = Activity.objects.select_for_update().get(pk=registration.activity_id)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("这个报名已经取消了。"))
    if locked.checked_in_at is not None:
        raise ValidationError(_("已经签到，不能再取消报名。"))
    check_allowed(locked_activity, A.CANCEL_REGISTRATION, now=timezone.now())
    was_confirmed = locked.status == RegistrationStatus.CONFIRMED
    locked.status = RegistrationStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at"])
    _log(locked_activity, A.CANCEL_REGISTRATION, actor=actor, registration=locked)
    if was_confirmed:
        _promote_while_room(locked_activity, actor=actor)
    return locked


# ---- check-in -------------------------------------------------------------------------------------------------


def _check_in(registration: Registration, method: CheckinMethod, *, now: datetime.datetime) -> Registration:
    registration.checked_in_at = now
    registration.checkin_method = method
    registration.save(update_fields=["checked_in_at", "checkin_method"])
    return registration


@transaction.atomic
def checkin_by_code(
    *,
    activity: Activity,
    token: str,
    name: str,
    phone: str,
    person: Person | None = None,
    now: datetime.datetime | None = None,
) -> Registration:
    """Scanned at the event. Someone not signed up may still check in while there is room."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    now = now or timezone.now()
    if not checkin_token_is_valid(locked, token, now):
        raise ValidationError(_("签到码已过期，请重新扫描现场二维码。"))
    check_allowed(locked, A.CHECK_IN, now=now)
    if not (locked.starts_at - CHECKIN_OPENS_BEFORE <= now <= locked.ends_at):
        raise ValidationError(_("不在签到时间：活动开始前 1 小时至结束前可以签到。"))
    registration = (
        locked.registrations.select_for_update()
        .exclude(status=RegistrationStatus.CANCELLED)
        .filter(phone=phone)
        .first()
    )
    if registration is not None and registration.checked_in_at is not None:
        return registration
    if registration is None and not _may_sign_up(locked, person):
        # Members-only: a walk-in is taken in only as a member of the host or a co-host.
        raise ValidationError(_members_only_message(person))
    if registration is None or registration.status == RegistrationStatus.WAITLISTED:
        if _confirmed_count(locked) >= locked.capacity:
            raise ValidationError(_("名额已满，暂时无法签到，请联系现场工作人员。"))
        if registration is None:
            registration = Registration.objects.create(
                activity=locked,
                person=person,
                name=name.strip(),
                phone=phone,
                status=RegistrationStatus.CONFIRMED,
                created_at=now,
            )
        else:
            registration.status = RegistrationStatus.CONFIRMED
            registration.promoted_at = now
            registration.save(update_fields=["status", "promoted_at"])
    _check_in(registration, CheckinMethod.QR, now=now)
    _log(locked, A.CHECK_IN, actor=None, registration=registration, comment=CheckinMethod.QR, now=now)
    return registration


@transaction.atomic
def checkin_manual(*, registration: Registration, actor: User, now: datetime.datetime | None = None) -> Registration:
    """Staff tick off someone without a phone; a waiting person is taken in if there is room."""
    locked_activity = _lock_for_staff(registration.activity, actor)
    now = now or timezone.now()
    check_allowed(locked_activity, A.CHECK_IN, now=now)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("这个报名已经取消了。"))
    if locked.checked_in_at is not None:
        return locked
    if locked.status == RegistrationStatus.WAITLISTED:
        if _confirmed_count(locked_activity) >= locked_activity.capacity:
            raise ValidationError(_("名额已满，候补人员不能签到。"))
        locked.status = RegistrationStatus.CONFIRMED
        locked.promoted_at = now
        locked.save(update_fields=["status", "promoted_at"])
    _check_in(locked, CheckinMethod.MANUAL, now=now)
    _log(locked_activity, A.CHECK_IN, actor=actor, registration=locked, comment=CheckinMethod.MANUAL, now=now)
    return locked
