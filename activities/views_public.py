"""What members and the public do on their phones: browse, sign up, cancel, add to calendar, check in.

Views parse, pick the object through activities.scoping / selectors, call the service and render.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import services
from activities.checkin_codes import checkin_token_is_valid, current_checkin_token
from activities.forms_public import GuestCheckinForm, GuestSignupForm, RegistrationCancelForm
from activities.ics import activity_ics
from activities.models import Activity, ActivityStatus, Audience, Registration, RegistrationStatus
from activities.public_tokens import (
    registration_id_from_token,
    registration_token,
    scan_proof,
    scan_proof_is_valid,
)
from activities.ratelimits import guest_signup_allowed, guest_signup_record
from activities.scoping import activities_public, registrations_for
from activities.selectors_public import (
    ConfirmedCount,
    live_registration,
    member_attended_registrations,
    member_upcoming_registrations,
    public_activity,
    upcoming_public_activities,
)
from activities.states import ActivityAction, allowed_actions
from members.models import Person
from orgs.scoping import organizations_public
from portal.accounts.client_ip import client_ip_address
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.phones import mask_phone
from portal.query_params import slug_param
from portal.scoping import Action

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from activities.selectors_public import PublicActivity

ACTIVITIES_PER_PAGE = 20
# Anonymous sign-ups made from this browser: {activity id: registration link token}, to show them again.
GUEST_REGISTRATIONS_SESSION_KEY = "activity_guest_registrations"


def _member_person(request: HttpRequest) -> Person | None:
    """The person of a signed-in member (role member with a roster entry), else None."""
    user = request.user
    if user.is_authenticated and user.role == Role.MEMBER and user.person_id:
        return user.person
    return None


def _member_phone(request: HttpRequest, person: Person) -> str:
    user = request.user
    return person.phone or (user.phone if user.is_authenticated else "") or ""


def _signed_in(request: HttpRequest) -> User | None:
    """The account a service records as acting, or None for a guest."""
    user = request.user
    return user if user.is_authenticated else None


def _phone_login_url(next_url: str) -> str:
    return f"{reverse('accounts:phone_login')}?{urlencode({'next': next_url})}"


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# ---- listing and detail ---------------------------------------------------------------------------------------


@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("org", "").strip()
    organization = organizations_public().filter(slug=slug).first() if slug_param(slug) else None
    if slug and organization is None:
        activities = Activity.objects.none()
    else:
        activities = upcoming_public_activities(now=timezone.now(), organization=organization)
    page = Paginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for activity in cast("list[WithAnnotations[Activity, PlacesLeft]]", page.object_list):
        activity.places_left = _places_left(activity)
    return render(
        request,
        "activities/public/list.html",
        {"page": page, "organization": organization, "unknown_org": bool(slug) and organization is None},
    )


class PlacesLeft(ConfirmedCount):
    """What the list hangs on each activity of the page for its template."""

    places_left: int


def _places_left(activity: PublicActivity) -> int:
    return max(activity.capacity - activity.confirmed_count, 0)


def _guest_token(request: HttpRequest, activity: Activity) -> str | None:
    return request.session.get(GUEST_REGISTRATIONS_SESSION_KEY, {}).get(str(activity.pk))


def _remember_guest_registration(request: HttpRequest, registration: Registration, token: str) -> None:
    remembered = dict(request.session.get(GUEST_REGISTRATIONS_SESSION_KEY, {}))
    remembered[str(registration.activity_id)] = token
    request.session[GUEST_REGISTRATIONS_SESSION_KEY] = remembered


def _detail_page(
    request: HttpRequest, activity: PublicActivity, *, guest_form: GuestSignupForm | None = None, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    person = _member_person(request)
    my_registration = None
    guest_link = None
    if person is not None:
        my_registration = live_registration(activity, person=person)
    else:
        token = _guest_token(request, activity)
        registration_id = registration_id_from_token(token) if token else None
        if registration_id is not None:
            my_registration = live_registration(activity, pk=registration_id)
            guest_link = reverse("activities:registration", args=[activity.pk, token]) if my_registration else None
    allowed = allowed_actions(activity, now=now)
    members_only = activity.audience == Audience.MEMBERS
    return render(
        request,
        "activities/public/detail.html",
        {
            "activity": activity,
            "co_hosts": list(activity.co_hosts.all()),
            "photos": list(activity.photos.all()) if activity.status == ActivityStatus.COMPLETED else [],
            "places_left": _places_left(activity),
            "signup_open": ActivityAction.REGISTER in allowed,
            "may_cancel_signup": ActivityAction.CANCEL_REGISTRATION in allowed,
            "members_only": members_only,
            "member_person": person,
            "my_registration": my_registration,
            "guest_link": guest_link,
            "guest_form": guest_form or GuestSignupForm(),
            "phone_login_url": _phone_login_url(request.get_full_path()),
            "ended": activity.ends_at < now,
        },
        status=status,
    )


@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, get_object_or_404(public_activity(pk)))


# ---- sign-up and cancel ---------------------------------------------------------------------------------------


@require_POST
def activity_signup(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(public_activity(pk))
    detail_url = reverse("activities:detail", args=[activity.pk])
    person = _member_person(request)
    if person is not None:
        try:
            registration = services.registration_create(
                activity=activity,
                name=person.name,
                phone=_member_phone(request, person),
                person=person,
                actor=_signed_in(request),
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("报名成功！"))
            else:
                messages.info(request, _("名额已满，您已进入候补名单，有人取消时按顺序自动转正并短信通知。"))
        return redirect(detail_url)

    form = GuestSignupForm(request.POST)
    ip = client_ip_address(request)
    if form.is_valid() and not guest_signup_allowed(activity_id=activity.pk, ip=ip):
        form.add_error(None, _("当前网络报名次数过多，请稍后再试，或请工作人员代为登记。"))
    elif form.is_valid():
        guest_signup_record(activity_id=activity.pk, ip=ip)
        try:
            registration = services.registration_create(
                activity=activity, name=form.cleaned_data["name"], phone=form.cleaned_data["phone"]
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            token = registration_token(registration)
            _remember_guest_registration(request, registration, token)
            return redirect("activities:registration", pk=activity.pk, token=token)
    # What was typed stays in the form, with the reason next to it.
    return _detail_page(request, activity, guest_form=form, status=400)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@require_POST
@login_required(login_url="accounts:phone_login")
def activity_cancel_signup(request: HttpRequest, pk: int) -> HttpResponse:
    """A member cancels their own sign-up (from the activity page or from 我的活动)."""
    activity = get_object_or_404(activities_public(), pk=pk)
    registration = (
        registrations_for(request.user, Action.CHANGE)
        .filter(activity=activity, status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED])
        .first()
    )
    if registration is None:
        raise Http404
    try:
        services.registration_cancel(registration=registration, actor=_signed_in(request))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("已取消报名“%(title)s”。") % {"title": activity.title})
    return HttpResponseRedirect(_safe_next(request, reverse("activities:detail", args=[activity.pk])))


@require_http_methods(["GET", "POST"])
def registration_link(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The page of one anonymous sign-up, reached by its signed link: status, and cancel with the phone."""
    registration_id = registration_id_from_token(token)
    if registration_id is None:
        raise Http404
    activity = get_object_or_404(public_activity(pk))
    registration = get_object_or_404(Registration.objects.filter(activity=activity), pk=registration_id)
    form = RegistrationCancelForm(request.POST or None, expected_phone=registration.phone)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_cancel(registration=registration)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("已取消报名“%(title)s”。") % {"title": activity.title})
            return redirect("activities:registration", pk=activity.pk, token=token)
    live = live_registration(activity, pk=registration.pk)
    return render(
        request,
        "activities/public/registration.html",
        {
            "activity": activity,
            "registration": live or registration,
            "masked_phone": mask_phone(registration.phone),
            "form": form,
            "can_cancel": live is not None
            and ActivityAction.CANCEL_REGISTRATION in allowed_actions(activity, now=timezone.now()),
            "link": request.build_absolute_uri(),
        },
        status=400 if form.errors else 200,
    )


