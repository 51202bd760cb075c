"""The coverage grid: every area and sub-area with its entries and latest date, gaps marked.

Always on screen beside the evidence, so the sponsor sees at a glance what is still missing.
Clicking an area (or Enter on it) asks for the log to be filtered to that area.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.services.evidence import AreaCoverage
from mentor_desk.ui.models.evidence import CODE_ROLE, CoverageModel, scpa_footnote
from mentor_desk.ui.style import heading, named

FITTED_COLUMNS = (CoverageModel.ENTRIES, CoverageModel.LATEST)


def coverage_summary(rows: Sequence[AreaCoverage]) -> str:
    """One sentence on the gaps: how many, and which."""
    if not rows:
        return ""
    gaps = [row.code for row in rows if row.gap]
    if not gaps:
        return "No gaps: every required area has evidence."
    listed = ", ".join(gaps)
    return f"{len(gaps)} gap{'s' * (len(gaps) != 1)}: {listed}."


class CoverageView(QWidget):
    """The grid, a one-line summary of its gaps, and a way back to the whole log.

    Signals:
        area_chosen(object): an area code to filter the log by, or None for every area.
    """

    area_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CoverageModel(self)
        self.setMinimumWidth(250)  # narrower, the area titles would be cut to nothing
        self.title = heading("Coverage", scale=1.15)
        self.summary = named(QLabel(), "Coverage summary")
        self.summary.setWordWrap(True)
        self.tree = named(
            QTreeView(),
            "Coverage grid",
            "Entries and latest date per area; gaps say 'gap'. Click an area to filter the log.",
        )
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(12)
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(CoverageModel.AREA, QHeaderView.ResizeMode.Stretch)
        # Fitted to their contents once per load (set_coverage), not "resize to contents":
        # that asked the model for every role of every cell again on each layout pass.
        for column in FITTED_COLUMNS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.tree.clicked.connect(self._clicked)
        self.tree.activated.connect(self._clicked)
        self.show_all = named(QPushButton("Show &all areas"), "Show all areas")
        self.show_all.setToolTip("Stop filtering the log by area")
        self.show_all.clicked.connect(self._all_clicked)
        self.show_all.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.show_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.footnote = named(QLabel(), "Coverage footnote")
        self.footnote.setWordWrap(True)
        self.footnote.setEnabled(False)  # the palette's muted text, in light and dark alike
        layout.addWidget(self.footnote)

    def set_coverage(self, rows: Sequence[AreaCoverage], area: str | None) -> None:
        """Show ``rows``, with ``area`` (the log's filter) selected."""
        self.model.set_coverage(rows)
        self.tree.expandAll()
        for column in FITTED_COLUMNS:
            self.tree.resizeColumnToContents(column)
        self.summary.setText(coverage_summary(rows))
        self.footnote.setText(scpa_footnote(rows))
        self.footnote.setVisible(bool(self.footnote.text()))
        self.show_area(area)

    def show_area(self, code: str | None) -> None:
        """Select the area the log is filtered by (None: no selection)."""
        self.show_all.setEnabled(code is not None)
        index = self.model.index_of(code) if code is not None else QModelIndex()
        selection = self.tree.selectionModel()
        selection.blockSignals(True)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:
            self.tree.clearSelection()
        selection.blockSignals(False)
        self.tree.viewport().update()

    def _clicked(self, index: QModelIndex) -> None:
        code = index.data(CODE_ROLE)
        if code:
            self.show_all.setEnabled(True)
            self.area_chosen.emit(code)

    def _all_clicked(self) -> None:
        self.show_area(None)
        self.area_chosen.emit(None)
