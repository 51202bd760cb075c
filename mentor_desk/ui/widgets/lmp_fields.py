"""Small field helpers shared by the LMP Evidence tab's forms and dialogs.

Enum combos keep the stored value in their item data; optional dates use the date edit's
"special value" (its minimum date shows as "none"); :class:`FieldErrors` shows a service's
:class:`ValidationError` next to the field it names, as the Mentees form does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

from mentor_desk.errors import ValidationError
from mentor_desk.services.types import StrEnumBase
from mentor_desk.ui.models.table import ID_ROLE, SORT_ROLE, RowTableModel
from mentor_desk.ui.style import error_label, named

E = TypeVar("E", bound=StrEnumBase)

#: The date an optional date edit shows as its "none" text.
NO_DATE = QDate(2000, 1, 1)


def enum_combo(name: str, members: Iterable[StrEnumBase], *, any_label: str = "") -> QComboBox:
    """A combo of enum members (by label); ``any_label`` first adds a "no choice" item."""
    combo = named(QComboBox(), name)
    if any_label:
        combo.addItem(any_label, None)
    for member in members:
        combo.addItem(member.label, member.value)
    return combo


def chosen(combo: QComboBox, enum_cls: type[E]) -> E | None:
    value = combo.currentData()
    return None if value is None else enum_cls(value)


def set_choice(combo: QComboBox, value: StrEnumBase | str | None) -> None:
    index = combo.findData(str(value)) if value is not None else 0
    combo.setCurrentIndex(max(index, 0))


def date_edit(name: str, *, none_text: str = "") -> QDateEdit:
    """An ISO date edit with a calendar; with ``none_text`` its minimum date means "no date"."""
    edit = named(QDateEdit(), name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if none_text:
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(none_text)
        edit.setDate(NO_DATE)
    else:
        edit.setDate(QDate.currentDate())
    return edit


def date_of(edit: QDateEdit) -> date | None:
    """The date shown, or None when an optional date edit shows its "none" text."""
    if edit.specialValueText() and edit.date() == edit.minimumDate():
        return None
    return edit.date().toPython()  # type: ignore[no-any-return]


def set_date(edit: QDateEdit, value: date | None) -> None:
    if value is None:
        edit.setDate(edit.minimumDate() if edit.specialValueText() else QDate.currentDate())
    else:
        edit.setDate(QDate(value))


class FieldErrors:
    """The error labels of one form: one per field, and a banner above them.

    Args:
        labels: the label of each field, by the name a ValidationError uses for it.
        widget_for: the input widget of a field, to focus and describe on error.
    """

    def __init__(self, labels: dict[str, str], widget_for: Callable[[str], QWidget | None]):
        self.names = labels
        self._widget_for = widget_for
        self.banner = named(error_label(), "Form errors")
        self.labels: dict[str, QLabel] = {}
        self._descriptions: dict[str, str] = {}

    def label(self, field: str) -> QLabel:
        """The (hidden) error label of a field, to put under it."""
        if field not in self.labels:
            self.labels[field] = named(error_label(), f"{self.names.get(field, field)} error")
        return self.labels[field]

    def show(self, error: ValidationError, field: str | None = None) -> None:
        """Show ``error`` by its field (``field`` overrides the error's own) and focus it."""
        self.clear()
        key = field if field is not None else error.field or ""
        message = error.args[0] if error.args else str(error)
        label = self.labels.get(key)
        if label is None:
            self.banner.setText(f"Not saved: {error}")
            self.banner.show()
            return
        label.setText(f"{self.names.get(key, key)}: {message}")
        label.show()
        self.banner.setText("Not saved: correct the field marked below.")
        self.banner.show()
        widget = self._widget_for(key)
        if widget is not None:
            self._descriptions.setdefault(key, widget.accessibleDescription())
            widget.setAccessibleDescription(label.text())
            widget.setFocus()

    def show_message(self, text: str) -> None:
        self.clear()
        self.banner.setText(text)
        self.banner.show()

    def clear(self) -> None:
        for label in self.labels.values():
            label.clear()
            label.hide()
        for key, description in self._descriptions.items():
            widget = self._widget_for(key)
            if widget is not None:
                widget.setAccessibleDescription(description)
        self._descriptions.clear()
        self.banner.clear()
        self.banner.hide()

    def visible(self) -> dict[str, str]:
        """The error shown next to each field (tests and assistive summaries)."""
        return {key: label.text() for key, label in self.labels.items() if label.text()}


# --- tables -------------------------------------------------------------------------------------


def sorting_proxy(model: QAbstractItemModel, parent: QObject) -> QSortFilterProxyModel:
    """A proxy that sorts ``model`` by the sort keys of :data:`SORT_ROLE`."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setDynamicSortFilter(True)
    return proxy


def list_table(
    name: str, description: str, proxy: QSortFilterProxyModel, delete: Callable[[], object]
) -> QTableView:
    """A read-only, sortable, single-row-selection table; Delete calls ``delete``."""
    table = named(QTableView(), name, description)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # arrows move between rows; Tab leaves the list
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    action = QAction(f"Delete from {name.lower()}", table)
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(lambda _checked=False: delete())
    table.addAction(action)
    return table


def selected_id(table: QTableView) -> int | None:
    rows = table.selectionModel().selectedRows()
    return rows[0].data(ID_ROLE) if rows else None


def select_id(table: QTableView, model: RowTableModel[Any], record_id: int | None) -> None:
    """Select the row of ``record_id`` (or nothing) in a table over a proxy of ``model``."""
    proxy = table.model()
    row = model.row_of_id(record_id) if record_id is not None else None
    index = QModelIndex()
    if row is not None and isinstance(proxy, QSortFilterProxyModel):
        index = proxy.mapFromSource(model.index(row, 0))
    if index.isValid():
        table.selectRow(index.row())
        table.scrollTo(index)
    else:
        table.clearSelection()
