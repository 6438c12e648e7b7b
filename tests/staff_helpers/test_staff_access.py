"""One role check for every staff area: anonymous visitors log in first, other roles get the area's own 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from portal.accounts.roles import Role
from portal.staff_access import acting_user, role_required

ROSTER = reverse("members:roster")
ISSUE_QUEUE = reverse("staff_issues:queue")
ACTIVITIES = reverse("staff_activities:list")
DEPARTMENT_QUEUE = reverse("department:queue")

STAFF_AREAS = [ROSTER, ISSUE_QUEUE, ACTIVITIES]
STAFF = ["district_admin_yuhang", "town_staff_huanghu", "village_staff_qingshan"]


def _refusal_of(view, user) -> str:
    request = RequestFactory().get("/somewhere/")
    request.user = user
    with pytest.raises(PermissionDenied) as refused:
        view(request)
    return str(refused.value)


@role_required(Role.VILLAGE_STAFF, refusal=gettext_lazy("人员名册仅对村、镇街工作人员和统战部管理员开放。"))
def roster_like_page(request):
    return HttpResponse(f"你好，{acting_user(request).display_name}")


@role_required(Role.DEPARTMENT_HANDLER, refusal=gettext_lazy("这里是职能部门经办人的工作页面。"), superusers=False)
def handlers_only_page(request):
    return HttpResponse("部门待办")


@pytest.mark.parametrize("page", [*STAFF_AREAS, DEPARTMENT_QUEUE])
def test_an_anonymous_visitor_of_any_staff_page_is_sent_to_log_in_and_comes_back(client, db, page):
    response = client.get(page)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={page}"


@pytest.mark.parametrize("page", STAFF_AREAS)
@pytest.mark.parametrize("persona", [*STAFF, "installation_superuser"])
def test_village_town_and_district_staff_and_the_superuser_open_the_roster_issues_and_activities(
    client, request, page, persona
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(page).status_code == 200


@pytest.mark.parametrize("page", STAFF_AREAS)
@pytest.mark.parametrize("persona", ["member_craftsman", "handler_huanghu"])
def test_members_and_department_handlers_are_refused_the_staff_areas(client, request, page, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(page).status_code == 403


@pytest.mark.parametrize("persona", [*STAFF, "member_craftsman", "installation_superuser"])
def test_only_department_handlers_open_the_department_queue_not_even_the_superuser(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(DEPARTMENT_QUEUE).status_code == 403


def test_a_department_handler_opens_the_department_queue(client, handler_huanghu):
    client.force_login(handler_huanghu)
    assert client.get(DEPARTMENT_QUEUE).status_code == 200


@pytest.mark.parametrize("persona", ["member_craftsman", "handler_huanghu", "town_staff_huanghu"])
def test_each_wrong_role_is_told_which_staff_the_page_is_for(request, persona):
    assert (
        _refusal_of(roster_like_page, request.getfixturevalue(persona))
        == "人员名册仅对村、镇街工作人员和统战部管理员开放。"
    )


def test_the_refusal_is_in_the_language_of_the_request_not_of_the_moment_the_page_was_declared(member_craftsman):
    with translation.override("en"):
        refusal = _refusal_of(handlers_only_page, member_craftsman)
    assert refusal == "This is the work page for government department handlers."


def test_a_superuser_is_refused_where_the_page_says_superusers_false(installation_superuser):
    assert _refusal_of(handlers_only_page, installation_superuser) == "这里是职能部门经办人的工作页面。"


def test_the_acting_user_is_the_signed_in_staff_member(village_staff_qingshan):
    request = RequestFactory().get("/somewhere/")
    request.user = village_staff_qingshan
    assert roster_like_page(request).content.decode() == "你好，青山村 秘书 李娟"
