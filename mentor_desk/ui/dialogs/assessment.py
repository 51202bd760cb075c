"""The assessment dialog: one skill level (0-10) for one mentee on one day, added or edited.

The dialog saves through :func:`mentor_desk.services.skills.add_assessment` (or, given an
assessment to edit, :func:`~mentor_desk.services.skills.update_assessment`) when the user
confirms; a refused value is shown under the form and the dialog stays open with everything
typed, so nothing is lost.
"""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mentor_desk import APP_NAME
from mentor_desk.errors import UserError, ValidationError
from mentor_desk.services.skills import (
    MAX_LEVEL,
    MIN_LEVEL,
    AssessmentInput,
    SkillAssessment,
    add_assessment,
    list_skill_areas,
    update_assessment,
)
from mentor_desk.services.types import Assessor, Database, Visibility
from mentor_desk.ui.style import error_label, named
from mentor_desk.ui.widgets.choices import chosen, enum_combo, set_choice
from mentor_desk.ui.widgets.goal_delegates import DATE_FORMAT

#: The service's field names, and the widget attribute that edits each.
_FIELDS = {
    "level": "level",
    "assessed on": "assessed_on",
    "assessor": "assessor",
    "note": "note",
    "visibility": "visibility",
}


class AssessmentDialog(QDialog):
    """Adds one assessment for ``mentee_id`` (or edits ``record``, prefilled with it).

    :attr:`saved` holds what was stored after acceptance.
    """

    def __init__(
        self,
        db: Database,
        mentee_id: int,
        mentee_name: str,
        *,
        assessor: Assessor = Assessor.MENTOR,
        record: SkillAssessment | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._mentee_id = mentee_id
        self.record = record
        self.saved: SkillAssessment | None = None
        action = "Add assessment" if record is None else "Edit assessment"
        self.setWindowTitle(f"{action} for {mentee_name} — {APP_NAME}")
        self.setAccessibleName(action)
        self.skill = named(QComboBox(), "Skill area")
        for area in list_skill_areas(db):
            self.skill.addItem(area.name, area.id)
        self.level = named(QSpinBox(), "Level", f"From {MIN_LEVEL} to {MAX_LEVEL}")
        self.level.setRange(MIN_LEVEL, MAX_LEVEL)
        self.level.setValue(5)
        self.assessed_on = named(QDateEdit(QDate.currentDate()), "Assessed on")
        self.assessed_on.setCalendarPopup(True)
        self.assessed_on.setDisplayFormat(DATE_FORMAT)
        self.assessor = enum_combo("Assessor", list(Assessor))
        set_choice(self.assessor, assessor)
        self.note = named(QPlainTextEdit(), "Note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("What the level is based on (optional)")
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.visibility = enum_combo("Visible to", list(Visibility))
        set_choice(self.visibility, Visibility.SHARED_WITH_MENTEE)
        self.error = named(error_label(), "Assessment error")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add assessment" if record is None else "Save assessment")
        named(self.ok_button, self.ok_button.text())
        named(self.buttons.button(QDialogButtonBox.StandardButton.Cancel), "Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        if self.skill.count() == 0:
            self.error.setText("There are no skill areas yet: add some in the skill settings.")
            self.error.show()
            self.ok_button.setEnabled(False)

        form = QFormLayout()
        for label, widget in (
            ("&Skill area", self.skill),
            ("&Level (0-10)", self.level),
            ("&Date", self.assessed_on),
            ("Assess&ed by", self.assessor),
            ("&Note", self.note),
            ("&Visible to", self.visibility),
        ):
            form.addRow(label, widget)
            text_label = form.labelForField(widget)
            if isinstance(text_label, QLabel):
                text_label.setBuddy(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if record is not None:
            self._prefill(record)
        self.resize(420, self.sizeHint().height())

    def _prefill(self, record: SkillAssessment) -> None:
        set_choice(self.skill, record.skill_area_id)
        self.level.setValue(record.level)
        self.assessed_on.setDate(QDate(record.assessed_on))
        set_choice(self.assessor, record.assessor)
        self.note.setPlainText(record.note)
        self.note.moveCursor(QTextCursor.MoveOperation.End)  # to add to the note, not before it
        set_choice(self.visibility, record.visibility)

    def value(self) -> AssessmentInput:
        self.level.interpretText()
        area = self.skill.currentData()
        return AssessmentInput(
            mentee_id=self._mentee_id,
            skill_area_id=area if isinstance(area, int) else 0,
            level=self.level.value(),
            assessed_on=self.assessed_on.date().toPython(),
            assessor=chosen(self.assessor, Assessor, Assessor.MENTOR),
            note=self.note.toPlainText(),
            visibility=chosen(self.visibility, Visibility, Visibility.SHARED_WITH_MENTEE),
        )

    def accept(self) -> None:
        """Save, and close only when the service took it."""
        try:
            if self.record is None:
                self.saved = add_assessment(self._db, self.value())
            else:
                self.saved = update_assessment(self._db, self.record.id, self.value())
        except ValidationError as exc:
            message = exc.args[0] if exc.args else str(exc)
            field = exc.field or ""
            self.error.setText(f"Not saved: {field.capitalize()}: {message}" if field else str(exc))
            self.error.show()
            widget = getattr(self, _FIELDS.get(field, ""), None)
            if isinstance(widget, QWidget):
                widget.setFocus()
            return
        except UserError as exc:
            self.error.setText(f"Not saved: {exc}")
            self.error.show()
            return
        super().accept()
