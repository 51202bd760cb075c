"""Validation messages shown next to the field they name, for the session editor and its dialogs.

A form asks :meth:`FieldErrors.label` for one hidden label per field and lays it out under the
field; :meth:`FieldErrors.show` puts a service's :class:`ValidationError` in the right one (or in
the banner above the form when no field matches), tells screen readers through the field's
accessible description, and moves the cursor there. Nothing the user typed is touched.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget

from mentor_desk.errors import ValidationError
from mentor_desk.ui.style import error_label, named


class FieldErrors:
    """The error labels of one form.

    Args:
        names: the label of each field, by the name a :class:`ValidationError` uses for it.
        widget_for: the input widget of a field, or None.
    """

    def __init__(self, names: dict[str, str], widget_for: Callable[[str], QWidget | None]) -> None:
        self.names = names
        self._widget_for = widget_for
        self.banner = named(error_label(), "Form errors")
        self.labels: dict[str, QLabel] = {}
        # A field's own accessible description, put aside while it describes an error.
        self._descriptions: dict[str, str] = {}

    def label(self, field: str) -> QLabel:
        """The (hidden) label for ``field``'s message, made on first use."""
        if field not in self.labels:
            self.labels[field] = named(error_label(), f"{self.names[field]} error")
        return self.labels[field]

    def show(self, error: ValidationError) -> None:
        """Show ``error`` by its field (or in the banner) and put the cursor in that field."""
        self.clear()
        field = error.field or ""
        label = self.labels.get(field)
        if label is None:
            self.banner.setText(f"Not saved: {error}")
            self.banner.show()
            return
        message = error.args[0] if error.args else str(error)
        label.setText(f"{self.names[field]}: {message}")
        label.show()
        self.banner.setText("Not saved: correct the field marked below.")
        self.banner.show()
        widget = self._widget_for(field)
        if widget is not None:
            self._descriptions.setdefault(field, widget.accessibleDescription())
            widget.setAccessibleDescription(label.text())
            widget.setFocus()

    def clear(self) -> None:
        for label in self.labels.values():
            label.clear()
            label.hide()
        for field, description in self._descriptions.items():
            widget = self._widget_for(field)
            if widget is not None:
                widget.setAccessibleDescription(description)
        self._descriptions.clear()
        self.banner.clear()
        self.banner.hide()

    def visible(self) -> dict[str, str]:
        """The message shown by each field, for tests and assistive summaries."""
        return {field: label.text() for field, label in self.labels.items() if label.text()}
