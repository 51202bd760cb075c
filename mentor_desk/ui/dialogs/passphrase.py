"""Asking for the passphrase of an encrypted program, with a retry on a wrong one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mentor_desk import APP_NAME
from mentor_desk.errors import UserError

T = TypeVar("T")


class PassphraseDialog(QDialog, Generic[T]):
    """Ask for the passphrase and hand it to ``unlock`` until it works or the user cancels.

    ``unlock`` raises :class:`UserError` (a wrong passphrase, say): its message is shown under
    the field and the user may try again. On success :attr:`result_value` holds what it returned.
    """

    def __init__(
        self,
        unlock: Callable[[str], T],
        parent: QWidget | None = None,
        *,
        message: str = "",
    ) -> None:
        super().__init__(parent)
        self._unlock = unlock
        self.result_value: T | None = None
        self.setWindowTitle(f"{APP_NAME}: passphrase")
        intro = QLabel(
            message or "Your program is encrypted. Enter its passphrase to open it.", self
        )
        intro.setWordWrap(True)
        self.field = QLineEdit(self)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Passphrase")
        self.field.setPlaceholderText("Passphrase")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Passphrase problem")
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Unlock")
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def try_unlock(self) -> None:
        """Try the typed passphrase; accept on success, show the problem otherwise."""
        try:
            self.result_value = self._unlock(self.field.text())
        except UserError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.field.selectAll()
            self.field.setFocus()
            return
        self.field.clear()  # keep the passphrase in memory no longer than needed
        self.accept()


def ask_passphrase(
    unlock: Callable[[str], T], parent: QWidget | None = None, *, message: str = ""
) -> T | None:
    """Show :class:`PassphraseDialog`; what ``unlock`` returned, or None when cancelled."""
    dialog: PassphraseDialog[T] = PassphraseDialog(unlock, parent, message=message)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.result_value
