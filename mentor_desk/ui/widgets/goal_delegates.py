"""Item delegates of the Goals tab: a progress bar cell, and editors for dates and percentages.

The date editor understands optional dates: its lowest date stands for "no date" and shows as
such, so a milestone's due date can be cleared in place.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QWidget,
)

from mentor_desk.ui.style import named

Index = QModelIndex | QPersistentModelIndex

#: The date a :class:`DateDelegate` editor uses for "no date" (its minimum).
NO_DATE = QDate(1900, 1, 1)
DATE_FORMAT = "yyyy-MM-dd"


class PercentDelegate(QStyledItemDelegate):
    """Edits a whole percentage with a spin box that cannot leave 0-100."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = named(QSpinBox(parent), "Progress")
        editor.setRange(0, 100)
        editor.setSuffix(" %")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QSpinBox)
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.setValue(value if isinstance(value, int) else 0)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QSpinBox)
        editor.interpretText()
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class ProgressBarDelegate(PercentDelegate):
    """Paints an int 0-100 from ``role`` as the style's progress bar, with "NN %" on it.

    Where the cell is editable it edits like :class:`PercentDelegate`.
    """

    def __init__(self, role: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._role = role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        value = index.data(self._role)
        if not isinstance(value, int):
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        option.text = ""  # the bar carries the text; the cell draws only its background
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        bar = QStyleOptionProgressBar()
        if option.widget is not None:
            bar.initFrom(option.widget)
        margin = max(2, option.rect.height() // 6)
        bar.rect = option.rect.adjusted(3, margin, -3, -margin)
        bar.minimum, bar.maximum = 0, 100
        bar.progress = max(0, min(100, value))
        bar.text = f"{value} %"
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        painter.save()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)
        painter.restore()


class DateDelegate(QStyledItemDelegate):
    """Edits a cell whose EditRole holds a ``datetime.date`` (or None when ``optional``)."""

    def __init__(self, *, optional: bool, parent: Any = None) -> None:
        super().__init__(parent)
        self._optional = optional

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = named(QDateEdit(parent), "Date")
        editor.setDisplayFormat(DATE_FORMAT)
        editor.setCalendarPopup(True)
        if self._optional:
            editor.setMinimumDate(NO_DATE)
            editor.setSpecialValueText("No date")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QDateEdit)
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(value, date):
            editor.setDate(QDate(value))
        else:
            editor.setDate(NO_DATE if self._optional else QDate.currentDate())

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QDateEdit)
        chosen = editor.date()
        value = None if self._optional and chosen == NO_DATE else chosen.toPython()
        model.setData(index, value, Qt.ItemDataRole.EditRole)
