"""Department handlers hear of new assignments, of deadlines coming and passed; late ones go up the tree."""

from __future__ import annotations

import datetime

import pytest

from consultations import services
from consultations.handler_messages import assignment_new_notify
from consultations.models import Assignment
from consultations.reminders import assignments_due_for_reminders, assignments_remind_deadlines
from orgs.models import Department, DepartmentLevel, RegionLevel
from orgs.services import region_create
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.notifications.kinds import Channel, Kind
from tests.reminders.reminder_helpers import assignment_copies, count_queries, inbox_recipients, outbox

pytestmark = pytest.mark.any_hour

D = datetime.date
HANDLER_PHONE = "13600009999"


@pytest.fixture
def assignment(issue_in_state, handler_huanghu) -> Assignment:
    """An issue of 青山同心荟 handed to 黄湖镇农业农村办, whose handler has a phone for SMS."""
    handler_huanghu.phone = HANDLER_PHONE
    handler_huanghu.save(update_fields=["phone"])
    issue = issue_in_state("assigned", title="村口路灯不亮")
    return issue.assignments.get(state="open")


@pytest.fixture
def people_elsewhere(tree, huanghu_water_office):
    """Staff who must hear nothing of 黄湖镇's assignments: another town's, another district's, another department's."""
    other_department = Department.objects.create(name="黄湖镇城建办", level=DepartmentLevel.TOWN, region=tree.huanghu)
    return [
        User.objects.create_user(username="longgang_staff", role=Role.TOWN_STAFF, region=tree.longgang),
        User.objects.create_user(username="linan_admin", role=Role.DISTRICT_ADMIN, region=tree.linan),
        User.objects.create_user(username="other_handler", role=Role.DEPARTMENT_HANDLER, department=other_department),
    ]


def due_on(assignment: Assignment, deadline: datetime.date) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(deadline=deadline)


def run_on(*days: datetime.date) -> None:
    for day in days:
        assignments_remind_deadlines(today=day)


# ---- a new assignment --------------------------------------------------------------------------------------------


def test_handlers_of_the_department_are_told_of_a_new_assignment_once(assignment, handler_huanghu, people_elsewhere):
    colleague = User.objects.create_user(
        username="huanghu_handler_2", role=Role.DEPARTMENT_HANDLER, department=handler_huanghu.department
    )

    assignment_new_notify(assignment)
    assignment_new_notify(assignment)

    assert inbox_recipients(Kind.ASSIGNMENT_NEW) == {handler_huanghu.username, colleague.username}
    sms = outbox(Kind.ASSIGNMENT_NEW, channel=Channel.SMS).get()
    assert sms.phone == HANDLER_PHONE
    assert "村口路灯不亮" in sms.body
    assert f"{assignment.deadline.month}月{assignment.deadline.day}日" in sms.body
    message = outbox(Kind.ASSIGNMENT_NEW, channel=Channel.INBOX).first()
    assert message is not None and message.url == f"/department/assignments/{assignment.pk}/"


# ---- three working days before the deadline ----------------------------------------------------------------------


def test_handler_is_reminded_once_three_working_days_before_the_deadline(assignment, handler_huanghu, people_elsewhere):
    due_on(assignment, D(2026, 11, 19))  # a Thursday

    run_on(D(2026, 11, 13))  # Friday: four working days to go
    assert not outbox(Kind.ASSIGNMENT_DUE_SOON).exists()

    run_on(D(2026, 11, 16), D(2026, 11, 16), D(2026, 11, 17), D(2026, 11, 18))
    assert inbox_recipients(Kind.ASSIGNMENT_DUE_SOON) == {handler_huanghu.username}
    assert outbox(Kind.ASSIGNMENT_DUE_SOON, channel=Channel.INBOX).count() == 1
    sms = outbox(Kind.ASSIGNMENT_DUE_SOON, channel=Channel.SMS).get()
    assert sms.phone == HANDLER_PHONE
    assert "11月19日" in sms.body


def test_three_working_days_before_a_deadline_after_national_day_skip_the_holiday(assignment):
    due_on(assignment, D(2026, 10, 9))  # the Friday after 国庆 (1–7 October)

    run_on(D(2026, 9, 28))  # 9-29, 9-30, 10-8, 10-9: four working days to go
    assert not outbox(Kind.ASSIGNMENT_DUE_SOON).exists()

    run_on(D(2026, 9, 29))  # ten calendar days before, but only three working days
    assert outbox(Kind.ASSIGNMENT_DUE_SOON, channel=Channel.INBOX).count() == 1


