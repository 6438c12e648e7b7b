"""The village secretary of 青山村 at her office PC, and issues of neighbouring villages she must never see."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture
def secretary(client, village_staff_qingshan):
    """A test client signed in as the 青山村 secretary."""
    client.force_login(village_staff_qingshan)
    return client


@pytest.fixture
def neighbour_issue(issue_factory, wangweishan_tongxinhui):
    """An issue of 王位山同心荟: same town as 青山村, another village."""
    return issue_factory(organization=wangweishan_tongxinhui, title="王位山水渠堵塞", submitter_phone="13711112222")


def queue_url(**params: str) -> str:
    from urllib.parse import urlencode

    url = reverse("staff_issues:queue")
    return f"{url}?{urlencode(params)}" if params else url


def act_url(issue, action: str) -> str:
    return reverse("staff_issues:act", kwargs={"pk": issue.pk, "action": action})


def detail_url(issue) -> str:
    return reverse("staff_issues:detail", kwargs={"pk": issue.pk})


def receipts_in(response) -> list[str]:
    """Receipt codes of the queue rows, in the order shown."""
    return [issue.receipt_code for issue in response.context["page"].object_list]
