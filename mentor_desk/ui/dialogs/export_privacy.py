"""What goes into the document: the "Include private items" choice, the held-back items the user
may tick one by one, and the summary of what will be included (before anything is written).

The panel shows an :class:`ExportPreview` from the privacy gate, the same one the export then
applies, so the summary and the document always agree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.reports.export import private_summary
from mentor_desk.services.exports_privacy import ExportChoices, ExportPreview
from mentor_desk.ui.style import named

_KEY = Qt.ItemDataRole.UserRole
Key = tuple[str, int]


class PrivacyPanel(QWidget):
    """Private items and the summary.

    Signals:
        changed(): the user changed what private items to include.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ticked: set[Key] = set()
        self._keys: list[Key] = []

        self.include_private = named(
            QCheckBox("Include &private items"),
            "Include private items",
            "Include every item, whatever its visibility, in this export only",
        )
        self.include_private.toggled.connect(self._include_all_toggled)
        self.held_back_label = QLabel(_held_back_text(0, 0))
        self.held_back_label.setWordWrap(True)
        self.held_back = named(QListWidget(), "Held-back items")
        self.held_back.setMinimumHeight(110)
        self.held_back.setWordWrap(True)
        self.held_back.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.held_back.itemChanged.connect(self._item_ticked)
        self.held_back_label.setBuddy(self.held_back)
        privacy = QGroupBox("Privacy")
        column = QVBoxLayout(privacy)
        column.addWidget(self.include_private)
        column.addWidget(self.held_back_label)
        column.addWidget(self.held_back, 1)

        self.summary = named(QTreeWidget(), "Summary of what will be included")
        self.summary.setRootIsDecorated(False)
        self.summary.setHeaderLabels(["Section", "Included", "Held back"])
        self.summary.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.summary.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.summary.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column_number in (1, 2):
            header.setSectionResizeMode(column_number, QHeaderView.ResizeMode.ResizeToContents)
        self.private_note = named(QLabel(), "Private items included")
        self.private_note.setWordWrap(True)
        summary = QGroupBox("Summary")
        column = QVBoxLayout(summary)
        column.addWidget(self.summary, 1)
        column.addWidget(self.private_note)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(summary)  # first: what goes in matters most, keep it in sight
        layout.addWidget(privacy, 1)

    # --- the choices ------------------------------------------------------------------------

    def choices(self) -> ExportChoices:
        return ExportChoices(self.include_private.isChecked(), frozenset(self._ticked))

    def reset(self) -> None:
        """Back to the default: nothing private (a new document, a new decision)."""
        self._ticked.clear()
        self.include_private.blockSignals(True)
        self.include_private.setChecked(False)
        self.include_private.blockSignals(False)
        self.held_back.setEnabled(True)

    # --- showing the preview ----------------------------------------------------------------

    def set_counting(self, text: str = "Counting what will be included…") -> None:
        self.private_note.setText(text)

    def show_preview(self, preview: ExportPreview) -> None:
        """Show the gate's answer for the current choices."""
        keys = [(item.kind, item.id) for item in preview.choosable]
        self._ticked &= set(keys)  # a choice about an item no longer listed means nothing
        self.held_back.blockSignals(True)
        if keys != self._keys:
            bar = self.held_back.verticalScrollBar().value()
            self.held_back.clear()
            for item in preview.choosable:
                row = QListWidgetItem(item.label)
                row.setData(_KEY, (item.kind, item.id))
                row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.held_back.addItem(row)
            self.held_back.verticalScrollBar().setValue(bar)
            self._keys = keys
        for row_number, item in enumerate(preview.choosable):
            row = self.held_back.item(row_number)
            row.setCheckState(Qt.CheckState.Checked if item.included else Qt.CheckState.Unchecked)
        self.held_back.blockSignals(False)
        self.held_back_label.setText(_held_back_text(len(keys), len(preview.held_back)))

        self.summary.clear()
        for count in preview.sections:
            row = QTreeWidgetItem([count.section, str(count.included), str(count.held_back)])
            for column in (1, 2):
                row.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            self.summary.addTopLevelItem(row)
        self._fit_summary()
        included = private_summary(preview)
        self.private_note.setText(
            f"Private items included: {included}." if included else "No private item is included."
        )

    def _fit_summary(self) -> None:
        """As tall as its rows: a handful of sections, no scrolling and no empty space."""
        rows = max(self.summary.topLevelItemCount(), 1)
        row_height = self.summary.sizeHintForRow(0) if self.summary.topLevelItemCount() else 18
        header = self.summary.header().sizeHint().height()
        self.summary.setFixedHeight(header + rows * row_height + 2 * self.summary.frameWidth() + 2)

    def summary_counts(self) -> dict[str, tuple[int, int]]:
        """Section -> (included, held back), as the summary shows it."""
        rows = (self.summary.topLevelItem(i) for i in range(self.summary.topLevelItemCount()))
        return {row.text(0): (int(row.text(1)), int(row.text(2))) for row in rows}

    # --- reactions --------------------------------------------------------------------------

    def _include_all_toggled(self, everything: bool) -> None:
        self.held_back.setEnabled(not everything)
        self.changed.emit()

    def _item_ticked(self, row: QListWidgetItem) -> None:
        kind, item_id = row.data(_KEY)
        if row.checkState() is Qt.CheckState.Checked:
            self._ticked.add((kind, item_id))
        else:
            self._ticked.discard((kind, item_id))
        self.changed.emit()


def _held_back_text(choosable: int, held_back: int) -> str:
    if not choosable:
        return "Nothing is held back: every item is shared with this document's readers."
    items = f"{choosable} item{'s' * (choosable != 1)}"
    if not held_back:
        return f"All {items} not shared with this document's readers are included:"
    if held_back == choosable:
        return f"{items} not shared with this document's readers are held back; tick to include:"
    return f"{held_back} of {items} not shared with its readers are held back; tick to include:"
