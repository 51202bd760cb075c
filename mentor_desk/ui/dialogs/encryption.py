"""File > Encryption…: encrypt the program, change its passphrase, decrypt it; auto-lock minutes.

The conversions are the ones ``mentor-desk encrypt`` / ``change-passphrase`` / ``decrypt`` run
(:mod:`mentor_desk.services.encryption`). They run off the GUI thread while this modal dialog
shows a busy bar, so nothing else touches the database meanwhile; afterwards the window's one
:class:`Database` is reopened in place on the converted file and every tab reloads.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mentor_desk import APP_NAME
from mentor_desk.errors import UserError, ValidationError
from mentor_desk.services.encryption import (
    MIN_PASSPHRASE,
    ConversionResult,
    WrongPassphraseError,
    change_program_passphrase,
    decrypt_program,
    encrypt_program,
    reopen_program,
    validate_new_passphrase,
)
from mentor_desk.ui.autolock import MAX_AUTO_LOCK_MINUTES, auto_lock_minutes, set_auto_lock_minutes
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.dialogs.prompts import confirm, show_failure
from mentor_desk.ui.style import bold, heading, named
from mentor_desk.ui.tasks import Task, run_in_background
from mentor_desk.ui.widgets.field_errors import FieldErrors

CURRENT, NEW, AGAIN, AUTO_LOCK = "passphrase", "new passphrase", "again", "auto-lock"
LOST_WARNING = (
    "If you lose the passphrase, your notes are lost: nobody can recover them, and there is no "
    "reset. Write it down somewhere safe, such as a password manager."
)


def passphrase_strength(passphrase: str) -> str:
    """A rough hint from length and kinds of character ("" for an empty field)."""
    if not passphrase:
        return ""
    if len(passphrase) < MIN_PASSPHRASE:
        return f"Too short: use at least {MIN_PASSPHRASE} characters."
    pools = (string.ascii_lowercase, string.ascii_uppercase, string.digits)
    pool = sum(len(p) for p in pools if any(c in p for c in passphrase))
    pool += 33 if any(not c.isascii() or c in string.punctuation for c in passphrase) else 0
    pool += 1 if " " in passphrase else 0
    bits = len(passphrase) * math.log2(max(pool, 2))
    if bits < 50:
        return "Strength: weak. Add a few more words."
    if bits < 80:
        return "Strength: fair. One or two more words make it much stronger."
    return "Strength: strong."


class EncryptionDialog(QDialog):
    """Shows whether the program is encrypted and offers what fits.

    Args:
        on_changed: called after a conversion or an auto-lock change (the window's auto-lock
            follows the program).
    """

    def __init__(
        self, parent: QWidget | None, ctx: AppContext, on_changed: Callable[[], None]
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._on_changed = on_changed
        self.task: Task | None = None
        self.setWindowTitle(f"Encryption — {APP_NAME}")
        self.status = heading("")
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.current = self._secret("Current passphrase")
        self.new = self._secret("New passphrase")
        self.again = self._secret("New passphrase again")
        self.new.textChanged.connect(self._show_strength)
        self.strength = named(QLabel(), "Passphrase strength")
        self.warning = named(QLabel(LOST_WARNING), "Warning")
        self.warning.setWordWrap(True)
        self.warning.setFont(bold(self.warning.font()))
        self.auto_lock = named(QSpinBox(), "Auto-lock minutes")
        self.auto_lock.setRange(0, MAX_AUTO_LOCK_MINUTES)
        self.auto_lock.setSpecialValueText("Never")
        self.auto_lock.setSuffix(" idle minutes")
        self.auto_lock.setValue(auto_lock_minutes(ctx.db))
        self.auto_lock.valueChanged.connect(self._save_auto_lock)
        self.errors = FieldErrors(
            {CURRENT: "Current passphrase", NEW: "New passphrase", AGAIN: "Again"},
            self._field,
        )
        self.encrypt_button = named(QPushButton("&Encrypt"), "Encrypt")
        self.change_button = named(QPushButton("&Change passphrase"), "Change passphrase")
        self.decrypt_button = named(QPushButton("&Remove encryption…"), "Remove encryption")
        self.encrypt_button.clicked.connect(self.encrypt)
        self.change_button.clicked.connect(self.change)
        self.decrypt_button.clicked.connect(self.decrypt)
        self.busy = named(QProgressBar(), "Working")
        self.busy.setRange(0, 0)  # no steps to count: a moving bar says "working"
        self.busy.hide()
        self.outcome = named(QLabel(), "Result")
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)
        self._lay_out()
        self.setMinimumWidth(520)
        self._show_state()

    def _secret(self, name: str) -> QLineEdit:
        field = named(QLineEdit(), name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    def _field(self, key: str) -> QWidget | None:
        return {CURRENT: self.current, NEW: self.new, AGAIN: self.again}.get(key)

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors.add_row(form, "C&urrent passphrase:", self.current, CURRENT)
        self.errors.add_row(form, "&New passphrase:", self.new, NEW)
        form.addRow("", self.strength)
        self.errors.add_row(form, "A&gain:", self.again, AGAIN)
        self.form = form
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.encrypt_button, self.change_button, self.decrypt_button):
            buttons.addWidget(button)
        lock_row = QFormLayout()
        lock_row.addRow("&Lock the window after:", self.auto_lock)
        self.lock_note = QLabel()
        self.lock_note.setWordWrap(True)
        column = QVBoxLayout(self)
        for widget in (self.status, self.explain, self.errors.banner):
            column.addWidget(widget)
        column.addLayout(form)
        column.addWidget(self.warning)
        column.addLayout(buttons)
        column.addWidget(self.busy)
        column.addWidget(self.outcome)
        column.addSpacing(8)
        column.addLayout(lock_row)
        column.addWidget(self.lock_note)
        column.addStretch(1)
        column.addWidget(self.close_buttons)

    # --- state --------------------------------------------------------------------------------

    @property
    def encrypted(self) -> bool:
        return self.ctx.db.encrypted

    def _show_state(self) -> None:
        encrypted = self.encrypted
        self.status.setText("Encryption is on" if encrypted else "Encryption is off")
        self.explain.setText(
            "The database and its backups are encrypted with your passphrase. Exports (PDF and "
            "JSON) are plain files."
            if encrypted
            else "Anyone who can read your files can read the database. Set a passphrase to "
            "encrypt it and its backups; the window will ask for it at start-up."
        )
        self.form.setRowVisible(0, encrypted)
        self.encrypt_button.setVisible(not encrypted)
        self.change_button.setVisible(encrypted)
        self.decrypt_button.setVisible(encrypted)
        self.auto_lock.setEnabled(encrypted)
        self.lock_note.setText(
            "After this many minutes without a key press or mouse movement the window hides "
            "your notes until the passphrase is entered. Ctrl+L locks at once."
            if encrypted
            else "Auto-lock needs encryption: without a passphrase there is nothing to unlock with."
        )
        self._show_strength()

    def _show_strength(self) -> None:
        text = passphrase_strength(self.new.text())
        self.strength.setText(text)
        self.strength.setVisible(bool(text))

    def _set_busy(self, busy: bool, what: str = "") -> None:
        for widget in (self.current, self.new, self.again, self.auto_lock, self.close_buttons):
            widget.setEnabled(not busy)
        for button in (self.encrypt_button, self.change_button, self.decrypt_button):
            button.setEnabled(not busy)
        self.auto_lock.setEnabled(not busy and self.encrypted)
        self.busy.setVisible(busy)
        self.busy.setFormat(what)
        if busy:
            self.outcome.setText(what)
            self.outcome.show()

    # --- actions ------------------------------------------------------------------------------

    def _new_passphrase(self) -> str | None:
        """The new passphrase when it is good and typed twice alike; shows the problem if not."""
        new = self.new.text()
        try:
            validate_new_passphrase(new, NEW)
            if self.again.text() != new:
                raise ValidationError("differs from the new passphrase; type it again", AGAIN)
        except ValidationError as exc:
            self.errors.show(exc)
            return None
        return new

    def encrypt(self) -> None:
        new = self._new_passphrase()
        if new is None:
            return
        db, paths = self.ctx.db, self.ctx.paths
        self._convert(lambda: encrypt_program(db, paths, new), new, "Encrypting…", "Encrypted")

    def change(self) -> None:
        old = self.current.text()
        if not old:
            self.errors.show(ValidationError("type the passphrase you use now", CURRENT))
            return
        new = self._new_passphrase()
        if new is None:
            return
        db, paths = self.ctx.db, self.ctx.paths
        self._convert(
            lambda: change_program_passphrase(db, paths, old, new),
            new,
            "Changing the passphrase…",
            "Changed the passphrase",
        )

    def decrypt(self) -> None:
        old = self.current.text()
        if not old:
            self.errors.show(ValidationError("type the passphrase you use now", CURRENT))
            return
        if not confirm(
            self,
            "Remove encryption",
            "Remove the encryption? The database and its backups become plain files that "
            "anyone who can read your files can read.",
            action="Remove encryption",
        ):
            return
        db, paths = self.ctx.db, self.ctx.paths
        self._convert(lambda: decrypt_program(db, paths, old), None, "Decrypting…", "Decrypted")

    def _convert(
        self, work: Callable[[], ConversionResult], after: str | None, busy: str, done: str
    ) -> None:
        self.errors.clear()
        self._set_busy(True, busy)
        self.task = run_in_background(
            work,
            on_finished=lambda result: self._converted(result, after, done),
            on_failed=self._failed,
        )

    def _converted(self, result: ConversionResult, after: str | None, done: str) -> None:
        try:
            reopen_program(self.ctx.db, after)
        finally:
            self._set_busy(False)
        for field in (self.current, self.new, self.again):
            field.clear()  # keep passphrases in memory no longer than needed
        self.outcome.setText(f"{done}: {result.describe()}")
        self.outcome.show()
        self._show_state()
        self.ctx.bus.changed("all")
        self.ctx.bus.status_message.emit(f"{done} the program.")
        self._on_changed()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.outcome.hide()
        if isinstance(error, WrongPassphraseError):
            self.errors.show(ValidationError("is not right; nothing was changed", CURRENT))
            self.current.selectAll()
        elif isinstance(error, ValidationError):
            self.errors.show(error)
        elif isinstance(error, UserError):
            self.errors.show_message(str(error))
        else:
            show_failure(self, error, "Could not convert the database")

    def _save_auto_lock(self, minutes: int) -> None:
        set_auto_lock_minutes(self.ctx.db, minutes)
        self._on_changed()

    # --- closing ------------------------------------------------------------------------------

    def reject(self) -> None:
        if self.task is not None and self.task.running:
            return  # the conversion must finish; the busy bar says so
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.task is not None and self.task.running:
            event.ignore()
            return
        super().closeEvent(event)


def edit_encryption(parent: QWidget, ctx: AppContext, on_changed: Callable[[], None]) -> None:
    """File > Encryption…: show the dialog until the user closes it."""
    dialog = EncryptionDialog(parent, ctx, on_changed)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.exec()
    dialog.deleteLater()
