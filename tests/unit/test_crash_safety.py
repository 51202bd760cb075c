"""A committed change survives the process being killed at any moment.

A writer (tests/unit/crash_writer.py) saves sessions and goals through the services and reports
each id once its commit has returned. It is SIGKILLed at random moments, over and over, on one
data folder; after every kill the database must pass ``PRAGMA integrity_check`` and hold every
id the writer reported.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mentor_desk.db.engine import Database
from mentor_desk.services.mentees import MenteeInput, create_mentee
from mentor_desk.services.program import open_program

KILLS = 200
WRITER = Path(__file__).with_name("crash_writer.py")
LINE_TIMEOUT = 30.0

pytestmark = pytest.mark.skipif(
    os.name != "posix", reason="SIGKILL and fork are POSIX; CI runs on Linux"
)


class Lines:
    """The writer's stdout, read on a thread: a silent writer fails the test, never hangs it."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self._queue: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        stdout = process.stdout
        self._thread = threading.Thread(target=lambda: [self._queue.put(x) for x in stdout])
        self._thread.daemon = True
        self._thread.start()

    def join(self) -> None:
        self._thread.join(timeout=LINE_TIMEOUT)

    def next(self) -> str:
        try:
            return self._queue.get(timeout=LINE_TIMEOUT).strip()
        except queue.Empty:
            raise AssertionError("the writer said nothing for 30 s") from None


def _state(path: Path) -> tuple[list[str], set[int], set[int]]:
    checker = Database(path)
    connection = checker.raw_connect()
    try:
        integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        sessions = {row[0] for row in connection.execute("SELECT id FROM sessions")}
        goals = {row[0] for row in connection.execute("SELECT id FROM goals")}
    finally:
        connection.close()
        checker.dispose()
    return integrity, sessions, goals


def test_committed_changes_survive_sigkill_at_random_moments(tmp_path: Path) -> None:
    db = open_program(tmp_path / "data")
    mentee = create_mentee(db, MenteeInput(name="Kill Test"))
    path = db.path
    assert path is not None
    db.dispose()

    server = subprocess.Popen(
        [sys.executable, str(WRITER), str(path), str(mentee.id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert server.stdin is not None
    lines = Lines(server)
    rng = random.Random(20261121)
    reported = {"session": set[int](), "goal": set[int]()}
    kills = 0
    started = time.monotonic()
    try:
        for _ in range(KILLS):
            server.stdin.write("go\n")
            server.stdin.flush()
            kind, pid_text = lines.next().split()
            assert kind == "ready", f"the writer failed to start: {kind} {pid_text}"
            pid = int(pid_text)
            if rng.random() < 0.5:
                # Half the kills wait for the first commit, so they land in the writing loop
                # however slow the machine; the others may hit the start-up or the first write.
                kind, value = lines.next().split()
                reported[kind].add(int(value))
            time.sleep(rng.uniform(0, 0.06))
            os.kill(pid, signal.SIGKILL)
            kills += 1
            while True:
                kind, value, *rest = lines.next().split()
                if kind == "dead":
                    break
                reported[kind].add(int(value))
            status = int(rest[0])
            assert os.WIFSIGNALED(status), f"the writer ended by itself (status {status})"
            assert os.WTERMSIG(status) == signal.SIGKILL

            integrity, sessions, goals = _state(path)
            assert integrity == ["ok"], f"after kill {kills}: {integrity}"
            assert reported["session"] <= sessions, f"after kill {kills}: lost sessions"
            assert reported["goal"] <= goals, f"after kill {kills}: lost goals"
    finally:
        server.stdin.close()
        server.wait(timeout=30)
        lines.join()
        assert server.stdout is not None
        server.stdout.close()
    elapsed = time.monotonic() - started
    print(
        f"{kills} SIGKILLs in {elapsed:.1f} s; {len(reported['session'])} sessions and "
        f"{len(reported['goal'])} goals reported committed, all present, integrity ok each time"
    )
    assert kills >= 200
    # The kills landed while writing: at least the half that waited saw a commit first.
    assert len(reported["session"]) >= kills // 2
