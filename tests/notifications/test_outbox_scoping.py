"""Messages to bare phone numbers (anonymous submitters with their receipt codes, registrants without an account)
are shown in the admin only to the district they are about, by the region path their caller gave the outbox.

Matrix: the district admins of 余杭区 and 临安区, a superuser and 黄湖镇's town staff, facing a message about
青山村 (余杭), one about 望湖村 (临安), one about no place (a login code) and one to a member's account.
"""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from activities import services as activity_services
from activities.models import ActivityCategory, ActivityForm, Audience
from consultations import services as issue_services
from consultations.models import IssueCategory
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import OutboxMessage
from portal.notifications.scoping import outbox_messages_for
from portal.scoping import Action

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:notifications_outboxmessage_changelist"


def phone_only_row(key: str, *, phone: str, region_path: str = "", user=None) -> OutboxMessage:
    return OutboxMessage.objects.create(
        idempotency_key=key,
        kind=Kind.ISSUE_PROGRESS,
        channel=Channel.SMS,
        user=user,
        phone=phone,
        region_path=region_path,
        subject=key,
        body="您反映的议题已受理，回执码 12345678。",
        next_attempt_at=timezone.now(),
    )


@pytest.fixture
def district_admin_linan(tree):
    return User.objects.create_user(
        username="linan_admin",
        password="correct-horse-42",
        role=Role.DISTRICT_ADMIN,
        region=tree.linan,
        is_staff=True,
        display_name="临安统战部 周主任",
    )


@pytest.fixture
def rows(tree, member_craftsman):
    member_craftsman.region = tree.qingshan
    member_craftsman.save(update_fields=["region"])
    return {
        "qingshan": phone_only_row("about-qingshan", phone="13912345678", region_path=tree.qingshan.path),
        "wanghu": phone_only_row("about-wanghu", phone="13987654321", region_path=tree.wanghu.path),
        "nowhere": phone_only_row("login-code", phone="13911110000"),
        "member": phone_only_row("to-member", phone="13800001111", user=member_craftsman),
    }


SEEN = {
    "district_admin_yuhang": {"about-qingshan", "to-member"},
    "district_admin_linan": {"about-wanghu"},
    "superuser": {"about-qingshan", "about-wanghu", "login-code", "to-member"},
}


@pytest.mark.parametrize("persona", sorted(SEEN))
def test_each_admins_scope_holds_the_messages_about_their_district_and_only_a_superuser_lists_them(
    client, request, rows, persona
):
    user = request.getfixturevalue(persona)
    assert {row.idempotency_key for row in outbox_messages_for(user, Action.LIST)} == SEEN[persona]
    client.force_login(user)
    response = client.get(reverse(CHANGELIST))
    if persona != "superuser":
        # The raw outbox is the installation's: district admins used to list their rows here, now none.
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert {row.idempotency_key for row in response.context["cl"].result_list} == SEEN[persona]


@pytest.mark.parametrize("persona", sorted(SEEN))
@pytest.mark.parametrize("row", ["qingshan", "wanghu", "nowhere", "member"])
def test_only_a_superuser_opens_the_messages(client, request, rows, persona, row):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("admin:notifications_outboxmessage_change", args=[rows[row].pk]))
    if persona != "superuser":
        assert response.status_code == 403
    elif rows[row].idempotency_key in SEEN[persona]:
        assert response.status_code == 200
        assert rows[row].phone not in response.content.decode()  # masked, even where it may be opened
    else:
        assert response.status_code == 302  # the admin's "does not exist"


def test_town_staff_have_no_outbox_at_all(client, rows, town_staff_huanghu):
    client.force_login(town_staff_huanghu)
    assert client.get(reverse(CHANGELIST)).status_code == 403


# ---- the callers say what a message is about ----------------------------------------------------------------


def test_a_villagers_submission_tells_the_outbox_the_region_of_the_issue(tree, qingshan_tongxinhui):
    issue = issue_services.issue_submit(
        organization=qingshan_tongxinhui,
        title="村口路灯不亮",
        description="村口到竹林的路灯坏了一个多月。",
        category=IssueCategory.INFRASTRUCTURE,
        place="村口",
        submitter_name="王大伯",
        submitter_phone="13912345678",
        phone_visible_to_department=False,
    )
    messages = OutboxMessage.objects.filter(phone=issue.submitter_phone)
    assert messages.exists()
    assert set(messages.values_list("region_path", flat=True)) == {tree.qingshan.path}


def test_a_cancelled_activity_tells_the_outbox_the_region_of_its_host(
    tree, qingshan_tongxinhui, village_staff_qingshan
):
    starts_at = timezone.now() + datetime.timedelta(days=3)
    activity = activity_services.activity_create(
        host=qingshan_tongxinhui,
        actor=village_staff_qingshan,
        title="青山talk：竹编与乡村设计",
        category=ActivityCategory.HERITAGE,
        form=ActivityForm.TALK,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="青山村同心驿站",
        capacity=20,
        signup_deadline=starts_at - datetime.timedelta(hours=1),
        audience=Audience.PUBLIC,
    )
    activity = activity_services.activity_publish(activity=activity, actor=village_staff_qingshan)
    activity_services.registration_create(activity=activity, name="村民甲", phone="13700002468")
    activity_services.activity_cancel(activity=activity, actor=village_staff_qingshan, reason="台风预警")
    messages = OutboxMessage.objects.filter(phone="13700002468")
    assert messages.exists()
    assert set(messages.values_list("region_path", flat=True)) == {tree.qingshan.path}


# ---- rows queued before the field existed -------------------------------------------------------------------


def test_the_migration_finds_the_region_of_rows_queued_before_it(tree, qingshan_tongxinhui):
    issue = issue_services.issue_submit(
        organization=qingshan_tongxinhui,
        title="村口路灯不亮",
        description="村口到竹林的路灯坏了一个多月。",
        category=IssueCategory.INFRASTRUCTURE,
        place="村口",
        submitter_name="王大伯",
        submitter_phone="13912345678",
        phone_visible_to_department=False,
    )
    OutboxMessage.objects.update(region_path="")
    unknown = phone_only_row("login:13911110000:code", phone="13911110000")
    missing = phone_only_row("issue:999999:transition:1:phone:13900000000:sms", phone="13900000000")
    migration = importlib.import_module("portal.notifications.migrations.0003_outbox_region_path")

    migration.backfill_region_paths(apps, None)

    about_issue = OutboxMessage.objects.filter(idempotency_key__startswith=f"issue:{issue.pk}:")
    assert about_issue.exists()
    assert set(about_issue.values_list("region_path", flat=True)) == {tree.qingshan.path}
    unknown.refresh_from_db()
    missing.refresh_from_db()
    assert (unknown.region_path, missing.region_path) == ("", "")  # superusers only, as before
