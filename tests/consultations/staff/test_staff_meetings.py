"""议事会 from the secretary's desk: schedule with an agenda, record outcomes and attendance, see the monthly rhythm."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import AgendaOutcome, Meeting, MeetingState
from consultations.reminders import meetings_remind_tomorrow
from consultations.states import IssueState
from members.models import Membership, MembershipRole, Person, Stratum
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import OutboxMessage
from portal.notifications.sending import outbox_dispatch_once
from portal.workdays import add_working_days
from tests.consultations.conftest import SUBMITTER_PHONE
from tests.consultations.staff.conftest import act_url

S = IssueState
pytestmark = pytest.mark.django_db


def meeting_url(meeting: Meeting) -> str:
    return reverse("staff_issues:meeting_detail", args=[meeting.pk])


def local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def schedule(org, actor, *, hours_from_now: float = -1, issues=(), title="月度协商议事会") -> Meeting:
    return services.meeting_schedule(
        organization=org,
        actor=actor,
        title=title,
        place="青山村文化礼堂",
        scheduled_at=timezone.now() + datetime.timedelta(hours=hours_from_now),
        recording_past=hours_from_now < 0,
        issues=list(issues),
    )


def test_scheduling_a_meeting_puts_the_chosen_issues_on_its_agenda(secretary, issue_in_state, qingshan_tongxinhui):
    first, second, left_out = (issue_in_state(S.ACCEPTED) for _ in range(3))
    page = secretary.get(reverse("staff_issues:meeting_new"))
    today = timezone.localdate()
    assert page.context["form"].initial["title"] == f"青山同心荟{today.year}年{today.month}月月度协商议事会"
    when = timezone.now() + datetime.timedelta(days=5)
    response = secretary.post(
        reverse("staff_issues:meeting_new"),
        {
            "organization": str(qingshan_tongxinhui.pk),
            "title": "",
            "scheduled_at": local_input(when),
            "place": "青山村文化礼堂",
            "issues": [str(first.pk), str(second.pk)],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting_url(meeting)
    local = timezone.localtime(meeting.scheduled_at)
    assert meeting.title == f"青山同心荟{local.year}年{local.month}月月度协商议事会"
    assert [item.issue for item in meeting.agenda.order_by("position")] == [first, second]
    for issue in (first, second, left_out):
        issue.refresh_from_db()
    assert (first.state, second.state, left_out.state) == (S.DELIBERATING, S.DELIBERATING, S.ACCEPTED)


def test_scheduling_with_missing_place_keeps_what_was_typed(secretary, issue_in_state, qingshan_tongxinhui):
    issue = issue_in_state(S.ACCEPTED)
    response = secretary.post(
        reverse("staff_issues:meeting_new"),
        {
            "organization": str(qingshan_tongxinhui.pk),
            "title": "十二月议事会",
            "scheduled_at": "2030-12-05T19:00",
            "place": "",
            "issues": [str(issue.pk)],
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写会议地点。" in page
    assert 'value="十二月议事会"' in page and 'value="2030-12-05T19:00"' in page
    assert f'value="{issue.pk}"' in page and "checked" in page
    assert not Meeting.objects.exists()


def test_agenda_only_offers_issues_of_the_secretarys_organizations(
    secretary, issue_in_state, issue_factory, wangweishan_tongxinhui, village_staff_qingshan
):
    ours = issue_in_state(S.ACCEPTED)
    theirs = issue_factory(organization=wangweishan_tongxinhui)
    form = secretary.get(reverse("staff_issues:meeting_new")).context["form"]
    assert list(form.fields["issues"].queryset) == [ours]
    assert wangweishan_tongxinhui not in form.fields["organization"].queryset
    assert theirs not in form.fields["issues"].queryset


def test_meeting_to_consensus_to_department_with_a_deadline(
    secretary, issue_in_state, qingshan_tongxinhui, village_staff_qingshan, huanghu_water_office
):
    issue = issue_in_state(S.ACCEPTED)
    meeting = schedule(qingshan_tongxinhui, village_staff_qingshan, issues=[issue])
    item = meeting.agenda.get()
    response = secretary.post(
        reverse("staff_issues:agenda_consensus", args=[item.pk]),
        {
            f"c{item.pk}-consensus_text": "村里出资更换路灯，镇农业农村办协调电力。",
            f"c{item.pk}-votes_for": "18",
            f"c{item.pk}-votes_against": "2",
            f"c{item.pk}-votes_abstain": "1",
        },
        follow=True,
    )
    assert "已记录为达成共识" in response.content.decode()
    item.refresh_from_db()
    issue.refresh_from_db()
    assert item.outcome == AgendaOutcome.CONSENSUS and (item.votes_for, item.votes_against) == (18, 2)
    assert issue.state == S.AGREED and issue.consensus_text.startswith("村里出资")

    secretary.post(
        act_url(issue, "assign"), {"assign-department": str(huanghu_water_office.pk), "assign-working_days": "15"}
    )
    issue.refresh_from_db()
    assert issue.state == S.ASSIGNED
    assert issue.assignments.get().deadline == add_working_days(timezone.localdate(), 15)


def test_consensus_that_the_vote_does_not_carry_is_refused_and_kept(
    secretary, issue_in_state, qingshan_tongxinhui, village_staff_qingshan
):
    issue = issue_in_state(S.ACCEPTED)
    item = schedule(qingshan_tongxinhui, village_staff_qingshan, issues=[issue]).agenda.get()
    response = secretary.post(
        reverse("staff_issues:agenda_consensus", args=[item.pk]),
        {
            f"c{item.pk}-consensus_text": "拓宽道路",
            f"c{item.pk}-votes_for": "3",
            f"c{item.pk}-votes_against": "9",
            f"c{item.pk}-votes_abstain": "0",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "赞成票没有超过反对票，不能记为达成共识。" in page
    assert "拓宽道路" in page
    issue.refresh_from_db()
    assert issue.state == S.DELIBERATING


def test_no_consensus_goes_back_to_the_queue_for_the_next_meeting(
    secretary, issue_in_state, qingshan_tongxinhui, village_staff_qingshan
):
    issue = issue_in_state(S.ACCEPTED)
    item = schedule(qingshan_tongxinhui, village_staff_qingshan, issues=[issue]).agenda.get()
    secretary.post(
        reverse("staff_issues:agenda_no_consensus", args=[item.pk]),
        {f"n{item.pk}-note": "意见分歧较大，补充材料后再议。", f"n{item.pk}-then": "requeue"},
    )
    issue.refresh_from_db()
    assert issue.state == S.ACCEPTED
    next_meeting = schedule(qingshan_tongxinhui, village_staff_qingshan, hours_from_now=24 * 20)
    secretary.post(reverse("staff_issues:meeting_add_issues", args=[next_meeting.pk]), {"add-issues": [issue.pk]})
    issue.refresh_from_db()
    assert issue.state == S.DELIBERATING and next_meeting.agenda.get().issue == issue


def test_no_consensus_can_end_the_deliberation(secretary, issue_in_state, qingshan_tongxinhui, village_staff_qingshan):
    issue = issue_in_state(S.ACCEPTED)
    item = schedule(qingshan_tongxinhui, village_staff_qingshan, issues=[issue]).agenda.get()
    response = secretary.post(
        reverse("staff_issues:agenda_no_consensus", args=[item.pk]),
        {f"n{item.pk}-note": "多数村民认为没有必要。", f"n{item.pk}-then": "close"},
        follow=True,
    )
    assert "协商结束" in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == S.CLOSED


def test_recording_an_outcome_twice_gets_a_message(
    secretary, issue_in_state, qingshan_tongxinhui, village_staff_qingshan
):
    issue = issue_in_state(S.ACCEPTED)
    item = schedule(qingshan_tongxinhui, village_staff_qingshan, issues=[issue]).agenda.get()
    data = {f"n{item.pk}-note": "再议", f"n{item.pk}-then": "requeue"}
    secretary.post(reverse("staff_issues:agenda_no_consensus", args=[item.pk]), data)
    response = secretary.post(reverse("staff_issues:agenda_no_consensus", args=[item.pk]), data)
    assert "这一议程的协商结果已经记录过了。" in response.content.decode()
    assert issue.transitions.filter(action="no_consensus_requeue").count() == 1


def test_attendance_is_recorded_after_the_meeting_from_the_roster(
    secretary, qingshan_tongxinhui, village_staff_qingshan, craftsman_in_qingshan, tree
):
    former = Person.objects.create(
        name="已退出会员", phone="13800009999", region=tree.qingshan, stratum=Stratum.FREELANCER
    )
    Membership.objects.create(
        person=former,
        organization=qingshan_tongxinhui,
        role=MembershipRole.MEMBER,
        joined_on=datetime.date(2019, 3, 1),
        left_on=datetime.date(2023, 1, 1),
    )
    upcoming = schedule(qingshan_tongxinhui, village_staff_qingshan, hours_from_now=48)
    assert secretary.get(meeting_url(upcoming)).context["attendance_form"] is None

    held = schedule(qingshan_tongxinhui, village_staff_qingshan, hours_from_now=-2)
    form = secretary.get(meeting_url(held)).context["attendance_form"]
    assert list(form.fields["attendees"].queryset) == [craftsman_in_qingshan]
    response = secretary.post(
        reverse("staff_issues:meeting_attendance", args=[held.pk]),
        {
            "attendance-attendees": [craftsman_in_qingshan.pk],
            "attendance-villagers_count": "23",
            "attendance-department_reps_count": "2",
            "attendance-ufwd_reps_count": "1",
            "attendance-minutes": "议定路灯更换方案。",
        },
        follow=True,
    )
    assert "已登记出席情况和会议纪要。" in response.content.decode()
    held.refresh_from_db()
    assert held.state == MeetingState.HELD
    assert list(held.attendees.all()) == [craftsman_in_qingshan]
    assert (held.villagers_count, held.department_reps_count, held.ufwd_reps_count) == (23, 2, 1)


def test_bad_attendance_counts_keep_the_minutes(secretary, qingshan_tongxinhui, village_staff_qingshan):
    held = schedule(qingshan_tongxinhui, village_staff_qingshan, hours_from_now=-2)
    response = secretary.post(
        reverse("staff_issues:meeting_attendance", args=[held.pk]),
        {
            "attendance-villagers_count": "-3",
            "attendance-department_reps_count": "1",
            "attendance-ufwd_reps_count": "",
            "attendance-minutes": "纪要草稿",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "不能小于 0。" in page and "请填写人数或票数，没有请填 0。" in page and "纪要草稿" in page
    held.refresh_from_db()
    assert held.state == MeetingState.SCHEDULED


def test_meeting_of_another_village_answers_404(secretary, wangweishan_tongxinhui, town_staff_huanghu):
    theirs = schedule(wangweishan_tongxinhui, town_staff_huanghu)
    assert secretary.get(meeting_url(theirs)).status_code == 404
    response = secretary.post(reverse("staff_issues:meeting_attendance", args=[theirs.pk]), {})
    assert response.status_code == 404


@pytest.mark.any_hour
def test_monthly_rhythm_shows_which_months_had_a_meeting(
    client, town_staff_huanghu, qingshan_tongxinhui, wangweishan_tongxinhui, village_staff_qingshan
):
    today = timezone.localdate()
    month_start = timezone.make_aware(datetime.datetime(today.year, today.month, 1, 19, 0))
    three_months_ago = timezone.make_aware(
        datetime.datetime(today.year if today.month > 3 else today.year - 1, (today.month - 4) % 12 + 1, 15, 19, 0)
    )
    for when in (month_start, three_months_ago):
        Meeting.objects.create(
            organization=qingshan_tongxinhui,
            title="月度协商议事会",
            place="文化礼堂",
            scheduled_at=when,
            state=MeetingState.HELD,
            created_by=village_staff_qingshan,
        )
    client.force_login(town_staff_huanghu)
    response = client.get(reverse("staff_issues:meetings"))
    rows = {row.organization.name: row for row in response.context["rhythm"]}
    qingshan = rows["青山同心荟"]
    assert [cell.held for cell in qingshan.cells] == [0] * 8 + [1, 0, 0, 1]
    assert not qingshan.missing_this_month
    assert rows["王位山同心荟"].missing_this_month
    page = response.content.decode()
    assert page.count("本月未安排") == 1


def _meetings_over_the_year(org, actor, count: int) -> None:
    now = timezone.now()
    for number in range(count):
        Meeting.objects.create(
            organization=org,
            title=f"议事会{number}",
            place="礼堂",
            created_by=actor,
            scheduled_at=now - datetime.timedelta(days=12 * number),
            state=MeetingState.HELD if number else MeetingState.SCHEDULED,
        )


def test_meetings_page_runs_the_same_number_of_queries_for_few_and_many(
    secretary, qingshan_tongxinhui, village_staff_qingshan, django_assert_max_num_queries
):
    _meetings_over_the_year(qingshan_tongxinhui, village_staff_qingshan, 3)
    secretary.get(reverse("staff_issues:meetings"))
    with CaptureQueriesContext(connection) as few:
        secretary.get(reverse("staff_issues:meetings"))
    _meetings_over_the_year(qingshan_tongxinhui, village_staff_qingshan, 40)
    with CaptureQueriesContext(connection) as many:
        secretary.get(reverse("staff_issues:meetings"))
    assert len(few) == len(many)
    with django_assert_max_num_queries(10):
        secretary.get(reverse("staff_issues:meetings"))


def test_meeting_page_runs_a_bounded_number_of_queries(
    secretary,
    issue_in_state,
    qingshan_tongxinhui,
    village_staff_qingshan,
    craftsman_in_qingshan,
    django_assert_max_num_queries,
):
    meeting = schedule(
        qingshan_tongxinhui, village_staff_qingshan, issues=[issue_in_state(S.ACCEPTED) for _ in range(6)]
    )
    issue_in_state(S.ACCEPTED)
    with django_assert_max_num_queries(14):
        response = secretary.get(meeting_url(meeting))
    assert len(response.context["agenda"]) == 6


# ---- a meeting that will not take place ---------------------------------------------------------------------


def cancel_url(meeting: Meeting) -> str:
    return reverse("staff_issues:meeting_cancel", args=[meeting.pk])


def test_the_secretary_cancels_a_scheduled_meeting_and_its_issues_wait_for_the_next_one(
    secretary, issue_in_state, qingshan_tongxinhui, village_staff_qingshan
):
    issues = [issue_in_state(S.ACCEPTED), issue_in_state(S.ACCEPTED)]
    meeting = schedule(qingshan_tongxinhui, village_staff_qingshan, hours_from_now=72, issues=issues)
    page = secretary.get(meeting_url(meeting)).content.decode()
    assert 'data-testid="cancel-meeting"' in page

    response = secretary.post(cancel_url(meeting), {"cancel-reason": "台风预警，延期召开"}, follow=True)

    page = response.content.decode()
    assert response.redirect_chain == [(meeting_url(meeting), 302)]
    assert "已取消，议程上的议题已退回待协商" in page
    assert "本次议事会已取消" in page and "台风预警，延期召开" in page
    assert 'data-testid="cancel-meeting"' not in page, "a cancelled meeting offers no second cancellation"
    assert 'data-testid="add-issues"' not in page and "记录共识" not in page
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.CANCELLED and meeting.cancelled_by == village_staff_qingshan
    for issue in issues:
        issue.refresh_from_db()
        assert issue.state == S.ACCEPTED
    trail = secretary.get(reverse("staff_issues:detail", args=[issues[0].pk])).content.decode()
    assert "议事会取消，退回待协商" in trail and "会议取消，未协商" in trail
    offered = secretary.get(reverse("staff_issues:meeting_new")).context["form"].fields["issues"].queryset
    assert set(offered) == set(issues), "the issues are offered again for the next meeting"


def test_cancelling_without_a_reason_is_refused_next_to_the_field(
    secretary, issue_in_state, qingshan_tongxinhui, village_staff_qingshan
):
    issue = issue_in_state(S.ACCEPTED)
    meeting = schedule(qingshan_tongxinhui, village_staff_qingshan, hours_from_now=72, issues=[issue])
    response = secretary.post(cancel_url(meeting), {"cancel-reason": "  "})
    assert response.status_code == 400
    assert "请填写取消原因" in response.content.decode()
    meeting.refresh_from_db()
    issue.refresh_from_db()
    assert meeting.state == MeetingState.SCHEDULED and issue.state == S.DELIBERATING


def test_no_cancel_button_once_the_meeting_was_held_or_an_outcome_recorded(
    secretary, issue_in_state, qingshan_tongxinhui, village_staff_qingshan
):
    first, second = issue_in_state(S.ACCEPTED), issue_in_state(S.ACCEPTED)
    meeting = schedule(qingshan_tongxinhui, village_staff_qingshan, issues=[first, second])
    item = meeting.agenda.get(issue=first)
    services.agenda_record_no_consensus(item=item, actor=village_staff_qingshan, note="再议")
    assert secretary.get(meeting_url(meeting)).context["cancel_form"] is None

    response = secretary.post(cancel_url(meeting), {"cancel-reason": "改期"})
    assert response.status_code == 400
    assert "说明议事会已经召开，不能取消" in response.content.decode()
    second.refresh_from_db()
    assert second.state == S.DELIBERATING

    held = schedule(qingshan_tongxinhui, village_staff_qingshan, hours_from_now=-2)
    services.meeting_record_attendance(
        meeting=held,
        actor=village_staff_qingshan,
        attendees=[],
        villagers_count=10,
        department_reps_count=0,
        ufwd_reps_count=0,
        minutes="",
    )
    assert 'data-testid="cancel-meeting"' not in secretary.get(meeting_url(held)).content.decode()


def test_a_meeting_of_another_village_cannot_be_cancelled(secretary, wangweishan_tongxinhui, town_staff_huanghu):
    theirs = schedule(wangweishan_tongxinhui, town_staff_huanghu, hours_from_now=72)
    assert secretary.post(cancel_url(theirs), {"cancel-reason": "改期"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == MeetingState.SCHEDULED


@pytest.mark.any_hour
def test_a_cancelled_meeting_is_not_announced_the_day_before(
    issue_in_state, qingshan_tongxinhui, village_staff_qingshan
):
    today = timezone.localdate()
    tomorrow_evening = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(19, 30))
    )
    meeting = services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="月度协商议事会",
        scheduled_at=tomorrow_evening,
        place="青山村文化礼堂",
        issues=[issue_in_state(S.ACCEPTED)],
    )
    services.meeting_cancel(meeting=meeting, actor=village_staff_qingshan, reason="台风预警")

    meetings_remind_tomorrow(today=today)

    assert not OutboxMessage.objects.filter(kind=Kind.MEETING_TOMORROW).exists()


@pytest.mark.any_hour
def test_the_monthly_rhythm_does_not_count_a_cancelled_meeting(
    client, town_staff_huanghu, qingshan_tongxinhui, village_staff_qingshan
):
    today = timezone.localdate()
    month_start = timezone.make_aware(datetime.datetime(today.year, today.month, 1, 19, 0))
    meeting = services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="月度协商议事会",
        scheduled_at=month_start,
        recording_past=month_start < timezone.now(),
        place="文化礼堂",
    )
    services.meeting_cancel(meeting=meeting, actor=village_staff_qingshan, reason="主持人外出")
    client.force_login(town_staff_huanghu)
    rows = {row.organization.name: row for row in client.get(reverse("staff_issues:meetings")).context["rhythm"]}
    this_month = rows["青山同心荟"].cells[-1]
    assert (this_month.held, this_month.scheduled) == (0, 0)
    assert rows["青山同心荟"].missing_this_month


def test_the_admin_shows_a_cancellation_but_does_not_edit_it(admin_client, qingshan_tongxinhui, village_staff_qingshan):
    meeting = schedule(qingshan_tongxinhui, village_staff_qingshan, hours_from_now=72)
    services.meeting_cancel(meeting=meeting, actor=village_staff_qingshan, reason="台风预警，延期召开")
    url = reverse("admin:consultations_meeting_change", args=[meeting.pk])
    page = admin_client.get(url).content.decode()
    assert "台风预警，延期召开" in page
    assert 'name="cancel_reason"' not in page and 'name="state"' not in page


def told_of_cancellation(channel: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=Kind.MEETING_CANCELLED, channel=channel).order_by("pk"))


@pytest.fixture
def colleague_in_qingshan(tree) -> User:
    """A second staff account of 青山村: the clerk who keeps the meeting room booked."""
    return User.objects.create_user(
        username="qingshan_clerk",
        password="correct-horse-42",
        role=Role.VILLAGE_STAFF,
        region=tree.qingshan,
        phone="13700009999",
        display_name="青山村 文书 陈芳",
    )


def test_cancelling_a_meeting_tells_the_secretarys_colleagues_in_their_inbox_with_the_reason(
    secretary, client, issue_in_state, qingshan_tongxinhui, village_staff_qingshan, colleague_in_qingshan
):
    meeting = schedule(
        qingshan_tongxinhui, village_staff_qingshan, hours_from_now=72, issues=[issue_in_state(S.ACCEPTED)]
    )

    secretary.post(cancel_url(meeting), {"cancel-reason": "台风预警，延期召开"})

    [to_colleague] = told_of_cancellation(Channel.INBOX)
    assert to_colleague.user == colleague_in_qingshan, "the secretary who cancelled it is not told of it"
    [sms] = told_of_cancellation(Channel.SMS)
    assert sms.phone == "13700009999" and "议事会已取消" in sms.body
    outbox_dispatch_once(limit=50)
    client.force_login(colleague_in_qingshan)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "议事会取消：月度协商议事会" in inbox
    assert "台风预警，延期召开" in inbox and "1 件议题已退回待协商" in inbox


def test_a_meeting_cancelled_by_the_town_is_told_to_the_village_secretary_only(
    client, issue_in_state, qingshan_tongxinhui, village_staff_qingshan, town_staff_huanghu, wangweishan_tongxinhui
):
    wangweishan_secretary = User.objects.create_user(
        username="wangweishan_secretary", role=Role.VILLAGE_STAFF, region=wangweishan_tongxinhui.region
    )
    meeting = schedule(
        qingshan_tongxinhui, village_staff_qingshan, hours_from_now=72, issues=[issue_in_state(S.ACCEPTED)]
    )

    services.meeting_cancel(meeting=meeting, actor=town_staff_huanghu, reason="镇里统一安排防汛")

    told = {message.user for message in told_of_cancellation(Channel.INBOX)}
    assert told == {village_staff_qingshan}
    assert wangweishan_secretary not in told and town_staff_huanghu not in told
    [message] = told_of_cancellation(Channel.INBOX)
    assert message.url == meeting_url(meeting)


def test_members_recorded_on_a_cancelled_meeting_are_told_once_and_a_submitter_through_their_issue(
    issue_in_state, qingshan_tongxinhui, village_staff_qingshan, member_craftsman
):
    meeting = schedule(
        qingshan_tongxinhui, village_staff_qingshan, hours_from_now=72, issues=[issue_in_state(S.ACCEPTED)]
    )
    without_account = Person.objects.create(
        name="钱竹编", phone="13600007777", region=qingshan_tongxinhui.region, stratum=Stratum.FREELANCER
    )
    the_submitter = Person.objects.create(
        name="王大伯", phone=SUBMITTER_PHONE, region=qingshan_tongxinhui.region, stratum=Stratum.FREELANCER
    )
    meeting.attendees.add(member_craftsman.person, without_account, the_submitter)

    services.meeting_cancel(meeting=meeting, actor=village_staff_qingshan, reason="台风预警")

    assert [message.user for message in told_of_cancellation(Channel.INBOX)] == [member_craftsman]
    texts = {message.phone: message.body for message in told_of_cancellation(Channel.SMS)}
    assert set(texts) == {member_craftsman.phone, "13600007777"}, "the submitter hears through their issue"
    assert all("青山村文化礼堂" in text and "议事会已取消" in text for text in texts.values())
    assert all(message.region_path == qingshan_tongxinhui.region.path for message in told_of_cancellation(Channel.SMS))
    to_submitter = OutboxMessage.objects.filter(kind=Kind.ISSUE_PROGRESS, channel=Channel.SMS, phone=SUBMITTER_PHONE)
    assert "原定议事会取消" in to_submitter.latest("pk").body
