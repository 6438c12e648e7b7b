"""Each dashboard figure on small hand-made data, edges included: a member who left, an issue reopened, an issue
raised at 00:30 Beijing time on the first of a month."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Issue, Rating
from consultations.stages import stage_started_before
from members.models import Stratum
from orgs.models import OrganizationCategory, Recognition, RecognitionLevel
from stats.dashboard import dashboard
from stats.periods import Period, PeriodKind
from stats.scoping import Focus

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
FOUNDED = datetime.date(2019, 2, 28)
TODAY = datetime.date(2025, 6, 30)


def rows_of(table):
    return {row.label: row.values for row in table.rows}


def board_for(user, *, focus, period=None, today=TODAY):
    return dashboard(user=user, focus=focus, period=period or Period.of(PeriodKind.YEAR, today), today=today)


def grow_qingshan_like_seed_000(organization, enrol):
    """21 at founding (10 自由职业人员), 59 today (26 自由职业人员, 3 外籍观察员); 4 who joined later have left."""
    for index in range(21):
        enrol(organization, joined_on=FOUNDED, stratum=Stratum.FREELANCER if index < 10 else Stratum.NEW_MEDIA)
    later = [Stratum.FREELANCER] * 16 + [Stratum.FOREIGN_OBSERVER] * 3 + [Stratum.PRIVATE_ENTERPRISE] * 19
    for index, stratum in enumerate(later):
        enrol(organization, joined_on=datetime.date(2020 + index % 5, 6, 1), stratum=stratum)
    for _ in range(4):
        enrol(organization, joined_on=datetime.date(2020, 3, 1), left_on=datetime.date(2024, 3, 1))


def test_qingshan_shows_the_members_of_seed_000_by_stratum_and_since_founding(
    qingshan_tongxinhui, enrol, district_admin_yuhang
):
    grow_qingshan_like_seed_000(qingshan_tongxinhui, enrol)
    board = board_for(
        district_admin_yuhang, focus=Focus(region=qingshan_tongxinhui.region, organization=qingshan_tongxinhui)
    )

    members = rows_of(board.table("members"))
    assert members["合计"][0] == 59
    assert members["自由职业人员"][0] == 26
    assert members["外籍观察员"][0] == 3
    growth = board.table("growth")
    assert growth.rows[0].label == "2019-02-28"
    assert growth.rows[0].values == (21, 10)
    assert growth.rows[-1].label == TODAY.isoformat()
    assert growth.rows[-1].values == (59, 26)


def test_a_member_who_left_counts_until_the_day_before_and_the_year_before_is_compared(
    qingshan_tongxinhui, enrol, district_admin_yuhang
):
    enrol(qingshan_tongxinhui, joined_on=datetime.date(2023, 1, 1), left_on=TODAY, stratum=Stratum.NEW_MEDIA)
    enrol(qingshan_tongxinhui, joined_on=datetime.date(2025, 1, 1), stratum=Stratum.NEW_MEDIA)
    focus = Focus(region=qingshan_tongxinhui.region)

    on_the_last_day = rows_of(board_for(district_admin_yuhang, focus=focus).table("members"))
    the_day_before = rows_of(
        board_for(
            district_admin_yuhang,
            focus=focus,
            period=Period(PeriodKind.DATES, TODAY.replace(day=1), TODAY - datetime.timedelta(days=1)),
        ).table("members")
    )

    assert on_the_last_day["新媒体从业人员"] == (1, 1)  # today: the newcomer; a year before: the one who left
    assert the_day_before["新媒体从业人员"] == (2, 1)


def test_resolved_is_the_counter_of_the_organization_page_and_leaves_when_an_issue_is_reopened(
    client, issue_in_state, district_admin_yuhang, village_staff_qingshan, qingshan_tongxinhui, tree
):
    issue = issue_in_state("closed")
    issue_in_state("publicized")
    today = timezone.localdate()
    focus = Focus(region=qingshan_tongxinhui.region, organization=qingshan_tongxinhui)

    def resolved():
        board = board_for(district_admin_yuhang, focus=focus, today=today)
        return {headline.label: headline.value for headline in board.headlines}["已解决议题"]

    assert resolved() == 2
    organization_page = client.get(reverse("orgs:public_detail", kwargs={"slug": "qingshan"})).content.decode()
    assert 'data-testid="resolved-count">2<' in organization_page

    services.feedback_submit(issue=Issue.objects.get(pk=issue.pk), rating=Rating.UNSATISFIED, comment="灯又坏了")
    services.issue_reopen(issue=Issue.objects.get(pk=issue.pk), actor=village_staff_qingshan, reason="灯又坏了")
    assert resolved() == 1


@pytest.mark.any_hour
def test_an_issue_raised_at_half_past_midnight_beijing_time_counts_in_that_day_s_month(
    issue_factory, district_admin_yuhang, tree
):
    issue = issue_factory()
    half_past_midnight = datetime.datetime(2025, 6, 1, 0, 30, tzinfo=BEIJING)  # 2025-05-31 16:30 UTC
    Issue.objects.filter(pk=issue.pk).update(created_at=half_past_midnight)
    june = Period(PeriodKind.DATES, datetime.date(2025, 6, 1), datetime.date(2025, 6, 30))

    board = board_for(district_admin_yuhang, focus=Focus(region=tree.yuhang), period=june)

    assert rows_of(board.table("issues_month")) == {"2025-06": (1, 0)}
    assert rows_of(board.table("issues_category"))["道路交通与基础设施"] == (1, 0)
    may = Period(PeriodKind.DATES, datetime.date(2025, 5, 1), datetime.date(2025, 5, 31))
    assert rows_of(
        board_for(district_admin_yuhang, focus=Focus(region=tree.yuhang), period=may).table("issues_month")
    ) == {"2025-05": (0, 0)}


def test_the_three_rates_count_triage_answers_and_ratings(issue_in_state, district_admin_yuhang, tree):
    issue = issue_in_state("publicized")
    services.feedback_submit(issue=issue, rating=Rating.BASICALLY_SATISFIED)
    today = timezone.localdate()
    board = board_for(
        district_admin_yuhang, focus=Focus(region=tree.yuhang), period=Period.of(PeriodKind.MONTH, today), today=today
    )
    rates = rows_of(board.table("rates"))
    # Triaged at once, answered on the day it was assigned, rated 基本满意: every rate is 100 %; none a year before.
    assert rates == {"响应率": (100.0, None), "按时答复率": (100.0, None), "满意率": (100.0, None)}


def test_organizations_by_category_and_recognitions_by_year(
    qingshan_tongxinhui, wangweishan_tongxinhui, district_admin_yuhang, tree
):
    qingshan_tongxinhui.category = OrganizationCategory.INCUBATION
    qingshan_tongxinhui.save(update_fields=["category"])
    for organization, level, title in (
        (qingshan_tongxinhui, RecognitionLevel.NATIONAL, "全国新的社会阶层人士统战工作实践创新基地"),
        (wangweishan_tongxinhui, RecognitionLevel.PROVINCIAL, "省级实践创新基地"),
    ):
        Recognition.objects.create(organization=organization, level=level, title=title, year=2021)

    board = board_for(district_admin_yuhang, focus=Focus(region=tree.yuhang))

    assert rows_of(board.table("org_category"))["孵化型"] == (1, 1)
    assert rows_of(board.table("org_kind"))["同心荟"] == (2, 2)
    assert rows_of(board.table("recognitions"))["2021"][:2] == (1, 1)
    assert rows_of(board.table("towns")) == {"黄湖镇": (2,)}


def _dated(issue, moments: dict[str, datetime.datetime]) -> None:
    """The issue's trail, each action re-dated to the moment given (the rest of its trail left as it is), with
    the stage starts the service would have written had it happened then."""
    for action, moment in moments.items():
        issue.transitions.filter(action=action).update(created_at=moment)
    for transition in issue.transitions.all():
        transition.stage_started_at = stage_started_before(issue.pk, transition.action, transition.created_at)
        transition.save(update_fields=["stage_started_at"])


def _beijing(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2025, 3, day, hour, tzinfo=BEIJING)


def test_each_stage_of_the_loop_is_averaged_in_working_days_over_the_passages_that_ended_in_the_period(
    issue_in_state, district_admin_yuhang, tree
):
    # March 2025 has no holiday: 3 March is a Monday.
    quick = issue_in_state("publicized", title="村口路灯不亮")
    _dated(
        quick,
        {
            "submit": _beijing(3),
            "accept": _beijing(5),  # 2 working days
            "record_consensus": _beijing(10),  # 3 (6, 7, 10)
            "assign": _beijing(10, 16),  # the same day: 0
            "answer": _beijing(20),  # 8
            "confirm_done": _beijing(21),
            "publish": _beijing(24),  # 1 (the weekend in between does not count)
        },
    )
    slow = issue_in_state("accepted", title="水渠堵了")
    # Submitted on Friday at 23:50 and accepted on Monday at 00:30 Beijing time: one working day, not two or none.
    _dated(
        slow,
        {"submit": _beijing(7, 23).replace(minute=50), "accept": datetime.datetime(2025, 3, 10, 0, 30, tzinfo=BEIJING)},
    )

    board = board_for(district_admin_yuhang, focus=Focus(region=tree.yuhang), period=Period.of(PeriodKind.YEAR, TODAY))
    stages = rows_of(board.table("stage_days"))
    assert stages["受理（议题征集）"] == (1.5, 2, None, 0)
    assert stages["村民协商"] == (3.0, 1, None, 0)
    assert stages["共识提交"] == (0.0, 1, None, 0)
    assert stages["部门处理"] == (8.0, 1, None, 0)
    assert stages["结果公示"] == (1.0, 1, None, 0)


def test_a_reopened_issue_is_timed_from_its_reopening_and_a_stage_ended_last_year_counts_there(
    issue_in_state, district_admin_yuhang, tree, village_staff_qingshan
):
    issue = issue_in_state("closed", title="村口路灯不亮")
    _dated(
        issue,
        {
            "submit": datetime.datetime(2024, 3, 4, 9, tzinfo=BEIJING),
            "accept": datetime.datetime(2024, 3, 6, 9, tzinfo=BEIJING),
        },
    )
    _dated(issue, {"record_consensus": datetime.datetime(2024, 3, 11, 9, tzinfo=BEIJING)})  # 3 working days
    services.feedback_submit(issue=issue, rating=Rating.UNSATISFIED)
    services.issue_reopen(issue=issue, actor=village_staff_qingshan, reason="路灯又坏了")
    issue.refresh_from_db()
    _dated(issue, {"reopen": _beijing(3)})
    meeting = services.meeting_schedule(
        organization=issue.organization,
        actor=village_staff_qingshan,
        title="月度协商议事会",
        scheduled_at=timezone.now() - datetime.timedelta(hours=1),
        recording_past=True,
        place="青山村文化礼堂",
    )
    services.meeting_add_issue(meeting=meeting, issue=issue, actor=village_staff_qingshan)
    issue.refresh_from_db()
    assert issue.state == "deliberating"  # the second deliberation has not ended: not counted yet

    board = board_for(district_admin_yuhang, focus=Focus(region=tree.yuhang), period=Period.of(PeriodKind.YEAR, TODAY))
    assert rows_of(board.table("stage_days"))["村民协商"] == (None, 0, 3.0, 1)
