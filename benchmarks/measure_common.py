"""What every measurement module shares: samples and their statistics, the scratch copy of a
program, and the subjects the benchmarks act on (the busiest mentee, the richest candidate).

The benchmarks never write into the folder they are given: :func:`scratch_copy` copies its
database (with SQLite's online backup, so a WAL file is folded in) into a folder of their own.
"""

from __future__ import annotations

import math
import multiprocessing
import resource
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from mentor_desk.paths import DATABASE_NAME


@dataclass(frozen=True, slots=True)
class Measurement:
    """One line of the table: repeated samples of one thing, in ``unit``.

    Attributes:
        key: a stable id for machines and targets, e.g. ``"search.service"``.
        label: what a person reads in the table.
        samples: the values, one per run (at least one).
        unit: ``"ms"``, ``"s"`` or ``"MB"``.
        note: extra facts for the reader (pages, counts), shown after the numbers.
    """

    key: str
    label: str
    samples: tuple[float, ...]
    unit: str
    note: str = ""
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def worst(self) -> float:
        return max(self.samples)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "runs": len(self.samples),
            "median": round(self.median, 3),
            "p95": round(self.p95, 3),
            "max": round(self.worst, 3),
            "samples": [round(s, 3) for s in self.samples],
            "note": self.note,
            "facts": self.facts,
        }


def percentile(samples: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile (p95 of 20 samples is the 19th smallest)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def timed(action: Callable[[], object]) -> tuple[float, object]:
    """Seconds ``action`` took, and what it returned."""
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def repeat_ms(action: Callable[[], object], runs: int) -> tuple[float, ...]:
    """``action`` run ``runs`` times; each run's milliseconds."""
    return tuple(timed(action)[0] * 1000 for _ in range(runs))


def peak_rss_mb() -> float:
    """This process's peak RSS so far, in MB.

    On Linux it is ``VmHWM`` from ``/proc/self/status``: ``ru_maxrss`` survives fork and exec,
    so a spawned child would report its parent's peak when that was higher.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # macOS: bytes, others: KiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def in_fresh_process(function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` run in a new (spawned) process, so its peak RSS is its own.

    ``function`` must be importable by name and its arguments and result picklable.
    """
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


def scratch_copy(source_dir: Path, target_dir: Path) -> Path:
    """Copy the program in ``source_dir`` into ``target_dir`` (made if missing); the new folder.

    SQLite's backup API takes a consistent copy even while the source is open elsewhere.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_dir / DATABASE_NAME}?mode=ro", uri=True)
    target = sqlite3.connect(target_dir / DATABASE_NAME)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return target_dir


@dataclass(frozen=True, slots=True)
class Subjects:
    """Whom the benchmarks act on, found through the services.

    Attributes:
        mentee_id, mentee_name, mentee_sessions: the mentee with the most sessions.
        record_id, candidate_name, evidence: the LMP record with the most evidence.
        quarter: the calendar quarter of the newest session, for the packet batch.
    """

    mentee_id: int
    mentee_name: str
    mentee_sessions: int
    record_id: int | None
    candidate_name: str
    evidence: int
    quarter: str
    counts: dict[str, int]


def find_subjects(db: Any) -> Subjects:
    """The busiest mentee, the candidate with the most evidence and the newest quarter."""
    from mentor_desk.services.lmp import list_records
    from mentor_desk.services.mentees import count_mentees, list_mentees
    from mentor_desk.services.sessions import count_sessions, list_sessions

    mentees = list_mentees(db, status="all")
    if not mentees:
        raise SystemExit("The program has no mentees: generate one first (omit --data-dir).")
    per_mentee = {row.id: count_sessions(db, row.id) for row in mentees}
    busiest = max(mentees, key=lambda row: (per_mentee[row.id], -row.id))
    records = list_records(db)
    richest = max(records, key=lambda row: (row.evidence_count, -row.id), default=None)
    newest = list_sessions(db, limit=1)
    day = newest[0].started_at.date() if newest else date.today()
    return Subjects(
        mentee_id=busiest.id,
        mentee_name=busiest.name,
        mentee_sessions=per_mentee[busiest.id],
        record_id=richest.id if richest else None,
        candidate_name=richest.candidate_name if richest else "",
        evidence=richest.evidence_count if richest else 0,
        quarter=f"{day.year}-Q{(day.month - 1) // 3 + 1}",
        counts={
            "mentees": len(mentees),
            "active_mentees": count_mentees(db, "active"),
            "sessions": sum(per_mentee.values()),
            "lmp_records": len(records),
        },
    )
