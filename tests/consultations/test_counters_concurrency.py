"""Two secretaries publishing results of one organization at the same moment, on a real PostgreSQL: both count.

Each publishes in its own thread with its own connection, and the first holds its transaction open for a
moment after adding to the tallies, so the second really arrives while the rows are taken. A count read and
written back (read-modify-write) would lose one of the two; the kept counters add in the database.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection

from consultations import counters, services
from consultations.counters import counters_check, resolved_issue_count

pytestmark = pytest.mark.django_db(transaction=True)

HOLD_SECONDS = 0.3


@pytest.fixture(autouse=True)
def tallies_are_held_before_commit(monkeypatch):
    add = counters._add

    def slowly(model, deltas):
        add(model, deltas)
        time.sleep(HOLD_SECONDS)

    monkeypatch.setattr(counters, "_add", slowly)


@pytest.fixture(autouse=True)
def _messages_stay_in_memory(sms_outbox):
    """Committed steps send their SMS in the racing thread rather than to the broker."""


def at_once(*calls: Callable[[], object]) -> list[object]:
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the test shows whatever went wrong
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a publisher hung: a lock was never released"
    return results


def test_two_results_published_at_once_both_count(issue_in_state, village_staff_qingshan, qingshan_tongxinhui, tree):
    first, second = issue_in_state("handled", title="路灯"), issue_in_state("handled", title="水渠")
    results = at_once(
        *(
            lambda issue=issue: services.issue_publish(
                issue=issue, actor=village_staff_qingshan, title=issue.title, body="已办好。"
            )
            for issue in (first, second)
        )
    )
    assert not [result for result in results if isinstance(result, Exception)], results
    assert resolved_issue_count(organization=qingshan_tongxinhui) == 2
    assert resolved_issue_count(region=tree.huanghu) == 2 == resolved_issue_count()
    assert counters_check() == []
