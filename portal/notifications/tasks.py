"""Celery tasks that send the outbox. Beat also runs the sweep every minute, so nothing waits for a kick."""

import math

from celery import shared_task

from portal.notifications.sending import outbox_dispatch_batch, outbox_due_count, outbox_release_stale
from portal.notifications.sweep_runs import sweep_hand_out

# Rows claimed and sent per round, with the same few queries whatever the number: a burst of a morning's
# reminders goes out in a round or two, well inside the lease (OUTBOX_LEASE_SECONDS) of the claim.
DISPATCH_BATCH = 250
# Dispatch tasks one sweep may start: a province's morning of reminders (thousands of rows) is shared by the
# workers, each sending batch after batch, instead of holding the one worker that runs the sweep for seconds.
SWEEP_FAN_OUT = 8


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
    """Beat's safety net: gives back the rows of dead workers, then starts a dispatch task for each batch of due
    rows (at most SWEEP_FAN_OUT; each keeps going while it finds full batches). Returns the due rows it found,
    counted up to what those tasks take in their first round."""
    outbox_release_stale()
    due = outbox_due_count(limit=DISPATCH_BATCH * SWEEP_FAN_OUT)
    for _ in range(math.ceil(due / DISPATCH_BATCH)):
        if not sweep_hand_out(outbox_dispatch, part="an outbox dispatch"):
            outbox_dispatch()  # sent from here instead
            break
    return due
