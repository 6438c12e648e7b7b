"""Signing in: staff with a password (axes locks out repeated failures), members with an SMS code."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from portal.accounts.client_ip import client_ip_address
from portal.accounts.forms import CodeForm, PhoneForm, StaffLoginForm
from portal.accounts.login_codes import LoginCodeRefused, login_code_request, login_code_verify
from portal.accounts.models import User
from portal.accounts.roles import ADMIN_SITE_ROLES, REGION_SCOPED_ROLES, Role
from portal.admin_scoping import may_use_admin
from portal.phones import mask_phone

# The session remembers which number a code was sent to between the two steps of the phone login.
PHONE_SESSION_KEY = "phone_login_phone"
NEXT_SESSION_KEY = "phone_login_next"
# Members are logged in without a password: the session must name a backend that can reload them.
MEMBER_SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def landing_url(user: User) -> str:
    """Where each role starts its work after signing in; never the public home page. District officers work in
    the admin (the statistics dashboard will be their page once it exists); town staff too when they may use it."""
    if user.is_superuser or (user.role in ADMIN_SITE_ROLES and may_use_admin(user)):
        return reverse("admin:index")
    if user.role in REGION_SCOPED_ROLES:
        return reverse("staff_issues:queue")
    if user.role == Role.DEPARTMENT_HANDLER:
        return reverse("department:queue")
    return reverse("issues:mine")


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffLoginForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Someone already signed in goes to their own starting page, never to `next`: a page their role may
        # not open would send them back here, round and round.
        user = request.user
        if user.is_authenticated and request.method == "GET":
            return HttpResponseRedirect(landing_url(user))
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        assert isinstance(user, User)  # asked once the form has signed the user in
        return landing_url(user)


@sensitive_post_parameters("phone")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def phone_login(request: HttpRequest) -> HttpResponse:
    """Step 1: the member types their mobile number and receives a code (if the number is registered)."""
    if request.user.is_authenticated:
        return redirect(landing_url(request.user))
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            login_code_request(phone=phone, ip=client_ip_address(request))
        except LoginCodeRefused as refusal:
            form.add_error("phone", refusal.message)
        else:
            request.session[PHONE_SESSION_KEY] = phone
            request.session[NEXT_SESSION_KEY] = next_url or ""
            return redirect("accounts:phone_verify")
    return render(request, "accounts/phone_login.html", {"form": form, "next": next_url or ""})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def phone_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the member types the code from the SMS and is signed in."""
    phone = request.session.get(PHONE_SESSION_KEY)
    if not phone:
        return redirect("accounts:phone_login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = login_code_verify(phone=phone, code=form.cleaned_data["code"], ip=client_ip_address(request))
        except LoginCodeRefused as refusal:
            form.add_error("code", refusal.message)
        else:
            next_url = _safe_next(request, request.session.pop(NEXT_SESSION_KEY, None))
            request.session.pop(PHONE_SESSION_KEY, None)
            login(request, member, backend=MEMBER_SESSION_BACKEND)
            return HttpResponseRedirect(next_url or landing_url(member))
    return render(
        request,
        "accounts/phone_verify.html",
        {
            "form": form,
            "phone": phone,
            "masked_phone": mask_phone(phone),
            "ttl_minutes": max(1, settings.LOGIN_CODE_TTL_SECONDS // 60),
        },
    )
