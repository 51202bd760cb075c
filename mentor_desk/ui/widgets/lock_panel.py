"""The panel that covers the window while it is locked: a passphrase field and Unlock."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from mentor_desk import APP_NAME
from mentor_desk.ui.style import centre, error_label, heading, named


class LockPanel(QWidget):
    """Shows nothing of the program: a heading, the passphrase field and an Unlock button.

    Signals:
        unlock_requested(str): the passphrase typed (Enter or the button).
    """

    unlock_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, f"{APP_NAME} is locked")
        column = QVBoxLayout()
        column.setSpacing(10)
        column.addWidget(heading(f"{APP_NAME} is locked", scale=1.6))
        intro = QLabel(
            "Your notes are hidden. Enter the passphrase to carry on where you left off; "
            "unsaved edits are kept."
        )
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.field = named(QLineEdit(), "Passphrase")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText("Passphrase")
        self.field.returnPressed.connect(self._submit)
        column.addWidget(self.field)
        self.error = named(error_label(), "Unlock problem")
        column.addWidget(self.error)
        self.unlock_button = named(QPushButton("&Unlock"), "Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._submit)
        column.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignRight)
        centre(column, self, width=420)

    def reset(self) -> None:
        """Empty the field and the message, ready for the next unlock."""
        self.field.clear()
        self.error.clear()
        self.error.hide()

    def show_problem(self, text: str) -> None:
        """Say why the passphrase did not unlock; selected, so typing replaces it."""
        self.error.setText(text)
        self.error.show()
        self.field.selectAll()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit(self) -> None:
        self.unlock_requested.emit(self.field.text())
