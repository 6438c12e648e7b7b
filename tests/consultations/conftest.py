"""Issues of 青山同心荟 at any point of the loop, driven there through the services as staff would.

Fixtures shared by every consultation test (sub-folders included):
- `issue_factory(**fields)`: a freshly submitted issue (anonymous villager by default).
- `drive_issue(issue, "agreed")`: carries an issue forward along the loop to the state named.
- `issue_in_state("agreed", **fields)`: both at once; the usual way to get an issue to test on.
- `sms_outbox`: the SMS "sent" during the test, with Celery running tasks eagerly.

The staff who act are the personas of tests/conftest.py: 青山村 secretary for the village steps, the
handler of 黄湖镇农业农村办 for the department's.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.utils import timezone

from consultations import services
from consultations.models import Issue, IssueCategory, PublicNotice
from consultations.states import IssueState
from orgs.models import Department, DepartmentLevel, Region
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.sms import backends as sms_backends

S = IssueState

# The main road of the loop; rejected and merged branch off at the start.
MAIN_ROAD = (
    S.SUBMITTED,
    S.ACCEPTED,
    S.DELIBERATING,
    S.AGREED,
    S.ASSIGNED,
    S.ANSWERED,
    S.HANDLED,
    S.PUBLICIZED,
    S.CLOSED,
)
BRANCHES = {S.REJECTED: S.SUBMITTED, S.MERGED: S.SUBMITTED}

SUBMITTER_PHONE = "13912345678"
SUBMITTER_NAME = "王大伯"


@pytest.fixture
def sms_outbox(settings):
    """Messages "sent" while the test runs, in order; Celery runs tasks at once, in the test's process."""
    from portal.celery import app

    settings.SMS_BACKEND = "portal.sms.backends.MemoryBackend"
    sms_backends.outbox.clear()
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield sms_backends.outbox
    app.conf.task_always_eager = was_eager
    sms_backends.outbox.clear()


def settle_outbox() -> None:
    """Delivers what the setup steps queued, as the worker would have long before the step under test, and
    forgets the SMS it sent: a test then sees only the messages of the step it is about. (Inside a test's
    never-committed transaction the after-commit kicks of the setup steps never fire.)"""
    from portal.notifications.outbox import outbox_dispatch_once

    while outbox_dispatch_once(limit=200):
        pass
    sms_backends.outbox.clear()


@pytest.fixture
def issue_factory(qingshan_tongxinhui):
    """issue_factory(organization=..., title=..., submitter_phone=..., ...) -> a submitted Issue."""
    numbers = itertools.count(1)

    def make(*, settle: bool = True, **fields: Any) -> Issue:
        number = next(numbers)
        fields.setdefault("organization", qingshan_tongxinhui)
        fields.setdefault("title", f"村口路灯不亮{number}")
        fields.setdefault("description", "村口到竹林的路灯坏了一个多月，晚上走路看不清。")
        fields.setdefault("category", IssueCategory.INFRASTRUCTURE)
        fields.setdefault("place", "村口")
        fields.setdefault("submitter_name", SUBMITTER_NAME)
        fields.setdefault("submitter_phone", SUBMITTER_PHONE)
        fields.setdefault("phone_visible_to_department", False)
        issue = services.issue_submit(**fields)
        if settle:
            settle_outbox()
        return issue

    return make


