"""The goal list of the Goals tab: filters, the table with its progress bars, and its buttons.

A view: the Goals tab decides what it lists and what a selection means.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.services.goal_lists import GoalRow
from mentor_desk.services.goals import CLOSED_STATUSES
from mentor_desk.ui.models.goals import (
    CATEGORY_CHOICES,
    PROGRESS_ROLE,
    STATUS_CHOICES,
    GoalFilterProxy,
    GoalTableModel,
)
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.goal_delegates import ProgressBarDelegate
from mentor_desk.ui.widgets.tables import (
    delete_key,
    fit_columns,
    list_table,
    select_id,
    selected_id,
)

#: The widest a column grows when sized to its content, so the table fits beside the editor.
#: The goal title takes the rest of the width (its whole text is in the tooltip and the editor).
COLUMN_CAPS = {
    GoalTableModel.MENTEE: 120,
    GoalTableModel.CATEGORY: 130,
    GoalTableModel.STATUS: 90,
    GoalTableModel.TARGET: 92,
    GoalTableModel.MILESTONES: 84,
}
PROGRESS_WIDTH = 96
CLOSED_STATUS_VALUES = frozenset(status.value for status in CLOSED_STATUSES)


def _choices(combo: QComboBox, choices: tuple[tuple[str, str | None], ...]) -> QComboBox:
    for label, value in choices:
        combo.addItem(label, value)
    return combo


class GoalList(QWidget):
    """Filters over a sortable goal table, and the Add / Delete buttons under it.

    While the filters hide closed goals, the list may hold open goals only (see
    :meth:`wants_closed`): half the rows on a long-running program.

    Signals:
        closed_wanted(): a filter now shows closed goals, which are not loaded: load them.
    """

    closed_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = GoalTableModel(self)
        self.proxy = GoalFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.columns_fitted = False
        self._total = 0
        self._closed_loaded = True

        self.filter_status = named(_choices(QComboBox(), STATUS_CHOICES), "Status filter")
        self.filter_category = named(_choices(QComboBox(), CATEGORY_CHOICES), "Category filter")
        self.show_closed = named(QCheckBox("Show cl&osed"), "Show closed goals")
        self.show_closed.setToolTip("Also list goals that are done or dropped")
        self.filter_status.currentIndexChanged.connect(self._filter_changed)
        self.filter_category.currentIndexChanged.connect(self._filter_changed)
        self.show_closed.toggled.connect(self._filter_changed)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_status)
        filters.addWidget(self.filter_category)
        filters.addWidget(self.show_closed)
        filters.addStretch(1)

        self.table = list_table("Goals", "The goal list; select one to edit it", row_padding=12)
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(
            GoalTableModel.PROGRESS, ProgressBarDelegate(PROGRESS_ROLE, self.table)
        )
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(GoalTableModel.TARGET, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(GoalTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.delete_action = delete_key(self.table, "Delete goal")

        self.add_button = named(QPushButton("&Add goal"), "Add goal")
        self.add_button.setToolTip("Add a goal (Ctrl+N)")
        self.delete_button = named(QPushButton("&Delete…"), "Delete goal")
        self.count_label = named(QLabel(), "How many goals are shown")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._filter_changed()

    def wants_closed(self) -> bool:
        """Whether the filters show closed goals (else the rows may leave them out)."""
        status = self.filter_status.currentData()
        return self.show_closed.isChecked() or status in CLOSED_STATUS_VALUES

    def set_rows(
        self, rows: Sequence[GoalRow], *, show_mentee: bool, total: int | None = None
    ) -> None:
        """Show ``rows``; ``total`` counts the goals left out (closed ones) too, if any were."""
        self._total = len(rows) if total is None else total
        self._closed_loaded = total is None
        self.model.set_rows(rows)
        self.table.setColumnHidden(GoalTableModel.MENTEE, not show_mentee)
        if not self.columns_fitted and rows:
            self.fit_columns()
        self.update_count()

    def fit_columns(self) -> None:
        """Size the columns to what they hold, none wider than its cap."""
        self.columns_fitted = True
        fit_columns(self.table, COLUMN_CAPS, COLUMN_CAPS)
        self.table.setColumnWidth(GoalTableModel.PROGRESS, PROGRESS_WIDTH)

    def update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self._total
        noun = "goal" if total == 1 else "goals"
        self.count_label.setText(f"{total} {noun}" if shown == total else f"{shown} of {total}")

    def _filter_changed(self) -> None:
        self.proxy.set_status(self.filter_status.currentData())
        self.proxy.set_category(self.filter_category.currentData())
        self.proxy.set_show_closed(self.show_closed.isChecked())
        if not self._closed_loaded and self.wants_closed():
            self.closed_wanted.emit()
        self.update_count()

    # --- selection --------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        return selected_id(self.table)

    def show_row(self, goal_id: int | None) -> None:
        """Select ``goal_id``'s row if it is shown; clear the selection otherwise."""
        select_id(self.table, self.model, goal_id)

    def reveal(self, goal_id: int) -> bool:
        """Clear the filters if they hide ``goal_id``; False when it is not in the list at all."""
        row = self.model.row_of_id(goal_id)
        if row is None:
            return False
        if not self.proxy.filterAcceptsRow(row, QModelIndex()):
            self.filter_status.setCurrentIndex(0)
            self.filter_category.setCurrentIndex(0)
            self.show_closed.setChecked(True)
        return True

    def row_of(self, goal_id: int) -> GoalRow | None:
        row = self.model.row_of_id(goal_id)
        return self.model.row_at(row) if row is not None else None
