"""Record (or change) one piece of feedback: observe / impact / request, as given to a mentee.

The Radical Candor quadrant is optional and for the mentor's own reflection. Feedback starts
private, like session notes. The dialog saves through the feedback service itself and reports
what it wrote with :attr:`FeedbackDialog.saved` or :attr:`FeedbackDialog.deleted`.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk import APP_NAME
from mentor_desk.errors import UserError
from mentor_desk.services.feedback import (
    FeedbackInput,
    FeedbackRecord,
    create_feedback,
    delete_feedback,
    update_feedback,
)
from mentor_desk.services.types import CandorQuadrant, Database, Visibility
from mentor_desk.ui.dialogs.prompts import attempt_save, confirm, show_error
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.field_errors import FieldErrors

FIELD_LABELS = {
    "given_on": "Given on",
    "observation": "Observed",
    "impact": "Impact",
    "request": "Request",
    "quadrant": "Radical Candor",
    "visibility": "Visible to",
}
QUADRANT_HELP = (
    "Your own reflection on how the feedback was given: care personally x challenge directly.\n"
    "Radical candor: both. Ruinous empathy: care without challenge. Obnoxious aggression:\n"
    "challenge without care. Manipulative insincerity: neither."
)


def _box(name: str, hint: str) -> QPlainTextEdit:
    box = named(QPlainTextEdit(), name)
    box.setPlaceholderText(hint)
    box.setTabChangesFocus(True)
    box.setFixedHeight(QFontMetrics(box.font()).lineSpacing() * 3 + 14)
    return box


class FeedbackDialog(QDialog):
    """Feedback for ``mentee_id``, given in ``session_id`` (if any); ``record`` to change one.

    Signals:
        saved(object): the :class:`FeedbackRecord` written.
        deleted(int): the id of the feedback deleted.
    """

    saved = Signal(object)
    deleted = Signal(int)

    def __init__(
        self,
        db: Database,
        mentee_id: int,
        session_id: int | None = None,
        record: FeedbackRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._mentee_id = mentee_id
        self._session_id = record.session_id if record is not None else session_id
        self.record = record
        what = "Change feedback" if record is not None else "Record feedback"
        self.setWindowTitle(f"{what} — {APP_NAME}")
        named(self, what)
        self.given_on = named(QDateEdit(), "Given on")
        self.given_on.setCalendarPopup(True)
        self.given_on.setDisplayFormat("yyyy-MM-dd")
        self.observation = _box("Observed", "What did you see or hear? Facts, not judgements.")
        self.impact = _box("Impact", "What effect did it have, on you, the team or the work?")
        self.request = _box("Request", "What do you ask for: more of it, or something different?")
        self.quadrant = named(QComboBox(), "Radical Candor quadrant", QUADRANT_HELP)
        self.quadrant.setToolTip(QUADRANT_HELP)
        self.quadrant.addItem("Not set", None)
        for quadrant in CandorQuadrant:
            self.quadrant.addItem(quadrant.label, quadrant.value)
        self.visibility = named(QComboBox(), "Visible to")
        for level in Visibility:
            self.visibility.addItem(level.label, level.value)
        self.errors = FieldErrors(FIELD_LABELS, self.widget_for)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button: QPushButton | None = None
        if record is not None:
            self.delete_button = self.buttons.addButton(
                "&Delete…", QDialogButtonBox.ButtonRole.DestructiveRole
            )
            self.delete_button.clicked.connect(self._delete)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._build()
        self._show(record)
        self.resize(560, self.sizeHint().height())
        self.observation.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows = (
            ("given_on", "&Given on", self.given_on),
            ("observation", "&Observed", self.observation),
            ("impact", "&Impact", self.impact),
            ("request", "&Request", self.request),
            ("quadrant", "Radical &Candor", self.quadrant),
            ("visibility", "&Visible to", self.visibility),
        )
        for field, label, widget in rows:
            self.errors.add_row(form, label, widget, field)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors.banner)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _show(self, record: FeedbackRecord | None) -> None:
        self.given_on.setDate(QDate(record.given_on if record is not None else date.today()))
        if record is None:
            self.visibility.setCurrentIndex(self.visibility.findData(Visibility.PRIVATE.value))
            return
        self.observation.setPlainText(record.observation)
        self.impact.setPlainText(record.impact)
        self.request.setPlainText(record.request)
        quadrant = record.quadrant.value if record.quadrant is not None else None
        self.quadrant.setCurrentIndex(max(self.quadrant.findData(quadrant), 0))
        self.visibility.setCurrentIndex(max(self.visibility.findData(record.visibility.value), 0))

    def value(self) -> FeedbackInput:
        quadrant = self.quadrant.currentData()
        return FeedbackInput(
            mentee_id=self._mentee_id,
            observation=self.observation.toPlainText(),
            impact=self.impact.toPlainText(),
            request=self.request.toPlainText(),
            given_on=self.given_on.date().toPython(),  # type: ignore[arg-type]
            quadrant=CandorQuadrant(quadrant) if quadrant else None,
            visibility=Visibility(self.visibility.currentData()),
            session_id=self._session_id,
        )

    def accept(self) -> None:
        """Save; on a validation error the dialog stays open with the message by its field."""
        if self.record is None:
            write = partial(create_feedback, self._db, self.value())
        else:
            write = partial(update_feedback, self._db, self.record.id, self.value())
        written = attempt_save(self, write, self.errors.show, "Could not save the feedback")
        if written is None:
            return
        self.record = written
        self.saved.emit(written)
        super().accept()

    def _delete(self) -> None:
        if self.record is None or not confirm(
            self,
            "Delete feedback",
            "Delete this feedback?",
            "It goes to the trash: Edit > Undo delete (Ctrl+Z) brings it back.",
            action="Delete",
        ):
            return
        try:
            delete_feedback(self._db, self.record.id)
        except UserError as exc:
            show_error(self, exc, "Could not delete the feedback")
            return
        self.deleted.emit(self.record.id)
        super().reject()

    def widget_for(self, field: str) -> QWidget | None:
        widget = getattr(self, field, None)
        return widget if isinstance(widget, QWidget) else None
