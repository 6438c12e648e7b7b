"""How beat's tasks run a reminder sweep: with today's date in Beijing and the texts in the portal's language.

The sweeps themselves are plain functions of `today` in each app's reminders.py, which tests call directly;
each app's tasks.py wraps them in Celery tasks. The sweeps are idempotent, so a task retried or run by two
workers sends nothing twice.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


def sweep_run_for_today(sweep: Callable[..., int]) -> int:
    """Runs `sweep(today=...)` for today's local date, in the portal's language; returns what it queued."""
    with translation.override(settings.LANGUAGE_CODE):
        queued = sweep(today=timezone.localdate())
    if queued:
        logger.info("%s queued %d messages", sweep.__name__, queued)
    return queued
