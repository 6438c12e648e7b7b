"""Departments, handlers and assignments for the department pages.

`assigned_issue(**fields)` drives an issue of 青山同心荟 through the services to 黄湖镇农业农村办
(accept → meeting → consensus → assign). `many_assignments(count)` writes rows directly, for measuring
queries only: the number of queries a page runs must not depend on how many rows there are.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from consultations import services
from consultations.models import Assignment, AssignmentState, Issue, IssueCategory
from consultations.states import IssueState
from orgs.models import Department, DepartmentLevel
from portal.accounts.models import User
from portal.accounts.roles import Role


@pytest.fixture
def yuhang_transport_bureau(tree):
    return Department.objects.create(name="余杭区交通运输局", level=DepartmentLevel.DISTRICT, region=tree.yuhang)


@pytest.fixture
def handler_transport(yuhang_transport_bureau):
    return User.objects.create_user(
        username="transport_handler",
        password="correct-horse-42",
        role=Role.DEPARTMENT_HANDLER,
        department=yuhang_transport_bureau,
        display_name="交通运输局 经办人 钱多",
    )


@pytest.fixture
def assigned_issue(issue_in_state, village_staff_qingshan):
    """assigned_issue(department=..., **issue fields) -> the live Assignment of a freshly assigned issue."""

    def make(department=None, **fields: object) -> Assignment:
        if department is None:
            issue = issue_in_state("assigned", **fields)
        else:
            issue = issue_in_state("agreed", **fields)
            services.issue_assign(
                issue=issue, actor=village_staff_qingshan, department=department, instructions="请核实后答复。"
            )
        return issue.assignments.get(state__in=[AssignmentState.OPEN, AssignmentState.ACKNOWLEDGED])

    return make


@pytest.fixture
def many_assignments(qingshan_tongxinhui, huanghu_water_office, village_staff_qingshan):
    """many_assignments(count) -> open assignments of the water office, half of them past their deadline."""
    counter = iter(range(10_000_000, 99_999_999))

    def make(count: int) -> list[Assignment]:
        now = timezone.now()
        today = timezone.localdate()
        issues = Issue.objects.bulk_create(
            Issue(
                receipt_code=str(next(counter)),
                organization=qingshan_tongxinhui,
                region_id=qingshan_tongxinhui.region_id,
                title=f"批量议题{index}",
                description="批量",
                category=IssueCategory.OTHER,
                submitter_name="村民",
                submitter_phone="13700000000",
                state=IssueState.ASSIGNED,
                state_changed_at=now,
            )
            for index in range(count)
        )
        return Assignment.objects.bulk_create(
            Assignment(
                issue=issue,
                department=huanghu_water_office,
                working_days=15,
                deadline=today + datetime.timedelta(days=(index % 2) * 40 - 20),
                assigned_by=village_staff_qingshan,
            )
            for index, issue in enumerate(issues)
        )

    return make
