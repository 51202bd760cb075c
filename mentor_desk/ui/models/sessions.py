"""The session list: a table model over :class:`SessionRow` that loads a page at a time.

A mentor may hold tens of thousands of sessions. The model never reads their notes (a
:class:`SessionRow` has none) and asks the service for one page of rows at first; the view asks
for the next page (:meth:`canFetchMore`/:meth:`fetchMore`) when the user scrolls to the bottom.
The proxy on top sorts the rows loaded so far; the service already gives them newest first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from mentor_desk.services.mentees import fold
from mentor_desk.services.sessions import SessionRow
from mentor_desk.services.types import Visibility
from mentor_desk.ui.models.table import SORT_ROLE, Column, RowTableModel

#: Rows fetched at a time: a few screens' worth.
PAGE_SIZE = 50

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
    Column("Title / summary", headline, lambda r: fold(headline(r)), tooltip=headline_tooltip),
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

    def __init__(self, parent: Any = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(SESSION_COLUMNS, parent)
        self.page_size = page_size
        self._loader: PageLoader | None = None
        self._total = 0

    @property
    def total(self) -> int:
        """How many sessions match, loaded or not."""
        return self._total

    def load(self, loader: PageLoader, total: int, *, at_least: int = 0) -> None:
        """Start over from the first page (or more, to keep ``at_least`` rows on screen)."""
        self._loader = loader
        self._total = total
        wanted = max(self.page_size, at_least)
        self.set_rows(loader(wanted, 0) if total else [])

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

    def append_rows(self, rows: list[SessionRow]) -> None:
        """Add rows after the loaded ones (a row already loaded is skipped)."""
        fresh = [row for row in rows if self.row_of_id(row.id) is None]
        if not fresh:
            return
        start = self.rowCount()
        self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
        self._rows.extend(fresh)
        self._by_id.update({row.id: start + number for number, row in enumerate(fresh)})
        self.endInsertRows()


class SessionSortProxy(QSortFilterProxyModel):
    """Sorts the loaded rows on :data:`SORT_ROLE`; filtering is the service's work."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
