"""The village staff's side of the loop: work queue, issue triage, issues entered on a villager's behalf, 议事会.

Views parse, check the scope (consultations.scoping), call consultations.services and render. Single objects
come from scoped querysets, so guessing an id outside one's scope answers 404. A service that finds the issue
already moved on (a colleague acted first) raises TransitionNotAllowed; its Chinese message is shown as is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consultations import selectors, services
from consultations.filters import ENDED, TAB_CHOICES
from consultations.forms_staff import (
    CLOSE,
    AcceptForm,
    AddIssuesForm,
    AgendaForm,
    AssignForm,
    AttendanceForm,
    ConfirmDoneForm,
    ConsensusForm,
    IssueEnterForm,
    MeetingCancelForm,
    MeetingForm,
    MeetingOrganizationForm,
    MergeForm,
    NoConsensusForm,
    PublishForm,
    RejectForm,
    ReopenForm,
    ResolveForm,
    SendBackForm,
    StaffForm,
    TallyCorrectionForm,
)
from consultations.models import AgendaItem, AgendaOutcome, Issue, Meeting, MeetingState
from consultations.scoping import LOOP_STAFF, issues_for, meetings_for, submitter_phone_for
from consultations.services import TransitionNotAllowed
from consultations.states import IssueAction, MeetingAction, meeting_actions_allowed
from members.models import Person
from orgs.scoping import departments_for, organizations_for
from portal.accounts.models import User
from portal.pagination import CappedCountPaginator
from portal.query_params import id_param
from portal.scoping import Action
from portal.staff_access import acting_user, role_required

if TYPE_CHECKING:
    from django.forms.utils import ErrorList
    from django_stubs_ext import WithAnnotations

A = IssueAction
QUEUE_PAGE_SIZE = 30
RHYTHM_PAGE_SIZE = 30
RECENT_MEETINGS = 20


# The staff who run the loop; handlers and members get 403.
loop_staff_required = role_required(
    *LOOP_STAFF, refusal=gettext_lazy("议题工作台仅对村、镇街工作人员和统战部管理员开放。")
)


def issue_url(issue: Issue) -> str:
    return reverse("staff_issues:detail", kwargs={"pk": issue.pk})


def meeting_url(meeting: Meeting) -> str:
    return reverse("staff_issues:meeting_detail", kwargs={"pk": meeting.pk})


# ---------------------------------------------------------------------------------------------------------
# Work queue


@loop_staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    work = selectors.issue_work_queue(user=request.user, filters=request.GET)
    page = CappedCountPaginator(work.issues, QUEUE_PAGE_SIZE, counted=work.tab_counted).get_page(
        request.GET.get("page")
    )
    data = work.filter.form.data if work.filter.is_bound else {}
    filters_open = any(
        data.get(key) for key in ("organization", "category", "channel", "submitted_after", "submitted_before")
    )
    context = {
        "filter": work.filter,
        "page": page,
        "tab": work.tab,
        "tabs": [
            (value, label, f"{work.counts[value]}+" if value == ENDED and work.ended_capped else work.counts[value])
            for value, label in TAB_CHOICES
        ],
        "overdue_count": work.overdue_count,
        "filters_open": filters_open,
        "can_enter": organizations_for(request.user, Action.CHANGE).exists(),
    }
    return render(request, "consultations/staff/queue.html", context)


# ---------------------------------------------------------------------------------------------------------
# One issue: its file and the actions its state allows

ACTION_FORMS: dict[IssueAction, type[StaffForm]] = {
    A.ACCEPT: AcceptForm,
    A.REJECT: RejectForm,
    A.MERGE: MergeForm,
    A.PUT_ON_AGENDA: AgendaForm,
    A.RESOLVE_IN_VILLAGE: ResolveForm,
    A.ASSIGN: AssignForm,
    A.CONFIRM_DONE: ConfirmDoneForm,
    A.SEND_BACK: SendBackForm,
    A.PUBLISH: PublishForm,
    A.REOPEN: ReopenForm,
}


def _action_form(action: IssueAction, *, user: User, issue: Issue, data: Any = None) -> StaffForm:
    kwargs: dict[str, Any] = {"prefix": str(action)}
    if action == A.MERGE:
        kwargs["targets"] = selectors.merge_targets(user=user, issue=issue)
    elif action == A.PUT_ON_AGENDA:
        kwargs["meetings"] = selectors.scheduled_meetings_of(user=user, organization_id=issue.organization_id)
    elif action == A.ASSIGN:
        kwargs["departments"] = departments_for(user, Action.VIEW).filter(is_active=True)
    elif action == A.PUBLISH:
        kwargs["initial"] = PublishForm.initial_for(issue)
    return ACTION_FORMS[action](data, **kwargs)


def _perform(action: IssueAction, *, issue: Issue, actor: User, data: dict[str, Any]) -> tuple[str, str]:
    """Calls the service of the action; returns the success message and where to go next."""
    if action == A.ACCEPT:
        services.issue_accept(issue=issue, actor=actor, comment=data["comment"])
        return _("已受理，议题进入待协商。"), issue_url(issue)
    if action == A.REJECT:
        services.issue_reject(issue=issue, actor=actor, reason=data["reason"])
        return _("已不予受理，理由将告知反映人。"), issue_url(issue)
    if action == A.MERGE:
        into = data["into"]
        services.issue_merge(issue=issue, into=into, actor=actor, comment=data["comment"])
        return _("已合并到议题 %(code)s，两位反映人都会收到短信。") % {"code": into.receipt_code}, issue_url(into)
    if action == A.PUT_ON_AGENDA:
        meeting = data["meeting"]
        services.meeting_add_issue(meeting=meeting, issue=issue, actor=actor)
        return _("已列入“%(meeting)s”的议程。") % {"meeting": meeting.title}, issue_url(issue)
    if action == A.RESOLVE_IN_VILLAGE:
        services.issue_resolve_in_village(issue=issue, actor=actor, resolution=data["resolution"])
        return _("已记录村内解决，可以发布结果公示了。"), issue_url(issue)
    if action == A.ASSIGN:
        assignment = services.issue_assign(
            issue=issue,
            actor=actor,
            department=data["department"],
            working_days=data["working_days"],
            instructions=data["instructions"],
        )
        return _("已交%(department)s办理，期限 %(deadline)s。") % {
            "department": assignment.department.name,
            "deadline": assignment.deadline.isoformat(),
        }, issue_url(issue)
    if action == A.CONFIRM_DONE:
        services.issue_confirm_done(issue=issue, actor=actor, comment=data["comment"])
        return _("已确认办结，可以发布结果公示了。"), issue_url(issue)
    if action == A.SEND_BACK:
        assignment = services.issue_send_back(issue=issue, actor=actor, reason=data["reason"])
        return _("已退回%(department)s重办，期限 %(deadline)s。部门经办人和反映人都会收到通知。") % {
            "department": assignment.department.name,
            "deadline": assignment.deadline.isoformat(),
        }, issue_url(issue)
    if action == A.PUBLISH:
        notice = services.issue_publish(
            issue=issue, actor=actor, title=data["title"], body=data["body"], period_days=data["period_days"]
        )
        return _("已发布结果公示，公示期 %(days)d 天。") % {"days": notice.period_days}, issue_url(issue)
    if action == A.REOPEN:
        services.issue_reopen(issue=issue, actor=actor, reason=data["reason"])
        return _("已重新受理，议题回到待协商。"), issue_url(issue)
    raise Http404


def _issue_in_scope(request: HttpRequest, pk: int) -> Issue:
    scoped = issues_for(request.user, Action.VIEW).select_related("entered_by", "submitter_user", "merged_into")
    return get_object_or_404(scoped, pk=pk)


def _issue_page(
    request: HttpRequest,
    issue: Issue,
    *,
    bound: StaffForm | None = None,
    bound_action: IssueAction | None = None,
    status: int = 200,
) -> HttpResponse:
    user = acting_user(request)
    file = selectors.issue_file(issue=issue)
    action_forms = [
        (
            action,
            bound if action == bound_action and bound is not None else _action_form(action, user=user, issue=issue),
        )
        for action in file.actions
    ]
    if bound is not None and bound_action is not None and bound_action not in file.actions:
        # The service refused an action the page no longer offers: keep the form so its message shows.
        action_forms.append((bound_action, bound))
    live_assignment = next(
        (each for each in reversed(file.assignments) if each.state in ("open", "acknowledged")), None
    )
    context = {
        "issue": issue,
        "file": file,
        "action_forms": action_forms,
        "open_action": bound_action,
        "submitter_phone": submitter_phone_for(user, issue),
        "live_assignment": live_assignment,
        "today": timezone.localdate(),
        "default_deadline": services.assignment_deadline(_previewed_days(bound if bound_action == A.ASSIGN else None))
        if A.ASSIGN in file.actions
        else None,
        "current_meeting": file.agenda_items[-1].meeting if file.agenda_items else None,
    }
    return render(request, "consultations/staff/detail.html", context, status=status)


@loop_staff_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _issue_page(request, _issue_in_scope(request, pk))


@loop_staff_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        chosen = IssueAction(action)
    except ValueError:
        raise Http404 from None
    if chosen not in ACTION_FORMS:
        raise Http404
    issue = _issue_in_scope(request, pk)
    form = _action_form(chosen, user=acting_user(request), issue=issue, data=request.POST)
    if not form.is_valid():
        return _issue_page(request, issue, bound=form, bound_action=chosen, status=400)
    try:
        done, next_url = _perform(chosen, issue=issue, actor=acting_user(request), data=form.cleaned_data)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
        return redirect(issue_url(issue))
    except PermissionDenied as error:
        form.add_error(None, str(error) or _("您不能执行这个操作。"))
        return _issue_page(request, issue, bound=form, bound_action=chosen, status=403)
    except ValidationError as error:
        form.add_service_error(error)
        return _issue_page(request, issue, bound=form, bound_action=chosen, status=400)
    messages.success(request, done)
    return redirect(next_url)


def _previewed_days(form: StaffForm | None) -> int:
    """The working days the assign form shows: what staff typed when the form came back with an error (the
    preview beside it must show that deadline, not the default's), else the default."""
    if form is not None:
        try:
            days = int(form["working_days"].value())
        except (TypeError, ValueError):
            days = 0
        if 1 <= days <= 90:
            return days
    return selectors.default_assignment_days()


@loop_staff_required
@require_GET
def deadline_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the deadline that N working days from today give, holidays and 调休 counted; the same function
    issue_assign saves with, so the preview is what will be saved."""
    raw = request.GET.get(f"{A.ASSIGN}-working_days") or request.GET.get("working_days") or ""
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if not 1 <= days <= 90:
        return HttpResponse(_("办理时限应在 1 到 90 个工作日之间。"))
    deadline = services.assignment_deadline(days)
    return render(request, "consultations/staff/_deadline.html", {"deadline": deadline, "days": days})


# ---------------------------------------------------------------------------------------------------------
# Entering an issue on a villager's behalf


@loop_staff_required
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest) -> HttpResponse:
    organizations = organizations_for(request.user, Action.CHANGE).filter(is_active=True).order_by("name")
    initial = {"organization": organizations.first()} if organizations.count() == 1 else {}
    form = IssueEnterForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_submit(entered_by=acting_user(request), **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                form.add_error("organization", str(error))
            else:
                form.add_service_error(error)
        else:
            messages.success(request, _("已代为录入，回执码 %(code)s，请告知反映人。") % {"code": issue.receipt_code})
            return redirect(issue_url(issue))
    return render(request, "consultations/staff/enter.html", {"form": form}, status=400 if form.is_bound else 200)


# ---------------------------------------------------------------------------------------------------------
# Meetings (议事会)


@loop_staff_required
@require_GET
def meetings(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organizations = organizations_for(request.user, Action.LIST).filter(is_active=True).order_by("region__path", "name")
    page = Paginator(organizations, RHYTHM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "months": selectors.rhythm_months(today),
        "rhythm": selectors.meeting_rhythm(organizations=list(page.object_list), today=today),
        "recent": list(selectors.meeting_list(user=request.user)[:RECENT_MEETINGS]),
        "now": timezone.now(),
        "can_schedule": organizations_for(request.user, Action.CHANGE).exists(),
    }
    return render(request, "consultations/staff/meetings.html", context)


@loop_staff_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organizations = organizations_for(user, Action.CHANGE).filter(is_active=True).order_by("name")
    chosen = None
    wanted = id_param(request.POST.get("organization") or request.GET.get("org"))
    if wanted is not None:
        chosen = organizations.filter(pk=wanted).first()
    else:
        only = list(organizations[:2])
        chosen = only[0] if len(only) == 1 else None
    # A meeting is one organization's: its agenda never lists a whole district's waiting issues.
    accepted = selectors.accepted_issues_of(user=user, organizations=[chosen.pk]) if chosen else Issue.objects.none()
    initial: dict[str, Any] = {}
    if chosen is not None:
        initial = {
            "organization": chosen,
            "title": selectors.proposed_meeting_title(organization=chosen, today=timezone.localdate()),
        }
    form = MeetingForm(request.POST or None, organizations=organizations, accepted=accepted, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        title = data["title"].strip() or selectors.default_meeting_title(
            organization=data["organization"], when=timezone.localdate(data["scheduled_at"])
        )
        try:
            meeting = services.meeting_schedule(
                organization=data["organization"],
                actor=user,
                title=title,
                scheduled_at=data["scheduled_at"],
                place=data["place"],
                issues=list(data["issues"]),
                recording_past=data["already_held"],
            )
        except TransitionNotAllowed as error:
            form.add_error("issues", str(error))
        except PermissionDenied as error:
            form.add_error("organization", str(error))
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("已安排“%(title)s”。") % {"title": meeting.title})
            return redirect(meeting_url(meeting))
    choose_first = chosen is None and not form.is_bound
    return render(
        request,
        "consultations/staff/meeting_form.html",
        {
            "form": form,
            "chosen": chosen,
            "organization_form": MeetingOrganizationForm(organizations=organizations) if choose_first else None,
        },
        status=400 if form.is_bound else 200,
    )


def _meeting_in_scope(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(meetings_for(request.user, Action.VIEW), pk=pk)


class AgendaItemForms(TypedDict):
    """What the meeting page hangs on each agenda item for its template."""

    refused_errors: ErrorList | list[str]
    consensus_form: StaffForm
    no_consensus_form: StaffForm
    tally_form: StaffForm | None
    open_form: str


def _meeting_page(
    request: HttpRequest, meeting: Meeting, *, bound: dict[str, StaffForm] | None = None, status: int = 200
) -> HttpResponse:
    user = acting_user(request)
    bound = bound or {}
    agenda = cast("list[WithAnnotations[AgendaItem, AgendaItemForms]]", selectors.meeting_agenda(meeting=meeting))
    for item in agenda:
        refused = bound.get(f"c{item.pk}") or bound.get(f"n{item.pk}")
        item.tally_form = None
        # An outcome a colleague recorded a moment ago: the item shows it, with why this one was refused.
        item.refused_errors = refused.non_field_errors() if refused is not None else []
        if item.outcome == AgendaOutcome.PENDING:
            item.consensus_form = bound.get(f"c{item.pk}") or ConsensusForm(prefix=f"c{item.pk}")
            item.no_consensus_form = bound.get(f"n{item.pk}") or NoConsensusForm(prefix=f"n{item.pk}")
            item.open_form = "n" if f"n{item.pk}" in bound else ("c" if f"c{item.pk}" in bound else "")
        elif item.outcome == AgendaOutcome.CONSENSUS and meeting.state != MeetingState.CANCELLED:
            item.tally_form = bound.get(f"t{item.pk}") or TallyCorrectionForm(
                prefix=f"t{item.pk}",
                initial={
                    "votes_for": item.votes_for,
                    "votes_against": item.votes_against,
                    "votes_abstain": item.votes_abstain,
                },
            )
            item.open_form = "t" if f"t{item.pk}" in bound else ""
    now = timezone.now()
    # The forms of the page are those the meeting's state allows (consultations/states.py).
    allowed = meeting_actions_allowed(meeting.state)
    add_form = None
    if MeetingAction.ADD_ISSUES in allowed:
        add_form = bound.get("add") or AddIssuesForm(
            prefix="add", accepted=selectors.accepted_issues_of(user=user, organizations=[meeting.organization_id])
        )
    attendance_form = None
    if MeetingAction.RECORD_ATTENDANCE in allowed and meeting.scheduled_at <= now:
        roster = selectors.roster_of(user=user, organization=meeting.organization)
        attendance_form = bound.get("attendance") or AttendanceForm(
            prefix="attendance",
            roster=roster,
            initial={
                "attendees": list(meeting.attendees.values_list("pk", flat=True)),
                "villagers_count": meeting.villagers_count,
                "department_reps_count": meeting.department_reps_count,
                "ufwd_reps_count": meeting.ufwd_reps_count,
                "minutes": meeting.minutes,
            },
        )
    # A refused cancellation is shown with its reason; otherwise the form is offered only while the table allows
    # it and no outcome is recorded yet (then the meeting took place, and meeting_cancel refuses).
    cancel_form = bound.get("cancel")
    untouched = all(item.outcome == AgendaOutcome.PENDING for item in agenda)
    if (
        cancel_form is None
        and MeetingAction.CANCEL in allowed
        and untouched
        and meetings_for(user, Action.CHANGE).filter(pk=meeting.pk).exists()
    ):
        cancel_form = MeetingCancelForm(prefix="cancel")
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "add_form": add_form,
        "attendance_form": attendance_form,
        "has_started": meeting.scheduled_at <= now,
        "attendee_count": meeting.attendees.count() if meeting.state == MeetingState.HELD else 0,
        "present_count": meeting.present_count() if meeting.state == MeetingState.HELD else 0,
        "attendees": _attendees_of(meeting),
        "corrections": list(meeting.corrections.select_related("actor")),
        "records_outcomes": MeetingAction.RECORD_OUTCOME in allowed,
        "cancel_form": cancel_form,
    }
    return render(request, "consultations/staff/meeting_detail.html", context, status=status)


@loop_staff_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, _meeting_in_scope(request, pk))


def _attendees_of(meeting: Meeting) -> list[Person]:
    """The members recorded present, by name: shown on the meeting page and printed in the minutes."""
    if meeting.state != MeetingState.HELD:
        return []
    return list(meeting.attendees.order_by("name", "pk").only("pk", "name"))


# Empty lines of the sign-in sheet for the villagers and representatives who come without being on the roster.
SIGN_IN_BLANK_ROWS = 15


@loop_staff_required
@require_GET
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """会议纪要 on A4: the meeting, who came, each agenda item's outcome and the minutes, to sign and file."""
    meeting = _meeting_in_scope(request, pk)
    context = {
        "meeting": meeting,
        "agenda": selectors.meeting_agenda(meeting=meeting),
        "attendees": _attendees_of(meeting),
        "present_count": meeting.present_count() if meeting.state == MeetingState.HELD else None,
    }
    return render(request, "consultations/staff/meeting_minutes.html", context)


@loop_staff_required
@require_GET
def meeting_sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """签到表 on A4: the organization's current members to sign beside their name, and empty lines for others."""
    meeting = _meeting_in_scope(request, pk)
    roster = list(selectors.roster_of(user=acting_user(request), organization=meeting.organization))
    context = {"meeting": meeting, "roster": roster, "blank_rows": range(SIGN_IN_BLANK_ROWS)}
    return render(request, "consultations/staff/meeting_sign_in.html", context)


def _meeting_step(
    request: HttpRequest, meeting: Meeting, key: str, form: StaffForm, call: Callable[[dict[str, Any]], str]
) -> HttpResponse:
    """Validates a form of the meeting page, calls the service, and answers with the page or its errors."""
    if form.is_valid():
        try:
            done = call(form.cleaned_data)
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
            return redirect(meeting_url(meeting))
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("您不能修改这个议事会。"))
            return _meeting_page(request, meeting, bound={key: form}, status=403)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect(meeting_url(meeting))
    return _meeting_page(request, meeting, bound={key: form}, status=400)


