"""File > Backups…: listing, backing up now, and restoring with confirmation."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_helpers import DialogAnswerer, add, mentees_tab

from mentor_desk.services.backups import back_up, program_backups
from mentor_desk.services.mentees import delete_mentee, list_mentees
from mentor_desk.services.types import Database
from mentor_desk.ui.dialogs.backups import BackupsDialog
from mentor_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def names(db: Database) -> list[str]:
    return sorted(m.name for m in list_mentees(db, status="all"))


def open_dialog(qtbot: QtBot, window: MainWindow) -> BackupsDialog:
    dialog = BackupsDialog(window, window.ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def cells(dialog: BackupsDialog, row: int) -> list[str]:
    return [dialog.table.item(row, column).text() for column in range(3)]


def test_lists_backups_newest_first_with_date_reason_and_size(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    back_up(db, clock=lambda: T0)
    ada = add(db, "Ada")
    delete_mentee(db, ada.id, confirm=True)  # backs up first, "before-delete"
    dialog = open_dialog(qtbot, window)
    assert dialog.table.rowCount() == 2
    assert cells(dialog, 0)[1] == "Before deleting a mentee"
    assert cells(dialog, 1)[0] == T0.astimezone().strftime("%Y-%m-%d %H:%M")
    assert cells(dialog, 1)[1] == "Backed up by you"
    assert cells(dialog, 1)[2].endswith("KB")
    assert dialog.empty.isHidden()
    assert dialog.restore_button.isEnabled()


def test_back_up_now_adds_a_row_and_says_when_nothing_changed(
    qtbot: QtBot, window: MainWindow, db: Database, dialogs: DialogAnswerer
) -> None:
    dialog = open_dialog(qtbot, window)
    assert dialog.table.rowCount() == 0
    assert dialog.empty.isVisible()
    assert not dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1
    assert len(program_backups(db)) == 1
    dialogs.answer("Close")
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialogs.answers)
    assert dialogs.shown[-1].title.startswith("Nothing new to back up")
    assert dialog.table.rowCount() == 1


def test_restore_asks_first_then_restores_and_reloads_the_tabs(
    qtbot: QtBot, window: MainWindow, db: Database, dialogs: DialogAnswerer
) -> None:
    add(db, "Ada")
    made = back_up(db, clock=lambda: T0)
    add(db, "Grace")
    tab = mentees_tab(qtbot, window)
    assert tab.list.model.rowCount() == 2
    dialog = open_dialog(qtbot, window)
    dialog.table.selectRow([b.path for b in dialog.backups].index(made.backup.path))
    when = T0.astimezone().strftime("%Y-%m-%d %H:%M")

    dialogs.answer("Cancel")
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert names(db) == ["Ada", "Grace"]
    assert when in dialogs.shown[-1].text
    assert "backed up first" in dialogs.shown[-1].details

    dialogs.answer("Restore", "Close")
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialogs.answers)
    assert names(db) == ["Ada"]
    qtbot.waitUntil(lambda: tab.list.model.rowCount() == 1)
    assert dialogs.shown[-1].title.startswith("Restored")
    saved = [b for b in program_backups(db) if b.reason == "before-restore"]
    assert len(saved) == 1
    assert dialog.table.rowCount() == 2
    # The program keeps working on the restored file.
    add(db, "Linus")
    assert names(db) == ["Ada", "Linus"]


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(
    qtbot: QtBot, window: MainWindow, db: Database, dialogs: DialogAnswerer, tmp_path: Path
) -> None:
    add(db, "Ada")
    db.dispose()
    before = hashlib.sha256(db.path.read_bytes()).hexdigest()
    garbage = tmp_path / "holiday.jpg"
    garbage.write_bytes(b"\xff\xd8\xff\xe0 not a database" * 50)
    dialog = open_dialog(qtbot, window)
    dialogs.answer("Close")
    assert dialog.restore_file(garbage, "holiday.jpg") is False
    assert "holiday.jpg is not a Mentor Desk database" in dialogs.shown[-1].text
    db.dispose()
    assert hashlib.sha256(db.path.read_bytes()).hexdigest() == before
    assert program_backups(db) == []
    assert names(db) == ["Ada"]


def test_file_menu_opens_the_backups_dialog(qtbot: QtBot, window: MainWindow) -> None:
    seen: list[BackupsDialog] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, BackupsDialog):
            seen.append(dialog)
            dialog.reject()
        else:
            QTimer.singleShot(20, close_it)

    file_menu = window.menuBar().actions()[0].menu()
    assert window.backups_action in file_menu.actions()
    QTimer.singleShot(20, close_it)
    window.backups_action.trigger()
    assert len(seen) == 1
    assert seen[0].windowTitle() == "Backups"