@pytest.fixture
def drive_issue(issue_factory, village_staff_qingshan, handler_huanghu, huanghu_water_office):
    """drive_issue(issue, "closed", staff=..., handler=..., department=...) -> the issue, reloaded, in that state.

    Moves forward only: along the main road, or from submitted to rejected / merged. By default 青山村's
    secretary and 黄湖镇农业农村办 act on issues of 黄湖镇; elsewhere a secretary of the organization's
    village and a department of its town are made on the spot.
    """

    def drive(issue: Issue, target: str, *, staff=None, handler=None, department=None) -> Issue:
        target = IssueState(target)
        issue.refresh_from_db()
        region = issue.organization.region
        in_huanghu = region.path.startswith(huanghu_water_office.region.path)
        if staff is None:
            staff = village_staff_qingshan if region == village_staff_qingshan.region else _secretary_of(region)
        if department is None:
            department = huanghu_water_office if in_huanghu else _department_above(region)
        if handler is None:
            handler = handler_huanghu if department == huanghu_water_office else _handler_of(department)
        road_end = BRANCHES.get(target, target)
        if issue.state not in MAIN_ROAD or MAIN_ROAD.index(issue.state) > MAIN_ROAD.index(road_end):
            raise ValueError(f"cannot drive an issue from {issue.state} forward to {target}")
        while issue.state != road_end:
            _step(issue, staff=staff, handler=handler, department=department)
            issue.refresh_from_db()
        if target == S.REJECTED:
            services.issue_reject(issue=issue, actor=staff, reason="属于个人纠纷，不在议事范围内。")
        elif target == S.MERGED:
            into = issue_factory(organization=issue.organization, title="同一路段路灯")
            services.issue_merge(issue=issue, into=into, actor=staff)
        issue.refresh_from_db()
        assert issue.state == target
        settle_outbox()
        return issue

    return drive


def _secretary_of(region: Region) -> User:
    user, _created = User.objects.get_or_create(
        username=f"secretary_{region.pk}",
        defaults={"role": Role.VILLAGE_STAFF, "region": region, "display_name": f"{region.name} 秘书"},
    )
    return user


def _department_above(region: Region) -> Department:
    town = region.parent or region
    department, _created = Department.objects.get_or_create(
        region=town, name=f"{town.name}农业农村办", defaults={"level": DepartmentLevel.TOWN}
    )
    return department


def _handler_of(department: Department) -> User:
    user, _created = User.objects.get_or_create(
        username=f"handler_{department.pk}",
        defaults={
            "role": Role.DEPARTMENT_HANDLER,
            "department": department,
            "display_name": f"{department.name} 经办人",
        },
    )
    return user


@pytest.fixture
def issue_in_state(issue_factory, drive_issue):
    """issue_in_state("agreed", **issue fields) -> an Issue of 青山同心荟 in that state."""

    def make(state: str, **fields: object) -> Issue:
        return drive_issue(issue_factory(**fields), state)

    return make


def _step(issue: Issue, *, staff, handler, department) -> None:
    """One step forward along the main road, as the people of the loop take it."""
    if issue.state == S.SUBMITTED:
        services.issue_accept(issue=issue, actor=staff)
    elif issue.state == S.ACCEPTED:
        meeting = services.meeting_schedule(
            organization=issue.organization,
            actor=staff,
            title="月度协商议事会",
            scheduled_at=timezone.now() - datetime.timedelta(hours=1),
            recording_past=True,
            place="青山村文化礼堂",
        )
        services.meeting_add_issue(meeting=meeting, issue=issue, actor=staff)
    elif issue.state == S.DELIBERATING:
        item = issue.agenda_items.select_related("meeting").order_by("-id").first()
        assert item is not None
        services.agenda_record_consensus(
            item=item,
            actor=staff,
            consensus_text="由村里统一更换路灯，费用从公益金列支。",
            votes_for=21,
            votes_against=2,
            votes_abstain=1,
        )
    elif issue.state == S.AGREED:
        services.issue_assign(issue=issue, actor=staff, department=department)
    elif issue.state == S.ASSIGNED:
        assignment = issue.assignments.get(state__in=["open", "acknowledged"])
        services.assignment_answer(assignment=assignment, actor=handler, answer="已更换路灯三盏，恢复照明。")
    elif issue.state == S.ANSWERED:
        # The village checks the lamps before the issue counts as handled.
        services.issue_confirm_done(issue=issue, actor=staff)
    elif issue.state == S.HANDLED:
        services.issue_publish(issue=issue, actor=staff, title="村口路灯已修复", body="村口路灯已更换，恢复照明。")
    elif issue.state == S.PUBLICIZED:
        # The notice period is over: move its end into the past rather than wait seven days.
        PublicNotice.objects.filter(issue=issue).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
        services.issue_close_after_notice(issue=issue)
    else:  # pragma: no cover - the road has no step from here
        raise ValueError(f"no step forward from {issue.state}")