# ---- overdue ----------------------------------------------------------------------------------------------------


def test_handler_is_told_each_working_day_an_assignment_is_overdue_once_a_day(assignment, handler_huanghu):
    due_on(assignment, D(2026, 11, 13))  # a Friday

    run_on(D(2026, 11, 13))  # the deadline itself is not overdue
    assert not outbox(Kind.ASSIGNMENT_OVERDUE).exists()

    run_on(D(2026, 11, 16), D(2026, 11, 16), D(2026, 11, 17))
    assert outbox(Kind.ASSIGNMENT_OVERDUE, channel=Channel.INBOX).count() == 2
    assert outbox(Kind.ASSIGNMENT_OVERDUE, channel=Channel.SMS).count() == 2
    assert inbox_recipients(Kind.ASSIGNMENT_OVERDUE) == {handler_huanghu.username}

    run_on(D(2026, 11, 21), D(2026, 11, 22))  # a weekend: nobody is at the desk
    assert outbox(Kind.ASSIGNMENT_OVERDUE, channel=Channel.INBOX).count() == 2


def test_no_reminders_on_a_public_holiday(assignment):
    due_on(assignment, D(2026, 9, 29))

    run_on(D(2026, 10, 5))  # 国庆

    assert not outbox(Kind.ASSIGNMENT_OVERDUE).exists()


def test_answered_and_returned_assignments_are_not_reminded(assignment, handler_huanghu, issue_in_state):
    returned = issue_in_state("assigned", title="垃圾清运不及时").assignments.get(state="open")
    services.assignment_answer(assignment=assignment, actor=handler_huanghu, answer="已修复。")
    services.assignment_return(assignment=returned, actor=handler_huanghu, reason="不属于本部门职责。")
    Assignment.objects.update(deadline=D(2026, 11, 3))

    run_on(D(2026, 11, 16), D(2026, 11, 24))

    assert not outbox(Kind.ASSIGNMENT_OVERDUE).exists()
    assert not outbox(Kind.ASSIGNMENT_ESCALATED).exists()


def test_other_departments_and_places_hear_nothing(assignment, people_elsewhere, village_staff_qingshan):
    due_on(assignment, D(2026, 11, 3))

    run_on(D(2026, 11, 16))

    told = set(outbox(Kind.ASSIGNMENT_OVERDUE).values_list("user__username", flat=True)) | inbox_recipients(
        Kind.ASSIGNMENT_ESCALATED
    )
    assert told.isdisjoint({user.username for user in [*people_elsewhere, village_staff_qingshan]})


# ---- escalation --------------------------------------------------------------------------------------------------


def test_overdue_assignment_goes_to_town_staff_after_three_working_days_and_district_after_seven(
    assignment, town_staff_huanghu, district_admin_yuhang, village_staff_qingshan, people_elsewhere
):
    due_on(assignment, D(2026, 11, 13))  # Friday; overdue from Monday 11-16

    run_on(D(2026, 11, 16), D(2026, 11, 17))  # 1 and 2 overdue working days
    assert not outbox(Kind.ASSIGNMENT_ESCALATED).exists()

    run_on(D(2026, 11, 18))  # 3
    assert inbox_recipients(Kind.ASSIGNMENT_ESCALATED) == {town_staff_huanghu.username}

    run_on(D(2026, 11, 19), D(2026, 11, 20), D(2026, 11, 23))  # 4, 5, 6: nothing new up the tree
    assert inbox_recipients(Kind.ASSIGNMENT_ESCALATED) == {town_staff_huanghu.username}
    assert outbox(Kind.ASSIGNMENT_ESCALATED, channel=Channel.INBOX).count() == 1

    run_on(D(2026, 11, 24), D(2026, 11, 24), D(2026, 11, 25))  # 7, again, 8
    assert inbox_recipients(Kind.ASSIGNMENT_ESCALATED) == {town_staff_huanghu.username, district_admin_yuhang.username}
    assert outbox(Kind.ASSIGNMENT_ESCALATED, channel=Channel.INBOX).count() == 2
    town_message = outbox(Kind.ASSIGNMENT_ESCALATED, user=town_staff_huanghu, channel=Channel.INBOX).get()
    assert "黄湖镇农业农村办" in town_message.body
    assert "3 个工作日" in town_message.body
    assert town_message.url == f"/staff/issues/{assignment.issue_id}/"


