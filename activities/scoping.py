"""Who may list, view and change activities and sign-ups. Views and the admin use these."""

from django.db.models import Q, QuerySet

from activities.models import Activity, ActivityStatus, Registration
from orgs.scoping import organizations_for
from portal.accounts.roles import Role
from portal.scoping import Action, AnyUser, has_role, held_by, is_unrestricted, scope_path

ACTIVITY_STAFF = (Role.DISTRICT_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)


def activities_for(user: AnyUser, action: Action) -> QuerySet[Activity]:
    """Staff: the activities hosted or co-hosted by organizations of their place."""
    activities = Activity.objects.select_related("host", "host__region")
    if is_unrestricted(user):
        return activities
    if scope_path(user) is None or not has_role(user, *ACTIVITY_STAFF):
        return activities.none()
    organizations = organizations_for(user, Action.CHANGE if action == Action.CHANGE else Action.VIEW)
    if action == Action.CHANGE:
        # Only the host runs an activity; co-hosts see it.
        return activities.filter(host__in=organizations)
    return activities.filter(Q(host__in=organizations) | Q(co_hosts__in=organizations)).distinct()


def activities_public() -> QuerySet[Activity]:
    """What anyone may open at /activities/<id>/: published or completed, never drafts."""
    return Activity.objects.select_related("host", "host__region").filter(
        status__in=[ActivityStatus.PUBLISHED, ActivityStatus.COMPLETED, ActivityStatus.CANCELLED],
        host__is_active=True,
    )


def registrations_for(user: AnyUser, action: Action) -> QuerySet[Registration]:
    registrations = Registration.objects.select_related("activity", "person")
    if is_unrestricted(user):
        return registrations
    if has_role(user, Role.MEMBER):
        if action == Action.CHANGE:
            # A member cancels their own sign-ups.
            return held_by(registrations, user, lookup="person_id", attribute="person_id")
        return held_by(registrations, user, lookup="person_id", attribute="person_id")
    return registrations.filter(activity__in=activities_for(user, action))
