"""The left half of the Sessions tab: whose sessions, a search box, the paged list and its buttons.

It shows; the tab decides. A row the user selects is reported with :attr:`SessionListPanel.chosen`
and the tab answers by loading it (or, with unsaved edits kept, by putting the selection back).
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import NotFoundError
from mentor_desk.services.mentees import get_mentee
from mentor_desk.services.sessions import count_sessions, list_sessions
from mentor_desk.services.types import Database
from mentor_desk.ui.models.sessions import SessionSortProxy, SessionTableModel
from mentor_desk.ui.style import heading, named
from mentor_desk.ui.widgets.tables import list_table, select_id, selected_id

#: How long the search waits for typing to pause.
SEARCH_DELAY_MS = 250
#: Starting widths; the title / summary column takes what is left.
COLUMN_WIDTHS = {
    SessionTableModel.WHEN: 116,
    SessionTableModel.MENTEE: 110,
    SessionTableModel.TYPE: 100,
    SessionTableModel.VISIBILITY: 74,
    SessionTableModel.OPEN_ACTIONS: 46,
}


class SessionListPanel(QWidget):
    """Signals:
    chosen(int): the user selected the session with this id.
    search_changed(): the search words changed (after a pause in typing).
    """

    chosen = Signal(int)
    search_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._syncing = False
        self._key: tuple[object, ...] = ()
        self.model = SessionTableModel(self)
        self.proxy = SessionSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.focus_label = heading("", scale=1.15)
        self.search = named(QLineEdit(), "Search sessions", "Words in the title, summary or notes")
        self.search.setPlaceholderText("Search title, summary and notes")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_changed)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.table = list_table("Sessions", "Newest first; select one to edit it")
        self._build_table()
        self.new_button = named(QPushButton("&New session…"), "New session")
        self.new_button.setToolTip("Start a session from a template (Ctrl+N)")
        self.delete_button = named(QPushButton("&Delete…"), "Delete session")
        self.templates_button = named(QPushButton("&Templates…"), "Session types and templates")
        self.templates_button.setToolTip("Edit the session types and the templates of the notes")
        self.count_label = named(QLabel(), "How many sessions are shown")
        buttons = QHBoxLayout()
        for button in (self.new_button, self.delete_button, self.templates_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.focus_label)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.model.rowsInserted.connect(self._update_count)

    def _build_table(self) -> None:
        table = self.table
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(SessionTableModel.WHEN, Qt.SortOrder.DescendingOrder)
        header = table.horizontalHeader()
        header.setSectionResizeMode(SessionTableModel.HEADLINE, QHeaderView.ResizeMode.Stretch)
        for column, width in COLUMN_WIDTHS.items():
            table.setColumnWidth(column, width)
        table.selectionModel().selectionChanged.connect(self._selection_changed)

    def reload(self, db: Database, mentee_id: int | None, selected: int | None) -> None:
        """List ``mentee_id``'s sessions (None: everyone's) and select ``selected``.

        As many rows as were loaded stay loaded (a save must not scroll the list back to the top)
        unless the mentee or the search changed.
        """
        text = self.search.text().strip() or None
        key = (mentee_id, text)
        keep = self.model.rowCount() if key == self._key else 0
        self._key = key
        self._syncing = True
        try:
            self.model.load(
                lambda limit, offset: list_sessions(
                    db, mentee_id=mentee_id, text=text, limit=limit, offset=offset
                ),
                count_sessions(db, mentee_id, text=text),
                at_least=keep,
            )
        finally:
            self._syncing = False
        self.table.setColumnHidden(SessionTableModel.MENTEE, mentee_id is not None)
        self.show_row(selected)
        self._update_count()

    def show_focus(self, db: Database, mentee_id: int | None) -> None:
        """Say whose sessions are listed."""
        name = None
        if mentee_id is not None:
            with contextlib.suppress(NotFoundError):  # deleted meanwhile: all mentees
                name = get_mentee(db, mentee_id).name
        self.focus_label.setText(f"Sessions with {name}" if name else "Sessions of all mentees")

    def _update_count(self) -> None:
        loaded, total = self.model.rowCount(), self.model.total
        noun = "session" if total == 1 else "sessions"
        self.count_label.setText(f"{total} {noun}" if loaded >= total else f"{loaded} of {total}")
        self.count_label.setToolTip(
            "" if loaded >= total else "Scroll down to load more; the search looks at them all."
        )

    def show_row(self, session_id: int | None) -> None:
        """Select ``session_id``'s row if it is loaded (else nothing), without reporting it."""
        self._syncing = True
        try:
            select_id(self.table, self.model, session_id)
        finally:
            self._syncing = False

    def _selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        if self._syncing:
            return
        chosen = selected_id(self.table)
        if chosen is not None:
            self.chosen.emit(chosen)
