"""The admin reads the consultation loop within each user's scope and never moves it: the audit trail is
append-only for everyone, superusers included, and an issue's state cannot be edited."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from consultations.models import Issue, Transition
from consultations.states import IssueState
from portal.accounts.models import User
from portal.models import WorkdayOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(username="root", password="correct-horse-42", email="root@example.org")


@pytest.fixture
def wanghu_issue(notice_rows, tianmu_alliance):
    """An issue of 临安区, outside the 余杭 district admin's scope."""
    return notice_rows(tianmu_alliance, 1, title="望湖议题")[0].issue


def test_district_admin_reads_the_transitions_of_issues_in_scope(client, issue_in_state, district_admin_yuhang):
    issue = issue_in_state("agreed")
    transition = issue.transitions.order_by("id").first()
    client.force_login(district_admin_yuhang)
    listing = client.get(reverse("admin:consultations_transition_changelist"))
    assert listing.status_code == 200
    assert issue.receipt_code in listing.content.decode()
    page = client.get(reverse("admin:consultations_transition_change", args=[transition.pk]))
    assert page.status_code == 200
    assert "提交议题" in page.content.decode()


@pytest.mark.parametrize("persona", ["district_admin_yuhang", "superuser"])
def test_nobody_can_add_edit_or_delete_a_transition(client, request, persona, issue_in_state):
    issue = issue_in_state("accepted")
    transition = issue.transitions.order_by("id").first()
    client.force_login(request.getfixturevalue(persona))

    edit = client.post(
        reverse("admin:consultations_transition_change", args=[transition.pk]),
        {"comment": "改过的记录", "actor_label": "别人", "action": "accept", "to_state": "closed"},
    )
    add = client.post(reverse("admin:consultations_transition_add"), {"issue": issue.pk, "action": "accept"})
    delete = client.post(reverse("admin:consultations_transition_delete", args=[transition.pk]), {"post": "yes"})

    assert edit.status_code == 403
    assert add.status_code == 403
    assert delete.status_code == 403
    unchanged = Transition.objects.get(pk=transition.pk)
    assert (unchanged.comment, unchanged.actor_label, unchanged.to_state) == (
        transition.comment,
        transition.actor_label,
        transition.to_state,
    )
    assert issue.transitions.count() == 2


def test_the_issue_page_shows_the_timeline_read_only(client, issue_in_state, district_admin_yuhang):
    issue = issue_in_state("agreed")
    client.force_login(district_admin_yuhang)
    content = client.get(reverse("admin:consultations_issue_change", args=[issue.pk])).content.decode()
    assert "形成共识" in content
    assert 'name="transitions-0-comment"' not in content
    assert 'name="state"' not in content


def test_the_admin_cannot_change_an_issues_state(client, issue_in_state, district_admin_yuhang):
    issue = issue_in_state("accepted")
    client.force_login(district_admin_yuhang)
    response = client.post(
        reverse("admin:consultations_issue_change", args=[issue.pk]),
        {
            "title": "村口路灯不亮（已核实）",
            "description": issue.description,
            "category": issue.category,
            "place": issue.place,
            "state": IssueState.CLOSED,
            "resolved_at_0": "2026-01-01",
            "resolved_at_1": "10:00:00",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
            "photos-TOTAL_FORMS": "0",
            "photos-INITIAL_FORMS": "0",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    issue.refresh_from_db()
    assert issue.title == "村口路灯不亮（已核实）"
    assert issue.state == IssueState.ACCEPTED
    assert issue.resolved_at is None


def test_district_admin_sees_only_issues_in_their_district(client, issue_in_state, wanghu_issue, district_admin_yuhang):
    ours = issue_in_state("submitted", title="青山的议题")
    client.force_login(district_admin_yuhang)
    listing = client.get(reverse("admin:consultations_issue_changelist"))
    shown = list(listing.context["cl"].result_list)
    assert shown == [ours]
    outside = client.get(reverse("admin:consultations_issue_change", args=[wanghu_issue.pk]))
    assert outside.status_code == 302
    assert (
        not client.get(reverse("admin:consultations_transition_changelist"))
        .context["cl"]
        .result_list.filter(issue=wanghu_issue)
        .exists()
    )


def test_a_receipt_code_typed_with_a_space_finds_the_issue(client, issue_in_state, district_admin_yuhang):
    issue = issue_in_state("submitted")
    client.force_login(district_admin_yuhang)
    spaced = f"{issue.receipt_code[:4]} {issue.receipt_code[4:]}"
    listing = client.get(reverse("admin:consultations_issue_changelist"), {"q": spaced})
    assert list(listing.context["cl"].result_list) == [issue]


def test_nobody_adds_an_issue_in_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:consultations_issue_add")).status_code == 403
    assert not Issue.objects.exists()


def test_a_superuser_enters_a_new_years_holiday(client, superuser):
    # District admins used to enter it too; now they only read it (tests/admin/test_holiday_calendar_keepers.py).
    client.force_login(superuser)
    response = client.post(
        reverse("admin:portal_workdayoverride_add"),
        {"date": "2027-02-08", "is_workday": "", "note": "2027年春节"},
    )
    assert response.status_code == 302
    assert WorkdayOverride.objects.get(date=datetime.date(2027, 2, 8)).is_workday is False


def test_town_staff_read_the_holiday_calendar_but_cannot_change_it(client, town_staff_huanghu):
    WorkdayOverride.objects.create(date=datetime.date(2027, 2, 7), is_workday=True, note="春节调休")
    client.force_login(town_staff_huanghu)
    assert client.get(reverse("admin:portal_workdayoverride_changelist")).status_code == 200
    response = client.post(
        reverse("admin:portal_workdayoverride_add"), {"date": "2027-02-09", "is_workday": "", "note": "x"}
    )
    assert response.status_code == 403
    assert WorkdayOverride.objects.count() == 1


@pytest.mark.parametrize("persona", ["district_admin_yuhang", "town_staff_huanghu", "superuser"])
def test_every_consultation_page_of_the_admin_opens(client, request, persona, issue_in_state):
    issue = issue_in_state("publicized")
    client.force_login(request.getfixturevalue(persona))
    objects = {
        "issue": issue,
        "meeting": issue.agenda_items.get().meeting,
        "assignment": issue.assignments.get(),
        "publicnotice": issue.notices.get(),
        "transition": issue.transitions.first(),
    }
    for model, obj in objects.items():
        assert client.get(reverse(f"admin:consultations_{model}_changelist")).status_code == 200, model
        assert client.get(reverse(f"admin:consultations_{model}_change", args=[obj.pk])).status_code == 200, model
    assert client.get(reverse("admin:consultations_feedback_changelist")).status_code == 200
