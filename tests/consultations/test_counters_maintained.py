"""The 已解决议题 figures and the board are kept by the services in the transaction of each step, and always equal a
recount: after every kind of step, through the real services and through the transition table itself (so an
action added to consultations/states.py later is covered without touching this file), the pages show the
recounted figure."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.counters import counters_check, counters_rebuild, recount, resolved_issue_count
from consultations.models import Issue, OrganizationResolvedTally, PublicNotice, Rating
from consultations.states import TRANSITIONS, IssueAction, IssueState
from orgs.models import RegionLevel
from orgs.services import region_create, region_update

pytestmark = pytest.mark.django_db

A, S = IssueAction, IssueState


def assert_counters_equal_a_recount(client, organization) -> None:
    """Every kept counter equals the recount, and the home page, the organization page and the board say so."""
    assert counters_check() == []
    expected = recount()
    total = len(expected.notice_ids)
    of_organization = expected.by_organization.get(organization.pk, 0)
    assert client.get(reverse("home")).context["resolved_count"] == total
    assert client.get(reverse("orgs:public_detail", args=[organization.slug])).context["resolved_count"] == (
        of_organization
    )
    board = client.get(reverse("notices:board"))
    assert board.context["resolved_count"] == total == board.context["page"].paginator.count
    assert sorted(notice.pk for notice in board.context["page"].object_list) == sorted(expected.notice_ids)[-20:]
    by_org = client.get(reverse("notices:board"), {"org": organization.slug})
    assert by_org.context["resolved_count"] == of_organization == len(by_org.context["page"].object_list)


# ---- each kind of step, through the service staff, handlers and submitters use ------------------------------

Step = Callable[..., object]


def _meeting_of(issue: Issue):
    return issue.agenda_items.select_related("meeting").order_by("-id").first()


def _live_assignment(issue: Issue):
    return issue.assignments.get(state__in=["open", "acknowledged"])


def _archived_and_rated_unsatisfied(issue_in_state) -> Issue:
    issue = issue_in_state("closed")
    services.feedback_submit(issue=issue, rating=Rating.UNSATISFIED, comment="路灯又坏了")
    return issue


# action → (how to get an issue ready for it, the step itself). Keyed by the action's value, so a step may be
# written here before its action reaches consultations/states.py.
STEPS: dict[str, tuple[Callable[..., Issue], Callable[..., object]]] = {
    A.SUBMIT: (lambda make, factory: factory(), lambda issue, staff, handler: None),
    A.ACCEPT: (lambda make, factory: make("submitted"), lambda i, s, h: services.issue_accept(issue=i, actor=s)),
    A.REJECT: (
        lambda make, factory: make("submitted"),
        lambda i, s, h: services.issue_reject(issue=i, actor=s, reason="不在议事范围内"),
    ),
    A.MERGE: (
        lambda make, factory: make("submitted"),
        lambda i, s, h: services.issue_merge(issue=i, into=make_into(i), actor=s),
    ),
    A.PUT_ON_AGENDA: (
        lambda make, factory: make("accepted"),
        lambda i, s, h: services.meeting_schedule(
            organization=i.organization,
            actor=s,
            title="月度协商议事会",
            scheduled_at=timezone.now() + datetime.timedelta(days=3),
            place="青山村文化礼堂",
            issues=[i],
        ),
    ),
    A.RECORD_CONSENSUS: (
        lambda make, factory: make("deliberating"),
        lambda i, s, h: services.agenda_record_consensus(
            item=_meeting_of(i), actor=s, consensus_text="统一更换路灯", votes_for=9, votes_against=1, votes_abstain=0
        ),
    ),
    A.NO_CONSENSUS_REQUEUE: (
        lambda make, factory: make("deliberating"),
        lambda i, s, h: services.agenda_record_no_consensus(item=_meeting_of(i), actor=s, note="分歧较大"),
    ),
    A.NO_CONSENSUS_CLOSE: (
        lambda make, factory: make("deliberating"),
        lambda i, s, h: services.agenda_record_no_consensus(item=_meeting_of(i), actor=s, note="分歧较大", close=True),
    ),
    A.MEETING_CANCEL: (
        lambda make, factory: make("deliberating"),
        lambda i, s, h: services.meeting_cancel(meeting=_meeting_of(i).meeting, actor=s, reason="台风停会"),
    ),
    A.CORRECT_TALLY: (
        lambda make, factory: make("closed"),
        lambda i, s, h: services.agenda_correct_tally(
            item=i.agenda_items.get(), actor=s, votes_for=20, votes_against=2, votes_abstain=2, reason="点票有误"
        ),
    ),
    A.RESOLVE_IN_VILLAGE: (
        lambda make, factory: make("agreed"),
        lambda i, s, h: services.issue_resolve_in_village(issue=i, actor=s, resolution="村里自行修好"),
    ),
    A.ASSIGN: (
        lambda make, factory: make("agreed"),
        lambda i, s, h: services.issue_assign(issue=i, actor=s, department=h.department),
    ),
    A.ACKNOWLEDGE: (
        lambda make, factory: make("assigned"),
        lambda i, s, h: services.assignment_acknowledge(assignment=_live_assignment(i), actor=h),
    ),
    A.INTERIM_REPLY: (
        lambda make, factory: make("assigned"),
        lambda i, s, h: services.assignment_interim_reply(
            assignment=_live_assignment(i), actor=h, reply="正在采购灯具", promised_on=timezone.localdate()
        ),
    ),
    A.ANSWER: (
        lambda make, factory: make("assigned"),
        lambda i, s, h: services.assignment_answer(assignment=_live_assignment(i), actor=h, answer="已更换"),
    ),
    A.RETURN: (
        lambda make, factory: make("assigned"),
        lambda i, s, h: services.assignment_return(assignment=_live_assignment(i), actor=h, reason="不属本部门"),
    ),
    A.CONFIRM_DONE: (
        lambda make, factory: make("answered"),
        lambda i, s, h: services.issue_confirm_done(issue=i, actor=s),
    ),
    A.SEND_BACK: (
        lambda make, factory: make("answered"),
        lambda i, s, h: services.issue_send_back(issue=i, actor=s, reason="路灯仍有一盏不亮"),
    ),
    A.SUBMITTER_NOT_DONE: (
        lambda make, factory: make("answered"),
        lambda i, s, h: services.issue_report_not_done_by_submitter(issue=i, note="还没修好"),
    ),
    A.PUBLISH: (
        lambda make, factory: make("handled"),
        lambda i, s, h: services.issue_publish(issue=i, actor=s, title="路灯已修复", body="已更换三盏路灯。"),
    ),
    A.CLOSE_AFTER_NOTICE: (
        lambda make, factory: make("publicized"),
        lambda i, s, h: (
            PublicNotice.objects.filter(issue=i).update(ends_at=timezone.now() - datetime.timedelta(minutes=1)),
            services.notices_close_expired(),
        ),
    ),
    A.RATE: (
        lambda make, factory: make("publicized"),
        lambda i, s, h: services.feedback_submit(issue=i, rating=Rating.SATISFIED),
    ),
    A.REOPEN: (
        lambda make, factory: _archived_and_rated_unsatisfied(make),
        lambda i, s, h: services.issue_reopen(issue=i, actor=s, reason="反映人不满意"),
    ),
    "send_back": (
        lambda make, factory: make("answered"),
        lambda i, s, h: services.issue_send_back(issue=i, actor=s, reason="路灯还是不亮"),
    ),
    "submitter_not_done": (
        lambda make, factory: make("answered"),
        lambda i, s, h: services.issue_report_not_done_by_submitter(issue=i, note="还没修好"),
    ),
}
# The steps of the actions the transition table has today.
STEPS_IN_THE_TABLE = [action for action in STEPS if action in IssueAction.values]


def make_into(issue: Issue) -> Issue:
    return services.issue_submit(
        organization=issue.organization,
        title="同一路段路灯",
        description="同一件事",
        category=issue.category,
        place="村口",
        submitter_name="李阿姨",
        submitter_phone="13911112222",
        phone_visible_to_department=False,
    )


def test_every_action_of_the_transition_table_has_a_step_here():
    # A new action in consultations/states.py needs its service step above: its counters are then checked too.
    assert {action.value for action in TRANSITIONS} | {A.SUBMIT.value} <= set(STEPS)


@pytest.fixture
def on_the_board(issue_in_state):
    """Two results already on the board, of issues that stay where they are, so each step changes a figure
    that is not zero."""
    issue_in_state("publicized", title="旧路灯已修")
    issue_in_state("closed", title="水渠已清")


@pytest.mark.parametrize("action", STEPS_IN_THE_TABLE)
def test_after_each_kind_of_step_every_counter_equals_a_recount(
    action,
    client,
    on_the_board,
    issue_in_state,
    issue_factory,
    village_staff_qingshan,
    handler_huanghu,
    qingshan_tongxinhui,
):
    prepare, step = STEPS[action]
    issue = prepare(issue_in_state, issue_factory)
    assert_counters_equal_a_recount(client, qingshan_tongxinhui)
    step(issue, village_staff_qingshan, handler_huanghu)
    assert_counters_equal_a_recount(client, qingshan_tongxinhui)


# ---- each transition of the table from each state it starts from, through the one place a state changes ------

ROAD = ("submitted", "accepted", "deliberating", "agreed", "assigned", "answered", "handled", "publicized", "closed")
TABLE = sorted(
    (action, state)
    for action, (from_states, _to) in TRANSITIONS.items()
    for state in from_states
    if state in {*ROAD, "rejected", "merged"}
)


@pytest.mark.parametrize(("action", "from_state"), TABLE, ids=[f"{a.value}-from-{s.value}" for a, s in TABLE])
def test_each_transition_of_the_table_keeps_the_counters(
    action, from_state, client, issue_in_state, qingshan_tongxinhui
):
    issue = issue_in_state(from_state)
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        services._apply(locked, action, actor=None, actor_label="测试")
    assert_counters_equal_a_recount(client, qingshan_tongxinhui)


# ---- what the figure means across a result's life ------------------------------------------------------------


def test_a_reopened_result_leaves_the_board_and_a_new_one_counts_once(
    client, issue_in_state, drive_issue, village_staff_qingshan, qingshan_tongxinhui
):
    issue = _archived_and_rated_unsatisfied(issue_in_state)
    first = PublicNotice.objects.get(issue=issue)
    assert resolved_issue_count() == 1 and PublicNotice.objects.get(pk=first.pk).is_current
    services.issue_reopen(issue=issue, actor=village_staff_qingshan, reason="反映人不满意")
    assert resolved_issue_count() == 0 and not PublicNotice.objects.get(pk=first.pk).is_current
    drive_issue(issue, "publicized")
    assert resolved_issue_count() == 1 == resolved_issue_count(organization=qingshan_tongxinhui)
    board = client.get(reverse("notices:board")).context["page"].object_list
    assert [notice.pk for notice in board] == [PublicNotice.objects.exclude(pk=first.pk).get(issue=issue).pk]
    assert_counters_equal_a_recount(client, qingshan_tongxinhui)


def test_a_reopened_issue_archived_again_without_a_result_stays_off_the_board(
    client, issue_in_state, drive_issue, village_staff_qingshan, qingshan_tongxinhui
):
    issue = _archived_and_rated_unsatisfied(issue_in_state)
    services.issue_reopen(issue=issue, actor=village_staff_qingshan, reason="反映人不满意")
    drive_issue(issue, "deliberating")
    services.agenda_record_no_consensus(item=_meeting_of(issue), actor=village_staff_qingshan, note="分歧", close=True)
    assert Issue.objects.get(pk=issue.pk).state == S.CLOSED
    assert resolved_issue_count() == 0
    assert_counters_equal_a_recount(client, qingshan_tongxinhui)


def test_the_region_figures_follow_every_place_above_the_organization(issue_in_state, tree, wangweishan_tongxinhui):
    issue_in_state("publicized")
    issue_in_state("closed")
    assert [resolved_issue_count(region=region) for region in (tree.yuhang, tree.huanghu, tree.qingshan)] == [2, 2, 2]
    assert resolved_issue_count(region=tree.linan) == 0
    assert resolved_issue_count(organization=wangweishan_tongxinhui) == 0


def test_a_village_moved_to_another_town_takes_its_figure_along(client, issue_in_state, tree, district_admin_yuhang):
    issue_in_state("publicized")
    pingyao = region_create(name="瓶窑镇", level=RegionLevel.TOWN, parent=tree.yuhang)
    region_update(actor=district_admin_yuhang, region=tree.qingshan, changes={"parent": pingyao})
    assert resolved_issue_count(region=tree.huanghu) == 0
    assert resolved_issue_count(region=pingyao) == 1 == resolved_issue_count(region=tree.yuhang)
    board = client.get(reverse("notices:board"), {"region": pingyao.pk})
    assert board.context["resolved_count"] == 1 == len(board.context["page"].object_list)
    assert counters_check() == []


# ---- the rebuild and the check -------------------------------------------------------------------------------


def test_counters_rebuild_repairs_what_a_bulk_load_left_and_counters_check_says_so(
    issue_in_state, qingshan_tongxinhui, capsys
):
    issue_in_state("publicized")
    issue_in_state("closed")
    OrganizationResolvedTally.objects.update(count=7)
    PublicNotice.objects.update(is_current=False)
    assert len(counters_check()) > 1
    with pytest.raises(CommandError, match="differ from the recount"):
        call_command("counters_check")
    listed = capsys.readouterr().err
    assert "missing from the board" in listed and "kept 7, recounted 2" in listed

    call_command("counters_rebuild")
    assert "2 notices on the board" in capsys.readouterr().out
    assert counters_check() == []
    call_command("counters_check")
    assert "Every counter equals its recount." in capsys.readouterr().out
    assert resolved_issue_count(organization=qingshan_tongxinhui) == 2


def test_a_rebuild_changes_nothing_that_the_services_kept(issue_in_state, tree):
    issue_in_state("publicized")
    before = (resolved_issue_count(), resolved_issue_count(region=tree.huanghu))
    assert counters_rebuild().on_board == 1
    assert (resolved_issue_count(), resolved_issue_count(region=tree.huanghu)) == before
