"""A damaged encrypted program at start-up: moved aside, and the newest backup restored with the
passphrase the user typed, without asking again."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ui_helpers import DialogAnswerer, add

from mentor_desk import app
from mentor_desk.db import crypto
from mentor_desk.paths import DataPaths
from mentor_desk.services.backups import backup_before
from mentor_desk.services.mentees import list_mentees
from mentor_desk.services.program import open_program

pytestmark = pytest.mark.gui
PASS = "correct horse battery"


@pytest.fixture
def damaged_encrypted(
    data_dir: Path, template_database: Path, monkeypatch: pytest.MonkeyPatch
) -> DataPaths:
    """An encrypted program with a backup holding "Ada", whose database is then overwritten."""
    monkeypatch.setattr(crypto, "SCRYPT", {"n": 2**10, "r": 8, "p": 1})
    shutil.copyfile(template_database, data_dir / template_database.name)
    paths = DataPaths(data_dir)
    crypto.encrypt_database(paths, PASS)
    db = open_program(paths, passphrase=PASS)
    add(db, "Ada")
    backup_before(db, "test")
    db.dispose()
    paths.database.write_bytes(b"\0" * paths.database.stat().st_size)
    return paths


def test_the_restored_backup_opens_with_the_passphrase_already_typed(
    damaged_encrypted: DataPaths, dialogs: DialogAnswerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def type_passphrase(unlock: Callable[[str], Any], *_args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs.get("message", ""))
        return unlock(PASS)

    monkeypatch.setattr(app, "ask_passphrase", type_passphrase)
    dialogs.answer("Restore newest backup")
    db = app._open_or_recover(damaged_encrypted)
    assert db is not None
    try:
        assert [m.name for m in list_mentees(db)] == ["Ada"]
    finally:
        db.dispose()
    assert asked == [""]  # asked once, at the start: not again for the backup
    assert "damaged" in dialogs.shown[-1].title
    (moved,) = damaged_encrypted.root.glob("mentor-desk.sqlite3.damaged-*")
    assert set(moved.read_bytes()) == {0}
    assert crypto.looks_encrypted(damaged_encrypted.database)


def test_cancelling_the_question_quits_and_leaves_the_damaged_file_aside(
    damaged_encrypted: DataPaths, dialogs: DialogAnswerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app, "ask_passphrase", lambda unlock, *a, **k: unlock(PASS))
    dialogs.answer("Quit")
    assert app._open_or_recover(damaged_encrypted) is None
    assert not damaged_encrypted.database.exists()
    assert list(damaged_encrypted.root.glob("mentor-desk.sqlite3.damaged-*"))
