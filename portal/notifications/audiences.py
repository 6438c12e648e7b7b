"""Who hears about a place or a department, looked up once per sweep rather than once per row.

A region's staff are the users scoped to it or to a place above it (region `path` "/1/5/12/" lists the
ids of the region and its ancestors), so one query over those ids serves every row of a sweep.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from portal.accounts.models import User
from portal.accounts.roles import REGION_SCOPED_ROLES, Role
from portal.scoping import path_ids


class StaffDirectory:
    """The active district, town and village staff above a set of regions."""

    def __init__(self, users: Iterable[User]) -> None:
        self._by_role_and_region: dict[tuple[str, int | None], list[User]] = defaultdict(list)
        for user in users:
            self._by_role_and_region[(user.role, user.region_id)].append(user)

    def _above(self, path: str, role: Role) -> list[User]:
        found: list[User] = []
        for region_id in path_ids(path):
            found.extend(self._by_role_and_region.get((role, region_id), ()))
        return found

    def village_staff(self, path: str) -> list[User]:
        """The village's own staff; a village without a staff account is looked after by its town."""
        return self._above(path, Role.VILLAGE_STAFF) or self.town_staff(path)

    def town_staff(self, path: str) -> list[User]:
        return self._above(path, Role.TOWN_STAFF)

    def district_admins(self, path: str) -> list[User]:
        return self._above(path, Role.DISTRICT_ADMIN)


def staff_directory(paths: Iterable[str]) -> StaffDirectory:
    """One query: the staff of every region on the way up from each of `paths`."""
    region_ids = {region_id for path in paths for region_id in path_ids(path)}
    if not region_ids:
        return StaffDirectory(())
    users = User.objects.filter(
        is_active=True, role__in=sorted(REGION_SCOPED_ROLES), region_id__in=sorted(region_ids)
    ).order_by("pk")
    return StaffDirectory(users)


def handlers_by_department(department_ids: Iterable[int]) -> dict[int, list[User]]:
    """One query: the active handler accounts of each department."""
    ids = sorted(set(department_ids))
    by_department: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return by_department
    for user in User.objects.filter(is_active=True, role=Role.DEPARTMENT_HANDLER, department_id__in=ids).order_by("pk"):
        assert user.department_id is not None  # the filter asked for one
        by_department[user.department_id].append(user)
    return by_department


def tell_users(
    users: Iterable[User],
    *,
    kind: str,
    key: str,
    subject: str,
    body: str,
    sms: str = "",
    url: str = "",
    now: datetime.datetime | None = None,
) -> int:
    """The same message to each of `users` (message_enqueue adds each user's label to the key); returns how many
    outbox rows were offered: a row whose key is already taken stays as it is. `now` as for message_enqueue.
    A sweep telling many groups gathers them in one OutboxBatch (its `tell`) instead."""
    from portal.notifications.outbox import OutboxBatch

    batch = OutboxBatch()
    batch.tell(users, kind=kind, key=key, subject=subject, body=body, sms=sms, url=url, now=now)
    return len(batch.write())
