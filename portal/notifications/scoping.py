"""Who may see which messages. A user's own inbox is theirs alone; the admin follows the accounts' scope.

In the admin, superusers see every outbox row. A district admin sees the rows addressed to the accounts they
keep (portal/accounts/scoping.users_for) and the rows addressed to a bare phone number (anonymous submitters
and registrants, with their receipt codes) about something in their district: the region path the caller of
message_enqueue gave. A bare-number row without one (a login code, a row older than the field) is for
superusers only. Numbers are shown masked in the admin. Town staff and everyone else see none.
"""

from django.db.models import Q, QuerySet

from portal.accounts.roles import Role
from portal.accounts.scoping import users_for
from portal.notifications.models import ChannelPreference, InboxMessage, OutboxMessage
from portal.scoping import Action, AnyUser, has_role, is_unrestricted, scope_path


def inbox_of(user: AnyUser) -> QuerySet[InboxMessage]:
    """The signed-in user's own inbox; nobody reads another person's messages through the inbox pages."""
    if not (user.is_authenticated and user.is_active):
        return InboxMessage.objects.none()
    return InboxMessage.objects.filter(user=user)


def _district_admin_or_superuser(user: AnyUser) -> bool:
    return is_unrestricted(user) or has_role(user, Role.DISTRICT_ADMIN)


def outbox_messages_for(user: AnyUser, action: Action) -> QuerySet[OutboxMessage]:
    messages = OutboxMessage.objects.select_related("user")
    if is_unrestricted(user):
        return messages
    if not _district_admin_or_superuser(user):
        return messages.none()
    kept_accounts = users_for(user, Action.VIEW)
    path = scope_path(user)
    if path is None or kept_accounts.query.is_empty():  # a district admin without a district keeps nothing
        return messages.none()
    about_the_district = Q(user__isnull=True, region_path__startswith=path)
    return messages.filter(Q(user__in=kept_accounts.values("pk")) | about_the_district)


def inbox_messages_for(user: AnyUser, action: Action) -> QuerySet[InboxMessage]:
    """The admin's read-only view of inboxes: what an account keeper may look at when someone asks."""
    messages = InboxMessage.objects.select_related("user")
    if is_unrestricted(user):
        return messages
    if action == Action.CHANGE or not _district_admin_or_superuser(user):
        return messages.none()
    return messages.filter(user__in=users_for(user, Action.VIEW).values("pk"))


def channel_preferences_for(user: AnyUser, action: Action) -> QuerySet[ChannelPreference]:
    """Preferences are the user's own to change (on /inbox/preferences/); the admin only shows them."""
    preferences = ChannelPreference.objects.select_related("user")
    if is_unrestricted(user):
        return preferences
    if action == Action.CHANGE or not _district_admin_or_superuser(user):
        return preferences.none()
    return preferences.filter(user__in=users_for(user, Action.VIEW).values("pk"))
