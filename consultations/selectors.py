"""Reads of the consultation loop for the staff pages, each in a fixed number of queries whatever the data size."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from consultations.filters import ENDED, OPEN, IssueQueueFilter
from consultations.models import (
    AgendaItem,
    AgendaOutcome,
    Assignment,
    Issue,
    Meeting,
    MeetingState,
    Rating,
    Transition,
)
from consultations.scoping import LIVE_ASSIGNMENT_STATES, issues_for, meetings_for
from consultations.states import FINAL_STATES, STAFF_QUEUE_STATES, TRANSITIONS, IssueAction, IssueState
from members.models import Membership, Person
from members.scoping import persons_for
from orgs.models import Organization
from portal.pagination import CappedCountPaginator
from portal.scoping import Action, AnyUser
from portal.workdays import latest_start_with_working_days

S = IssueState
A = IssueAction

# A submitted issue waiting longer than this for triage is overdue.
TRIAGE_WORKING_DAYS = 2
RHYTHM_MONTHS = 12

# The actions village staff take from the issue page; the meeting page records the outcomes of deliberation.
STAFF_ISSUE_ACTIONS = (
    A.ACCEPT,
    A.REJECT,
    A.MERGE,
    A.PUT_ON_AGENDA,
    A.RESOLVE_IN_VILLAGE,
    A.ASSIGN,
    A.CONFIRM_DONE,
    A.SEND_BACK,
    A.PUBLISH,
    A.REOPEN,
)


# ---------------------------------------------------------------------------------------------------------
# Work queue


@dataclass
class WorkQueue:
    filter: IssueQueueFilter
    tab: str
    issues: QuerySet[Issue]
    counts: dict[str, int]
    overdue_count: int
    # Rows of the ended tab up to the paginator's cap + 1 (more than the cap: there are more).
    ended_counted: int = 0

    @property
    def ended_capped(self) -> bool:
        return self.ended_counted > CappedCountPaginator.cap

    @property
    def tab_counted(self) -> int:
        """The rows of the chosen tab, as its paginator counts them, from the counts already made."""
        return self.ended_counted if self.tab == ENDED else self.counts[self.tab]


def triage_overdue_before(today: datetime.date) -> datetime.datetime:
    """Issues submitted before this moment have waited more than TRIAGE_WORKING_DAYS working days."""
    last_overdue_day = latest_start_with_working_days(today, TRIAGE_WORKING_DAYS + 1)
    return timezone.make_aware(
        datetime.datetime.combine(last_overdue_day + datetime.timedelta(days=1), datetime.time.min)
    )


def _live_assignments() -> QuerySet[Assignment]:
    return Assignment.objects.filter(issue=OuterRef("pk"), state__in=LIVE_ASSIGNMENT_STATES).order_by("-assigned_at")


def _overdue(today: datetime.date) -> Q:
    """Untriaged past the triage days, or with a live assignment past its deadline."""
    late = Assignment.objects.filter(issue=OuterRef("pk"), state__in=LIVE_ASSIGNMENT_STATES, deadline__lt=today)
    return Q(state=S.SUBMITTED, state_changed_at__lt=triage_overdue_before(today)) | (
        Q(state=S.ASSIGNED) & Q(Exists(late))
    )


def with_queue_annotations(issues: QuerySet[Issue], *, today: datetime.date) -> QuerySet[Issue]:
    """Adds live_deadline, live_department and is_overdue, all computed by the database."""
    triage_cutoff = triage_overdue_before(today)
    return issues.annotate(
        live_deadline=Subquery(_live_assignments().values("deadline")[:1]),
        live_department=Subquery(_live_assignments().values("department__name")[:1], output_field=CharField()),
        live_promised_on=Subquery(_live_assignments().values("promised_on")[:1]),
    ).annotate(
        is_overdue=Case(
            When(Q(state=S.SUBMITTED, state_changed_at__lt=triage_cutoff), then=Value(True)),
            # The state first: the database then looks for the deadline of assigned issues only, not of every
            # issue it sorts.
            When(Q(state=S.ASSIGNED) & Q(live_deadline__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def issue_work_queue(*, user: AnyUser, filters: Mapping[str, object] | None) -> WorkQueue:
    """The issues in the user's scope for one tab of the queue, overdue first, with a count per state."""
    queue_filter = IssueQueueFilter(filters or None, queryset=issues_for(user, Action.LIST), user=user)
    filtered = queue_filter.qs
    counts = dict.fromkeys(S.values, 0)
    today = timezone.localdate()
    # Issues still moving are the work at hand: counted exactly, per state, in one pass over the (region, state)
    # index. The ended ones are the whole history: counted up to the paginator's cap, then "more than N".
    live = filtered.filter(state__in=STAFF_QUEUE_STATES).order_by()
    totals = live.aggregate(
        **{f"n_{state}": Count("pk", filter=Q(state=state)) for state in STAFF_QUEUE_STATES},
        overdue=Count("pk", filter=_overdue(today)),
    )
    for state in STAFF_QUEUE_STATES:
        counts[state] = totals[f"n_{state}"]
    counts[OPEN] = sum(counts[state] for state in STAFF_QUEUE_STATES)
    overdue_count = totals["overdue"]
    ended = CappedCountPaginator(filtered.filter(state__in=FINAL_STATES), 1)
    counts[ENDED] = ended.count

    tab = queue_filter.chosen_tab
    if tab == OPEN:
        in_tab = filtered.filter(state__in=STAFF_QUEUE_STATES)
    elif tab == ENDED:
        in_tab = filtered.filter(state__in=FINAL_STATES)
    else:
        in_tab = filtered.filter(state=tab)
    # An ended issue is never overdue: its tab keeps the same order without computing it for the whole history.
    ordering = ("state_changed_at", "pk") if tab == ENDED else ("-is_overdue", "state_changed_at", "pk")
    issues = with_queue_annotations(in_tab, today=today).select_related("entered_by").order_by(*ordering)
    return WorkQueue(
        filter=queue_filter,
        tab=tab,
        issues=issues,
        counts=counts,
        overdue_count=overdue_count,
        ended_counted=ended.counted,
    )


