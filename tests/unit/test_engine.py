"""The engine: pragmas on every connection, units of work, and friendly errors."""

from __future__ import annotations

import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from mentor_desk.db.engine import Database, open_database
from mentor_desk.db.models import Mentee, Setting
from mentor_desk.errors import DatabaseError, DatabaseLockedError


def test_pragmas_are_set_on_every_connection(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_write_commits_and_read_sees_it(db: Database) -> None:
    with db.write() as session:
        session.add(Mentee(name="Zoë Müller"))
    with db.read() as session:
        assert session.scalar(select(Mentee.name)) == "Zoë Müller"


def test_failed_write_rolls_back_the_whole_unit(db: Database) -> None:
    def half_done() -> None:
        with db.write() as session:
            session.add(Mentee(name="Half"))
            session.flush()
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        half_done()
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Mentee)) == 0


def test_read_unit_never_commits(db: Database) -> None:
    with db.read() as session:
        session.add(Setting(key="x", value="y"))
        session.flush()
    with db.read() as session:
        assert session.get(Setting, "x") is None


def test_foreign_keys_cascade(db: Database) -> None:
    from mentor_desk.db.models import Goal

    with db.write() as session:
        mentee = Mentee(name="A")
        session.add(mentee)
        session.flush()
        session.add(Goal(mentee_id=mentee.id, title="Learn"))
    with db.write() as session:
        session.execute(text("DELETE FROM mentees"))
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Goal)) == 0


def test_in_memory_database_shares_one_connection() -> None:
    db = open_database(None)
    with db.write() as session:
        session.add(Mentee(name="Only in memory"))
    with db.read() as session:
        assert session.scalar(select(Mentee.name)) == "Only in memory"
    assert db.in_memory


def test_database_file_is_private(db: Database) -> None:
    assert db.path is not None
    assert stat.S_IMODE(db.path.stat().st_mode) == 0o600


def test_two_writers_queue_instead_of_failing(db: Database) -> None:
    """BEGIN IMMEDIATE makes the second writer wait for the first, not fail halfway."""
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            with db.write() as session:
                session.add(Mentee(name=name))
                session.flush()
                time.sleep(0.2)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"m{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Mentee)) == 3


def test_locked_database_gives_a_clear_error(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    assert db.path is not None
    monkeypatch.setattr("mentor_desk.db.engine.BUSY_TIMEOUT_MS", 100)
    impatient = Database(db.path)
    with impatient.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA busy_timeout = 100")
    holder = sqlite3.connect(db.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLockedError, match="another program"), impatient.write() as s:
            s.add(Mentee(name="blocked"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        impatient.dispose()
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Mentee)) == 0


def test_garbage_file_is_reported_not_overwritten(tmp_path: Path) -> None:
    garbage = tmp_path / "mentor-desk.sqlite3"
    payload = b"this is not a database at all" * 100
    garbage.write_bytes(payload)
    with pytest.raises(DatabaseError, match="damaged"):
        open_database(garbage)
    assert garbage.read_bytes() == payload
