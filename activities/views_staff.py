"""Staff pages of activities: plan, publish, cancel, record, check people in, and the figures.

Every queryset comes from activities.scoping / orgs.scoping; single objects are fetched from a scoped queryset
so that guessing an id outside one's scope answers 404. Writes go through activities.services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from activities import selectors, services
from activities.checkin_codes import current_checkin_token, seconds_until_rotation
from activities.forms_staff import MAX_PHOTOS, ActivityPlanForm, ActivityStaffFilter, CancelForm, CompleteForm
from activities.models import Activity, ActivityStatus, CheckinMethod, Registration, RegistrationStatus
from activities.scoping import ACTIVITY_STAFF, activities_for, registrations_for
from activities.states import ActivityAction, allowed_actions, refusal
from members.scoping import persons_for, phone_visibility_for
from orgs.scoping import organizations_for, organizations_public, regions_for
from portal.pagination import CappedCountPaginator
from portal.query_params import id_param
from portal.scoping import Action, is_unrestricted
from portal.staff_access import acting_user, role_required

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

LIST_PAGE_SIZE = 30
FIGURES_PAGE_SIZE = 50
INACTIVE_PAGE_SIZE = 50
# Monday first, as on Chinese wall calendars.
WEEKDAY_NAMES = (
    gettext_noop("周一"),
    gettext_noop("周二"),
    gettext_noop("周三"),
    gettext_noop("周四"),
    gettext_noop("周五"),
    gettext_noop("周六"),
    gettext_noop("周日"),
)

LOG_COMMENTS = {
    **dict(RegistrationStatus.choices),
    **dict(CheckinMethod.choices),
}


# Village, town and district staff; members and department handlers get 403.
activity_staff_required = role_required(
    *ACTIVITY_STAFF, refusal=gettext_lazy("活动管理仅对村、镇街工作人员和统战部管理员开放。")
)


def _detail_url(activity: Activity) -> str:
    return reverse("staff_activities:detail", kwargs={"pk": activity.pk})


def _weekday_names() -> list[str]:
    return [_(name) for name in WEEKDAY_NAMES]


# ---------------------------------------------------------------------------------------------------------
# The list across the organizations in scope


@activity_staff_required
def activity_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    organizations = organizations_for(user, Action.LIST).order_by("region__path", "name")
    activity_filter = ActivityStaffFilter(
        request.GET or None, queryset=activities_for(user, Action.LIST), organizations=organizations
    )
    activities = selectors.with_registration_counts(activity_filter.qs).order_by("-starts_at", "-id")
    page = CappedCountPaginator(activities, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    this_month = selectors.Month.containing(timezone.now())
    # Counted for the whole scope, listed for the first few: a district's hundreds of names help nobody.
    planned = selectors.planned_overview(organizations=organizations, month=this_month)
    context = {
        "filter": activity_filter,
        "page": page,
        "this_month": this_month,
        "planned": planned.rows,
        "planned_overview": planned,
        "can_plan": is_unrestricted(user) or organizations_for(user, Action.CHANGE).exists(),
    }
    return render(request, "activities/staff/list.html", context)


# ---------------------------------------------------------------------------------------------------------
# One organization's month


@activity_staff_required
def month_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    organizations = organizations_for(user, Action.LIST).order_by("region__path", "name")
    organization_id = request.GET.get("org")
    organization = (
        get_object_or_404(organizations, pk=id_param(organization_id) or 0)
        if organization_id
        else organizations.first()
    )
    if organization is None:
        raise PermissionDenied(_("您的负责范围内还没有组织。"))
    today = timezone.localdate()
    month = selectors.Month.parse(request.GET.get("month"), default=selectors.Month.containing(today))
    activities = list(
        activities_for(user, Action.LIST)
        .filter(selectors.hosted_or_co_hosted_by(organization), selectors.in_month(month))
        .order_by("starts_at", "id")
    )
    context = {
        "organization": organization,
        "organizations": organizations,
        "month": month,
        "previous_month": month.shifted(-1),
        "next_month": month.shifted(1),
        "weeks": selectors.month_calendar(activities=activities, month=month, today=today),
        "weekday_names": _weekday_names(),
        "activities": activities,
        "can_plan": organizations_for(user, Action.CHANGE).filter(pk=organization.pk).exists(),
    }
    return render(request, "activities/staff/month.html", context)


# ---------------------------------------------------------------------------------------------------------
# Planning and editing


def _plan_form(request: HttpRequest, *, activity: Activity | None = None, initial: dict | None = None):
    user = request.user
    return ActivityPlanForm(
        request.POST or None,
        request.FILES or None,
        hosts=organizations_for(user, Action.CHANGE).order_by("region__path", "name"),
        partners=organizations_public().order_by("region__path", "name"),
        activity=activity,
        initial=initial,
    )


def _render_plan(request: HttpRequest, form: ActivityPlanForm, *, activity: Activity | None) -> HttpResponse:
    context = {
        "form": form,
        "activity": activity,
        "title": _("修改活动") if activity else _("安排活动"),
    }
    return render(request, "activities/staff/plan_form.html", context, status=400 if form.is_bound else 200)


@activity_staff_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    hosts = organizations_for(user, Action.CHANGE)
    if not hosts.exists():
        raise PermissionDenied(_("您的负责范围内还没有可以安排活动的组织。"))
    initial = {"host": request.GET.get("org") or getattr(hosts.first(), "pk", None), "audience": "members"}
    form = _plan_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.activity_create(
                actor=acting_user(request),
                host=data["host"],
                co_hosts=data["co_hosts"],
                title=data["title"],
                category=data["category"],
                form=data["form"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                capacity=data["capacity"],
                signup_deadline=data["signup_deadline"],
                audience=data["audience"],
                description=data["description"],
                cover=data["cover"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已保存为草稿。检查无误后点“发布”，会员才能看到并报名。"))
            return redirect(_detail_url(activity))
    return _render_plan(request, form, activity=None)


def _initial_of(activity: Activity) -> dict:
    fields = (
        "title",
        "category",
        "form",
        "starts_at",
        "ends_at",
        "place",
        "capacity",
        "signup_deadline",
        "audience",
        "description",
    )
    initial = {name: getattr(activity, name) for name in fields}
    for name in ("starts_at", "ends_at", "signup_deadline"):
        # The form works to the minute; seconds kept here would make every save look like a change of time.
        initial[name] = initial[name].replace(second=0, microsecond=0)
    initial["host"] = activity.host_id
    initial["co_hosts"] = list(activity.co_hosts.values_list("pk", flat=True))
    return initial


@activity_staff_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(activities_for(request.user, Action.CHANGE), pk=pk)
    refused = refusal(activity, ActivityAction.EDIT, now=timezone.now())
    if refused:
        messages.error(request, refused)
        return redirect(_detail_url(activity))
    initial = _initial_of(activity)
    form = _plan_form(request, activity=activity, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Only what changed goes to the service: an unchanged start in the past (a running activity) is no error.
        changes = {
            name: data[name] for name in services.EDITABLE_FIELDS if name in data and data[name] != initial[name]
        }
        co_hosts_changed = sorted(org.pk for org in data["co_hosts"]) != sorted(initial["co_hosts"])
        try:
            with transaction.atomic():
                if changes:
                    activity = services.activity_update(activity=activity, actor=acting_user(request), **changes)
                if co_hosts_changed:
                    activity = services.activity_set_co_hosts(
                        activity=activity, actor=acting_user(request), co_hosts=data["co_hosts"]
                    )
                if data["cover"]:
                    activity = services.activity_set_cover(
                        activity=activity, actor=acting_user(request), cover=data["cover"]
                    )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已保存修改。"))
            return redirect(_detail_url(activity))
    return _render_plan(request, form, activity=activity)


# ---------------------------------------------------------------------------------------------------------
# Detail: status, actions, sign-ups, log


class PhoneShownWhole(TypedDict):
    """Hung on each sign-up a page lists, for its template: whether this viewer sees the phone whole."""

    phone_shown_whole: bool


def _detail_page(
    request: HttpRequest,
    activity: Activity,
    *,
    cancel_form: CancelForm | None = None,
    complete_form: CompleteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_change = activities_for(user, Action.CHANGE).filter(pk=activity.pk).exists()
    registrations = selectors.registrations_of(activity)
    people = [registration.person for group in registrations.values() for registration in group if registration.person]
    phones = phone_visibility_for(user, people)
    for group in registrations.values():
        for registration in cast("list[WithAnnotations[Registration, PhoneShownWhole]]", group):
            registration.phone_shown_whole = phones.sees_all or (
                registration.person is not None and phones.shows_whole(registration.person)
            )
    photos = list(activity.photos.all())
    table_allows = allowed_actions(activity, now=timezone.now())
    context = {
        "activity": activity,
        "co_hosts": list(activity.co_hosts.order_by("name")),
        "can_change": can_change,
        "confirmed": registrations[RegistrationStatus.CONFIRMED],
        "waitlisted": registrations[RegistrationStatus.WAITLISTED],
        "cancelled": registrations[RegistrationStatus.CANCELLED],
        "checked_in_count": sum(1 for r in registrations[RegistrationStatus.CONFIRMED] if r.checked_in_at),
        "photos": photos,
        "log": [
            (entry, entry.get_action_display(), LOG_COMMENTS.get(entry.comment, entry.comment))
            for entry in activity.log.select_related("actor", "registration").order_by("-created_at", "-id")
        ],
        "cancel_form": cancel_form or CancelForm(),
        "complete_form": complete_form
        or CompleteForm(
            photos_already=len(photos),
            initial={"summary": activity.summary, "walk_in_count": activity.walk_in_count},
        ),
        # The buttons of the page: what the states table allows now, and only to those who may change it.
        "allowed": table_allows if can_change else frozenset(),
        # The QR screen and the paper sheet only show: whoever may see the activity gets them.
        "shows_checkin": ActivityAction.CHECK_IN in table_allows,
        "max_photos": MAX_PHOTOS,
        "status_names": dict(ActivityStatus.choices),
    }
    return render(request, "activities/staff/detail.html", context, status=status)


@activity_staff_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(activities_for(request.user, Action.VIEW), pk=pk)
    return _detail_page(request, activity)


def _changeable(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(activities_for(request.user, Action.CHANGE), pk=pk)


@activity_staff_required
@require_POST
def activity_publish(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _changeable(request, pk)
    try:
        services.activity_publish(activity=activity, actor=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已发布，会员现在可以报名了。"))
    return redirect(_detail_url(activity))


@activity_staff_required
@require_POST
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _changeable(request, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.activity_cancel(activity=activity, actor=acting_user(request), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("活动已取消，报名和候补的人会收到短信通知。"))
            return redirect(_detail_url(activity))
    return _detail_page(request, activity, cancel_form=form, status=400)


@activity_staff_required
@require_POST
def activity_complete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _changeable(request, pk)
    form = CompleteForm(request.POST, request.FILES, photos_already=activity.photos.count())
    if form.is_valid():
        try:
            services.activity_complete(
                activity=activity,
                actor=acting_user(request),
                summary=form.cleaned_data["summary"],
                walk_in_count=form.cleaned_data["walk_in_count"] or 0,
                photos=form.cleaned_data["photos"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已记录活动小结，活动会显示在组织的公开页面上。"))
            return redirect(_detail_url(activity))
    return _detail_page(request, activity, complete_form=form, status=400)


@activity_staff_required
@require_POST
def registration_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(registrations_for(request.user, Action.CHANGE), pk=pk)
    try:
        services.checkin_manual(registration=registration, actor=acting_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已为 %(name)s 签到。") % {"name": registration.name})
    return redirect(f"{_detail_url(registration.activity)}#registrations")


# ---------------------------------------------------------------------------------------------------------
# At the event: the rotating QR code, and the paper sheet


def checkin_path(activity: Activity, token: str) -> str:
    try:
        base = reverse("activities:checkin", kwargs={"pk": activity.pk})
    except NoReverseMatch:
        base = f"/activities/{activity.pk}/checkin/"
    return f"{base}?t={token}"


def qr_svg(text: str) -> str:
    """The QR code as an inline SVG element (no image request, no external asset, no inline style)."""
    return segno.make(text, error="m").svg_inline(
        scale=1, border=2, omitsize=True, dark="#000", light="#fff", svgclass="checkin-qr", lineclass=None
    )


@activity_staff_required
def checkin_screen(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(selectors.with_registration_counts(activities_for(request.user, Action.VIEW)), pk=pk)
    now = timezone.now()
    showing = ActivityAction.CHECK_IN in allowed_actions(activity, now=now)
    context = {
        "activity": activity,
        "showing": showing,
        # One second after the window turns, so the reload always gets the new code.
        "refresh_seconds": seconds_until_rotation(now) + 1,
    }
    if showing:
        checkin_url = request.build_absolute_uri(checkin_path(activity, current_checkin_token(activity, now)))
        context.update({"checkin_url": checkin_url, "qr_svg": qr_svg(checkin_url)})
    response = render(request, "activities/staff/checkin_screen.html", context)
    response["Cache-Control"] = "no-store"
    return response


@activity_staff_required
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(activities_for(request.user, Action.VIEW), pk=pk)
    registrations = selectors.registrations_of(activity)
    confirmed = registrations[RegistrationStatus.CONFIRMED]
    phones = phone_visibility_for(request.user, [r.person for r in confirmed if r.person])
    for registration in cast("list[WithAnnotations[Registration, PhoneShownWhole]]", confirmed):
        registration.phone_shown_whole = phones.sees_all or (
            registration.person is not None and phones.shows_whole(registration.person)
        )
    context = {
        "activity": activity,
        "confirmed": confirmed,
        "blank_rows": range(max(5, activity.capacity - len(confirmed)) if activity.capacity < 200 else 10),
    }
    return render(request, "activities/staff/attendance_sheet.html", context)


# ---------------------------------------------------------------------------------------------------------
# Figures


@activity_staff_required
def figures(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    results = selectors.organization_figures(
        organizations=organizations_for(user, Action.LIST),
        regions=regions_for(user, Action.VIEW),
        today=today,
    )
    page = Paginator(results.organizations, FIGURES_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "months": results.months,
        "regions": results.regions,
        "page": page,
        "inactive_since": selectors.inactive_since(today),
    }
    return render(request, "activities/staff/figures.html", context)


@activity_staff_required
def inactive_members(request: HttpRequest) -> HttpResponse:
    user = request.user
    organization_id = request.GET.get("org") or ""
    organization = get_object_or_404(organizations_for(user, Action.LIST), pk=id_param(organization_id) or 0)
    since = selectors.inactive_since(timezone.localdate())
    persons = selectors.inactive_members(
        persons=persons_for(user, Action.VIEW), organization=organization, since=since
    ).order_by("name", "id")
    page = Paginator(persons, INACTIVE_PAGE_SIZE).get_page(request.GET.get("page"))
    phones = phone_visibility_for(user, page.object_list)
    for person in page.object_list:
        person.phone_shown_whole = phones.shows_whole(person)
    context = {"organization": organization, "page": page, "since": since}
    return render(request, "activities/staff/inactive_members.html", context)
