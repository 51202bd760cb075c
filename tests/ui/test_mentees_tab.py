"""The Mentees tab, driven as a person would: clicks, typing, shortcuts and answered dialogs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication
from pytestqt.qtbot import QtBot
from ui_helpers import (
    DialogAnswerer,
    add,
    click_row,
    close_window,
    mentees_tab,
    open_window,
    retype,
    shown_names,
)

from mentor_desk.errors import NotFoundError
from mentor_desk.paths import DataPaths
from mentor_desk.services.goals import GoalInput, create_goal
from mentor_desk.services.mentees import (
    get_mentee,
    list_mentees,
)
from mentor_desk.services.types import Cadence, Database, Level, MenteeStatus, Track
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.models.mentees import MenteeTableModel
from mentor_desk.ui.tabs.mentees import MenteesTab, Mode

pytestmark = pytest.mark.gui

TODAY = date.today()


def test_first_mentee_from_the_welcome_panel(
    qtbot: QtBot, db: Database, paths: DataPaths, dialogs: DialogAnswerer
) -> None:
    window = open_window(qtbot, db, paths)
    assert window.stack.currentWidget() is window.welcome

    qtbot.mouseClick(window.welcome.add_button, Qt.MouseButton.LeftButton)
    tab = window.page("mentees")
    assert isinstance(tab, MenteesTab)
    assert window.current_page() is tab
    assert tab.mode is Mode.NEW
    assert QApplication.focusWidget() is tab.form.name
    qtbot.keyClicks(tab.form.name, "Ada Lovelace")
    qtbot.keyClicks(tab.form.role, "Staff Engineer")
    assert window.isWindowModified()
    qtbot.keyClick(tab.form.name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: shown_names(tab) == ["Ada Lovelace"])
    (saved,) = list_mentees(db)
    assert (saved.name, saved.role, saved.status) == (
        "Ada Lovelace",
        "Staff Engineer",
        MenteeStatus.ACTIVE,
    )
    assert window.ctx.selector.current_id == saved.id
    assert tab.list.table.selectionModel().selectedRows()[0].data() == "Ada Lovelace"
    assert tab.detail_title.text() == "Ada Lovelace"
    assert not window.isWindowModified()
    assert window.picker.currentText() == "Ada Lovelace"
    close_window(window)


def test_every_field_round_trips_including_any_script(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    tab = mentees_tab(qtbot, window)
    qtbot.mouseClick(tab.list.add_button, Qt.MouseButton.LeftButton)
    form = tab.form
    # Non-ASCII text cannot be typed with keyClicks; set it the way an input method would.
    form.name.setText("李伟 <b>&amp; Zoë")
    form.notes.setPlainText("Première note.\n第二行 🚀 <i>x</i>")
    qtbot.keyClicks(form.pronouns, "he/him")
    qtbot.keyClicks(form.team, "Platform")
    form.level.setCurrentIndex(form.level.findData(Level.TEAM_LEAD.value))
    assert not form.track.isEnabled()
    assert form.track.currentText() == Track.MANAGEMENT.label
    qtbot.keyClicks(form.email, "li@example.org")
    qtbot.mouseClick(form.start_known, Qt.MouseButton.LeftButton)
    form.started_on.setDate(date(2025, 3, 1))
    form.cadence.setCurrentIndex(form.cadence.findData(Cadence.MONTHLY.value))
    qtbot.mouseClick(form.in_lmp, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.tags, "backend, remote")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: tab.list.model.rowCount() == 1)
    (row,) = list_mentees(db)
    saved = get_mentee(db, row.id)
    assert saved.name == "李伟 <b>&amp; Zoë"
    assert saved.notes == "Première note.\n第二行 🚀 <i>x</i>"
    assert (saved.pronouns, saved.team, saved.email) == ("he/him", "Platform", "li@example.org")
    assert (saved.level, saved.track, saved.cadence) == (
        Level.TEAM_LEAD,
        Track.MANAGEMENT,
        Cadence.MONTHLY,
    )
    assert saved.started_on == date(2025, 3, 1)
    assert (saved.in_general, saved.in_lmp) == (True, True)
    assert saved.tags == ("backend", "remote")
    assert shown_names(tab) == ["李伟 <b>&amp; Zoë"]
    assert not tab.is_dirty()


def test_unsaved_edits_ask_before_moving_on(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada, bob = add(db, "Ada"), add(db, "Bob")
    tab = mentees_tab(qtbot, window)
    click_row(qtbot, tab, "Ada")
    assert window.ctx.selector.current_id == ada.id
    qtbot.keyClicks(tab.form.role, "Architect")
    assert tab.save_button.isEnabled()
    assert window.save_action.isEnabled()

    dialogs.answer("Cancel")
    click_row(qtbot, tab, "Bob")
    assert "changed Ada" in dialogs.shown[-1].text
    assert window.ctx.selector.current_id == ada.id
    assert tab.list.table.selectionModel().selectedRows()[0].data() == "Ada"
    assert tab.form.role.text() == "Architect"  # nothing typed was lost

    dialogs.answer("Save")
    click_row(qtbot, tab, "Bob")
    assert get_mentee(db, ada.id).role == "Architect"
    assert window.ctx.selector.current_id == bob.id
    assert tab.form.name.text() == "Bob"

    qtbot.keyClicks(tab.form.role, "Designer")
    dialogs.answer("Discard")
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.page("overview")
    assert get_mentee(db, bob.id).role == ""
    assert tab.form.role.text() == ""

    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(tab.form.team, "Growth")
    dialogs.answer("Cancel")
    window.close()
    assert window.isVisible()
    dialogs.answer("Save")
    close_window(window)
    assert get_mentee(db, bob.id).team == "Growth"


def test_validation_error_is_shown_by_its_field_and_nothing_is_lost(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada", role="Engineer")
    tab = mentees_tab(qtbot, window)
    click_row(qtbot, tab, "Ada")
    retype(qtbot, tab.form.role, "Principal")
    retype(qtbot, tab.form.name, "   ")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)

    assert tab.form.visible_errors() == {"name": "Name: must not be empty"}
    assert tab.form.errors["name"].isVisible()
    assert tab.form.banner.isVisible()
    assert QApplication.focusWidget() is tab.form.name
    assert tab.form.role.text() == "Principal"
    assert get_mentee(db, ada.id).name == "Ada"
    assert get_mentee(db, ada.id).role == "Engineer"

    qtbot.keyClicks(tab.form.email, "not-an-address")
    retype(qtbot, tab.form.name, "Ada King")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    errors = tab.form.visible_errors()
    assert list(errors) == ["email"]
    assert "not an e-mail address" in errors["email"]
    assert not tab.form.errors["name"].isVisible()

    retype(qtbot, tab.form.email, "ada@example.org")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.form.visible_errors() == {}
    saved = get_mentee(db, ada.id)
    assert (saved.name, saved.role, saved.email) == ("Ada King", "Principal", "ada@example.org")


def test_menus_follow_the_editor_and_errors_reach_screen_readers(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada", role="Engineer")
    tab = mentees_tab(qtbot, window)
    assert not window.delete_action.isEnabled()  # nobody selected: nothing to delete
    click_row(qtbot, tab, "Ada")
    assert window.delete_action.isEnabled()
    assert not window.save_action.isEnabled()
    assert not window.revert_action.isEnabled()
    retype(qtbot, tab.form.name, "")
    assert window.save_action.isEnabled()
    assert window.revert_action.isEnabled()

    window.save_action.trigger()  # File > Save, refused: the reason is on the field
    assert tab.form.name.accessibleDescription() == "Name: must not be empty"
    assert tab.form.errors["name"].accessibleName() == "Name error"
    window.revert_action.trigger()  # File > Revert puts back what was saved
    assert tab.form.name.text() == "Ada"
    assert tab.form.visible_errors() == {}
    assert tab.form.name.accessibleDescription() == "Required"  # its own description again
    assert not window.save_action.isEnabled()
    assert get_mentee(db, ada.id).name == "Ada"


def test_the_editor_is_not_cut_off_in_a_narrow_window(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    add(db, "Zoë Müller", role="Senior Software Engineer", email="zoe.mueller@example.org")
    tab = mentees_tab(qtbot, window)
    click_row(qtbot, tab, "Zoë Müller")
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    viewport = tab.form.parentWidget()  # what the form's scroll area shows of it
    assert viewport.width() >= tab.form.minimumSizeHint().width()
    right_edge = tab.form.email.mapTo(tab, QPoint(tab.form.email.width(), 0)).x()
    assert right_edge <= tab.width()  # the whole field is on screen


def test_filter_by_text_status_and_program(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    add(db, "Ada", role="Engineer")
    add(db, "Bob", team="Design Systems", status=MenteeStatus.PAUSED, in_lmp=True)
    add(db, "Zoë", role="Designer", status=MenteeStatus.ARCHIVED)
    tab = mentees_tab(qtbot, window)
    assert shown_names(tab) == ["Ada", "Bob"]  # archived hidden by default
    assert tab.list.count_label.text() == "2 of 3"

    qtbot.keyClicks(tab.list.filter_text, "DESIGN")
    assert shown_names(tab) == ["Bob"]
    tab.list.filter_status.setCurrentIndex(tab.list.filter_status.findText("All statuses"))
    assert shown_names(tab) == ["Bob", "Zoë"]
    retype(qtbot, tab.list.filter_text, "zoe")  # accents and case ignored
    assert shown_names(tab) == ["Zoë"]

    tab.list.filter_text.clear()
    tab.list.filter_status.setCurrentIndex(
        tab.list.filter_status.findText(MenteeStatus.PAUSED.label)
    )
    assert shown_names(tab) == ["Bob"]
    tab.list.filter_status.setCurrentIndex(tab.list.filter_status.findText("All statuses"))
    tab.list.filter_program.setCurrentIndex(tab.list.filter_program.findText("LMP candidacy"))
    assert shown_names(tab) == ["Bob"]


def test_sorting_by_next_due_uses_dates(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    # No sessions: the next session is due one cadence after the start.
    add(db, "Early", started_on=TODAY - timedelta(days=300), cadence=Cadence.WEEKLY)
    add(db, "Late", started_on=TODAY + timedelta(days=40), cadence=Cadence.MONTHLY)
    add(db, "Middle", started_on=TODAY - timedelta(days=3), cadence=Cadence.BIWEEKLY)
    add(db, "Paused", status=MenteeStatus.PAUSED)  # no next due date: always after the dated
    tab = mentees_tab(qtbot, window)
    header = tab.list.table.horizontalHeader()
    x = header.sectionViewportPosition(MenteeTableModel.NEXT_DUE) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == MenteeTableModel.NEXT_DUE
    assert shown_names(tab) in (
        ["Early", "Middle", "Late", "Paused"],
        ["Paused", "Late", "Middle", "Early"],
    )
    if shown_names(tab)[0] == "Paused":
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert shown_names(tab) == ["Early", "Middle", "Late", "Paused"]
    early = tab.list.proxy.index(0, MenteeTableModel.NEXT_DUE)
    assert "stalled" in early.data()  # the text says what the tint shows
    assert early.data(Qt.ItemDataRole.BackgroundRole) is not None
    later = tab.list.proxy.index(1, MenteeTableModel.NEXT_DUE)
    assert later.data(Qt.ItemDataRole.BackgroundRole) is None


def test_delete_names_the_mentee_and_what_goes_with_them(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada Lovelace")
    add(db, "Bob")
    create_goal(db, GoalInput(mentee_id=ada.id, title="Speak at a meetup"))
    tab = mentees_tab(qtbot, window)
    click_row(qtbot, tab, "Ada Lovelace")

    dialogs.answer("Cancel")
    qtbot.mouseClick(tab.list.delete_button, Qt.MouseButton.LeftButton)
    assert get_mentee(db, ada.id).name == "Ada Lovelace"

    dialogs.answer("Delete")
    qtbot.mouseClick(tab.list.delete_button, Qt.MouseButton.LeftButton)
    asked = dialogs.shown[-1]
    assert "Delete Ada Lovelace?" in asked.text
    assert "1 goal" in asked.details
    with pytest.raises(NotFoundError):
        get_mentee(db, ada.id)
    assert window.ctx.selector.current_id is None
    assert tab.mode is Mode.EMPTY
    qtbot.waitUntil(lambda: shown_names(tab) == ["Bob"])


def test_archive_hides_the_mentee_and_reactivate_brings_them_back(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    tab = mentees_tab(qtbot, window)
    click_row(qtbot, tab, "Ada")
    qtbot.mouseClick(tab.list.archive_button, Qt.MouseButton.LeftButton)
    assert get_mentee(db, ada.id).status is MenteeStatus.ARCHIVED
    qtbot.waitUntil(lambda: shown_names(tab) == [])
    assert tab.list.archive_button.text().replace("&", "") == "Reactivate"
    qtbot.mouseClick(tab.list.archive_button, Qt.MouseButton.LeftButton)
    assert get_mentee(db, ada.id).status is MenteeStatus.ACTIVE
    qtbot.waitUntil(lambda: shown_names(tab) == ["Ada"])


def test_the_selected_mentee_is_shared_by_every_tab(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada, bob = add(db, "Ada"), add(db, "Bob")
    tab = mentees_tab(qtbot, window)
    with qtbot.waitSignal(window.ctx.selector.changed) as changed:
        click_row(qtbot, tab, "Bob")
    assert changed.args == [bob.id]
    assert window.picker.currentText() == "Bob"
    sessions = window.page("sessions")
    assert "Bob" in sessions.focus_label.text()  # type: ignore[attr-defined]

    # Choosing in the toolbar moves the Mentees tab along.
    window.picker.setCurrentIndex(window.picker.findData(ada.id))
    window.picker.activated.emit(window.picker.currentIndex())
    assert window.ctx.selector.current_id == ada.id
    assert tab.list.table.selectionModel().selectedRows()[0].data() == "Ada"
    assert tab.form.name.text() == "Ada"
    window.picker.setCurrentIndex(0)
    window.picker.activated.emit(0)
    assert window.ctx.selector.current_id is None
    assert tab.mode is Mode.EMPTY
    assert not tab.list.table.selectionModel().hasSelection()


def test_table_model_is_a_well_behaved_qt_model(
    qtbot: QtBot, qtmodeltester: object, db: Database, window: MainWindow
) -> None:
    add(db, "Ada", started_on=TODAY - timedelta(days=30))
    add(db, "Bob", status=MenteeStatus.PAUSED, level=Level.SENIOR)
    add(db, "李伟", track=Track.MANAGEMENT)
    tab = mentees_tab(qtbot, window)
    assert tab.list.model.rowCount() == 3
    qtmodeltester.check(tab.list.model)  # type: ignore[attr-defined]
    qtmodeltester.check(tab.list.proxy)  # type: ignore[attr-defined]
    assert tab.list.table.selectionBehavior() is QAbstractItemView.SelectionBehavior.SelectRows
