"""The evidence log of one candidate (filters and table) above the editor of one entry.

The panel is the controller of :class:`EvidenceForm`: it loads the selected entry, saves through
the evidence service, and asks before unsaved edits are left behind. The log is filtered by the
services (area with its sub-areas, dates, who recorded it, visibility) and lists excerpts only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services.evidence import (
    EvidenceEntry,
    EvidenceInput,
    EvidenceRow,
    create_evidence,
    delete_evidence,
    get_evidence,
    list_evidence,
    update_evidence,
)
from mentor_desk.services.framework import AreaInfo
from mentor_desk.services.types import RecordedBy, Visibility
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.models.evidence import EvidenceTableModel
from mentor_desk.ui.style import ERROR_TEXT, named
from mentor_desk.ui.widgets.choices import enum_combo
from mentor_desk.ui.widgets.dates import OptionalDate
from mentor_desk.ui.widgets.draft_autosave import decode_input
from mentor_desk.ui.widgets.evidence_form import EvidenceForm
from mentor_desk.ui.widgets.lmp_list_panel import ListEditorPanel
from mentor_desk.ui.widgets.tables import fit_columns

#: Column widths when sized to their content, so the excerpt keeps most of the room.
COLUMN_CAPS = {
    EvidenceTableModel.AREAS: 90,
    EvidenceTableModel.TITLE: 240,
    EvidenceTableModel.RECORDED_BY: 95,
    EvidenceTableModel.VISIBILITY: 150,
}


class EvidencePanel(ListEditorPanel[EvidenceEntry]):
    """Log and editor of a candidate's evidence.

    Signals:
        area_filter_changed(object): the area the log is filtered by (a code, or None).
    """

    area_filter_changed = Signal(object)
    kind = "evidence"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._columns_fitted = False
        self._areas: list[AreaInfo] = []
        self.model = EvidenceTableModel(self)
        self.form = EvidenceForm()
        self.make_buttons("evidence entry", "entry")
        self._build_log()
        self._build_editor()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.log_panel)
        self.splitter.addWidget(self.editor_panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)
        self.form.edited.connect(self.update_buttons)
        self.keep_drafts("evidence")
        self.show_mode()

    # --- building ---------------------------------------------------------------------------

    def _build_log(self) -> None:
        self.filter_area = named(QComboBox(), "Area filter", "Sub-areas are included")
        self.filter_area.addItem("All areas", None)
        self.filter_area.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.filter_area.setMinimumContentsLength(8)
        # Unticked means "any": no bound on that side (the date greys out, and when ticked its
        # calendar opens at today rather than at a placeholder year).
        self.filter_since = OptionalDate("&From", "From date", what="filter from a date")
        self.filter_until = OptionalDate("to", "Until date", what="filter up to a date")
        for bound in (self.filter_since, self.filter_until):
            bound.known.setToolTip("Tick to filter by date; unticked means any date")
        self.filter_by = enum_combo("Recorded by filter", list(RecordedBy), any_label="Anyone")
        self.filter_visibility = enum_combo(
            "Visibility filter", list(Visibility), any_label="Any visibility"
        )
        for combo in (self.filter_by, self.filter_visibility):
            # They may shrink (eliding their text) so the log fits a narrow window.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(4)
        self.clear_filters = named(QPushButton("C&lear filters"), "Clear filters")
        self.clear_filters.setToolTip("Show the whole log")
        filters = QHBoxLayout()
        area_label = QLabel("A&rea")
        area_label.setBuddy(self.filter_area)
        filters.addWidget(area_label)
        filters.addWidget(self.filter_area, 3)
        filters.addWidget(self.filter_since)
        filters.addWidget(self.filter_until)
        filters.addWidget(self.filter_by, 1)
        filters.addWidget(self.filter_visibility, 2)
        self.filter_area.currentIndexChanged.connect(self._area_picked)
        for bound in (self.filter_since, self.filter_until):
            bound.changed.connect(self._filters_changed)
        self.filter_by.currentIndexChanged.connect(self._filters_changed)
        self.filter_visibility.currentIndexChanged.connect(self._filters_changed)
        self.clear_filters.clicked.connect(self.clear_all_filters)

        self.proxy, self.table = self.make_table("Evidence log", "Select an entry to edit it")
        self.table.sortByColumn(EvidenceTableModel.DATE, Qt.SortOrder.AscendingOrder)

        self.count_label = named(QLabel(), "How many entries are shown")
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        buttons.addWidget(self.clear_filters)

        self.log_panel = QWidget()
        layout = QVBoxLayout(self.log_panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _build_editor(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.editor_title, 1)
        top.addWidget(self.revert_button)
        top.addWidget(self.save_button)
        self.editor_panel = QWidget()
        layout = QVBoxLayout(self.editor_panel)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.form, 1)

    # --- loading ----------------------------------------------------------------------------

    def set_areas(self, areas: Sequence[AreaInfo]) -> None:
        """The framework, for the area filter and the editor's checklist."""
        if list(areas) == self._areas:
            return  # rebuilding would lose the checklist's scroll position and current row
        self._areas = list(areas)
        current = self.filter_area.currentData()
        self._syncing = True
        try:
            self.filter_area.clear()
            self.filter_area.addItem("All areas", None)
            for area in areas:
                indent = "    " if area.is_sub else ""
                self.filter_area.addItem(f"{indent}{area.code}  {area.title}", area.code)
                self.filter_area.setItemData(
                    self.filter_area.count() - 1, area.title, Qt.ItemDataRole.ToolTipRole
                )
            self.filter_area.setCurrentIndex(max(self.filter_area.findData(current), 0))
        finally:
            self._syncing = False
        self.form.set_areas(areas)

    def reload(self) -> None:
        """Reload the log; the entry being edited stays (and is refreshed if clean)."""
        rows: list[EvidenceRow] = []
        if self.record_id is not None:
            try:
                # The framework set_areas was given orders the codes: no query for it again.
                areas = self._areas or None
                rows = list_evidence(self.ctx.db, self.record_id, areas=areas, **self._filters())
            except ValidationError as exc:
                self.set_rows([])
                self._update_count(str(exc))
                return
            except NotFoundError:
                rows = []
        self.set_rows(rows)
        if not self._columns_fitted and rows:
            self._fit_columns()
        self.after_reload()
        self._update_count()

    def _filters(self) -> dict[str, object]:
        return {
            "area_code": self.filter_area.currentData(),
            "since": self.filter_since.value(),
            "until": self.filter_until.value(),
            "recorded_by": self.filter_by.currentData(),
            "visibility": self.filter_visibility.currentData(),
        }

    def mark_columns_fitted(self) -> None:
        """The column widths were restored: keep them rather than fit them to the content."""
        self._columns_fitted = True

    def _fit_columns(self) -> None:
        self._columns_fitted = True
        # Not the excerpt: the last column takes the room left (fitting it measured the longest
        # text only to be wider than the table).
        fit_columns(self.table, COLUMN_CAPS, range(EvidenceTableModel.EXCERPT))

    def _update_count(self, problem: str = "") -> None:
        palette = self.count_label.palette()
        role = self.count_label.foregroundRole()
        palette.setColor(role, ERROR_TEXT if problem else self.palette().color(role))
        self.count_label.setPalette(palette)
        filtered = any(value is not None for value in self._filters().values())
        self.clear_filters.setEnabled(filtered)
        if problem:
            self.count_label.setText(problem)
            return
        count = self.model.rowCount()
        noun = "entry" if count == 1 else "entries"
        self.count_label.setText(f"{count} {noun}" + (" (filtered)" if filtered else ""))

    # --- filters ----------------------------------------------------------------------------

    def filter_area_code(self, code: str | None) -> None:
        """Show the entries of one area (with its sub-areas), or every entry."""
        index = self.filter_area.findData(code) if code is not None else 0
        self.filter_area.setCurrentIndex(max(index, 0))

    def clear_all_filters(self) -> None:
        self._syncing = True
        try:
            self.filter_area.setCurrentIndex(0)
            self.filter_since.set_value(None)
            self.filter_until.set_value(None)
            self.filter_by.setCurrentIndex(0)
            self.filter_visibility.setCurrentIndex(0)
        finally:
            self._syncing = False
        self._filters_changed()
        self.area_filter_changed.emit(None)

    def _area_picked(self) -> None:
        if self._syncing:
            return
        self._filters_changed()
        self.area_filter_changed.emit(self.filter_area.currentData())

    def _filters_changed(self) -> None:
        if not self._syncing:
            self.reload()

    # --- the items -------------------------------------------------------------------------

    def fetch(self, item_id: int) -> EvidenceEntry:
        return get_evidence(self.ctx.db, item_id)

    def store(self, record_id: int, current: EvidenceEntry | None) -> EvidenceEntry:
        if current is None:
            return create_evidence(self.ctx.db, record_id, self.form.value())
        return update_evidence(self.ctx.db, current.id, self.form.value())

    def remove(self, item_id: int) -> None:
        delete_evidence(self.ctx.db, item_id)

    def load_form(self, item: EvidenceEntry | None) -> None:
        """A new entry is ticked with the area the log is filtered by."""
        code = self.filter_area.currentData()
        self.form.load(item, areas=(code,) if code else ())

    def describe(self, item: EvidenceEntry | None) -> str:
        return f"the evidence entry “{item.title}”" if item else "the new evidence entry"

    def editor_heading(self, item: EvidenceEntry | None) -> str:
        return f"Evidence: {item.title}" if item else "New evidence entry"

    def first_field(self) -> QWidget:
        return self.form.title

    def decode_draft(self, data: dict[str, Any]) -> EvidenceInput:
        return decode_input(EvidenceInput, data, dates=("occurred_on",))
