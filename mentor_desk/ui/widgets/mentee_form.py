"""The mentee editor: every field of a mentee in one form, and nothing else.

It is a view: it shows a :class:`Mentee` (or the defaults of a new one), gives back what is
typed as a :class:`MenteeInput`, knows whether that differs from what it loaded, and shows a
:class:`ValidationError` next to the field it names. Saving, asking and loading belong to the
Mentees tab.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import ValidationError
from mentor_desk.services.mentees import Mentee, MenteeInput
from mentor_desk.services.types import Cadence, Level, MenteeStatus, Track, Visibility
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.choices import chosen, enum_combo, set_choice
from mentor_desk.ui.widgets.field_errors import FieldErrors

#: The label of each field, by the name a :class:`ValidationError` uses for it.
FIELD_LABELS = {
    "name": "Name",
    "pronouns": "Pronouns",
    "role": "Role",
    "team": "Team",
    "level": "Level",
    "track": "Track",
    "email": "E-mail",
    "started_on": "Started on",
    "status": "Status",
    "in_general": "Programs",
    "cadence": "Meeting cadence",
    "career_aspiration": "Career aspiration",
    "learning_style": "Learning style",
    "notes": "Notes",
    "visibility": "Notes visible to",
    "tags": "Tags",
}
NOT_SET = "Not set"


def _text_box(name: str, lines: int) -> QPlainTextEdit:
    box = named(QPlainTextEdit(), name)
    box.setTabChangesFocus(True)  # Tab moves on through the form, as in every other field
    height = QFontMetrics(box.font()).lineSpacing() * lines + 14
    if lines <= 3:
        box.setFixedHeight(height)
    else:
        box.setMinimumHeight(height)
    return box


class MenteeForm(QWidget):
    """The fields of one mentee.

    Signals:
        edited(): any field changed (by the user or by :meth:`load`).
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._baseline: MenteeInput | None = None
        self.name = named(QLineEdit(), "Name", "Required")
        self.pronouns = named(QLineEdit(), "Pronouns")
        self.pronouns.setPlaceholderText("e.g. she/her")
        self.role = named(QLineEdit(), "Role")
        self.team = named(QLineEdit(), "Team")
        self.level = enum_combo("Level", list(Level), any_label=NOT_SET)
        self.track = enum_combo("Track", list(Track), any_label=NOT_SET)
        self.email = named(QLineEdit(), "E-mail")
        self.email.setPlaceholderText("optional")
        self.start_known = named(QCheckBox("Known"), "Start date known")
        self.started_on = named(QDateEdit(), "Started on")
        self.started_on.setCalendarPopup(True)
        self.started_on.setDisplayFormat("yyyy-MM-dd")
        self.status = enum_combo("Status", list(MenteeStatus))
        self.in_general = named(QCheckBox("General mentorship"), "General mentorship program")
        self.in_lmp = named(QCheckBox("LMP candidacy"), "LMP candidacy program")
        self.cadence = enum_combo("Meeting cadence", list(Cadence))
        self.career_aspiration = _text_box("Career aspiration", 2)
        self.learning_style = _text_box("Learning style", 2)
        self.notes = _text_box("Notes", 6)
        self.visibility = enum_combo("Notes visible to", list(Visibility))
        self.tags = named(QLineEdit(), "Tags", "Separate tags with commas")
        self.tags.setPlaceholderText("comma-separated, e.g. backend, remote")
        self.errors = FieldErrors(FIELD_LABELS, self.widget_for)
        self.banner = self.errors.banner
        self._build()
        self._connect()
        self.load(None)

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        start = QHBoxLayout()
        start.addWidget(self.start_known)
        start.addWidget(self.started_on, 1)
        programs = QVBoxLayout()  # stacked, so the form stays narrow beside the list
        programs.addWidget(self.in_general)
        programs.addWidget(self.in_lmp)
        rows: list[tuple[str, str, QWidget | QHBoxLayout | QVBoxLayout]] = [
            ("name", "&Name", self.name),
            ("pronouns", "Pro&nouns", self.pronouns),
            ("role", "&Role", self.role),
            ("team", "&Team", self.team),
            ("level", "&Level", self.level),
            ("track", "Trac&k", self.track),
            ("email", "&E-mail", self.email),
            ("started_on", "Started &on", start),
            ("status", "&Status", self.status),
            ("in_general", "Programs", programs),
            ("cadence", "&Cadence", self.cadence),
            ("career_aspiration", "Career &aspiration", self.career_aspiration),
            ("learning_style", "Learning st&yle", self.learning_style),
            ("notes", "Not&es", self.notes),
            ("visibility", "Notes &visible to", self.visibility),
            ("tags", "Ta&gs", self.tags),
        ]
        for field, label, widget in rows:
            self.errors.add_row(form, label, widget, field)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.banner)
        outer.addLayout(form)

    def _connect(self) -> None:
        for line in (self.name, self.pronouns, self.role, self.team, self.email, self.tags):
            line.textChanged.connect(self._changed)
        for box in (self.career_aspiration, self.learning_style, self.notes):
            box.textChanged.connect(self._changed)
        for combo in (self.track, self.status, self.cadence, self.visibility):
            combo.currentIndexChanged.connect(self._changed)
        self.level.currentIndexChanged.connect(self._level_changed)
        for check in (self.in_general, self.in_lmp):
            check.toggled.connect(self._changed)
        self.start_known.toggled.connect(self._start_known_toggled)
        self.started_on.dateChanged.connect(self._changed)

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _level_changed(self) -> None:
        level = chosen(self.level, Level)
        # A level decides its track; the track is only the user's to choose without a level.
        self.track.setEnabled(level is None)
        if level is not None:
            self.track.setCurrentIndex(self.track.findData(level.track.value))
        self._changed()

    def _start_known_toggled(self, known: bool) -> None:
        self.started_on.setEnabled(known)
        self._changed()

    # --- data -------------------------------------------------------------------------------

    def load(self, mentee: Mentee | None) -> None:
        """Show ``mentee``, or the defaults of a new mentee; the form is clean afterwards."""
        self._fill(mentee.to_input() if mentee is not None else MenteeInput(name=""))
        self.clear_errors()
        # What the widgets give back, not what went in: a text box may normalise line breaks,
        # and the form must not look edited the moment it is shown.
        self._baseline = self.value()
        self.edited.emit()

    def restore_draft(self, data: MenteeInput) -> None:
        """Put an unsaved draft over what is loaded: the form is dirty (unsaved) afterwards."""
        self._fill(data)
        self.edited.emit()

    def _fill(self, data: MenteeInput) -> None:
        self._loading = True
        try:
            self.name.setText(data.name)
            self.pronouns.setText(data.pronouns)
            self.role.setText(data.role)
            self.team.setText(data.team)
            self.email.setText(data.email)
            set_choice(self.level, data.level)
            set_choice(self.track, data.track)
            self._set_date(data.started_on if isinstance(data.started_on, date) else None)
            set_choice(self.status, data.status)
            self.in_general.setChecked(bool(data.in_general))
            self.in_lmp.setChecked(bool(data.in_lmp))
            set_choice(self.cadence, data.cadence)
            self.career_aspiration.setPlainText(data.career_aspiration)
            self.learning_style.setPlainText(data.learning_style)
            self.notes.setPlainText(data.notes)
            set_choice(self.visibility, data.visibility)
            self.tags.setText(", ".join(data.tags))
        finally:
            self._loading = False

    def value(self) -> MenteeInput:
        """What the form holds now, unchecked; the service validates it."""
        return MenteeInput(
            name=self.name.text(),
            pronouns=self.pronouns.text(),
            role=self.role.text(),
            team=self.team.text(),
            level=chosen(self.level, Level),
            track=chosen(self.track, Track),
            email=self.email.text(),
            started_on=self.started_on.date().toPython() if self.start_known.isChecked() else None,
            status=chosen(self.status, MenteeStatus, MenteeStatus.ACTIVE),
            in_general=self.in_general.isChecked(),
            in_lmp=self.in_lmp.isChecked(),
            career_aspiration=self.career_aspiration.toPlainText(),
            learning_style=self.learning_style.toPlainText(),
            notes=self.notes.toPlainText(),
            visibility=chosen(self.visibility, Visibility, Visibility.PRIVATE),
            cadence=chosen(self.cadence, Cadence, Cadence.WEEKLY),
            tags=tuple(tag.strip() for tag in self.tags.text().split(",") if tag.strip()),
        )

    def is_dirty(self) -> bool:
        return self._baseline is not None and self.value() != self._baseline

    def _set_date(self, value: date | None) -> None:
        self.start_known.setChecked(value is not None)
        self.started_on.setEnabled(value is not None)
        self.started_on.setDate(QDate(value) if value is not None else QDate.currentDate())

    # --- errors -----------------------------------------------------------------------------

    def show_error(self, error: ValidationError) -> None:
        """Show ``error`` next to its field (or above the form) and put the cursor there."""
        self.errors.show(error)

    def clear_errors(self) -> None:
        self.errors.clear()

    def widget_for(self, field: str) -> QWidget | None:
        """The input widget of a field ("in_general" gives the first program box)."""
        if field == "started_on":
            return self.start_known
        candidate = getattr(self, field, None)
        return candidate if isinstance(candidate, QWidget) else None

    def visible_errors(self) -> dict[str, str]:
        """The error shown next to each field, for tests and assistive summaries."""
        return self.errors.visible()
