"""python manage.py counters_check — compares the kept counters with a recount; exits 1 when they differ."""

from django.core.management.base import BaseCommand, CommandError

from consultations.counters import counters_check


class Command(BaseCommand):
    help = "Compares the board flags and resolved-issue tallies with a recount from the issues and notices."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--show", type=int, default=20, help="how many differences to list (default 20)")

    def handle(self, *args, **options) -> None:
        problems = counters_check()
        if problems:
            for line in problems[: options["show"]]:
                self.stderr.write(line)
            raise CommandError(f"{len(problems)} counters differ from the recount: run counters_rebuild.")
        self.stdout.write(self.style.SUCCESS("Every counter equals its recount."))