@loop_staff_required
@require_POST
def meeting_add_issues(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_in_scope(request, pk)
    user = acting_user(request)
    form = AddIssuesForm(
        request.POST,
        prefix="add",
        accepted=selectors.accepted_issues_of(user=user, organizations=[meeting.organization_id]),
    )

    def add(data: dict[str, Any]) -> str:
        for issue in data["issues"]:
            services.meeting_add_issue(meeting=meeting, issue=issue, actor=user)
        return _("已增加 %(count)d 个议题到议程。") % {"count": len(data["issues"])}

    return _meeting_step(request, meeting, "add", form, add)


@loop_staff_required
@require_POST
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_in_scope(request, pk)
    user = acting_user(request)
    form = AttendanceForm(
        request.POST, prefix="attendance", roster=selectors.roster_of(user=user, organization=meeting.organization)
    )

    def record(data: dict[str, Any]) -> str:
        services.meeting_record_attendance(
            meeting=meeting,
            actor=user,
            attendees=list(data["attendees"]),
            villagers_count=data["villagers_count"],
            department_reps_count=data["department_reps_count"],
            ufwd_reps_count=data["ufwd_reps_count"],
            minutes=data["minutes"],
            reason=data["reason"],
        )
        return _("已登记出席情况和会议纪要。")

    return _meeting_step(request, meeting, "attendance", form, record)


@loop_staff_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_in_scope(request, pk)
    user = acting_user(request)
    form = MeetingCancelForm(request.POST, prefix="cancel")

    def cancel(data: dict[str, Any]) -> str:
        services.meeting_cancel(meeting=meeting, actor=user, reason=data["reason"])
        return _("“%(title)s”已取消，议程上的议题已退回待协商，反映人会收到通知。") % {"title": meeting.title}

    return _meeting_step(request, meeting, "cancel", form, cancel)


def _agenda_item_in_scope(request: HttpRequest, pk: int) -> AgendaItem:
    items = AgendaItem.objects.filter(meeting__in=meetings_for(request.user, Action.VIEW)).select_related(
        "meeting", "meeting__organization", "issue"
    )
    return get_object_or_404(items, pk=pk)


@loop_staff_required
@require_POST
def agenda_consensus(request: HttpRequest, pk: int) -> HttpResponse:
    item = _agenda_item_in_scope(request, pk)
    user = acting_user(request)
    form = ConsensusForm(request.POST, prefix=f"c{item.pk}")

    def record(data: dict[str, Any]) -> str:
        services.agenda_record_consensus(item=item, actor=user, **data)
        return _("“%(title)s”已记录为达成共识，可以村内解决或提交职能部门。") % {"title": item.issue.title}

    return _meeting_step(request, item.meeting, f"c{item.pk}", form, record)


@loop_staff_required
@require_POST
def agenda_correct_tally(request: HttpRequest, pk: int) -> HttpResponse:
    item = _agenda_item_in_scope(request, pk)
    user = acting_user(request)
    form = TallyCorrectionForm(request.POST, prefix=f"t{item.pk}")

    def correct(data: dict[str, Any]) -> str:
        services.agenda_correct_tally(item=item, actor=user, **data)
        return _("“%(title)s”的表决票数已更正，更正记录在议题的办理记录里。") % {"title": item.issue.title}

    return _meeting_step(request, item.meeting, f"t{item.pk}", form, correct)


@loop_staff_required
@require_POST
def agenda_no_consensus(request: HttpRequest, pk: int) -> HttpResponse:
    item = _agenda_item_in_scope(request, pk)
    user = acting_user(request)
    form = NoConsensusForm(request.POST, prefix=f"n{item.pk}")

    def record(data: dict[str, Any]) -> str:
        close = data["then"] == CLOSE
        services.agenda_record_no_consensus(item=item, actor=user, note=data["note"], close=close)
        if close:
            return _("“%(title)s”未达成共识，协商结束。") % {"title": item.issue.title}
        return _("“%(title)s”未达成共识，已退回待协商，可列入下次议事会。") % {"title": item.issue.title}

    return _meeting_step(request, item.meeting, f"n{item.pk}", form, record)
