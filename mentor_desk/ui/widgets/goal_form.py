"""The goal editor: the fields of one goal, and nothing else.

A view, like the mentee form: it shows a :class:`Goal` (or a new goal's defaults), gives back what
is typed as a :class:`GoalInput`, knows whether that differs from what it loaded, and shows a
:class:`ValidationError` next to the field it names. Milestones and check-ins have editors of
their own; saving belongs to the Goals tab.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import ValidationError
from mentor_desk.services.goals import Goal, GoalInput, milestone_progress
from mentor_desk.services.mentee_names import MenteeRef
from mentor_desk.services.types import (
    GoalCategory,
    GoalStatus,
    ProgressMode,
    Visibility,
)
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.choices import chosen, enum_combo, set_choice
from mentor_desk.ui.widgets.field_errors import FieldErrors
from mentor_desk.ui.widgets.goal_delegates import DATE_FORMAT

#: The label of each field, by the name a :class:`ValidationError` uses for it.
FIELD_LABELS = {
    "mentee": "Mentee",
    "title": "Title",
    "description": "Description",
    "category": "Category",
    "target date": "Target date",
    "status": "Status",
    "progress mode": "Progress from",
    "progress": "Progress",
    "visibility": "Visible to",
}
#: Fields that share another field's row (and its error line).
_ROW_OF = {"progress mode": "progress"}
#: How the progress mode reads in the form.
MODE_LABELS = {ProgressMode.MANUAL: "Set by hand", ProgressMode.MILESTONES: "From milestones"}


class GoalForm(QWidget):
    """The fields of one goal.

    Signals:
        edited(): any field changed (by the user or by :meth:`load`).
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._baseline: GoalInput | None = None
        self._presentation_id: int | None = None
        self._milestones = (0, 0)
        self._mentee_source: Callable[[], Sequence[MenteeRef]] | None = None
        self.mentee = named(QComboBox(), "Mentee", "Whose goal this is")
        self.title = named(QLineEdit(), "Title", "Required")
        self.description = named(QPlainTextEdit(), "Description", "Plain text or Markdown")
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText("What success looks like (Markdown welcome)")
        self.description.setMinimumHeight(QFontMetrics(self.font()).lineSpacing() * 3 + 14)
        self.category = enum_combo("Category", list(GoalCategory))
        self.target_known = named(QCheckBox("Set"), "Target date set")
        self.target_date = named(QDateEdit(), "Target date")
        self.target_date.setCalendarPopup(True)
        self.target_date.setDisplayFormat(DATE_FORMAT)
        self.status = enum_combo("Status", list(GoalStatus))
        self.progress_mode = enum_combo("Progress from", list(ProgressMode), labels=MODE_LABELS)
        self.slider = named(QSlider(Qt.Orientation.Horizontal), "Progress slider")
        self.slider.setRange(0, 100)
        self.slider.setPageStep(10)
        self.progress = named(QSpinBox(), "Progress", "From 0 to 100 %")
        self.progress.setRange(0, 100)
        self.progress.setSuffix(" %")
        self.computed = named(QLabel(), "Progress from milestones")
        self.visibility = enum_combo("Visible to", list(Visibility))
        self.lmp_marker = named(QLabel("From LMP review"), "From LMP review")
        self.lmp_marker.setToolTip("Created from an LMP review's further targeted actions.")
        # A rounded tag in the palette's own colours (no colour of its own: light and dark alike).
        self.lmp_marker.setStyleSheet(
            "QLabel { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 9px;"
            " background: palette(alternate-base); }"
        )
        self.warnings = named(QLabel(), "Date warnings")
        self.warnings.setWordWrap(True)
        self.errors = FieldErrors(FIELD_LABELS, self.widget_for, rows=_ROW_OF)
        self.banner = self.errors.banner
        self._build()
        self._connect()
        self.load(None, mentee_id=None)

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        target = QHBoxLayout()
        target.addWidget(self.target_known)
        target.addWidget(self.target_date, 1)
        manual = QWidget()
        manual_row = QHBoxLayout(manual)
        manual_row.setContentsMargins(0, 0, 0, 0)
        manual_row.addWidget(self.slider, 1)
        manual_row.addWidget(self.progress)
        self.progress_stack = QStackedWidget()
        self.progress_stack.addWidget(manual)
        self.progress_stack.addWidget(self.computed)
        progress = QHBoxLayout()  # how progress is set, then its value
        progress.addWidget(self.progress_mode)
        progress.addWidget(self.progress_stack, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows: list[tuple[str, str, QWidget | QHBoxLayout]] = [
            # Mnemonics clear of the menus (F, E, V, H), the toolbar (M) and Save (S).
            ("mentee", "Mentee", self.mentee),
            ("title", "&Title", self.title),
            ("description", "Descriptio&n", self.description),
            ("category", "&Category", self.category),
            ("target date", "Ta&rget date", target),
            ("status", "Stat&us", self.status),
            ("progress", "&Progress", progress),
            ("visibility", "Visi&ble to", self.visibility),
        ]
        for field, label, widget in rows:
            self.errors.add_row(form, label, widget, field)
        marker = QHBoxLayout()
        marker.addWidget(self.lmp_marker)
        marker.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.banner)
        outer.addLayout(marker)
        outer.addLayout(form)
        outer.addWidget(self.warnings)

    def _connect(self) -> None:
        self.title.textChanged.connect(self._changed)
        self.description.textChanged.connect(self._changed)
        for combo in (self.mentee, self.category, self.status, self.visibility):
            combo.currentIndexChanged.connect(self._changed)
        self.progress_mode.currentIndexChanged.connect(self._mode_changed)
        self.slider.valueChanged.connect(self.progress.setValue)
        self.progress.valueChanged.connect(self.slider.setValue)
        self.progress.valueChanged.connect(self._changed)
        self.target_known.toggled.connect(self._target_known_toggled)
        self.target_date.dateChanged.connect(self._changed)

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _mode_changed(self) -> None:
        self._show_mode()
        self._changed()

    def _show_mode(self) -> None:
        from_milestones = self.mode() is ProgressMode.MILESTONES
        self.progress_stack.setCurrentIndex(1 if from_milestones else 0)

    def _target_known_toggled(self, known: bool) -> None:
        self.target_date.setEnabled(known)
        self._changed()

    # --- data -------------------------------------------------------------------------------

    def set_mentees(self, mentees: Sequence[MenteeRef]) -> None:
        """The mentees a new goal can belong to (the current choice is kept if still there)."""
        self._mentee_source = None
        current = self.mentee.currentData()
        self._loading = True
        try:
            self.mentee.clear()
            for ref in mentees:
                self.mentee.addItem(ref.name, ref.id)
            set_choice(self.mentee, current)
        finally:
            self._loading = False

    def defer_mentees(self, source: Callable[[], Sequence[MenteeRef]]) -> None:
        """Set the mentees from ``source`` now if the form is on show, else before it is next
        filled: a tab opening on an empty editor need not list every mentee."""
        self._mentee_source = source
        if self.isVisible():
            self._fill_deferred_mentees()

    def _fill_deferred_mentees(self) -> None:
        source, self._mentee_source = self._mentee_source, None
        if source is not None:
            self.set_mentees(source())

    def set_milestones(self, done: int, total: int) -> None:
        """The milestone counts the "from milestones" progress is worked out from."""
        self._milestones = (done, total)
        value = milestone_progress(done, total)
        counts = f"{done} of {total} milestone{'s' * (total != 1)} done" if total else "none yet"
        self.computed.setText(f"{value} % ({counts})")

    def load(self, goal: Goal | None, *, mentee_id: int | None) -> None:
        """Show ``goal``, or a new goal's defaults for ``mentee_id``; the form is clean after."""
        new = goal is None
        data = (
            self._input_of(goal)
            if goal is not None
            else GoalInput(mentee_id=mentee_id or 0, title="")
        )
        self._fill(data)
        self.mentee.setEnabled(new)
        if goal is not None:
            done = sum(1 for m in goal.milestones if m.done)
            self.set_milestones(done, len(goal.milestones))
        else:
            self.set_milestones(0, 0)
        self.lmp_marker.setVisible(data.presentation_id is not None)
        self.show_warnings(goal.date_warnings if goal is not None else ())
        self.clear_errors()
        self._baseline = self.value()
        self.edited.emit()

    def restore_draft(self, data: GoalInput) -> None:
        """Put an unsaved draft over what is loaded: the form is dirty (unsaved) afterwards."""
        self._fill(data)
        self.edited.emit()

    def _fill(self, data: GoalInput) -> None:
        self._fill_deferred_mentees()
        self._loading = True
        try:
            self._presentation_id = data.presentation_id
            set_choice(self.mentee, data.mentee_id)
            self.title.setText(data.title)
            self.description.setPlainText(data.description)
            set_choice(self.category, data.category)
            known = isinstance(data.target_date, date)
            self.target_known.setChecked(known)
            self.target_date.setEnabled(known)
            day = data.target_date if isinstance(data.target_date, date) else None
            self.target_date.setDate(QDate(day) if day else QDate.currentDate().addMonths(3))
            set_choice(self.status, data.status)
            set_choice(self.progress_mode, data.progress_mode)
            self.progress.setValue(data.progress)
            set_choice(self.visibility, data.visibility)
        finally:
            self._loading = False
        self._show_mode()

    @staticmethod
    def _input_of(goal: Goal) -> GoalInput:
        return GoalInput(
            mentee_id=goal.mentee_id,
            title=goal.title,
            description=goal.description,
            category=goal.category,
            target_date=goal.target_date,
            status=goal.status,
            progress_mode=goal.progress_mode,
            progress=goal.manual_progress,
            visibility=goal.visibility,
            presentation_id=goal.presentation_id,
        )

    def mode(self) -> ProgressMode:
        return chosen(self.progress_mode, ProgressMode, ProgressMode.MANUAL)

    def value(self) -> GoalInput:
        """What the form holds now, unchecked; the service validates it."""
        self.progress.interpretText()
        mentee_id = self.mentee.currentData()
        return GoalInput(
            mentee_id=mentee_id if isinstance(mentee_id, int) else 0,
            title=self.title.text(),
            description=self.description.toPlainText(),
            category=chosen(self.category, GoalCategory, GoalCategory.CAREER),
            target_date=self.target_date.date().toPython()
            if self.target_known.isChecked()
            else None,
            status=chosen(self.status, GoalStatus, GoalStatus.NOT_STARTED),
            progress_mode=self.mode(),
            progress=self.progress.value(),
            visibility=chosen(self.visibility, Visibility, Visibility.SHARED_WITH_MENTEE),
            presentation_id=self._presentation_id,
        )

    def is_dirty(self) -> bool:
        return self._baseline is not None and self.value() != self._baseline

    def show_warnings(self, warnings: Sequence[str]) -> None:
        """Date warnings: a note, not an error; the goal is saved all the same."""
        self.warnings.setText("\n".join(f"Note: {w}." for w in warnings))
        self.warnings.setVisible(bool(warnings))

    # --- errors -----------------------------------------------------------------------------

    def show_error(self, error: ValidationError) -> None:
        """Show ``error`` next to its field (or above the form) and put the cursor there."""
        self.errors.show(error)

    def clear_errors(self) -> None:
        self.errors.clear()

    def widget_for(self, field: str) -> QWidget | None:
        """The input widget of a field, by its :class:`ValidationError` name."""
        widgets: dict[str, QWidget] = {
            "mentee": self.mentee,
            "title": self.title,
            "description": self.description,
            "category": self.category,
            "target date": self.target_known,
            "status": self.status,
            "progress mode": self.progress_mode,
            "progress": self.progress,
            "visibility": self.visibility,
        }
        return widgets.get(field)

    def visible_errors(self) -> dict[str, str]:
        """The error shown next to each field, for tests and assistive summaries."""
        return self.errors.visible()
