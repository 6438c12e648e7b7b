"""The last staff pages that grew with the town: each runs as many queries for 5 villages as for 300 and lists a
bounded number of rows, keeping what it tells the staff."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.models import Assignment, AssignmentState, Issue
from consultations.states import IssueState
from tests.staff_scale.conftest import grow_town


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def agenda_choices(page: str) -> list[str]:
    return re.findall(r'<input type="checkbox"[^>]*name="issues" value="(\d+)"', page)


@pytest.mark.parametrize("who", ["district_admin_yuhang", "town_staff_huanghu"])
def test_a_district_admin_chooses_the_organization_before_the_agenda_lists_its_waiting_issues(
    request, who, tree, qingshan_tongxinhui, signed_in
):
    admin = signed_in(request.getfixturevalue(who))
    first = grow_town(tree.huanghu, 5)[1]  # the second village's issue waits for deliberation
    urls = ["/staff/issues/meetings/new/", f"/staff/issues/meetings/new/?org={first.pk}"]
    for url in urls:
        admin.get(url)
    few = {url: queries_of(admin, url) for url in urls}
    grow_town(tree.huanghu, 295, start=5)
    many = {url: queries_of(admin, url) for url in urls}
    assert many == few

    choosing = admin.get(urls[0]).content.decode()
    assert 'data-testid="meeting-organization"' in choosing
    assert "先选择组织" in choosing
    assert agenda_choices(choosing) == []

    scheduling = admin.get(urls[1]).content.decode()
    waiting = Issue.objects.get(organization=first, state=IssueState.ACCEPTED)
    assert agenda_choices(scheduling) == [str(waiting.pk)]
    assert "议程（待协商议题）" in scheduling


def test_an_organization_with_sixty_waiting_issues_lists_the_oldest_fifty(tree, district_admin_yuhang, signed_in):
    village = grow_town(tree.huanghu, 1)[0]
    template = Issue.objects.get(organization=village)
    Issue.objects.bulk_create(
        Issue(
            organization=village,
            region_id=village.region_id,
            receipt_code=f"{80000000 + number}",
            title=f"待协商{number}",
            description="说明",
            category=template.category,
            submitter_name="村民",
            submitter_phone="13900000000",
            state=IssueState.ACCEPTED,
            state_changed_at=template.state_changed_at,
        )
        for number in range(60)
    )
    page = signed_in(district_admin_yuhang).get(f"/staff/issues/meetings/new/?org={village.pk}").content.decode()
    assert len(agenda_choices(page)) == 50
    assert "这里列出最早的 50 个待协商议题" in page


def test_the_activity_list_counts_every_organization_without_a_plan_and_names_the_first_fifty(
    tree, district_admin_yuhang, village_staff_qingshan, qingshan_tongxinhui, signed_in
):
    admin = signed_in(district_admin_yuhang)
    grow_town(tree.huanghu, 5)
    admin.get("/staff/activities/")
    few = queries_of(admin, "/staff/activities/")
    grow_town(tree.huanghu, 295, start=5)
    assert queries_of(admin, "/staff/activities/") == few

    page = admin.get("/staff/activities/").content.decode()
    assert page.count('data-testid="this-month-org"') == 50
    without = re.search(r'data-testid="without-activity-count">\s*(\d+) 个组织本月尚未安排活动', page)
    assert without is not None and int(without.group(1)) >= 300
    assert "个组织未列出" in page

    secretary = signed_in(village_staff_qingshan).get("/staff/activities/").content.decode()
    assert secretary.count('data-testid="this-month-org"') == 1
    assert "个组织未列出" not in secretary


def test_the_membership_changelist_names_thirty_organizations_and_keeps_the_chosen_one(
    tree, district_admin_yuhang, signed_in
):
    villages = grow_town(tree.huanghu, 300)
    admin = signed_in(district_admin_yuhang)
    page = admin.get("/admin/members/membership/").content.decode()
    assert page.count("?organization__id__exact=") == 30
    assert "只列出前 30 个，其余请用搜索框按名称查找" in page

    last = max(villages, key=lambda organization: organization.name)
    chosen = admin.get(f"/admin/members/membership/?organization__id__exact={last.pk}")
    assert chosen.status_code == 200
    assert f"?organization__id__exact={last.pk}" in chosen.content.decode()
    assert list(chosen.context["cl"].result_list.values_list("organization", flat=True)) == [last.pk]


def test_the_department_answered_tab_reads_its_newest_answers_from_an_index(db):
    newest = Assignment.objects.filter(department_id=1, state=AssignmentState.ANSWERED).order_by("-answered_at", "-id")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = newest[:20].explain()
    assert "assignment_department_answered" in plan
    assert "Sort" not in plan
