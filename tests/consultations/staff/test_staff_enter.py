"""Staff enter a villager's issue from a paper slip or a phone call; it is marked 代录 wherever it is listed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consultations.models import Issue, IssueCategory, IssueChannel
from tests.consultations.staff.conftest import queue_url

pytestmark = pytest.mark.django_db


def slip(organization, **overrides) -> dict[str, str]:
    data = {
        "organization": str(organization.pk),
        "channel": IssueChannel.PAPER,
        "submitter_name": "王大伯",
        "submitter_phone": "139 1234 5678",
        "title": "祠堂屋顶漏雨",
        "description": "下雨天祠堂屋顶漏得厉害。",
        "category": IssueCategory.CULTURE,
        "place": "老祠堂",
    }
    data.update(overrides)
    return data


def test_staff_enter_a_paper_slip_on_a_villagers_behalf(
    secretary, qingshan_tongxinhui, village_staff_qingshan, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretary.post(reverse("staff_issues:enter"), slip(qingshan_tongxinhui), follow=True)
    issue = Issue.objects.get()
    assert (issue.entered_by, issue.channel, issue.submitter_phone) == (
        village_staff_qingshan,
        IssueChannel.PAPER,
        "13912345678",
    )
    assert issue.receipt_code in response.content.decode()
    assert [message.phone for message in sms_outbox] == ["13912345678"]
    assert "代录" in secretary.get(queue_url()).content.decode()


def test_online_is_not_a_channel_staff_can_pick(secretary, qingshan_tongxinhui):
    form = secretary.get(reverse("staff_issues:enter")).context["form"]
    assert IssueChannel.ONLINE not in dict(form.fields["channel"].choices)
    response = secretary.post(reverse("staff_issues:enter"), slip(qingshan_tongxinhui, channel=IssueChannel.ONLINE))
    assert response.status_code == 400
    assert not Issue.objects.exists()


def test_a_wrong_phone_keeps_everything_typed(secretary, qingshan_tongxinhui):
    response = secretary.post(reverse("staff_issues:enter"), slip(qingshan_tongxinhui, submitter_phone="12345"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "请输入11位手机号码" in page
    assert "祠堂屋顶漏雨" in page and "下雨天祠堂屋顶漏得厉害。" in page and "老祠堂" in page
    assert not Issue.objects.exists()


def test_staff_cannot_enter_issues_for_another_village(secretary, qingshan_tongxinhui, wangweishan_tongxinhui):
    form = secretary.get(reverse("staff_issues:enter")).context["form"]
    assert list(form.fields["organization"].queryset) == [qingshan_tongxinhui]
    response = secretary.post(reverse("staff_issues:enter"), slip(wangweishan_tongxinhui))
    assert response.status_code == 400
    assert not Issue.objects.exists()
