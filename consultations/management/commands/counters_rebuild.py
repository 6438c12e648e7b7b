"""python manage.py counters_rebuild — sets the notice board and the 已解决议题 tallies from a recount.

Run it after loading rows without the services (a bulk load of a province), or to repair; the services keep
everything right on their own afterwards (consultations.counters).
"""

import time

from django.core.management.base import BaseCommand

from consultations.counters import counters_rebuild


class Command(BaseCommand):
    help = "Recomputes the board flags and the resolved-issue tallies of every organization and region, set-based."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        rebuilt = counters_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{rebuilt.on_board} notices on the board, tallies of {rebuilt.organizations} organizations and "
                f"{rebuilt.regions} regions, in {time.monotonic() - started:.1f} s."
            )
        )
