"""A candidate's weekly SCPA updates: the run of them (newest first) and the editor of one.

The run counts toward area E4 of the coverage grid; the panel says so above the list.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import NotFoundError
from mentor_desk.services.evidence import SCPA_AREA_CODE
from mentor_desk.services.scpa import (
    ScpaUpdateInfo,
    create_scpa,
    delete_scpa,
    get_scpa,
    list_scpa,
    scpa_streak,
    update_scpa,
)
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.models.evidence import ScpaTableModel
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.draft_autosave import decode_input
from mentor_desk.ui.widgets.lmp_list_panel import ListEditorPanel
from mentor_desk.ui.widgets.scpa_form import ScpaForm, ScpaValue


def _weeks(count: int) -> str:
    return "1 week" if count == 1 else f"{count} weeks"


class ScpaPanel(ListEditorPanel[ScpaUpdateInfo]):
    """The SCPA updates of one LMP record."""

    kind = "scpa"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = ScpaTableModel(self)
        self.form = ScpaForm()
        self.make_buttons("SCPA update", "update")
        self.summary = named(QLabel(), "SCPA summary")
        self.summary.setWordWrap(True)
        self.proxy, self.table = self.make_table("SCPA updates", "Select a week to edit its update")
        self.table.sortByColumn(ScpaTableModel.WEEK, Qt.SortOrder.DescendingOrder)
        # The four texts share the width; a cell's tooltip holds its whole text.
        header = self.table.horizontalHeader()
        for column in range(ScpaTableModel.SUCCESS, ScpaTableModel.APPRECIATION + 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.form.edited.connect(self.update_buttons)
        self.keep_drafts("scpa")
        self._build()
        self.show_mode()

    def _build(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.summary)
        top_layout.addWidget(self.table, 1)
        top_layout.addLayout(buttons)
        title_row = QHBoxLayout()
        title_row.addWidget(self.editor_title, 1)
        title_row.addWidget(self.revert_button)
        title_row.addWidget(self.save_button)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 4, 0, 0)
        bottom_layout.addLayout(title_row)
        bottom_layout.addWidget(self.form, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([260, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

    def reload(self) -> None:
        rows: list[ScpaUpdateInfo] = []
        self.summary.clear()
        if self.record_id is not None:
            try:
                rows = list_scpa(self.ctx.db, self.record_id)
                streak = scpa_streak(self.ctx.db, self.record_id)
            except NotFoundError:
                rows = []
            else:
                self.summary.setText(
                    f"{_weeks(streak.weeks_with_update)} with an update; the longest run is "
                    f"{_weeks(streak.longest_run)}. Each week counts as evidence for "
                    f"{SCPA_AREA_CODE}, the weekly SCPA update."
                )
        self.set_rows(rows)
        if not self.table.property("fitted") and rows:
            self.table.setProperty("fitted", True)
            self.table.resizeColumnToContents(ScpaTableModel.WEEK)
        self.after_reload()

    # --- the items -------------------------------------------------------------------------

    def fetch(self, item_id: int) -> ScpaUpdateInfo:
        return get_scpa(self.ctx.db, item_id)

    def store(self, record_id: int, current: ScpaUpdateInfo | None) -> ScpaUpdateInfo:
        values = asdict(self.form.value())
        if current is None:
            return create_scpa(self.ctx.db, record_id, **values)
        return update_scpa(self.ctx.db, current.id, **values)

    def remove(self, item_id: int) -> None:
        delete_scpa(self.ctx.db, item_id)

    def load_form(self, item: ScpaUpdateInfo | None) -> None:
        self.form.load(item)

    def describe(self, item: ScpaUpdateInfo | None) -> str:
        if item is None:
            return "the new SCPA update"
        return f"the SCPA update for the week of {item.week_of.isoformat()}"

    def editor_heading(self, item: ScpaUpdateInfo | None) -> str:
        return f"SCPA update: week of {item.week_of.isoformat()}" if item else "New SCPA update"

    def first_field(self) -> QWidget:
        return self.form.texts["success"]

    def decode_draft(self, data: dict[str, Any]) -> ScpaValue:
        return decode_input(ScpaValue, data, dates=("week_of",))
