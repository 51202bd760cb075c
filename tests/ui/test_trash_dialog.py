"""Edit > Undo delete (Ctrl+Z) and the Trash dialog."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import DialogAnswerer, add, click_row, mentees_tab, shown_names

from mentor_desk.services import trash
from mentor_desk.services.goals import GoalInput, create_goal
from mentor_desk.services.mentees import get_mentee
from mentor_desk.services.sessions import (
    SessionInput,
    create_session,
    delete_session,
    get_session,
)
from mentor_desk.services.types import Database
from mentor_desk.ui.dialogs.trash import TrashDialog
from mentor_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_ctrl_z_brings_a_deleted_mentee_back_into_the_table(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada Lovelace")
    add(db, "Bob")
    create_goal(db, GoalInput(mentee_id=ada.id, title="Speak at a meetup"))
    tab = mentees_tab(qtbot, window)
    undo = window.trash_actions.undo
    assert not undo.isEnabled()

    click_row(qtbot, tab, "Ada Lovelace")
    dialogs.answer("Delete")
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown_names(tab) == ["Bob"])
    assert undo.isEnabled()
    assert undo.text().replace("&", "") == "Undo delete of mentee Ada Lovelace"

    tab.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: sorted(shown_names(tab)) == ["Ada Lovelace", "Bob"])
    assert get_mentee(db, ada.id).name == "Ada Lovelace"
    assert trash.list_trash(db) == []
    assert not undo.isEnabled()


def test_the_trash_dialog_restores_a_deleted_session_and_empties_the_rest(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada Lovelace")
    kept = create_session(
        db, SessionInput(mentee_id=ada.id, started_at=datetime(2026, 3, 2, 9, tzinfo=UTC))
    )
    other = create_session(
        db, SessionInput(mentee_id=ada.id, started_at=datetime(2026, 3, 9, 9, tzinfo=UTC))
    )
    delete_session(db, kept.id)
    delete_session(db, other.id)
    window.ctx.bus.changed("session")
    assert window.trash_actions.undo.text().startswith("&Undo delete of session 2026-03-09")

    dialog = TrashDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    whats = [dialog.table.item(r, dialog.WHAT).text() for r in range(dialog.table.rowCount())]
    assert whats == ["session 2026-03-09", "session 2026-03-02"]
    assert dialog.table.item(1, dialog.MENTEE).text() == "Ada Lovelace"

    dialog.table.selectRow(1)
    with qtbot.waitSignal(window.ctx.bus.data_changed):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert get_session(db, kept.id).started_at == kept.started_at
    assert dialog.table.rowCount() == 1

    dialogs.answer("Cancel", "Empty trash")
    qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
    assert len(trash.list_trash(db)) == 1
    qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
    assert "Delete the 1 item in the trash forever?" in dialogs.shown[-1].text
    assert trash.list_trash(db) == []
    assert dialog.table.rowCount() == 0
    assert not dialog.restore_button.isEnabled()
    dialog.close()
    assert not window.trash_actions.undo.isEnabled()
