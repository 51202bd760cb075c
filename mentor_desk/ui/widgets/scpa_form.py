"""The editor of one weekly SCPA update: the week and its four short texts.

An update belongs to a week, filed under its Monday; whatever day is picked, the week picker moves
to that Monday and says which week it means.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import ValidationError
from mentor_desk.services.scpa import TEXT_FIELDS, ScpaUpdateInfo, week_start
from mentor_desk.services.types import Visibility
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.choices import chosen, enum_combo, set_choice
from mentor_desk.ui.widgets.dates import date_edit
from mentor_desk.ui.widgets.field_errors import FieldErrors

FIELD_LABELS = {
    "week_of": "Week",
    "success": "Success",
    "challenges": "Challenges",
    "priorities": "Priorities",
    "appreciation": "Appreciation",
    "visibility": "Visible to",
}
HINTS = {
    "success": "What went well this week",
    "challenges": "What was hard, and what is blocked",
    "priorities": "What comes first next week",
    "appreciation": "Who to thank, and for what",
}


@dataclass(frozen=True, slots=True)
class ScpaValue:
    """What the form holds: the arguments of create_scpa / update_scpa."""

    week_of: date
    success: str
    challenges: str
    priorities: str
    appreciation: str
    visibility: Visibility


def week_text(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    return f"Monday {monday:%d %b} to Sunday {sunday:%d %b %Y}"


class ScpaForm(QWidget):
    """The fields of one SCPA update.

    Signals:
        edited(): any field changed.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._baseline: ScpaValue | None = None
        self.week_of = date_edit("Week of")
        self.week_of.setToolTip("Any day of the week; the update is filed under its Monday")
        self.week_label = named(QLabel(), "Week shown")
        self.visibility = enum_combo("SCPA visible to", list(Visibility))
        self.texts: dict[str, QPlainTextEdit] = {}
        for field in TEXT_FIELDS:
            box = named(QPlainTextEdit(), FIELD_LABELS[field], HINTS[field])
            box.setPlaceholderText(HINTS[field])
            box.setTabChangesFocus(True)
            box.setMinimumHeight(QFontMetrics(box.font()).lineSpacing() * 3 + 14)
            self.texts[field] = box
        self.errors = FieldErrors(FIELD_LABELS, self.widget_for)
        self._build()
        self.week_of.dateChanged.connect(self._week_changed)
        self.visibility.currentIndexChanged.connect(self._changed)
        for box in self.texts.values():
            box.textChanged.connect(self._changed)
        self.load(None)

    def _build(self) -> None:
        top = QHBoxLayout()
        week = QLabel("&Week of")
        week.setBuddy(self.week_of)
        shown = QLabel("Visible &to")
        shown.setBuddy(self.visibility)
        top.addWidget(week)
        top.addWidget(self.week_of)
        top.addWidget(self.week_label, 1)
        top.addWidget(shown)
        top.addWidget(self.visibility)
        grid = QGridLayout()
        grid.setVerticalSpacing(2)
        mnemonics = {"success": "Su&ccess", "challenges": "C&hallenges"}
        mnemonics |= {"priorities": "&Priorities", "appreciation": "&Appreciation"}
        for number, field in enumerate(TEXT_FIELDS):
            row, column = divmod(number, 2)
            label = QLabel(mnemonics[field])
            label.setBuddy(self.texts[field])
            grid.addWidget(label, row * 3, column)
            grid.addWidget(self.texts[field], row * 3 + 1, column)
            grid.addWidget(self.errors.label(field), row * 3 + 2, column)
            grid.setRowStretch(row * 3 + 1, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.errors.banner)
        outer.addLayout(top)
        outer.addWidget(self.errors.label("week_of"))
        outer.addLayout(grid, 1)

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _week_changed(self, picked: QDate) -> None:
        monday = week_start(picked.toPython())
        if monday != picked.toPython():
            self.week_of.setDate(QDate(monday))  # comes back here with the Monday
            return
        self.week_label.setText(week_text(monday))
        self._changed()

    # --- data -------------------------------------------------------------------------------

    def load(self, update: ScpaUpdateInfo | None, *, week: date | None = None) -> None:
        """Show ``update``, or a new one for ``week`` (default: this week)."""
        self._loading = True
        try:
            monday = update.week_of if update else week_start(week or date.today())
            self.week_of.setDate(QDate(monday))
            self.week_label.setText(week_text(monday))
            set_choice(self.visibility, update.visibility if update else Visibility.LEADERSHIP)
            for field, box in self.texts.items():
                box.setPlainText(getattr(update, field) if update else "")
        finally:
            self._loading = False
        self.errors.clear()
        self._baseline = self.value()
        self.edited.emit()

    def restore_draft(self, data: ScpaValue) -> None:
        """Put an unsaved draft over what is loaded: the form is dirty (unsaved) afterwards."""
        self._loading = True
        try:
            self.week_of.setDate(QDate(week_start(data.week_of)))
            set_choice(self.visibility, data.visibility)
            for field, box in self.texts.items():
                box.setPlainText(str(getattr(data, field)))
        finally:
            self._loading = False
        self.edited.emit()

    def value(self) -> ScpaValue:
        texts = {field: box.toPlainText() for field, box in self.texts.items()}
        return ScpaValue(
            week_of=week_start(self.week_of.date().toPython()),
            visibility=chosen(self.visibility, Visibility, Visibility.LEADERSHIP),
            **texts,
        )

    def is_dirty(self) -> bool:
        return self._baseline is not None and self.value() != self._baseline

    def show_error(self, error: ValidationError) -> None:
        self.errors.show(error)

    def widget_for(self, field: str) -> QWidget | None:
        if field == "week_of":
            return self.week_of
        if field == "visibility":
            return self.visibility
        return self.texts.get(field)
