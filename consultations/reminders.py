"""What the consultation loop reminds people of, and when. Beat runs each sweep (consultations/tasks.py).

Every sweep is a plain function of `today` (or `now`): it reads only the rows that are due, through indexed
filters, and queues its messages together in one OutboxBatch (the same few queries for ten rows or ten
thousand), each under a key naming the event and, for repeated reminders, the day. Running a sweep twice, or
on two workers at once, finds the keys taken and sends nothing new. Staff and handlers are reminded on working
days only: nobody reads the office inbox during 国庆.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.handler_messages import TITLE_IN_SMS
from consultations.models import AgendaItem, AgendaOutcome, Assignment, Issue, Meeting, MeetingState
from consultations.scoping import LIVE_ASSIGNMENT_STATES
from consultations.services import notices_close_expired
from consultations.states import IssueState
from portal.notifications.audiences import handlers_by_department, staff_directory
from portal.notifications.kinds import Kind
from portal.notifications.outbox import OutboxBatch, Recipient
from portal.notifications.short_texts import clock, month_day, shorten, sms_fit
from portal.workdays import add_working_days, is_workday, latest_start_with_working_days

DUE_SOON_WORKING_DAYS = 3
ESCALATE_TO_TOWN_AFTER = 3  # overdue working days
ESCALATE_TO_DISTRICT_AFTER = 7
TRIAGE_WAITING_WORKING_DAYS = 2  # reminded once the wait is longer than this
MONTHLY_CHECK_DAY = 20

NAME_IN_SMS = 10
PLACE_IN_SMS = 12


def issue_tracking_url(issue: Issue) -> str:
    """The submitter's own page: printed on receipts, so it never changes."""
    return f"/issues/track/{issue.receipt_code}/"


def _local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


# ---- department handlers ---------------------------------------------------------------------------------------


def _assignments_to_remind(today: datetime.date) -> QuerySet[Assignment]:
    # Only live assignments with a deadline inside the window: the index on deadline keeps the rest unread.
    due_soon_until = add_working_days(today, DUE_SOON_WORKING_DAYS)
    return Assignment.objects.filter(state__in=LIVE_ASSIGNMENT_STATES, deadline__lte=due_soon_until).order_by(
        "deadline", "pk"
    )


def assignments_due_for_reminders(*, today: datetime.date) -> list[int]:
    """The ids of the assignments today's deadline reminders are about, in deadline order: what beat's task hands
    to the workers in chunks (consultations/tasks.py). None on a day off."""
    if not is_workday(today):
        return []
    return list(_assignments_to_remind(today).values_list("pk", flat=True))


@transaction.atomic
def assignments_remind_deadlines(*, today: datetime.date, ids: Collection[int] | None = None) -> int:
    """Due in 3 working days or less: once. Overdue: every working day. Still overdue after 3 working days:
    the town staff are told once; after 7, the district admin once. Returns the number of messages queued.

    `ids` limits the sweep to those assignments (one chunk of beat's task); any of them answered since it was
    chosen is passed over."""
    if not is_workday(today):
        return 0
    town_cutoff = latest_start_with_working_days(today, ESCALATE_TO_TOWN_AFTER)
    district_cutoff = latest_start_with_working_days(today, ESCALATE_TO_DISTRICT_AFTER)
    chosen = _assignments_to_remind(today)
    if ids is not None:
        chosen = chosen.filter(pk__in=sorted(ids))
    assignments = list(chosen.select_related("issue__region", "department"))
    if not assignments:
        return 0
    handlers = handlers_by_department(a.department_id for a in assignments)
    late = [a for a in assignments if a.deadline <= town_cutoff]
    staff = staff_directory(a.issue.region.path for a in late)
    # Every message of the sweep is written in one go: the same few queries for ten assignments or ten thousand.
    batch = OutboxBatch()
    for assignment in assignments:
        to_handlers = handlers[assignment.department_id]
        if assignment.deadline >= today:
            _tell_due_soon(batch, assignment, to_handlers)
            continue
        _tell_overdue(batch, assignment, to_handlers, today=today)
        path = assignment.issue.region.path
        if assignment.deadline <= town_cutoff:
            _tell_escalated(
                batch, assignment, staff.town_staff(path), level="town", overdue_days=ESCALATE_TO_TOWN_AFTER
            )
        if assignment.deadline <= district_cutoff:
            _tell_escalated(
                batch,
                assignment,
                staff.district_admins(path),
                level="district",
                overdue_days=ESCALATE_TO_DISTRICT_AFTER,
            )
    return len(batch.write())


