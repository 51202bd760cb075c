"""Backups: online copies, the identical-state skip, retention arithmetic, validation, restore."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from mentor_desk.db.backup import (
    Retention,
    automatic_backup,
    backup_folder,
    backup_now,
    list_backups,
    prune,
    survivors,
    validate_backup,
)
from mentor_desk.db.engine import Database
from mentor_desk.errors import NewerDatabaseError, UserError
from mentor_desk.services.backups import back_up, program_backups, restore_program
from mentor_desk.services.interchange import export_json, import_json
from mentor_desk.services.mentees import MenteeInput, create_mentee, delete_mentee, list_mentees
from mentor_desk.services.program import open_memory_program

T0 = datetime(2026, 11, 21, 14, 45, 12, tzinfo=UTC)


def ticking(start: datetime = T0, step: timedelta = timedelta(minutes=1)):
    """A clock that moves on by ``step`` each time it is read."""
    moments = iter(start + step * i for i in range(10_000))
    return lambda: next(moments)


def names(db: Database) -> list[str]:
    return sorted(m.name for m in list_mentees(db, status="all"))


def names_in(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return sorted(row[0] for row in con.execute("SELECT name FROM mentees"))
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add(db: Database, name: str) -> None:
    create_mentee(db, MenteeInput(name=name))


# --- making backups -----------------------------------------------------------------------------


def test_backup_is_a_private_complete_copy_named_by_time_and_reason(db: Database) -> None:
    add(db, "Zoë 李 <b>&")
    made = backup_now(db, reason="Start up!", clock=lambda: T0)
    assert made is not None
    assert made.path.parent == backup_folder(db.path) == db.path.parent / "backups"
    assert made.path.name == "mentor-desk-20261121T144512Z-start-up.sqlite3"
    assert made.reason == "start-up"
    assert made.created == T0
    assert made.size == made.path.stat().st_size > 0
    assert made.path.stat().st_mode & 0o777 == 0o600
    assert names_in(made.path) == ["Zoë 李 <b>&"]
    validate_backup(made.path)
    # Self-contained: no WAL mode, and no temp files or companions left in the folder.
    con = sqlite3.connect(made.path)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    con.close()
    assert sorted(p.name for p in made.path.parent.iterdir()) == [
        made.path.name,
        made.path.name + ".sha256",
    ]


def test_identical_state_is_not_backed_up_twice(db: Database) -> None:
    clock = ticking()
    first = backup_now(db, reason="startup", clock=clock)
    assert first is not None
    # Reading, and a checkpoint of the WAL, change nothing that matters.
    names(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert backup_now(db, reason="timer", clock=clock) is None
    add(db, "Ada")
    second = backup_now(db, reason="timer", clock=clock)
    assert second is not None
    assert [b.path for b in list_backups(backup_folder(db.path))] == [second.path, first.path]
    assert backup_now(db, reason="timer", clock=clock) is None


def test_backups_within_one_second_get_distinct_names(db: Database) -> None:
    first = backup_now(db, reason="manual", clock=lambda: T0)
    add(db, "Ada")
    second = backup_now(db, reason="manual", clock=lambda: T0)
    assert first is not None
    assert second is not None
    assert second.path.name == "mentor-desk-20261121T144512Z-manual.2.sqlite3"
    assert [b.path for b in list_backups(backup_folder(db.path))] == [second.path, first.path]


def test_in_memory_database_is_never_backed_up() -> None:
    db = open_memory_program()
    try:
        assert backup_now(db, reason="startup") is None
        assert automatic_backup(db, reason="startup") is None
        assert program_backups(db) == []
        with pytest.raises(UserError, match="not stored in a file"):
            back_up(db)
    finally:
        db.dispose()


def test_backup_while_another_thread_writes_is_consistent(db: Database) -> None:
    """Each backup passes integrity_check and holds exactly a prefix of the committed writes."""
    assert db.path is not None
    committed: list[int] = []
    stop = threading.Event()
    with db.write() as session:
        session.execute(text("CREATE TABLE stress (n INTEGER NOT NULL)"))

    def writer() -> None:
        con = sqlite3.connect(db.path, timeout=5, isolation_level=None)
        con.execute("PRAGMA journal_mode = WAL")
        try:
            for i in range(100_000):
                if stop.is_set():
                    return
                con.execute("BEGIN IMMEDIATE")
                con.execute("INSERT INTO stress (n) VALUES (?)", (i,))
                con.execute("COMMIT")
                committed.append(i)
        finally:
            con.close()

    thread = threading.Thread(target=writer)
    thread.start()
    made = []
    try:
        clock = ticking()
        while len(made) < 5 and thread.is_alive():
            before = len(committed)
            backup = backup_now(db, reason="timer", clock=clock)
            after = len(committed)
            if backup is None:
                continue
            made.append((backup, before, after))
    finally:
        stop.set()
        thread.join()
    assert len(made) == 5
    assert len(committed) > 0
    for backup, before, after in made:
        con = sqlite3.connect(backup.path)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            rows = [r[0] for r in con.execute("SELECT n FROM stress ORDER BY n")]
        finally:
            con.close()
        assert rows == list(range(len(rows)))  # a prefix of the writes, no gaps
        assert before <= len(rows) <= after + 1


# --- retention ----------------------------------------------------------------------------------


def _year_of_backups() -> list[datetime]:
    """Every six hours through 2025 (00, 06, 12, 18 UTC)."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [start + timedelta(hours=6 * i) for i in range(365 * 4)]


