"""The in-portal inbox (站内消息) and the choice of channels per kind of message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.notifications import selectors, services
from portal.notifications.forms import ChannelPreferencesForm
from portal.notifications.scoping import inbox_of
from portal.notifications.selectors import CHANNEL_ORDER
from portal.staff_access import acting_user

INBOX_PAGE_SIZE = 20


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    page = Paginator(selectors.inbox_messages(user), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": selectors.inbox_unread_count(user)},
    )


def _back_to_inbox(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    url = reverse("notifications:inbox")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks a message read; with `follow`, opens what it is about (clicking the message does both)."""
    message = get_object_or_404(inbox_of(request.user), pk=pk)
    message = services.inbox_message_mark_read(message=message, user=acting_user(request))
    if (
        request.POST.get("follow")
        and message.url
        and url_has_allowed_host_and_scheme(
            message.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return redirect(message.url)
    return _back_to_inbox(request)


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.inbox_mark_all_read(user=acting_user(request))
    if count:
        messages.success(request, _("已将 %(count)d 条消息标为已读。") % {"count": count})
    return _back_to_inbox(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    choices = selectors.preference_choices(user)
    form = ChannelPreferencesForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_preferences_save(user=user, choices=form.chosen_channels())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("通知偏好已保存。"))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "channels": CHANNEL_ORDER,
            "user_has_email": bool(user.email),
            "user_has_phone": bool(user.phone),
        },
    )
