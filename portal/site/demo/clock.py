"""The demo's clock: historical rows are written by the real services, at the moment they happened.

The services stamp every step with the time (transitions, deadlines counted from today, notices, check-in
windows) and refuse what only makes sense in the future (an activity that starts in the past, attendance of a
meeting not yet held). Each of them takes `now=` for that. The demo loader sets the clock to the moment each
step happened and passes `now=clock.now()` to the service: every timestamp, deadline and audit row is then
consistent with every other, as if staff had clicked through the months. The clock never runs ahead of the real
time, so nothing is dated in the future.

Rows whose creation time Django stamps itself (auto_now_add: an issue's submission, a transition, a registration,
an outbox message…) are written at the real time whatever `now=` says. The clock keeps a log of when it was set
to which moment, and redate_inserts() gives each such row the moment the clock showed when it was written.

Only the single-threaded seed_demo command uses it, inside its one transaction.
"""

from __future__ import annotations

import bisect
import datetime

from django.apps import apps
from django.db import models
from django.utils import timezone

# The apps whose services the demo calls on the clock; their rows inserted meanwhile are redated.
REDATED_APPS = ("consultations", "activities", "notifications")


class DemoClock:
    def __init__(self, real_now: datetime.datetime) -> None:
        self.real_now = real_now
        self._moment: datetime.datetime | None = None
        # (the real time the clock was set, the moment it was set to), in the order it happened.
        self._real_times: list[datetime.datetime] = []
        self._moments: list[datetime.datetime] = []

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.real_now)

    def set(self, moment: datetime.datetime) -> datetime.datetime:
        """Moves the clock to `moment`, but never past the real time (a minute before it, at the latest)."""
        self._moment = min(moment, self.real_now - datetime.timedelta(minutes=1))
        self._real_times.append(timezone.now())
        self._moments.append(self._moment)
        return self._moment

    def now(self) -> datetime.datetime:
        return self._moment or self.real_now

    def _moment_at(self, real_time: datetime.datetime) -> datetime.datetime:
        step = bisect.bisect_right(self._real_times, real_time) - 1
        return self._moments[step] if step >= 0 else real_time

    def redate_inserts(self) -> int:
        """Gives every row that Django stamped with the real time since the clock started the moment the clock
        showed when the row was written. Rows redated before are older than the clock's start, so running it
        again changes only what was written since. Returns how many rows it redated."""
        redated = 0
        for label in REDATED_APPS:
            for model in apps.get_app_config(label).get_models():
                for field in model._meta.concrete_fields:
                    if isinstance(field, models.DateTimeField) and field.auto_now_add:
                        redated += self._redate(model, field.attname)
        return redated

    def _redate(self, model: type[models.Model], attname: str) -> int:
        rows = list(model._default_manager.filter(**{f"{attname}__gte": self.real_now}).only("pk", attname))
        for row in rows:
            setattr(row, attname, self._moment_at(getattr(row, attname)))
        # bulk_update writes the values as given: it does not run auto_now_add again.
        model._default_manager.bulk_update(rows, [attname], batch_size=500)
        return len(rows)


def local_moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def demo_clock() -> DemoClock:
    return DemoClock(timezone.now())
