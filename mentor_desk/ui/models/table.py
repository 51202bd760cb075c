"""A table model over a list of frozen dataclasses, described by its columns.

Every list view in the window (mentees now; sessions, goals and evidence later) is a
:class:`RowTableModel` with a tuple of :class:`Column` and a :class:`QSortFilterProxyModel` on
top. Each column has a sort key of one plain type (a folded string, an int, a float), so dates
and numbers sort as dates and numbers; the key is also given in :data:`SORT_ROLE`.

The model sorts itself (:meth:`RowTableModel.sort`: one key per row, computed in Python once)
and the proxy on top (:class:`ModelSortProxy`) only filters. A proxy sorting on :data:`SORT_ROLE`
would call :meth:`~RowTableModel.data` from C++ twice per comparison, which is most of a second
for a few thousand rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

#: Where each column keeps its sort key.
SORT_ROLE = Qt.ItemDataRole.UserRole
#: The id of the row's record (the same for every column of a row).
ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: A sort key that puts missing dates after every real one.
NO_DATE_LAST = 10**9


# The roles as plain ints, for RowTableModel.data (called thousands of times from C++).
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_SORT = int(SORT_ROLE)
_ID = int(ID_ROLE)
_ANSWERED = frozenset({_DISPLAY, _ACCESSIBLE, _TOOLTIP, _ALIGNMENT, _BACKGROUND, _SORT, _ID})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

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
    """Read-only rows of dataclasses; :meth:`set_rows` replaces them all, in the order chosen
    with :meth:`sort` (ties, and every row before any sort, in the order given)."""

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
        self._given: list[R] = []  # the rows in the order given: ties keep it
        self._by_id: dict[int, int] = {}
        self._order: tuple[int, Qt.SortOrder] | None = None  # None: as given

    # --- the data ---------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._given = list(rows)
        self._rows = self._sorted(self._given)
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._by_id = {self._id_of(row): number for number, row in enumerate(self._rows)}

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def row_of_id(self, record_id: int) -> int | None:
        return self._by_id.get(record_id)

    def background(self, row: R) -> QColor | None:
        """A status tint behind the whole row, or None; subclasses decide."""
        return None

    # --- sorting ----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column``'s sort key (a column out of range: as given)."""
        self._order = (column, order) if 0 <= column < len(self.columns) else None
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        kept = [(self._id_of(self._rows[index.row()]), index.column()) for index in before]
        self._rows = self._sorted(self._given)
        self._reindex()
        after = [self.index(self._by_id[record_id], place) for record_id, place in kept]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _sorted(self, rows: list[R]) -> list[R]:
        """``rows`` (in the order given) in the current order; a stable sort keeps ties."""
        if self._order is None:
            return list(rows)
        column, order = self._order
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted(rows, key=self.columns[column].key, reverse=descending)

    # --- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Qt asks for about eight roles per cell it measures or paints: the ones not answered
        # here return at once, and the rest are compared as plain ints (not Qt enums).
        if role not in _ANSWERED:
            return None
        number = index.row()
        if not 0 <= number < len(self._rows) or not index.isValid():
            return None
        row, column = self._rows[number], self.columns[index.column()]
        if role in (_DISPLAY, _ACCESSIBLE):
            return column.text(row)
        if role == _SORT:
            return column.key(row)
        if role == _ID:
            return self._id_of(row)
        if role == _TOOLTIP:
            return (column.tooltip(row) or None) if column.tooltip is not None else None
        if role == _ALIGNMENT:
            return _RIGHT if column.numeric else None
        return self.background(row)  # the one role left: BackgroundRole

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role not in (_DISPLAY, _ALIGNMENT):
            return None
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == _DISPLAY:
            return self.columns[section].title
        return _RIGHT if self.columns[section].numeric else None


class ModelSortProxy(QSortFilterProxyModel):
    """A proxy that filters (subclasses decide how) and hands sorting to the source model.

    The proxy itself never sorts, so it shows the rows in the model's order: :meth:`sort` (which
    the view calls when a header is clicked) asks the model to sort itself.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)


def date_key(value: Any) -> int:
    """A date's sort key; None sorts after every date."""
    return NO_DATE_LAST if value is None else int(value.toordinal())
