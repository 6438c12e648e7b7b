from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portal.accounts.roles import Role
from portal.delivery_health import DeliveryHealth, delivery_health, oldest_pending_age_seconds


def current_role(request: HttpRequest) -> dict[str, object]:
    """The header names who is logged in and in what role and place."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_role_label": "", "current_scope_label": ""}
    scope = user.department or user.region
    return {
        "current_role_label": user.get_role_display(),
        "current_scope_label": str(scope) if scope else "",
    }


def delivery_alert(request: HttpRequest) -> dict[str, object]:
    """For admins, what stops messages from going out (None when they go out), shown as a banner on each page.

    Only those who can have the worker restarted are told: district admins and superusers. Lazy: a page that
    does not render the banner (JSON, a redirect) reads nothing, and one that does reads the heartbeat from the
    cache and the oldest waiting message through an index, never a count of the outbox.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.is_superuser or user.role == Role.DISTRICT_ADMIN):
        return {}
    return {"delivery_alert": SimpleLazyObject(_delivery_problems)}


def _delivery_problems() -> DeliveryHealth | None:
    health = delivery_health(oldest_waiting_age_seconds=oldest_pending_age_seconds())
    return None if health.ok else health
