"""Backups skip the copy when the file is as the newest backup found it, and never miss a change."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

import mentor_desk.db.backup as backup_module
from mentor_desk.db import backup_record
from mentor_desk.db.backup import backup_folder, backup_now, list_backups
from mentor_desk.services.mentees import MenteeInput, create_mentee, list_mentees
from mentor_desk.services.program import close_program, open_program

NAME = "mentor-desk.sqlite3"


@pytest.fixture
def copies(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every online copy a backup makes (the expensive part)."""
    made: list[Path] = []
    real = backup_module._copy_online

    def spy(source_db: object, temp: Path) -> None:
        made.append(temp)
        real(source_db, temp)  # type: ignore[arg-type]

    monkeypatch.setattr(backup_module, "_copy_online", spy)
    return made


@pytest.fixture
def program_dir(data_dir: Path, template_database: Path) -> Path:
    shutil.copyfile(template_database, data_dir / NAME)
    return data_dir


def _age(path: Path, seconds: float = 10) -> None:
    """Make the file look untouched for a while (the record needs a quiet file)."""
    past = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(past, past))


def test_an_unchanged_file_is_not_copied_and_a_change_always_is(
    program_dir: Path, copies: list[Path]
) -> None:
    db = open_program(program_dir)
    try:
        _age(program_dir / NAME)
        first = backup_now(db, reason="startup")
        assert first is not None
        assert len(copies) == 1
        assert backup_now(db, reason="timer") is None
        assert len(copies) == 1  # nothing changed: decided without reading the database
        create_mentee(db, MenteeInput(name="Ada <b>&"))
        second = backup_now(db, reason="timer")
        assert second is not None
        assert len(copies) == 2
        assert [b.path for b in list_backups(backup_folder(db.path))] == [second.path, first.path]
    finally:
        db.dispose()


def test_a_file_changed_just_now_is_not_recorded(program_dir: Path, copies: list[Path]) -> None:
    db = open_program(program_dir)
    try:
        create_mentee(db, MenteeInput(name="Ada"))  # the log was written a moment ago
        assert backup_now(db, reason="startup") is not None
        assert backup_now(db, reason="timer") is None  # the digest still says identical
        assert len(copies) == 2
    finally:
        db.dispose()


def test_a_clean_close_carries_the_record_over_and_a_write_does_not(
    program_dir: Path, copies: list[Path]
) -> None:
    db = open_program(program_dir)
    _age(program_dir / NAME)
    assert backup_now(db, reason="startup") is not None
    close_program(db)  # nothing written since the backup: the record survives the checkpoint
    db = open_program(program_dir)
    try:
        assert backup_now(db, reason="startup") is None
        assert len(copies) == 1
        create_mentee(db, MenteeInput(name="Zoë"))
    finally:
        close_program(db)
    db = open_program(program_dir)
    try:
        made = backup_now(db, reason="startup")
        assert made is not None
        assert len(copies) == 2
        assert [m.name for m in list_mentees(db)] == ["Zoë"]
    finally:
        db.dispose()


def test_the_record_belongs_to_its_newest_backup_and_its_file(
    program_dir: Path, copies: list[Path]
) -> None:
    db = open_program(program_dir)
    try:
        _age(program_dir / NAME)
        made = backup_now(db, reason="startup")
        assert made is not None
        made.path.unlink()  # the newest backup is gone: the record no longer applies
        assert backup_now(db, reason="timer") is not None
        assert len(copies) == 2
        folder = backup_folder(program_dir / NAME)
        assert not backup_record.unchanged_since(folder, program_dir / "other.sqlite3", "x")
    finally:
        db.dispose()