def _round(assignment: Assignment) -> str:
    """An answer the village sent back to be redone starts the reminders again, for its new deadline: the
    once-only ones (due soon, escalated) carry the moment of the send-back in their key."""
    return "" if assignment.sent_back_at is None else f":redo:{assignment.sent_back_at.isoformat()}"


def _tell_due_soon(batch: OutboxBatch, assignment: Assignment, handlers) -> None:
    issue = assignment.issue
    deadline = month_day(assignment.deadline)
    batch.tell(
        handlers,
        kind=Kind.ASSIGNMENT_DUE_SOON,
        key=f"assignment:{assignment.pk}:due_soon{_round(assignment)}",
        subject=_("交办即将到期：%(title)s") % {"title": issue.title},
        body=_("交办的议题“%(title)s”（%(code)s）将于 %(deadline)s 到期，请抓紧办理并答复。")
        % {"title": issue.title, "code": issue.receipt_code, "deadline": deadline},
        sms=sms_fit(
            _("交办“%(title)s”将于%(deadline)s到期，请抓紧办理答复。")
            % {"title": shorten(issue.title, TITLE_IN_SMS), "deadline": deadline}
        ),
        url=reverse("department:assignment", kwargs={"pk": assignment.pk}),
    )


def _tell_overdue(batch: OutboxBatch, assignment: Assignment, handlers, *, today: datetime.date) -> None:
    issue = assignment.issue
    deadline = month_day(assignment.deadline)
    batch.tell(
        handlers,
        kind=Kind.ASSIGNMENT_OVERDUE,
        key=f"assignment:{assignment.pk}:overdue:{today.isoformat()}",
        subject=_("交办已超期：%(title)s") % {"title": issue.title},
        body=_("交办的议题“%(title)s”（%(code)s）办理期限为 %(deadline)s，现已超期，请尽快办理并答复。")
        % {"title": issue.title, "code": issue.receipt_code, "deadline": deadline},
        sms=sms_fit(
            _("交办“%(title)s”已超过%(deadline)s的期限，请尽快办理答复。")
            % {"title": shorten(issue.title, TITLE_IN_SMS), "deadline": deadline}
        ),
        url=reverse("department:assignment", kwargs={"pk": assignment.pk}),
    )


def _tell_escalated(batch: OutboxBatch, assignment: Assignment, staff, *, level: str, overdue_days: int) -> None:
    issue = assignment.issue
    values = {
        "title": issue.title,
        "code": issue.receipt_code,
        "department": assignment.department.name,
        "deadline": month_day(assignment.deadline),
        "days": overdue_days,
    }
    batch.tell(
        staff,
        kind=Kind.ASSIGNMENT_ESCALATED,
        key=f"assignment:{assignment.pk}:escalate:{level}{_round(assignment)}",
        subject=_("超期督办：%(title)s") % values,
        body=_(
            "%(department)s承办的议题“%(title)s”（%(code)s）办理期限为 %(deadline)s，已超期 %(days)d 个工作日以上"
            "仍未答复，请督促办理。"
        )
        % values,
        sms=sms_fit(
            _("%(department)s承办的“%(title)s”已超期%(days)d个工作日以上，请督办。")
            % {
                **values,
                "department": shorten(assignment.department.name, NAME_IN_SMS),
                "title": shorten(issue.title, TITLE_IN_SMS),
            }
        ),
        url=reverse("staff_issues:detail", kwargs={"pk": issue.pk}),
    )


# ---- village staff -----------------------------------------------------------------------------------------------


