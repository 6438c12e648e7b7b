"""The demo's clock: historical rows are written by the real services, at the moment they happened.

The services stamp every step with the time (submissions, transitions, registrations, the messages they queue,
deadlines counted from today, notices, check-in windows) and refuse what only makes sense in the future (an
activity that starts in the past, attendance of a meeting not yet held). Each of them takes `now=` for that. The
demo loader sets the clock to the moment each step happened and passes `now=clock.now()` to the service: every
timestamp, deadline and audit row is then consistent with every other, as if staff had clicked through the
months. The clock never runs ahead of the real time, so nothing is dated in the future.

Only the single-threaded seed_demo command uses it.
"""

from __future__ import annotations

import datetime

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


def demo_clock() -> DemoClock:
    return DemoClock(timezone.now())
