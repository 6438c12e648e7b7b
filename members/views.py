"""Roster pages for the people who keep rosters: village and town staff, district admins.

Every queryset comes from members.scoping / orgs.scoping; single objects are fetched from a scoped
queryset so that guessing an id outside one's scope answers 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from members import selectors, services
from members.filters import RosterFilter
from members.forms import (
    ContactLogForm,
    MembershipAddForm,
    MembershipChangeRoleForm,
    MembershipEndForm,
    PersonCreateForm,
    PersonForm,
    parse_day,
)
from members.models import Membership, Person
from members.scoping import (
    ROSTER_KEEPERS,
    can_see_full_phone,
    contact_assignments_for,
    contact_logs_for,
    cross_appointments_for,
    memberships_for,
    persons_for,
    phone_visibility_for,
    public_offices_for,
)
from orgs.models import Region
from orgs.scoping import organizations_for, regions_for
from portal.pagination import CappedCountPaginator
from portal.scoping import Action, AnyUser
from portal.staff_access import acting_user, role_required

ROSTER_PAGE_SIZE = 50
GROWTH_PAGE_SIZE = 30

# Members and department handlers get 403.
roster_keeper_required = role_required(
    *ROSTER_KEEPERS, refusal=gettext_lazy("人员名册仅对村、镇街工作人员和统战部管理员开放。")
)


# ---------------------------------------------------------------------------------------------------------
# Roster list


@roster_keeper_required
def roster(request: HttpRequest) -> HttpResponse:
    user = request.user
    persons = persons_for(user, Action.LIST)
    organizations = organizations_for(user, Action.LIST).order_by("name")
    roster_filter = RosterFilter(
        request.GET or None,
        queryset=persons,
        organizations=organizations,
        occupations=selectors.roster_occupations(persons=persons),
        user=user,
    )
    rows = selectors.roster_rows(user=user, persons=roster_filter.qs.order_by("name", "id"))
    page = CappedCountPaginator(rows, ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    visibility = phone_visibility_for(user, page.object_list)
    for person in page.object_list:
        person.phone_shown_whole = visibility.shows_whole(person)
    context = {
        "filter": roster_filter,
        "page": page,
        "can_add": organizations_for(user, Action.CHANGE).exists(),
        "filters_open": any(
            request.GET.get(key)
            for key in (
                "organization",
                "role",
                "joined_after",
                "joined_before",
                "stratum",
                "occupation",
                "representative",
            )
        )
        or request.GET.get("status") not in (None, "", "current"),
    }
    return render(request, "members/roster.html", context)


# ---------------------------------------------------------------------------------------------------------
# Person detail and contact logs


def _person_page(
    request: HttpRequest, person: Person, contact_log_form: ContactLogForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    memberships = (
        memberships_for(user, Action.VIEW)
        .filter(person=person)
        .annotate(
            is_open=Case(When(left_on__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("is_open", "-joined_on", "-id")
    )
    changeable_membership_ids = set(
        memberships_for(user, Action.CHANGE).filter(person=person, left_on__isnull=True).values_list("pk", flat=True)
    )
    can_change = persons_for(user, Action.CHANGE).filter(pk=person.pk).exists()
    if contact_log_form is None and can_change:
        contact_log_form = ContactLogForm(default_contacted_by=str(user))
    context = {
        "person": person,
        "phone_shown_whole": can_see_full_phone(user, person),
        "memberships": memberships,
        "changeable_membership_ids": changeable_membership_ids,
        "public_offices": public_offices_for(user, Action.VIEW).filter(person=person),
        "cross_appointments": cross_appointments_for(user, Action.VIEW).filter(person=person),
        "contact_assignments": contact_assignments_for(user, Action.VIEW).filter(person=person),
        "contact_logs": contact_logs_for(user, Action.VIEW).filter(person=person).order_by("-occurred_on", "-id"),
        "can_change": can_change,
        "can_add_membership": can_change and organizations_for(user, Action.CHANGE).exists(),
        "contact_log_form": contact_log_form,
    }
    return render(request, "members/person_detail.html", context, status=status)


@roster_keeper_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(persons_for(request.user, Action.VIEW), pk=pk)
    return _person_page(request, person)


@roster_keeper_required
@require_POST
def contact_log_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(persons_for(request.user, Action.CHANGE), pk=pk)
    form = ContactLogForm(request.POST, default_contacted_by=str(request.user))
    if form.is_valid():
        try:
            services.contact_log_add(person=person, actor=acting_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已添加联系记录。"))
            return redirect(f"{person_url(person)}#contact-logs")
    return _person_page(request, person, contact_log_form=form, status=400)


def person_url(person: Person) -> str:
    return reverse("members:person_detail", kwargs={"pk": person.pk})


# ---------------------------------------------------------------------------------------------------------
# Adding and editing people


def _person_regions(user: AnyUser) -> QuerySet[Region]:
    return regions_for(user, Action.VIEW).order_by("path")


@roster_keeper_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    organizations = organizations_for(user, Action.CHANGE).order_by("name")
    if not organizations.exists():
        raise PermissionDenied(_("您的负责范围内还没有组织，无法登记人员。"))
    form = PersonCreateForm(
        request.POST or None,
        regions=_person_regions(user),
        organizations=organizations,
        initial={"region": getattr(user, "region_id", None)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.person_create(
                actor=acting_user(request),
                profile=form.profile(),
                organization=data["organization"],
                role=data["role"],
                joined_on=data["joined_on"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已登记 %(name)s。") % {"name": person.name})
            return redirect(person_url(person))
    return render(
        request,
        "members/person_form.html",
        {"form": form, "title": _("登记人员")},
        status=400 if form.is_bound else 200,
    )


@roster_keeper_required
@require_http_methods(["GET", "POST"])
def person_update(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(persons_for(request.user, Action.CHANGE), pk=pk)
    # A phone the user may only see masked is not put whole into the form either.
    phone_editable = can_see_full_phone(request.user, person)
    form = PersonForm(request.POST or None, instance=person, regions=_person_regions(request.user))
    if not phone_editable:
        del form.fields["phone"]
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, actor=acting_user(request), changes=form.changes())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已保存 %(name)s 的信息。") % {"name": person.name})
            return redirect(person_url(person))
    return render(
        request,
        "members/person_form.html",
        {"form": form, "person": person, "title": _("修改人员信息"), "phone_hidden": not phone_editable},
        status=400 if form.is_bound else 200,
    )


# ---------------------------------------------------------------------------------------------------------
# Memberships


@roster_keeper_required
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(persons_for(request.user, Action.CHANGE), pk=pk)
    organizations = organizations_for(request.user, Action.CHANGE).order_by("name")
    form = MembershipAddForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(person=person, actor=acting_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("已将 %(name)s 加入 %(organization)s。")
                % {"name": person.name, "organization": form.cleaned_data["organization"].name},
            )
            return redirect(person_url(person))
    return render(
        request,
        "members/membership_form.html",
        {"form": form, "person": person, "title": _("加入组织"), "submit_label": _("保存")},
        status=400 if form.is_bound else 200,
    )


def _open_membership(request: HttpRequest, pk: int) -> Membership:
    return get_object_or_404(memberships_for(request.user, Action.CHANGE), pk=pk)


def _membership_step(request: HttpRequest, pk: int, *, form_class, service, done: str, page: dict) -> HttpResponse:
    """One step on an open membership (change role, end it): the form, the service, the way back."""
    membership = _open_membership(request, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(membership=membership, actor=acting_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect(person_url(membership.person))
    context = {"form": form, "person": membership.person, "membership": membership, **page}
    return render(request, "members/membership_form.html", context, status=400 if form.is_bound else 200)


@roster_keeper_required
@require_http_methods(["GET", "POST"])
def membership_change_role(request: HttpRequest, pk: int) -> HttpResponse:
    return _membership_step(
        request,
        pk,
        form_class=MembershipChangeRoleForm,
        service=services.membership_change_role,
        done=_("已变更职务，原职务记录已保留。"),
        page={"title": _("变更职务"), "submit_label": _("变更职务")},
    )


@roster_keeper_required
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _membership_step(
        request,
        pk,
        form_class=MembershipEndForm,
        service=services.membership_end,
        done=_("已办理退出，会籍记录已保留。"),
        page={"title": _("办理退出"), "submit_label": _("确认退出"), "danger": True},
    )


# ---------------------------------------------------------------------------------------------------------
# Growth over time


@roster_keeper_required
def growth(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    on_date = min(parse_day(request.GET.get("on"), today), today)
    organizations = organizations_for(request.user, Action.LIST).order_by("region__path", "name")
    page = Paginator(organizations, GROWTH_PAGE_SIZE).get_page(request.GET.get("page"))
    organizations_on_page = list(page.object_list)
    counts = selectors.organization_member_counts_on(
        organizations=organizations.filter(pk__in=[org.pk for org in organizations_on_page]), on_date=on_date
    )
    series = selectors.organization_member_series(organizations=organizations_on_page, today=today)
    rows = [(item, counts.get(item.organization.pk, 0)) for item in series]
    return render(
        request,
        "members/growth.html",
        {
            "page": page,
            "rows": rows,
            "on_date": on_date,
            "today": today,
            "total_on_date": sum(counts.values()),
        },
    )