@transaction.atomic
def issues_remind_triage(*, today: datetime.date) -> int:
    """New issues still waiting for triage after more than 2 working days: their village staff, once."""
    if not is_workday(today):
        return 0
    submitted_by = latest_start_with_working_days(today, TRIAGE_WAITING_WORKING_DAYS + 1)
    _start, submitted_before = _local_day_bounds(submitted_by)
    issues = list(
        Issue.objects.filter(state=IssueState.SUBMITTED, state_changed_at__lt=submitted_before)
        .select_related("region")
        .order_by("state_changed_at", "pk")
    )
    staff = staff_directory(issue.region.path for issue in issues)
    batch = OutboxBatch()
    for issue in issues:
        values = {
            "title": issue.title,
            "code": issue.receipt_code,
            "submitted": month_day(timezone.localdate(issue.state_changed_at)),
        }
        batch.tell(
            staff.village_staff(issue.region.path),
            kind=Kind.TRIAGE_WAITING,
            key=f"issue:{issue.pk}:triage_waiting",
            subject=_("议题待受理：%(title)s") % values,
            body=_(
                "村民 %(submitted)s 反映的议题“%(title)s”（%(code)s）已超过 2 个工作日未受理，请及时受理或说明理由。"
            )
            % values,
            sms=sms_fit(
                _("议题“%(title)s”提交已超过2个工作日未受理，请及时处理。")
                % {"title": shorten(issue.title, TITLE_IN_SMS)}
            ),
            url=reverse("staff_issues:detail", kwargs={"pk": issue.pk}),
        )
    return len(batch.write())


def _monthly_check_due(today: datetime.date) -> bool:
    """Monthly checks go out on the first working day from the 20th; their keys hold them to once a month."""
    return today.day >= MONTHLY_CHECK_DAY and is_workday(today)


@transaction.atomic
def issues_remind_agenda(*, today: datetime.date) -> int:
    """Accepted issues that no meeting has taken up by the 20th: each organization's village staff, once a month.
    An accepted issue is by definition not on a pending agenda (putting it there makes it deliberating)."""
    if not _monthly_check_due(today):
        return 0
    waiting = list(
        Issue.objects.filter(state=IssueState.ACCEPTED)
        .values("organization_id", "organization__name", "organization__region__path")
        .annotate(count=Count("pk"))
        .order_by("organization_id")
    )
    staff = staff_directory(row["organization__region__path"] for row in waiting)
    month = today.strftime("%Y-%m")
    batch = OutboxBatch()
    for row in waiting:
        values = {"organization": row["organization__name"], "count": row["count"]}
        batch.tell(
            staff.village_staff(row["organization__region__path"]),
            kind=Kind.AGENDA_WAITING,
            key=f"organization:{row['organization_id']}:agenda_waiting:{month}",
            subject=_("%(organization)s有 %(count)d 件议题待列入议事会") % values,
            body=_("%(organization)s有 %(count)d 件已受理的议题尚未列入议事会议程，请在本月议事会上安排协商。")
            % values,
            sms=sms_fit(
                _("%(organization)s有%(count)d件已受理议题未列入议事会，请安排协商。")
                % {**values, "organization": shorten(row["organization__name"], NAME_IN_SMS)}
            ),
            url=reverse("staff_issues:queue") + f"?tab=accepted&organization={row['organization_id']}",
        )
    return len(batch.write())


# ---- the day before a meeting -------------------------------------------------------------------------------------


@transaction.atomic
def _meetings_tomorrow(today: datetime.date) -> QuerySet[Meeting]:
    starts, ends = _local_day_bounds(today + datetime.timedelta(days=1))
    return Meeting.objects.filter(
        state=MeetingState.SCHEDULED, scheduled_at__gte=starts, scheduled_at__lt=ends
    ).order_by("scheduled_at", "pk")


def meetings_due_tomorrow(*, today: datetime.date) -> list[int]:
    """The ids of the meetings held tomorrow: what beat's task hands to the workers in chunks."""
    return list(_meetings_tomorrow(today).values_list("pk", flat=True))


