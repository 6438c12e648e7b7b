"""The 青山村 secretary records who came to the 议事会 from a roster of sixty, and prints its 签到表 and 会议纪要."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Meeting
from consultations.states import IssueState
from members.models import Membership, MembershipRole, Person, Stratum

pytestmark = pytest.mark.django_db

MEMBER_NAMES = ["王建国", "王秀英", "李娟", "张竹青", "陈小明"]


@pytest.fixture
def roster(tree, qingshan_tongxinhui) -> list[Person]:
    people = []
    for number, name in enumerate(MEMBER_NAMES):
        person = Person.objects.create(
            name=name, phone=f"1380000{number:04d}", region=tree.qingshan, stratum=Stratum.FREELANCER
        )
        Membership.objects.create(
            person=person,
            organization=qingshan_tongxinhui,
            role=MembershipRole.MEMBER,
            joined_on=datetime.date(2019, 2, 28),
        )
        people.append(person)
    return people


def held_meeting(org, actor, *, issues=()) -> Meeting:
    return services.meeting_schedule(
        organization=org,
        actor=actor,
        title="青山同心荟12月月度协商议事会",
        place="青山村文化礼堂",
        scheduled_at=timezone.now() - datetime.timedelta(hours=2),
        recording_past=True,
        issues=list(issues),
    )


def record(meeting, actor, attendees, *, minutes="议定路灯更换方案。") -> None:
    services.meeting_record_attendance(
        meeting=meeting,
        actor=actor,
        attendees=attendees,
        villagers_count=12,
        department_reps_count=1,
        ufwd_reps_count=1,
        minutes=minutes,
    )


def test_the_attendance_form_offers_a_search_select_all_and_a_running_count(
    secretary, qingshan_tongxinhui, village_staff_qingshan, roster
):
    meeting = held_meeting(qingshan_tongxinhui, village_staff_qingshan)
    page = secretary.get(reverse("staff_issues:meeting_detail", args=[meeting.pk])).content.decode()
    assert "data-attendance-search" in page and "按姓名查找" in page
    assert "data-attendance-all" in page and "全选" in page
    assert re.search(r'data-testid="attendance-count"[^>]*>已选 0 人，共 5 人<', page)
    assert page.count("data-attendee ") == 5
    assert "/static/js/meeting-attendance.js" in page


def test_the_names_of_those_present_are_shown_on_the_meeting_page_afterwards(
    secretary, qingshan_tongxinhui, village_staff_qingshan, roster
):
    meeting = held_meeting(qingshan_tongxinhui, village_staff_qingshan)
    response = secretary.post(
        reverse("staff_issues:meeting_attendance", args=[meeting.pk]),
        {
            "attendance-attendees": [roster[3].pk, roster[0].pk],
            "attendance-villagers_count": "12",
            "attendance-department_reps_count": "1",
            "attendance-ufwd_reps_count": "1",
            "attendance-minutes": "议定路灯更换方案。",
        },
        follow=True,
    )
    page = response.content.decode()
    present = Person.objects.filter(pk__in=[roster[0].pk, roster[3].pk]).order_by("name", "pk")
    assert f'data-testid="attendee-names">{"、".join(person.name for person in present)}<' in page
    assert re.search(r'data-testid="attendance-count"[^>]*>已选 2 人，共 5 人<', page), "the form shows them ticked"


def test_the_sign_in_sheet_lists_the_roster_with_a_signature_column_and_empty_lines(
    secretary, qingshan_tongxinhui, village_staff_qingshan, roster
):
    meeting = held_meeting(qingshan_tongxinhui, village_staff_qingshan)
    detail = secretary.get(reverse("staff_issues:meeting_detail", args=[meeting.pk])).content.decode()
    sheet_url = reverse("staff_issues:meeting_sign_in_sheet", args=[meeting.pk])
    assert f'href="{sheet_url}"' in detail and "打印签到表" in detail

    page = secretary.get(sheet_url).content.decode()
    assert "签到表" in page and "青山村文化礼堂" in page
    rows = re.findall(r'data-testid="sign-in-member">\s*<td[^>]*>(\d+)</td><td>([^<]+)</td>', page)
    by_name = Person.objects.filter(pk__in=[person.pk for person in roster]).order_by("name", "pk")
    assert rows == [(str(number), person.name) for number, person in enumerate(by_name, start=1)]
    assert page.count('data-testid="sign-in-blank"') == 15
    assert "签名" in page
    assert "13800000" not in page, "a sheet passed round the hall shows no phone numbers"


def test_the_minutes_print_who_came_each_outcome_and_the_minutes(
    secretary, qingshan_tongxinhui, village_staff_qingshan, roster, issue_in_state
):
    issue = issue_in_state(IssueState.ACCEPTED, title="村口路灯坏了")
    meeting = held_meeting(qingshan_tongxinhui, village_staff_qingshan, issues=[issue])
    record(meeting, village_staff_qingshan, [roster[0], roster[2]])
    item = meeting.agenda.get()
    services.agenda_record_consensus(
        item=item,
        actor=village_staff_qingshan,
        consensus_text="换成太阳能路灯。",
        votes_for=14,
        votes_against=1,
        votes_abstain=1,
    )
    page = secretary.get(reverse("staff_issues:meeting_minutes", args=[meeting.pk])).content.decode()
    assert re.search(r'data-testid="minutes-attendees">2 人：[^<]*王建国[^<]*</dd>', page)
    assert "李娟" in page
    assert re.search(r'data-testid="minutes-present-count">16<', page)
    assert "村口路灯坏了" in page and "换成太阳能路灯。" in page
    assert "赞成 14，反对 1，弃权 1" in page
    assert "议定路灯更换方案。" in page


@pytest.mark.parametrize("name", ["meeting_minutes", "meeting_sign_in_sheet"])
def test_the_printed_sheets_are_a4_in_chinese_fonts_served_by_the_portal(
    secretary, qingshan_tongxinhui, village_staff_qingshan, name
):
    meeting = held_meeting(qingshan_tongxinhui, village_staff_qingshan)
    page = secretary.get(reverse(f"staff_issues:{name}", args=[meeting.pk])).content.decode()
    stylesheet = re.search(r'href="(/static/css/print-a4\.css[^"]*)"', page)
    assert stylesheet, "the sheet loads the A4 stylesheet"
    stylesheet_path = finders.find("css/print-a4.css")
    assert isinstance(stylesheet_path, str)
    with open(stylesheet_path, encoding="utf-8") as file:
        css = file.read()
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    assert '"WenQuanYi Micro Hei"' in css and '"Noto Sans CJK SC"' in css and '"SimSun"' in css
    assert "//" not in re.sub(r"/\*.*?\*/", "", css, flags=re.S), "no font from elsewhere"
    assert "data-print-page" in page and "/static/js/print-page.js" in page


def test_sheets_of_another_village_s_meeting_answer_404(secretary, wangweishan_tongxinhui, town_staff_huanghu):
    theirs = held_meeting(wangweishan_tongxinhui, town_staff_huanghu)
    for name in ("meeting_minutes", "meeting_sign_in_sheet"):
        assert secretary.get(reverse(f"staff_issues:{name}", args=[theirs.pk])).status_code == 404


def test_a_handler_cannot_open_a_meeting_sheet(client, handler_huanghu, qingshan_tongxinhui, village_staff_qingshan):
    meeting = held_meeting(qingshan_tongxinhui, village_staff_qingshan)
    client.force_login(handler_huanghu)
    assert client.get(reverse("staff_issues:meeting_minutes", args=[meeting.pk])).status_code == 403
