"""The bench's results table: the latest run beside the first, each goal judged."""

from __future__ import annotations

import json

from bench import report


def _page(name: str, group: str, *, queries: float, p95: float, ratio: float) -> dict[str, object]:
    return {
        "name": name,
        "group": group,
        "queries": queries,
        "rendered_ms": p95 / 4,
        "median_ms": p95 / 2,
        "p95_ms": p95,
        "rps": 100.0 * ratio,
        "trivial": {"rps": 100.0},
        "ratio": ratio,
    }


def _run(scale: float, date: str, pages: list[dict[str, object]], *, form_bytes: int, sweep_seconds: float):
    return {
        "date": date,
        "commit": "abc1234",
        "scale": scale,
        "results": {
            "pages": pages,
            "sweeps": [{"name": "remind_triage_waiting", "seconds": sweep_seconds, "queries": 6, "queued": 2}],
            "phone_form": {
                "path": "/issues/new/",
                "wire_bytes": form_bytes,
                "resources": [{"path": "/issues/new/", "encoding": "identity", "wire_bytes": form_bytes}],
            },
            "roster_import": {
                "rows": 10000,
                "preview_seconds": 30.0,
                "confirm_seconds": 40.0,
                "rows_per_second": 142.9,
            },
        },
    }


BEFORE = _run(
    0.01,
    "2026-12-01 23:50 UTC",
    [
        _page("/notices/", "public", queries=4, p95=120.0, ratio=0.3),
        _page("/staff/issues/ (village)", "staff", queries=11, p95=400.0, ratio=0.1),
        _page("POST /issues/new/?org=", "write", queries=15, p95=360.0, ratio=0.05),
    ],
    form_bytes=70_000,
    sweep_seconds=3.5,
)
AFTER = _run(
    1.0,
    "2026-12-02 01:00 UTC",
    [
        _page("/notices/", "public", queries=4, p95=80.0, ratio=0.6),
        _page("/staff/issues/ (village)", "staff", queries=12, p95=250.0, ratio=0.3),
        _page("POST /issues/new/?org=", "write", queries=15, p95=240.0, ratio=0.05),
    ],
    form_bytes=50_000,
    sweep_seconds=0.4,
)


def _row(table: str, page: str) -> list[str]:
    line = next(line for line in table.splitlines() if line.startswith(f"| `{page}` "))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_a_page_that_keeps_its_query_count_and_meets_its_goals_passes_beside_its_before_numbers():
    table = report.markdown([BEFORE, AFTER])
    assert _row(table, "/notices/") == [
        "`/notices/`",
        "public",
        "4",
        "20",
        "40",
        "80",
        "60",
        "100",
        "0.60",
        "pass",
        "pass",
        "pass",
        "4 / 120 / 0.30",
    ]


def test_a_staff_page_whose_queries_grew_with_the_province_fails_that_goal_only():
    row = _row(report.markdown([BEFORE, AFTER]), "/staff/issues/ (village)")
    assert row[2] == "12"
    assert row[9:12] == ["**FAIL**", "pass", "pass"]


def test_a_write_is_held_to_its_p95_and_query_goals_not_to_a_share_of_the_trivial_views_throughput():
    assert _row(report.markdown([BEFORE, AFTER]), "POST /issues/new/?org=")[9:12] == ["pass", "–", "pass"]
    assert _row(report.markdown([BEFORE]), "POST /issues/new/?org=")[9:12] == ["–", "–", "**FAIL**"]


def test_the_first_run_alone_judges_what_it_can_and_leaves_the_query_comparison_open():
    table = report.markdown([BEFORE])
    assert _row(table, "/notices/")[9:12] == ["–", "**FAIL**", "pass"]
    assert "before:" not in table
    assert "| `remind_triage_waiting` | 3.500 | 6 | 2 | under 2 s: **FAIL** |" in table
    assert "**68.4 KB** (goal under 60.0 KB: **FAIL**)" in table
    assert "not all pass" in table


def test_runs_are_kept_in_results_json_and_the_table_beside_it(tmp_path):
    results = tmp_path / "results.json"
    report.results_append(results, BEFORE)
    report.results_append(results, AFTER)
    assert [run["scale"] for run in json.loads(results.read_text())["runs"]] == [0.01, 1.0]
    table = (tmp_path / "results.md").read_text()
    assert "scale 1.0 (before: 2026-12-01 23:50 UTC, `abc1234`, scale 0.01)" in table
    assert "Roster import of 10000 rows through the admin" in table
    assert "| **total** | | **48.8 KB** (goal under 60.0 KB: pass) |" in table


def test_two_runs_at_the_small_scale_leave_the_query_comparison_open_as_the_code_between_them_changed():
    later = {**BEFORE, "date": "2026-12-02 04:00 UTC"}
    assert _row(report.markdown([BEFORE, later]), "/notices/")[9] == "–"


def test_the_nightly_snapshot_is_held_to_the_ten_minutes_of_a_rebuild_not_to_the_two_seconds_of_a_sweep():
    snapshot = {"name": "snapshot_yesterday", "seconds": 11.8, "queries": 31, "queued": 116014}
    run = {**AFTER, "results": {**AFTER["results"], "sweeps": [snapshot]}}
    table = report.markdown([BEFORE, run])
    assert "| `snapshot_yesterday` | 11.800 | 31 | 116014 | under 600 s: pass |" in table


def test_the_whole_province_roster_export_is_judged_by_its_peak_memory():
    export = {"rows": 300_000, "seconds": 41.0, "state": "ready", "peak_mb": 180.5}
    run = {**AFTER, "results": {**AFTER["results"], "large_export": export}}
    assert "300000 memberships in 41.0 s, peak memory 180.5 MB (goal under 300 MB: pass)" in report.markdown([run])
    heavy = {**run, "results": {**run["results"], "large_export": {**export, "peak_mb": 512.0}}}
    assert "(goal under 300 MB: **FAIL**)" in report.markdown([heavy])
