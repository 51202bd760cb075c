"""Edit the session types and the Markdown templates that prefill a new session's notes.

Two pages in one dialog, each a list on the left and the selected entry's fields on the right.
Both lists are the mentor's own (they start from the defaults that ship with the app). Leaving an
entry with unsaved changes asks to save, discard or cancel, as everywhere in the window.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mentor_desk import APP_NAME
from mentor_desk.errors import UserError
from mentor_desk.services.templates import (
    MAX_CADENCE_DAYS,
    MAX_SESSION_MINUTES,
    SessionTypeInfo,
    SessionTypeInput,
    TemplateInfo,
    TemplateInput,
    create_session_type,
    create_template,
    delete_session_type,
    delete_template,
    list_session_types,
    list_templates,
    update_session_type,
    update_template,
)
from mentor_desk.services.types import Database
from mentor_desk.ui.dialogs.prompts import attempt_save, confirm, resolve_unsaved, show_error
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.field_errors import FieldErrors
from mentor_desk.ui.widgets.session_markdown import MarkdownEditor


class _ListPage(QWidget):
    """A list of named entries and the editor of the selected one (or of a new one).

    Subclasses say what the entries are: :meth:`fetch`, :meth:`show_entry`, :meth:`value` and
    :meth:`write` / :meth:`remove`.

    Signals:
        changed(): an entry was saved or deleted.
    """

    changed = Signal()
    noun = "entry"
    #: What deleting an entry does besides, for the confirmation.
    consequence = ""
    #: Whether the fields take the page's height (a long text does), or sit at the top.
    grows = False

    def __init__(self, db: Database, labels: dict[str, str]) -> None:
        super().__init__()
        self.db = db
        self.current: Any = None  # the entry shown, None for a new one
        self._baseline: object = None
        self._syncing = False
        self.list = named(QListWidget(), f"{self.noun.capitalize()}s")
        self.new_button = named(QPushButton(f"&New {self.noun}"), f"New {self.noun}")
        self.delete_button = named(QPushButton("&Delete…"), f"Delete {self.noun}")
        self.save_button = named(QPushButton(f"&Save {self.noun}"), f"Save {self.noun}")
        self.errors = FieldErrors(labels, self.widget_for)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.list.currentItemChanged.connect(self._picked)
        self.new_button.clicked.connect(self.new_entry)
        self.delete_button.clicked.connect(self.delete_entry)
        self.save_button.clicked.connect(lambda: self.save())

    def lay_out(self) -> None:
        """Build the page once the subclass has added its rows to :attr:`form`."""
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        column.addLayout(buttons)
        right = QWidget()
        editor = QVBoxLayout(right)
        editor.setContentsMargins(0, 0, 0, 0)
        editor.addWidget(self.errors.banner)
        editor.addLayout(self.form, 1 if self.grows else 0)
        if not self.grows:
            editor.addStretch(1)  # keep the fields together at the top
        save = QHBoxLayout()
        save.addStretch(1)
        save.addWidget(self.save_button)
        editor.addLayout(save)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([220, 560])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def add_row(self, field: str, label: str, widget: QWidget) -> None:
        self.errors.add_row(self.form, label, widget, field)

    # --- to implement -----------------------------------------------------------------------

    def fetch(self) -> list[Any]:
        raise NotImplementedError

    def show_entry(self, entry: Any) -> None:
        raise NotImplementedError

    def value(self) -> object:
        raise NotImplementedError

    def write(self, entry_id: int | None, data: Any) -> Any:
        raise NotImplementedError

    def remove(self, entry: Any) -> None:
        raise NotImplementedError

    def widget_for(self, field: str) -> QWidget | None:
        widget = getattr(self, field, None)
        return widget if isinstance(widget, QWidget) else None

    # --- behaviour --------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        """Fill the list again and show ``select_id`` (default: the first entry)."""
        entries = self.fetch()
        self._syncing = True
        try:
            self.list.clear()
            for entry in entries:
                item = QListWidgetItem(entry.name)
                item.setData(Qt.ItemDataRole.UserRole, entry)
                self.list.addItem(item)
                if entry.id == select_id:
                    self.list.setCurrentItem(item)
            if self.list.currentItem() is None and self.list.count():
                self.list.setCurrentRow(0)
        finally:
            self._syncing = False
        item = self.list.currentItem()
        self._show(item.data(Qt.ItemDataRole.UserRole) if item is not None else None)

    def _show(self, entry: Any) -> None:
        self.current = entry
        self.show_entry(entry)
        self.errors.clear()
        self._baseline = self.value()
        self.delete_button.setEnabled(entry is not None)

    def _picked(self, item: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        if self._syncing:
            return
        if not self.confirm_leave():
            self._syncing = True
            self.list.setCurrentItem(previous)
            self._syncing = False
            return
        self._show(item.data(Qt.ItemDataRole.UserRole) if item is not None else None)

    def is_dirty(self) -> bool:
        return self.value() != self._baseline

    def confirm_leave(self) -> bool:
        if not self.is_dirty():
            return True
        what = f"the {self.noun} “{self.current.name}”" if self.current else f"the new {self.noun}"
        return resolve_unsaved(
            self, what, partial(self.save, reload=False), partial(self._show, self.current)
        )

    def new_entry(self) -> None:
        if not self.confirm_leave():
            return
        self._syncing = True
        self.list.clearSelection()
        self.list.setCurrentItem(None)
        self._syncing = False
        self._show(None)
        first = self.widget_for("name")
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self, *, reload: bool = True) -> bool:
        write = partial(self.write, self.current.id if self.current else None, self.value())
        written = attempt_save(self, write, self.errors.show, f"Could not save the {self.noun}")
        if written is None:
            return False
        self.changed.emit()
        if reload:
            self.reload(written.id)
        else:  # another entry is about to be shown: keep the list, mark this one saved
            self.current = written
            self._baseline = self.value()
            self._syncing = True
            for number in range(self.list.count()):
                item = self.list.item(number)
                if item.data(Qt.ItemDataRole.UserRole).id == written.id:
                    item.setText(written.name)
                    item.setData(Qt.ItemDataRole.UserRole, written)
            self._syncing = False
        return True

    def delete_entry(self) -> None:
        entry = self.current
        if entry is None:
            return
        question = f"Delete the {self.noun} “{entry.name}”?"
        if not confirm(self, f"Delete {self.noun}", question, self.consequence, action="Delete"):
            return
        try:
            self.remove(entry)
        except UserError as exc:
            show_error(self, exc, f"Could not delete the {self.noun}")
            return
        self.changed.emit()
        self._baseline = None
        self.current = None
        self.reload()


class TemplatesPage(_ListPage):
    noun = "template"
    grows = True
    consequence = "Session types that prefill their notes from it will have no template."

    def __init__(self, db: Database) -> None:
        super().__init__(db, {"name": "Name", "body": "Notes"})
        self.name = named(QLineEdit(), "Template name")
        self.body = MarkdownEditor("Template")
        self.add_row("name", "&Name", self.name)
        self.add_row("body", "N&otes", self.body)
        self.lay_out()

    def fetch(self) -> list[TemplateInfo]:
        return list_templates(self.db)

    def show_entry(self, entry: TemplateInfo | None) -> None:
        self.name.setText(entry.name if entry else "")
        self.body.set_text(entry.body if entry else "")

    def value(self) -> TemplateInput:
        return TemplateInput(self.name.text(), self.body.text())

    def write(self, entry_id: int | None, data: TemplateInput) -> TemplateInfo:
        if entry_id is None:
            return create_template(self.db, data)
        return update_template(self.db, entry_id, data)

    def remove(self, entry: TemplateInfo) -> None:
        delete_template(self.db, entry.id)

    def widget_for(self, field: str) -> QWidget | None:
        return self.body.editor if field == "body" else super().widget_for(field)


class SessionTypesPage(_ListPage):
    noun = "session type"
    consequence = "Sessions of this type keep their notes and lose only the type."

    def __init__(self, db: Database) -> None:
        labels = {
            "name": "Name",
            "cadence_days": "Usual cadence",
            "default_minutes": "Usual length",
            "description": "Description",
            "template_id": "Template",
        }
        super().__init__(db, labels)
        self.name = named(QLineEdit(), "Session type name")
        self.cadence_days = named(QSpinBox(), "Usual cadence in days", "0 means as needed")
        self.cadence_days.setRange(0, MAX_CADENCE_DAYS)
        self.cadence_days.setSpecialValueText("As needed")
        self.cadence_days.setSuffix(" days")
        self.default_minutes = named(QSpinBox(), "Usual length in minutes")
        self.default_minutes.setRange(1, MAX_SESSION_MINUTES)
        self.default_minutes.setSuffix(" min")
        self.description = named(QPlainTextEdit(), "Description")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(QFontMetrics(self.font()).lineSpacing() * 4 + 14)
        self.template_id = named(QComboBox(), "Template", "Prefills a new session's notes")
        self.add_row("name", "&Name", self.name)
        self.add_row("cadence_days", "&Cadence", self.cadence_days)
        self.add_row("default_minutes", "&Length", self.default_minutes)
        self.add_row("description", "D&escription", self.description)
        self.add_row("template_id", "&Template", self.template_id)
        self.lay_out()

    def reload(self, select_id: int | None = None) -> None:
        self.template_id.clear()
        self.template_id.addItem("No template", None)
        for template in list_templates(self.db):
            self.template_id.addItem(template.name, template.id)
        super().reload(select_id)

    def fetch(self) -> list[SessionTypeInfo]:
        return list_session_types(self.db)

    def show_entry(self, entry: SessionTypeInfo | None) -> None:
        self.name.setText(entry.name if entry else "")
        self.cadence_days.setValue((entry.cadence_days or 0) if entry else 0)
        self.default_minutes.setValue(entry.default_minutes if entry else 60)
        self.description.setPlainText(entry.description if entry else "")
        template = entry.template_id if entry else None
        index = self.template_id.findData(template) if template is not None else 0
        self.template_id.setCurrentIndex(max(index, 0))

    def value(self) -> SessionTypeInput:
        return SessionTypeInput(
            name=self.name.text(),
            cadence_days=self.cadence_days.value() or None,
            default_minutes=self.default_minutes.value(),
            description=self.description.toPlainText(),
            template_id=self.template_id.currentData(),
        )

    def write(self, entry_id: int | None, data: SessionTypeInput) -> SessionTypeInfo:
        if entry_id is None:
            return create_session_type(self.db, data)
        return update_session_type(self.db, entry_id, data)

    def remove(self, entry: SessionTypeInfo) -> None:
        delete_session_type(self.db, entry.id)


class TemplatesDialog(QDialog):
    """Session types and templates. ``changed`` fires after every save or delete."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Session types and templates — {APP_NAME}")
        named(self, "Session types and templates")
        self.templates = TemplatesPage(db)
        self.types = SessionTypesPage(db)
        self.pages = named(QTabWidget(), "Session types and templates")
        self.pages.addTab(self.templates, "&Templates")
        self.pages.addTab(self.types, "Session t&ypes")
        self._page = 0
        self.pages.currentChanged.connect(self._page_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for page in (self.templates, self.types):
            page.changed.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(buttons)
        self.templates.reload()
        self.types.reload()
        self.resize(880, 560)

    def _page_changed(self, index: int) -> None:
        leaving = self.pages.widget(self._page)
        if isinstance(leaving, _ListPage) and index != self._page and not leaving.confirm_leave():
            self.pages.blockSignals(True)
            self.pages.setCurrentIndex(self._page)
            self.pages.blockSignals(False)
            return
        self._page = index
        if self.pages.widget(index) is self.types:
            current = self.types.current
            self.types.reload(current.id if current is not None else None)

    def reject(self) -> None:
        # Escape, Close and the window's close box all come here (QDialog's closeEvent rejects).
        if self.templates.confirm_leave() and self.types.confirm_leave():
            super().reject()
