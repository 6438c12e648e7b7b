"""The outbox in the admin: only superusers open it (district admins used to see their district's rows),
masked numbers, "重新发送" for failed rows; and the Celery beat schedule, which superusers keep."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import InboxMessage, OutboxMessage, OutboxState
from portal.notifications.outbox import Recipient, message_enqueue, outbox_dispatch_once
from portal.notifications.scoping import outbox_messages_for
from portal.scoping import Action

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:notifications_outboxmessage_changelist"


def outbox_row(key: str, *, user=None, phone: str = "", state: str = OutboxState.PENDING, **fields) -> OutboxMessage:
    return OutboxMessage.objects.create(
        idempotency_key=key,
        kind=Kind.ISSUE_PROGRESS,
        channel=Channel.SMS if phone else Channel.INBOX,
        user=user,
        phone=phone,
        subject=key,
        body="正文",
        state=state,
        next_attempt_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def rows(tree, member_craftsman, village_staff_wanghu):
    return {
        "qingshan": outbox_row("to-qingshan-member", user=member_craftsman, phone="13800001111"),
        "wanghu": outbox_row("to-wanghu-secretary", user=village_staff_wanghu),
        "anonymous": outbox_row(
            "to-anonymous",
            phone="13912345678",
            region_path=tree.qingshan.path,  # about an issue raised in 青山村
            state=OutboxState.FAILED,
            attempts=5,
            last_error="SmsSendError: " + "网关超时" * 40,
        ),
    }


def listed(response) -> set[str]:
    return {row.idempotency_key for row in response.context["cl"].result_list}


def test_a_district_admin_has_no_outbox_though_its_scope_still_knows_their_rows(
    client, rows, district_admin_yuhang, member_craftsman
):
    member_craftsman.region = member_craftsman.person.region
    member_craftsman.save(update_fields=["region"])
    client.force_login(district_admin_yuhang)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 403
    scoped = {row.idempotency_key for row in outbox_messages_for(district_admin_yuhang, Action.LIST)}
    assert scoped == {"to-qingshan-member", "to-anonymous"}
    outside = reverse("admin:notifications_outboxmessage_change", args=[rows["wanghu"].pk])
    assert client.get(outside).status_code == 403


def test_the_outbox_shows_a_superuser_every_number_masked(client, rows, superuser):
    client.force_login(superuser)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    html = response.content.decode()
    assert "139****5678" in html and "13912345678" not in html


def test_the_changelist_filters_by_state_channel_and_kind(client, rows, superuser):
    client.force_login(superuser)
    assert listed(client.get(reverse(CHANGELIST), {"state__exact": "failed"})) == {"to-anonymous"}
    assert listed(client.get(reverse(CHANGELIST), {"channel__exact": "inbox"})) == {"to-wanghu-secretary"}
    assert len(listed(client.get(reverse(CHANGELIST), {"kind__exact": Kind.ISSUE_PROGRESS}))) == 3


def test_the_last_error_is_shortened_in_the_list(client, rows, superuser):
    client.force_login(superuser)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "网关超时" * 10 in html
    assert "网关超时" * 40 not in html


def test_town_staff_and_handlers_have_no_outbox(client, rows, town_staff_huanghu, handler_huanghu):
    for user in (town_staff_huanghu, handler_huanghu):
        client.force_login(user)
        assert client.get(reverse(CHANGELIST)).status_code in (302, 403)


def test_outbox_rows_cannot_be_edited_or_added_in_the_admin(client, rows, superuser):
    # Even by a superuser, the only one who opens the outbox at all.
    client.force_login(superuser)
    change = reverse("admin:notifications_outboxmessage_change", args=[rows["anonymous"].pk])
    response = client.get(change)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    client.post(change, {"body": "改过的正文", "state": "sent"})
    rows["anonymous"].refresh_from_db()
    assert (rows["anonymous"].body, rows["anonymous"].state) == ("正文", OutboxState.FAILED)
    assert client.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403


def test_resending_a_failed_message_sends_it_once(client, tree, superuser, settings):
    settings.SMS_BACKEND = "portal.sms.backends.MemoryBackend"
    from portal.sms.backends import outbox as sms_sent

    sms_sent.clear()
    message_enqueue(
        kind=Kind.ISSUE_PROGRESS,
        key="issue:7:accepted",
        recipient=Recipient(phone="13912345678"),
        subject="议题已受理",
        body="您反映的议题已受理。",
        sms="您反映的议题已受理。",
    )
    OutboxMessage.objects.update(state=OutboxState.FAILED, attempts=5, last_error="SmsSendError：网关超时")
    sent_already = outbox_row("already-sent", phone="13912340000", state=OutboxState.SENT)
    failed = OutboxMessage.objects.get(idempotency_key__startswith="issue:7:")
    client.force_login(superuser)
    response = client.post(
        reverse(CHANGELIST), {"action": "resend", "_selected_action": [failed.pk, sent_already.pk]}, follow=True
    )
    html = response.content.decode()
    assert "1 条消息已重新排队发送" in html
    assert "1 条消息不是“发送失败”状态" in html
    failed.refresh_from_db()
    assert (failed.state, failed.attempts, failed.last_error) == (OutboxState.PENDING, 0, "")
    assert outbox_dispatch_once() == 1
    assert outbox_dispatch_once() == 0
    assert [sms.text for sms in sms_sent] == ["【同心荟】您反映的议题已受理。"]
    sent_already.refresh_from_db()
    assert sent_already.state == OutboxState.SENT
    sms_sent.clear()


def test_a_district_admin_reads_inboxes_of_their_accounts_but_cannot_change_them(
    client, district_admin_yuhang, village_staff_qingshan, village_staff_wanghu
):
    mine = InboxMessage.objects.create(user=village_staff_qingshan, kind=Kind.TRIAGE_WAITING, title="青山待受理")
    InboxMessage.objects.create(user=village_staff_wanghu, kind=Kind.TRIAGE_WAITING, title="望湖待受理")
    client.force_login(district_admin_yuhang)
    response = client.get(reverse("admin:notifications_inboxmessage_changelist"))
    assert [message.title for message in response.context["cl"].result_list] == ["青山待受理"]
    change = reverse("admin:notifications_inboxmessage_change", args=[mine.pk])
    client.post(change, {"title": "改了"})
    mine.refresh_from_db()
    assert mine.title == "青山待受理"


# ---- the beat schedule ------------------------------------------------------------------------------------------


@pytest.fixture
def sweep_schedule(db):
    every_minute = IntervalSchedule.objects.create(every=60, period=IntervalSchedule.SECONDS)
    return PeriodicTask.objects.create(
        name="outbox-sweep", task="portal.notifications.tasks.outbox_sweep", interval=every_minute
    )


def test_a_superuser_sees_and_edits_the_schedule(client, superuser, sweep_schedule):
    # District admins used to edit it too; now they only read it (tests/notifications/test_schedule_keepers.py).
    client.force_login(superuser)
    assert "django_celery_beat" in client.get(reverse("admin:index")).content.decode()
    listing = client.get(reverse("admin:django_celery_beat_periodictask_changelist"))
    assert listing.status_code == 200
    assert "outbox-sweep" in listing.content.decode()

    interval = sweep_schedule.interval
    change = reverse("admin:django_celery_beat_intervalschedule_change", args=[interval.pk])
    page = client.get(change)
    assert page.status_code == 200
    data = {"every": 120, "period": IntervalSchedule.SECONDS}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for index, form in enumerate(formset.forms):
            data[f"{formset.prefix}-{index}-id"] = form.instance.pk
            data[f"{formset.prefix}-{index}-interval"] = interval.pk
    response = client.post(change, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    interval.refresh_from_db()
    assert interval.every == 120

    toggle = client.post(
        reverse("admin:django_celery_beat_periodictask_changelist"),
        {"action": "disable_tasks", "_selected_action": [sweep_schedule.pk]},
    )
    assert toggle.status_code == 302
    sweep_schedule.refresh_from_db()
    assert sweep_schedule.enabled is False


def test_town_staff_cannot_see_the_schedule(client, town_staff_huanghu, sweep_schedule):
    client.force_login(town_staff_huanghu)
    assert client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 403
    assert "django_celery_beat" not in client.get(reverse("admin:index")).content.decode()
