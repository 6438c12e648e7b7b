"""python manage.py stats_rebuild --date 2025-06-30 [--to 2025-07-31] — the daily snapshot of a past day (or of
every day of a span), recounted; running it again gives the same rows (stats.snapshot)."""

from __future__ import annotations

import datetime
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from stats.snapshot import snapshot_rebuild


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from error


class Command(BaseCommand):
    help = "Rebuilds the daily snapshot of the dashboard for a past day, or for each day from --date to --to."

    def add_arguments(self, parser: CommandParser) -> None:
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        parser.add_argument("--date", default=yesterday.isoformat(), help="the day (Beijing), default yesterday")
        parser.add_argument("--to", help="the last day of a span to rebuild, day by day")

    def handle(self, *args: object, **options: str) -> None:
        first = _day(options["date"])
        last = _day(options["to"]) if options.get("to") else first
        if last >= timezone.localdate():
            raise CommandError("only days that are over can be kept: today's figures are read live")
        day = first
        while day <= last:
            started = time.monotonic()
            rebuilt = snapshot_rebuild(day=day)
            self.stdout.write(f"{day.isoformat()}: {rebuilt.rows} rows in {time.monotonic() - started:.1f} s")
            day += datetime.timedelta(days=1)
