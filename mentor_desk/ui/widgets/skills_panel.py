"""The Skills section of the Goals tab: one mentee's assessments, and how they moved.

On the left, every assessment over time, added, edited (double-click, Enter or "Edit…") and
deleted (Delete, after a confirmation) from here; on the right, a before/after comparison between
two assessment dates (by default the earliest and the latest) as a table and as a chart. Changes
are differences of levels ("+5"), never percentages. With "All mentees" in focus the panel asks
for a mentee instead.
"""

from __future__ import annotations

import contextlib
from datetime import date

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import NotFoundError, UserError, ValidationError
from mentor_desk.reports.charts import chart_factory, skills_before_after_chart
from mentor_desk.services.mentees import find_mentees, get_mentee
from mentor_desk.services.skills import (
    SkillAssessment,
    SkillChange,
    assessment_dates,
    compare_skills,
    delete_assessment,
    list_assessments,
)
from mentor_desk.services.types import Assessor
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.dialogs.assessment import AssessmentDialog
from mentor_desk.ui.dialogs.prompts import confirm, show_error
from mentor_desk.ui.models.skills import AssessmentTableModel, SkillChangeTableModel
from mentor_desk.ui.settings import remember_state, restore_state
from mentor_desk.ui.style import bold, centre, error_label, named
from mentor_desk.ui.widgets.chart_view import ChartView
from mentor_desk.ui.widgets.tables import (
    delete_key,
    list_table,
    select_id,
    selected_id,
    sorting_proxy,
)

#: The assessor filter's choices: (label, assessor value or None for anyone).
ASSESSOR_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("All assessors", None),
    *((assessor.label, assessor.value) for assessor in Assessor),
)


def _table(
    model: AssessmentTableModel | SkillChangeTableModel, name: str, *, stretch: int
) -> QTableView:
    table = list_table(name, row_padding=12)
    table.setModel(sorting_proxy(model, table))
    table.setSortingEnabled(True)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _section_title(text: str) -> QLabel:
    label = named(QLabel(text), text)
    label.setFont(bold(label.font()))
    return label


