"""Reads of the inbox and of the preferences, for the pages and the header."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from portal.accounts.models import User
from portal.notifications.kinds import REQUIRED_CHANNELS, Channel, channels_for, kinds_for_role
from portal.notifications.models import ChannelPreference, InboxMessage
from portal.notifications.scoping import inbox_of


def inbox_messages(user: User) -> QuerySet[InboxMessage]:
    """Newest first, along the (user, created_at) index."""
    return (
        inbox_of(user)
        .only("pk", "kind", "title", "body", "url", "created_at", "read_at")
        .order_by("-created_at", "-id")
    )


def inbox_unread_count(user: User) -> int:
    """One COUNT on the partial index of unread messages (inbox_user_unread)."""
    return inbox_of(user).filter(read_at__isnull=True).count()


@dataclass(frozen=True)
class KindChoice:
    """One line of the preferences page: a kind, the channels it goes through now, and those it must use."""

    kind: str
    chosen: frozenset[str]
    required: frozenset[str]


def preference_choices(user: User) -> list[KindChoice]:
    """The kinds the user's role receives, each with the channels in force (their choice or the default)."""
    kinds = kinds_for_role(user.role)
    saved = {
        preference.kind: set(preference.channels)
        for preference in ChannelPreference.objects.filter(user=user, kind__in=kinds)
    }
    return [
        KindChoice(
            kind=kind,
            chosen=channels_for(kind, saved.get(kind)),
            required=REQUIRED_CHANNELS.get(kind, frozenset()),
        )
        for kind in kinds
    ]


CHANNEL_ORDER = (Channel.INBOX, Channel.SMS, Channel.EMAIL)
