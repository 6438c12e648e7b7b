"""Phone numbers as the portal shows them: whole to those who need them, masked to everyone else.

The one rule of who sees phones whole lives here, so that pages, the admin, its history and exports agree:
those who keep a roster and call people for a living (ROLES_SEEING_FULL_PHONES) and the superusers who run
the installation see every number whole. The apps add only narrower exceptions for single people (an
official assigned to a person sees that person's phone, a submitter their own, a department handler a phone
the submitter allowed), never wider ones. Whoever sees phones masked may not search or sort by them either:
each answer to "does a number starting with 1380 exist?" gives away a masked digit.
"""

from __future__ import annotations

from typing import Any

from portal.accounts.roles import ROLES_SEEING_FULL_PHONES


def mask_phone(phone: str) -> str:
    """138****0000: enough to recognise one's own number, not enough to call it."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}****{phone[-4:]}"


def sees_every_phone_whole(user: Any) -> bool:
    """Whether `user` (an account or AnonymousUser) sees every phone whole, and so may search and sort by phone."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_superuser) or getattr(user, "role", None) in ROLES_SEEING_FULL_PHONES
