"""Who may list, view and change regions, organizations and departments. Views and the admin use these."""

from django.db.models import Q, QuerySet

from orgs.models import Department, Organization, Region
from portal.accounts.roles import Role
from portal.scoping import Action, AnyUser, has_role, is_unrestricted, path_ids, scope_path, under

# Town and village staff keep their own organizations; only the district sets up regions and departments.
ORG_EDITORS = (Role.DISTRICT_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)


def regions_for(user: AnyUser, action: Action) -> QuerySet[Region]:
    regions = Region.objects.all()
    if is_unrestricted(user):
        return regions
    path = scope_path(user)
    if path is None:
        return regions.none()
    if action == Action.CHANGE and not has_role(user, Role.DISTRICT_ADMIN):
        return regions.none()
    return regions.filter(path__startswith=path)


def organizations_for(user: AnyUser, action: Action) -> QuerySet[Organization]:
    organizations = Organization.objects.select_related("region")
    if is_unrestricted(user):
        return organizations
    path = scope_path(user)
    if path is None:
        return organizations.none()
    if action == Action.CHANGE and not has_role(user, *ORG_EDITORS):
        return organizations.none()
    return organizations.filter(under(path, "region"))


def organizations_public() -> QuerySet[Organization]:
    """What anyone on the internet may see: active organizations, their public fields only."""
    return Organization.objects.filter(is_active=True).select_related("region")


def departments_for(user: AnyUser, action: Action) -> QuerySet[Department]:
    """Staff see the departments of their subtree and of the places above it (a village hands issues upward)."""
    departments = Department.objects.select_related("region")
    if is_unrestricted(user):
        return departments
    if has_role(user, Role.DEPARTMENT_HANDLER):
        if action == Action.CHANGE:
            return departments.none()
        department_id = getattr(user, "department_id", None)
        return departments.filter(pk=department_id) if department_id is not None else departments.none()
    path = scope_path(user)
    if path is None:
        return departments.none()
    if action == Action.CHANGE:
        if not has_role(user, Role.DISTRICT_ADMIN):
            return departments.none()
        return departments.filter(under(path, "region"))
    return departments.filter(Q(region_id__in=path_ids(path)) | under(path, "region"))
