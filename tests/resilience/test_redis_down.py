"""With the real Redis of the test run stopped (cache and broker both gone), a logged-in secretary, a member
and an anonymous villager still get every page and every form answered, quickly; what they write is saved,
and the messages it causes wait in the outbox until Redis is back. Login codes go out even then."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from activities.models import Audience, Registration
from consultations.models import Issue
from consultations.states import IssueState
from portal.notifications.kinds import Kind
from portal.notifications.models import OutboxMessage, OutboxState
from portal.notifications.tasks import outbox_dispatch
from tests.notifications.conftest import wait_until
from tests.notifications.slow_sms import sends
from tests.resilience.conftest import PATIENCE_SECONDS

PASSWORD = "correct-horse-42"
VILLAGER_PHONE = "13712345678"
MEMBER_PHONE = "13800001111"


def _found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match, f"{pattern} not in {text[:200]!r}"
    return match.group(1)


def _issue_form(organization_slug: str, token: str) -> dict[str, str]:
    return {
        "organization": organization_slug,
        "title": "竹林小路塌了一段",
        "description": "去竹林的小路前天下雨塌了一段，老人小孩走很危险。",
        "category": "infrastructure",
        "place": "竹林小路北段",
        "submitter_name": "李阿婆",
        "submitter_phone": VILLAGER_PHONE,
        "submission_token": token,
    }


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_villager_raises_tracks_and_signs_up_while_redis_is_down_and_is_told_once_it_is_back(
    qingshan_tongxinhui, activity_factory, redis_down, visitor, start_worker, sms_log
):
    activity = activity_factory(audience=Audience.PUBLIC)
    villager = visitor()
    for page in ("/", "/orgs/", "/orgs/qingshan/", "/issues/new/?org=qingshan", "/issues/track/", "/notices/"):
        assert villager.get(page).status_code == 200, page

    form = villager.get("/issues/new/?org=qingshan").content.decode()
    token = _found(r'name="submission_token" value="([^"]+)"', form)
    receipt = villager.post("/issues/new/?org=qingshan", _issue_form("qingshan", token))
    assert receipt.status_code == 302
    issue = Issue.objects.get(submitter_phone=VILLAGER_PHONE)
    assert villager.get(receipt["Location"]).status_code == 200

    tracked = villager.post("/issues/track/", {"code": issue.receipt_code, "phone_last4": VILLAGER_PHONE[-4:]})
    assert tracked.status_code == 302
    assert villager.post("/issues/track/", {"code": issue.receipt_code, "phone_last4": "0000"}).status_code == 200

    assert villager.get(f"/activities/{activity.pk}/").status_code == 200
    signed_up = villager.post(f"/activities/{activity.pk}/signup/", {"name": "李阿婆", "phone": VILLAGER_PHONE})
    assert signed_up.status_code == 302
    assert Registration.objects.filter(activity=activity, phone=VILLAGER_PHONE).exists()

    waiting = OutboxMessage.objects.filter(phone=VILLAGER_PHONE)
    assert waiting.exists()
    assert set(waiting.values_list("state", flat=True)) == {OutboxState.PENDING}

    # Redis is back: a worker sends what waited.
    redis_down.start()
    worker = start_worker()
    outbox_dispatch.delay()
    wait_until(lambda: not waiting.exclude(state=OutboxState.SENT).exists(), worker=worker)
    assert any(issue.receipt_code in line for line in sends(sms_log))


@pytest.mark.django_db(transaction=True)
def test_a_secretary_signed_in_before_the_outage_keeps_working_and_a_colleague_signs_in_during_it(
    issue_factory, village_staff_qingshan, town_staff_huanghu, redis_down, visitor
):
    issue = issue_factory()
    # Signing in during the outage: the session lives in the database.
    secretary = visitor()
    signed_in = secretary.post("/accounts/login/", {"username": "qingshan_secretary", "password": PASSWORD})
    assert signed_in.status_code == 302
    for page in ("/staff/roster/", "/staff/issues/", f"/staff/issues/{issue.pk}/", "/staff/activities/", "/inbox/"):
        assert secretary.get(page).status_code == 200, page

    accepted = secretary.post(f"/staff/issues/{issue.pk}/act/accept/", {"accept-comment": ""})
    assert accepted.status_code == 302
    issue.refresh_from_db()
    assert issue.state == IssueState.ACCEPTED
    assert OutboxMessage.objects.filter(kind=Kind.ISSUE_PROGRESS, state=OutboxState.PENDING).exists()

    colleague = visitor(ip="10.20.30.41")
    refused = colleague.post("/accounts/login/", {"username": "huanghu_staff", "password": "wrong-password"})
    assert refused.status_code == 200
    assert colleague.post("/accounts/login/", {"username": "huanghu_staff", "password": PASSWORD}).status_code == 302
    assert colleague.get("/staff/roster/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_member_gets_the_login_code_while_the_broker_is_down_and_signs_in(member_craftsman, redis_down, visitor):
    member = visitor()
    assert member.get("/accounts/phone/").status_code == 200
    assert member.post("/accounts/phone/", {"phone": MEMBER_PHONE}).status_code == 302

    # Sent by the web process itself, off the request, because no worker can hear the broker.
    from portal.sms import backends as sms_backends

    texts = wait_until(lambda: [message.text for message in sms_backends.outbox], timeout=10)
    code = _found(r"(\d{6})", texts[0])
    assert member.post("/accounts/phone/code/", {"code": code}).status_code == 302
    for page in ("/", "/issues/mine/", "/activities/mine/", "/inbox/", "/inbox/preferences/"):
        assert member.get(page).status_code == 200, page
    assert OutboxMessage.objects.get(kind=Kind.LOGIN_CODE).state == OutboxState.SENT


@pytest.mark.django_db(transaction=True)
def test_a_session_made_before_the_outage_survives_it(member_craftsman, real_redis, sms_outbox):
    client = Client()
    client.force_login(member_craftsman)
    real_redis.stop()
    try:
        page = client.get("/issues/mine/")
    finally:
        real_redis.start()
    assert page.status_code == 200
    assert 'data-testid="identity"' in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_healthz_tells_the_operator_quickly_that_the_cache_and_the_broker_are_down(redis_down):
    started = time.monotonic()
    response = Client().get("/healthz")
    assert time.monotonic() - started < PATIENCE_SECONDS
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is True
    assert checks["cache"]["ok"] is False
    assert checks["broker"]["ok"] is False
