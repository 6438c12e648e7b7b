"""The goals of issue 10, judged on a run's results, and the Markdown table of results.json's runs.

A run is a dict: date, commit, scale, seconds, results (pages, sweeps, roster_import, phone_form). The table
shows the latest run, with the first run beside it as "before".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# A write (a villager's new issue, a tracking look-up) is not a page: it inserts rows and queues messages in its
# transaction, so it is held to the p95 and query goals, not to a share of a view that does nothing.
THROUGHPUT_GOALS: dict[str, float | None] = {"public": 0.5, "phone": 0.5, "staff": 0.25, "admin": 0.25, "write": None}
P95_GOAL_MS = 300.0
PHONE_FORM_GOAL_BYTES = 60 * 1024
BASELINE_SCALE = 0.01
SWEEP_GOAL_SECONDS = 2.0
EXPORT_MEMORY_GOAL_MB = 300.0  # issue 11: an XLSX of 300,000 memberships built with peak memory under this
# The nightly snapshot is no reminder sweep: issue 11 holds the rebuild of a whole province to ten minutes.
SWEEP_GOALS_SECONDS = {"snapshot_yesterday": 600.0}


# A dashboard a worker counts (stats.tasks.board_compute) must be kept before its claim lapses
# (stats.kept_boards.COMPUTING_SECONDS), or a second worker is asked to count it again.
BOARD_GOAL_SECONDS = 300.0


def sweep_goal_seconds(name: str) -> float:
    if name.startswith("board_compute"):
        return BOARD_GOAL_SECONDS
    return SWEEP_GOALS_SECONDS.get(name, SWEEP_GOAL_SECONDS)


def _baseline_queries(runs: list[dict[str, Any]], run: dict[str, Any]) -> dict[str, float | None]:
    """Each page's queries in the latest other run at the small scale: the count must not grow with the data.

    A run at the small scale itself is not judged: an earlier one ran other code, and fewer queries are no fault."""
    if run.get("scale") == BASELINE_SCALE:
        return {}
    for other in reversed(runs):
        if other is run or other.get("scale") != BASELINE_SCALE:
            continue
        return {page["name"]: page.get("queries") for page in other["results"].get("pages", [])}
    return {}


def page_goals(page: dict[str, Any], baseline: dict[str, float | None]) -> dict[str, bool | None]:
    """None where a goal cannot be judged (no run at the small scale to compare with, no ratio)."""
    ratio = page.get("ratio")
    p95 = page.get("p95_ms")
    queries_before = baseline.get(page["name"])
    goal = THROUGHPUT_GOALS.get(page["group"])
    return {
        "queries_flat": None if queries_before is None else page.get("queries") == queries_before,
        "throughput": None if ratio is None or goal is None else ratio >= goal,
        "p95": None if p95 is None else p95 < P95_GOAL_MS,
    }


def run_goals(runs: list[dict[str, Any]], run: dict[str, Any]) -> dict[str, Any]:
    results = run["results"]
    baseline = _baseline_queries(runs, run)
    pages = {page["name"]: page_goals(page, baseline) for page in results.get("pages", [])}
    phone_form = results.get("phone_form")
    sweeps = {
        sweep["name"]: sweep["seconds"] < sweep_goal_seconds(sweep["name"]) for sweep in results.get("sweeps", [])
    }
    judged = [value for goals in pages.values() for value in goals.values() if value is not None]
    judged += list(sweeps.values())
    phone_ok = None if not phone_form else phone_form["wire_bytes"] < PHONE_FORM_GOAL_BYTES
    if phone_ok is not None:
        judged.append(phone_ok)
    export = results.get("large_export")
    export_ok = None if not export else export["peak_mb"] < EXPORT_MEMORY_GOAL_MB and export["state"] == "ready"
    if export_ok is not None:
        judged.append(export_ok)
    return {
        "pages": pages,
        "sweeps": sweeps,
        "phone_form": phone_ok,
        "large_export": export_ok,
        "all_pass": all(judged),
    }


def _mark(value: bool | None) -> str:
    return "–" if value is None else ("pass" if value else "**FAIL**")


def _number(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _kib(value: int) -> str:
    return f"{value / 1024:.1f} KB"


def markdown(runs: list[dict[str, Any]]) -> str:
    """The latest run in full, each page beside the first run ("before") when there are two or more."""
    if not runs:
        return "No bench run yet: `make bench`.\n"
    run = runs[-1]
    before = runs[0] if len(runs) > 1 else None
    goals = run_goals(runs, run)
    results = run["results"]
    lines = [
        "Rendered ms: one request at a time, the page rendered afresh (what the first visitor after a change "
        "waits); median, p95 and req/s: 16 clients at once, served kept where the page is kept.",
        "",
        f"Run of {run['date']} at commit `{run['commit']}`, scale {run['scale']}"
        + (f" (before: {before['date']}, `{before['commit']}`, scale {before['scale']})" if before else "")
        + f"; {run.get('clients', 16)} clients, {run.get('workers', 4)} gunicorn workers.",
        "",
    ]
    earlier = {page["name"]: page for page in before["results"].get("pages", [])} if before else {}
    header = "| page | group | queries | rendered ms | median ms | p95 ms | req/s | trivial req/s | ratio | "
    header += "queries flat | throughput | p95 |"
    if before:
        header += " before: queries / p95 / ratio |"
    lines.append(header)
    lines.append("|" + " --- |" * (header.count("|") - 1))
    for page in results.get("pages", []):
        marks = goals["pages"][page["name"]]
        row = (
            f"| `{page['name']}` | {page['group']} | {_number(page['queries'])} | "
            f"{_number(page.get('rendered_ms'))} | {_number(page['median_ms'])} | "
            f"{_number(page['p95_ms'])} | {_number(page['rps'])} | {_number(page['trivial']['rps'])} | "
            f"{_number(page['ratio'], 2)} | {_mark(marks['queries_flat'])} | {_mark(marks['throughput'])} | "
            f"{_mark(marks['p95'])} |"
        )
        if before:
            old = earlier.get(page["name"])
            row += (
                f" {_number(old['queries'])} / {_number(old['p95_ms'])} / {_number(old['ratio'], 2)} |"
                if old
                else " – |"
            )
        lines.append(row)
    sweeps = results.get("sweeps", [])
    if sweeps:
        lines += [
            "",
            "| sweep or worker task | seconds | queries | messages queued or sent | goal |",
            "| --- | --- | --- | --- | --- |",
        ]
        for sweep in sweeps:
            lines.append(
                f"| `{sweep['name']}` | {sweep['seconds']:.3f} | {sweep['queries']} | {sweep['queued']} | "
                f"under {_number(sweep_goal_seconds(sweep['name']))} s: {_mark(goals['sweeps'][sweep['name']])} |"
            )
    export = results.get("large_export")
    if export:
        lines += [
            "",
            f"Roster export of the whole province (XLSX, built by the worker's task): {export['rows']} memberships "
            f"in {export['seconds']} s, peak memory {export['peak_mb']} MB "
            f"(goal under {_number(EXPORT_MEMORY_GOAL_MB)} MB: {_mark(goals['large_export'])}).",
        ]
    roster = results.get("roster_import")
    if roster:
        lines += [
            "",
            f"Roster import of {roster['rows']} rows through the admin: preview (upload and dry run) "
            f"{roster['preview_seconds']} s, confirm {roster['confirm_seconds']} s, "
            f"{roster['rows_per_second']} rows/s.",
        ]
    phone = results.get("phone_form")
    if phone:
        lines += ["", "| phone form resource | encoding | bytes on the wire |", "| --- | --- | --- |"]
        for resource in phone["resources"]:
            lines.append(f"| `{resource['path']}` | {resource['encoding']} | {resource['wire_bytes']} |")
        lines.append(
            f"| **total** | | **{_kib(phone['wire_bytes'])}** (goal under {_kib(PHONE_FORM_GOAL_BYTES)}: "
            f"{_mark(goals['phone_form'])}) |"
        )
    lines += ["", f"All goals judged: {'pass' if goals['all_pass'] else '**not all pass**'}."]
    return "\n".join(lines) + "\n"


def results_read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return list(json.loads(path.read_text(encoding="utf-8")).get("runs", []))


def results_write(path: Path, runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    path.write_text(json.dumps({"runs": runs}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    path.with_suffix(".md").write_text(markdown(runs), encoding="utf-8")
    return runs


def results_append(path: Path, run: dict[str, Any]) -> list[dict[str, Any]]:
    return results_write(path, [*results_read(path), run])


def results_replace_last(path: Path, run: dict[str, Any]) -> list[dict[str, Any]]:
    """The run appended last, completed (its roster import done)."""
    return results_write(path, [*results_read(path)[:-1], run])
