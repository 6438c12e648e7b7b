"""Who may list, view and change user accounts. The user admin uses this, like every other admin."""

from django.db.models import Q, QuerySet

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.scoping import Action, AnyUser, has_role, is_unrestricted, scope_path

# Accounts are handed out by the district; town staff work with people, not with logins.
ACCOUNT_KEEPERS = (Role.DISTRICT_ADMIN,)


def users_for(user: AnyUser, action: Action) -> QuerySet[User]:
    """A district admin keeps the accounts placed in the district: by their region or their department's."""
    users = User.objects.select_related("region", "department", "person")
    if is_unrestricted(user):
        return users
    path = scope_path(user)
    if path is None or not has_role(user, *ACCOUNT_KEEPERS):
        return users.none()
    # Superusers run the installation: nobody below them may see or edit their accounts.
    in_district = Q(region__path__startswith=path) | Q(department__region__path__startswith=path)
    return users.filter(in_district, is_superuser=False)
