"""python manage.py bench_province --scale 0.01 [--seed 1] [--replace] — a province to measure the portal on.

Scale 1.0 is the province of the design: 100 districts, 1,300 towns, 20,000 villages (each with its 同心荟; every
town has its 新阶层实践创新基地 and every district its 共富联盟), 300,000 people on the rosters, 1,000,000 issues
over five years with their whole trails, monthly 议事会, assignments, notices and ratings, 500,000 activities with
their sign-ups, and the outbox of the last year. 0.01 is a quick run. PostgreSQL only: rows are bulk loaded with
COPY in one transaction, secondary indexes and foreign keys set aside while it runs (--keep-indexes to compare).

The same --seed, --scale and --at give the same rows; --at (default: the start of the current hour) is the
moment the history ends, so that a province built today is as fresh as one built another day.

It writes .data/bench/province.json (or --output), read by `make bench`. Its keys are stable:
- "scale", "seed", "at" (ISO moment), "seconds" (total, and "generate", "copy", "indexes", "finish"),
  "rows_per_second", "total_rows", "counts" (rows per table, by table name);
- "logins": for each role — "district_admin", "town_staff", "village_staff", "department_handler",
  "member" — {"username", "password" (new every run, the same for the five), "user_id", and "phone" for the
  member}: the admin of the biggest district, the staff of its biggest town and of that town's busiest village,
  the handler whose department has the most live assignments, the member who submitted most issues;
- "samples": "organization_slug" and "organization_id" (the busiest village's 同心荟), "notice_id" (a notice on
  the board), "activity_id" (public, published, upcoming), "meeting_id" (held, with an agenda), "issue_id",
  "receipt_code" with "phone_last4" (the submitter's, to follow the issue), and "region_chain"
  {"district_id", "town_id", "village_id"} for the phone form's region choice.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from portal.site.bench.province import ProvinceRefused, province_build


def _moment(text: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(text)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _silent(_line: str) -> None:
    pass


class Command(BaseCommand):
    help = "Builds a province of generated data in PostgreSQL for benchmarks and writes .data/bench/province.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=0.01, help="1.0 is the province of the design")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--at", type=_moment, default=None, help="where the history ends (ISO); default this hour")
        parser.add_argument("--replace", action="store_true", help="empty the portal's tables first")
        parser.add_argument("--keep-indexes", action="store_true", help="load with every index and key in place")
        parser.add_argument("--output", type=Path, default=None, help="default .data/bench/province.json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] <= 0:
            raise CommandError("--scale must be above 0.")
        at = options["at"] or timezone.now().replace(minute=0, second=0, microsecond=0)
        log: Callable[[str], None] = self.stdout.write if options["verbosity"] > 0 else _silent
        try:
            built = province_build(
                scale=options["scale"],
                seed=options["seed"],
                at=at,
                replace=options["replace"],
                keep_indexes=options["keep_indexes"],
                log=log,
            )
        except ProvinceRefused as refused:
            raise CommandError(str(refused)) from refused
        timings = built.timings
        rate = built.total_rows / timings.total if timings.total else 0.0
        data = {
            "scale": options["scale"],
            "seed": options["seed"],
            "at": at.isoformat(),
            "seconds": {
                "total": round(timings.total, 2),
                "generate": round(timings.generate, 2),
                "copy": round(timings.copy, 2),
                "indexes": round(timings.indexes, 2),
                "finish": round(timings.finish, 2),
            },
            "total_rows": built.total_rows,
            "rows_per_second": round(rate),
            "counts": built.rows,
            "logins": built.logins,
            "samples": built.samples,
        }
        output = Path(options["output"] or settings.DATA_DIR / "bench" / "province.json")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        width = max(len(table) for table in built.rows)
        for table, rows in sorted(built.rows.items(), key=lambda item: -item[1]):
            log(f"{table:<{width}}  {rows:>10,}")
        log(
            f"{built.total_rows:,} rows in {timings.total:.1f} s ({rate:,.0f} rows/s): generated in "
            f"{timings.generate:.1f} s, copied in {timings.copy:.1f} s, indexes and keys rebuilt in "
            f"{timings.indexes:.1f} s, finished in {timings.finish:.1f} s."
        )
        log(f"Logins and sample ids: {output}")
