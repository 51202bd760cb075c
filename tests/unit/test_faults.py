"""Faults while saving and importing: each gets a clear message and nothing saved is lost.

The faults are real SQLite faults, not mocks: ``PRAGMA max_page_count`` capped at the file's
current size makes SQLite answer SQLITE_FULL ("database or disk is full") exactly as a full disk
does, and ``PRAGMA query_only`` makes it answer SQLITE_READONLY as a read-only folder does. (The
tests run as root, where chmod 0500/0400 does not stop writes, so permissions cannot be used.)
A second connection holding ``BEGIN IMMEDIATE`` is another program locking the database.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from mentor_desk.cli import main
from mentor_desk.db import engine as engine_module
from mentor_desk.db.engine import Database
from mentor_desk.errors import DatabaseError, DatabaseLockedError
from mentor_desk.services import interchange
from mentor_desk.services.goal_lists import list_goals
from mentor_desk.services.goals import GoalInput, create_goal
from mentor_desk.services.interchange import export_data, import_json, to_json_text
from mentor_desk.services.mentees import (
    MenteeInput,
    create_mentee,
    get_mentee,
    list_mentees,
    update_mentee,
)
from mentor_desk.services.program import open_program

NOTES = "Kept safe — Zoë 李 مرحبا <b>&"
FOLDER_NAME = "Mentor Desk données 李"


def snapshot(db: Database) -> str:
    """Everything the program holds, as the JSON export gives it (exported_at fixed)."""
    data = export_data(db)
    data.pop("exported_at", None)
    return hashlib.sha256(to_json_text(data).encode()).hexdigest()


def on_connect(db: Database, pragma: str) -> Callable[[], None]:
    """Run ``pragma`` on every new connection of ``db`` (the pool is emptied); an undo."""

    def listener(connection: sqlite3.Connection, _record: object) -> None:
        page_count = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(pragma.format(page_count=page_count))

    event.listen(db.engine, "connect", listener)
    db.dispose()

    def undo() -> None:
        event.remove(db.engine, "connect", listener)
        db.dispose()

    return undo


@pytest.fixture
def zoe(db: Database) -> int:
    return create_mentee(db, MenteeInput(name="Zoë Müller", notes=NOTES)).id


@pytest.fixture
def disk_full(db: Database, zoe: int) -> Iterator[None]:
    undo = on_connect(db, "PRAGMA max_page_count = {page_count}")
    yield
    undo()


# --- (a) disk full ------------------------------------------------------------------------------


def test_disk_full_while_saving_is_told_and_the_old_state_stays(
    db: Database, zoe: int, disk_full: None
) -> None:
    before = snapshot(db)
    big = MenteeInput(name="Zoë Müller", notes="x" * 400_000)
    with pytest.raises(DatabaseError, match="The disk is full") as caught:
        update_mentee(db, zoe, big)
    assert "what was saved before is intact" in str(caught.value)
    with pytest.raises(DatabaseError, match="The disk is full"):
        create_goal(db, GoalInput(mentee_id=zoe, title="Grow", description="y" * 400_000))
    assert get_mentee(db, zoe).notes == NOTES
    assert list_goals(db, mentee_id=zoe) == []
    assert snapshot(db) == before


def test_after_space_is_freed_the_same_save_works(db: Database, zoe: int) -> None:
    undo = on_connect(db, "PRAGMA max_page_count = {page_count}")
    big = MenteeInput(name="Zoë Müller", notes="x" * 400_000)
    with pytest.raises(DatabaseError):
        update_mentee(db, zoe, big)
    undo()
    assert update_mentee(db, zoe, big).notes == big.notes


# --- (b) read-only data folder ------------------------------------------------------------------


def test_a_read_only_database_is_told_and_nothing_changes(db: Database, zoe: int) -> None:
    before = snapshot(db)
    undo = on_connect(db, "PRAGMA query_only = ON")
    try:
        with pytest.raises(DatabaseError, match="read-only") as caught:
            update_mentee(db, zoe, MenteeInput(name="Zoë Müller", notes="changed"))
        assert "Check its permissions" in str(caught.value)
        with pytest.raises(DatabaseError, match="read-only"):
            create_mentee(db, MenteeInput(name="Ada"))
        assert get_mentee(db, zoe).notes == NOTES  # reading still works
    finally:
        undo()
    assert snapshot(db) == before


# --- (c) locked by another program --------------------------------------------------------------


@pytest.fixture
def impatient(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The test's database with a 0.2 s busy timeout instead of 5 s."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    quick = Database(db.path)
    yield quick
    quick.dispose()


def test_a_database_locked_by_another_program_is_told_after_the_timeout(
    impatient: Database, zoe: int
) -> None:
    assert impatient.path is not None
    other = sqlite3.connect(impatient.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseLockedError, match="busy in another program") as caught:
            update_mentee(impatient, zoe, MenteeInput(name="Zoë Müller", notes="mine"))
        assert "nothing was changed" in str(caught.value)
        assert get_mentee(impatient, zoe).notes == NOTES  # WAL: reading goes on
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert update_mentee(impatient, zoe, MenteeInput(name="Zoë Müller", notes="mine")).notes == (
        "mine"
    )


# --- (d) a data folder with spaces and non-ASCII characters -------------------------------------


def run(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> tuple[int, str]:
    code = main([*argv, "--data-dir", str(folder)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_folder_with_spaces_and_non_ascii_works_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / FOLDER_NAME / "Données de l'équipe"
    assert run(capsys, folder, "demo")[0] == 0
    assert (folder / "mentor-desk.sqlite3").exists() or any(folder.glob("*.sqlite*"))
    db = open_program(folder)
    try:
        names = [row.name for row in list_mentees(db, status="all")]
        mentees_before = snapshot(db)
    finally:
        db.dispose()
    assert "Zoë Müller" in names

    export = folder / "exports" / "tout exporté 李.json"
    export.parent.mkdir()
    code, out = run(capsys, folder, "export-json", "-o", str(export))
    assert code == 0, out
    assert json.loads(export.read_text(encoding="utf-8"))["format"] == "mentor-desk"
    fresh = tmp_path / "Autre dossier 李"
    code, out = run(capsys, fresh, "import-json", str(export))
    assert code == 0, out
    copy = open_program(fresh)
    try:
        assert snapshot(copy) == mentees_before
    finally:
        copy.dispose()

    pdf = folder / "exports" / "Dossier Zoë 李.pdf"
    code, out = run(capsys, folder, "dossier", "Zoë Müller", "-o", str(pdf))
    assert code == 0, out
    assert pdf.read_bytes().startswith(b"%PDF")


# --- (e) import files, through the CLI (the window has no Import… action yet) -------------------


BAD_FILES: list[tuple[str, bytes, str]] = [
    ("not json", b"Dear diary, {not JSON", "not valid JSON"),
    ("wrong shape", b'{"format": "mentor-desk", "format_version": 1, "mentees": {}}', "mentees"),
    ("a list", b"[1, 2, 3]", "holds a list, not an object"),
    ("newer", b'{"format": "mentor-desk", "format_version": 99}', "newer Mentor Desk"),
]


@pytest.mark.parametrize(("label", "content", "expected"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_the_cli_refuses_bad_import_files_clearly_and_changes_nothing(
    db: Database,
    data_dir: Path,
    zoe: int,
    capsys: pytest.CaptureFixture[str],
    label: str,
    content: bytes,
    expected: str,
) -> None:
    before = snapshot(db)
    path = data_dir.parent / f"import {label} 李.json"
    path.write_bytes(content)
    code, out = run(capsys, data_dir, "import-json", str(path))
    assert code == 1
    assert out.startswith("mentor-desk: ")
    assert expected in out
    assert path.name in out
    assert "Traceback" not in out
    assert snapshot(db) == before


def test_the_cli_refuses_a_huge_import_file_before_reading_it(
    db: Database,
    data_dir: Path,
    zoe: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = snapshot(db)
    path = data_dir.parent / "huge.json"
    path.write_text(to_json_text(export_data(db)), encoding="utf-8")
    monkeypatch.setattr(interchange, "MAX_IMPORT_BYTES", 100)
    code, out = run(capsys, data_dir, "import-json", str(path))
    assert code == 1
    assert "an import file may be" in out
    assert snapshot(db) == before


def test_an_import_into_a_full_disk_is_refused_whole(
    db: Database, zoe: int, tmp_path: Path
) -> None:
    """A valid file that does not fit: a DatabaseError, and none of its rows went in."""
    data: dict[str, Any] = export_data(db)
    data["mentees"][0]["notes"] = "z" * 300_000
    data["mentees"][0]["uid"] = "0" * 32
    data["mentees"][0]["name"] = "Someone New"
    path = tmp_path / "import.json"
    path.write_text(to_json_text(data), encoding="utf-8")
    before = snapshot(db)
    undo = on_connect(db, "PRAGMA max_page_count = {page_count}")
    try:
        with pytest.raises(DatabaseError, match="disk is full"):
            import_json(db, path)
    finally:
        undo()
    assert snapshot(db) == before
