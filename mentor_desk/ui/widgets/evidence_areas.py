"""The areas an evidence entry is filed under: a checkable tree of the framework.

Every area and sub-area has its own box: an entry may be filed under "C" (which has no
sub-areas), under "B2", or under "B" as a whole. Space ticks the current row, as in any list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from mentor_desk.services.framework import AreaInfo
from mentor_desk.ui.style import named

CODE = Qt.ItemDataRole.UserRole


def area_label(area: AreaInfo) -> str:
    suffix = " (optional)" if area.optional else ""
    return f"{area.code}  {area.title}{suffix}"


class AreaChecklist(QTreeWidget):
    """Areas with check boxes.

    Signals:
        changed(): a box was ticked or cleared (by the user or by :meth:`set_checked`).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "Areas", "Tick every area and sub-area this evidence is for; at least one")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setRootIsDecorated(False)
        self.setIndentation(14)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._items: dict[str, QTreeWidgetItem] = {}
        self.itemChanged.connect(lambda _item, _column: self.changed.emit())

    def set_areas(self, areas: Sequence[AreaInfo]) -> None:
        """Show the framework (keeping the ticks of codes that are still there)."""
        keep = self.checked_codes()
        self.blockSignals(True)
        try:
            self.clear()
            self._items = {}
            for area in areas:
                parent = self._items.get(area.parent_code or "")
                item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self)
                item.setText(0, area_label(area))
                item.setToolTip(0, area.description or area.title)
                item.setData(0, CODE, area.code)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                item.setCheckState(0, Qt.CheckState.Unchecked)
                self._items[area.code] = item
            self.expandAll()
        finally:
            self.blockSignals(False)
        self.set_checked(keep)

    def codes(self) -> list[str]:
        """Every code, in framework order."""
        return list(self._items)

    def item_for(self, code: str) -> QTreeWidgetItem | None:
        return self._items.get(code)

    def checked_codes(self) -> tuple[str, ...]:
        return tuple(
            code
            for code, item in self._items.items()
            if item.checkState(0) == Qt.CheckState.Checked
        )

    def set_checked(self, codes: Iterable[str]) -> None:
        wanted = set(codes)
        self.blockSignals(True)
        try:
            for code, item in self._items.items():
                state = Qt.CheckState.Checked if code in wanted else Qt.CheckState.Unchecked
                item.setCheckState(0, state)
        finally:
            self.blockSignals(False)
        self.changed.emit()
