"""Who sees and changes which issues, assignments and meetings: role × object × action, as a matrix.

(Named test_issue_scoping_matrix.py because tests/test_scoping_matrix.py already holds that module name.)
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from consultations.scoping import assignments_for, issues_for, meetings_for, submitter_phone_for
from orgs.models import Department, DepartmentLevel
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.phones import mask_phone
from portal.scoping import Action

pytestmark = pytest.mark.django_db

LIST, VIEW, CHANGE = Action.LIST, Action.VIEW, Action.CHANGE
QINGSHAN = {"qs_own", "qs_private", "qs_unassigned", "qs_answered"}
QS_HANDED = {"qs_own", "qs_private", "qs_answered"}


class World:
    """Issues in three villages, named by key, with their assignments and meetings."""

    def __init__(self, issues):
        self.issues = issues

    def issue_keys(self, queryset):
        by_pk = {issue.pk: key for key, issue in self.issues.items()}
        return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}

    def assignment_keys(self, queryset):
        by_issue = {issue.pk: key for key, issue in self.issues.items()}
        return {by_issue[issue_id] for issue_id in queryset.values_list("issue_id", flat=True)}

    def meeting_keys(self, queryset):
        return set(queryset.values_list("organization__slug", flat=True).distinct())


@pytest.fixture
def wangweishan_staff(tree):
    return User.objects.create_user(
        username="wangweishan_secretary", password="x", role=Role.VILLAGE_STAFF, region=tree.wangweishan
    )


@pytest.fixture
def other_handler(tree):
    department = Department.objects.create(name="黄湖镇城建办", level=DepartmentLevel.TOWN, region=tree.huanghu)
    return User.objects.create_user(
        username="chengjian_handler", password="x", role=Role.DEPARTMENT_HANDLER, department=department
    )


@pytest.fixture
def other_member(designer_in_wanghu):
    return User.objects.create_user(
        username="m13900002222", password="x", role=Role.MEMBER, person=designer_in_wanghu, phone="13900002222"
    )


@pytest.fixture
def superuser(db):
    return User.objects.create_user(username="root", password="x", role=Role.MEMBER, is_superuser=True)


@pytest.fixture
def world(issue_in_state, member_craftsman, wangweishan_tongxinhui, tianmu_alliance):
    return World(
        {
            # 青山: the member's own issue, handed to 黄湖镇农业农村办, phone shared with the department…
            "qs_own": issue_in_state(
                "assigned",
                submitter_user=member_craftsman,
                submitter_name="张竹青",
                submitter_phone="13800001111",
                phone_visible_to_department=True,
            ),
            # …an anonymous villager's, handed over too, phone kept from the department…
            "qs_private": issue_in_state("assigned", submitter_phone="13911112222"),
            # …one never handed to any department, and one the department already answered.
            "qs_unassigned": issue_in_state("agreed"),
            "qs_answered": issue_in_state("handled"),
            # 王位山 (same town), handed to the same department; 望湖 (another district), to its own town's.
            "wws": issue_in_state("assigned", organization=wangweishan_tongxinhui),
            "wh": issue_in_state("assigned", organization=tianmu_alliance),
        }
    )


# persona → what it may list/view and change: issues, assignments (by their issue), meetings (by organization)
MATRIX: dict[str, dict[str, tuple[set[str], set[str]]]] = {
    "village_staff_qingshan": {
        "issues": (QINGSHAN, QINGSHAN),
        "assignments": (QS_HANDED, set()),
        "meetings": ({"qingshan"}, {"qingshan"}),
    },
    "wangweishan_staff": {
        "issues": ({"wws"}, {"wws"}),
        "assignments": ({"wws"}, set()),
        "meetings": ({"wangweishan"}, {"wangweishan"}),
    },
    "village_staff_wanghu": {
        "issues": ({"wh"}, {"wh"}),
        "assignments": ({"wh"}, set()),
        "meetings": ({"tianmu-wanghu"}, {"tianmu-wanghu"}),
    },
    "town_staff_huanghu": {
        "issues": (QINGSHAN | {"wws"}, QINGSHAN | {"wws"}),
        "assignments": (QS_HANDED | {"wws"}, set()),
        "meetings": ({"qingshan", "wangweishan"}, {"qingshan", "wangweishan"}),
    },
    "district_admin_yuhang": {
        "issues": (QINGSHAN | {"wws"}, QINGSHAN | {"wws"}),
        "assignments": (QS_HANDED | {"wws"}, set()),
        "meetings": ({"qingshan", "wangweishan"}, {"qingshan", "wangweishan"}),
    },
    "handler_huanghu": {
        # Only what was handed to the department; only the live assignments can still be changed.
        "issues": (QS_HANDED | {"wws"}, set()),
        "assignments": (QS_HANDED | {"wws"}, {"qs_own", "qs_private", "wws"}),
        "meetings": (set(), set()),
    },
    "other_handler": {
        "issues": (set(), set()),
        "assignments": (set(), set()),
        "meetings": (set(), set()),
    },
    "member_craftsman": {
        "issues": ({"qs_own"}, set()),
        # The department's instructions and working notes are not the submitter's to read; the outcome
        # reaches them through the public timeline.
        "assignments": (set(), set()),
        "meetings": (set(), set()),
    },
    "other_member": {
        "issues": (set(), set()),
        "assignments": (set(), set()),
        "meetings": (set(), set()),
    },
    "anonymous": {
        "issues": (set(), set()),
        "assignments": (set(), set()),
        "meetings": (set(), set()),
    },
}

SCOPES = {"issues": issues_for, "assignments": assignments_for, "meetings": meetings_for}


def _persona(request, name):
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


@pytest.mark.parametrize("persona", list(MATRIX))
def test_each_role_sees_and_changes_exactly_its_share(request, world, persona):
    user = _persona(request, persona)
    keys_of = {"issues": world.issue_keys, "assignments": world.assignment_keys, "meetings": world.meeting_keys}
    for kind, (visible, changeable) in MATRIX[persona].items():
        scope = SCOPES[kind]
        for action, expected in ((LIST, visible), (VIEW, visible), (CHANGE, changeable)):
            assert keys_of[kind](scope(user, action)) == expected, f"{persona} {action} {kind}"


def test_an_inactive_staff_account_sees_nothing(world, village_staff_qingshan):
    village_staff_qingshan.is_active = False
    village_staff_qingshan.save(update_fields=["is_active"])
    for scope in SCOPES.values():
        assert not scope(village_staff_qingshan, VIEW).exists()


def test_a_superuser_sees_everything(world, superuser):
    assert world.issue_keys(issues_for(superuser, CHANGE)) == set(world.issues)


# ---- the submitter's phone ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "issue_key", "whole"),
    [
        ("handler_huanghu", "qs_own", True),  # the submitter allowed it on the form
        ("handler_huanghu", "qs_private", False),
        ("town_staff_huanghu", "qs_own", False),
        ("town_staff_huanghu", "qs_private", False),
        ("village_staff_qingshan", "qs_own", True),
        ("village_staff_qingshan", "qs_private", True),
        ("district_admin_yuhang", "qs_private", True),
        ("member_craftsman", "qs_own", True),  # their own number
        ("member_craftsman", "qs_private", False),
        ("other_member", "qs_own", False),
        ("anonymous", "qs_own", False),
        ("superuser", "qs_private", True),
    ],
)
def test_the_submitters_phone_is_shown_whole_only_to_those_who_need_it(request, world, persona, issue_key, whole):
    issue = world.issues[issue_key]
    shown = submitter_phone_for(_persona(request, persona), issue)
    assert shown == (issue.submitter_phone if whole else mask_phone(issue.submitter_phone))
    if not whole:
        assert issue.submitter_phone[3:7] not in shown
