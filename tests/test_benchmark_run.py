"""The benchmark runner end to end on the demo program: every line is there, with numbers.

Timings are not asserted (tests assert behaviour; benchmarks report numbers): only that each
measurement ran, produced numeric medians and p95s, and that the table and the JSON hold them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from benchmarks.measure_common import Measurement, percentile
from benchmarks.measure_targets import judge
from benchmarks.run import Repeats, format_table, prepare_program, run
from mentor_desk.services.demo import load_demo
from mentor_desk.services.types import Database

TINY = Repeats(starts=1, windows=1, reopens=2, search=1, dossiers=1, batches=1, interchange=1)
TABS = ("overview", "mentees", "sessions", "goals", "evidence")
EXPECTED = {
    "startup.cold",
    "startup.bare",
    "startup.first",
    "window.show",
    *(f"window.tab_first.{tab}" for tab in TABS if tab != "overview"),
    *(f"window.tab_again.{tab}" for tab in TABS),
    "window.switch_mentee",
    "window.scroll_step",
    "window.scroll_worst",
    "window.open_session",
    "window.peak_rss",
    "search.service",
    "search.raw",
    "reports.dossier",
    "reports.dossier_per_page",
    "reports.dossier_plain_per_page",
    "reports.packets",
    "reports.packets_per_page",
    "reports.packets_plain_per_page",
    "interchange.export",
    "interchange.export_rss",
    "interchange.import",
    "interchange.import_rss",
}
TARGETED = {
    "startup.cold",
    "window.scroll_worst",
    "window.peak_rss",
    "search.service",
    "reports.dossier",
    "reports.dossier_per_page",
    "reports.packets",
    "interchange.export",
    "interchange.import",
}


@pytest.fixture
def demo_program(db: Database, data_dir: Path) -> Path:
    load_demo(db)
    db.dispose()  # the benchmarks copy the file: fold the WAL into it first
    return data_dir


@pytest.mark.slow
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_run_measures_every_line_with_numbers(
    demo_program: Path, tmp_path: Path, qapp: object
) -> None:
    report = run(demo_program, tmp_path / "scratch", TINY)

    by_key = {m["key"]: m for m in report["measurements"]}
    assert set(by_key) == EXPECTED
    for m in by_key.values():
        assert m["runs"] >= 1
        for stat in ("median", "p95", "max"):
            assert isinstance(m[stat], float), m
            assert math.isfinite(m[stat]), m
            assert m[stat] >= 0, m
    assert (
        by_key["window.scroll_worst"]["facts"]["rows_loaded"]
        == (report["subjects"]["mentee_sessions"])
    )
    assert by_key["search.service"]["facts"]["queries_with_hits"] > 0
    assert by_key["reports.dossier"]["facts"]["pages"] > 1
    verdicts = {v["key"]: v for v in report["verdicts"]}
    assert set(verdicts) >= TARGETED
    assert all(isinstance(v["passed"], bool) for v in verdicts.values())
    # The demo has more than a few packet pages, so a cancel after three pages really stops it.
    assert by_key["reports.packets"]["facts"]["cancel_s"] is not None

    report["size"] = "small"
    table = format_table(report)
    for m in report["measurements"]:
        assert m["label"] in table
    assert table.count("PASS") + table.count("MISS") == len(verdicts)
    assert json.loads(json.dumps(report)) == report
    # The program itself was not touched: the benchmarks work on a copy.
    assert not (demo_program / "backups").exists()


def test_percentile_is_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 21)]
    assert percentile(samples, 95) == 19.0
    assert percentile(samples, 50) == 10.0
    assert percentile([3.0], 95) == 3.0


def test_relative_targets_compare_with_the_baseline() -> None:
    cold = Measurement("startup.cold", "cold", (1.0, 1.2, 1.1), "s")
    bare = Measurement("startup.bare", "bare", (0.4, 0.5, 0.45), "s")
    [verdict] = judge([cold, bare])
    assert not verdict.passed  # under 1.5 s, but 2.4x the bare window
    assert "2.44x baseline" in verdict.detail
    [fast] = judge([cold, Measurement("startup.bare", "bare", (0.6,), "s")])
    assert fast.passed


def test_a_folder_with_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a program")
    with pytest.raises(SystemExit, match="holds no Mentor Desk program"):
        prepare_program("small", tmp_path)
