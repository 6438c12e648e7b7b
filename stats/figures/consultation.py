"""Consultation figures of the focus: issues raised by category, channel, state and month; the resolved count
(consultations.counters, the same figure as the home page and the organization page); the three rates of a
12345-style report; the average working days of each stage of the loop; overdue assignments and meetings held."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import counters
from consultations.models import (
    Assignment,
    AssignmentState,
    Feedback,
    Issue,
    IssueCategory,
    IssueChannel,
    Meeting,
    PublicNotice,
    Rating,
    Transition,
)
from consultations.stages import STAGE_ENDED_BY, STAGES, TRIAGE_ACTIONS
from consultations.states import IssueState, MeetingState
from portal.workdays import WorkdayCalendar
from stats.periods import Period
from stats.scoping import Focus
from stats.tables import Chart, Row, Table, choice_rows, rate, with_total

RESPONSE_WORKING_DAYS = 2
LIVE_ASSIGNMENTS = (AssignmentState.OPEN, AssignmentState.ACKNOWLEDGED)


def _raised_in(period: Period, field: str = "created_at") -> Q:
    return Q(**{f"{field}__gte": period.starts_at, f"{field}__lt": period.ends_at})


def _compared(issues: QuerySet[Issue], field: str, period: Period) -> tuple[dict, dict]:
    before = period.year_before
    rows = (
        issues.filter(_raised_in(period) | _raised_in(before))
        .order_by()
        .values(field)
        .annotate(now=Count("pk", filter=_raised_in(period)), then=Count("pk", filter=_raised_in(before)))
    )
    return {row[field]: row["now"] for row in rows}, {row[field]: row["then"] for row in rows}


def _raised_definition(period: Period) -> str:
    return _("%(start)s 至 %(end)s（北京时间）提交的议题，含代录，与上年同期比较。") % {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def issues_by(*, issues: QuerySet[Issue], period: Period, field: str) -> Table:
    choices, title = {
        "category": (IssueCategory.choices, _("议题（按类别）")),
        "channel": (IssueChannel.choices, _("议题（按渠道）")),
        "state": (IssueState.choices, _("议题（按目前状态）")),
    }[field]
    now, then = _compared(issues, field, period)
    return Table(
        key=f"issues_{field}",
        title=title,
        definition=_raised_definition(period),
        headers=(_("分类"), _("本期"), _("上年同期")),
        rows=with_total(choice_rows(choices, now, then), _("合计")),
    )


def issues_by_month(*, issues: QuerySet[Issue], period: Period) -> Table:
    before = period.year_before
    tz = timezone.get_current_timezone()
    counts = dict(
        issues.filter(_raised_in(period) | _raised_in(before))
        .order_by()
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    by_month = {(when.year, when.month): n for when, n in counts.items()}
    rows = tuple(
        Row(f"{year:04d}-{month:02d}", (by_month.get((year, month), 0), by_month.get((year - 1, month), 0)))
        for year, month in period.months()
    )
    return Table(
        key="issues_month",
        title=_("议题（按月）"),
        definition=_raised_definition(period) + _("首尾两月只计期内的日子。"),
        headers=(_("月份"), _("本期"), _("上年同月")),
        rows=rows,
        chart=Chart.LINE,
    )


def resolved_count(focus: Focus) -> int:
    """已解决议题: the kept counter, the very figure of the home page, the board and the organization page."""
    if focus.organization is not None:
        return counters.resolved_issue_count(organization=focus.organization)
    return counters.resolved_issue_count(region=focus.region)


def _response(issues: QuerySet[Issue], period: Period, today: datetime.date) -> tuple[int, int]:
    """(triaged within 2 working days, issues that were due to be) for the issues raised in the period."""
    tz = timezone.get_current_timezone()
    first_triage = (
        Transition.objects.filter(issue=OuterRef("pk"), action__in=TRIAGE_ACTIONS)
        .order_by()
        .values("issue")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    grouped = (
        issues.filter(_raised_in(period))
        .order_by()
        .annotate(raised=TruncDate("created_at", tzinfo=tz), triaged=TruncDate(Subquery(first_triage), tzinfo=tz))
        .values_list("raised", "triaged")
        .annotate(n=Count("pk"))
    )
    pairs = list(grouped)
    if not pairs:
        return 0, 0
    days = [day for raised, triaged, _n in pairs for day in (raised, triaged or today)]
    calendar = WorkdayCalendar([*days, today])
    in_time = due = 0
    for raised, triaged, n in pairs:
        waited = calendar.between(raised, triaged or today)
        if triaged is not None and waited <= RESPONSE_WORKING_DAYS:
            in_time += n
            due += n
        elif waited > RESPONSE_WORKING_DAYS:
            due += n
    return in_time, due


def _on_time(assignments: QuerySet[Assignment], period: Period, today: datetime.date) -> QuerySet:
    tz = timezone.get_current_timezone()
    return (
        assignments.filter(_raised_in(period, "assigned_at"))
        .exclude(state=AssignmentState.RETURNED)
        .annotate(answered_day=TruncDate("answered_at", tzinfo=tz))
        .filter(Q(answered_at__isnull=False) | Q(deadline__lt=today))
    )


def _on_time_counts(rows: QuerySet) -> dict:
    return rows.aggregate(due=Count("pk"), in_time=Count("pk", filter=Q(answered_day__lte=F("deadline"))))


def _satisfaction(issues: QuerySet[Issue], period: Period) -> tuple[int, int]:
    rated = Feedback.objects.filter(issue__in=issues.values("pk")).filter(_raised_in(period))
    figures = rated.aggregate(
        rated=Count("pk"), satisfied=Count("pk", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY_SATISFIED]))
    )
    return figures["satisfied"], figures["rated"]


def rates(*, issues: QuerySet[Issue], assignments: QuerySet[Assignment], period: Period, today: datetime.date) -> Table:
    rows = []
    figures = {}
    for which, span in (("now", period), ("then", period.year_before)):
        figures[which] = (
            _response(issues, span, today),
            _on_time_counts(_on_time(assignments, span, today)),
            _satisfaction(issues, span),
        )
    labels = (_("响应率"), _("按时答复率"), _("满意率"))
    for index, label in enumerate(labels):
        values = []
        for which in ("now", "then"):
            response, on_time, satisfaction = figures[which]
            part, whole = (response, (on_time["in_time"], on_time["due"]), satisfaction)[index]
            values.append(rate(part, whole))
        rows.append(Row(label, tuple(values)))
    return Table(
        key="rates",
        title=_("办理三率"),
        definition=_(
            "响应率：本期提交、已满2个工作日（或已处理）的议题中，提交后2个工作日内受理、不予受理或合并的比例。"
            "按时答复率：本期交办、已答复或已过期限的交办件（退回的除外）中，在办理期限当天或之前答复的比例。"
            "满意率：本期的评价中“满意”和“基本满意”所占比例。"
        ),
        headers=(_("指标"), _("本期（%）"), _("上年同期（%）")),
        rows=tuple(rows),
        percent=True,
    )


def _stage_spans(issues: QuerySet[Issue], period: Period) -> dict[str, list[tuple[datetime.date, datetime.date, int]]]:
    """Per end action, (start day, end day, how many) of the stage passages that ended in the period: one query,
    grouped by action and the pair of days, so its rows are bounded by the days of the period, not by the number
    of issues. The start is the one the service wrote on the ending transition (consultations/stages.py)."""
    tz = timezone.get_current_timezone()
    rows = (
        Transition.objects.filter(_raised_in(period), action__in=list(STAGE_ENDED_BY), stage_started_at__isnull=False)
        .filter(issue__in=issues.values("pk"))
        .order_by()
        .annotate(start=TruncDate("stage_started_at", tzinfo=tz), end=TruncDate("created_at", tzinfo=tz))
        .values_list("action", "start", "end")
        # Not Count("pk"): the columns counted are all in the index transition_stage_end, read without the table.
        .annotate(n=Count("*"))
    )
    spans: dict[str, list[tuple[datetime.date, datetime.date, int]]] = {}
    for action, start, end, n in rows:
        spans.setdefault(action, []).append((start, end, n))
    return spans


def stage_days(*, issues: QuerySet[Issue], period: Period, today: datetime.date) -> Table:
    """Average working days of each stage of the loop, for the passages that ended in the period and a year before:
    one query per period and one for the working-day calendar."""
    by_action = {which: _stage_spans(issues, span) for which, span in (("now", period), ("then", period.year_before))}
    spans = {
        (index, which): [row for action in stage.ends for row in by_action[which].get(action, [])]
        for index, stage in enumerate(STAGES)
        for which in ("now", "then")
    }
    days = [day for rows in spans.values() for start, end, _n in rows for day in (start, end)]
    calendar = WorkdayCalendar([*days, today])

    def average(rows: list[tuple[datetime.date, datetime.date, int]]) -> tuple[float | None, int]:
        passed = sum(n for _start, _end, n in rows)
        if not passed:
            return None, 0
        return round(sum(calendar.between(start, end) * n for start, end, n in rows) / passed, 1), passed

    table_rows = []
    for index, stage in enumerate(STAGES):
        now, passed_now = average(spans[(index, "now")])
        then, passed_then = average(spans[(index, "then")])
        table_rows.append(Row(str(stage.label), (now, passed_now, then, passed_then)))
    return Table(
        key="stage_days",
        title=_("各环节平均用时（工作日）"),
        definition=_(
            "本期内结束的每一次环节经过，自环节开始到结束相隔的工作日（节假日和调休按工作日历），取平均；同一天内完成为0。"
            "受理：提交到受理、不予受理或合并；村民协商：受理（或重新受理）到形成共识、村内解决或结束协商；"
            "共识提交：形成共识到提交职能部门；部门处理：提交部门到部门答复办结（含退回重办的时间）；"
            "结果公示：确认办结到发布结果公示。"
        ),
        headers=(_("环节"), _("本期（工作日）"), _("本期件数"), _("上年同期（工作日）"), _("上年同期件数")),
        rows=tuple(table_rows),
    )


def departments(*, assignments: QuerySet[Assignment], period: Period, today: datetime.date) -> Table:
    due = dict(_on_time(assignments, period, today).order_by().values_list("department__name").annotate(n=Count("pk")))
    in_time = dict(
        _on_time(assignments, period, today)
        .filter(answered_day__lte=F("deadline"))
        .order_by()
        .values_list("department__name")
        .annotate(n=Count("pk"))
    )
    overdue = dict(
        assignments.filter(state__in=LIVE_ASSIGNMENTS, deadline__lt=today)
        .order_by()
        .values_list("department__name")
        .annotate(n=Count("pk"))
    )
    names = sorted(set(due) | set(overdue))
    rows = tuple(
        Row(
            name,
            (
                due.get(name, 0),
                in_time.get(name, 0),
                rate(in_time.get(name, 0), due.get(name, 0)),
                overdue.get(name, 0),
            ),
        )
        for name in names
    )
    return Table(
        key="departments",
        title=_("职能部门办理"),
        definition=_(
            "本期交办、已答复或已过期限的交办件，按期答复的件数和比例；“超期未办”为今天仍未答复且已过办理期限的交办件，不论何时交办。"
        ),
        headers=(_("部门"), _("应答复"), _("按期答复"), _("按时答复率（%）"), _("超期未办")),
        rows=rows,
        chart=Chart.NONE,
    )


def meetings_by_month(*, meetings: QuerySet[Meeting], organizations: int, period: Period) -> Table:
    tz = timezone.get_current_timezone()
    rows = (
        meetings.filter(state=MeetingState.HELD)
        .filter(_raised_in(period, "scheduled_at"))
        .order_by()
        .annotate(month=TruncMonth("scheduled_at", tzinfo=tz))
        .values_list("month")
        .annotate(n=Count("pk"), hosts=Count("organization", distinct=True))
    )
    by_month = {(when.year, when.month): (n, hosts) for when, n, hosts in rows}
    table_rows = []
    for year, month in period.months():
        n, hosts = by_month.get((year, month), (0, 0))
        table_rows.append(Row(f"{year:04d}-{month:02d}", (n, hosts, max(organizations - hosts, 0))))
    return Table(
        key="meetings",
        title=_("月度协商议事会"),
        definition=_(
            "每月已召开的议事会（已取消的不算）和召开过议事会的组织数；“未召开”为本地区运行中的同心荟减去召开过的组织。"
        ),
        headers=(_("月份"), _("议事会"), _("召开的组织"), _("未召开的同心荟")),
        rows=tuple(table_rows),
    )


REPORT_NOTICES = 100


def resolved_notices_in(focus: Focus, period: Period) -> tuple[list[PublicNotice], int]:
    """The results on the board published in the period (the counter's definition, newest first): the first
    REPORT_NOTICES of them, and how many there are."""
    notices = counters.resolved_notices(organization=focus.organization, region=focus.region).filter(
        _raised_in(period, "published_at")
    )
    return list(notices[:REPORT_NOTICES]), notices.count()
