"""The writer that tests/unit/test_crash_safety.py kills: a small fork server.

Importing SQLAlchemy and the services takes about half a second, which would allow only a few
dozen kills in CI time. So this process imports once and, for each ``go`` line on stdin, forks a
fresh writer. The writer opens the database itself (nothing is shared with the server), says
``ready <pid>``, then saves sessions and goals through the services in a loop, printing
``session <id>`` / ``goal <id>`` only after each commit returned. The test SIGKILLs that writer
at a random moment; the server reaps it and prints ``dead <pid>``.

Usage: python crash_writer.py DATABASE MENTEE_ID
"""

from __future__ import annotations

import os
import random
import sys
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mentor_desk.db.engine import Database
from mentor_desk.services.goals import GoalInput, create_goal
from mentor_desk.services.sessions import SessionInput, create_session


def write_forever(db: Database, mentee_id: int, run: int) -> None:
    _say(f"ready {os.getpid()}")
    rng = random.Random(run)
    for step in range(1_000_000):
        session_id, goal_id = _save(db, mentee_id, run, step, "x" * rng.randrange(100, 4000))
        _say(f"session {session_id}")
        _say(f"goal {goal_id}")


def _say(line: str) -> None:
    # One write(2) of a short line to a pipe is atomic: a kill never leaves half a line.
    os.write(1, f"{line}\n".encode())


def _save(db: Database, mentee_id: int, run: int, step: int, filler: str) -> tuple[int, int]:
    """One session and one goal, each its own unit of work (two commits)."""
    saved = create_session(
        db,
        SessionInput(
            mentee_id=mentee_id,
            started_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=run, minutes=step),
            title=f"run {run} step {step}",
            notes=f"Run {run}, step {step}: Zoë 李 <b>&\n{filler}",
        ),
    )
    goal = create_goal(
        db, GoalInput(mentee_id=mentee_id, title=f"goal {run}.{step}", progress=step % 101)
    )
    return saved.id, goal.id


def main() -> None:
    path, mentee_id = Path(sys.argv[1]), int(sys.argv[2])
    # Warm up once here (mappers, compiled statements), then close every connection: a writer
    # inherits the engine but opens its own connections.
    db = Database(path)
    _save(db, mentee_id, -1, 0, "warm-up")
    db.dispose()
    for run, line in enumerate(sys.stdin):
        if line.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                write_forever(db, mentee_id, run)
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(code)  # never return into the server's loop
        _, status = os.waitpid(pid, 0)
        print(f"dead {pid} {status}", flush=True)


if __name__ == "__main__":
    main()
