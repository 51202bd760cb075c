"""The small dialog that starts a new session: with whom, what kind, and which template.

Picking a type selects the template that type uses; any other template (or blank notes) may be
chosen instead, and the template is shown rendered beside the list. The Sessions tab turns the
choice into an editor prefilled by :func:`~mentor_desk.services.sessions.new_session_draft`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mentor_desk import APP_NAME
from mentor_desk.services.mentees import find_mentees
from mentor_desk.services.sessions import SessionInput, new_session_draft
from mentor_desk.services.templates import (
    get_session_type,
    list_session_types,
    list_templates,
    template_for_type,
)
from mentor_desk.services.types import Database, MenteeStatus
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.session_markdown import render_markdown

BLANK = "Blank notes"


@dataclass(frozen=True, slots=True)
class NewSessionChoice:
    """What the user chose; ``template_id`` None with ``blank`` False: the type's template."""

    mentee_id: int
    session_type_id: int | None
    template_id: int | None
    blank: bool


class NewSessionDialog(QDialog):
    """Asks for the mentee (preselected), the session type and the template."""

    def __init__(self, db: Database, mentee_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"New session — {APP_NAME}")
        named(self, "New session")
        self.mentee = named(QComboBox(), "Mentee")
        for ref in find_mentees(db, ""):
            if ref.status is not MenteeStatus.ARCHIVED or ref.id == mentee_id:
                self.mentee.addItem(ref.name, ref.id)
        if mentee_id is not None:
            self.mentee.setCurrentIndex(max(self.mentee.findData(mentee_id), 0))
        self.session_type = named(QComboBox(), "Session type")
        self.session_type.addItem("No type", None)
        self._type_templates: dict[int, int | None] = {}
        for kind in list_session_types(db):
            self.session_type.addItem(kind.name, kind.id)
            self._type_templates[kind.id] = kind.template_id
        self.template = named(QListWidget(), "Template", "Prefills the notes")
        self._bodies: dict[int, str] = {}
        for template in list_templates(db):
            item = QListWidgetItem(template.name)
            item.setData(Qt.ItemDataRole.UserRole, template.id)
            self.template.addItem(item)
            self._bodies[template.id] = template.body
        self.template.addItem(QListWidgetItem(BLANK))
        self.preview = named(QTextBrowser(), "Template preview")
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton(
            "&Start session", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.session_type.currentIndexChanged.connect(self._type_changed)
        self.template.currentRowChanged.connect(self._template_changed)
        self.template.itemActivated.connect(lambda _item: self.accept())
        self._build()
        self.session_type.setCurrentIndex(1 if self.session_type.count() > 1 else 0)
        self._type_changed()
        self.start_button.setEnabled(self.mentee.count() > 0)
        self.resize(720, 420)

    def _build(self) -> None:
        form = QFormLayout()
        form.addRow("&Mentee", self.mentee)
        form.addRow("T&ype", self.session_type)
        form.addRow("&Template", self.template)
        for field in (self.mentee, self.session_type, self.template):
            label = form.labelForField(field)
            if label is not None and hasattr(label, "setBuddy"):
                label.setBuddy(field)
        row = QHBoxLayout()
        row.addLayout(form, 2)
        row.addWidget(self.preview, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.buttons)

    def _type_changed(self) -> None:
        kind = self.session_type.currentData()
        wanted = self._type_templates.get(kind) if kind is not None else None
        self.select_template(wanted)

    def select_template(self, template_id: int | None) -> None:
        """Select a template by id (None: blank notes)."""
        for number in range(self.template.count()):
            if self.template.item(number).data(Qt.ItemDataRole.UserRole) == template_id:
                self.template.setCurrentRow(number)
                return

    def select_template_named(self, name: str) -> None:
        found = self.template.findItems(name, Qt.MatchFlag.MatchExactly)
        if found:
            self.template.setCurrentItem(found[0])

    def _template_changed(self) -> None:
        item = self.template.currentItem()
        template_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        body = self._bodies.get(template_id, "") if template_id is not None else ""
        render_markdown(self.preview.document(), body or "*The notes start empty.*")

    def choice(self) -> NewSessionChoice | None:
        """What was chosen, or None when no mentee could be chosen."""
        mentee = self.mentee.currentData()
        if mentee is None:
            return None
        item = self.template.currentItem()
        template_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return NewSessionChoice(
            mentee_id=int(mentee),
            session_type_id=self.session_type.currentData(),
            template_id=template_id,
            blank=template_id is None,
        )


def ask_replace_notes(parent: QWidget | None, template_name: str) -> bool:
    """Whether to replace notes already written with the template of the type just chosen."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(f"Use the template? — {APP_NAME}")
    box.setAccessibleName("Use the template?")
    box.setText(f"This type of session starts from the template “{template_name}”.")
    box.setInformativeText("Replace the notes you have written with it, or keep your notes?")
    replace = box.addButton("Replace notes", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep my notes", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is replace


def draft_for(db: Database, choice: NewSessionChoice) -> SessionInput:
    """The new session the choice describes, prefilled (raises UserError if something is gone)."""
    data = new_session_draft(
        db,
        choice.mentee_id,
        session_type_id=choice.session_type_id,
        template_id=choice.template_id,
    )
    return replace(data, notes="") if choice.blank else data


def notes_for_type(
    parent: QWidget | None, db: Database, type_id: int, notes: str, untouched: str
) -> tuple[int, str | None]:
    """The length a type chosen for a new session brings, and the notes it offers (or None).

    Notes the user has not written in (empty, or still what the session started with) give way
    to the type's template at once; notes of their own are replaced only if they agree.
    """
    minutes = get_session_type(db, type_id).default_minutes
    template = template_for_type(db, type_id)
    if template is None or notes.strip() == template.body.strip():
        return minutes, None
    if notes.strip() in ("", untouched.strip()) or ask_replace_notes(parent, template.name):
        return minutes, template.body
    return minutes, None
