from django.http import HttpRequest


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
