"""Notices for the public board.

`published_issue(**fields)` carries an issue of 青山同心荟 round the loop through the services up to its public
notice. `notice_rows(organization, count)` writes notices directly, for the organizations the 青山 staff
cannot act for and for measuring queries: what a page costs must not depend on how many rows there are. Rows
written without the services are put on the board as a bulk load is, by counters_rebuild.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from consultations.counters import counters_rebuild
from consultations.models import Issue, IssueCategory, PublicNotice
from consultations.states import IssueState

_receipt_codes = itertools.count(20_000_000)


@pytest.fixture
def published_issue(issue_in_state):
    """published_issue(**issue fields) -> an Issue in state publicized, with its notice."""

    def make(**fields: object) -> Issue:
        return issue_in_state("publicized", **fields)

    return make


@pytest.fixture
def notice_rows(village_staff_qingshan):
    """notice_rows(organization, count, title=..., ended=False) -> notices of closed issues, newest last."""

    def make(organization, count: int, *, title: str = "公示", ended: bool = False) -> list[PublicNotice]:
        now = timezone.now()
        issues = Issue.objects.bulk_create(
            Issue(
                receipt_code=str(next(_receipt_codes)),
                organization=organization,
                region_id=organization.region_id,
                title=f"{title}{index}",
                description="批量",
                category=IssueCategory.CULTURE,
                submitter_name="批量村民",
                submitter_phone="13700000000",
                state=IssueState.CLOSED if ended else IssueState.PUBLICIZED,
                state_changed_at=now,
                resolved_at=now,
            )
            for index in range(count)
        )
        start = now - datetime.timedelta(days=30 if ended else 1)
        notices = PublicNotice.objects.bulk_create(
            PublicNotice(
                issue=issue,
                organization=organization,
                region_id=organization.region_id,
                title=f"{title}{index}",
                body="公示内容",
                period_days=7,
                published_at=start + datetime.timedelta(minutes=index),
                ends_at=start + datetime.timedelta(days=7, minutes=index),
                published_by=village_staff_qingshan,
            )
            for index, issue in enumerate(issues)
        )
        counters_rebuild()
        return notices

    return make