def _at(month: int, day: int, hour: int = 18) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=UTC)


# "Now" is Wednesday 2025-12-31 20:00 UTC; ISO weeks start on Dec 29, 22, 15 and 8.
NOW = datetime(2025, 12, 31, 20, tzinfo=UTC)
EXPECTED = {
    # the newest ten
    *(_at(12, 31, h) for h in (0, 6, 12, 18)),
    *(_at(12, 30, h) for h in (0, 6, 12, 18)),
    _at(12, 29, 12),
    _at(12, 29, 18),
    # the newest of each of the last 7 days (Dec 25..31)
    *(_at(12, d) for d in range(25, 32)),
    # the newest of each of the last 4 weeks: Sunday evenings, and this week's newest
    _at(12, 28),
    _at(12, 21),
    _at(12, 14),
    # the newest of each of the last 12 months
    *(_at(m, d) for m, d in [(1, 31), (2, 28), (3, 31), (4, 30), (5, 31), (6, 30)]),
    *(_at(m, d) for m, d in [(7, 31), (8, 31), (9, 30), (10, 31), (11, 30)]),
}


def test_retention_keeps_exactly_the_expected_backups_of_a_year() -> None:
    assert len(EXPECTED) == 27
    assert survivors(_year_of_backups(), NOW) == EXPECTED


def test_retention_counts_are_configurable_and_month_windows_cross_the_year() -> None:
    times = _year_of_backups()
    kept = survivors(times, NOW, Retention(keep_last=1, daily=0, weekly=0, monthly=2))
    assert kept == {_at(12, 31), _at(11, 30)}
    january = datetime(2026, 1, 10, tzinfo=UTC)
    kept = survivors(times, january, Retention(keep_last=1, daily=0, weekly=0, monthly=3))
    # January 2026 has none; December and November 2025 each keep their newest.
    assert kept == {_at(12, 31), _at(11, 30)}
    # A backup dated after "now" (the clock went back) is never deleted.
    future = january + timedelta(days=3)
    assert future in survivors([*times, future], january, Retention(1, 0, 0, 0))


