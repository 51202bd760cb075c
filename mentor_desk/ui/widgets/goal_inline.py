"""Small tables edited in place, for a goal's milestones and check-ins.

An edit in a cell is saved at once through a service call (there is no separate Save for them).
The :class:`InlineRowModel` hands each edit to its ``commit`` callable; when the service refuses
(a :class:`ValidationError`), the :class:`InlineTable` shows the message under the table and the
cell keeps its saved value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import UserError, ValidationError
from mentor_desk.ui.dialogs.prompts import confirm
from mentor_desk.ui.models.table import Column, Index, RowTableModel
from mentor_desk.ui.style import error_label, named
from mentor_desk.ui.widgets.tables import delete_key, list_table

R = TypeVar("R")

#: What a commit does: (row, column, new value) -> saves it and gives back the saved row, or
#: raises a UserError.
Commit = Callable[[Any, int, Any], Any]


@dataclass(frozen=True, slots=True)
class InlineColumn(Column[R]):
    """A column whose cells may be edited (``edit`` gives the EditRole value) or ticked."""

    edit: Callable[[R], Any] | None = None
    checked: Callable[[R], bool] | None = None


class InlineRowModel(RowTableModel[R], Generic[R]):
    """Rows of dataclasses, some cells editable; every edit goes to ``commit``.

    Signals:
        failed(str): a commit was refused; the argument is the message for the user.
        edited(): a commit was saved.
    """

    failed = Signal(str)
    edited = Signal()

    def __init__(
        self, columns: Sequence[InlineColumn[R]], commit: Commit, parent: Any = None
    ) -> None:
        super().__init__(columns, parent)
        self._inline = tuple(columns)
        self._commit = commit

    def id_at(self, row: int) -> int:
        """The record id of a row."""
        return self._id_of(self.row_at(row))

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if not index.isValid():
            return flags
        column = self._inline[index.column()]
        if column.edit is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        if column.checked is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        column, row = self._inline[index.column()], self.row_at(index.row())
        if role == Qt.ItemDataRole.EditRole and column.edit is not None:
            return column.edit(row)
        if role == Qt.ItemDataRole.CheckStateRole and column.checked is not None:
            return Qt.CheckState.Checked if column.checked(row) else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return False
        column, row = self._inline[index.column()], self.row_at(index.row())
        if role == Qt.ItemDataRole.CheckStateRole and column.checked is not None:
            value = Qt.CheckState(value) == Qt.CheckState.Checked
            if value == column.checked(row):
                return False
        elif role != Qt.ItemDataRole.EditRole or column.edit is None or value == column.edit(row):
            return False
        try:
            saved = self._commit(row, index.column(), value)
        except UserError as exc:
            self.failed.emit(describe_error(exc))
            return False
        # In place, not a reset: a reset while the view commits its editor would pull the
        # editor out from under it. The owner reloads everything a moment later.
        self._rows[index.row()] = saved
        self.dataChanged.emit(
            self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1)
        )
        self.edited.emit()
        return True


def describe_error(error: UserError) -> str:
    """A refused edit in one sentence: "Title: must not be empty"."""
    if isinstance(error, ValidationError) and error.field:
        message = error.args[0] if error.args else str(error)
        return f"{error.field.capitalize()}: {message}"
    return str(error)


class InlineTable(QWidget):
    """A compact table over an :class:`InlineRowModel`, with its error line and a Delete key.

    Signals:
        delete_requested(int): Delete was pressed on a row; the argument is the row's id.
    """

    delete_requested = Signal(int)

    def __init__(self, model: InlineRowModel[Any], name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.view = list_table(name, "Edit a cell in place; Delete removes the row", row_padding=12)
        self.view.setModel(model)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.horizontalHeader().setStretchLastSection(True)
        self.error = named(error_label(), f"{name} error")
        model.failed.connect(self.show_error)
        model.edited.connect(self.clear_error)
        # Reloads after every saved edit replace the rows: keep the user's place in the table.
        self._current: tuple[int, int] | None = None
        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._restore_current)
        delete_key(self.view, f"Delete from {name.lower()}", self._delete_pressed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def _remember_current(self) -> None:
        index = self.view.currentIndex()
        valid = index.isValid()
        self._current = (self.model.id_at(index.row()), index.column()) if valid else None

    def _restore_current(self) -> None:
        if self._current is None:
            return
        record_id, column = self._current
        row = self.model.row_of_id(record_id)
        if row is not None:
            flags = (
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows
            )
            self.view.selectionModel().setCurrentIndex(self.model.index(row, column), flags)

    def _delete_pressed(self) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            self.delete_requested.emit(chosen)


def hint_label(text: str, name: str) -> QLabel:
    """A wrapped, quiet line of help."""
    label = named(QLabel(text), name)
    label.setWordWrap(True)
    label.setEnabled(False)  # the palette's disabled text: muted in light and dark alike
    return label


class InlineEditor(QWidget):
    """What the milestone and check-in editors share: the table, Add and Delete, and a hint.

    A subclass builds its model and its fields to add a row with, then calls :meth:`finish`;
    it implements :meth:`rows_of`, :meth:`save_new`, :meth:`remove` and :meth:`describe`.

    Signals:
        changed(): a row was added, changed or deleted (and saved).
    """

    changed = Signal()

    def __init__(self, model: InlineRowModel[Any], name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.goal_id: int | None = None
        self.model = model
        self.table = InlineTable(model, name)
        self.table.delete_requested.connect(self.delete)
        # Inline edits land while the view is committing its editor: announce them just after.
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.changed)
        model.edited.connect(self._later.start)
        self.inputs: list[QWidget] = []
        self.noun = ""

    def finish(self, noun: str, inputs: Sequence[QWidget], fields: QLayout) -> None:
        """Add the buttons after the subclass's ``fields`` and lay everything out."""
        self.noun = noun
        self.add_button = named(QPushButton(f"Add {noun}"), f"Add {noun}")
        self.add_button.clicked.connect(self.add)
        self.delete_button = named(QPushButton("Delete"), f"Delete {noun}")
        self.delete_button.setToolTip(f"Delete the selected {noun} (Delete)")
        self.delete_button.clicked.connect(lambda: self.delete(self.table.selected_id()))
        self.hint = hint_label(f"Save the goal to add {noun}s.", f"{noun.capitalize()}s hint")
        self.inputs = [self.table, *inputs, self.add_button, self.delete_button]
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(fields)
        layout.addLayout(buttons)

    def set_goal(self, goal: Any) -> bool:
        """Show the rows of ``goal`` (None: an unsaved goal); True when it is another goal."""
        goal_id = goal.id if goal is not None else None
        other = goal_id != self.goal_id
        if other:
            self.table.clear_error()  # a message about another goal's row
        self.goal_id = goal_id
        self.model.set_rows(self.rows_of(goal) if goal is not None else ())
        for widget in self.inputs:
            widget.setEnabled(goal is not None)
        self.hint.setVisible(goal is None)
        return other

    def add(self) -> None:
        if self.goal_id is None:
            return
        try:
            self.save_new(self.goal_id)
        except UserError as exc:
            self.table.show_error(describe_error(exc))
            return  # what was typed stays, to be corrected
        self.table.clear_error()
        self.changed.emit()

    def delete(self, record_id: int | None) -> None:
        row = self.model.row_of_id(record_id) if record_id is not None else None
        if row is None or record_id is None:
            return
        what = self.describe(self.model.row_at(row))
        undo = "It goes to the trash: Edit > Undo delete (Ctrl+Z) brings it back."
        if not confirm(self, f"Delete {self.noun}", f"Delete {what}?", undo, action="Delete"):
            return
        try:
            self.remove(record_id)
        except UserError as exc:
            self.table.show_error(describe_error(exc))
            return
        self.changed.emit()

    # --- for subclasses ---------------------------------------------------------------------

    def rows_of(self, goal: Any) -> Sequence[Any]:
        raise NotImplementedError

    def save_new(self, goal_id: int) -> None:
        """Save a new row from the fields (and clear them); raise a UserError if refused."""
        raise NotImplementedError

    def remove(self, record_id: int) -> None:
        raise NotImplementedError

    def describe(self, row: Any) -> str:
        """The row in a question: "the milestone “Design”"."""
        raise NotImplementedError
