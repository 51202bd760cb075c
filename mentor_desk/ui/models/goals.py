"""The goal list: a table model over :class:`GoalRow`, its status colours, and the filter proxy.

A mentee has a handful of goals and a mentor a few hundred in all, so the rows (no descriptions,
only counts) are loaded at once and filtered in the proxy, which keeps the filters instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from mentor_desk.services.goal_lists import GoalRow
from mentor_desk.services.mentees import fold
from mentor_desk.services.types import GoalCategory, GoalStatus, ProgressMode
from mentor_desk.ui.models.table import Column, Index, ModelSortProxy, RowTableModel, date_key

#: The progress (0-100) of a row, for the progress bar delegate.
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 2

_PROGRESS = int(PROGRESS_ROLE)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_STATUSES = list(GoalStatus)
_CATEGORIES = list(GoalCategory)

#: A translucent tint per status, behind the status cell. Translucent so that the palette's text
#: stays readable on it in light and dark themes; the status is always written out as well.
STATUS_TINTS: dict[GoalStatus, QColor] = {
    GoalStatus.NOT_STARTED: QColor(128, 128, 128, 60),
    GoalStatus.ON_TRACK: QColor(40, 160, 70, 80),
    GoalStatus.AT_RISK: QColor(230, 150, 0, 90),
    GoalStatus.OFF_TRACK: QColor(220, 50, 47, 85),
    GoalStatus.DONE: QColor(40, 110, 220, 75),
    GoalStatus.DROPPED: QColor(128, 128, 128, 35),
}


def progress_text(row: GoalRow) -> str:
    return f"{row.progress} %"


def progress_tooltip(row: GoalRow) -> str:
    if row.progress_mode is ProgressMode.MILESTONES:
        return (
            f"{row.progress} %, worked out from the milestones "
            f"({row.milestones_done} of {row.milestones_total} done)."
        )
    return f"{row.progress} %, set by hand."


def milestones_text(row: GoalRow) -> str:
    return f"{row.milestones_done}/{row.milestones_total}" if row.milestones_total else ""


def _milestones_key(row: GoalRow) -> float:
    # By share done, then by how many there are; goals without milestones come first.
    if not row.milestones_total:
        return -1.0
    return row.milestones_done / row.milestones_total + row.milestones_total / 10_000


def title_text(row: GoalRow) -> str:
    return f"{row.title} · from LMP review" if row.presentation_id is not None else row.title


def title_tooltip(row: GoalRow) -> str:
    lines = [row.excerpt] if row.excerpt else []
    if row.presentation_id is not None:
        lines.append("Created from an LMP review's further targeted actions.")
    return "\n\n".join(lines)


GOAL_COLUMNS: tuple[Column[GoalRow], ...] = (
    Column("Mentee", lambda r: r.mentee_name, lambda r: fold(r.mentee_name)),
    Column("Goal", title_text, lambda r: fold(r.title), tooltip=title_tooltip),
    Column("Category", lambda r: r.category.label, lambda r: _CATEGORIES.index(r.category)),
    Column("Status", lambda r: r.status.label, lambda r: _STATUSES.index(r.status)),
    Column("Progress", progress_text, lambda r: r.progress, numeric=True, tooltip=progress_tooltip),
    Column(
        "Target date",
        lambda r: r.target_date.isoformat() if r.target_date else "",
        lambda r: date_key(r.target_date),
    ),
    Column(
        "Milestones",
        milestones_text,
        _milestones_key,
        numeric=True,
        tooltip=lambda r: f"{r.milestones_done} of {r.milestones_total} milestones done",
    ),
)


class GoalTableModel(RowTableModel[GoalRow]):
    """The goal list. Use the column constants, never bare numbers."""

    MENTEE, TITLE, CATEGORY, STATUS, PROGRESS, TARGET, MILESTONES = range(7)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(GOAL_COLUMNS, parent)
        self.has_closed = False  # whether any row is a closed goal (see GoalFilterProxy)

    def set_rows(self, rows: Sequence[GoalRow]) -> None:
        # Known before the reset, when the proxy filters every row.
        self.has_closed = any(row.is_closed for row in rows)
        super().set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == _PROGRESS or (role == _BACKGROUND and index.column() == self.STATUS):
            if not index.isValid() or not 0 <= index.row() < self.rowCount():
                return None
            row = self.row_at(index.row())
            return row.progress if role == _PROGRESS else STATUS_TINTS[row.status]
        return super().data(index, role)


#: The status filter's choices: (label, status value or None for any).
STATUS_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("Any status", None),
    *((status.label, status.value) for status in GoalStatus),
)
#: The category filter's choices.
CATEGORY_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("All categories", None),
    *((category.label, category.value) for category in GoalCategory),
)


class GoalFilterProxy(ModelSortProxy):
    """Filters by status, category and whether closed goals (done, dropped) are shown.

    Choosing a closed status in the status filter shows those goals even with closed ones hidden:
    the user asked for them by name.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._status: str | None = None
        self._category: str | None = None
        self._show_closed = False

    def set_status(self, status: str | None) -> None:
        self._change_filter("_status", status)

    def set_category(self, category: str | None) -> None:
        self._change_filter("_category", category)

    def set_show_closed(self, show: bool) -> None:
        self._change_filter("_show_closed", show)

    @property
    def show_closed(self) -> bool:
        return self._show_closed

    def _change_filter(self, attribute: str, value: object) -> None:
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            setattr(self, attribute, value)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt before 6.9
            setattr(self, attribute, value)
            self.invalidateFilter()

    def accepts(self, row: GoalRow) -> bool:
        """Whether ``row`` passes the filters (also for rows not in the model yet)."""
        if self._status is not None and row.status.value != self._status:
            return False
        if self._category is not None and row.category.value != self._category:
            return False
        return self._show_closed or self._status is not None or not row.is_closed

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if not isinstance(model, GoalTableModel) or source_parent.isValid():
            return True
        # The usual view: nothing to hide unless closed goals are loaded but not wanted
        # (called for each of thousands of rows, so without looking at the row).
        plain = self._status is None and self._category is None
        if plain and (self._show_closed or not model.has_closed):
            return True
        return self.accepts(model.row_at(source_row))
