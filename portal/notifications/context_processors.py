from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portal.notifications.selectors import inbox_unread_count


def unread_count(request: HttpRequest) -> dict[str, object]:
    """The header's unread count. Lazy: pages that do not show it (the admin, JSON views) pay no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": SimpleLazyObject(lambda: inbox_unread_count(user))}