def test_escalation_counts_working_days_across_national_day(assignment, town_staff_huanghu):
    due_on(assignment, D(2026, 9, 29))  # overdue working days: 9-30, then 10-8 and 10-9 after the holiday

    run_on(D(2026, 9, 30), D(2026, 10, 8))
    assert not outbox(Kind.ASSIGNMENT_ESCALATED).exists()

    run_on(D(2026, 10, 9))
    assert inbox_recipients(Kind.ASSIGNMENT_ESCALATED) == {town_staff_huanghu.username}


def test_staff_above_a_deeper_place_are_found_through_the_region_tree(
    issue_factory, drive_issue, tree, district_admin_yuhang
):
    """Staff and admins are found by the region tree, however deep the issue's place is."""
    hamlet = region_create(name="青山村一组", level=RegionLevel.VILLAGE, parent=tree.qingshan)
    town_staff = User.objects.create_user(username="huanghu_staff_2", role=Role.TOWN_STAFF, region=tree.huanghu)
    issue = drive_issue(issue_factory(), "assigned")
    type(issue).objects.filter(pk=issue.pk).update(region=hamlet)
    Assignment.objects.filter(issue=issue).update(deadline=D(2026, 11, 3))

    run_on(D(2026, 11, 16))

    assert inbox_recipients(Kind.ASSIGNMENT_ESCALATED) == {town_staff.username, district_admin_yuhang.username}


# ---- cost ---------------------------------------------------------------------------------------------------------


def test_deadline_sweep_queries_do_not_grow_with_assignments_not_yet_due(
    assignment, issue_in_state, town_staff_huanghu, district_admin_yuhang
):
    due_soon = issue_in_state("assigned").assignments.get(state="open")
    Assignment.objects.filter(pk=due_soon.pk).update(deadline=D(2026, 11, 19))
    due_on(assignment, D(2026, 11, 3))
    assignment_copies(assignment, 5, deadline=D(2027, 1, 15))
    assignment_copies(assignment, 5, deadline=D(2026, 11, 3), state="answered")

    with_few = count_queries(lambda: run_on(D(2026, 11, 16)))
    assignment_copies(assignment, 95, deadline=D(2027, 1, 15))
    assignment_copies(assignment, 95, deadline=D(2026, 11, 3), state="answered")
    with_many = count_queries(lambda: run_on(D(2026, 11, 16)))

    assert with_many == with_few
    assert outbox(Kind.ASSIGNMENT_OVERDUE, channel=Channel.INBOX).count() == 1
    assert outbox(Kind.ASSIGNMENT_DUE_SOON, channel=Channel.INBOX).count() == 1


# ---- in chunks, as beat's task hands them to the workers ---------------------------------------------------------


def test_a_chunk_reminds_of_its_own_assignments_and_passes_over_one_answered_since_it_was_chosen(
    assignment, handler_huanghu, issue_in_state, town_staff_huanghu
):
    second = issue_in_state("assigned", title="水渠堵了").assignments.get(state="open")
    due_on(assignment, D(2026, 11, 13))
    due_on(second, D(2026, 11, 13))
    wednesday = D(2026, 11, 18)  # the third overdue working day
    chosen = assignments_due_for_reminders(today=wednesday)
    assert chosen == sorted([assignment.pk, second.pk])

    Assignment.objects.filter(pk=second.pk).update(state="answered")  # answered before its chunk ran
    assert assignments_remind_deadlines(today=wednesday, ids=[second.pk]) == 0
    assignments_remind_deadlines(today=wednesday, ids=[assignment.pk])

    overdue = outbox(Kind.ASSIGNMENT_OVERDUE, channel=Channel.INBOX).get()
    assert "村口路灯不亮" in overdue.body
    assert inbox_recipients(Kind.ASSIGNMENT_ESCALATED) == {town_staff_huanghu.username}


def test_no_assignment_is_chosen_on_a_day_off(assignment):
    due_on(assignment, D(2026, 11, 13))
    assert assignments_due_for_reminders(today=D(2026, 11, 21)) == []  # a Saturday