def _touch_backups(folder: Path, times: list[datetime]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for moment in times:
        name = f"mentor-desk-{moment.strftime('%Y%m%dT%H%M%SZ')}-timer.sqlite3"
        (folder / name).write_bytes(b"x")
        (folder / (name + ".sha256")).write_text("0\n")


def test_prune_removes_exactly_what_the_rule_drops_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    times = _year_of_backups()
    _touch_backups(folder, times)
    (folder / "notes.txt").write_text("mine")
    removed = prune(folder, clock=lambda: NOW)
    assert len(removed) == len(times) - 27
    assert {b.created for b in list_backups(folder)} == EXPECTED
    assert (folder / "notes.txt").read_text() == "mine"
    # Digests go with their backups.
    assert len(list(folder.glob("*.sha256"))) == 27


def test_pruning_after_every_backup_of_a_year_ends_with_the_same_survivors() -> None:
    """The app prunes after each backup; what survives a year of that is the same set."""
    kept: set[datetime] = set()
    for moment in _year_of_backups():
        kept = survivors(kept | {moment}, moment)
        assert len(kept) <= 10 + 7 + 4 + 12
    # The last prune ran at 18:00 on Dec 31: the same day, week and month as NOW.
    assert kept == EXPECTED


def test_automatic_backup_prunes(db: Database) -> None:
    folder = backup_folder(db.path)
    _touch_backups(folder, [T0 - timedelta(hours=i) for i in range(1, 40)])
    made = automatic_backup(db, reason="timer", clock=lambda: T0)
    assert made is not None
    kept = list_backups(folder)
    assert kept[0].path == made.path
    # The newest ten (all on the 21st), plus the newest of the 20th and of the 19th; the week
    # and the month are the 21st's.
    assert len(kept) == 10 + 2
    assert {k.created.day for k in kept[10:]} == {20, 19}
    assert made.path.exists()


# --- validation ---------------------------------------------------------------------------------


@pytest.fixture
def good_backup(db: Database) -> Path:
    add(db, "Ada")
    made = backup_now(db, reason="manual")
    assert made is not None
    return made.path


def _foreign(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    return path


def _newer(path: Path, good: Path) -> Path:
    path.write_bytes(good.read_bytes())
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    return path


def _damaged(path: Path, good: Path) -> Path:
    data = bytearray(good.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    # Scribble over the middle of a few b-tree pages (headers and cell pointers).
    for start in range(page, len(data) - page, page * 3):
        data[start : start + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    return path


BAD_FILES = {
    "garbage": lambda p, g: (p.write_bytes(b"not a database at all " * 100), p)[1],
    "empty": lambda p, g: (p.write_bytes(b""), p)[1],
    "truncated": lambda p, g: (p.write_bytes(g.read_bytes()[:1000]), p)[1],
    "json": lambda p, g: (p.write_text(json.dumps({"format": "mentor-desk"})), p)[1],
    "foreign": lambda p, g: _foreign(p),
    "newer": _newer,
    "damaged": _damaged,
    "missing": lambda p, g: p,
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_restore_refuses_a_file_that_is_not_a_usable_backup(
    db: Database, good_backup: Path, tmp_path: Path, kind: str
) -> None:
    bad = BAD_FILES[kind](tmp_path / f"{kind}.sqlite3", good_backup)
    add(db, "Grace")
    db.dispose()
    assert db.path is not None
    before = digest(db.path)
    folder = backup_folder(db.path)
    backups_before = sorted(folder.iterdir())
    with pytest.raises(UserError) as caught:
        restore_program(db, bad)
    message = str(caught.value)
    assert bad.name in message
    if kind == "newer":
        assert isinstance(caught.value, NewerDatabaseError)
    assert "\n" not in message
    # Untouched: same bytes, no new backup, no temp file beside the database.
    assert digest(db.path) == before
    assert sorted(folder.iterdir()) == backups_before
    assert sorted(p.name for p in db.path.parent.iterdir() if p.name.startswith(".")) == []
    assert names(db) == ["Ada", "Grace"]


def test_validate_accepts_a_backup_and_names_the_problem_otherwise(
    good_backup: Path, tmp_path: Path
) -> None:
    validate_backup(good_backup)
    with pytest.raises(UserError, match="none of Mentor Desk's tables"):
        validate_backup(_foreign(tmp_path / "photos.db"))
    with pytest.raises(UserError, match="empty"):
        validate_backup(BAD_FILES["empty"](tmp_path / "e.db", good_backup))
    with pytest.raises(NewerDatabaseError, match="newer version"):
        validate_backup(_newer(tmp_path / "n.db", good_backup))


# --- restore ------------------------------------------------------------------------------------


def test_restore_round_trip_saves_the_current_state_first(db: Database, tmp_path: Path) -> None:
    add(db, "Ada")
    add(db, "Zoë 李")
    at_backup = tmp_path / "at-backup.json"
    export_json(db, at_backup)
    made = backup_now(db, reason="manual", clock=lambda: T0)
    assert made is not None
    add(db, "Grace")
    delete_mentee(db, next(m.id for m in list_mentees(db) if m.name == "Ada"), confirm=True)
    assert names(db) == ["Grace", "Zoë 李"]

    result = restore_program(db, made.path, clock=lambda: T0 + timedelta(hours=1))

    assert names(db) == ["Ada", "Zoë 李"]
    after = tmp_path / "after.json"
    export_json(db, after)
    assert _records(after) == _records(at_backup)
    assert result.saved is not None
    assert result.saved.reason == "before-restore"
    assert names_in(result.saved.path) == ["Grace", "Zoë 李"]
    assert result.saved.path.stat().st_mode & 0o777 == 0o600
    # The backup itself is untouched, and the database is writable again.
    assert made.path.exists()
    add(db, "After")
    assert "After" in names(db)
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def _records(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if key != "exported_at"}


# --- automatic backups before risky changes -----------------------------------------------------


def test_delete_and_import_back_up_first(db: Database, tmp_path: Path) -> None:
    add(db, "Ada")
    export = tmp_path / "ada.json"
    export_json(db, export)
    ada = list_mentees(db)[0]
    delete_mentee(db, ada.id, confirm=True)
    backups = program_backups(db)
    assert [b.reason for b in backups] == ["before-delete"]
    assert names_in(backups[0].path) == ["Ada"]

    import_json(db, export)
    assert names(db) == ["Ada"]
    assert [b.reason for b in program_backups(db)] == ["before-import", "before-delete"]
    assert names_in(program_backups(db)[0].path) == []


def test_import_refused_on_its_face_makes_no_backup(db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2, 3]")
    with pytest.raises(UserError):
        import_json(db, bad)
    assert program_backups(db) == []
