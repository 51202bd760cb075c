"""Generate a synthetic Mentor Desk program for benchmarks: ``small``, ``medium`` or ``large``.

    python -m benchmarks.generate --size large --data-dir /tmp/bench-large [--seed N] [--force]

``large`` is 500 mentees with 100,000 sessions (Markdown notes of about 1 KB), 10,000 action
items, 5,000 goals with 50,000 check-ins, 20,000 skill assessments and 50 LMP candidates with
20,000 evidence entries and 5,000 SCPA updates, over ten years; ``medium`` is a tenth of that and
``small`` a hundredth. The program is created the normal way (migrations and seeded reference data)
and filled with bulk inserts; the result passes ``mentor-desk check`` and opens in the window.

Everything comes from ``random.Random(seed)`` and the fixed ``end`` date, never from the clock,
so the same seed gives a byte-identical ``export-json`` (with a fixed ``exported_at``). One mentee
has the most sessions (exactly 1,000 in ``large`` and ``medium``) and one candidate clearly the
most evidence: the benchmarks switch to that mentee and build that candidate's dossier.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from benchmarks.synth_db import BulkWriter
from benchmarks.synth_lmp import LmpBuilder
from benchmarks.synth_rows import MenteeBuilder, allocate
from benchmarks.synth_text import NoteWriter, mentee_names
from mentor_desk.db.models import Base
from mentor_desk.errors import UserError
from mentor_desk.lock import DataFolderLock
from mentor_desk.paths import DataPaths
from mentor_desk.services.program import open_program

#: How much of ``large`` each size is.
SIZES: dict[str, float] = {"small": 0.01, "medium": 0.1, "large": 1.0}
#: The row counts of ``large``.
LARGE: dict[str, int] = {
    "mentees": 500, "sessions": 100_000, "action_items": 10_000, "goals": 5_000,
    "goal_checkins": 50_000, "skill_assessments": 20_000, "lmp_records": 50, "evidence": 20_000,
    "scpa_updates": 5_000,
}  # fmt: skip
#: The sessions of the busiest mentee (at most a third of all sessions, for ``small``).
BUSIEST_SESSIONS = 1_000
#: The last day of the ten years the program covers (a Monday).
END = date(2026, 11, 16)


class GeneratorError(Exception):
    """The generator cannot run as asked (a bad size, or a data folder already in use)."""


@dataclass(frozen=True, slots=True)
class GenerateResult:
    """What was generated, and the records the benchmarks need."""

    size: str
    seed: int
    data_dir: Path
    database: Path
    counts: dict[str, int] = field(hash=False)  # rows per table, as stored
    elapsed_seconds: float
    database_bytes: int
    busiest_mentee_id: int  # the mentee with the most sessions
    busiest_mentee_name: str
    busiest_mentee_sessions: int
    top_candidate_id: int  # the mentee id of the LMP candidate with the most evidence
    top_candidate_name: str
    top_candidate_record_id: int
    top_candidate_evidence: int

    def describe(self) -> str:
        """A short report for the terminal."""
        lines = [
            f"Generated the {self.size} program (seed {self.seed}) in {self.data_dir} "
            f"in {self.elapsed_seconds:.1f} s; the database is "
            f"{self.database_bytes / 1_000_000:.1f} MB.",
            *(f"  {table:<18} {count:>9,}" for table, count in self.counts.items() if count),
            f"Most sessions: {self.busiest_mentee_name} (id {self.busiest_mentee_id}, "
            f"{self.busiest_mentee_sessions:,} sessions).",
            f"Most evidence: {self.top_candidate_name} (id {self.top_candidate_id}, record "
            f"{self.top_candidate_record_id}, {self.top_candidate_evidence:,} entries).",
        ]
        return "\n".join(lines)


def plan(size: str) -> dict[str, int]:
    """The row counts for ``size`` (at least one of each)."""
    if size not in SIZES:
        raise GeneratorError(f"Unknown size {size!r}: choose one of {', '.join(SIZES)}.")
    return {name: max(1, round(count * SIZES[size])) for name, count in LARGE.items()}


def generate_program(
    data_dir: Path,
    size: str,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
    *,
    force: bool = False,
    end: date = END,
) -> GenerateResult:
    """Create a program of ``size`` in the empty folder ``data_dir``.

    Args:
        data_dir: the data folder; it must be empty or missing unless ``force``.
        size: ``small``, ``medium`` or ``large``.
        seed: the seed of the only random generator used.
        progress: called with a line of progress now and then.
        force: replace the database already in ``data_dir`` (nothing else there is touched).
        end: the last day of the ten years the program covers.

    Raises:
        GeneratorError: an unknown size, or a data folder that is not empty.
        DatabaseLockedError: the data folder is open in Mentor Desk.
    """
    counts = plan(size)
    say = progress or (lambda _line: None)
    began = time.perf_counter()
    paths = DataPaths(Path(data_dir).expanduser().resolve())
    if paths.root.exists() and any(paths.root.iterdir()) and not force:
        raise GeneratorError(
            f"{paths.root} is not empty. Choose an empty or new folder, or pass --force to "
            "replace the database in it."
        )
    with DataFolderLock(paths, "the benchmark generator"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            paths.database.with_name(paths.database.name + suffix).unlink(missing_ok=True)
        say("creating the program (migrations and reference data)")
        open_program(paths).dispose()
        rng = random.Random(seed)
        with BulkWriter(paths.database, rng) as out:
            _write(out, counts, end, say)
        say("counting")
        result = _result(paths, size, seed, time.perf_counter() - began)
    say(f"done in {result.elapsed_seconds:.1f} s")
    return result


def _write(out: BulkWriter, counts: dict[str, int], end: date, say: Callable[[str], None]) -> None:
    rng = out.rng
    text = NoteWriter(rng)
    # The reference data was "seeded" the day the program began, before any mentee.
    out.restamp(datetime.combine(end - timedelta(days=3660), clock(9)), "Alex Morgan")
    people = counts["mentees"]
    busiest = min(BUSIEST_SESSIONS, counts["sessions"] // 3)
    others = allocate(
        rng, counts["sessions"] - busiest, [0.3 + 1.4 * rng.random() for _ in range(people - 1)]
    )
    busy_at = rng.randrange(people)
    sessions = [*others[:busy_at], busiest, *others[busy_at:]]
    pool = [i for i in range(people) if i != busy_at]
    candidates = set(rng.sample(pool, min(len(pool), counts["lmp_records"])))
    say(f"mentees: {people:,}")
    rows = MenteeBuilder(out, text, end)
    mentees = rows.mentees(mentee_names(rng, people), sessions, candidates)
    say(f"goals: {counts['goals']:,} with {counts['goal_checkins']:,} check-ins")
    rows.goals(mentees, counts["goals"], counts["goal_checkins"])
    say(f"skill assessments: {counts['skill_assessments']:,}")
    rows.skills(mentees, counts["skill_assessments"])
    rows.sessions(mentees, counts["action_items"], say)
    say(f"LMP: {len(candidates)} candidates, {counts['evidence']:,} evidence entries")
    featured = mentees[rng.choice(sorted(candidates))]
    LmpBuilder(out, text, end).run(mentees, counts["evidence"], counts["scpa_updates"], featured)


def _result(paths: DataPaths, size: str, seed: int, elapsed: float) -> GenerateResult:
    connection = sqlite3.connect(paths.database)
    try:
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in Base.metadata.tables
        }
        busy = connection.execute(
            "SELECT m.id, m.name, count(*) AS n FROM sessions s"
            " JOIN mentees m ON m.id = s.mentee_id GROUP BY m.id ORDER BY n DESC, m.id LIMIT 1"
        ).fetchone()
        top = connection.execute(
            "SELECT m.id, m.name, r.id, count(*) AS n FROM evidence e"
            " JOIN lmp_records r ON r.id = e.record_id JOIN mentees m ON m.id = r.mentee_id"
            " GROUP BY r.id ORDER BY n DESC, r.id LIMIT 1"
        ).fetchone()
    finally:
        connection.close()
    return GenerateResult(
        size=size,
        seed=seed,
        data_dir=paths.root,
        database=paths.database,
        counts=counts,
        elapsed_seconds=round(elapsed, 2),
        database_bytes=paths.database.stat().st_size,
        busiest_mentee_id=busy[0],
        busiest_mentee_name=busy[1],
        busiest_mentee_sessions=busy[2],
        top_candidate_id=top[0],
        top_candidate_name=top[1],
        top_candidate_record_id=top[2],
        top_candidate_evidence=top[3],
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.generate",
        description="Generate a deterministic synthetic Mentor Desk program for benchmarks.",
    )
    parser.add_argument(
        "--size", required=True, choices=list(SIZES), help="how big (large = 100k sessions)"
    )
    parser.add_argument(
        "--data-dir", required=True, type=Path, metavar="DIR", help="an empty folder"
    )
    parser.add_argument("--seed", type=int, default=1, help="the random seed (default 1)")
    parser.add_argument("--force", action="store_true", help="replace the database in DIR")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        result = generate_program(
            args.data_dir, args.size, args.seed, None if args.quiet else say, force=args.force
        )
    except (GeneratorError, UserError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(result.describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