# ---------------------------------------------------------------------------------------------------------
# Issue page


@dataclass
class IssueFile:
    issue: Issue
    photos: list
    transitions: list[Transition]
    agenda_items: list[AgendaItem]
    assignments: list[Assignment]
    merged_issues: list[Issue]
    latest_rating: str | None
    notices: list
    actions: list[IssueAction] = field(default_factory=list)


def staff_actions_for(issue: Issue, *, latest_rating: str | None) -> list[IssueAction]:
    """The actions the issue's state allows, read from TRANSITIONS; reopening also needs an unsatisfied rating."""
    actions = [action for action in STAFF_ISSUE_ACTIONS if issue.state in TRANSITIONS[action][0]]
    if A.REOPEN in actions and latest_rating != Rating.UNSATISFIED:
        actions.remove(A.REOPEN)
    return actions


def issue_file(*, issue: Issue) -> IssueFile:
    """Everything the staff page of one issue shows, in one query per kind of row."""
    latest_feedback = issue.feedback.order_by("-created_at").values_list("rating", flat=True).first()
    return IssueFile(
        issue=issue,
        photos=list(issue.photos.all()),
        transitions=list(issue.transitions.order_by("created_at", "id")),
        agenda_items=list(issue.agenda_items.select_related("meeting").order_by("meeting__scheduled_at", "id")),
        assignments=list(
            issue.assignments.select_related("department", "assigned_by", "handled_by")
            .prefetch_related("attachments")
            .order_by("assigned_at", "id")
        ),
        merged_issues=list(issue.merged_issues.order_by("created_at")),
        latest_rating=latest_feedback,
        notices=list(issue.notices.order_by("-published_at").prefetch_related("feedback")),
        actions=staff_actions_for(issue, latest_rating=latest_feedback),
    )


def merge_targets(*, user: AnyUser, issue: Issue) -> QuerySet[Issue]:
    """Open issues of the same organization that a duplicate can be merged into."""
    return (
        issues_for(user, Action.CHANGE)
        .filter(organization_id=issue.organization_id)
        .exclude(pk=issue.pk)
        .exclude(state__in=FINAL_STATES)
        .order_by("-created_at")
    )


def scheduled_meetings_of(*, user: AnyUser, organization_id: int) -> QuerySet[Meeting]:
    return (
        meetings_for(user, Action.CHANGE)
        .filter(organization_id=organization_id, state=MeetingState.SCHEDULED)
        .order_by("scheduled_at")
    )


def accepted_issues_of(*, user: AnyUser, organizations: QuerySet[Organization] | Sequence[int]) -> QuerySet[Issue]:
    """Accepted issues waiting for a meeting, oldest first."""
    return (
        issues_for(user, Action.CHANGE)
        .filter(organization__in=organizations, state=S.ACCEPTED)
        .order_by("organization__name", "state_changed_at")
    )


# ---------------------------------------------------------------------------------------------------------
# Meetings


@dataclass
class RhythmRow:
    organization: Organization
    cells: list[RhythmCell]

    @property
    def missing_this_month(self) -> bool:
        return not self.cells[-1].held and not self.cells[-1].scheduled


