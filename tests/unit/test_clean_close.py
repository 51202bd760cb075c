"""Start-up damage checks: the full quick_check only when the file may have changed since."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import mentor_desk.services.program as program
from mentor_desk.db import clean_close
from mentor_desk.db.integrity import DamagedDatabaseError, find_damage
from mentor_desk.services.mentees import MenteeInput, create_mentee, list_mentees
from mentor_desk.services.program import close_program, open_program

NAME = "mentor-desk.sqlite3"


@pytest.fixture
def program_dir(data_dir: Path, template_database: Path) -> Path:
    shutil.copyfile(template_database, data_dir / NAME)
    return data_dir


@pytest.fixture
def full_checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each start-up ran the full check (True) or the cheap one."""
    seen: list[bool] = []
    real = program.find_damage

    def spy(path: Path, *, connect: object = None, full: bool = True) -> str | None:
        seen.append(full)
        return real(path, connect=connect, full=full)  # type: ignore[arg-type]

    monkeypatch.setattr(program, "find_damage", spy)
    return seen


def _session(folder: Path, *, clean: bool = True, write: str | None = None) -> None:
    db = open_program(folder)
    if write is not None:
        create_mentee(db, MenteeInput(name=write))
    close_program(db, clean=clean)


def test_only_a_start_after_a_clean_close_skips_the_full_check(
    program_dir: Path, full_checks: list[bool]
) -> None:
    _session(program_dir)  # no record yet: full
    _session(program_dir, write="Zoë 李")  # closed cleanly before: cheap, even though it writes
    _session(program_dir, clean=False)  # the write was closed cleanly too: cheap; then a "crash"
    _session(program_dir)  # after the crash: full
    assert full_checks == [True, False, False, True]
    record = clean_close._read(program_dir / NAME)
    assert record["state"] == clean_close.CLOSED
    db = open_program(program_dir)
    try:
        assert [m.name for m in list_mentees(db)] == ["Zoë 李"]
    finally:
        db.dispose()


def test_a_file_changed_after_a_clean_close_gets_the_full_check(
    program_dir: Path, full_checks: list[bool]
) -> None:
    _session(program_dir)
    database = program_dir / NAME
    info = database.stat()
    # Same size and modification time put back, as a copy tool would: the change time still moves.
    database.write_bytes(database.read_bytes())
    os.utime(database, ns=(info.st_atime_ns, info.st_mtime_ns))
    _session(program_dir)
    assert full_checks == [True, True]


@pytest.mark.parametrize("kind", ["garbage", "truncated", "zero-byte"])
def test_damage_after_a_clean_close_is_still_found_and_moved_aside(
    program_dir: Path, kind: str
) -> None:
    _session(program_dir)
    database = program_dir / NAME
    data = database.read_bytes()
    damaged = {
        "garbage": b"not a database " * 500,
        "truncated": data[: len(data) // 2],
        "zero-byte": b"",
    }[kind]
    database.write_bytes(damaged)
    with pytest.raises(DamagedDatabaseError) as caught:
        open_program(program_dir)
    assert not database.exists()
    assert caught.value.moved_to.read_bytes() == damaged  # moved aside, untouched


def test_the_full_check_comes_back_after_a_week(program_dir: Path) -> None:
    database = program_dir / NAME
    start = datetime(2026, 1, 5, tzinfo=UTC)
    clean_close.note_open(database, fully_checked=True, now=start)
    clean_close.note_clean_close(database)
    assert not clean_close.full_check_due(database, now=start + timedelta(days=6))
    assert clean_close.full_check_due(database, now=start + timedelta(days=7))
    assert clean_close.full_check_due(database, now=start - timedelta(minutes=1))  # clock went back
    # A cheap start keeps the date of the last full check; a full one renews it.
    clean_close.note_open(database, fully_checked=False, now=start + timedelta(days=6))
    clean_close.note_clean_close(database)
    assert clean_close.full_check_due(database, now=start + timedelta(days=7))
    clean_close.note_open(database, fully_checked=True, now=start + timedelta(days=7))
    clean_close.note_clean_close(database)
    assert not clean_close.full_check_due(database, now=start + timedelta(days=8))


def test_nothing_is_trusted_without_an_open_record_or_with_a_log_left(program_dir: Path) -> None:
    database = program_dir / NAME
    clean_close.note_clean_close(database)  # no session recorded: nothing written
    assert not clean_close.record_path(database).exists()
    assert clean_close.full_check_due(database)
    clean_close.note_open(database, fully_checked=True)
    wal = database.with_name(NAME + "-wal")
    wal.write_bytes(b"\0" * 64)  # a log still holding commits: the file is not at rest
    clean_close.note_clean_close(database)
    assert clean_close._read(database)["state"] == clean_close.OPEN
    wal.unlink()
    clean_close.record_path(database).write_text("{not json", encoding="utf-8")
    assert clean_close.full_check_due(database)


def test_the_cheap_check_finds_a_truncated_file_by_its_header(program_dir: Path) -> None:
    database = program_dir / NAME
    assert find_damage(database, full=False) is None
    data = database.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    database.write_bytes(data[: page_size * 2])  # whole pages: only the page count tells
    reason = find_damage(database, full=False)
    assert reason is not None
    assert "truncated" in reason
    database.write_bytes(data[:60])
    reason = find_damage(database, full=False)
    assert reason is not None
    assert "truncated" in reason


def test_the_cheap_check_reads_the_schema(program_dir: Path) -> None:
    database = program_dir / NAME
    data = bytearray(database.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[100:page_size] = b"\xff" * (page_size - 100)  # page 1 (sqlite_master) scrambled
    database.write_bytes(bytes(data))
    reason = find_damage(database, full=False)
    assert reason is not None
    assert "cannot read" in reason
