"""The export dialog's choices: which document, about whom, which period, paper and files.

:class:`ExportOptions` turns them into an :class:`ExportRequest` (without the privacy choices,
which the privacy panel adds) and says what is wrong when they do not make one yet ("Choose at
least one mentee", "The end date is before the start date").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import UserError
from mentor_desk.reports.theme import PaperSize
from mentor_desk.services.exports_privacy import ExportChoices
from mentor_desk.services.lmp import list_records
from mentor_desk.services.mentees import list_mentees
from mentor_desk.services.periods import Period
from mentor_desk.services.types import Database, MenteeStatus
from mentor_desk.ui.dialogs.export_request import DocumentKind, ExportRequest
from mentor_desk.ui.style import error_label, named
from mentor_desk.ui.widgets.dates import date_edit, date_of

KINDS: tuple[tuple[DocumentKind, str], ...] = (
    ("dossier", "LMP dossier"),
    ("packet", "Quarterly review packets"),
)
# Item data: the record or mentee id; the mentee id of a candidate; the name; the mentee's status.
_ID = Qt.ItemDataRole.UserRole
_MENTEE = Qt.ItemDataRole.UserRole + 1
_NAME = Qt.ItemDataRole.UserRole + 2
_STATUS = Qt.ItemDataRole.UserRole + 3


class ExportOptions(QWidget):
    """The document, the people, the period, the paper and the output files.

    Signals:
        changed(): any choice changed.
    """

    changed = Signal()

    def __init__(self, db: Database, paper: PaperSize, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = named(QComboBox(), "Document")
        for value, label in KINDS:
            self.kind.addItem(label, value)
        self.candidate = named(QComboBox(), "Candidate")
        self.paper = named(QComboBox(), "Paper size")
        for size in PaperSize:
            self.paper.addItem(size.label, size.value)
        self.paper.setCurrentIndex(self.paper.findData(paper.value))
        self._build_mentees()
        self._build_period()

        self.document_box = QGroupBox("Document")
        form = self.form = QFormLayout(self.document_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Document:", self.kind)
        form.addRow("&Candidate:", self.candidate)
        form.addRow("&Mentees:", self.mentee_box)
        form.addRow("Files:", self.files_box)
        form.addRow("&Paper:", self.paper)

        self.problem_label = error_label()
        named(self.problem_label, "Problem with the choices")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.document_box)
        layout.addWidget(self.period_box)
        layout.addWidget(self.problem_label)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        for signal in (
            self.candidate.currentIndexChanged,
            self.paper.currentIndexChanged,
            self.mentees.itemChanged,
            self.files.idToggled,
        ):
            signal.connect(self._emit)
        self.reload()
        self._kind_changed()

    # --- building ---------------------------------------------------------------------------

    def _build_mentees(self) -> None:
        self.mentee_filter = named(QLineEdit(), "Filter mentees")
        self.mentee_filter.setPlaceholderText("Filter by name")
        self.mentee_filter.setClearButtonEnabled(True)
        self.mentee_filter.textChanged.connect(self._filter_mentees)
        self.mentees = named(QListWidget(), "Mentees to include")
        self.mentees.setMinimumHeight(120)
        self.all_active = named(QPushButton("All &active"), "Tick all active mentees")
        self.no_one = named(QPushButton("&None"), "Untick every mentee")
        self.all_active.clicked.connect(lambda: self._tick(lambda _i, s: s is MenteeStatus.ACTIVE))
        self.no_one.clicked.connect(lambda: self._tick(lambda _i, _s: False))
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_active)
        buttons.addWidget(self.no_one)
        buttons.addStretch(1)
        self.mentee_box = QWidget()
        column = QVBoxLayout(self.mentee_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.mentee_filter)
        column.addWidget(self.mentees)
        column.addLayout(buttons)

        self.one_file = named(QRadioButton("One &PDF for everyone"), "One PDF for everyone")
        self.per_mentee = named(QRadioButton("One &file per mentee"), "One file per mentee")
        self.files = QButtonGroup(self)
        self.files.addButton(self.one_file, 0)
        self.files.addButton(self.per_mentee, 1)
        self.one_file.setChecked(True)
        self.files_box = QWidget()
        column = QVBoxLayout(self.files_box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.one_file)
        column.addWidget(self.per_mentee)

    def _build_period(self) -> None:
        today = date.today()
        self.whole = named(QRadioButton("&Whole candidacy"), "Period: whole candidacy")
        self.by_quarter = named(QRadioButton("&Quarter:"), "Period: a quarter")
        self.by_dates = named(QRadioButton("&Dates:"), "Period: from and to dates")
        self.periods = QButtonGroup(self)
        for number, button in enumerate((self.whole, self.by_quarter, self.by_dates)):
            self.periods.addButton(button, number)
        self.year = named(QSpinBox(), "Year")
        self.year.setRange(1990, 2100)
        self.year.setValue(today.year)
        self.quarter = named(QComboBox(), "Quarter")
        for number in range(1, 5):
            self.quarter.addItem(f"Q{number}", number)
        self.quarter.setCurrentIndex((today.month - 1) // 3)
        self.start = date_edit("From")
        self.end = date_edit("To")
        first = Period.containing(today)
        self.start.setDate(QDate(first.start))
        self.end.setDate(QDate(first.end))

        self.period_box = QGroupBox("Period")
        grid = QVBoxLayout(self.period_box)
        grid.addWidget(self.whole)
        row = QHBoxLayout()
        row.addWidget(self.by_quarter)
        row.addWidget(self.year)
        row.addWidget(self.quarter)
        row.addStretch(1)
        grid.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.by_dates)
        row.addWidget(self.start)
        row.addWidget(QLabel("to"))
        row.addWidget(self.end)
        row.addStretch(1)
        grid.addLayout(row)
        self.periods.idToggled.connect(self._period_mode_changed)
        for signal in (
            self.year.valueChanged,
            self.quarter.currentIndexChanged,
            self.start.dateChanged,
            self.end.dateChanged,
        ):
            signal.connect(self._emit)

    # --- contents ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the candidates and mentees again, keeping what was chosen."""
        chosen = self.candidate.currentData()
        ticked = self.ticked_ids()
        known = {self.mentees.item(r).data(_ID) for r in range(self.mentees.count())}
        self.blockSignals(True)
        self.candidate.clear()
        for record in list_records(self.db):
            self.candidate.addItem(f"{record.candidate_name} · {record.state.label}", record.id)
            index = self.candidate.count() - 1
            self.candidate.setItemData(index, record.mentee_id, _MENTEE)
            self.candidate.setItemData(index, record.candidate_name, _NAME)
        if self.candidate.count() == 0:
            self.candidate.addItem("No LMP candidates yet", None)
        self.candidate.setCurrentIndex(max(self.candidate.findData(chosen), 0))
        self.mentees.clear()
        for row in list_mentees(self.db):
            active = row.status is MenteeStatus.ACTIVE
            text = row.name if active else f"{row.name} ({row.status.label.lower()})"
            item = QListWidgetItem(text)
            item.setData(_ID, row.id)
            item.setData(_NAME, row.name)
            item.setData(_STATUS, row.status.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            tick = row.id in ticked if row.id in known else active
            item.setCheckState(Qt.CheckState.Checked if tick else Qt.CheckState.Unchecked)
            self.mentees.addItem(item)
        self._filter_mentees(self.mentee_filter.text())
        self.blockSignals(False)
        self.changed.emit()

    def has_candidates(self) -> bool:
        return self.candidate.currentData() is not None

    def set_kind(self, kind: DocumentKind) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def current_kind(self) -> DocumentKind:
        return "packet" if self.kind.currentData() == "packet" else "dossier"

    def choose_candidate(self, mentee_id: int | None) -> bool:
        """Select the candidate record of ``mentee_id``; False when they are not a candidate."""
        for index in range(self.candidate.count()):
            if mentee_id is not None and self.candidate.itemData(index, _MENTEE) == mentee_id:
                self.candidate.setCurrentIndex(index)
                return True
        return False

    def tick_only(self, mentee_ids: set[int]) -> None:
        self._tick(lambda mentee_id, _status: mentee_id in mentee_ids)

    def ticked_ids(self) -> list[int]:
        items = (self.mentees.item(row) for row in range(self.mentees.count()))
        return [i.data(_ID) for i in items if i.checkState() is Qt.CheckState.Checked]

    def period(self) -> Period | None:
        """The chosen period (None: the whole candidacy).

        Raises:
            UserError: the dates are the wrong way round.
        """
        if self.periods.checkedButton() is self.by_quarter:
            return Period.quarter(self.year.value(), self.quarter.currentData())
        if self.periods.checkedButton() is self.by_dates:
            start, end = date_of(self.start), date_of(self.end)
            if end < start:
                raise UserError("The end date is before the start date.")
            return Period.from_dates(start, end)
        return None

    def request(self, choices: ExportChoices) -> ExportRequest:
        """The export these choices describe.

        Raises:
            UserError: they do not describe one yet; the message says what to change.
        """
        kind = self.current_kind()
        paper = PaperSize(self.paper.currentData())
        period = self.period()
        if kind == "dossier":
            record_id = self.candidate.currentData()
            if record_id is None:
                raise UserError("There is no LMP candidate to make a dossier for.")
            subject = self.candidate.currentData(_NAME)
            return ExportRequest(kind, record_id, (), period, paper, choices, False, subject)
        ticked = tuple(self.ticked_ids())
        if not ticked:
            raise UserError("Choose at least one mentee.")
        subject = self._name_of(ticked[0]) if len(ticked) == 1 else f"{len(ticked)} mentees"
        split = self.per_mentee.isChecked()
        return ExportRequest(kind, None, ticked, period, paper, choices, split, subject)

    def show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))

    # --- reactions --------------------------------------------------------------------------

    def _emit(self, *_args: object) -> None:
        if not self.signalsBlocked():
            self.changed.emit()

    def _kind_changed(self) -> None:
        dossier = self.current_kind() == "dossier"
        for widget, shown in (
            (self.candidate, dossier),
            (self.mentee_box, not dossier),
            (self.files_box, not dossier),
        ):
            self.form.setRowVisible(widget, shown)
        self.whole.setVisible(dossier)
        if dossier and self.periods.checkedButton() is not self.by_dates:
            self.whole.setChecked(True)
        elif not dossier and self.periods.checkedButton() in (self.whole, None):
            self.by_quarter.setChecked(True)
        self._period_mode_changed()
        self._emit()

    def _period_mode_changed(self, *_args: object) -> None:
        checked = self.periods.checkedButton()
        for widget in (self.year, self.quarter):
            widget.setEnabled(checked is self.by_quarter)
        for widget in (self.start, self.end):
            widget.setEnabled(checked is self.by_dates)
        self._emit()

    def _tick(self, wanted: Callable[[int, MenteeStatus], bool]) -> None:
        self.mentees.blockSignals(True)
        for row in range(self.mentees.count()):
            item = self.mentees.item(row)
            tick = wanted(item.data(_ID), MenteeStatus(item.data(_STATUS)))
            item.setCheckState(Qt.CheckState.Checked if tick else Qt.CheckState.Unchecked)
        self.mentees.blockSignals(False)
        self._emit()

    def _filter_mentees(self, text: str) -> None:
        needle = text.casefold().strip()
        for row in range(self.mentees.count()):
            item = self.mentees.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def _name_of(self, mentee_id: int) -> str:
        for row in range(self.mentees.count()):
            item = self.mentees.item(row)
            if item.data(_ID) == mentee_id:
                return str(item.data(_NAME))
        return ""
