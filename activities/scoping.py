"""Who may list, view and change activities and sign-ups. Views and the admin use these."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from activities.models import Activity, ActivityStatus, Registration
from orgs.scoping import organizations_for
from portal.accounts.roles import Role
from portal.scoping import Action, AnyUser, has_role, held_by, is_unrestricted, path_ids, pk_among, scope_path

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
    # Never a join on the co-hosts: it needs a DISTINCT, which sorts every activity of the scope (with its
    # annotations) before a list takes its first page. The same rows are written for the plan that suits the scope.
    co_hosts = Activity.co_hosts.through.objects.filter(organization__in=organizations)
    if len(path_ids(scope_path(user) or "")) == 1:
        # A district holds a tenth of a province's activities: the newest are found walking the date index and
        # keeping those of the scope.
        return activities.filter(Q(host__in=organizations) | Q(Exists(co_hosts.filter(activity_id=OuterRef("pk")))))
    # A town's or a village's few activities are read by host (and by co-host) and sorted: a walk of the date index
    # would pass over the whole province's newer activities first.
    hosted = Activity.objects.filter(host__in=organizations).order_by().values("pk")
    return activities.filter(pk_among(hosted, co_hosts.order_by().values("activity_id")))


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
