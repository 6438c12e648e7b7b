"""Celery tasks that send the outbox. Beat also runs the dispatch every minute, so nothing waits for a kick."""

from celery import shared_task

from portal.notifications.sending import outbox_dispatch_once, outbox_release_stale


@shared_task(ignore_result=True)
def outbox_dispatch() -> int:
    sent = 0
    # Keep going while there is a full batch: a burst of reminders drains in one task.
    while True:
        batch = outbox_dispatch_once(limit=50)
        sent += batch
        if batch < 50:
            return sent


@shared_task(ignore_result=True)
def outbox_sweep() -> int:
    """Beat's safety net: gives back rows of dead workers, then sends whatever is due."""
    outbox_release_stale()
    return outbox_dispatch()
