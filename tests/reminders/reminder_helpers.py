"""Reading the outbox, and making volume, for the reminder tests."""

from __future__ import annotations

import copy
import datetime
import itertools

from django.db.models import QuerySet
from django.utils import timezone

from consultations.models import Assignment, Issue, PublicNotice
from portal.notifications.kinds import Channel
from portal.notifications.models import OutboxMessage

_receipt_numbers = itertools.count(90000000)


def outbox(kind: str, **filters: object) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(kind=kind, **filters).order_by("pk")


def inbox_recipients(kind: str) -> set[str]:
    """Usernames that got a message of `kind` in their inbox."""
    return set(outbox(kind, channel=Channel.INBOX).values_list("user__username", flat=True))


def sms_phones(kind: str) -> list[str]:
    return list(outbox(kind, channel=Channel.SMS).values_list("phone", flat=True))


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment of a day in Beijing time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def issue_copies(issue: Issue, count: int, **changes: object) -> list[Issue]:
    """`count` rows like `issue` (fresh receipt codes), written at once: volume for query-count tests."""
    rows = []
    for _index in range(count):
        row = copy.copy(issue)
        row.pk = row.id = None
        row.receipt_code = str(next(_receipt_numbers))
        for field, value in changes.items():
            setattr(row, field, value)
        rows.append(row)
    return Issue.objects.bulk_create(rows)


def assignment_copies(assignment: Assignment, count: int, **changes: object) -> list[Assignment]:
    """`count` assigned issues like the one of `assignment`, each with its own assignment."""
    rows = []
    for issue in issue_copies(assignment.issue, count):
        row = copy.copy(assignment)
        row.pk = row.id = None
        row.issue = issue
        for field, value in changes.items():
            setattr(row, field, value)
        rows.append(row)
    return Assignment.objects.bulk_create(rows)


def notice_copies(notice: PublicNotice, count: int, **changes: object) -> list[PublicNotice]:
    """`count` publicized issues like the one of `notice`, each with its own notice."""
    rows = []
    for issue in issue_copies(notice.issue, count):
        row = copy.copy(notice)
        row.pk = row.id = None
        row.issue = issue
        for field, value in changes.items():
            setattr(row, field, value)
        rows.append(row)
    return PublicNotice.objects.bulk_create(rows)


def count_queries(run) -> int:
    """How many queries `run()` makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries.captured_queries)
