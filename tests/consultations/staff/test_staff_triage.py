"""Triage and the later steps of one issue, taken through the staff pages as the secretary would."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Issue, Meeting, PublicNotice, Rating, Transition
from consultations.services import TransitionNotAllowed
from consultations.states import IssueAction, IssueState
from orgs.models import Department, DepartmentLevel
from portal.workdays import add_working_days
from tests.consultations.conftest import SUBMITTER_PHONE
from tests.consultations.staff.conftest import act_url, detail_url

S, A = IssueState, IssueAction
pytestmark = pytest.mark.django_db

OTHER_PHONE = "13655556666"


def actions_offered(response) -> list[str]:
    return [str(action) for action, _form in response.context["action_forms"]]


def test_issue_page_shows_everything_staff_need(secretary, issue_factory, village_staff_qingshan):
    issue = issue_factory(
        title="竹林步道塌方",
        place="竹林",
        channel="phone",
        entered_by=village_staff_qingshan,
        submitter_name="李阿婆",
        submitter_phone="13522223333",
    )
    response = secretary.get(detail_url(issue))
    page = response.content.decode()
    assert response.status_code == 200
    shown = (
        "竹林步道塌方",
        "李阿婆",
        "13522223333",
        "电话反映（代录）",
        "由 青山村 秘书 李娟 代录",
        issue.receipt_code,
    )
    for text in shown:
        assert text in page
    assert actions_offered(response) == ["accept", "reject", "merge"]


def test_accepting_moves_the_issue_on_and_tells_the_submitter(
    secretary, issue_factory, sms_outbox, django_capture_on_commit_callbacks
):
    issue = issue_factory()
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(act_url(issue, "accept"), {"accept-comment": ""}, follow=True)
    issue.refresh_from_db()
    assert issue.state == S.ACCEPTED
    assert "已受理" in response.content.decode()
    assert [message.phone for message in sms_outbox] == [SUBMITTER_PHONE]
    assert "已受理" in sms_outbox[0].text


def test_rejecting_needs_a_reason(secretary, issue_factory):
    issue = issue_factory()
    response = secretary.post(act_url(issue, "reject"), {"reject-reason": "  "})
    assert response.status_code == 400
    assert "请填写不予受理的理由，反映人会看到它。" in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == S.SUBMITTED


def test_rejection_reason_is_kept_for_the_tracking_page_and_sent(
    secretary, issue_factory, sms_outbox, django_capture_on_commit_callbacks
):
    issue = issue_factory()
    sms_outbox.clear()
    reason = "属于个人之间的邻里纠纷，请联系村调解委员会。"
    with django_capture_on_commit_callbacks(execute=True):
        secretary.post(act_url(issue, "reject"), {"reject-reason": reason})
    issue.refresh_from_db()
    assert issue.state == S.REJECTED
    assert issue.rejection_reason == reason
    public_steps = issue.transitions.filter(is_public=True, action=A.REJECT)
    assert public_steps.get().comment == reason
    assert "未予受理" in sms_outbox[0].text


def test_merging_by_receipt_code_tells_both_submitters(
    secretary, issue_factory, sms_outbox, django_capture_on_commit_callbacks
):
    first = issue_factory(title="村口路灯坏了", submitter_phone=OTHER_PHONE)
    duplicate = issue_factory(title="路灯不亮")
    sms_outbox.clear()
    spaced = f"{first.receipt_code[:4]} {first.receipt_code[4:]}"
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(act_url(duplicate, "merge"), {"merge-into_code": spaced}, follow=True)
    duplicate.refresh_from_db()
    assert duplicate.state == S.MERGED and duplicate.merged_into == first
    assert response.request["PATH_INFO"] == detail_url(first)
    assert sorted(message.phone for message in sms_outbox) == sorted([SUBMITTER_PHONE, OTHER_PHONE])
    assert duplicate.receipt_code in response.content.decode()  # the target lists what was merged into it


def test_merging_can_pick_from_the_open_issues_of_the_organization(secretary, issue_factory, neighbour_issue):
    first = issue_factory()
    duplicate = issue_factory()
    form = dict(secretary.get(detail_url(duplicate)).context["action_forms"])[A.MERGE]
    choices = set(form.fields["into"].queryset)
    assert first in choices and duplicate not in choices and neighbour_issue not in choices
    secretary.post(act_url(duplicate, "merge"), {"merge-into": str(first.pk)})
    duplicate.refresh_from_db()
    assert duplicate.merged_into == first


def test_merging_into_an_unknown_code_keeps_what_was_typed(secretary, issue_factory, neighbour_issue):
    duplicate = issue_factory()
    response = secretary.post(
        act_url(duplicate, "merge"), {"merge-into_code": neighbour_issue.receipt_code, "merge-comment": "同一路段"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert f"回执码 {neighbour_issue.receipt_code} 不是本组织在办的议题。" in page
    assert f'value="{neighbour_issue.receipt_code}"' in page and "同一路段" in page
    duplicate.refresh_from_db()
    assert duplicate.state == S.SUBMITTED


def test_two_staff_accepting_from_stale_pages_make_one_transition(
    issue_factory, village_staff_qingshan, town_staff_huanghu
):
    issue = issue_factory()
    seen_by_secretary = Issue.objects.get(pk=issue.pk)
    seen_by_town = Issue.objects.get(pk=issue.pk)
    services.issue_accept(issue=seen_by_secretary, actor=village_staff_qingshan)
    with pytest.raises(TransitionNotAllowed):
        services.issue_reject(issue=seen_by_town, actor=town_staff_huanghu, reason="重复")
    assert issue.transitions.exclude(action=A.SUBMIT).count() == 1


def test_the_second_click_gets_the_someone_acted_first_message(secretary, client, town_staff_huanghu, issue_factory):
    issue = issue_factory()
    secretary.post(act_url(issue, "accept"), {})
    from django.test import Client

    colleague = Client()
    colleague.force_login(town_staff_huanghu)
    response = colleague.post(act_url(issue, "reject"), {"reject-reason": "不属于议事范围"}, follow=True)
    assert "可能已被他人处理" in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == S.ACCEPTED
    assert issue.transitions.filter(action__in=[A.ACCEPT, A.REJECT]).count() == 1
    response = secretary.post(act_url(issue, "accept"), {}, follow=True)
    assert "可能已被他人处理" in response.content.decode()
    assert issue.transitions.filter(action=A.ACCEPT).count() == 1


def test_putting_an_accepted_issue_on_a_scheduled_meeting(
    secretary, issue_in_state, qingshan_tongxinhui, village_staff_qingshan
):
    issue = issue_in_state(S.ACCEPTED)
    meeting = services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="十一月议事会",
        scheduled_at=timezone.now() + datetime.timedelta(days=3),
        place="文化礼堂",
    )
    response = secretary.get(detail_url(issue))
    form = dict(response.context["action_forms"])[A.PUT_ON_AGENDA]
    assert list(form.fields["meeting"].queryset) == [meeting]
    secretary.post(act_url(issue, "put_on_agenda"), {"put_on_agenda-meeting": str(meeting.pk)})
    issue.refresh_from_db()
    assert issue.state == S.DELIBERATING
    assert meeting.agenda.get().issue == issue


def test_resolving_within_the_village(secretary, issue_in_state):
    issue = issue_in_state(S.AGREED)
    assert actions_offered(secretary.get(detail_url(issue))) == ["resolve_in_village", "assign"]
    secretary.post(act_url(issue, "resolve_in_village"), {"resolve_in_village-resolution": "村里已自行更换路灯。"})
    issue.refresh_from_db()
    assert issue.state == S.HANDLED and issue.resolution_text == "村里已自行更换路灯。"


@pytest.mark.any_hour
def test_assigning_counts_the_deadline_in_chinese_working_days(secretary, issue_in_state, huanghu_water_office):
    issue = issue_in_state(S.AGREED)
    page = secretary.get(detail_url(issue))
    default = add_working_days(timezone.localdate(), 15)
    assert page.context["default_deadline"] == default
    assert default.isoformat() in page.content.decode()
    secretary.post(
        act_url(issue, "assign"),
        {
            "assign-department": str(huanghu_water_office.pk),
            "assign-working_days": "10",
            "assign-instructions": "请尽快",
        },
    )
    issue.refresh_from_db()
    assignment = issue.assignments.get()
    assert issue.state == S.ASSIGNED
    assert assignment.working_days == 10
    assert assignment.deadline == add_working_days(timezone.localdate(), 10)


@pytest.mark.any_hour
def test_deadline_preview_answers_the_date_for_n_working_days(secretary):
    response = secretary.get(
        reverse("staff_issues:deadline_preview"), {"assign-working_days": "20"}, HTTP_HX_REQUEST="true"
    )
    assert add_working_days(timezone.localdate(), 20).strftime("%Y-%m-%d") in response.content.decode()
    bad = secretary.get(reverse("staff_issues:deadline_preview"), {"assign-working_days": "120"})
    assert "1 到 90" in bad.content.decode()


def test_assigning_to_an_inactive_or_foreign_department_is_refused(secretary, issue_in_state, tree):
    issue = issue_in_state(S.AGREED)
    foreign = Department.objects.create(name="龙岗镇城建办", level=DepartmentLevel.TOWN, region=tree.longgang)
    response = secretary.post(
        act_url(issue, "assign"), {"assign-department": str(foreign.pk), "assign-working_days": "10"}
    )
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode() or "Select a valid choice" in response.content.decode()
    issue.refresh_from_db()
    assert issue.state == S.AGREED


def test_bad_working_days_keep_what_was_typed(secretary, issue_in_state, huanghu_water_office):
    issue = issue_in_state(S.AGREED)
    response = secretary.post(
        act_url(issue, "assign"),
        {
            "assign-department": str(huanghu_water_office.pk),
            "assign-working_days": "200",
            "assign-instructions": "请会同村里现场查看",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "办理时限应在 1 到 90 个工作日之间。" in page
    assert "请会同村里现场查看" in page and 'value="200"' in page
    assert response.context["open_action"] == A.ASSIGN


def test_publishing_prefills_the_notice_and_puts_it_on_the_board(secretary, issue_in_state):
    issue = issue_in_state(S.HANDLED, title="村口路灯不亮")
    form = dict(secretary.get(detail_url(issue)).context["action_forms"])[A.PUBLISH]
    assert form.initial["title"] == "村口路灯不亮"
    # The notice prints the consensus under its own heading, so the body carries only the result.
    assert "由村里统一更换路灯" not in form.initial["body"] and "已更换路灯三盏" in form.initial["body"]
    assert form.initial["period_days"] == 7
    secretary.post(
        act_url(issue, "publish"),
        {"publish-title": "村口路灯已修复", "publish-body": "已更换三盏。", "publish-period_days": "5"},
    )
    issue.refresh_from_db()
    notice = PublicNotice.objects.get(issue=issue)
    assert issue.state == S.PUBLICIZED
    assert (notice.title, notice.period_days) == ("村口路灯已修复", 5)


def test_reopening_is_offered_only_after_an_unsatisfied_rating(secretary, issue_in_state):
    satisfied = issue_in_state(S.CLOSED)
    services.feedback_submit(issue=satisfied, rating=Rating.SATISFIED)
    assert "reopen" not in actions_offered(secretary.get(detail_url(satisfied)))
    response = secretary.post(act_url(satisfied, "reopen"), {"reopen-reason": "再看看"})
    assert "只有反映人评价“不满意”的议题才能重新受理。" in response.content.decode()

    unhappy = issue_in_state(S.CLOSED)
    services.feedback_submit(issue=unhappy, rating=Rating.UNSATISFIED, comment="路灯又坏了")
    page = secretary.get(detail_url(unhappy))
    assert "reopen" in actions_offered(page)
    assert "内部记录，不对外显示" in page.content.decode()  # the rating step is not on the public timeline
    secretary.post(act_url(unhappy, "reopen"), {"reopen-reason": "反映人不满意，路灯再次损坏。"})
    unhappy.refresh_from_db()
    assert unhappy.state == S.ACCEPTED


def test_issue_page_of_an_issue_on_a_meeting_links_to_the_meeting(secretary, issue_in_state):
    issue = issue_in_state(S.DELIBERATING)
    meeting = Meeting.objects.get(agenda__issue=issue)
    response = secretary.get(detail_url(issue))
    assert actions_offered(response) == []
    assert reverse("staff_issues:meeting_detail", args=[meeting.pk]) in response.content.decode()


def test_timeline_lists_every_step(secretary, issue_in_state):
    issue = issue_in_state(S.ASSIGNED)
    response = secretary.get(detail_url(issue))
    assert len(response.context["file"].transitions) == Transition.objects.filter(issue=issue).count() == 5


def test_issue_page_runs_a_bounded_number_of_queries(secretary, issue_in_state, django_assert_max_num_queries):
    issue = issue_in_state(S.AGREED)
    with django_assert_max_num_queries(20):
        secretary.get(detail_url(issue))
