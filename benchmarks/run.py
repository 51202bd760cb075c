"""The benchmark runner: one table of medians and p95s, each line judged against its target.

    python benchmarks/run.py --size large [--data-dir DIR] [--json [FILE]] [--quick]

Without ``--data-dir`` (or with an empty folder) the program is generated first with
:func:`benchmarks.generate.generate_program`; a folder in the temporary directory is reused by
later runs of the same size. The program is never changed: every measurement works on a scratch
copy. ``--json`` alone prints the JSON document on stdout (and the table on stderr); with a file
name it writes the JSON there. See ``benchmarks/README.md`` for what each line measures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` and the app importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.measure_common import Measurement, Subjects, find_subjects, scratch_copy
from benchmarks.measure_targets import Verdict, judge
from mentor_desk.paths import DATABASE_NAME

SIZES = ("small", "medium", "large")
SECTIONS = ("startup", "window", "search", "reports", "interchange")


@dataclass(frozen=True, slots=True)
class Repeats:
    """How many times each kind of measurement runs."""

    starts: int = 5
    windows: int = 5
    reopens: int = 20
    search: int = 3
    dossiers: int = 3
    batches: int = 1
    interchange: int = 1


QUICK = Repeats(starts=2, windows=2, reopens=5, search=1, dossiers=1)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before anything loads Qt
    program = prepare_program(args.size or "small", args.data_dir)
    with tempfile.TemporaryDirectory(prefix="mentor-desk-bench-") as folder:
        scratch = Path(folder)
        # Window settings (QSettings by path) follow XDG_CONFIG_HOME: never the user's own.
        os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")
        sections = tuple(args.only.split(",")) if args.only else SECTIONS
        report = run(program, scratch, QUICK if args.quick else Repeats(), sections)
    # A given folder is labelled by what it holds, not by a size nobody asked for.
    report["size"] = args.size or ("existing" if args.data_dir else "small")
    table = format_table(report)
    if args.json == "-":
        print(table, file=sys.stderr)
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(table)
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py", description="Measure Mentor Desk on a generated program."
    )
    parser.add_argument("--size", choices=SIZES, help="program size to generate (default: small)")
    parser.add_argument("--data-dir", type=Path, help="use this program (generated if empty)")
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="FILE",
        help="also give the results as JSON: on stdout (table on stderr), or into FILE",
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (rougher)")
    parser.add_argument(
        "--only", metavar="LIST", help=f"comma-separated sections: {','.join(SECTIONS)}"
    )
    return parser


def prepare_program(size: str, data_dir: Path | None) -> Path:
    """The program folder to measure, generated first when missing or empty."""
    folder = data_dir or Path(tempfile.gettempdir()) / f"mentor-desk-bench-{size}"
    if (folder / DATABASE_NAME).is_file():
        return folder
    if folder.exists() and any(folder.iterdir()):
        raise SystemExit(f"{folder} is not empty but holds no Mentor Desk program; choose another.")
    try:
        from benchmarks.generate import generate_program
    except ImportError as exc:
        raise SystemExit(f"Cannot generate a program ({exc}); give one with --data-dir.") from exc
    _say(f"Generating a {size} program in {folder} (once; later runs reuse it)...")
    result = generate_program(folder, size)
    _say(f"Generated in {getattr(result, 'elapsed', 0.0):.0f} s.")
    return folder


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(
    program: Path, scratch: Path, repeats: Repeats, sections: Sequence[str] = SECTIONS
) -> dict[str, Any]:
    """Measure ``sections`` on a scratch copy of ``program``; the report (see :func:`main`)."""
    from mentor_desk.services.program import open_program

    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"Unknown section(s) {', '.join(sorted(unknown))}; use {SECTIONS}.")
    started = time.perf_counter()
    copy = scratch_copy(program, scratch / "program")
    db = open_program(copy)
    try:
        subjects = find_subjects(db)
        steps = _steps(db, copy, scratch, subjects, repeats)
        measurements: list[Measurement] = []
        for section in SECTIONS:
            if section in sections:
                _say(f"Measuring {section}...")
                measurements += steps[section]()
    finally:
        db.dispose()
    return {
        "program": str(program),
        "subjects": asdict(subjects),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            # Other work on the machine slows every line: read the figures with this in mind.
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "repeats": asdict(repeats),
        "seconds": round(time.perf_counter() - started, 1),
        "measurements": [m.as_json() for m in measurements],
        "verdicts": [asdict(v) for v in judge(measurements)],
    }


def _steps(
    db: Any, copy: Path, scratch: Path, subjects: Subjects, repeats: Repeats
) -> dict[str, Callable[[], list[Measurement]]]:
    """Each section as a call (imported late: a section not asked for costs nothing)."""
    from benchmarks.measure_interchange import measure_interchange
    from benchmarks.measure_reports import measure_reports
    from benchmarks.measure_search import measure_search
    from benchmarks.measure_startup import measure_startup
    from benchmarks.measure_window import measure_peak_rss, measure_window

    return {
        "startup": lambda: measure_startup(copy, scratch, repeats.starts),
        "window": lambda: [
            *measure_window(copy, scratch, subjects, repeats.windows, repeats.reopens),
            measure_peak_rss(copy, scratch, subjects),
        ],
        "search": lambda: measure_search(db, copy, repeats.search),
        "reports": lambda: measure_reports(
            db, scratch, subjects, repeats.dossiers, repeats.batches
        ),
        "interchange": lambda: measure_interchange(copy, scratch, repeats.interchange),
    }


# --- the table ----------------------------------------------------------------------------------


def _number(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.2f}"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _note(note: str, detail: str) -> str:
    """The line's note, and the verdict's figures where they say more than the columns."""
    extra = detail if ("baseline" in detail or "cancel" in detail) else ""
    return "; ".join(part for part in (note, extra) if part)


def format_table(report: dict[str, Any]) -> str:
    """The measurements as a fixed-width table, with each target and PASS/MISS beside it."""
    verdicts = {v["key"]: v for v in report["verdicts"]}
    subjects = report["subjects"]
    counts = ", ".join(f"{n:,} {name}" for name, n in subjects["counts"].items())
    lines = [
        f"Mentor Desk benchmarks: {report.get('size', '?')} program at {report['program']}",
        f"  {counts}; busiest mentee {subjects['mentee_name']} "
        f"({subjects['mentee_sessions']:,} sessions); candidate {subjects['candidate_name']} "
        f"({subjects['evidence']} evidence)",
        f"  {report['machine']['cpus']} CPUs, load average {report['machine']['load_average']} "
        f"at the end; {report['seconds']:.0f} s in all",
        "",
    ]
    header = ("Measurement", "runs", "median", "p95", "unit", "target", "", "note")
    rows = [header]
    for m in report["measurements"]:
        verdict = verdicts.get(m["key"])
        rows.append(
            (
                m["label"],
                str(m["runs"]),
                _number(m["median"], m["unit"]),
                _number(m["p95"], m["unit"]),
                m["unit"],
                verdict["target"] if verdict else "",
                ("PASS" if verdict["passed"] else "MISS") if verdict else "",
                _note(m["note"], verdict["detail"] if verdict else ""),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {1, 2, 3}
    for row in rows:
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    misses = [v for v in report["verdicts"] if not v["passed"]]
    lines += ["", f"{len(report['verdicts']) - len(misses)} targets met, {len(misses)} missed."]
    return "\n".join(lines)


__all__ = ["QUICK", "Repeats", "Verdict", "format_table", "main", "prepare_program", "run"]

if __name__ == "__main__":
    sys.exit(main())
