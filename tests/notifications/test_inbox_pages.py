"""The inbox a signed-in user reads, the unread count in the header, and the choice of channels."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from portal.notifications.context_processors import unread_count
from portal.notifications.kinds import Channel, Kind
from portal.notifications.models import ChannelPreference, InboxMessage

pytestmark = pytest.mark.django_db


def inbox_message(user, number: int, *, read: bool = False, url: str = "") -> InboxMessage:
    message = InboxMessage.objects.create(
        user=user,
        kind=Kind.ISSUE_PROGRESS,
        title=f"议题进展{number:03d}",
        body=f"第{number}条消息",
        url=url,
        read_at=timezone.now() if read else None,
    )
    # Distinct times, a minute apart, so that "newest first" means something.
    InboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=1000 - number)
    )
    return message


def _title_in(item_html: str) -> str:
    title = re.search(r"议题进展\d{3}", item_html)
    assert title is not None, item_html
    return title.group(0)


# ---- the list ---------------------------------------------------------------------------------------------------


def test_the_inbox_lists_my_messages_newest_first_with_unread_ones_bold(client, member_craftsman, handler_huanghu):
    inbox_message(member_craftsman, 1, read=True)
    inbox_message(member_craftsman, 2)
    inbox_message(handler_huanghu, 3)
    client.force_login(member_craftsman)
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    titles = [message.title for message in response.context["page"].object_list]
    assert titles == ["议题进展002", "议题进展001"]
    html = response.content.decode()
    items = {_title_in(item): item.split("</li>")[0] for item in html.split('<li class="list-group-item')[1:]}
    assert items["议题进展002"].startswith(" fw-bold")
    assert "fw-bold" not in items["议题进展001"]
    assert "1 条未读" in html


def test_the_inbox_pages_through_many_messages_in_a_bounded_number_of_queries(
    client, member_craftsman, django_assert_max_num_queries
):
    InboxMessage.objects.bulk_create(
        InboxMessage(user=member_craftsman, kind=Kind.ISSUE_PROGRESS, title=f"消息{n}") for n in range(120)
    )
    client.force_login(member_craftsman)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:inbox"), {"page": 3})
    assert len(response.context["page"].object_list) == 20
    assert response.context["page"].paginator.num_pages == 6


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# ---- reading ------------------------------------------------------------------------------------------------------


def test_marking_one_message_read(client, member_craftsman):
    message = inbox_message(member_craftsman, 1)
    client.force_login(member_craftsman)
    response = client.post(reverse("notifications:read", args=[message.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox")
    message.refresh_from_db()
    assert message.read_at is not None


def test_clicking_a_message_marks_it_read_and_opens_what_it_is_about(client, member_craftsman):
    message = inbox_message(member_craftsman, 1, url="/issues/track/12345678/")
    client.force_login(member_craftsman)
    response = client.post(reverse("notifications:read", args=[message.pk]), {"follow": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/issues/track/12345678/"
    message.refresh_from_db()
    assert message.read_at is not None


def test_a_message_never_sends_the_reader_to_another_site(client, member_craftsman):
    message = inbox_message(member_craftsman, 1, url="https://evil.example.com/login")
    client.force_login(member_craftsman)
    response = client.post(reverse("notifications:read", args=[message.pk]), {"follow": "1"})
    assert response["Location"] == reverse("notifications:inbox")


def test_nobody_can_mark_or_open_another_persons_message(client, member_craftsman, handler_huanghu):
    message = inbox_message(handler_huanghu, 1, url="/department/")
    client.force_login(member_craftsman)
    response = client.post(reverse("notifications:read", args=[message.pk]), {"follow": "1"})
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_reading_is_a_post_not_a_link_a_crawler_could_follow(client, member_craftsman):
    message = inbox_message(member_craftsman, 1)
    client.force_login(member_craftsman)
    assert client.get(reverse("notifications:read", args=[message.pk])).status_code == 405


def test_marking_all_read_touches_only_my_messages(client, member_craftsman, handler_huanghu):
    for number in range(3):
        inbox_message(member_craftsman, number)
    others = inbox_message(handler_huanghu, 9)
    client.force_login(member_craftsman)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "已将 3 条消息标为已读" in response.content.decode()
    assert not InboxMessage.objects.filter(user=member_craftsman, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None


# ---- the header count ------------------------------------------------------------------------------------------------


def test_the_header_count_is_my_unread_messages_in_one_query(member_craftsman, django_assert_num_queries):
    inbox_message(member_craftsman, 1)
    inbox_message(member_craftsman, 2)
    inbox_message(member_craftsman, 3, read=True)
    request = RequestFactory().get("/")
    request.user = member_craftsman
    context = unread_count(request)
    with django_assert_num_queries(1):
        assert context["inbox_unread"] == 2
        assert str(context["inbox_unread"]) == "2"


def test_visitors_get_no_header_count(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert unread_count(request) == {}


# ---- preferences ---------------------------------------------------------------------------------------------------


def test_a_handler_chooses_channels_among_the_kinds_of_their_role(client, handler_huanghu):
    client.force_login(handler_huanghu)
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    labels = [label for label, _fields in response.context["form"].rows()]
    assert labels == ["新的交办", "交办即将到期", "交办已超期"]
    assert "议题待受理" not in response.content.decode()


def test_required_channels_are_shown_checked_and_locked(client, handler_huanghu):
    client.force_login(handler_huanghu)
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert re.search(r'name="assignment_new__sms"[^>]*\bchecked\b[^>]*\bdisabled\b', html)
    assert re.search(r'name="assignment_due_soon__sms"[^>]*\bchecked\b', html)
    assert not re.search(r'name="assignment_due_soon__sms"[^>]*\bdisabled\b', html)
    assert "必须保留" in html


def test_saving_preferences_keeps_required_channels_whatever_is_posted(client, handler_huanghu):
    client.force_login(handler_huanghu)
    # Everything unticked, and a crafted field for a kind outside the role.
    response = client.post(reverse("notifications:preferences"), {"triage_waiting__email": "on"})
    assert response.status_code == 302
    saved = dict(ChannelPreference.objects.filter(user=handler_huanghu).values_list("kind", "channels"))
    assert saved == {
        Kind.ASSIGNMENT_NEW: [Channel.INBOX, Channel.SMS],
        Kind.ASSIGNMENT_DUE_SOON: [],
        Kind.ASSIGNMENT_OVERDUE: [Channel.INBOX, Channel.SMS],
    }


def test_saved_preferences_show_again_and_can_be_changed(client, member_craftsman):
    client.force_login(member_craftsman)
    client.post(reverse("notifications:preferences"), {"issue_progress__inbox": "on", "issue_progress__email": "on"})
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert form["issue_progress__email"].value() is True
    assert form["issue_progress__sms"].value() is False
    client.post(reverse("notifications:preferences"), {"issue_progress__sms": "on"})
    preference = ChannelPreference.objects.get(user=member_craftsman, kind=Kind.ISSUE_PROGRESS)
    assert preference.channels == [Channel.SMS]
    assert ChannelPreference.objects.filter(user=member_craftsman).count() == 7, (
        "one row per kind a member receives，议事会取消 included"
    )


def test_an_untouched_kind_shows_its_defaults(client, village_staff_qingshan):
    client.force_login(village_staff_qingshan)
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert form["triage_waiting__inbox"].value() is True
    assert form["triage_waiting__email"].value() is True
    assert form["triage_waiting__sms"].value() is False
