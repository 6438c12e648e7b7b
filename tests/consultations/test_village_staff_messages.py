"""The 青山村 secretary hears of each step of the village's issues that waits for them: a new issue, the
department's answer or return, and the villager's rating, in the inbox and through the channels they chose."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import IssueChannel, Rating
from portal.accounts.models import User
from portal.accounts.roles import Role
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import InboxMessage
from portal.notifications.outbox import outbox_dispatch_once
from portal.notifications.services import channel_preferences_save

pytestmark = pytest.mark.django_db

SECRETARY_PHONE = "13700007777"


def _deliver() -> None:
    while outbox_dispatch_once(limit=200):
        pass


def _inbox(user: User) -> list[InboxMessage]:
    """What the user finds in their inbox once the worker has delivered what is waiting."""
    _deliver()
    return list(InboxMessage.objects.filter(user=user).order_by("pk"))


def _kinds(user: User) -> list[str]:
    return [message.kind for message in _inbox(user)]


@pytest.fixture
def second_secretary(tree):
    """Another of 青山村's village staff, who did not take the step."""
    return User.objects.create_user(
        username="qingshan_clerk", role=Role.VILLAGE_STAFF, region=tree.qingshan, display_name="青山村 文书 陈芳"
    )


# ---- a new issue ------------------------------------------------------------------------------------------------


def test_the_secretary_finds_a_villagers_new_issue_in_her_inbox(client, village_staff_qingshan, issue_factory):
    issue = issue_factory(title="竹林小道塌方", settle=False)

    [message] = _inbox(village_staff_qingshan)
    assert message.kind == Kind.ISSUE_NEW
    assert message.title == "新议题：竹林小道塌方"
    assert issue.receipt_code in message.body and "王大伯" in message.body
    assert message.url == reverse("staff_issues:detail", kwargs={"pk": issue.pk})

    client.force_login(village_staff_qingshan)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "新议题：竹林小道塌方" in page


def test_a_colleague_who_entered_the_issue_is_not_told_but_the_others_are(
    village_staff_qingshan, second_secretary, issue_factory
):
    issue_factory(
        title="电话反映：垃圾桶满了", entered_by=village_staff_qingshan, channel=IssueChannel.PHONE, settle=False
    )

    assert _kinds(village_staff_qingshan) == []
    assert _kinds(second_secretary) == [Kind.ISSUE_NEW]


def test_staff_of_another_village_and_the_handler_hear_nothing_of_a_new_issue(
    village_staff_qingshan, village_staff_wanghu, handler_huanghu, issue_factory
):
    issue_factory(settle=False)

    assert _kinds(village_staff_qingshan) == [Kind.ISSUE_NEW]
    assert _kinds(village_staff_wanghu) == []
    assert _kinds(handler_huanghu) == []


def test_a_village_without_staff_of_its_own_is_looked_after_by_its_town(
    town_staff_huanghu, village_staff_qingshan, wangweishan_tongxinhui, issue_factory
):
    issue_factory(organization=wangweishan_tongxinhui, settle=False)

    assert _kinds(town_staff_huanghu) == [Kind.ISSUE_NEW]
    assert _kinds(village_staff_qingshan) == []


def test_the_secretary_gets_an_sms_of_new_issues_once_she_chooses_it(village_staff_qingshan, issue_factory, sms_outbox):
    village_staff_qingshan.phone = SECRETARY_PHONE
    village_staff_qingshan.save(update_fields=["phone"])
    issue_factory(title="第一件", settle=False)
    _deliver()
    assert SECRETARY_PHONE not in [sms.phone for sms in sms_outbox]  # by default: inbox and email only

    channel_preferences_save(user=village_staff_qingshan, choices={Kind.ISSUE_NEW: {Channel.INBOX, Channel.SMS}})
    issue_factory(title="第二件", settle=False)
    _deliver()

    to_her = [sms.text for sms in sms_outbox if sms.phone == SECRETARY_PHONE]
    assert len(to_her) == 1
    assert "第二件" in to_her[0] and "青山同心荟" in to_her[0]


# ---- the department's answer or return ----------------------------------------------------------------------------


def test_the_secretary_is_told_of_the_departments_answer_and_the_handler_not_twice(
    village_staff_qingshan, handler_huanghu, issue_in_state
):
    issue = issue_in_state("assigned", title="机耕路坑洼")
    handler_before = _kinds(handler_huanghu)
    staff_before = len(_inbox(village_staff_qingshan))

    services.assignment_answer(assignment=issue.assignments.get(), actor=handler_huanghu, answer="已安排12月修补")

    news = _inbox(village_staff_qingshan)[staff_before:]
    assert [message.kind for message in news] == [Kind.ASSIGNMENT_ANSWERED]
    assert news[0].title == "部门已答复：机耕路坑洼"
    assert "黄湖镇农业农村办" in news[0].body and "已安排12月修补" in news[0].body
    assert _kinds(handler_huanghu) == handler_before == [Kind.ASSIGNMENT_NEW]


def test_the_secretary_is_told_of_an_interim_reply_with_its_promised_date(
    village_staff_qingshan, handler_huanghu, issue_in_state
):
    issue = issue_in_state("assigned", title="水渠漏水")
    staff_before = len(_inbox(village_staff_qingshan))
    promised = timezone.localdate() + datetime.timedelta(days=10)

    services.assignment_interim_reply(
        assignment=issue.assignments.get(), actor=handler_huanghu, reply="已联系施工队", promised_on=promised
    )

    [news] = _inbox(village_staff_qingshan)[staff_before:]
    assert news.kind == Kind.ASSIGNMENT_ANSWERED
    assert news.title == "部门阶段性答复：水渠漏水"
    assert "已联系施工队" in news.body and f"{promised.month}月{promised.day}日" in news.body


def test_the_secretary_is_told_of_a_return_with_its_reason(village_staff_qingshan, handler_huanghu, issue_in_state):
    issue = issue_in_state("assigned", title="河道清淤")
    staff_before = len(_inbox(village_staff_qingshan))

    services.assignment_return(assignment=issue.assignments.get(), actor=handler_huanghu, reason="属区水利局职责")

    [news] = _inbox(village_staff_qingshan)[staff_before:]
    assert news.kind == Kind.ASSIGNMENT_RETURNED
    assert news.title == "部门退回议题：河道清淤"
    assert "属区水利局职责" in news.body
    assert news.url == reverse("staff_issues:detail", kwargs={"pk": issue.pk})


# ---- the villager's rating ----------------------------------------------------------------------------------------


def test_the_secretary_hears_an_unsatisfied_rating_and_that_she_may_reopen(village_staff_qingshan, issue_in_state):
    issue = issue_in_state("publicized", title="路灯维修")
    staff_before = len(_inbox(village_staff_qingshan))

    services.feedback_submit(issue=issue, rating=Rating.UNSATISFIED, comment="修了又坏")

    [news] = _inbox(village_staff_qingshan)[staff_before:]
    assert news.kind == Kind.ISSUE_RATED
    assert news.title == "议题评价“不满意”：路灯维修"
    assert "修了又坏" in news.body and "重新受理" in news.body


def test_the_preferences_page_offers_the_secretary_the_new_kinds(client, village_staff_qingshan):
    client.force_login(village_staff_qingshan)
    page = client.get(reverse("notifications:preferences")).content.decode()
    for label in ("新议题", "部门已答复", "部门退回议题", "反映人评价"):
        assert label in page
