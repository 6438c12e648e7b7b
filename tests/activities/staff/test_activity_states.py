"""One table says which action an activity allows in which status: the services refuse by it, the pages obey it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Activity, ActivityLog, Registration, RegistrationStatus
from activities.states import RULES, UNRULED_ACTIONS, ActivityAction, ActivityStatus, allowed_actions, refusal

S, A = ActivityStatus, ActivityAction
pytestmark = pytest.mark.django_db


@pytest.fixture
def activity_in(activity_factory, move_to_past, village_staff_qingshan):
    """activity_in(status) -> an activity of 青山同心荟 in that status, brought there through the services. A
    completed one started yesterday; the others start in three days."""

    def make(status: ActivityStatus) -> Activity:
        activity = activity_factory(publish=status != S.DRAFT, audience="public")
        if status == S.COMPLETED:
            activity = move_to_past(activity)
            activity = services.activity_complete(activity=activity, actor=village_staff_qingshan, summary="顺利举行")
        elif status == S.CANCELLED:
            activity = services.activity_cancel(activity=activity, actor=village_staff_qingshan, reason="台风预警")
        assert activity.status == status
        return activity

    return make


def _sign_up_regardless(activity: Activity) -> Registration:
    """A live sign-up whatever the status (the services would refuse one on a draft): what the refusals act on."""
    return Registration.objects.create(
        activity=activity, name="村民甲", phone="13700000009", status=RegistrationStatus.CONFIRMED
    )


def _take(action: ActivityAction, activity: Activity, actor):
    """A call taking `action` on `activity` through its service, as the pages do."""
    if action == A.EDIT:
        return lambda: services.activity_update(activity=activity, actor=actor, place="村委会二楼")
    if action == A.PUBLISH:
        return lambda: services.activity_publish(activity=activity, actor=actor)
    if action == A.CANCEL:
        return lambda: services.activity_cancel(activity=activity, actor=actor, reason="改期")
    if action == A.COMPLETE:
        return lambda: services.activity_complete(activity=activity, actor=actor, summary="小结")
    if action == A.REGISTER:
        return lambda: services.registration_create(activity=activity, name="村民乙", phone="13700000008")
    if action == A.CANCEL_REGISTRATION:
        registration = _sign_up_regardless(activity)
        return lambda: services.registration_cancel(registration=registration)
    if action == A.CHECK_IN:
        registration = _sign_up_regardless(activity)
        return lambda: services.checkin_manual(registration=registration, actor=actor)
    raise AssertionError(f"no service for {action}")


# ---- the table ---------------------------------------------------------------------------------------------------


def test_every_action_but_creating_and_promotion_has_a_rule():
    assert set(RULES) == set(ActivityAction) - UNRULED_ACTIONS


def test_the_table_follows_the_design():
    assert RULES[A.PUBLISH].allowed_from == {S.DRAFT} and RULES[A.PUBLISH].leads_to == S.PUBLISHED
    assert RULES[A.CANCEL].allowed_from == {S.DRAFT, S.PUBLISHED} and RULES[A.CANCEL].leads_to == S.CANCELLED
    assert RULES[A.COMPLETE].allowed_from == {S.PUBLISHED, S.COMPLETED} and RULES[A.COMPLETE].leads_to == S.COMPLETED
    assert RULES[A.EDIT].allowed_from == {S.DRAFT, S.PUBLISHED}
    assert RULES[A.REGISTER].allowed_from == RULES[A.CANCEL_REGISTRATION].allowed_from == {S.PUBLISHED}
    assert RULES[A.CHECK_IN].allowed_from == {S.PUBLISHED, S.COMPLETED}
    assert not any(S.CANCELLED in rule.allowed_from for rule in RULES.values()), "a cancelled activity is final"


@pytest.mark.any_hour
def test_the_clock_closes_sign_up_and_opens_the_summary():
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    upcoming = Activity(status=S.PUBLISHED, starts_at=now + 3 * hour, signup_deadline=now + hour)
    assert A.REGISTER in allowed_actions(upcoming, now=now)
    assert refusal(upcoming, A.COMPLETE, now=now) == "活动还没有开始，结束后再写小结。"
    assert refusal(upcoming, A.REGISTER, now=now + 2 * hour) == "报名已经截止。"
    assert A.COMPLETE in allowed_actions(upcoming, now=now + 4 * hour)
    stale_draft = Activity(status=S.DRAFT, starts_at=now + 3 * hour, signup_deadline=now - hour)
    assert refusal(stale_draft, A.PUBLISH, now=now) == "报名截止时间已经过去，请先修改时间。"


# ---- the services refuse what the table does not allow -------------------------------------------------------------


REFUSED = [
    (status, action) for status in ActivityStatus for action, rule in RULES.items() if status not in rule.allowed_from
]


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=[f"{s.value}-{a.value}" for s, a in REFUSED])
def test_an_action_the_status_does_not_allow_is_refused_with_the_tables_message_and_changes_nothing(
    activity_in, village_staff_qingshan, status, action
):
    activity = activity_in(status)
    take_action = _take(action, activity, village_staff_qingshan)
    logged_before = ActivityLog.objects.filter(activity=activity).count()
    with pytest.raises(ValidationError) as refused:
        take_action()
    assert refused.value.messages == [str(RULES[action].refusal)]
    activity.refresh_from_db()
    assert activity.status == status
    assert ActivityLog.objects.filter(activity=activity).count() == logged_before


def test_nobody_is_checked_in_by_hand_at_a_cancelled_activity(activity_in, village_staff_qingshan):
    activity = activity_in(S.PUBLISHED)
    registration = services.registration_create(activity=activity, name="村民甲", phone="13700000001")
    services.activity_cancel(activity=activity, actor=village_staff_qingshan, reason="台风预警")
    with pytest.raises(ValidationError):
        services.checkin_manual(registration=registration, actor=village_staff_qingshan)
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_the_log_names_each_action_in_chinese(activity_in, village_staff_qingshan):
    activity = activity_in(S.CANCELLED)
    assert [entry.get_action_display() for entry in activity.log.order_by("id")] == ["创建", "发布", "取消活动"]


# ---- the pages show only the buttons the table allows ---------------------------------------------------------------


BUTTONS = {
    A.PUBLISH: 'data-testid="publish"',
    A.CANCEL: 'data-testid="cancel"',
    A.COMPLETE: 'data-testid="complete"',
}


@pytest.mark.parametrize("status", list(ActivityStatus), ids=[s.value for s in ActivityStatus])
def test_the_detail_page_shows_the_buttons_of_the_status_and_no_other(
    staff_client, village_staff_qingshan, activity_in, status
):
    activity = activity_in(status)
    page = staff_client(village_staff_qingshan).get(reverse("staff_activities:detail", args=[activity.pk]))
    html = page.content.decode()
    allowed = allowed_actions(activity, now=timezone.now())
    assert page.context["allowed"] == allowed
    buttons = {**BUTTONS, A.EDIT: f'href="{reverse("staff_activities:edit", args=[activity.pk])}"'}
    for action, marker in buttons.items():
        assert (marker in html) == (action in allowed), action


def test_an_activity_not_yet_started_offers_no_summary_form(staff_client, village_staff_qingshan, activity_in):
    activity = activity_in(S.PUBLISHED)
    html = staff_client(village_staff_qingshan).get(reverse("staff_activities:detail", args=[activity.pk])).content
    assert b'data-testid="complete"' not in html and b'data-testid="cancel"' in html


def test_a_cancelled_activity_offers_no_check_in_by_hand(staff_client, village_staff_qingshan, activity_in):
    activity = activity_in(S.PUBLISHED)
    services.registration_create(activity=activity, name="村民甲", phone="13700000001")
    services.activity_cancel(activity=activity, actor=village_staff_qingshan, reason="台风预警")
    html = staff_client(village_staff_qingshan).get(reverse("staff_activities:detail", args=[activity.pk])).content
    assert b'data-testid="manual-checkin"' not in html
    assert b'data-testid="checkin-screen-link"' not in html


def test_the_public_page_offers_sign_up_only_while_the_table_allows_it(client, activity_in):
    published = activity_in(S.PUBLISHED)
    assert client.get(reverse("activities:detail", args=[published.pk])).context["signup_open"] is True
    cancelled = activity_in(S.CANCELLED)
    page = client.get(reverse("activities:detail", args=[cancelled.pk]))
    assert page.context["signup_open"] is False
    assert reverse("activities:signup", args=[cancelled.pk]).encode() not in page.content


def test_the_admin_names_each_logged_action_in_chinese(admin_client, activity_in):
    activity_in(S.CANCELLED)
    page = admin_client.get(reverse("admin:activities_activitylog_changelist")).content.decode()
    assert "取消活动" in page and "发布" in page
    assert '<td class="field-action">cancel</td>' not in page
