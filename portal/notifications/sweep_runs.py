"""How beat's tasks run a reminder sweep: with today's date in Beijing and the texts in the portal's language.

The sweeps themselves are plain functions of `today` in each app's reminders.py, which tests call directly;
each app's tasks.py wraps them in Celery tasks. The sweeps are idempotent, so a task retried or run by two
workers sends nothing twice. A sweep with much to do hands it to the workers in parts (`sweep_hand_out`).
"""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from portal.notifications.publishing import publish_once

logger = logging.getLogger(__name__)


def sweep_run_for_today(sweep: Callable[..., int]) -> int:
    """Runs `sweep(today=...)` for today's local date, in the portal's language; returns what it queued."""
    with translation.override(settings.LANGUAGE_CODE):
        queued = sweep(today=timezone.localdate())
    if queued:
        logger.info("%s queued %d messages", sweep.__name__, queued)
    return queued


def sweep_hand_out(task: Any, *args: Any, part: str) -> bool:
    """Queues `task(*args)` for a worker, with one attempt. False, logged, when the broker cannot be reached (it
    may have gone since beat reached this worker): the caller then does `part` itself or leaves it to beat's next
    run, so no part of a sweep is lost and none waits on the broker."""
    try:
        publish_once(task, *args)
    except Exception as error:  # the broker is unreachable
        logger.warning("%s not handed to a worker: %s: %s", part, type(error).__name__, error)
        return False
    return True


def sweep_chunks(ids: list[int], size: int) -> list[list[int]]:
    """The ids a sweep chose, `size` a task, in the order chosen."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def sweep_hand_out_chunks(chunk_task: Any, day: str, chunks: list[list[int]], *, part: str) -> int:
    """Hands each chunk to a worker as `chunk_task(day, chunk)`: a province's morning (thousands of deadlines,
    meetings or sign-ups, several messages each) is spread over the workers, and each chunk reminds for the day it
    was chosen even if it runs after midnight. With the broker gone the rest is done here: no chunk is lost.
    Returns the number of chunks."""
    for number, chunk in enumerate(chunks):
        if not sweep_hand_out(chunk_task, day, chunk, part=part):
            for rest in chunks[number:]:
                chunk_task(day, rest)
            break
    return len(chunks)
