"""The Mentees tab's left side: filters over the sortable mentee table, and the buttons under it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.ui.models.mentees import (
    PROGRAM_CHOICES,
    STATUS_CHOICES,
    MenteeFilterProxy,
    MenteeTableModel,
)
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.tables import delete_key, fit_columns, list_table

#: The widest a column grows when sized to its content: names are kept whole, while roles and
#: levels give way so that the due dates and counts fit beside the editor at 1280 pixels.
MAX_NAME_COLUMN = 170
MAX_TEXT_COLUMN = 105
MAX_NUMBER_COLUMN = 72
COLUMN_CAPS = {
    MenteeTableModel.NAME: MAX_NAME_COLUMN,
    MenteeTableModel.ROLE: MAX_TEXT_COLUMN,
    MenteeTableModel.LEVEL: MAX_TEXT_COLUMN,
    MenteeTableModel.OPEN_ACTIONS: MAX_NUMBER_COLUMN,
    MenteeTableModel.GOALS: MAX_NUMBER_COLUMN,
}


def _choices(combo: QComboBox, choices: tuple[tuple[str, str | None], ...]) -> QComboBox:
    for label, value in choices:
        combo.addItem(label, value)
    return combo


class MenteeList(QWidget):
    """Filters (text, status, program) over the mentee table; Add / Archive / Delete under it.

    Built in reading order (filters, list, buttons), which is the Tab order. The tab connects the
    buttons, :attr:`delete_action` (the Delete key on the table) and the table's selection.

    Signals:
        filtered(): the filters changed (the proxy and the count are already updated).
    """

    filtered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = MenteeTableModel(self)
        self.proxy = MenteeFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.columns_fitted = False  # until the first load, or a restored header, sizes them

        self.filter_text = named(QLineEdit(), "Filter mentees", "Name, role or team")
        self.filter_text.setPlaceholderText("Filter by name, role or team")
        self.filter_text.setClearButtonEnabled(True)
        self.filter_status = named(_choices(QComboBox(), STATUS_CHOICES), "Status filter")
        self.filter_program = named(_choices(QComboBox(), PROGRAM_CHOICES), "Program filter")
        self.filter_text.textChanged.connect(self._filter_changed)
        self.filter_status.currentIndexChanged.connect(self._filter_changed)
        self.filter_program.currentIndexChanged.connect(self._filter_changed)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_text, 1)
        filters.addWidget(self.filter_status)
        filters.addWidget(self.filter_program)

        self.table = list_table("Mentees", "The mentee list; select one to edit it")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(MenteeTableModel.NAME, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.delete_action = delete_key(self.table, "Delete mentee")

        self.add_button = named(QPushButton("&Add mentee"), "Add mentee")
        self.add_button.setToolTip("Add a mentee (Ctrl+N)")
        self.archive_button = named(QPushButton("Arc&hive"), "Archive mentee")
        self.delete_button = named(QPushButton("&Delete…"), "Delete mentee")
        self.count_label = named(QLabel(), "How many mentees are shown")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.archive_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def fit_columns(self) -> None:
        """Size the columns to what they hold, none wider than a fair share."""
        self.columns_fitted = True
        fit_columns(self.table, COLUMN_CAPS)

    def update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "mentee" if total == 1 else "mentees"
        self.count_label.setText(f"{total} {noun}" if shown == total else f"{shown} of {total}")

    def reveal(self, row: int) -> None:
        """Clear the filters if they hide the model's ``row`` (an archived mentee, say)."""
        if not self.proxy.filterAcceptsRow(row, QModelIndex()):
            self.filter_text.clear()
            self.filter_program.setCurrentIndex(0)
            self.filter_status.setCurrentIndex(self.filter_status.findData("all"))

    def _filter_changed(self) -> None:
        self.proxy.set_text(self.filter_text.text())
        self.proxy.set_status(self.filter_status.currentData())
        self.proxy.set_program(self.filter_program.currentData())
        self.update_count()
        self.filtered.emit()
