"""Faults in the window: a save that fails keeps the edit and says why; a bug is logged and told.

The disk-full and locked faults are real SQLite answers (see tests/unit/test_faults.py): a page
cap at the file's size, and a second connection holding ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import event
from ui_helpers import DialogAnswerer, add, mentees_tab

from mentor_desk import app as app_module
from mentor_desk.db import engine as engine_module
from mentor_desk.paths import DataPaths
from mentor_desk.services.mentees import get_mentee
from mentor_desk.services.types import Database
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.tabs.mentees import Mode

pytestmark = pytest.mark.gui
NOTES = "Kept — Zoë 李"


def edit_notes(qtbot: QtBot, window: MainWindow, db: Database, text: str) -> tuple[int, object]:
    zoe = add(db, "Zoë Müller", notes=NOTES)
    tab = mentees_tab(qtbot, window)
    window.ctx.selector.choose(zoe.id)
    qtbot.waitUntil(lambda: tab.mode is Mode.EDIT)
    tab.form.notes.setPlainText(text)  # setPlainText emits textChanged, as typing does
    assert tab.is_dirty()
    return zoe.id, tab


def test_disk_full_keeps_the_edit_in_the_editor_and_says_so(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    big = "A long entry 李 " * 30_000 + "end"
    mentee_id, tab = edit_notes(qtbot, window, db, big)

    def cap(connection: sqlite3.Connection, _record: object) -> None:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(db.engine, "connect", cap)
    db.dispose()
    dialogs.answer("Close")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    event.remove(db.engine, "connect", cap)
    db.dispose()

    assert "The disk is full" in dialogs.shown[-1].text
    assert "Could not save" in dialogs.shown[-1].title
    assert tab.form.notes.toPlainText() == big  # nothing typed is lost
    assert tab.is_dirty()
    assert tab.save_button.isEnabled()
    assert get_mentee(db, mentee_id).notes == NOTES
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # space freed
    assert get_mentee(db, mentee_id).notes == big
    assert not tab.is_dirty()


@pytest.fixture
def quick_timeout(monkeypatch: pytest.MonkeyPatch, db: Database) -> Iterator[None]:
    """A 0.2 s busy timeout on every new connection of the window's database."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    db.dispose()
    yield
    db.dispose()


def test_a_database_locked_by_another_program_keeps_the_edit(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer, quick_timeout: None
) -> None:
    mentee_id, tab = edit_notes(qtbot, window, db, "Mine, not yet saved")
    assert db.path is not None
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        dialogs.answer("Close")
        qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "busy in another program" in dialogs.shown[-1].text
    assert tab.form.notes.toPlainText() == "Mine, not yet saved"
    assert tab.is_dirty()
    assert get_mentee(db, mentee_id).notes == NOTES
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert get_mentee(db, mentee_id).notes == "Mine, not yet saved"


@pytest.fixture
def crash_log(paths: DataPaths, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app's log and excepthook, as run_app sets them up; both undone afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    logger = logging.getLogger("mentor_desk")
    handlers, level = list(logger.handlers), logger.level
    log_file = app_module.setup_logging(paths)
    app_module.install_excepthook(log_file)
    yield log_file
    for handler in set(logger.handlers) - set(handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(level)


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_error_in_a_slot_is_logged_told_and_the_window_goes_on(
    qtbot: QtBot,
    db: Database,
    window: MainWindow,
    dialogs: DialogAnswerer,
    paths: DataPaths,
    crash_log: Path,
) -> None:
    assert crash_log == paths.logs / "mentor-desk.log"  # explicit folder: its logs/ (documented)
    button = QPushButton("Break", window)

    def broken() -> None:
        raise RuntimeError("a bug in a click handler 李")

    button.clicked.connect(broken)
    button.show()
    dialogs.answer("Close")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialogs.shown) == 1)

    shown = dialogs.shown[0]
    assert "Something went wrong" in shown.title
    assert "RuntimeError" in shown.text
    assert str(crash_log) in shown.details
    logged = crash_log.read_text(encoding="utf-8")
    assert "Traceback" in logged
    assert "RuntimeError: a bug in a click handler 李" in logged
    assert "in broken" in logged

    # Still usable: a normal edit and save go through afterwards.
    zoe = add(db, "Zoë Müller")
    tab = mentees_tab(qtbot, window)
    window.ctx.selector.choose(zoe.id)
    qtbot.waitUntil(lambda: tab.mode is Mode.EDIT)
    qtbot.keyClicks(tab.form.role, "Lead")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert get_mentee(db, zoe.id).role == "Lead"
