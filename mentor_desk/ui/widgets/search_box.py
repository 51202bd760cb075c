"""The global search: a box in the toolbar and a results list that drops down under it.

Typing searches after a short pause, on a worker thread: a search over a large program can take
longer than a keystroke (a common word matches tens of thousands of notes), and typing must never
wait for it. Results that arrive after the text has changed are dropped. Enter and Down want the
results now, so they search at once when the list does not show the current text's hits (and
Enter then opens the best one). Down moves into the results, Enter or a click opens one, Escape
closes the list. The list is a child of the main window laid over its content, not a separate
popup window: the box keeps the keyboard while the user types, and the list shows in screenshots
of the window.
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
from mentor_desk.ui.dialogs.prompts import show_failure
from mentor_desk.ui.models.search_results import HTML_ROLE, SearchResultsModel
from mentor_desk.ui.style import named
from mentor_desk.ui.tasks import Task, run_in_background
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
        self._searched = ""  # the query whose hits (or note) the popup shows
        # Bumped by every search and by clearing the box: a background search whose number is
        # no longer current reports stale results, which are dropped.
        self._generation = 0
        self.task: Task | None = None
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
        self._timer.timeout.connect(self._search_in_background)
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
            self._generation += 1
            self._searched = ""
            self.popup.hide()

    def _is_current(self) -> bool:
        """Whether the popup shows the results for the box's text, with no search pending."""
        return not self._timer.isActive() and self._searched == self.text().strip()

    def run_search(self) -> list[SearchHit]:
        """Search for the box's text now, on this thread, and show the hits."""
        self._timer.stop()
        self._generation += 1
        query = self.text().strip()
        hits, note = _search(self._db, query)
        self._show(query, hits, note)
        return hits

    def _search_in_background(self) -> None:
        """Search for the box's text on a worker thread; the hits are shown when they come."""
        self._generation += 1
        generation, query, db = self._generation, self.text().strip(), self._db
        if not query:
            self._show(query, [], "")
            return
        self.task = run_in_background(lambda: (generation, query, *_search(db, query)))
        # Bound methods, not lambdas: Qt disconnects them if the box is gone before the results.
        self.task.finished.connect(self._found)
        self.task.failed.connect(self._search_failed)

    def _found(self, outcome: tuple[int, str, list[SearchHit], str]) -> None:
        generation, query, hits, note = outcome
        if generation == self._generation and query == self.text().strip():
            self._show(query, hits, note)

    def _search_failed(self, error: BaseException) -> None:
        show_failure(self.window(), error, "Could not search")

    def _show(self, query: str, hits: list[SearchHit], note: str) -> None:
        self._searched = query
        if not query:
            self.popup.hide()
            return
        self._place_popup()
        self.popup.show_hits(query, hits, note=note)

    def _enter(self) -> None:
        if not self._is_current():
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
            if not self._is_current() or not self.popup.isVisible():
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


def _search(db: Database, query: str) -> tuple[list[SearchHit], str]:
    """The hits for ``query`` and a note for the popup (what was wrong with it, if anything)."""
    if not query:
        return [], ""
    try:
        return search(db, query, limit=RESULT_LIMIT), ""
    except UserError as exc:
        return [], str(exc)
