"""Reads for the public and members' pages: listings, places left, waiting-list positions."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.models import Activity, ActivityStatus, Registration, RegistrationStatus
from activities.scoping import activities_public
from members.models import Person
from orgs.models import Organization
from orgs.scoping import organizations_public

if TYPE_CHECKING:
    from typing import TypeAlias

    from django_stubs_ext import WithAnnotations


class ConfirmedCount(TypedDict):
    confirmed_count: int


if TYPE_CHECKING:
    # An activity of the public pages: it carries how many sign-ups are confirmed.
    PublicActivity: TypeAlias = WithAnnotations[Activity, ConfirmedCount]

LIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
ATTENDED_SHOWN = 50


def _confirmed_count_subquery() -> Coalesce:
    counts = (
        Registration.objects.filter(activity=OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
        .order_by()
        .values("activity")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _active_co_hosts() -> Prefetch:
    return Prefetch("co_hosts", queryset=organizations_public().select_related(None).order_by("name"))


def upcoming_public_activities(
    *, now: datetime.datetime, organization: Organization | None
) -> QuerySet[PublicActivity]:
    """Published activities not yet over, soonest first; with an organization, those it hosts or co-hosts."""
    activities = activities_public().filter(status=ActivityStatus.PUBLISHED, ends_at__gte=now)
    if organization is not None:
        co_hosted = Activity.co_hosts.through.objects.filter(organization=organization).values("activity_id")
        activities = activities.filter(Q(host=organization) | Q(pk__in=co_hosted))
    return (
        activities.annotate(confirmed_count=_confirmed_count_subquery())
        .prefetch_related(_active_co_hosts())
        .order_by("starts_at", "pk")
    )


def public_activity(pk: int) -> QuerySet[PublicActivity]:
    """The activity of a public page, with its confirmed count and active co-hosts (use with get_object_or_404)."""
    return (
        activities_public()
        .filter(pk=pk)
        .annotate(confirmed_count=_confirmed_count_subquery())
        .prefetch_related(_active_co_hosts())
    )


def _waiting_ahead_subquery() -> Coalesce:
    """How many wait ahead of this registration, in the order the waiting list is promoted."""
    ahead = (
        Registration.objects.filter(activity=OuterRef("activity"), status=RegistrationStatus.WAITLISTED)
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")))
        .order_by()
        .values("activity")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), 0)


def with_waiting_position(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotates `waiting_ahead`; the position a person reads ("候补第 N 位") is waiting_ahead + 1."""
    return registrations.annotate(waiting_ahead=_waiting_ahead_subquery())


def live_registration(activity: Activity, *, person: Person | None = None, pk: int | None = None):
    """The signed-up or waiting registration of a member (by person) or of a link (by pk), or None."""
    registrations = Registration.objects.filter(activity=activity, status__in=LIVE_STATUSES)
    if person is not None:
        registrations = registrations.filter(person=person)
    elif pk is not None:
        registrations = registrations.filter(pk=pk)
    else:
        return None
    return with_waiting_position(registrations).order_by("created_at").first()


def member_upcoming_registrations(person_id: int, *, now: datetime.datetime) -> list[Registration]:
    """What a member (their roster entry's id) signed up for or waits for, of activities not over yet, soonest
    first."""
    return list(
        with_waiting_position(
            Registration.objects.filter(
                person_id=person_id,
                status__in=LIVE_STATUSES,
                checked_in_at__isnull=True,
                activity__status=ActivityStatus.PUBLISHED,
                activity__ends_at__gte=now,
            )
        )
        .select_related("activity", "activity__host")
        .order_by("activity__starts_at", "pk")
    )


def member_attended_registrations(person_id: int) -> list[Registration]:
    """The activities a member (their roster entry's id) checked in to, latest first (the last ATTENDED_SHOWN)."""
    return list(
        Registration.objects.filter(person_id=person_id, checked_in_at__isnull=False)
        .select_related("activity", "activity__host")
        .order_by("-activity__starts_at", "-pk")[:ATTENDED_SHOWN]
    )


ORGANIZATION_PAGE_ACTIVITIES = 5


def organization_public_activities(organization: Organization) -> dict[str, list[Activity]]:
    """For the organization's public page: the next few open activities and the last few held (two queries)."""
    co_hosted = Activity.co_hosts.through.objects.filter(organization=organization).values("activity_id")
    mine = activities_public().filter(Q(host=organization) | Q(pk__in=co_hosted)).select_related(None)
    now = timezone.now()
    return {
        "upcoming_activities": list(
            mine.filter(status=ActivityStatus.PUBLISHED, ends_at__gte=now).order_by("starts_at")[
                :ORGANIZATION_PAGE_ACTIVITIES
            ]
        ),
        "recent_activities": list(
            mine.filter(status=ActivityStatus.COMPLETED).order_by("-starts_at")[:ORGANIZATION_PAGE_ACTIVITIES]
        ),
    }
