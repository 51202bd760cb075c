"""The right half of the Sessions tab: the session's heading, the editor (or a hint), Save/Revert.

Only layout lives here; the tab connects the buttons and decides what the editor shows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.services.types import Database
from mentor_desk.ui.style import centre, heading, named
from mentor_desk.ui.widgets.session_editor import SessionEditor


class SessionDetailPanel(QWidget):
    """The heading, a page for "no session" and the scrolling editor, and the save buttons."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = SessionEditor(db)
        self.title = heading("")
        empty = QWidget()
        hint = named(QLabel("Select a session in the list, or start a new one."), "No session")
        hint.setWordWrap(True)
        self.start_button = named(QPushButton("Start a new session…"), "Start a new session")
        hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column = QVBoxLayout()
        column.addWidget(hint)
        column.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignHCenter)
        centre(column, empty, width=320)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Tab goes from the list straight to the first field; the area scrolls to follow focus.
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setWidget(self.editor)
        self.stack = QStackedWidget()
        self.stack.addWidget(empty)
        self.stack.addWidget(self.scroll)
        self.save_button = named(QPushButton("&Save"), "Save session")
        self.save_button.setToolTip("Save the session (Ctrl+S)")
        self.revert_button = named(QPushButton("Re&vert"), "Revert changes")
        self.revert_button.setToolTip("Put back what was last saved")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

    def scroll_to_top(self) -> None:
        self.scroll.verticalScrollBar().setValue(0)

    def show_editor(self, shown: bool) -> None:
        self.stack.setCurrentWidget(self.scroll if shown else self.stack.widget(0))
