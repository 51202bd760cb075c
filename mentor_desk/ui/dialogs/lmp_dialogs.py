"""Small LMP dialogs: enrol a mentee, record a presentation; and the base they share.

Each dialog calls its service when OK is pressed. A :class:`ValidationError` is shown next to the
field it names and the dialog stays open with everything typed; on success the dialog closes and
keeps what the service returned in :attr:`LmpDialog.result_value`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mentor_desk import APP_NAME
from mentor_desk.errors import UserError, ValidationError
from mentor_desk.services.lmp import enroll, record_presentation
from mentor_desk.services.types import Database
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.dates import date_edit, date_of
from mentor_desk.ui.widgets.field_errors import FieldErrors


class LmpDialog(QDialog):
    """A form dialog whose OK button runs :meth:`submit`.

    Args:
        title: the window title (the app name is added).
        intro: a sentence above the fields.
        labels: each field's label, by the name a ValidationError uses for it.
        ok_text: what the OK button says ("Enrol", "Record").
    """

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        intro: str,
        labels: dict[str, str],
        ok_text: str,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{title} — {APP_NAME}")
        named(self, title)
        self.result_value: Any = None
        self._widgets: dict[str, QWidget] = {}
        self.errors = FieldErrors(labels, self.widget_for)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox()
        self.ok_button = named(
            self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole), ok_text
        )
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        named(cancel, "Cancel")
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.errors.banner)
        layout.addLayout(self.form)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.buttons)

    def add_row(self, field: str, label: str, widget: QWidget | QLayout, focus: QWidget) -> None:
        """A labelled field with its error label under it; ``focus`` is its input widget."""
        self.errors.add_row(self.form, label, widget, field, focus=focus)
        self._widgets[field] = focus

    def widget_for(self, field: str) -> QWidget | None:
        return self._widgets.get(field)

    def submit(self) -> Any:
        """Call the service with what is entered; return its result. Subclasses implement it."""
        raise NotImplementedError

    def show_error(self, error: ValidationError) -> None:
        self.errors.show(error)
        self.fit()

    def fit(self) -> None:
        """Grow to show a message that appeared, rather than squeeze the fields under it."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        wanted = self.sizeHint().height()
        if wanted > self.height():
            self.resize(self.width(), wanted)

    def accept(self) -> None:
        try:
            self.result_value = self.submit()
        except ValidationError as exc:
            self.show_error(exc)
            return
        except UserError as exc:
            self.errors.show_message(str(exc))
            self.fit()
            return
        super().accept()


class EnrolDialog(LmpDialog):
    """Make a mentee an LMP candidate: the sponsor and the date."""

    def __init__(
        self, parent: QWidget | None, db: Database, mentee_id: int, name: str, sponsor: str = ""
    ) -> None:
        super().__init__(
            parent,
            "Enrol in the LMP",
            f"Enrol {name} as a candidate in the Lead Mentorship Program. The sponsor is the "
            "candidate's manager, who keeps the evidence log complete.",
            {"sponsor_name": "Sponsor", "enrolled_on": "Enrolled on"},
            "Enrol",
        )
        self._db = db
        self._mentee_id = mentee_id
        self.sponsor = named(QLineEdit(sponsor), "Sponsor", "The candidate's manager; required")
        self.sponsor.setPlaceholderText("The candidate's manager")
        self.enrolled_on = date_edit("Enrolled on")
        self.add_row("sponsor_name", "&Sponsor", self.sponsor, self.sponsor)
        self.add_row("enrolled_on", "&Enrolled on", self.enrolled_on, self.enrolled_on)
        self.setMinimumWidth(440)

    def submit(self) -> Any:
        return enroll(
            self._db,
            self._mentee_id,
            sponsor_name=self.sponsor.text(),
            enrolled_on=date_of(self.enrolled_on),
        )


class PresentationDialog(LmpDialog):
    """Record that the dossier was presented: the date and the reviewers."""

    def __init__(self, parent: QWidget | None, db: Database, record_id: int, name: str) -> None:
        super().__init__(
            parent,
            "Record presentation",
            f"Record that {name}'s dossier was presented to the leadership group. The group's "
            "decision is recorded afterwards.",
            {"presented_on": "Presented on", "reviewers": "Reviewers", "state": "State"},
            "Record",
        )
        self._db = db
        self._record_id = record_id
        self.presented_on = date_edit("Presented on")
        self.reviewers = named(QPlainTextEdit(), "Reviewers", "One reviewer per line")
        self.reviewers.setPlaceholderText("One reviewer per line")
        self.reviewers.setTabChangesFocus(True)
        self.reviewers.setFixedHeight(QFontMetrics(self.reviewers.font()).lineSpacing() * 5 + 14)
        self.add_row("presented_on", "&Presented on", self.presented_on, self.presented_on)
        self.add_row("reviewers", "&Reviewers", self.reviewers, self.reviewers)
        self.setMinimumWidth(440)

    def submit(self) -> Any:
        return record_presentation(
            self._db,
            self._record_id,
            presented_on=date_of(self.presented_on),
            reviewers=self.reviewers.toPlainText(),
        )


def open_dialog(dialog: LmpDialog, on_accepted: Callable[[Any], object]) -> None:
    """Show ``dialog`` window-modal; ``on_accepted`` gets what its service returned."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(result: int) -> None:
        if result == QDialog.DialogCode.Accepted:
            on_accepted(dialog.result_value)

    dialog.finished.connect(finished)
    dialog.open()
