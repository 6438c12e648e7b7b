"""Shared vocabulary of the per-app scoping modules (orgs/scoping.py, members/scoping.py…).

Each app decides who may list, view and change each of its models in one place; views and the admin
both call those functions, so a page and its admin twin can never disagree.
"""

from enum import StrEnum
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet

from portal.accounts.models import User
from portal.accounts.roles import REGION_SCOPED_ROLES, Role

AnyUser = User | AnonymousUser
Rows = TypeVar("Rows", bound=QuerySet[Any])


class Action(StrEnum):
    LIST = "list"
    VIEW = "view"
    CHANGE = "change"


def is_unrestricted(user: AnyUser) -> bool:
    """Superusers run the installation and see everything."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def scope_path(user: AnyUser) -> str | None:
    """The region path a staff user works under, or None when the user has no place in the tree."""
    if not (user.is_authenticated and user.is_active):
        return None
    assert isinstance(user, User)
    if user.role in REGION_SCOPED_ROLES and user.region is not None:
        return user.region.path
    return None


def path_ids(path: str) -> list[int]:
    """The ids in a region's materialized path ("/1/5/12/"), root first: the region and every place above it."""
    return [int(part) for part in path.strip("/").split("/") if part]


def under(path: str, field: str) -> Q:
    """Rows whose region (reached through `field`) lies in the subtree rooted at `path`."""
    return Q(**{f"{field}__path__startswith": path})


def pk_among(*ids: QuerySet[Any]) -> Q:
    """Rows whose id one of `ids` (one-column queries of ids) answers: a town's or a village's few rows of a big table.

    On PostgreSQL the ids are read once (an init plan) and the rows fetched by primary key, a plan that stays
    cheap whatever the statistics say. An IN over the UNION would do the same on analysed tables, but on tables
    not analysed yet (freshly loaded, or in a test's transaction) the planner runs the UNION again for every row.
    """
    union = ids[0].union(*ids[1:], all=True)
    if connection.vendor != "postgresql":
        return Q(pk__in=union)
    from django.contrib.postgres.expressions import ArraySubquery

    among = Func(F("pk"), ArraySubquery(union), template="%(expressions)s)", arg_joiner=" = ANY(")
    among.output_field = BooleanField()
    return Q(among)


def has_role(user: AnyUser, *roles: Role) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "role", None) in roles)


def held_by(rows: Rows, user: AnyUser, *, lookup: str, attribute: str) -> Rows:
    """The rows whose `lookup` is what the account holds in `attribute` (its department, its person…).

    An account that holds none sees none: filtering by None would ask for the rows linked to nothing.
    """
    held = getattr(user, attribute, None)
    return rows.none() if held is None else rows.filter(**{lookup: held})
