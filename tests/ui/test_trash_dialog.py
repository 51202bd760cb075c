"""Edit > Undo delete (Ctrl+Z) and the Trash dialog."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import (
    DialogAnswerer,
    add,
    click_row,
    close_window,
    mentees_tab,
    open_window,
    shown_names,
)

from mentor_desk.paths import DataPaths
from mentor_desk.services import trash
from mentor_desk.services.goals import (
    CheckinInput,
    GoalInput,
    MilestoneInput,
    add_checkin,
    add_milestone,
    create_goal,
    get_goal,
)
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
from mentor_desk.ui.tabs.goals import GoalsTab

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
    qtbot.mouseClick(tab.list.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown_names(tab) == ["Bob"])
    assert undo.isEnabled()
    assert undo.text().replace("&", "") == "Undo delete of mentee Ada Lovelace"

    tab.list.table.setFocus()
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


def test_a_deleted_milestone_and_checkin_come_back_with_ctrl_z(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada")
    goal = create_goal(db, GoalInput(mentee_id=ada.id, title="Ship v2"))
    add_milestone(db, goal.id, MilestoneInput(title="Design 李"))
    add_checkin(db, goal.id, CheckinInput(checked_on=date(2026, 3, 2), progress=40))
    window.ctx.selector.choose(ada.id)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    tab = window.page("goals")
    assert isinstance(tab, GoalsTab)
    assert tab.open_item("goal", goal.id)
    qtbot.waitUntil(lambda: tab.milestones.model.rowCount() == 1)
    milestone_id = get_goal(db, goal.id).milestones[0].id
    dialogs.answer("Delete", "Delete")
    tab.milestones.delete(milestone_id)
    tab.checkins.delete(get_goal(db, goal.id).checkins[0].id)
    assert "trash" in dialogs.shown[0].details  # the question says it can be undone
    shown = get_goal(db, goal.id)
    assert not shown.milestones
    assert not shown.checkins
    qtbot.waitUntil(lambda: tab.milestones.model.rowCount() == 0)
    undo = window.trash_actions.undo
    assert undo.text().replace("&", "") == "Undo delete of goal check-in 2026-03-02"

    undo.trigger()
    undo.trigger()
    restored = get_goal(db, goal.id)
    assert [m.title for m in restored.milestones] == ["Design 李"]
    assert [c.progress for c in restored.checkins] == [40]
    qtbot.waitUntil(lambda: tab.milestones.model.rowCount() == 1)
    assert not undo.isEnabled()


def test_old_trash_is_emptied_at_start_up_and_the_retention_is_a_setting(
    qtbot: QtBot,
    db: Database,
    paths: DataPaths,
    dialogs: DialogAnswerer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ada = add(db, "Ada")
    now = datetime.now(UTC)
    for days_ago, title in ((45, "Old"), (3, "Recent")):
        started = datetime(2026, 3, 2, 12, tzinfo=UTC)  # 2 March in every time zone
        made = create_session(db, SessionInput(mentee_id=ada.id, started_at=started, title=title))
        monkeypatch.setattr(trash, "utcnow", lambda days_ago=days_ago: now - timedelta(days_ago))
        delete_session(db, made.id)
    monkeypatch.undo()
    window = open_window(qtbot, db, paths, welcome=False)
    assert [entry.label for entry in trash.list_trash(db)] == ["session 2026-03-02 “Recent”"]

    dialog = TrashDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    assert dialog.retention.value() == 30
    dialog.retention.setValue(2)
    assert trash.retention_days(db) == 2
    dialog.retention.setValue(0)
    assert dialog.retention.text() == "until emptied"
    assert trash.retention_days(db) == 0
    dialog.show()
    dialog.grab().save(str(paths.root.parent / "trash.png"))
    dialog.close()
    close_window(window)
