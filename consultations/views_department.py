"""Pages of the department handlers (职能部门经办人): the issues handed to their department, and the answer.

Everything comes from consultations.scoping.assignments_for, so a handler never sees an issue that was not
handed to their department (guessing an id answers 404). State changes go through consultations.services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from consultations import services
from consultations.forms_department import AnswerForm, InterimReplyForm, ReturnForm
from consultations.models import Assignment, AssignmentState
from consultations.scoping import LIVE_ASSIGNMENT_STATES, assignments_for, submitter_phone_for
from consultations.services import TransitionNotAllowed
from portal.accounts.roles import Role
from portal.scoping import Action
from portal.staff_access import acting_user, role_required
from portal.workdays import WorkdayCalendar

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

ASSIGNMENTS_PER_PAGE = 20
# "即将到期": due within this many working days.
DUE_SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class Tab:
    key: str
    label: StrOrPromise
    states: tuple[str, ...]
    ordering: tuple[str, ...]


# Live work first, earliest deadline on top: what is overdue comes first by itself.
TABS = (
    Tab("open", gettext_lazy("待签收"), (AssignmentState.OPEN,), ("deadline", "id")),
    Tab("acknowledged", gettext_lazy("办理中"), (AssignmentState.ACKNOWLEDGED,), ("deadline", "id")),
    Tab("answered", gettext_lazy("已答复"), (AssignmentState.ANSWERED,), ("-answered_at", "-id")),
    Tab("returned", gettext_lazy("已退回"), (AssignmentState.RETURNED,), ("-returned_at", "-id")),
)
TABS_BY_KEY = {tab.key: tab for tab in TABS}


# Department handlers only: a superuser has no department, so no queue to work either; everyone else gets 403.
handler_required = role_required(
    Role.DEPARTMENT_HANDLER, refusal=gettext_lazy("这里是职能部门经办人的工作页面。"), superusers=False
)


# ---------------------------------------------------------------------------------------------------------
# Deadlines in Chinese working days


@dataclass(frozen=True)
class DeadlineStatus:
    overdue: bool
    overdue_working_days: int
    due_soon: bool
    working_days_left: int


class WithDeadlineStatus(TypedDict):
    """What the queue hangs on each assignment of the page for its template."""

    deadline_status: DeadlineStatus


def deadline_status(assignment: Assignment, calendar: WorkdayCalendar, today: datetime.date) -> DeadlineStatus:
    if assignment.state not in LIVE_ASSIGNMENT_STATES:
        return DeadlineStatus(overdue=False, overdue_working_days=0, due_soon=False, working_days_left=0)
    if assignment.deadline < today:
        return DeadlineStatus(
            overdue=True,
            overdue_working_days=calendar.between(assignment.deadline, today),
            due_soon=False,
            working_days_left=0,
        )
    left = calendar.between(today, assignment.deadline)
    return DeadlineStatus(
        overdue=False, overdue_working_days=0, due_soon=left <= DUE_SOON_WORKING_DAYS, working_days_left=left
    )


# ---------------------------------------------------------------------------------------------------------
# The queue


def _tab_counts(assignments: QuerySet[Assignment], today: datetime.date) -> dict[str, int]:
    """How many in each tab, and how many live ones are overdue, in one query."""
    aggregates = {tab.key: Count("pk", filter=Q(state__in=tab.states)) for tab in TABS}
    aggregates["overdue"] = Count("pk", filter=Q(state__in=LIVE_ASSIGNMENT_STATES, deadline__lt=today))
    return assignments.order_by().aggregate(**aggregates)


@handler_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    tab = TABS_BY_KEY.get(request.GET.get("tab", ""), TABS[0])
    assignments = assignments_for(request.user, Action.LIST)
    counts = _tab_counts(assignments, today)
    rows = assignments.filter(state__in=tab.states).order_by(*tab.ordering)
    paginator = Paginator(rows, ASSIGNMENTS_PER_PAGE)
    # The tab's count is already made: a second COUNT over the department's whole history would cost as much again.
    paginator.count = counts[tab.key]
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    calendar = WorkdayCalendar([today, *(assignment.deadline for assignment in page.object_list)])
    for assignment in cast("list[WithAnnotations[Assignment, WithDeadlineStatus]]", page.object_list):
        assignment.deadline_status = deadline_status(assignment, calendar, today)
    context = {
        "tabs": [(each, counts[each.key]) for each in TABS],
        "tab": tab,
        "page": page,
        "overdue_count": counts["overdue"],
        "department": getattr(request.user, "department", None),
        "today": today,
    }
    return render(request, "consultations/department/queue.html", context)


# ---------------------------------------------------------------------------------------------------------
# One assignment


def _assignment_page(
    request: HttpRequest,
    assignment: Assignment,
    *,
    answer_form: AnswerForm | None = None,
    return_form: ReturnForm | None = None,
    interim_form: InterimReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    issue = assignment.issue
    today = timezone.localdate()
    is_live = assignment.state in LIVE_ASSIGNMENT_STATES
    phone_shown = submitter_phone_for(request.user, issue)
    context = {
        "assignment": assignment,
        "issue": issue,
        "photos": list(issue.photos.all()),
        "attachments": list(assignment.attachments.all()),
        "timeline": list(issue.transitions.filter(is_public=True).order_by("created_at", "id")),
        "submitter_phone": phone_shown,
        "phone_whole": phone_shown == issue.submitter_phone,
        "deadline_status": deadline_status(assignment, WorkdayCalendar([today, assignment.deadline]), today),
        "is_live": is_live,
        "can_acknowledge": assignment.state == AssignmentState.OPEN,
        "answer_form": answer_form or (AnswerForm() if is_live else None),
        "return_form": return_form or (ReturnForm() if is_live else None),
        "interim_form": interim_form or (InterimReplyForm() if is_live else None),
    }
    return render(request, "consultations/department/assignment.html", context, status=status)


def _visible_assignment(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(
        assignments_for(request.user, Action.VIEW).select_related("issue__region", "assigned_by"), pk=pk
    )


def assignment_url(assignment: Assignment) -> str:
    return reverse("department:assignment", kwargs={"pk": assignment.pk})


@handler_required
@require_GET
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _assignment_page(request, _visible_assignment(request, pk))


def _refused(request: HttpRequest, assignment: Assignment, error: Exception) -> HttpResponse:
    """Someone else acted first (a colleague answered, the village withdrew it): say so and show the page anew."""
    assignment.refresh_from_db(fields=["state"])
    if assignment.state not in LIVE_ASSIGNMENT_STATES:
        messages.error(
            request,
            _("这件交办现在是“%(state)s”状态，可能已被同事处理，请查看最新情况。")
            % {"state": assignment.get_state_display()},
        )
    else:
        messages.error(request, _error_text(error))
    return redirect(assignment_url(assignment))


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    text = str(error)
    return text or _("操作未能完成，请刷新页面后再试。")


@handler_required
@require_POST
def assignment_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _visible_assignment(request, pk)
    try:
        services.assignment_acknowledge(assignment=assignment, actor=acting_user(request))
    except (TransitionNotAllowed, PermissionDenied, ValidationError) as error:
        return _refused(request, assignment, error)
    messages.success(request, _("已签收。请在办理期限内答复。"))
    return redirect(assignment_url(assignment))


@handler_required
@require_POST
def assignment_answer(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _visible_assignment(request, pk)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.assignment_answer(
                assignment=assignment,
                actor=acting_user(request),
                answer=form.cleaned_data["answer"],
                attachments=[checked.as_service_tuple() for checked in form.cleaned_data["attachments"]],
            )
        except ValidationError as error:
            form.add_service_error(error)
        except (TransitionNotAllowed, PermissionDenied) as error:
            return _refused(request, assignment, error)
        else:
            messages.success(request, _("已答复。村里确认办理完成后议题办结，并发布结果公示。"))
            return redirect(assignment_url(assignment))
    return _assignment_page(request, assignment, answer_form=form, status=400)


@handler_required
@require_POST
def assignment_interim_reply(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _visible_assignment(request, pk)
    form = InterimReplyForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_interim_reply(
                assignment=assignment,
                actor=acting_user(request),
                reply=form.cleaned_data["reply"],
                promised_on=form.cleaned_data["promised_on"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        except (TransitionNotAllowed, PermissionDenied) as error:
            return _refused(request, assignment, error)
        else:
            messages.success(
                request,
                _("已阶段性答复，承诺 %(date)s 前办结。办结后请再作最终答复。")
                % {"date": form.cleaned_data["promised_on"].isoformat()},
            )
            return redirect(assignment_url(assignment))
    return _assignment_page(request, assignment, interim_form=form, status=400)


@handler_required
@require_POST
def assignment_return(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _visible_assignment(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_return(
                assignment=assignment, actor=acting_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        except (TransitionNotAllowed, PermissionDenied) as error:
            return _refused(request, assignment, error)
        else:
            messages.success(request, _("已退回村里，退回理由已告知。"))
            return redirect(assignment_url(assignment))
    return _assignment_page(request, assignment, return_form=form, status=400)