# ---- calendar -------------------------------------------------------------------------------------------------


@require_GET
def activity_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(public_activity(pk))
    body = activity_ics(
        activity,
        detail_url=request.build_absolute_uri(reverse("activities:detail", args=[activity.pk])),
        uid_domain=request.get_host().split(":")[0],
        now=timezone.now(),
        organizer_names=[activity.host.name, *(org.name for org in activity.co_hosts.all())],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}.ics"'
    return response


# ---- check-in -------------------------------------------------------------------------------------------------


def _checkin_page(request: HttpRequest, activity: Activity, *, status: int = 200, **context: object) -> HttpResponse:
    return render(request, "activities/public/checkin.html", {"activity": activity, **context}, status=status)


@require_http_methods(["GET", "POST"])
def activity_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """Opened by scanning the QR code at the event (?t=<rotating token>)."""
    activity = get_object_or_404(activities_public(), pk=pk)
    person = _member_person(request)
    token = (request.POST.get("t") if request.method == "POST" else request.GET.get("t")) or ""
    proof = (request.POST.get("p") if request.method == "POST" else request.GET.get("p")) or ""
    proven = scan_proof_is_valid(activity, proof)
    if not proven and not checkin_token_is_valid(activity, token):
        return _checkin_page(request, activity, expired=True, status=400 if request.method == "POST" else 200)
    if proven:
        # A valid code was scanned a moment ago; the service then checks the code of this minute as usual.
        token = current_checkin_token(activity)
    else:
        proof = scan_proof(activity)
    here = f"{reverse('activities:checkin', args=[activity.pk])}?{urlencode({'p': proof})}"
    form = GuestCheckinForm(request.POST or None) if person is None else None
    context: dict[str, Any] = {
        "proof": proof,
        "form": form,
        "member_person": person,
        "phone_login_url": _phone_login_url(here),
    }
    if request.method == "GET":
        return _checkin_page(request, activity, **context)

    if person is not None:
        name, phone = person.name, _member_phone(request, person)
    elif form is not None and form.is_valid():
        name, phone = form.cleaned_data["name"], form.cleaned_data["phone"]
    else:
        return _checkin_page(request, activity, status=400, **context)
    try:
        registration = services.checkin_by_code(activity=activity, token=token, name=name, phone=phone, person=person)
    except ValidationError as error:
        return _checkin_page(request, activity, error=_error_text(error), status=400, **context)
    return redirect("activities:checkin_done", pk=activity.pk, token=registration_token(registration))


@require_GET
def activity_checkin_done(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    registration_id = registration_id_from_token(token)
    if registration_id is None:
        raise Http404
    registration = get_object_or_404(
        Registration.objects.select_related("activity").filter(
            activity__in=activities_public(), activity_id=pk, checked_in_at__isnull=False
        ),
        pk=registration_id,
    )
    return render(
        request,
        "activities/public/checkin_done.html",
        {"activity": registration.activity, "registration": registration, "member_person": _member_person(request)},
    )


# ---- my activities --------------------------------------------------------------------------------------------


@require_GET
@login_required(login_url="accounts:phone_login")
def my_activities(request: HttpRequest) -> HttpResponse:
    # The roster entry's id is enough: the page names no person, so the Person row is not read.
    user = request.user
    person_id = user.person_id if user.is_authenticated and user.role == Role.MEMBER else None
    upcoming = member_upcoming_registrations(person_id, now=timezone.now()) if person_id else []
    attended = member_attended_registrations(person_id) if person_id else []
    return render(
        request,
        "activities/public/mine.html",
        {"is_member": person_id is not None, "upcoming": upcoming, "attended": attended},
    )
