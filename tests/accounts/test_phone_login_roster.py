"""张竹青 is on 青山同心荟's roster, but nobody ever made her an account: she still logs in on her phone with the
code from the SMS, and her account is made the moment the first code is right."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.test import Client
from django.urls import reverse

from members.models import Membership
from portal.accounts.models import LoginCode, User
from portal.accounts.roles import Role

PHONE = "13800001111"  # craftsman_in_qingshan, on the roster
STEP_1 = "/accounts/phone/"
STEP_2 = "/accounts/phone/code/"
SAME_ANSWER = "如果该号码已登记，验证码已发送"

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def request_code(client: Client, phone: str = PHONE):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(STEP_1, {"phone": phone}, REMOTE_ADDR="10.0.0.1")

    return request_code


def _code_in(text: str) -> str:
    match = re.search(r"\d{6}", text)
    assert match, text
    return match.group()


def _enter_code(client: Client, code: str):
    return client.post(STEP_2, {"code": code}, REMOTE_ADDR="10.0.0.1")


def _signed_in(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_member_on_the_roster_without_an_account_logs_in_and_lands_on_her_issues(
    client, craftsman_in_qingshan, sms_outbox, send
):
    assert not User.objects.filter(phone=PHONE).exists()

    response = send(client)
    assert response["Location"] == STEP_2
    assert SAME_ANSWER in client.get(STEP_2).content.decode()
    assert [sms.phone for sms in sms_outbox] == [PHONE]
    assert not User.objects.filter(phone=PHONE).exists()  # nothing is made for a number that only asked

    response = _enter_code(client, _code_in(sms_outbox[0].text))
    assert response.status_code == 302
    assert response["Location"] == reverse("issues:mine")
    member = _signed_in(client)
    assert member is not None
    assert (member.role, member.phone, member.person, str(member)) == (
        Role.MEMBER,
        PHONE,
        craftsman_in_qingshan,
        "张竹青",
    )
    assert not member.has_usable_password()
    page = client.get(reverse("issues:mine"))
    assert page.status_code == 200 and "张竹青" in page.content.decode()


def test_the_account_made_at_the_first_code_is_on_the_audit_trail_and_used_again_next_time(
    craftsman_in_qingshan, sms_outbox, send
):
    first = Client()
    send(first)
    _enter_code(first, _code_in(sms_outbox[-1].text))
    member = User.objects.get(phone=PHONE)
    entry = LogEntry.objects.get(object_id=str(member.pk), content_type__model="user")
    assert entry.action_flag == ADDITION and entry.user == member
    assert "会员名册" in entry.get_change_message()

    LoginCode.objects.update(created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))  # past the cool-down
    second = Client()
    send(second)
    _enter_code(second, _code_in(sms_outbox[-1].text))
    assert _signed_in(second) == member
    assert User.objects.filter(phone=PHONE).count() == 1


def test_a_former_member_gets_the_same_answer_and_no_sms(client, craftsman_in_qingshan, sms_outbox, send):
    Membership.objects.filter(person=craftsman_in_qingshan).update(left_on=datetime.date(2024, 6, 30))

    send(client)

    assert SAME_ANSWER in client.get(STEP_2).content.decode()
    assert sms_outbox == []
    assert not User.objects.filter(phone=PHONE).exists()


def test_a_member_who_leaves_the_roster_before_typing_the_code_is_not_let_in(
    client, craftsman_in_qingshan, sms_outbox, send
):
    send(client)
    Membership.objects.filter(person=craftsman_in_qingshan).update(left_on=datetime.date(2024, 6, 30))

    response = _enter_code(client, _code_in(sms_outbox[0].text))

    assert response.status_code == 200
    assert "验证码无效" in response.content.decode()
    assert _signed_in(client) is None
    assert not User.objects.filter(phone=PHONE).exists()


def test_a_closed_account_is_neither_reopened_nor_doubled(client, member_craftsman, sms_outbox, send):
    member_craftsman.is_active = False
    member_craftsman.save(update_fields=["is_active"])

    send(client)

    assert sms_outbox == []
    assert User.objects.filter(phone=PHONE).count() == 1


def test_a_staff_account_with_the_number_of_a_roster_member_gets_no_code(
    client, craftsman_in_qingshan, village_staff_qingshan, sms_outbox, send
):
    village_staff_qingshan.phone = PHONE
    village_staff_qingshan.save(update_fields=["phone"])

    send(client)

    assert sms_outbox == []
