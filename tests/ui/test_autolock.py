"""Auto-lock: an encrypted program hides everything after idle minutes or Ctrl+L, until unlocked."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QToolBar
from pytestqt.qtbot import QtBot
from ui_helpers import add, click_row, close_window, mentees_tab, open_window

from mentor_desk.db import crypto
from mentor_desk.paths import DataPaths
from mentor_desk.services.drafts import DraftStore
from mentor_desk.services.mentees import get_mentee
from mentor_desk.services.program import open_program
from mentor_desk.services.types import Database
from mentor_desk.ui import autolock
from mentor_desk.ui.autolock import IdleWatcher, auto_lock_minutes, set_auto_lock_minutes
from mentor_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui
PASS = "open sesame please"
NAME = "Zoë Secretname"


def encrypted_program(
    data_dir: Path, template_database: Path, monkeypatch: pytest.MonkeyPatch
) -> Database:
    """A real encrypted program in ``data_dir`` (cheap scrypt, so tests stay fast)."""
    monkeypatch.setattr(crypto, "SCRYPT", {"n": 2**10, "r": 8, "p": 1})
    shutil.copyfile(template_database, data_dir / template_database.name)
    paths = DataPaths(data_dir)
    crypto.encrypt_database(paths, PASS)
    return open_program(paths, passphrase=PASS)


@pytest.fixture
def encrypted_db(
    data_dir: Path, template_database: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Database]:
    db = encrypted_program(data_dir, template_database, monkeypatch)
    yield db
    db.dispose()


@pytest.fixture
def locked_window(qtbot: QtBot, encrypted_db: Database, data_dir: Path) -> Iterator[MainWindow]:
    window = open_window(qtbot, encrypted_db, DataPaths(data_dir), welcome=False)
    yield window
    if window.autolock.locked:
        window.autolock.try_unlock(PASS)
    if window.isVisible():
        close_window(window)


def visible_texts(window: MainWindow) -> str:
    """Every text the user can see in the window (labels, fields, title, status message)."""
    texts = [window.windowTitle()]
    if window.statusBar().isVisible():
        texts.append(window.statusBar().currentMessage())
    for widget in window.findChildren(QLabel) + window.findChildren(QLineEdit):
        if widget.isVisible():
            texts.append(widget.text())
    return "\n".join(texts)


def test_lock_hides_the_notes_and_unlock_restores_the_exact_view(
    qtbot: QtBot, locked_window: MainWindow, encrypted_db: Database, data_dir: Path
) -> None:
    window = locked_window
    mentee = add(encrypted_db, NAME)
    tab = mentees_tab(qtbot, window)
    click_row(qtbot, tab, NAME)
    tab.form.role.setFocus()
    qtbot.keyClicks(tab.form.role, "Unsaved role")
    assert NAME in visible_texts(window)
    qtbot.waitUntil(lambda: window.counts_label.text() == "1 mentee · 0 sessions")
    assert window.counts_label.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert window.autolock.locked
    assert window.stack.currentWidget() is window.autolock.panel
    assert NAME not in visible_texts(window)
    assert "Mentor Desk is locked" in visible_texts(window)
    assert window.windowTitle() == "Mentor Desk (locked)[*]"
    assert not any(bar.isVisible() for bar in window.findChildren(QToolBar))
    # Nothing in the status bar either, not even a message sent while locked.
    assert not window.statusBar().isVisible()
    assert not window.counts_label.isVisible()
    window.ctx.bus.status_message.emit(f"Saved {NAME}")
    assert NAME not in visible_texts(window)
    assert window.save_action.isEnabled() is False
    assert not window.lock_action.isEnabled()
    # The unsaved edit went to a crash-safe draft before anything was hidden.
    drafts = DraftStore.for_data_folder(data_dir)
    assert any("Unsaved role" in path.read_text() for path in drafts.folder.glob("*.json"))

    panel = window.autolock.panel
    qtbot.keyClicks(panel.field, "wrong guess")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    assert window.autolock.locked
    assert panel.error.isVisible()
    assert "passphrase is not right" in panel.error.text()

    qtbot.keyClicks(panel.field, PASS)  # the wrong one is selected: typing replaces it
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)

    assert not window.autolock.locked
    assert window.current_page() is tab
    assert window.stack.currentWidget() is window.tabs
    assert window.ctx.selector.current_id == mentee.id
    assert tab.form.role.text() == "Unsaved role"  # the edit in hand is still there
    assert window.save_action.isEnabled()
    assert window.windowTitle() == "Mentor Desk[*]"
    assert all(bar.isVisible() for bar in window.findChildren(QToolBar))
    assert window.statusBar().isVisible()
    assert window.counts_label.isVisible()
    assert window.counts_label.text() == "1 mentee · 0 sessions"
    assert panel.field.text() == ""
    qtbot.keyClick(tab.form.role, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert get_mentee(encrypted_db, mentee.id).role == "Unsaved role"


def test_idle_minutes_lock_the_window_and_close_open_dialogs(
    qtbot: QtBot, locked_window: MainWindow, encrypted_db: Database
) -> None:
    window = locked_window
    assert auto_lock_minutes(encrypted_db) == 0
    assert not window.autolock.watcher.active  # off by default
    set_auto_lock_minutes(encrypted_db, 5)
    window.autolock.refresh()
    assert window.autolock.watcher.timeout_ms == 5 * 60_000
    assert window.autolock.watcher.active

    dialog = QDialog(window)
    dialog.setWindowTitle(f"Notes about {NAME}")
    dialog.show()
    window.autolock.watcher.set_timeout_ms(30)  # a test cannot wait five minutes
    qtbot.waitUntil(lambda: window.autolock.locked, timeout=3000)
    assert not dialog.isVisible()
    assert not window.autolock.watcher.active  # nothing to watch while locked

    window.close()  # closing while locked is refused: unsaved edits would need a decision
    assert window.isVisible()
    assert "Unlock first" in window.autolock.panel.error.text()
    assert window.autolock.try_unlock(PASS)
    assert window.autolock.watcher.active


def test_activity_postpones_the_lock(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(autolock.time, "monotonic", lambda: now[0])
    watcher = IdleWatcher()
    fired: list[bool] = []
    watcher.idle.connect(lambda: fired.append(True))
    watcher.set_timeout_ms(60_000)
    now[0] += 50  # 50 s later the user presses a key
    target = QLineEdit()
    qtbot.addWidget(target)
    QApplication.sendEvent(
        target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    )
    now[0] += 20  # the timer fires 70 s after the start, only 20 s after the key press
    watcher._check()
    assert fired == []
    assert watcher._timer.interval() == 40_000  # what is left of the idle minute
    now[0] += 40
    watcher._check()
    assert fired == [True]
    watcher.set_timeout_ms(0)
    assert not watcher.active
    assert not watcher._filtering


def test_a_plain_program_has_no_lock(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    assert not window.lock_action.isVisible()
    assert not window.autolock.watcher._filtering  # no cost for a plain program
    window.autolock.lock()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not window.autolock.locked
    assert window.stack.currentWidget() is not window.autolock.panel
    assert window.quit_action.isEnabled()
    assert window.tabs.isVisible()


def test_bad_auto_lock_minutes_are_refused(encrypted_db: Database) -> None:
    with pytest.raises(autolock.ValidationError, match="between 0"):
        set_auto_lock_minutes(encrypted_db, -1)
    autolock.set_setting(encrypted_db, autolock.AUTO_LOCK_SETTING, "soon")
    assert auto_lock_minutes(encrypted_db) == 0
