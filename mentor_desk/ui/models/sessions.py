"""The session list: a table model over :class:`SessionRow` that loads a page at a time.

A mentor may hold tens of thousands of sessions. The model never reads their notes (a
:class:`SessionRow` has none) and asks the service for one page of rows at first; the view asks
for the next page (:meth:`canFetchMore`/:meth:`fetchMore`) when the user scrolls to the bottom.

Sorting is the model's own work, over every matching session rather than the pages loaded so
far. The service lists newest first, so that order (When, descending: the default) keeps paging
lazily. Any other order first loads the remaining rows (light DTOs, in chunks) and then sorts
them in Python by the column's sort key, ties kept newest first. That is about 2 s for 100,000
sessions and instant for a few thousand; doing it in SQL would need the service to sort by the
same folded keys the list shows. The proxy on top hands :meth:`sort` down and keeps the model's
order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication

from mentor_desk.services.mentees import fold
from mentor_desk.services.sessions import SessionRow
from mentor_desk.services.types import Visibility
from mentor_desk.ui.models.table import Column, ModelSortProxy, RowTableModel

#: Rows fetched at a time: a few screens' worth.
PAGE_SIZE = 50
#: Rows fetched at a time when every row is needed (to sort): well under SQLite's limit of bound
#: variables, which the service's per-page action counts use one of per row.
CHUNK_SIZE = 2000

#: Loads ``limit`` rows from ``offset`` on, newest first.
PageLoader = Callable[[int, int], list[SessionRow]]

_VISIBILITIES = list(Visibility)
#: Short words for the list; the tooltip gives the whole label.
VISIBILITY_SHORT = {
    Visibility.PRIVATE: "Private",
    Visibility.SHARED_WITH_MENTEE: "Mentee",
    Visibility.LEADERSHIP: "Leadership",
}


def when_text(moment: datetime) -> str:
    """A session's start in local time, as the list shows it."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def headline(row: SessionRow) -> str:
    """The title, or else the first line of the summary, on one line."""
    text = row.title or row.summary
    return " ".join(text.split())


def headline_tooltip(row: SessionRow) -> str:
    parts = [row.title, row.summary]
    return "\n\n".join(part for part in parts if part)


def open_actions_text(row: SessionRow) -> str:
    return str(row.actions_open) if row.actions_total else ""


def open_actions_tooltip(row: SessionRow) -> str:
    if not row.actions_total:
        return "No action items agreed in this session."
    return f"{row.actions_open} open of {row.actions_total} action items agreed in this session."


SESSION_COLUMNS: tuple[Column[SessionRow], ...] = (
    Column(
        "When",
        lambda r: when_text(r.started_at),
        lambda r: r.started_at.timestamp(),
        tooltip=lambda r: f"{when_text(r.started_at)}, {r.duration_minutes} min",
    ),
    Column("Mentee", lambda r: r.mentee_name, lambda r: fold(r.mentee_name)),
    Column(
        "Type",
        lambda r: r.session_type_name or "",
        lambda r: fold(r.session_type_name or ""),
        tooltip=lambda r: r.session_type_name or "",
    ),
    Column("Title", headline, lambda r: fold(headline(r)), tooltip=headline_tooltip),
    Column(
        "Visible to",
        lambda r: VISIBILITY_SHORT[r.visibility],
        lambda r: _VISIBILITIES.index(r.visibility),
        tooltip=lambda r: r.visibility.label,
    ),
    Column(
        "Open",
        open_actions_text,
        lambda r: r.actions_open * 10_000 + r.actions_total,
        numeric=True,
        tooltip=open_actions_tooltip,
    ),
)


class SessionTableModel(RowTableModel[SessionRow]):
    """Sessions, a page at a time. Use the column constants, never bare numbers."""

    WHEN, MENTEE, TYPE, HEADLINE, VISIBILITY, OPEN_ACTIONS = range(6)
    #: The service's own order, which paging keeps.
    SERVICE_ORDER = (WHEN, Qt.SortOrder.DescendingOrder)

    def __init__(self, parent: Any = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(SESSION_COLUMNS, parent)
        self.page_size = page_size
        self._loader: PageLoader | None = None
        self._total = 0
        self._order = self.SERVICE_ORDER

    @property
    def total(self) -> int:
        """How many sessions match, loaded or not."""
        return self._total

    @property
    def paged(self) -> bool:
        """Whether the rows are shown in the service's order, so that pages load lazily."""
        return self._order == self.SERVICE_ORDER

    def load(self, loader: PageLoader, total: int, *, at_least: int = 0) -> None:
        """Start over from the first page (or more, to keep ``at_least`` rows on screen)."""
        self._loader = loader
        self._total = total
        wanted = max(self.page_size, at_least)
        rows = loader(wanted, 0) if total else []
        if not self.paged:
            rows += self._rest(len(rows))
        self.set_rows(rows)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if parent.isValid() or self._loader is None:
            return False
        return self.rowCount() < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        if not self.canFetchMore(parent) or self._loader is None:
            return
        start = self.rowCount()
        page = self._loader(self.page_size, start)
        if not page:
            self._total = start  # fewer than counted: deleted meanwhile; stop asking
            return
        self.append_rows(page)

    def _rest(self, start: int) -> list[SessionRow]:
        """Every matching row from ``start`` on, a chunk at a time."""
        rows: list[SessionRow] = []
        if self._loader is None or start >= self._total:
            return rows
        busy = self._total - start > CHUNK_SIZE
        if busy:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            while start + len(rows) < self._total:
                chunk = self._loader(CHUNK_SIZE, start + len(rows))
                if not chunk:
                    self._total = start + len(rows)  # deleted meanwhile
                    break
                rows += chunk
        finally:
            if busy:
                QGuiApplication.restoreOverrideCursor()
        return rows

    def append_rows(self, rows: list[SessionRow]) -> None:
        """Add rows after the loaded ones (a row already loaded is skipped)."""
        fresh = [row for row in rows if self.row_of_id(row.id) is None]
        if not fresh:
            return
        start = self.rowCount()
        self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
        self._rows.extend(fresh)
        self._given.extend(fresh)
        self._by_id.update({row.id: start + number for number, row in enumerate(fresh)})
        self.endInsertRows()

    # --- sorting ----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort every matching session by ``column`` (loading the rest first, unless paged)."""
        if not 0 <= column < len(self.columns):
            return
        self._order = (column, order)
        if not self.paged:
            self.append_rows(self._rest(self.rowCount()))
        super().sort(column, order)

    def _sorted(self, rows: list[SessionRow]) -> list[SessionRow]:
        """``rows`` in the current order; ties stay newest first, as the service lists them."""
        newest = sorted(rows, key=lambda row: (row.started_at, row.id), reverse=True)
        if self.paged or self._order is None:
            return newest
        column, order = self._order
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted(newest, key=self.columns[column].key, reverse=descending)


class SessionSortProxy(ModelSortProxy):
    """Keeps the model's order: :meth:`sort` is handed to the model, which sorts every session
    rather than the loaded page. Filtering is the service's work."""
