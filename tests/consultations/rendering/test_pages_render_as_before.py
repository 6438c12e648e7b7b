"""The staff pages and admin changelists write their rows and form fields in Python (portal/templatetags/
list_rendering.py, portal/admin_scoping.py) instead of through the form renderer's and crispy's templates: what
a reader gets is the same markup, whitespace aside, in either language, in a bounded number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field  # type: ignore[import-untyped]  # no types shipped
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from consultations import services
from consultations.models import Issue
from consultations.states import IssueState
from members.models import Membership, Person
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.templatetags.list_rendering import form_field, option_input

pytestmark = pytest.mark.django_db


def squeezed(html: str) -> str:
    """Markup without the whitespace between tags that crispy's templates leave and a browser ignores."""
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def held_meeting(qingshan_tongxinhui, village_staff_qingshan, issue_factory, craftsman_in_qingshan):
    """A 议事会 of 青山同心荟 that began two hours ago, with an issue on its agenda and the craftsman on the roster."""
    issue = issue_factory(organization=qingshan_tongxinhui, title="村口路灯不亮")
    services.issue_accept(issue=issue, actor=village_staff_qingshan)
    return services.meeting_schedule(
        organization=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="月度协商议事会",
        place="青山村文化礼堂",
        scheduled_at=timezone.now() - datetime.timedelta(hours=2),
        recording_past=True,
        issues=[Issue.objects.get(pk=issue.pk)],
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_secretary_sees_the_meeting_forms_as_crispy_wrote_them(
    language, held_meeting, village_staff_qingshan, craftsman_in_qingshan, django_assert_max_num_queries
):
    secretary = signed_in(village_staff_qingshan)
    secretary.cookies["django_language"] = language
    with django_assert_max_num_queries(14):
        response = secretary.get(reverse("staff_issues:meeting_detail", args=[held_meeting.pk]))
    page = squeezed(response.content.decode())
    with translation.override(language):
        consensus = response.context["agenda"][0].consensus_form
        attendance = response.context["attendance_form"]
        for bound in (consensus["consensus_text"], consensus["votes_for"], attendance["minutes"]):
            assert squeezed(form_field(bound)) == squeezed(as_crispy_field(bound))
            assert squeezed(form_field(bound)) in page
        (craftsman,) = attendance["attendees"]
        assert option_input(craftsman) == craftsman.tag()
    assert f'value="{craftsman_in_qingshan.pk}"' in page
    label = "赞成" if language == "zh-hans" else "For"
    assert re.search(rf'class="form-label requiredField">{label}<span class="asteriskField">\*</span>', page)


def test_a_field_sent_back_with_an_error_is_crispys_own(held_meeting, village_staff_qingshan):
    secretary = signed_in(village_staff_qingshan)
    response = secretary.post(
        reverse("staff_issues:meeting_attendance", args=[held_meeting.pk]),
        {
            "attendance-villagers_count": "-3",
            "attendance-department_reps_count": "0",
            "attendance-ufwd_reps_count": "0",
        },
    )
    bound = response.context["attendance_form"]["villagers_count"]
    assert bound.errors
    assert squeezed(form_field(bound)) == squeezed(as_crispy_field(bound))
    assert "is-invalid" in response.content.decode()


ADMIN_LISTS = ["/admin/consultations/issue/", "/admin/members/person/", "/admin/members/membership/"]


@pytest.mark.parametrize("url", ADMIN_LISTS)
def test_an_admin_changelist_runs_a_bounded_number_of_queries(
    url, district_admin_yuhang, issue_factory, qingshan_tongxinhui, craftsman_in_qingshan, django_assert_max_num_queries
):
    for number in range(12):
        issue_factory(organization=qingshan_tongxinhui, title=f"议题{number}")
    officer = signed_in(district_admin_yuhang)
    officer.get(url)
    with django_assert_max_num_queries(12):
        assert officer.get(url).status_code == 200


def test_each_row_of_a_changelist_has_djangos_checkbox_and_its_own_change_link(
    district_admin_yuhang, craftsman_in_qingshan
):
    membership = Membership.objects.get(person=craftsman_in_qingshan)
    page = signed_in(district_admin_yuhang).get("/admin/members/membership/").content.decode()
    membership_admin = admin.site._registry[Membership]
    with translation.override("zh-hans"):
        checkbox = membership_admin.action_checkbox(membership)
        assert checkbox == admin.ModelAdmin.action_checkbox(membership_admin, membership)
    assert checkbox in page
    assert f'href="{reverse("admin:members_membership_change", args=[membership.pk])}"' in page


@pytest.mark.parametrize(("language", "submitted"), [("zh-hans", "已提交"), ("en", "Submitted")])
def test_a_choice_column_says_the_label_in_the_readers_language_and_sorts_by_the_value(
    language, submitted, district_admin_yuhang, issue_factory, issue_in_state, qingshan_tongxinhui
):
    waiting = issue_factory(organization=qingshan_tongxinhui, title="等受理的议题")
    accepted = issue_in_state(IssueState.ACCEPTED)
    officer = signed_in(district_admin_yuhang)
    officer.cookies["django_language"] = language
    response = officer.get("/admin/consultations/issue/")
    with translation.override(language):
        assert str(waiting.get_state_display()) == submitted
    assert f'<td class="field-state">{submitted}</td>' in response.content.decode()
    state_column = list(response.context["cl"].list_display).index(
        next(item for item in response.context["cl"].list_display if getattr(item, "__name__", item) == "state")
    )
    by_state = officer.get(f"/admin/consultations/issue/?o={state_column}")
    shown = [row.pk for row in by_state.context["cl"].result_list]
    assert shown.index(accepted.pk) < shown.index(waiting.pk)  # "accepted" sorts before "submitted"


def test_a_person_with_no_stratum_shows_the_empty_value_as_before(district_admin_yuhang, craftsman_in_qingshan):
    Person.objects.filter(pk=craftsman_in_qingshan.pk).update(stratum="")
    assert Membership.objects.filter(person=craftsman_in_qingshan).exists()
    page = signed_in(district_admin_yuhang).get("/admin/members/person/").content.decode()
    assert '<td class="field-stratum">-</td>' in page


def test_the_side_menu_follows_a_change_of_role_at_once(tree, town_staff_huanghu):
    add_assignment = reverse("admin:members_contactassignment_add")
    officer = signed_in(town_staff_huanghu)
    assert add_assignment not in officer.get("/admin/").content.decode()
    # 列名联系 is assigned by the district: promoted, the same account may add one on its next page.
    User.objects.filter(pk=town_staff_huanghu.pk).update(role=Role.DISTRICT_ADMIN, region=tree.yuhang)
    assert add_assignment in officer.get("/admin/").content.decode()
