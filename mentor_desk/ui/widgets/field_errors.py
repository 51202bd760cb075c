"""Validation messages shown next to the field they name: one helper for every form.

A form lays out each field with :meth:`FieldErrors.add_row` (or asks :meth:`FieldErrors.label`
for the field's hidden error label and puts it under the field itself), and puts
:attr:`FieldErrors.banner` above the form. :meth:`FieldErrors.show` puts a
service's :class:`ValidationError` in the label of the field it names (or in the banner when no
field matches), tells screen readers through the field's accessible description, and moves the
cursor there. Nothing the user typed is touched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtWidgets import QFormLayout, QLabel, QLayout, QVBoxLayout, QWidget

from mentor_desk.errors import ValidationError
from mentor_desk.ui.style import error_label, named


class FieldErrors:
    """The error labels of one form: one per field, and a banner above them.

    Args:
        names: the label of each field, by the name a :class:`ValidationError` uses for it.
        widget_for: the input widget of a field (to focus and describe), or None.
        rows: fields that share another field's row, and so its error label
            (``{"progress mode": "progress"}``).
    """

    def __init__(
        self,
        names: Mapping[str, str],
        widget_for: Callable[[str], QWidget | None],
        *,
        rows: Mapping[str, str] | None = None,
    ) -> None:
        self.names = dict(names)
        self._widget_for = widget_for
        self._rows = dict(rows or {})
        self.banner = named(error_label(), "Form errors")
        self.labels: dict[str, QLabel] = {}
        # A field's own accessible description, put aside while it describes an error.
        self._descriptions: dict[str, str] = {}

    def label(self, field: str) -> QLabel:
        """The (hidden) error label of ``field``, made on first use, to put under the field."""
        if field not in self.labels:
            self.labels[field] = named(error_label(), f"{self.names.get(field, field)} error")
        return self.labels[field]

    def add_row(
        self,
        form: QFormLayout,
        label: str,
        widget: QWidget | QLayout,
        *fields: str,
        focus: QWidget | None = None,
    ) -> None:
        """Add a row to ``form``: ``widget`` with the error label of each of ``fields`` under it.

        The row's label (and its mnemonic) leads to ``focus``, by default the first field's input.
        """
        cell = QVBoxLayout()
        cell.setSpacing(2)
        if isinstance(widget, QWidget):
            cell.addWidget(widget)
        else:
            cell.addLayout(widget)
        for field in fields:
            cell.addWidget(self.label(field))
        form.addRow(label, cell)
        text_label = form.labelForField(cell)
        buddy = focus if focus is not None else self._widget_for(fields[0])
        if isinstance(text_label, QLabel) and buddy is not None:
            text_label.setBuddy(buddy)

    def __getitem__(self, field: str) -> QLabel:
        """The error label of a field already laid out."""
        return self.labels[field]

    def show(self, error: ValidationError, field: str | None = None) -> None:
        """Show ``error`` by its field (``field`` overrides the error's own) and focus it."""
        self.clear()
        key = field if field is not None else error.field or ""
        label = self.labels.get(self._rows.get(key, key))
        if label is None:
            self.banner.setText(f"Not saved: {error}")
            self.banner.show()
            return
        message = error.args[0] if error.args else str(error)
        label.setText(f"{self.names.get(key, key)}: {message}")
        label.show()
        self.banner.setText("Not saved: correct the field marked below.")
        self.banner.show()
        widget = self._widget_for(key)
        if widget is not None:
            self._descriptions.setdefault(key, widget.accessibleDescription())
            widget.setAccessibleDescription(label.text())
            widget.setFocus()

    def show_message(self, text: str) -> None:
        """Say something about the whole form in the banner."""
        self.clear()
        self.banner.setText(text)
        self.banner.show()

    def clear(self) -> None:
        for label in self.labels.values():
            label.clear()
            label.hide()
        for key, description in self._descriptions.items():
            widget = self._widget_for(key)
            if widget is not None:
                widget.setAccessibleDescription(description)
        self._descriptions.clear()
        self.banner.clear()
        self.banner.hide()

    def visible(self) -> dict[str, str]:
        """The message shown by each field, for tests and assistive summaries."""
        return {key: label.text() for key, label in self.labels.items() if label.text()}