@dataclass
class RhythmCell:
    month: datetime.date
    held: int
    scheduled: int


def rhythm_months(today: datetime.date, count: int = RHYTHM_MONTHS) -> list[datetime.date]:
    """The first day of the last `count` months, oldest first, this month last."""
    months = []
    year, month = today.year, today.month
    for _i in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def meeting_rhythm(
    *, organizations: Sequence[Organization], today: datetime.date, months: int = RHYTHM_MONTHS
) -> list[RhythmRow]:
    """For each organization, how many 议事会 were held (and are scheduled) in each of the last months: one query."""
    first_days = rhythm_months(today, months)
    since = timezone.make_aware(datetime.datetime.combine(first_days[0], datetime.time.min))
    tally = (
        Meeting.objects.filter(organization__in=[org.pk for org in organizations], scheduled_at__gte=since)
        .exclude(state=MeetingState.CANCELLED)
        .annotate(month=TruncMonth("scheduled_at"))
        .order_by()
        .values("organization_id", "month")
        .annotate(
            held=Count("pk", filter=Q(state=MeetingState.HELD)),
            scheduled=Count("pk", filter=Q(state=MeetingState.SCHEDULED)),
        )
    )
    by_key = {}
    for row in tally:
        month = row["month"]
        # TruncMonth answers the first midnight of the month in Beijing: its date there, whatever tz it carries.
        month_day = timezone.localdate(month) if isinstance(month, datetime.datetime) else month
        by_key[(row["organization_id"], month_day)] = (row["held"], row["scheduled"])
    return [
        RhythmRow(
            organization=org,
            cells=[RhythmCell(month, *by_key.get((org.pk, month), (0, 0))) for month in first_days],
        )
        for org in organizations
    ]


def _agenda_count(**conditions: object) -> Coalesce:
    counted = (
        AgendaItem.objects.filter(meeting_id=OuterRef("pk"), **conditions)
        .order_by()
        .values("meeting_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def meeting_list(*, user: AnyUser) -> QuerySet[Meeting]:
    """Newest first. The agenda is counted per listed meeting (a subquery run for the page's rows only): a join
    grouped by meeting counted the agenda of every meeting of the scope before the newest could be taken."""
    return (
        meetings_for(user, Action.LIST)
        .annotate(agenda_count=_agenda_count(), pending_count=_agenda_count(outcome=AgendaOutcome.PENDING))
        .order_by("-scheduled_at", "-pk")
    )


def meeting_agenda(*, meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda.select_related("issue").order_by("position", "id"))


def roster_of(*, user: AnyUser, organization: Organization) -> QuerySet[Person]:
    """Persons with a current membership in the organization: who can be marked present at its meeting."""
    current = Membership.objects.current().filter(person=OuterRef("pk"), organization=organization)
    return persons_for(user, Action.LIST).filter(Exists(current)).order_by("name", "pk")


def _month_has_meeting(organization: Organization, month: datetime.date) -> bool:
    """A meeting held or to come in that Beijing month (a cancelled one leaves the month free)."""
    first = month.replace(day=1)
    after = _next_month(first)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(after, datetime.time.min))
    return (
        Meeting.objects.filter(organization=organization, scheduled_at__gte=start, scheduled_at__lt=end)
        .exclude(state=MeetingState.CANCELLED)
        .exists()
    )


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _month_title(organization: Organization, month: datetime.date) -> str:
    from django.utils.translation import gettext as _

    return _("%(org)s%(year)d年%(month)d月月度协商议事会") % {
        "org": organization.name,
        "year": month.year,
        "month": month.month,
    }


def default_meeting_title(*, organization: Organization, when: datetime.date) -> str:
    """The name a meeting on `when` gets when staff leave it blank: its month's, unless that month already has
    its meeting; then one named by the day, so that two meetings never carry the same month's name."""
    from django.utils.translation import gettext as _

    if not _month_has_meeting(organization, when):
        return _month_title(organization, when)
    return _("%(org)s%(month)d月%(day)d日协商议事会") % {"org": organization.name, "month": when.month, "day": when.day}


def proposed_meeting_title(*, organization: Organization, today: datetime.date) -> str:
    """What the new-meeting form proposes: this month's meeting if the month has none, else next month's,
    else a neutral name."""
    from django.utils.translation import gettext as _

    for month in (today, _next_month(today)):
        if not _month_has_meeting(organization, month):
            return _month_title(organization, month)
    return _("%(org)s协商议事会") % {"org": organization.name}


def default_assignment_days() -> int:
    return settings.ASSIGNMENT_DEFAULT_WORKING_DAYS
