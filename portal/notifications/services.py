"""Writes of the inbox pages: marking messages read and saving a user's channel preferences."""

from __future__ import annotations

from collections.abc import Mapping, Set

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.notifications.kinds import REQUIRED_CHANNELS, Channel, kinds_for_role
from portal.notifications.models import ChannelPreference, InboxMessage
from portal.notifications.scoping import inbox_of


@transaction.atomic
def inbox_message_mark_read(*, message: InboxMessage, user: User) -> InboxMessage:
    """Marks one of the user's own messages read; reading it again keeps the first time it was read."""
    locked = inbox_of(user).select_for_update().get(pk=message.pk)
    if locked.read_at is None:
        locked.read_at = timezone.now()
        locked.save(update_fields=["read_at"])
    return locked


@transaction.atomic
def inbox_mark_all_read(*, user: User) -> int:
    """Marks every unread message of the user read, in one UPDATE along the unread index."""
    return inbox_of(user).filter(read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def channel_preferences_save(*, user: User, choices: Mapping[str, Set[str]]) -> list[ChannelPreference]:
    """Saves the channels the user wants for each kind their role receives; required channels stay on
    whatever was posted, and kinds outside the role are refused."""
    allowed = set(kinds_for_role(user.role))
    unknown = set(choices) - allowed
    if unknown:
        raise ValidationError(_("这些消息类型不适用于您的角色：%(kinds)s") % {"kinds": "、".join(sorted(unknown))})
    valid_channels = set(Channel.values)
    rows = []
    for kind, channels in choices.items():
        wanted = {str(channel) for channel in channels} & valid_channels
        wanted |= {str(channel) for channel in REQUIRED_CHANNELS.get(kind, frozenset())}
        ordered = [channel for channel in Channel.values if channel in wanted]
        rows.append(ChannelPreference(user=user, kind=kind, channels=ordered))
    # One statement whatever the number of kinds; the unique (user, kind) constraint makes it an upsert.
    return ChannelPreference.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "kind"], update_fields=["channels"]
    )
