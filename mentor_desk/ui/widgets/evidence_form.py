"""The evidence editor: the fields of one evidence entry, as a view.

It shows an :class:`EvidenceEntry` (or the defaults of a new one: today, recorded by the sponsor,
shareable in leadership documents), gives back what is entered as an :class:`EvidenceInput`,
knows whether that differs from what it loaded, and shows a :class:`ValidationError` by its field.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import ValidationError
from mentor_desk.services.evidence import EvidenceEntry, EvidenceInput
from mentor_desk.services.framework import AreaInfo
from mentor_desk.services.types import RecordedBy, Visibility
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.choices import chosen, enum_combo, set_choice
from mentor_desk.ui.widgets.dates import (
    date_edit,
    date_of,
    set_date,
)
from mentor_desk.ui.widgets.evidence_areas import AreaChecklist
from mentor_desk.ui.widgets.field_errors import FieldErrors
from mentor_desk.ui.widgets.lmp_text import MarkdownEditor, SourceLink

FIELD_LABELS = {
    "occurred_on": "Date",
    "areas": "Areas",
    "title": "Title",
    "narrative": "Narrative",
    "source": "Source",
    "recorded_by": "Recorded by",
    "visibility": "Visible to",
}


class EvidenceForm(QWidget):
    """The fields of one evidence entry.

    Signals:
        edited(): any field changed (by the user or by :meth:`load`).
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._baseline: EvidenceInput | None = None
        self.occurred_on = date_edit("Date")
        self.recorded_by = enum_combo("Recorded by", list(RecordedBy))
        self.visibility = enum_combo("Visible to", list(Visibility))
        self.title = named(QLineEdit(), "Title", "Required")
        self.title.setPlaceholderText("What happened, in a few words")
        self.source = named(QLineEdit(), "Source", "A link, a document or a meeting")
        self.source.setPlaceholderText("A link, document or meeting (optional)")
        self.source_link = SourceLink()
        self.areas = AreaChecklist()
        self.narrative = MarkdownEditor("Narrative", "&Narrative (Markdown)")
        self.narrative.editor.setPlaceholderText(
            "What happened, what the candidate did, and what came of it"
        )
        self.errors = FieldErrors(FIELD_LABELS, self.widget_for)
        self._build()
        self._connect()

    def _build(self) -> None:
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        row = QHBoxLayout()
        for text, widget in (
            ("&Date", self.occurred_on),
            ("Recorded &by", self.recorded_by),
            ("&Visible to", self.visibility),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addSpacing(4)
            row.addWidget(widget)
            row.addSpacing(12)
        row.addStretch(1)
        grid.addLayout(row, 0, 0, 1, 2)
        grid.addWidget(self.errors.label("occurred_on"), 1, 1)
        for number, (field, text, widget) in enumerate(
            (("title", "&Title", self.title), ("source", "S&ource", self.source)), start=1
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, number * 2, 0)
            grid.addWidget(widget, number * 2, 1)
            grid.addWidget(self.errors.label(field), number * 2 + 1, 1)
        link_row = QHBoxLayout()
        link_row.addWidget(self.source_link, 1)
        grid.addLayout(link_row, 6, 1)
        grid.setColumnStretch(1, 1)

        areas_box = QWidget()
        areas_layout = QVBoxLayout(areas_box)
        areas_layout.setContentsMargins(0, 0, 0, 0)
        areas_layout.setSpacing(2)
        areas_label = QLabel("&Areas (at least one)")
        areas_label.setBuddy(self.areas)
        areas_layout.addWidget(areas_label)
        areas_layout.addWidget(self.areas, 1)
        areas_layout.addWidget(self.errors.label("areas"))
        text_box = QWidget()
        text_layout = QVBoxLayout(text_box)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.setSpacing(2)
        text_layout.addWidget(self.narrative, 1)
        text_layout.addWidget(self.errors.label("narrative"))
        self.split = QSplitter()
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(areas_box)
        self.split.addWidget(text_box)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([230, 500])

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.errors.banner)
        outer.addLayout(grid)
        outer.addWidget(self.split, 1)

    def _connect(self) -> None:
        self.occurred_on.dateChanged.connect(self._changed)
        self.recorded_by.currentIndexChanged.connect(self._changed)
        self.visibility.currentIndexChanged.connect(self._changed)
        self.title.textChanged.connect(self._changed)
        self.source.textChanged.connect(self._source_changed)
        self.areas.changed.connect(self._changed)
        self.narrative.edited.connect(self._changed)

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _source_changed(self, text: str) -> None:
        self.source_link.set_source(text)
        self._changed()

    # --- data -------------------------------------------------------------------------------

    def set_areas(self, areas: Sequence[AreaInfo]) -> None:
        """The framework to tick from; keeps the form clean if it was."""
        clean = not self.is_dirty()
        self._loading = True
        try:
            self.areas.set_areas(areas)
        finally:
            self._loading = False
        if clean:
            self._baseline = self.value()

    def load(self, entry: EvidenceEntry | None, *, areas: Sequence[str] = ()) -> None:
        """Show ``entry``, or a new entry (ticked ``areas``); the form is clean afterwards."""
        self._loading = True
        try:
            self._set_date(entry.occurred_on if entry else date.today())
            set_choice(self.recorded_by, entry.recorded_by if entry else RecordedBy.SPONSOR)
            set_choice(self.visibility, entry.visibility if entry else Visibility.LEADERSHIP)
            self.title.setText(entry.title if entry else "")
            self.source.setText(entry.source if entry else "")
            self.areas.set_checked(entry.area_codes if entry else areas)
            self.narrative.set_text(entry.narrative if entry else "")
        finally:
            self._loading = False
        self.source_link.set_source(self.source.text())
        self.errors.clear()
        self._baseline = self.value()
        self.edited.emit()

    def restore_draft(self, data: EvidenceInput) -> None:
        """Put an unsaved draft over what is loaded: the form is dirty (unsaved) afterwards."""
        self._loading = True
        try:
            if isinstance(data.occurred_on, date):
                self._set_date(data.occurred_on)
            set_choice(self.recorded_by, data.recorded_by)
            set_choice(self.visibility, data.visibility)
            self.title.setText(data.title)
            self.source.setText(data.source)
            self.areas.set_checked([str(code) for code in data.areas])
            self.narrative.set_text(data.narrative)
        finally:
            self._loading = False
        self.source_link.set_source(self.source.text())
        self.edited.emit()

    def _set_date(self, value: date) -> None:
        set_date(self.occurred_on, value)

    def value(self) -> EvidenceInput:
        """What the form holds now, unchecked; the service validates it."""
        return EvidenceInput(
            occurred_on=date_of(self.occurred_on),
            areas=self.areas.checked_codes(),
            title=self.title.text(),
            narrative=self.narrative.text(),
            source=self.source.text(),
            recorded_by=chosen(self.recorded_by, RecordedBy, RecordedBy.SPONSOR),
            visibility=chosen(self.visibility, Visibility, Visibility.LEADERSHIP),
        )

    def is_dirty(self) -> bool:
        return self._baseline is not None and self.value() != self._baseline

    # --- errors -----------------------------------------------------------------------------

    def show_error(self, error: ValidationError) -> None:
        self.errors.show(error)

    def widget_for(self, field: str) -> QWidget | None:
        widgets: dict[str, QWidget] = {
            "occurred_on": self.occurred_on,
            "areas": self.areas,
            "title": self.title,
            "narrative": self.narrative.editor,
            "source": self.source,
            "recorded_by": self.recorded_by,
            "visibility": self.visibility,
        }
        return widgets.get(field)
