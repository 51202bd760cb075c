"""Helpers shared by the window tests (imported as ``ui_helpers``; tests/ui is on sys.path)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from mentor_desk.app import create_main_window
from mentor_desk.paths import DataPaths
from mentor_desk.services.mentees import Mentee, MenteeInput, create_mentee, list_mentees
from mentor_desk.services.types import Database
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.models.mentees import MenteeTableModel
from mentor_desk.ui.tabs.mentees import MenteesTab


@dataclass
class Shown:
    """One message box as the user saw it, and the button clicked."""

    title: str
    text: str
    details: str
    clicked: str

    @property
    def everything(self) -> str:
        return f"{self.title}\n{self.text}\n{self.details}"


@dataclass
class DialogAnswerer:
    """Queue answers with :meth:`answer`; read what was shown in :attr:`shown`."""

    answers: list[str] = field(default_factory=list)
    shown: list[Shown] = field(default_factory=list)
    unexpected: list[Shown] = field(default_factory=list)

    def answer(self, *buttons: str) -> None:
        """Click these buttons (by label, without the & of a shortcut) in the next boxes."""
        self.answers.extend(buttons)

    def poll(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            return
        labels = {b.text().replace("&", ""): b for b in box.buttons()}
        seen = Shown(box.windowTitle(), box.text(), box.informativeText(), "")
        if self.answers and self.answers[0] in labels:
            seen.clicked = self.answers.pop(0)
            self.shown.append(seen)
            button = labels[seen.clicked]
        else:
            seen.clicked = "(cancelled: not expected)"
            self.unexpected.append(seen)
            button = box.escapeButton() or box.buttons()[-1]
        owner = box.parentWidget().window() if box.parentWidget() else None
        button.click()
        # A desktop's window manager hands activation back to the window under the dialog;
        # offscreen nobody does, and the window's shortcuts would stop working.
        if owner is not None:
            owner.activateWindow()


def open_window(qtbot: QtBot, db: Database, paths: DataPaths, **options: bool) -> MainWindow:
    window = create_main_window(db, paths, **options)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    # Offscreen, a window is active (and its shortcuts work) only once asked to be.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def close_window(window: MainWindow) -> None:
    """Close as the user would; a test that leaves unsaved edits fails here."""
    window.close()
    assert not window.isVisible(), "the window refused to close (unsaved edits?)"


def add(db: Database, name: str, **fields: object) -> Mentee:
    """A mentee made through the service, as if added earlier."""
    return create_mentee(db, MenteeInput(name=name, **fields))  # type: ignore[arg-type]


def mentees_tab(qtbot: QtBot, window: MainWindow) -> MenteesTab:
    """Switch to the Mentees tab with its shortcut and wait until it lists everyone.

    F5 (View > Refresh) first, as the mentees were added through the services behind its back.
    """
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    tab = window.page("mentees")
    assert isinstance(tab, MenteesTab)
    assert window.current_page() is tab
    expected = len(list_mentees(window.ctx.db, status="all"))
    qtbot.waitUntil(lambda: tab.list.model.rowCount() == expected)
    return tab


def shown_names(tab: MenteesTab) -> list[str]:
    """The names in the table, top to bottom, as the user sees them."""
    column = MenteeTableModel.NAME
    return [tab.list.proxy.index(r, column).data() for r in range(tab.list.proxy.rowCount())]


def click_row(qtbot: QtBot, tab: MenteesTab, name: str) -> None:
    row = shown_names(tab).index(name)
    rect = tab.list.table.visualRect(tab.list.proxy.index(row, MenteeTableModel.NAME))
    qtbot.mouseClick(tab.list.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def retype(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Select everything in a text field and type over it (ASCII only)."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(widget, text)
