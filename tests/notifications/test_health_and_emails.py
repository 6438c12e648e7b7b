"""/healthz tells operators how the outbox is doing; every kind of message has its email."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from portal.notifications.emails import email_parts
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import OutboxMessage, OutboxState
from portal.notifications.outbox import Recipient, message_enqueue, outbox_dispatch_once

EXAMPLE_CONTEXT = {
    "recipient": "赵磊",
    "url": "/department/assignments/7/",
    "issue_title": "村口路灯不亮 & <晚上>",
    "receipt_code": "20261124",
    "state_label": "已受理",
    "comment": "",
    "department": "黄湖镇农业农村办",
    "deadline": datetime.date(2026, 12, 15),
    "days_left": 3,
    "days_overdue": 4,
    "organization": "青山同心荟",
    "count": 3,
    "oldest_days": 5,
    "month": "11月",
    "meeting_title": "11月协商议事会",
    "scheduled_at": datetime.datetime(2026, 11, 25, 6, 0, tzinfo=datetime.UTC),
    "place": "青山村文化礼堂",
    "activity_title": "竹编非遗体验",
    "starts_at": datetime.datetime(2026, 11, 25, 1, 30, tzinfo=datetime.UTC),
    "reason": "台风预警",
    "code": "482913",
    "minutes": 5,
}


def _row(key: str, state: str, age_minutes: int) -> None:
    message = OutboxMessage.objects.create(
        idempotency_key=key,
        kind=Kind.ISSUE_PROGRESS,
        channel=Channel.SMS,
        phone="13912345678",
        subject=key,
        body=key,
        state=state,
        next_attempt_at=timezone.now(),
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=age_minutes)
    )


@pytest.mark.django_db
def test_healthz_reports_the_outbox_and_fails_once_a_message_has_waited_too_long(client, django_assert_max_num_queries):
    _row("old-pending", OutboxState.PENDING, age_minutes=30)
    _row("new-pending", OutboxState.PENDING, age_minutes=1)
    _row("stuck-sending", OutboxState.SENDING, age_minutes=45)
    _row("failed", OutboxState.FAILED, age_minutes=600)
    _row("sent", OutboxState.SENT, age_minutes=900)
    with django_assert_max_num_queries(6):
        response = client.get("/healthz")
    # Messages waiting half an hour mean none are going out, whatever the servers answer.
    assert response.status_code == 503
    assert [problem["code"] for problem in response.json()["problems"]] == ["outbox_waiting_too_long"]
    outbox = response.json()["outbox"]
    assert (outbox["pending"], outbox["failed"]) == (2, 1)
    assert 45 * 60 - 5 < outbox["oldest_pending_age_seconds"] < 45 * 60 + 60


@pytest.mark.django_db
def test_healthz_reports_an_empty_outbox(client):
    assert client.get("/healthz").json()["outbox"] == {"oldest_pending_age_seconds": None, "pending": 0, "failed": 0}


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_a_one_line_subject_a_text_and_an_html_email(kind):
    subject, text, html = email_parts(kind, EXAMPLE_CONTEXT)
    assert subject and "\n" not in subject and len(subject) <= 120
    assert "{" not in subject + text + html
    assert "https://" in text or "http://" in text
    assert "/department/assignments/7/" in html
    assert html.startswith("<!doctype html>") and "同心荟" in html
    if "issue_title" in _used_variables(kind):
        assert "村口路灯不亮 & <晚上>" in subject and "村口路灯不亮 & <晚上>" in text
        assert "村口路灯不亮 &amp; &lt;晚上&gt;" in html


def _used_variables(kind: str) -> str:
    from pathlib import Path

    from django.conf import settings

    return (Path(settings.BASE_DIR) / "templates/notifications/email" / f"{kind}_body.txt").read_text()


def test_email_times_are_beijing_time():
    _subject, text, _html = email_parts(Kind.MEETING_TOMORROW, EXAMPLE_CONTEXT)
    assert "11月25日 14:00" in text


@pytest.mark.django_db
def test_an_email_message_goes_out_with_its_text_and_html(village_staff_qingshan):
    village_staff_qingshan.email = "lijuan@example.org"
    village_staff_qingshan.save(update_fields=["email"])
    subject, text, html = email_parts(Kind.TRIAGE_WAITING, {**EXAMPLE_CONTEXT, "url": "/staff/issues/"})
    message_enqueue(
        kind=Kind.TRIAGE_WAITING,
        key="triage:qingshan:2026-11-24",
        recipient=Recipient(user=village_staff_qingshan),
        subject=subject,
        body=text,
        html_body=html,
    )
    mail.outbox.clear()
    assert outbox_dispatch_once() == 2
    [email] = mail.outbox
    assert email.to == ["lijuan@example.org"]
    assert email.subject == "青山同心荟有 3 件议题待受理"
    assert "3 件议题提交已超过 2 个工作日" in email.body
    assert isinstance(email, mail.EmailMultiAlternatives)
    _content, mimetype = email.alternatives[0]
    assert mimetype == "text/html"


@pytest.mark.django_db
def test_the_link_appears_once_in_a_templated_email(village_staff_qingshan):
    village_staff_qingshan.email = "lijuan@example.org"
    village_staff_qingshan.save(update_fields=["email"])
    subject, text, html = email_parts(Kind.AGENDA_WAITING, {**EXAMPLE_CONTEXT, "url": "/staff/issues/"})
    message_enqueue(
        kind=Kind.AGENDA_WAITING,
        key="agenda:qingshan:2026-11",
        url="/staff/issues/",
        recipient=Recipient(user=village_staff_qingshan),
        subject=subject,
        body=text,
        html_body=html,
    )
    mail.outbox.clear()
    outbox_dispatch_once()
    [email] = mail.outbox
    assert email.body.count("/staff/issues/") == 1
