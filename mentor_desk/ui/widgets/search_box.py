"""The global search: a box in the toolbar and a results list that drops down under it.

Typing searches after a short pause (Enter searches at once and opens the best hit). Down moves
into the results, Enter or a click opens one, Escape closes the list. The list is a child of the
main window laid over its content, not a separate popup window: the box keeps the keyboard while
the user types, and the list shows in screenshots of the window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import UserError
from mentor_desk.services.search import SearchHit, search
from mentor_desk.services.types import Database
from mentor_desk.ui.models.search_results import HTML_ROLE, SearchResultsModel
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.rich_text import RichTextDelegate

#: How long typing must pause before the search runs.
DEBOUNCE_MS = 250
RESULT_LIMIT = 50
POPUP_WIDTH = 1100
POPUP_ROWS = 10


class SearchResultsPopup(QFrame):
    """The list of hits, laid over the window's content."""

    chosen = Signal(object)  # SearchHit
    dismissed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        named(self, "Search results")
        self.summary = named(QLabel(), "Search summary")
        self.model = SearchResultsModel(self)
        self.view = named(QTableView(), "Search results list")
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(SearchResultsModel.SNIPPET, RichTextDelegate(HTML_ROLE))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.activated.connect(self._choose)
        self.view.clicked.connect(self._choose)
        self.view.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        self.hide()

    def show_hits(self, query: str, hits: list[SearchHit], note: str = "") -> None:
        self.model.set_rows(hits)
        if note:
            self.summary.setText(note)
        elif hits:
            more = " (the best shown)" if len(hits) >= RESULT_LIMIT else ""
            self.summary.setText(f"{len(hits)} found for “{query}”{more}. Enter opens one.")
        else:
            self.summary.setText(f"Nothing found for “{query}”.")
        self.view.setVisible(bool(hits))
        if hits:
            self.view.selectRow(0)
            widths = (100, 300, 150)
            for column, width in enumerate(widths):
                self.view.setColumnWidth(column, width)
        row_height = self.view.verticalHeader().defaultSectionSize()
        rows = min(max(len(hits), 1), POPUP_ROWS)
        table_height = self.view.horizontalHeader().height() + rows * row_height + 6
        self.resize(self.width(), self.summary.sizeHint().height() + 20 + table_height * bool(hits))
        self.show()
        self.raise_()

    def current_hit(self) -> SearchHit | None:
        index = self.view.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _choose(self) -> None:
        hit = self.current_hit()
        if hit is not None:
            self.chosen.emit(hit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        pressed = watched is self.view and event.type() == QEvent.Type.KeyPress
        if pressed and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                self.dismissed.emit()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose()
                return True
        return super().eventFilter(watched, event)


class GlobalSearchBox(QLineEdit):
    """The search box of the toolbar; ``host`` is the window the results drop down over.

    Signals:
        result_chosen(str, int, int): the kind, item id and mentee id of the hit to open.
    """

    result_chosen = Signal(str, int, int)

    def __init__(self, db: Database, host: QWidget) -> None:
        super().__init__()
        self._db = db
        self._host = host
        self._searched = ""
        self.setPlaceholderText("Search everything (Ctrl+F)")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(260)
        self.setMaximumWidth(480)
        named(self, "Search", "Search mentees, session notes, feedback, goals and evidence")
        self.popup = SearchResultsPopup(host)
        self.popup.chosen.connect(self._open)
        self.popup.dismissed.connect(self._dismiss)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self.textEdited.connect(self._typed)
        self.returnPressed.connect(self._enter)
        host.installEventFilter(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    # --- searching --------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        if text.strip():
            self._timer.start()
        else:
            self._timer.stop()
            self.popup.hide()

    def run_search(self) -> list[SearchHit]:
        """Search for the box's text now and show the hits."""
        self._timer.stop()
        query = self.text().strip()
        self._searched = query
        if not query:
            self.popup.hide()
            return []
        try:
            hits = search(self._db, query, limit=RESULT_LIMIT)
        except UserError as exc:
            self._place_popup()
            self.popup.show_hits(query, [], note=str(exc))
            return []
        self._place_popup()
        self.popup.show_hits(query, hits)
        return hits

    def _enter(self) -> None:
        if self._timer.isActive() or self._searched != self.text().strip():
            self.run_search()
        if self.popup.isVisible():
            self.popup._choose()

    def _open(self, hit: SearchHit) -> None:
        self.popup.hide()
        self.result_chosen.emit(hit.kind, hit.item_id, hit.mentee_id)

    def _dismiss(self) -> None:
        self.popup.hide()
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- keyboard and placement -------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and self.text().strip():
            # Down goes into the results, searching first if the pause has not come yet.
            if self._timer.isActive() or not self.popup.isVisible():
                self.run_search()
            if self.popup.model.rowCount():
                self.popup.view.setFocus(Qt.FocusReason.TabFocusReason)
                if not self.popup.view.currentIndex().isValid():
                    self.popup.view.selectRow(0)
            return
        if event.key() == Qt.Key.Key_Escape and self.popup.isVisible():
            self.popup.hide()
            return
        super().keyPressEvent(event)

    def _place_popup(self) -> None:
        """Under the box, right edges aligned, inside the window."""
        host = self._host
        width = min(POPUP_WIDTH, host.width() - 16)
        below = self.mapTo(host, QPoint(self.width(), self.height()))
        x = max(8, min(below.x() - width, host.width() - width - 8))
        self.popup.setGeometry(x, below.y() + 2, width, self.popup.height() or 200)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize and self.popup.isVisible():
            self._place_popup()
        return super().eventFilter(watched, event)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not self.popup.isVisible() or new is None:
            return
        if new is self or self.popup.isAncestorOf(new):
            return
        self.popup.hide()
