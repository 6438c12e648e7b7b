"""Two workers running the same sweep at the same moment send each message once."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from consultations.models import Assignment, PublicNotice
from consultations.reminders import assignments_remind_deadlines, notices_close_and_request_rating
from portal.notifications.kinds import Kind
from tests.reminders.reminder_helpers import outbox


def run_at_once(sweep, workers: int = 2) -> list[BaseException]:
    """Runs `sweep` in `workers` threads released together, each on its own database connection."""
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            sweep()
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_deadline_sweep_at_once_queue_each_message_once(
    issue_in_state, handler_huanghu, town_staff_huanghu
):
    handler_huanghu.phone = "13600009999"
    handler_huanghu.save(update_fields=["phone"])
    for _number in range(3):
        issue_in_state("assigned")
    Assignment.objects.update(deadline=datetime.date(2026, 11, 13))

    errors = run_at_once(lambda: assignments_remind_deadlines(today=datetime.date(2026, 11, 18)))

    assert errors == []
    assert outbox(Kind.ASSIGNMENT_OVERDUE).count() == 3 * 2  # inbox and SMS for each assignment
    assert outbox(Kind.ASSIGNMENT_ESCALATED).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_workers_closing_notices_at_once_ask_each_submitter_once(issue_in_state):
    issues = [issue_in_state("publicized") for _number in range(3)]
    PublicNotice.objects.update(ends_at=timezone.now() - datetime.timedelta(minutes=1))

    errors = run_at_once(lambda: notices_close_and_request_rating(now=timezone.now()))

    assert errors == []
    assert outbox(Kind.ISSUE_RATE_REQUEST).count() == 3
    for issue in issues:
        issue.refresh_from_db()
        assert issue.state == "closed"
        assert issue.transitions.filter(action="close_after_notice").count() == 1
