"""A table model over a list of frozen dataclasses, described by its columns.

Every list view in the window (mentees now; sessions, goals and evidence later) is a
:class:`RowTableModel` with a tuple of :class:`Column` and a :class:`QSortFilterProxyModel` on
top. The proxy sorts on :data:`SORT_ROLE`, where each column puts a key of one plain type (a
folded string, an int, a float), so dates and numbers sort as dates and numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

#: Where each column keeps its sort key.
SORT_ROLE = Qt.ItemDataRole.UserRole
#: The id of the row's record (the same for every column of a row).
ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: A sort key that puts missing dates after every real one.
NO_DATE_LAST = 10**9


R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Column(Generic[R]):
    """One column: its header, what it shows and how it sorts.

    ``key`` must give the same plain type for every row (never None), or sorting breaks.
    """

    title: str
    text: Callable[[R], str]
    key: Callable[[R], str | int | float]
    numeric: bool = False
    tooltip: Callable[[R], str] | None = None


class RowTableModel(QAbstractTableModel, Generic[R]):
    """Read-only rows of dataclasses; :meth:`set_rows` replaces them all."""

    def __init__(
        self,
        columns: Sequence[Column[R]],
        parent: Any = None,
        *,
        id_of: Callable[[R], int] = attrgetter("id"),
    ) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._id_of = id_of
        self._rows: list[R] = []
        self._by_id: dict[int, int] = {}

    # --- the data ---------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._by_id = {self._id_of(row): number for number, row in enumerate(self._rows)}
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def row_of_id(self, record_id: int) -> int | None:
        return self._by_id.get(record_id)

    def background(self, row: R) -> QColor | None:
        """A status tint behind the whole row, or None; subclasses decide."""
        return None

    # --- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == SORT_ROLE:
            return column.key(row)
        if role == ID_ROLE:
            return self._id_of(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(row) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[section].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def date_key(value: Any) -> int:
    """A date's sort key; None sorts after every date."""
    return NO_DATE_LAST if value is None else int(value.toordinal())
