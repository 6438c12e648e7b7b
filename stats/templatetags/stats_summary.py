"""{% stats_summary %}: the dashboard's three top figures of the signed-in officer's own place, on the admin's
index, with the link to 统计看板."""

from __future__ import annotations

from django import template
from django.utils import timezone

from portal.scoping import has_role, is_unrestricted
from stats.dashboard import headline_figures
from stats.scoping import DASHBOARD_STAFF, focus_for

register = template.Library()


@register.inclusion_tag("stats/_admin_summary.html", takes_context=True)
def stats_summary(context: template.Context) -> dict[str, object]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (is_unrestricted(user) or has_role(user, *DASHBOARD_STAFF)):
        return {"headlines": ()}
    focus = focus_for(user, {})
    if focus is None:
        return {"headlines": ()}
    return {"headlines": headline_figures(user=user, focus=focus, today=timezone.localdate()), "focus": focus}
