"""Queuing a task for a worker without ever waiting on the broker.

Celery's apply_async(retry=False) still connects through kombu's ensure_connection, which with a broker that
does not answer retries for as long as broker_connection_max_retries allows: a page or a sweep that queues work
would hang there. Here the producer's pooled connection is tried once (kept between calls: opening one per call
cost a submission 20-30 ms) and the message published without retries; an unreachable broker raises at once.
"""

from __future__ import annotations

from typing import Any


def publish_once(task: Any, *args: Any) -> None:
    """Queues `task(*args)`; raises when the broker cannot be reached (the caller decides what waits)."""
    app = task.app
    if app.conf.task_always_eager:
        task.apply_async(args)
        return
    with app.producer_or_acquire() as producer:
        producer.connection.ensure_connection(max_retries=0)  # a connection the broker dropped: once more
        task.apply_async(args, producer=producer, retry=False)
