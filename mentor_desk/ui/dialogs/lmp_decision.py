"""Record the leadership group's decision on a presentation.

Accepted, or further actions requested with a list of targeted actions. On OK,
:func:`record_decision` saves the decision and turns every action into a goal for the candidate,
all in one unit of work: either everything is saved or nothing is.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import ValidationError
from mentor_desk.services.lmp import PresentationInfo, RequestedAction, record_decision
from mentor_desk.services.types import Database, Decision, GoalCategory
from mentor_desk.ui.dialogs.lmp_dialogs import LmpDialog
from mentor_desk.ui.style import error_label, named
from mentor_desk.ui.widgets.choices import chosen, enum_combo, set_choice
from mentor_desk.ui.widgets.dates import OptionalDate, date_edit, date_of

_ACTION_FIELD = re.compile(r"^requested_actions\[(\d+)\](?:\.(\w+))?$")
_ACTION_LABELS = {
    "title": "Title",
    "description": "Description",
    "target_date": "Target date",
    "category": "Category",
}


class ActionRow(QFrame):
    """One requested action: title, category, target date and description."""

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = named(QLineEdit(), f"Action {number} title", "What the candidate should do")
        self.title.setPlaceholderText("What the candidate should do")
        self.category = enum_combo(f"Action {number} category", list(GoalCategory))
        set_choice(self.category, GoalCategory.SOFT_SKILLS)
        self.target_date = OptionalDate(
            "Set", f"Action {number} target date", what="has a target date", default_days=90
        )
        self.description = named(QLineEdit(), f"Action {number} description")
        self.description.setPlaceholderText("Details (optional)")
        self.remove = named(QPushButton("Remove"), f"Remove action {number}")
        self.error = named(error_label(), f"Action {number} error")
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setVerticalSpacing(2)
        # Title and details take the width; target and category sit at the right, aligned.
        rows = (
            (("Title", self.title), ("Target", self.target_date)),
            (("Details", self.description), ("Category", self.category)),
        )
        for row, pairs in enumerate(rows):
            for column, (text, widget) in enumerate(pairs):
                label = QLabel(text)
                label.setBuddy(widget.known if isinstance(widget, OptionalDate) else widget)
                grid.addWidget(label, row, column * 2)
                grid.addWidget(widget, row, column * 2 + 1)
        grid.addWidget(self.remove, 0, 4)
        grid.addWidget(self.error, 2, 1, 1, 4)
        grid.setColumnStretch(1, 1)

    def is_blank(self) -> bool:
        return not self.title.text().strip() and not self.description.text().strip()

    def value(self) -> RequestedAction:
        return RequestedAction(
            title=self.title.text(),
            description=self.description.text(),
            target_date=self.target_date.value(),
            category=chosen(self.category, GoalCategory, GoalCategory.SOFT_SKILLS),
        )

    def widget_for(self, field: str | None) -> QWidget:
        widgets: dict[str, QWidget] = {
            "description": self.description,
            "target_date": self.target_date.date,
            "category": self.category,
        }
        return widgets.get(field or "", self.title)


class DecisionDialog(LmpDialog):
    """The decision on one presentation, with the targeted actions it requests."""

    def __init__(
        self, parent: QWidget | None, db: Database, presentation: PresentationInfo, name: str
    ) -> None:
        reviewers = ", ".join(presentation.reviewers)
        super().__init__(
            parent,
            "Record decision",
            f"{name}'s dossier was presented on {presentation.presented_on.isoformat()} to "
            f"{reviewers}. What did the leadership group decide? Each requested action becomes "
            "a goal for the candidate.",
            {"decision": "Decision", "decided_on": "Decided on", "notes": "Notes"}
            | {"requested_actions": "Requested actions", "state": "State"},
            "Record decision",
        )
        self._db = db
        self._presentation = presentation
        self._sent: list[ActionRow] = []  # the rows sent with the last OK, by action index
        self.accepted_choice = named(QRadioButton("&Accepted"), "Accepted")
        self.further_choice = named(
            QRadioButton("&Further actions requested"), "Further actions requested"
        )
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.accepted_choice)
        self.choice.addButton(self.further_choice)
        self.accepted_choice.setChecked(True)
        choices = QHBoxLayout()
        choices.addWidget(self.accepted_choice)
        choices.addWidget(self.further_choice)
        choices.addStretch(1)
        self.decided_on = date_edit("Decided on")
        self.decided_on.setMinimumDate(QDate(presentation.presented_on))
        self.decided_on.setDate(QDate(max(date.today(), presentation.presented_on)))
        self.notes = named(QPlainTextEdit(), "Decision notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(QFontMetrics(self.notes.font()).lineSpacing() * 3 + 14)
        self.add_row("decision", "Decision", choices, self.accepted_choice)
        self.add_row("decided_on", "Decided &on", self.decided_on, self.decided_on)
        self.add_row("notes", "&Notes", self.notes, self.notes)
        self._build_actions()
        self.further_choice.toggled.connect(self._decision_changed)
        self._decision_changed(False)
        self.resize(720, 560)

    def _build_actions(self) -> None:
        self.actions_box = QWidget()
        box = QVBoxLayout(self.actions_box)
        box.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Requested actions (each becomes a goal for the candidate)")
        self.rows: list[ActionRow] = []
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(4)
        self.add_button = named(QPushButton("A&dd action"), "Add requested action")
        self.add_button.clicked.connect(lambda: self.add_action())
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(self.rows_layout)
        inner.addLayout(add_row)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(holder)
        box.addWidget(heading)
        box.addWidget(self.errors.label("requested_actions"))
        box.addWidget(scroll, 1)
        self.body.addWidget(self.actions_box, 1)
        self._widgets["requested_actions"] = self.add_button

    def add_action(self) -> ActionRow:
        """Add an empty action row and put the cursor in its title."""
        row = ActionRow(len(self.rows) + 1)
        row.remove.clicked.connect(lambda: self._remove(row))
        previous = self.rows[-1].remove if self.rows else self.notes
        self.rows.append(row)
        self.rows_layout.addWidget(row)
        # A row made now would join the end of the focus chain, after OK and Cancel.
        chain: list[QWidget] = [previous, row.title, row.description, row.target_date.known]
        chain += [row.target_date.date, row.category, row.remove, self.add_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        row.title.setFocus(Qt.FocusReason.OtherFocusReason)
        return row

    def _remove(self, row: ActionRow) -> None:
        self.rows.remove(row)
        self.rows_layout.removeWidget(row)
        row.deleteLater()

    def _decision_changed(self, further: bool) -> None:
        self.actions_box.setEnabled(further)
        if further and not self.rows:
            self.add_action()

    def decision(self) -> Decision:
        return Decision.FURTHER_ACTIONS if self.further_choice.isChecked() else Decision.ACCEPTED

    def submit(self) -> Any:
        for row in self.rows:
            row.error.hide()
        further = self.decision() is Decision.FURTHER_ACTIONS
        self._sent = [row for row in self.rows if not row.is_blank()] if further else []
        return record_decision(
            self._db,
            self._presentation.id,
            decision=self.decision(),
            decided_on=date_of(self.decided_on),
            notes=self.notes.toPlainText(),
            requested_actions=[row.value() for row in self._sent],
        )

    def show_error(self, error: ValidationError) -> None:
        match = _ACTION_FIELD.match(error.field or "")
        if match is None:
            super().show_error(error)
            return
        row = self._sent[int(match.group(1))]
        self.errors.show_message("Not saved: correct the action marked below.")
        label = _ACTION_LABELS.get(match.group(2) or "", "Action")
        message = error.args[0] if error.args else str(error)
        row.error.setText(f"{label}: {message}")
        row.error.show()
        row.widget_for(match.group(2)).setFocus()
        self.fit()
