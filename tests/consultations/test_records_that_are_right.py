"""Records that are right: a promise is not a result, a tally counts no more people than were present, a
correction leaves its trace, the deadline shown is the deadline saved, the counter agrees with the board."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.counters import resolved_issue_count
from consultations.models import AgendaItem, Assignment, Meeting, MeetingCorrection, Rating, Transition
from consultations.states import IssueAction, IssueState
from portal.models import WorkdayOverride

S, A = IssueState, IssueAction
pytestmark = pytest.mark.django_db

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def secretary(client, village_staff_qingshan):
    """A test client signed in as the 青山村 secretary."""
    client.force_login(village_staff_qingshan)
    return client


def _track_as_submitter(client, issue):
    """The villager opens their issue with the receipt code and the last four digits of their phone."""
    url = reverse("issues:track_detail", kwargs={"code": issue.receipt_code})
    client.post(url, {"phone_last4": issue.submitter_phone[-4:]})
    return url


# ---- 办理中 is a promise, not a result ---------------------------------------------------------------------


def test_the_handler_gives_an_interim_reply_with_a_promised_date_and_the_issue_stays_with_the_department(
    client, issue_in_state, handler_huanghu, village_staff_qingshan
):
    issue = issue_in_state("assigned", title="竹林便道坑洼")
    assignment = issue.assignments.get()
    promised = timezone.localdate() + datetime.timedelta(days=20)
    client.force_login(handler_huanghu)
    response = client.post(
        reverse("department:interim_reply", args=[assignment.pk]),
        {"reply": "已现场勘查，列入本月修缮计划。", "promised_on": promised.isoformat()},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assignment.refresh_from_db()
    assert issue.state == S.ASSIGNED and assignment.promised_on == promised
    assert resolved_issue_count() == 0
    step = issue.transitions.get(action=A.INTERIM_REPLY)
    assert step.is_public and promised.isoformat() in step.comment

    queue = client.get(reverse("department:queue"), {"tab": "acknowledged"}).content.decode()
    assert f"承诺 {promised.isoformat()} 前办结" in queue

    client.force_login(village_staff_qingshan)
    staff_queue = client.get(reverse("staff_issues:queue")).content.decode()
    assert f"办理中，承诺 {promised.isoformat()} 前办结" in staff_queue

    client.logout()
    timeline = client.get(_track_as_submitter(client, issue)).content.decode()
    assert "部门答复：办理中" in timeline and promised.isoformat() in timeline


def test_a_promised_date_in_the_past_is_refused_and_the_reply_is_kept(client, issue_in_state, handler_huanghu):
    assignment = issue_in_state("assigned").assignments.get()
    client.force_login(handler_huanghu)
    response = client.post(
        reverse("department:interim_reply", args=[assignment.pk]),
        {"reply": "正在协调施工队", "promised_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "承诺办结日期不能早于今天" in page and "正在协调施工队" in page
    assignment.refresh_from_db()
    assert assignment.promised_on is None


def test_the_final_answer_counts_only_once_the_village_confirms_it(
    client, issue_in_state, handler_huanghu, village_staff_qingshan
):
    issue = issue_in_state("assigned")
    services.assignment_answer(assignment=issue.assignments.get(), actor=handler_huanghu, answer="路灯已更换。")
    issue.refresh_from_db()
    assert issue.state == S.ANSWERED
    with pytest.raises(services.TransitionNotAllowed):
        services.issue_publish(issue=issue, actor=village_staff_qingshan, title="路灯", body="已更换")

    client.force_login(village_staff_qingshan)
    detail = reverse("staff_issues:detail", args=[issue.pk])
    assert "确认办结" in client.get(detail).content.decode()
    response = client.post(
        reverse("staff_issues:act", args=[issue.pk, A.CONFIRM_DONE]),
        {f"{A.CONFIRM_DONE}-comment": "已到现场查看，三盏灯都亮了。"},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    step = issue.transitions.get(action=A.CONFIRM_DONE)
    assert issue.state == S.HANDLED
    assert (step.from_state, step.to_state, step.actor) == (S.ANSWERED, S.HANDLED, village_staff_qingshan)


def test_the_submitter_can_confirm_from_the_tracking_page(client, issue_in_state, handler_huanghu):
    issue = issue_in_state("answered")
    url = _track_as_submitter(client, issue)
    assert "确认已办好" in client.get(url).content.decode()
    client.post(reverse("issues:confirm_done", kwargs={"code": issue.receipt_code}))
    issue.refresh_from_db()
    assert issue.state == S.HANDLED
    assert issue.transitions.get(action=A.CONFIRM_DONE).actor_label == issue.submitter_name


def test_a_stranger_with_the_code_alone_cannot_confirm(client, issue_in_state):
    issue = issue_in_state("answered")
    client.post(reverse("issues:confirm_done", kwargs={"code": issue.receipt_code}))
    issue.refresh_from_db()
    assert issue.state == S.ANSWERED


# ---- tallies and attendance ------------------------------------------------------------------------------


@pytest.fixture
def held_meeting_item(issue_in_state, village_staff_qingshan):
    """An issue on the agenda of a meeting an hour ago where 10 people were recorded present."""
    issue = issue_in_state("deliberating")
    item = issue.agenda_items.select_related("meeting").get()
    services.meeting_record_attendance(
        meeting=item.meeting,
        actor=village_staff_qingshan,
        attendees=[],
        villagers_count=7,
        department_reps_count=2,
        ufwd_reps_count=1,
        minutes="",
    )
    item.refresh_from_db()
    return item


def test_a_tally_larger_than_the_people_present_is_refused_on_the_meeting_page(secretary, held_meeting_item):
    item = held_meeting_item
    response = secretary.post(
        reverse("staff_issues:agenda_consensus", args=[item.pk]),
        {
            f"c{item.pk}-consensus_text": "统一更换路灯",
            f"c{item.pk}-votes_for": "9",
            f"c{item.pk}-votes_against": "2",
            f"c{item.pk}-votes_abstain": "0",
        },
    )
    assert response.status_code == 400
    assert "超过了登记出席的 10 人" in response.content.decode()
    item.refresh_from_db()
    assert item.outcome == "pending" and item.issue.state == S.DELIBERATING


def test_attendance_smaller_than_a_recorded_tally_is_refused(issue_in_state, village_staff_qingshan):
    # The loop's fixture records 21 + 2 + 1 votes before any attendance.
    item = issue_in_state("agreed").agenda_items.select_related("meeting").get()
    with pytest.raises(ValidationError, match="少于议程中已记录的表决票数 24 票"):
        services.meeting_record_attendance(
            meeting=item.meeting,
            actor=village_staff_qingshan,
            attendees=[],
            villagers_count=20,
            department_reps_count=0,
            ufwd_reps_count=0,
            minutes="",
        )
    assert Meeting.objects.get(pk=item.meeting_id).state == "scheduled"


def test_a_wrong_tally_is_corrected_with_before_after_and_the_reason_on_the_issues_trail(
    secretary, held_meeting_item, village_staff_qingshan
):
    item = held_meeting_item
    services.agenda_record_consensus(
        item=item,
        actor=village_staff_qingshan,
        consensus_text="更换路灯",
        votes_for=8,
        votes_against=2,
        votes_abstain=0,
    )
    response = secretary.post(
        reverse("staff_issues:agenda_correct_tally", args=[item.pk]),
        {
            f"t{item.pk}-votes_for": "7",
            f"t{item.pk}-votes_against": "2",
            f"t{item.pk}-votes_abstain": "1",
            f"t{item.pk}-reason": "复核签到表，一票记错",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.votes_for, item.votes_against, item.votes_abstain) == (7, 2, 1)
    step = Transition.objects.get(issue=item.issue, action=A.CORRECT_TALLY)
    assert "赞成 8，反对 2，弃权 0 → 赞成 7，反对 2，弃权 1" in step.comment
    assert "复核签到表，一票记错" in step.comment and step.actor == village_staff_qingshan
    assert step.from_state == step.to_state == S.AGREED


def test_a_corrected_tally_still_cannot_exceed_the_people_present(held_meeting_item, village_staff_qingshan):
    item = held_meeting_item
    services.agenda_record_consensus(
        item=item,
        actor=village_staff_qingshan,
        consensus_text="更换路灯",
        votes_for=8,
        votes_against=2,
        votes_abstain=0,
    )
    with pytest.raises(ValidationError, match="超过了登记出席的 10 人"):
        services.agenda_correct_tally(
            item=item, actor=village_staff_qingshan, votes_for=9, votes_against=2, votes_abstain=0, reason="补票"
        )
    assert AgendaItem.objects.get(pk=item.pk).votes_for == 8


def test_correcting_attendance_needs_a_reason_and_leaves_a_correction_row(
    secretary, held_meeting_item, village_staff_qingshan
):
    meeting = held_meeting_item.meeting
    url = reverse("staff_issues:meeting_attendance", args=[meeting.pk])
    fields = {
        "attendance-villagers_count": "12",
        "attendance-department_reps_count": "2",
        "attendance-ufwd_reps_count": "1",
        "attendance-minutes": "",
    }
    refused = secretary.post(url, {**fields, "attendance-reason": ""})
    assert refused.status_code == 400 and "请填写更正理由" in refused.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).villagers_count == 7

    secretary.post(url, {**fields, "attendance-reason": "漏记了后排五位村民"})
    correction = MeetingCorrection.objects.get(meeting=meeting)
    assert "列席村民 7 人" in correction.before and "列席村民 12 人" in correction.after
    assert correction.reason == "漏记了后排五位村民" and correction.actor == village_staff_qingshan
    page = secretary.get(reverse("staff_issues:meeting_detail", args=[meeting.pk])).content.decode()
    assert "漏记了后排五位村民" in page and 'data-testid="present-count">15<' in page


# ---- the new-meeting form ----------------------------------------------------------------------------------


def test_a_meeting_time_in_the_past_needs_the_already_held_box(secretary, qingshan_tongxinhui):
    past = timezone.localtime() - datetime.timedelta(days=3)
    data = {
        "organization": qingshan_tongxinhui.pk,
        "title": "补录的议事会",
        "scheduled_at": f"{past:%Y-%m-%dT%H:%M}",
        "place": "青山村文化礼堂",
    }
    refused = secretary.post(reverse("staff_issues:meeting_new"), data)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "请勾选“补录已召开的会议”" in page and "补录的议事会" in page
    assert not Meeting.objects.filter(title="补录的议事会").exists()

    secretary.post(reverse("staff_issues:meeting_new"), {**data, "already_held": "on"})
    assert Meeting.objects.filter(title="补录的议事会").exists()


def test_the_service_refuses_a_past_meeting_time_unless_it_records_a_meeting_held(
    qingshan_tongxinhui, village_staff_qingshan
):
    past = timezone.now() - datetime.timedelta(days=3)
    fields = {
        "organization": qingshan_tongxinhui,
        "actor": village_staff_qingshan,
        "title": "上周的议事会",
        "scheduled_at": past,
        "place": "青山村文化礼堂",
    }
    with pytest.raises(ValidationError) as refused:
        services.meeting_schedule(**fields)
    assert "请勾选“补录已召开的会议”" in refused.value.message_dict["already_held"][0]
    assert not Meeting.objects.filter(title="上周的议事会").exists()

    services.meeting_schedule(**fields, recording_past=True)
    assert Meeting.objects.filter(title="上周的议事会").exists()


@time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=BEIJING), tick=False)
def test_the_form_proposes_next_months_name_when_this_month_has_its_meeting(
    secretary, qingshan_tongxinhui, village_staff_qingshan
):
    url = reverse("staff_issues:meeting_new") + f"?org={qingshan_tongxinhui.pk}"
    assert "2026年12月月度协商议事会" in secretary.get(url).context["form"].initial["title"]
    services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="十二月议事会",
        scheduled_at=datetime.datetime(2026, 12, 18, 19, 0, tzinfo=BEIJING),
        place="文化礼堂",
    )
    assert "2027年1月月度协商议事会" in secretary.get(url).context["form"].initial["title"]


# ---- the deadline shown is the deadline saved ----------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 9, 28, 9, 0, tzinfo=BEIJING), tick=False)
def test_the_deadline_preview_and_the_saved_deadline_agree_across_a_holiday_and_makeup_week(
    secretary, issue_in_state, huanghu_water_office
):
    # 国庆 2026: 1–7 October off, Saturday 10 October a 调休 workday; a hand-entered extra holiday on the 12th.
    WorkdayOverride.objects.create(date=datetime.date(2026, 10, 12), is_workday=False, note="临时调整")
    issue = issue_in_state("agreed")
    preview = secretary.get(reverse("staff_issues:deadline_preview"), {f"{A.ASSIGN}-working_days": "10"})
    # 29, 30 Sept, 8, 9, 10 (Sat), 13, 14, 15, 16, 19 October.
    assert "2026-10-19" in preview.content.decode()

    # The form sent back with an error shows the preview of the days typed, not of the default 15.
    refused = secretary.post(reverse("staff_issues:act", args=[issue.pk, A.ASSIGN]), {f"{A.ASSIGN}-working_days": "10"})
    assert refused.status_code == 400
    assert "办理期限：2026-10-19" in refused.content.decode()

    secretary.post(
        reverse("staff_issues:act", args=[issue.pk, A.ASSIGN]),
        {f"{A.ASSIGN}-department": huanghu_water_office.pk, f"{A.ASSIGN}-working_days": "10"},
    )
    assert Assignment.objects.get(issue=issue).deadline == datetime.date(2026, 10, 19)


# ---- the counter and the board ------------------------------------------------------------------------------


def test_the_home_counter_and_the_board_count_the_same_issues(client, issue_in_state, village_staff_qingshan):
    issue_in_state("closed", title="已归档的结果")
    issue_in_state("publicized", title="公示中的结果")
    issue_in_state("answered", title="部门答复未确认")
    reopened = issue_in_state("closed", title="重新受理")
    services.feedback_submit(issue=reopened, rating=Rating.UNSATISFIED, comment="路灯又坏了")
    services.issue_reopen(issue=reopened, actor=village_staff_qingshan, reason="反映人不满意")

    home = client.get(reverse("home"))
    board = client.get(reverse("notices:board"))
    assert home.context["resolved_count"] == board.context["page"].paginator.count == 2
    assert board.context["resolved_count"] == 2
    assert "结果已公示的议题" in home.content.decode()
    titles = [notice.issue.title for notice in board.context["page"].object_list]
    assert sorted(titles) == ["公示中的结果", "已归档的结果"]


def test_a_notice_prints_the_consensus_once_and_is_titled_one_way(client, issue_in_state, village_staff_qingshan):
    issue = issue_in_state("handled", title="村口路灯不亮")
    notice = services.issue_publish(
        issue=issue, actor=village_staff_qingshan, title="议题办理结果公示：村口路灯不亮", body="已更换路灯三盏。"
    )
    other = services.issue_publish(
        issue=issue_in_state("handled", title="水渠堵塞"),
        actor=village_staff_qingshan,
        title="水渠堵塞",
        body="已清淤。",
    )
    assert notice.title == "村口路灯不亮" and other.title == "水渠堵塞"
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert page.count("由村里统一更换路灯，费用从公益金列支。") == 1
