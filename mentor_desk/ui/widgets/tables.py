"""What every list view of the window shares: how the table behaves, how its rows are picked.

A list is a read-only :class:`QTableView` of whole rows, one selected at a time; arrows move
between rows and Tab leaves the table. Its model is a :class:`RowTableModel` (often under a
sorting proxy), so a row is found by its record id: :func:`selected_id` reads the selection and
:func:`select_id` moves it without the caller having to map proxy and source rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from mentor_desk.ui.models.table import ID_ROLE, SORT_ROLE, ModelSortProxy, RowTableModel
from mentor_desk.ui.style import named

#: How many rows a column is measured on when it is sized to its content.
FIT_SAMPLE_ROWS = 30


def list_table(name: str, description: str = "", *, row_padding: int = 10) -> QTableView:
    """A read-only table of whole rows, one selected at a time; Tab leaves it, arrows move."""
    view = named(QTableView(), name, description)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + row_padding)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    # Sizing a column to its content asks the model for every row otherwise (Qt's default is
    # 1,000 rows, each a few calls into Python): a sample is as good for a list's widths.
    header.setResizeContentsPrecision(FIT_SAMPLE_ROWS)
    return view


def fit_columns(
    table: QTableView, caps: Mapping[int, int], columns: Iterable[int] | None = None
) -> None:
    """Size ``columns`` (every column when None) to their content, none wider than its cap.

    The content is measured on the rows on screen and a sample of the others
    (:data:`FIT_SAMPLE_ROWS`, see :func:`list_table`), so it costs the same for any length of
    list. Call it when no saved widths were restored: widths the user chose come back as left.
    """
    for column in range(table.model().columnCount()) if columns is None else columns:
        table.resizeColumnToContents(column)
    for column, cap in caps.items():
        table.setColumnWidth(column, min(table.columnWidth(column), cap))


def delete_key(table: QTableView, text: str, slot: Callable[[], object] | None = None) -> QAction:
    """The Delete key on ``table`` (only while it has the focus), calling ``slot`` if given."""
    action = QAction(text, table)
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    if slot is not None:
        action.triggered.connect(lambda _checked=False: slot())
    table.addAction(action)
    return action


def sorting_proxy(model: QAbstractItemModel | None, parent: QObject) -> QSortFilterProxyModel:
    """A proxy over ``model`` that has a :class:`RowTableModel` sort itself (by its columns' sort
    keys, computed once per row); other models are sorted by the proxy on :data:`SORT_ROLE`."""
    if model is None or isinstance(model, RowTableModel):
        proxy: QSortFilterProxyModel = ModelSortProxy(parent)
    else:
        proxy = QSortFilterProxyModel(parent)
        proxy.setSortRole(SORT_ROLE)
        proxy.setDynamicSortFilter(True)
    if model is not None:
        proxy.setSourceModel(model)
    return proxy


def selected_id(table: QTableView) -> int | None:
    """The record id of the selected row, or None."""
    rows = table.selectionModel().selectedRows()
    return rows[0].data(ID_ROLE) if rows else None


def select_id(table: QTableView, model: RowTableModel[Any], record_id: int | None) -> None:
    """Select the row of ``record_id`` (or nothing) in a table over ``model`` or a proxy of it."""
    view_model = table.model()
    row = model.row_of_id(record_id) if record_id is not None else None
    index = QModelIndex()
    if row is not None:
        index = model.index(row, 0)
        if isinstance(view_model, QSortFilterProxyModel):
            index = view_model.mapFromSource(index)
    if index.isValid():
        table.selectRow(index.row())
        table.scrollTo(index)
    else:
        table.clearSelection()
