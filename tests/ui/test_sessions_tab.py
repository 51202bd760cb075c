"""The Sessions tab, driven as a person would: typing, clicks, shortcuts and answered dialogs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QDateTimeEdit
from pytestqt.qtbot import QtBot
from ui_helpers import DialogAnswerer, add, close_window, open_window

from mentor_desk.paths import DataPaths
from mentor_desk.services import actions
from mentor_desk.services.actions import ActionItemInput, add_action_item, get_action_item
from mentor_desk.services.drafts import DraftStore
from mentor_desk.services.feedback import list_feedback
from mentor_desk.services.sessions import (
    SessionInput,
    SessionRow,
    create_session,
    get_session,
    list_sessions,
)
from mentor_desk.services.templates import get_template, list_templates
from mentor_desk.services.types import CandorQuadrant, Database, ItemOwner, Visibility
from mentor_desk.ui.context import AppContext, EventBus, MenteeSelector
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.models.sessions import PAGE_SIZE, SessionTableModel
from mentor_desk.ui.tabs.sessions import Mode, SessionsTab
from mentor_desk.ui.widgets import session_actions
from mentor_desk.ui.widgets.session_action_row import DUE_PAUSE_MS

pytestmark = pytest.mark.gui

NOW = datetime.now().astimezone().replace(second=0, microsecond=0)


def sessions_tab(qtbot: QtBot, window: MainWindow, mentee_id: int | None) -> SessionsTab:
    """Focus a mentee, then switch to the tab with its shortcut (F5 first: data came behind its
    back)."""
    window.ctx.selector.choose(mentee_id)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    tab = window.page("sessions")
    assert isinstance(tab, SessionsTab)
    assert window.current_page() is tab
    return tab


def session(db: Database, mentee_id: int, days_ago: int, title: str, **fields: object) -> int:
    data = SessionInput(
        mentee_id=mentee_id, started_at=NOW - timedelta(days=days_ago), title=title, **fields
    )  # type: ignore[arg-type]
    return create_session(db, data).id


def headlines(tab: SessionsTab) -> list[str]:
    column = SessionTableModel.HEADLINE
    return [tab.proxy.index(row, column).data() for row in range(tab.proxy.rowCount())]


def click_session(qtbot: QtBot, tab: SessionsTab, title: str) -> None:
    row = headlines(tab).index(title)
    rect = tab.table.visualRect(tab.proxy.index(row, SessionTableModel.HEADLINE))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_log_a_session_from_a_template_with_two_action_items(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    tab = sessions_tab(qtbot, window, ada.id)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    chooser = tab.chooser
    assert chooser is not None
    assert chooser.isVisible()
    assert chooser.mentee.currentData() == ada.id
    chooser.session_type.setCurrentIndex(chooser.session_type.findText("Career planning"))
    assert chooser.template.currentItem().text() == "Monthly career conversation"
    qtbot.mouseClick(chooser.start_button, Qt.MouseButton.LeftButton)

    assert tab.mode is Mode.NEW
    editor = tab.editor
    assert editor.notes.text().startswith("## Opening and well-being")
    assert editor.visibility.currentData() == Visibility.PRIVATE.value  # private by default
    assert QApplication.focusWidget() is editor.title
    qtbot.keyClicks(editor.title, "First career chat")
    qtbot.keyClicks(editor.summary, "Talked about the staff path")
    qtbot.keyClicks(editor.actions.new_text, "Read the staff engineer book")
    qtbot.keyClick(editor.actions.new_text, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.actions.new_text, "Introduce Ada to a staff engineer")
    editor.actions.new_owner.setCurrentIndex(editor.actions.new_owner.findData("mentor"))
    qtbot.mouseClick(editor.actions.new_due.known, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.actions.add_button, Qt.MouseButton.LeftButton)
    assert [row.text.text() for row in editor.actions.rows] == [
        "Read the staff engineer book",
        "Introduce Ada to a staff engineer",
    ]
    first = editor.actions.rows[0]  # not saved yet: its text is edited in the panel
    qtbot.waitUntil(first.isVisible)  # a new row shows once the layout has run
    # Offscreen, nobody hands the activation back to the window once the chooser has closed.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    first.done.setFocus()  # tabbed to the row
    qtbot.keyClick(first.done, Qt.Key.Key_F2)
    qtbot.keyClicks(first.text_edit, "Read The Staff Engineer's Path")
    qtbot.keyClick(first.text_edit, Qt.Key.Key_Return)
    assert editor.actions.pending()[0].text == "Read The Staff Engineer's Path"
    assert window.save_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    (row,) = list_sessions(db, mentee_id=ada.id)
    saved = get_session(db, row.id)
    assert (saved.title, saved.summary, saved.session_type_name) == (
        "First career chat",
        "Talked about the staff path",
        "Career planning",
    )
    assert saved.visibility is Visibility.PRIVATE
    assert saved.notes == get_template(db, 2).body.strip()
    assert [(i.text, i.owner, i.due_on is not None) for i in saved.action_items] == [
        ("Read The Staff Engineer's Path", ItemOwner.MENTEE, False),
        ("Introduce Ada to a staff engineer", ItemOwner.MENTOR, True),
    ]
    assert tab.mode is Mode.EDIT
    assert not tab.is_dirty()
    qtbot.waitUntil(lambda: headlines(tab) == ["First career chat"])
    open_actions = tab.proxy.index(0, SessionTableModel.OPEN_ACTIONS).data()
    assert open_actions == "2"
    assert tab.proxy.index(0, SessionTableModel.VISIBILITY).data() == "Private"
    assert tab.table.selectionModel().selectedRows()[0].data(Qt.ItemDataRole.UserRole + 1) == row.id


def test_unfinished_item_is_carried_forward_and_ticked_from_there(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    first = session(db, ada.id, 14, "Kick-off")
    item = add_action_item(db, first, ActionItemInput("Draft the growth plan"))
    session(db, ada.id, 7, "Follow-up")
    tab = sessions_tab(qtbot, window, ada.id)
    assert headlines(tab) == ["Follow-up", "Kick-off"]
    click_session(qtbot, tab, "Follow-up")

    (carried,) = tab.editor.actions.carried_rows
    assert carried.text.text() == "Draft the growth plan"
    assert not carried.done.isChecked()
    qtbot.mouseClick(carried.done, Qt.MouseButton.LeftButton)
    assert get_action_item(db, item.id).done
    qtbot.waitUntil(lambda: tab.proxy.index(1, SessionTableModel.OPEN_ACTIONS).data() == "0")
    assert not tab.is_dirty()  # items are written at once; the notes stay clean

    click_session(qtbot, tab, "Kick-off")  # its own item, shown done where it was agreed
    (own,) = tab.editor.actions.rows
    assert own.done.isChecked()
    assert tab.editor.actions.carried_rows == []


def test_markdown_preview_renders_headings_and_shows_markup_as_text(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    session(db, ada.id, 1, "Notes")
    tab = sessions_tab(qtbot, window, ada.id)
    click_session(qtbot, tab, "Notes")
    notes = tab.editor.notes
    qtbot.keyClicks(notes.editor, "# Plan for May")
    qtbot.keyClick(notes.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(notes.editor, "- ship it")

    def heading_shown() -> bool:
        block = notes.preview.document().firstBlock()
        return block.text() == "Plan for May" and block.blockFormat().headingLevel() == 1

    qtbot.waitUntil(heading_shown)
    notes.editor.setPlainText("<b>AT&T</b> 李伟 🚀")
    qtbot.waitUntil(lambda: notes.preview.toPlainText() == "<b>AT&T</b> 李伟 🚀")
    qtbot.mouseClick(notes.buttons.buttons()[0], Qt.MouseButton.LeftButton)  # Write only
    assert notes.editor.isVisible()
    assert not notes.preview.isVisible()
    qtbot.mouseClick(tab.revert_button, Qt.MouseButton.LeftButton)
    assert notes.text() == ""


def test_list_is_paged_and_never_loads_notes(
    qtbot: QtBot, qtmodeltester: object, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    for number in range(120):
        session(db, ada.id, number, f"Session {number:03}", notes="x" * 1000)
    tab = sessions_tab(qtbot, window, ada.id)
    model = tab.model
    assert model.rowCount() == PAGE_SIZE
    assert model.total == 120
    assert tab.count_label.text() == "50 of 120"
    assert all(type(row) is SessionRow for row in model.rows())
    assert not hasattr(model.rows()[0], "notes")
    assert headlines(tab)[:2] == ["Session 000", "Session 001"]  # newest first

    bar = tab.table.verticalScrollBar()
    bottom = 0
    for loaded in (2 * PAGE_SIZE, 120):
        qtbot.waitUntil(lambda low=bottom: bar.maximum() > low)  # laid out with the new rows
        bottom = bar.maximum()
        bar.setValue(bottom)  # as if dragged to the bottom
        qtbot.waitUntil(lambda loaded=loaded: model.rowCount() == loaded)
    assert not model.canFetchMore(tab.proxy.index(-1, -1))
    assert tab.count_label.text() == "120 sessions"
    assert headlines(tab)[-1] == "Session 119"
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    qtmodeltester.check(tab.proxy)  # type: ignore[attr-defined]


def click_header(qtbot: QtBot, tab: SessionsTab, column: int) -> None:
    header = tab.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_sorting_by_another_column_sorts_every_session_not_the_loaded_page(
    qtbot: QtBot, qtmodeltester: object, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    for number in range(PAGE_SIZE + 10):  # the oldest have the first titles, off the first page
        session(db, ada.id, number, f"Topic {PAGE_SIZE + 9 - number:02}")
    tab = sessions_tab(qtbot, window, ada.id)
    assert tab.model.rowCount() == PAGE_SIZE
    click_session(qtbot, tab, "Topic 40")

    click_header(qtbot, tab, SessionTableModel.HEADLINE)
    assert tab.model.rowCount() == PAGE_SIZE + 10  # the rest was loaded to sort them all
    assert headlines(tab) == [f"Topic {n:02}" for n in range(PAGE_SIZE + 10)]
    assert tab.count_label.text() == "60 sessions"
    selected = tab.table.selectionModel().selectedRows()
    assert [index.data() for index in selected] == [tab.proxy.index(40, 0).data()]
    assert tab.detail is not None
    assert tab.detail.title == "Topic 40"  # sorting is not choosing another session

    click_header(qtbot, tab, SessionTableModel.HEADLINE)  # again: descending
    assert headlines(tab)[:2] == ["Topic 59", "Topic 58"]
    window.ctx.bus.changed("session")  # a reload keeps the order the user chose
    qtbot.waitUntil(lambda: headlines(tab)[:2] == ["Topic 59", "Topic 58"])
    assert len(headlines(tab)) == PAGE_SIZE + 10
    qtmodeltester.check(tab.model)  # type: ignore[attr-defined]


def test_action_item_text_is_edited_in_place(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    sid = session(db, ada.id, 1, "Planning")
    item = add_action_item(db, sid, ActionItemInput("Read the book"))
    tab = sessions_tab(qtbot, window, ada.id)
    click_session(qtbot, tab, "Planning")
    (row,) = tab.editor.actions.rows

    qtbot.mouseDClick(row.text, Qt.MouseButton.LeftButton)
    assert row.text_edit.isVisible()
    assert QApplication.focusWidget() is row.text_edit
    assert row.text_edit.selectedText() == "Read the book"
    qtbot.keyClicks(row.text_edit, "Read two chapters")
    qtbot.keyClick(row.text_edit, Qt.Key.Key_Return)
    assert get_action_item(db, item.id).text == "Read two chapters"
    assert row.text.text() == "Read two chapters"
    assert row.done.accessibleName() == "Done: Read two chapters"
    assert not row.text_edit.isVisible()
    assert not tab.is_dirty()  # written at once, like the ticks

    qtbot.keyClick(row.done, Qt.Key.Key_F2)  # the keyboard way in
    assert row.text_edit.isVisible()
    qtbot.keyClick(row.text_edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(row.text_edit, Qt.Key.Key_Return)
    assert row.text_error.isVisible()
    assert row.text_error.text() == "Text: must not be empty"
    assert row.text_edit.isVisible()  # still editing: nothing is lost
    assert get_action_item(db, item.id).text == "Read two chapters"
    qtbot.keyClick(row.text_edit, Qt.Key.Key_Escape)
    assert not row.text_edit.isVisible()
    assert row.text.text() == "Read two chapters"

    qtbot.keyClick(row.done, Qt.Key.Key_F2)
    row.text_edit.setText("Lire « Zoë » 李 <b>&")  # any script; set, then Enter as typed
    qtbot.keyClick(row.text_edit, Qt.Key.Key_Return)
    assert get_action_item(db, item.id).text == "Lire « Zoë » 李 <b>&"
    assert row.text.text() == "Lire « Zoë » 李 <b>&"


def test_stepping_a_due_date_writes_once_after_the_pause(
    qtbot: QtBot, db: Database, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = add(db, "Ada")
    sid = session(db, ada.id, 1, "Planning")
    due = date(date.today().year + 1, 5, 3)  # early in a month: stepping the day stays in it
    item = add_action_item(db, sid, ActionItemInput("Book the room", due_on=due))
    writes: list[int] = []

    def counted(db: Database, item_id: int, data: ActionItemInput) -> actions.ActionItem:
        writes.append(item_id)
        return actions.update_action_item(db, item_id, data)

    monkeypatch.setattr(session_actions, "update_action_item", counted)
    tab = sessions_tab(qtbot, window, ada.id)
    click_session(qtbot, tab, "Planning")
    (row,) = tab.editor.actions.rows
    edit = row.due.date
    edit.setFocus()
    edit.setCurrentSection(QDateTimeEdit.Section.DaySection)  # as if the day was clicked
    for _ in range(5):
        qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.date().toPython() == due + timedelta(days=5)
    assert writes == []  # not on every step
    assert row.due.pause.interval() == DUE_PAUSE_MS
    qtbot.waitUntil(lambda: writes == [item.id])
    assert not row.due.pause.isActive()
    assert get_action_item(db, item.id).due_on == due + timedelta(days=5)

    # Offscreen, the tooltip of the row under the pointer took the window's activation during
    # the pause (a desktop gives it back): activate it again, as the user's click would.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is edit)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    tab.editor.title.setFocus()  # leaving the field writes at once
    assert writes == [item.id, item.id]
    assert get_action_item(db, item.id).due_on == due + timedelta(days=4)


def test_unsaved_edits_ask_when_switching_session_and_save_keeps_them(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada")
    older = session(db, ada.id, 8, "Older")
    session(db, ada.id, 1, "Newer")
    tab = sessions_tab(qtbot, window, ada.id)
    click_session(qtbot, tab, "Older")
    qtbot.keyClick(tab.editor.title, Qt.Key.Key_End)
    qtbot.keyClicks(tab.editor.title, " and wiser")
    assert window.isWindowModified()

    dialogs.answer("Cancel")
    click_session(qtbot, tab, "Newer")
    assert "changed the session of" in dialogs.shown[-1].text
    assert tab.editor.title.text() == "Older and wiser"  # nothing typed was lost
    assert tab.detail is not None
    assert tab.detail.id == older

    dialogs.answer("Save")
    click_session(qtbot, tab, "Newer")
    assert get_session(db, older).title == "Older and wiser"
    assert tab.editor.title.text() == "Newer"
    assert not window.isWindowModified()


def test_draft_survives_a_crash_and_is_offered_back(
    qtbot: QtBot, db: Database, paths: DataPaths, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada")
    first = session(db, ada.id, 3, "Retro")
    settings = QSettings(str(tmp_path / "crashed.ini"), QSettings.Format.IniFormat)
    crashed = SessionsTab(AppContext(db, paths, EventBus(), MenteeSelector(), settings))
    qtbot.addWidget(crashed)
    crashed.show()
    crashed.ctx.selector.choose(ada.id)
    qtbot.waitUntil(lambda: headlines(crashed) == ["Retro"])
    click_session(qtbot, crashed, "Retro")
    qtbot.keyClicks(crashed.editor.notes.editor, "Unsaved thoughts")
    crashed.editor.notes.editor.insertPlainText(" — Zoë 李")  # any script survives the draft
    assert crashed.drafts.timer.isActive()
    assert crashed.drafts.timer.interval() == 3000
    draft_file = DraftStore.for_data_folder(paths.root).path(f"session-{first}")
    assert not draft_file.exists()
    crashed.drafts.timer.setInterval(50)  # no need to wait the full pause in a test
    qtbot.keyClicks(crashed.editor.notes.editor, "!")
    qtbot.waitUntil(draft_file.exists)
    assert draft_file.stat().st_mode & 0o777 == 0o600
    crashed.hide()  # the process "dies": nothing is saved and the draft stays

    dialogs.answer("Restore")
    window = open_window(qtbot, db, paths, welcome=False)
    tab = sessions_tab(qtbot, window, None)
    qtbot.waitUntil(lambda: tab.mode is Mode.EDIT)
    assert "the session of" in dialogs.shown[-1].text
    assert tab.editor.notes.text() == "Unsaved thoughts — Zoë 李!"
    assert tab.is_dirty()
    assert get_session(db, first).notes == ""
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert get_session(db, first).notes == "Unsaved thoughts — Zoë 李!"
    assert not draft_file.exists()
    close_window(window)


def test_feedback_dialog_records_private_feedback_for_the_session(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    sid = session(db, ada.id, 2, "Demo day")
    tab = sessions_tab(qtbot, window, ada.id)
    click_session(qtbot, tab, "Demo day")
    qtbot.mouseClick(tab.editor.feedback_button, Qt.MouseButton.LeftButton)
    dialog = tab.feedback_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.visibility.currentData() == Visibility.PRIVATE.value
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # nothing written yet
    assert "observation" in dialog.errors.visible()
    qtbot.keyClicks(dialog.observation, "You paused for questions after each part")
    qtbot.keyClicks(dialog.impact, "People followed the whole demo")
    qtbot.keyClicks(dialog.request, "Keep doing it")
    dialog.quadrant.setCurrentIndex(dialog.quadrant.findData("radical_candor"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    (record,) = list_feedback(db, session_id=sid)
    assert (record.mentee_id, record.visibility, record.quadrant) == (
        ada.id,
        Visibility.PRIVATE,
        CandorQuadrant.RADICAL_CANDOR,
    )
    assert record.request == "Keep doing it"
    assert "You paused for questions" in tab.editor.feedback_list.item(0).text()

    # Opening it again (Enter on the line) changes it.
    tab.editor.feedback_list.itemActivated.emit(tab.editor.feedback_list.item(0))
    dialog = tab.feedback_dialog
    assert dialog.record is not None
    assert dialog.observation.toPlainText() == "You paused for questions after each part"
    dialog.visibility.setCurrentIndex(dialog.visibility.findData("shared_with_mentee"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (record,) = list_feedback(db, session_id=sid)
    assert record.visibility is Visibility.SHARED_WITH_MENTEE


def test_templates_dialog_edits_a_template_body(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    tab = sessions_tab(qtbot, window, None)
    qtbot.mouseClick(tab.templates_button, Qt.MouseButton.LeftButton)
    dialog = tab.templates_dialog
    assert dialog is not None
    assert dialog.isVisible()
    page = dialog.templates
    weekly = next(t for t in list_templates(db) if t.name == "Weekly one-on-one")
    page.list.setCurrentRow(
        [page.list.item(n).text() for n in range(page.list.count())].index(weekly.name)
    )
    page.body.editor.moveCursor(page.body.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(page.body.editor, "## Wins of the week")
    dialogs.answer("Save")  # leaving the edited template asks
    page.list.setCurrentRow(0 if page.list.currentRow() else 1)
    assert get_template(db, weekly.id).body.endswith("## Wins of the week")
    dialog.reject()
    assert not dialog.isVisible()


def test_choosing_a_type_on_a_new_session_offers_its_template(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada")
    tab = sessions_tab(qtbot, window, None)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    chooser = tab.chooser
    assert chooser is not None
    chooser.mentee.setCurrentIndex(chooser.mentee.findData(ada.id))
    chooser.select_template_named("Blank notes")
    qtbot.mouseClick(chooser.start_button, Qt.MouseButton.LeftButton)
    editor = tab.editor
    assert editor.notes.text() == ""
    assert tab.detail_title.text() == "New session with Ada"

    combo = editor.session_type
    combo.setCurrentIndex(combo.findText("Quarterly development review"))
    combo.activated.emit(combo.currentIndex())  # untouched notes: the template comes at once
    assert editor.notes.text().startswith("## Progress assessment")
    assert editor.duration.value() == 75

    editor.notes.set_text("My own notes")
    dialogs.answer("Keep my notes")
    combo.setCurrentIndex(combo.findText("LMP check-in"))
    combo.activated.emit(combo.currentIndex())
    assert editor.notes.text() == "My own notes"
    assert editor.duration.value() == 45
    dialogs.answer("Replace notes")
    combo.setCurrentIndex(combo.findText("Career planning"))
    combo.activated.emit(combo.currentIndex())
    assert editor.notes.text().startswith("## Opening and well-being")
    assert "Use the template?" in dialogs.shown[-1].title

    dialogs.answer("Discard")  # leaving the unsaved new session asks; nothing is written
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert list_sessions(db) == []
    assert tab.mode is Mode.EMPTY


def test_search_navigation_and_delete(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada, bob = add(db, "Ada"), add(db, "Bob")
    kickoff = session(db, ada.id, 9, "Kick-off", notes="We spoke about kubernetes")
    item = add_action_item(db, kickoff, ActionItemInput("Try the cluster"))
    session(db, bob.id, 2, "Bob's first")
    tab = sessions_tab(qtbot, window, None)
    assert headlines(tab) == ["Bob's first", "Kick-off"]
    assert not tab.table.isColumnHidden(SessionTableModel.MENTEE)
    qtbot.keyClicks(tab.list_panel.search, "kubernetes")
    qtbot.waitUntil(lambda: headlines(tab) == ["Kick-off"])
    tab.list_panel.search.clear()
    qtbot.waitUntil(lambda: len(headlines(tab)) == 2)

    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    window.ctx.bus.navigate("action_item", item.id, ada.id)
    assert window.current_page() is tab
    assert window.ctx.selector.current_id == ada.id
    assert tab.detail is not None
    assert tab.detail.id == kickoff
    assert [row.text.text() for row in tab.editor.actions.rows] == ["Try the cluster"]
    qtbot.waitUntil(lambda: headlines(tab) == ["Kick-off"])
    assert tab.table.isColumnHidden(SessionTableModel.MENTEE)

    dialogs.answer("Delete")
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert "1 action item" in dialogs.shown[-1].details
    assert [row.title for row in list_sessions(db)] == ["Bob's first"]
    assert tab.mode is Mode.EMPTY
    qtbot.waitUntil(lambda: headlines(tab) == [])


def test_tab_moves_through_the_editor_in_reading_order(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    earlier = session(db, ada.id, 9, "Earlier")
    add_action_item(db, earlier, ActionItemInput("Carried one"))
    later = session(db, ada.id, 2, "Later")
    add_action_item(db, later, ActionItemInput("Own one"))
    tab = sessions_tab(qtbot, window, ada.id)
    click_session(qtbot, tab, "Later")
    editor, actions = tab.editor, tab.editor.actions
    (own,), (carried,) = actions.rows, actions.carried_rows
    editor.tags.setFocus()
    visited = []
    for _ in range(30):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    expected = [
        editor.notes.editor,
        own.done,
        own.owner,
        actions.new_text,
        actions.new_owner,
        carried.done,
        editor.feedback_button,
    ]
    positions = [visited.index(widget) for widget in expected]
    assert positions == sorted(positions)
    assert carried.delete not in visited  # carried items are not deleted from here


def test_draft_store_writes_whole_private_files_and_ignores_junk(tmp_path: Path) -> None:
    store = DraftStore.for_data_folder(tmp_path)
    assert store.all() == []
    assert store.load("session-new") is None
    first = store.save("session-1", {"notes": "Zoë <b>&amp; 李 🚀"})
    second = store.save("session-new", {"notes": "later"}, now=first.saved_at + timedelta(1))
    assert store.load("session-1") == first
    assert [draft.key for draft in store.all("session-")] == ["session-new", "session-1"]
    assert second.saved_at.tzinfo is not None
    assert sorted(p.name for p in store.folder.iterdir()) == ["session-1.json", "session-new.json"]
    assert store.path("session-1").stat().st_mode & 0o777 == 0o600
    assert store.folder.stat().st_mode & 0o777 == 0o700
    store.path("session-2").write_text("{not json", encoding="utf-8")
    assert store.load("session-2") is None
    assert len(store.all()) == 2
    store.discard("session-1")
    store.discard("session-1")  # already gone: nothing to do
    assert [draft.key for draft in store.all()] == ["session-new"]
    with pytest.raises(ValueError, match="not a draft key"):
        store.path("../escape")


def test_edit_menu_opens_the_templates_editor(qtbot: QtBot, db: Database, paths: DataPaths) -> None:
    window = open_window(qtbot, db, paths, welcome=False)
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    action = next(a for a in edit_menu.actions() if "templates" in a.text())
    action.trigger()
    sessions = window.page("sessions")
    dialog = sessions.templates_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.pages.count() == 2
    assert dialog.templates.name.text() == "Weekly one-on-one"
    dialog.reject()
    close_window(window)


def test_closing_the_window_with_unsaved_notes_saves_them_when_asked(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada")
    retro = session(db, ada.id, 2, "Retro", notes="## What went well")
    tab = sessions_tab(qtbot, window, ada.id)
    click_session(qtbot, tab, "Retro")
    notes = tab.editor.notes.editor
    notes.setFocus()
    notes.moveCursor(notes.textCursor().MoveOperation.End)
    qtbot.keyClick(notes, Qt.Key.Key_Return)  # keyClicks must not be given control characters
    qtbot.keyClicks(notes, "The demo landed on time.")
    assert window.isWindowModified()

    dialogs.answer("Cancel")
    window.close()
    assert window.isVisible(), "Cancel keeps the window open"
    assert "The demo landed" in notes.toPlainText()

    dialogs.answer("Save")
    window.close()
    assert not window.isVisible()
    assert get_session(db, retro).notes.endswith("The demo landed on time.")