class SkillsPanel(QWidget):
    """Assessments and the before/after comparison of the mentee in focus."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.mentee_id: int | None = None
        self.mentee_name = ""
        self._dates_picked = False  # the user chose the comparison dates (keep them on reload)
        self.dialog: AssessmentDialog | None = None
        self.assessments = AssessmentTableModel(self)
        self.changes = SkillChangeTableModel(self)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_picker())
        self.stack.addWidget(self._build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # --- building ---------------------------------------------------------------------------

    def _build_picker(self) -> QWidget:
        page = QWidget()
        hint = named(
            QLabel("Skills are shown for one mentee at a time. Pick a mentee:"), "Pick a mentee"
        )
        hint.setWordWrap(True)
        self.mentee_choice = named(QComboBox(), "Mentee for skills")
        self.mentee_choice.activated.connect(self._mentee_picked)
        column = QVBoxLayout()
        column.addWidget(hint)
        column.addWidget(self.mentee_choice)
        centre(column, page, width=420)
        return page

    def _build_content(self) -> QWidget:
        self.assessor = named(QComboBox(), "Assessor filter", "Whose assessments count")
        for label, value in ASSESSOR_CHOICES:
            self.assessor.addItem(label, value)
        self.assessor.currentIndexChanged.connect(self._assessor_changed)
        assessor_label = QLabel("Assessed &by")
        assessor_label.setBuddy(self.assessor)
        self.add_button = named(QPushButton("Add &assessment…"), "Add assessment")
        self.add_button.clicked.connect(self.add_assessment)
        self.edit_button = named(QPushButton("Ed&it…"), "Edit assessment")
        self.edit_button.setToolTip("Change the selected assessment (double-click or Enter)")
        self.edit_button.clicked.connect(self.edit_assessment)
        self.delete_button = named(QPushButton("De&lete…"), "Delete assessment")
        self.delete_button.setToolTip("Delete the selected assessment (Delete)")
        self.delete_button.clicked.connect(self.delete_assessment)
        bar = QHBoxLayout()
        bar.addWidget(assessor_label)
        bar.addWidget(self.assessor)
        bar.addStretch(1)
        for button in (self.add_button, self.edit_button, self.delete_button):
            bar.addWidget(button)

        self.assessment_table = _table(
            self.assessments, "Assessments", stretch=AssessmentTableModel.SKILL
        )
        self.assessment_table.setAccessibleDescription(
            "Double-click or press Enter to edit an assessment; Delete removes it"
        )
        self.assessment_table.sortByColumn(AssessmentTableModel.DATE, Qt.SortOrder.AscendingOrder)
        self.assessment_table.doubleClicked.connect(lambda _index: self.edit_assessment())
        self.assessment_table.selectionModel().selectionChanged.connect(self._update_buttons)
        delete_key(self.assessment_table, "Delete assessment", self.delete_assessment)
        enter = QAction("Edit assessment", self.assessment_table)
        enter.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        enter.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        enter.triggered.connect(self.edit_assessment)
        self.assessment_table.addAction(enter)
        self._update_buttons()
        history = QWidget()
        history_layout = QVBoxLayout(history)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(_section_title("Assessments over time"))
        history_layout.addWidget(self.assessment_table, 1)

        self.before = named(QComboBox(), "Compare from", "The earlier assessment date")
        self.after = named(QComboBox(), "Compare to", "The later assessment date")
        for combo in (self.before, self.after):
            combo.activated.connect(self._dates_chosen)
        dates = QHBoxLayout()
        from_label, to_label = QLabel("Com&pare"), QLabel("&with")
        from_label.setBuddy(self.before)
        to_label.setBuddy(self.after)
        for widget in (from_label, self.before, to_label, self.after):
            dates.addWidget(widget)
        dates.addStretch(1)
        self.compare_error = named(error_label(), "Comparison error")
        self.change_table = _table(
            self.changes, "Before and after", stretch=SkillChangeTableModel.SKILL
        )
        self.change_table.sortByColumn(SkillChangeTableModel.SKILL, Qt.SortOrder.AscendingOrder)
        self.chart = ChartView(title="Skills before and after")
        comparison = QWidget()
        comparison_layout = QVBoxLayout(comparison)
        comparison_layout.setContentsMargins(0, 0, 0, 0)
        comparison_layout.addWidget(_section_title("Before and after"))
        comparison_layout.addLayout(dates)
        comparison_layout.addWidget(self.compare_error)
        self.compare_splitter = QSplitter(Qt.Orientation.Vertical)
        self.compare_splitter.addWidget(self.change_table)
        self.compare_splitter.addWidget(self.chart)
        self.compare_splitter.setChildrenCollapsible(False)
        self.compare_splitter.setSizes([220, 300])
        comparison_layout.addWidget(self.compare_splitter, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(history)
        self.splitter.addWidget(comparison)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([480, 720])
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        return page

    # --- loading ----------------------------------------------------------------------------

    def set_mentee(self, mentee_id: int | None) -> None:
        if mentee_id != self.mentee_id:
            self._dates_picked = False
        self.mentee_id = mentee_id
        self.refresh()

    def refresh(self) -> None:
        self.mentee_name = ""
        if self.mentee_id is not None:
            with contextlib.suppress(NotFoundError):
                self.mentee_name = get_mentee(self.ctx.db, self.mentee_id).name
        if not self.mentee_name:
            self._show_picker()
            return
        self.stack.setCurrentIndex(1)
        assessor = self.assessor.currentData()
        chosen = selected_id(self.assessment_table)
        self.assessments.set_rows(list_assessments(self.ctx.db, self.mentee_id, assessor=assessor))
        self.assessment_table.resizeColumnsToContents()
        select_id(self.assessment_table, self.assessments, chosen)
        self._update_buttons()
        self._fill_dates(assessment_dates(self.ctx.db, self.mentee_id, assessor=assessor))
        self.compare()

    def _show_picker(self) -> None:
        self.stack.setCurrentIndex(0)
        self.mentee_choice.clear()
        self.mentee_choice.addItem("Choose a mentee…", None)
        for ref in find_mentees(self.ctx.db, ""):
            self.mentee_choice.addItem(ref.name, ref.id)
        self.assessments.set_rows([])
        self.changes.set_rows([])

    def _mentee_picked(self, index: int) -> None:
        mentee_id = self.mentee_choice.itemData(index)
        if mentee_id is not None:
            self.ctx.selector.choose(mentee_id)

    def _fill_dates(self, days: list[date]) -> None:
        keep = (self.before.currentData(), self.after.currentData()) if self._dates_picked else None
        # Item data holds ISO text: Qt would turn a date into a QDate on the way in.
        texts = [day.isoformat() for day in days]
        for combo in (self.before, self.after):
            combo.clear()
            for text in texts:
                combo.addItem(text, text)
        if not texts:
            return
        first, last = (
            keep if keep and keep[0] in texts and keep[1] in texts else (texts[0], texts[-1])
        )
        self.before.setCurrentIndex(self.before.findData(first))
        self.after.setCurrentIndex(self.after.findData(last))

    def _assessor_changed(self) -> None:
        self.refresh()

    def _dates_chosen(self) -> None:
        self._dates_picked = True
        self.compare()

    def compare(self) -> None:
        """Fill the before/after table and chart from the two chosen dates."""
        first, second = self.before.currentData(), self.after.currentData()
        self.compare_error.hide()
        rows: list[SkillChange] = []
        if self.mentee_id is not None and isinstance(first, str) and isinstance(second, str):
            try:
                rows = compare_skills(
                    self.ctx.db, self.mentee_id, first, second,
                    assessor=self.assessor.currentData(),
                )  # fmt: skip
            except ValidationError as exc:
                self.compare_error.setText(f"Cannot compare: {exc.args[0] if exc.args else exc}.")
                self.compare_error.show()
        self.changes.set_rows(rows)
        self.change_table.resizeColumnsToContents()
        points = [(change.skill, change.before, change.after) for change in rows]
        labels = {"before_label": str(first or "Before"), "after_label": str(second or "After")}
        self.chart.set_chart(chart_factory(skills_before_after_chart, points, **labels))

    # --- adding, editing, deleting ---------------------------------------------------------

    def add_assessment(self) -> None:
        """Open the "Add assessment" dialog (window-modal) for the mentee in focus."""
        if self.mentee_id is None:
            return
        value = self.assessor.currentData()
        assessor = Assessor(value) if value else Assessor.MENTOR
        self._open_dialog(AssessmentDialog(
            self.ctx.db, self.mentee_id, self.mentee_name, assessor=assessor, parent=self
        ))  # fmt: skip

    def edit_assessment(self) -> None:
        """Open the selected assessment in the dialog, prefilled, to change and save it."""
        record = self.selected_assessment()
        if record is None or self.mentee_id is None:
            return
        self._open_dialog(AssessmentDialog(
            self.ctx.db, self.mentee_id, self.mentee_name, record=record, parent=self
        ))  # fmt: skip

    def _open_dialog(self, dialog: AssessmentDialog) -> None:
        self.dialog = dialog
        dialog.accepted.connect(self._assessment_saved)
        dialog.open()

    def _assessment_saved(self) -> None:
        dialog = self.dialog
        saved = dialog.saved if dialog is not None else None
        if dialog is None or saved is None:
            return
        if dialog.record is None:
            self._dates_picked = False  # show the whole span, which now includes the new date
        self.refresh()
        select_id(self.assessment_table, self.assessments, saved.id)
        self._update_buttons()
        verb = "Added" if dialog.record is None else "Changed"
        self.ctx.bus.status_message.emit(f"{verb} an assessment of {saved.skill}.")
        self.ctx.bus.changed("skill")

    def delete_assessment(self) -> None:
        """Delete the selected assessment, after asking."""
        record = self.selected_assessment()
        if record is None:
            return
        what = f"the assessment of {record.skill} ({record.level}) on {record.assessed_on}"
        if not confirm(
            self,
            "Delete assessment",
            f"Delete {what}?",
            "It goes to the trash: Edit > Undo delete (Ctrl+Z) brings it back.",
            action="Delete",
        ):
            return
        try:
            delete_assessment(self.ctx.db, record.id)
        except UserError as exc:
            show_error(self, exc, "Could not delete the assessment")
            self.refresh()
            return
        self.refresh()
        self.ctx.bus.status_message.emit(f"Deleted {what}.")
        self.ctx.bus.changed("skill")

    def selected_assessment(self) -> SkillAssessment | None:
        record_id = selected_id(self.assessment_table)
        row = self.assessments.row_of_id(record_id) if record_id is not None else None
        return self.assessments.row_at(row) if row is not None else None

    def _update_buttons(self) -> None:
        chosen = selected_id(self.assessment_table) is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    # --- state ------------------------------------------------------------------------------

    def save_state(self, settings: QSettings) -> None:
        remember_state(settings, "skills_splitter", self.splitter)
        remember_state(settings, "skills_compare_splitter", self.compare_splitter)

    def restore_state(self, settings: QSettings) -> None:
        restore_state(settings, "skills_splitter", self.splitter)
        restore_state(settings, "skills_compare_splitter", self.compare_splitter)
