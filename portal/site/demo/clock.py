"""The demo's clock: historical rows are written by the real services, at the moment they happened.

The services stamp every step with timezone.now() (transitions, deadlines counted from today, notices, check-in
windows) and refuse what only makes sense in the future (an activity that starts in the past, attendance of a
meeting not yet held). Rather than create rows "now" and move their timestamps afterwards with
queryset.update(), the demo loader sets the clock to the moment each step happened and calls the service: every
timestamp, deadline and audit row is then consistent with every other, as if staff had clicked through the
months. The clock never runs ahead of the real time, so nothing is dated in the future.

Only the single-threaded seed_demo command uses it, inside its one transaction; on_commit callbacks (the outbox
kick) run after the clock is put back.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone


class DemoClock:
    def __init__(self, real_now: datetime.datetime) -> None:
        self.real_now = real_now
        self._moment: datetime.datetime | None = None

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.real_now)

    def set(self, moment: datetime.datetime) -> datetime.datetime:
        """Moves the clock to `moment`, but never past the real time (a minute before it, at the latest)."""
        self._moment = min(moment, self.real_now - datetime.timedelta(minutes=1))
        return self._moment

    def now(self) -> datetime.datetime:
        return self._moment or self.real_now


def local_moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@contextmanager
def demo_clock() -> Iterator[DemoClock]:
    # django.utils.timezone.now is looked up at call time everywhere (services, auto_now_add fields,
    # localdate()), so replacing the module attribute moves all of them together. It stays until the rows'
    # auto_now_add stamps (Issue, Transition, Assignment, Activity, Registration, ActivityLog, OutboxMessage,
    # InboxMessage…) become default=timezone.now: Django overwrites an auto_now_add field on insert, so a
    # `now=` given to a service could not reach them.
    clock = DemoClock(timezone.now())
    with mock.patch.object(timezone, "now", clock.now):
        yield clock