def meetings_remind_tomorrow(*, today: datetime.date, ids: Collection[int] | None = None) -> int:
    """The day before a 议事会: its village staff, and the submitters of the issues on its agenda, with time and
    place. The key carries the meeting's date, so a meeting moved to another day is announced again.

    `ids` limits the sweep to those meetings (one chunk of beat's task); any cancelled or moved since is passed
    over."""
    chosen = _meetings_tomorrow(today)
    if ids is not None:
        chosen = chosen.filter(pk__in=sorted(ids))
    meetings = list(chosen.select_related("organization__region"))
    if not meetings:
        return 0
    staff = staff_directory(meeting.organization.region.path for meeting in meetings)
    issues_by_meeting = _agenda_issues(meetings)
    batch = OutboxBatch()
    for meeting in meetings:
        _tell_meeting_staff(batch, meeting, staff.village_staff(meeting.organization.region.path))
        told: set[str] = set()
        for issue in issues_by_meeting[meeting.pk]:
            recipient = Recipient(user=issue.submitter_user, phone=issue.submitter_phone)
            if recipient.label in told:
                continue  # one reminder per person, however many of their issues are on the agenda
            told.add(recipient.label)
            _tell_meeting_submitter(batch, meeting, issue, recipient)
    return len(batch.write())


def _agenda_issues(meetings: list[Meeting]) -> dict[int, list[Issue]]:
    """The issues still waiting on each meeting's agenda, in agenda order, in one query."""
    by_meeting: dict[int, list[Issue]] = {meeting.pk: [] for meeting in meetings}
    for item in (
        AgendaItem.objects.filter(
            meeting__in=meetings, outcome=AgendaOutcome.PENDING, issue__state=IssueState.DELIBERATING
        )
        .select_related("issue__submitter_user")
        .order_by("position", "pk")
    ):
        by_meeting[item.meeting_id].append(item.issue)
    return by_meeting


def _meeting_values(meeting: Meeting) -> dict[str, str]:
    return {
        "organization": meeting.organization.name,
        "title": meeting.title,
        "when": clock(meeting.scheduled_at),
        "day": month_day(timezone.localdate(meeting.scheduled_at)),
        "place": meeting.place,
    }


def _tell_meeting_staff(batch: OutboxBatch, meeting: Meeting, staff) -> None:
    values = _meeting_values(meeting)
    batch.tell(
        staff,
        kind=Kind.MEETING_TOMORROW,
        key=f"meeting:{meeting.pk}:day_before:{timezone.localdate(meeting.scheduled_at).isoformat()}",
        subject=_("明天 %(when)s 召开%(title)s") % values,
        body=_("%(organization)s%(title)s定于明天（%(day)s）%(when)s在%(place)s召开，请做好议程和会场准备。") % values,
        sms=sms_fit(
            _("明天%(when)s在%(place)s召开%(organization)s议事会，请做好准备。")
            % {
                **values,
                "place": shorten(meeting.place, PLACE_IN_SMS),
                "organization": shorten(meeting.organization.name, NAME_IN_SMS),
            }
        ),
        url=reverse("staff_issues:meeting_detail", kwargs={"pk": meeting.pk}),
    )


def _tell_meeting_submitter(batch: OutboxBatch, meeting: Meeting, issue: Issue, recipient: Recipient) -> None:
    values = {**_meeting_values(meeting), "issue": issue.title, "code": issue.receipt_code}
    batch.add(
        kind=Kind.MEETING_TOMORROW,
        key=f"meeting:{meeting.pk}:day_before:{timezone.localdate(meeting.scheduled_at).isoformat()}",
        recipient=recipient,
        subject=_("明天 %(when)s 议事会协商您反映的议题") % values,
        body=_(
            "您反映的“%(issue)s”（回执码 %(code)s）将在明天（%(day)s）%(when)s于%(place)s召开的%(title)s上协商，"
            "欢迎列席。"
        )
        % values,
        sms=sms_fit(
            _("您反映的议题（回执码%(code)s）将于明天%(when)s在%(place)s议事会协商。")
            % {**values, "place": shorten(meeting.place, PLACE_IN_SMS)}
        ),
        url=issue_tracking_url(issue),
        region_path=meeting.organization.region.path,
    )


# ---- the end of a notice period ---------------------------------------------------------------------------------


def notices_close_and_request_rating(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """The sweep at the end of notice periods: consultations.services.notices_close_expired archives each due
    issue and, in the same transaction, asks its submitter to rate the result (once per notice)."""
    return notices_close_expired(now=now or timezone.now(), limit=limit)
