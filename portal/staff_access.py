"""Who may open a staff page, and who is acting on it.

Each staff area names its own roles and its own refusal; the order of the checks is the same everywhere:
an anonymous visitor is sent to the login page first, a signed-in user of another role gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.functional import Promise

from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.scoping import has_role, is_unrestricted

View = Callable[..., HttpResponse]


def role_required(*roles: Role, refusal: str | Promise, superusers: bool = True) -> Callable[[View], View]:
    """A view decorator: login first, then only users of one of `roles` (and superusers, unless told not to).

    `refusal` is lazily translated where it is declared, so it is rendered in the language of each request.
    """

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            admitted = has_role(request.user, *roles) or (superusers and is_unrestricted(request.user))
            if not admitted:
                raise PermissionDenied(str(refusal))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def acting_user(request: HttpRequest) -> User:
    """The signed-in account a service records as the actor; only valid behind role_required or login_required."""
    assert isinstance(request.user, User)
    return request.user
