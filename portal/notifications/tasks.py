"""Celery tasks that send the outbox. Beat also runs the dispatch every minute, so nothing waits for a kick."""

from celery import shared_task

from portal.notifications.sending import outbox_dispatch_batch, outbox_release_stale

# Rows claimed and sent per round, with the same few queries whatever the number: a burst of a morning's
# reminders goes out in a round or two, well inside the lease (OUTBOX_LEASE_SECONDS) of the claim.
DISPATCH_BATCH = 250


@shared_task(ignore_result=True)
def outbox_dispatch() -> int:
    sent = 0
    # Keep going while there is a full batch: a burst of reminders drains in one task.
    while True:
        claimed, batch = outbox_dispatch_batch(limit=DISPATCH_BATCH)
        sent += batch
        if claimed < DISPATCH_BATCH:
            return sent


@shared_task(ignore_result=True)
def outbox_sweep() -> int:
    """Beat's safety net: gives back rows of dead workers, then sends whatever is due."""
    outbox_release_stale()
    return outbox_dispatch()
