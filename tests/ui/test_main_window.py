"""The main window: Overview, search, menus, remembered state, accessibility, the demo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot
from ui_helpers import DialogAnswerer, add, close_window, mentees_tab, open_window, shown_names

from mentor_desk import __version__
from mentor_desk.paths import DataPaths, config_dir
from mentor_desk.services.goals import GoalInput, create_goal
from mentor_desk.services.mentees import list_mentees
from mentor_desk.services.types import Cadence, Database
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.tabs.goals import GoalsTab
from mentor_desk.ui.tabs.mentees import MenteesTab
from mentor_desk.ui.tabs.overview import OverviewTab

pytestmark = pytest.mark.gui


def test_overview_lists_an_overdue_mentee_and_a_click_opens_them(
    qtbot: QtBot, db: Database, paths: DataPaths, dialogs: DialogAnswerer
) -> None:
    long_ago = date.today() - timedelta(days=60)
    late = add(db, "Kwame Mensah", started_on=long_ago, cadence=Cadence.WEEKLY)
    add(db, "Ada", started_on=date.today(), cadence=Cadence.MONTHLY)
    window = open_window(qtbot, db, paths)  # not empty: no welcome panel
    assert window.stack.currentWidget() is window.tabs
    overview = window.page("overview")
    assert isinstance(overview, OverviewTab)
    assert window.current_page() is overview

    sections = [
        overview.tree.topLevelItem(i).text(0) for i in range(overview.tree.topLevelItemCount())
    ]
    assert "Sessions due or overdue (1)" in sections
    assert "Stalled mentorships (1)" in sections
    line = next(item for item in overview.lines() if item.text(0) == "Session overdue")
    assert line.text(1) == "Kwame Mensah"
    assert "53 days overdue" in line.text(2)

    rect = overview.tree.visualItemRect(line)
    qtbot.mouseClick(overview.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    tab = window.page("mentees")
    assert isinstance(tab, MenteesTab)
    assert window.current_page() is tab
    assert window.ctx.selector.current_id == late.id
    qtbot.waitUntil(lambda: bool(tab.list.table.selectionModel().selectedRows()))
    assert tab.list.table.selectionModel().selectedRows()[0].data() == "Kwame Mensah"
    assert tab.form.name.text() == "Kwame Mensah"
    close_window(window)


def test_overview_follows_edits_made_elsewhere(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    overview = window.page("overview")
    assert isinstance(overview, OverviewTab)
    assert overview.lines() == []
    assert "Nothing needs you" in overview.summary.text()
    tab = mentees_tab(qtbot, window)
    qtbot.mouseClick(tab.list.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(tab.form.name, "Ada")
    qtbot.mouseClick(tab.form.start_known, Qt.MouseButton.LeftButton)
    tab.form.started_on.setDate(date.today() - timedelta(days=40))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(overview.lines()) == 2)  # overdue, and stalled
    assert {item.text(1) for item in overview.lines()} == {"Ada"}
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("1 mentee "))


def test_ctrl_f_searches_and_opens_a_mentee(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    ada = add(db, "Ada Lovelace", role="Analytical engines")
    add(db, "Bob Builder")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    box = window.search_box
    assert QApplication.focusWidget() is box
    qtbot.keyClicks(box, "lovelace")
    popup = box.popup
    qtbot.waitUntil(popup.isVisible)
    assert popup.model.rowCount() == 1
    hit = popup.model.row_at(0)
    assert (hit.kind, hit.mentee_name) == ("mentee", "Ada Lovelace")
    assert popup.model.index(0, 0).data() == "Mentee"
    assert "Lovelace" in popup.model.index(0, 1).data()

    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert not popup.isVisible()
    tab = window.page("mentees")
    assert window.current_page() is tab
    assert window.ctx.selector.current_id == ada.id
    assert isinstance(tab, MenteesTab)
    qtbot.waitUntil(lambda: shown_names(tab) == ["Ada Lovelace", "Bob Builder"])
    assert tab.list.table.selectionModel().selectedRows()[0].data() == "Ada Lovelace"


def test_search_shows_snippets_and_says_when_nothing_is_found(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    add(db, "Zoë Müller", notes="Wants to lead the <b>&amp; platform guild")
    box = window.search_box
    box.setFocus()
    qtbot.keyClicks(box, "guild")
    qtbot.keyClick(box, Qt.Key.Key_Down)  # into the results...
    qtbot.waitUntil(lambda: box.popup.view.hasFocus())
    snippet = box.popup.model.index(0, box.popup.model.SNIPPET)
    assert "platform guild" in snippet.data()
    assert "<b>guild</b>" in snippet.data(Qt.ItemDataRole.UserRole + 2)
    assert "&lt;b&gt;&amp;amp;" in snippet.data(Qt.ItemDataRole.UserRole + 2)  # escaped
    qtbot.keyClick(box.popup.view, Qt.Key.Key_Escape)  # ...and out again
    assert not box.popup.isVisible()
    assert box.hasFocus()

    box.clear()
    qtbot.keyClicks(box, "xylophone")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.popup.isVisible()
    assert box.popup.summary.text() == "Nothing found for “xylophone”."
    assert window.current_page() is window.page("overview")


def test_settings_remember_the_last_tab_and_column_widths(
    qtbot: QtBot, db: Database, paths: DataPaths, dialogs: DialogAnswerer
) -> None:
    add(db, "Ada")
    first = open_window(qtbot, db, paths)
    tab = mentees_tab(qtbot, first)
    tab.list.table.setColumnWidth(0, 333)
    qtbot.keyClick(first, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert first.current_page() is first.page("goals")
    close_window(first)

    # conftest points XDG_CONFIG_HOME at a temp dir; the settings file must follow it.
    stored = config_dir() / "window.ini"
    assert stored.is_file()
    assert QSettings(str(stored), QSettings.Format.IniFormat).value("window/last_tab") == "goals"
    second = open_window(qtbot, db, paths)
    assert second.current_page() is second.page("goals")
    again = second.page("mentees")
    assert isinstance(again, MenteesTab)
    assert again.list.table.columnWidth(0) == 333
    close_window(second)


def test_menus_act_on_the_current_tab(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    overview_new = window.new_action.isEnabled()
    tab = mentees_tab(qtbot, window)
    assert not overview_new
    assert window.new_action.text() == "&New mentee"
    assert not window.save_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(tab, MenteesTab)
    assert tab.form.name.hasFocus()
    qtbot.keyClicks(tab.form.name, "Grace Hopper")
    assert window.save_action.isEnabled()
    window.revert_action.trigger()
    assert tab.form.name.text() == ""

    dialogs.answer("Close")
    window.about_action.trigger()  # F1 opens the user guide (tests/ui/test_guide_dialog.py)
    about = dialogs.shown[-1]
    assert __version__ in about.text
    assert str(window.ctx.paths.root) in about.details

    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.page("evidence")
    assert not window.new_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def _inside_qt_part(widget: QWidget) -> bool:
    """Whether ``widget`` is a piece Qt builds inside a control.

    A combo's popup list, a line edit's clear button, a spin box's own line edit...
    """
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractSpinBox | QComboBox | QTabBar | QLineEdit):
            return True
        parent = parent.parentWidget()
    return widget.objectName().startswith("qt_")


def _controls(root: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit)
    return [
        widget
        for widget in root.findChildren(QWidget)
        if isinstance(widget, (*kinds, QAbstractSpinBox))
        and not isinstance(widget, QHeaderView)
        and not _inside_qt_part(widget)
    ]


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, db: Database, paths: DataPaths, dialogs: DialogAnswerer
) -> None:
    window = open_window(qtbot, db, paths)  # empty program: the welcome panel too
    for key in window.pages:
        window.show_tab(key)
    controls = _controls(window)
    assert len(controls) > 30
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r} {getattr(w, 'text', lambda: '')()!r}"
        for w in controls
        if not w.accessibleName()
    ]
    assert unnamed == []
    close_window(window)


def test_load_the_demo_program_from_the_welcome_panel(
    qtbot: QtBot, db: Database, paths: DataPaths, dialogs: DialogAnswerer
) -> None:
    window = open_window(qtbot, db, paths)
    assert window.stack.currentWidget() is window.welcome
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert not window.welcome.demo_button.isEnabled()  # busy: the work runs off the GUI thread
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.tabs, timeout=20_000)
    assert len(list_mentees(db, status="all")) == 12
    overview = window.page("overview")
    assert isinstance(overview, OverviewTab)
    qtbot.waitUntil(lambda: len(overview.lines()) > 5)
    qtbot.waitUntil(lambda: window.counts_label.text().startswith("12 mentees"))
    assert window.picker.count() == 13  # All mentees + 12
    close_window(window)


def test_a_hit_of_another_kind_opens_its_tab_with_the_mentee_selected(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    create_goal(db, GoalInput(mentee_id=ada.id, title="Speak at a meetup"))
    box = window.search_box
    box.setFocus()
    qtbot.keyClicks(box, "meetup")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.current_page() is window.page("goals")
    assert window.ctx.selector.current_id == ada.id
    goals = window.page("goals")
    assert isinstance(goals, GoalsTab)
    assert goals.goal is not None
    assert goals.goal.title == "Speak at a meetup"


def test_tab_moves_through_the_mentees_tab_in_reading_order(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    add(db, "Ada")
    tab = mentees_tab(qtbot, window)
    assert isinstance(tab, MenteesTab)
    tab.ctx.selector.choose(tab.list.model.row_at(0).id)
    expected = [
        tab.list.filter_text,
        tab.list.filter_status,
        tab.list.filter_program,
        tab.list.table,
        tab.list.add_button,
        tab.list.archive_button,
        tab.list.delete_button,
        tab.form.name,
        tab.form.pronouns,
        tab.form.role,
        tab.form.team,
        tab.form.level,
    ]
    tab.list.filter_text.setFocus()
    visited = [QApplication.focusWidget()]
    for _ in expected[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited == expected
