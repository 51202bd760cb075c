"""The small questions and messages the window asks and shows, in one place.

Each is a real :class:`QMessageBox` with buttons that say what they do ("Delete", "Save"), so a
person (and a test) answers by clicking a labelled button rather than "Yes" or "OK".
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from mentor_desk import APP_NAME
from mentor_desk.errors import UserError, ValidationError

T = TypeVar("T")


class Unsaved(Enum):
    """The answer to "save your changes?"."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def _box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, details: str = ""
) -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(f"{title} — {APP_NAME}")
    box.setText(text)
    if details:
        box.setInformativeText(details)
    box.setAccessibleName(title)
    return box


def ask_unsaved(parent: QWidget | None, what: str) -> Unsaved:
    """Ask whether to save the unsaved changes to ``what`` ("Zoë Müller", "the new mentee")."""
    box = _box(
        parent,
        QMessageBox.Icon.Warning,
        "Unsaved changes",
        f"You have changed {what} without saving.",
        "Save the changes, discard them, or cancel and keep editing?",
    )
    buttons = {
        box.addButton("Save", QMessageBox.ButtonRole.AcceptRole): Unsaved.SAVE,
        box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole): Unsaved.DISCARD,
        box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole): Unsaved.CANCEL,
    }
    box.setDefaultButton(next(iter(buttons)))
    box.exec()
    return buttons.get(box.clickedButton(), Unsaved.CANCEL)


def resolve_unsaved(
    parent: QWidget | None, what: str, save: Callable[[], bool], discard: Callable[[], object]
) -> bool:
    """Ask what to do with the unsaved changes to ``what`` and do it; False means stay.

    Save calls ``save`` (its False keeps the user there, with the error shown), Discard calls
    ``discard``, Cancel does nothing.
    """
    answer = ask_unsaved(parent, what)
    if answer is Unsaved.SAVE:
        return save()
    if answer is Unsaved.DISCARD:
        discard()
        return True
    return False


def attempt_save(
    parent: QWidget | None,
    write: Callable[[], T],
    show_invalid: Callable[[ValidationError], object],
    title: str = "Could not save",
) -> T | None:
    """Run a service call that saves a form; None when it was refused.

    A :class:`ValidationError` goes to ``show_invalid`` (the form shows it by its field and keeps
    what was typed); any other :class:`UserError` is told in a message box titled ``title``.
    """
    try:
        return write()
    except ValidationError as exc:
        show_invalid(exc)
    except UserError as exc:
        show_error(parent, exc, title)
    return None


def confirm(
    parent: QWidget | None, title: str, text: str, details: str = "", *, action: str
) -> bool:
    """Ask before something that cannot be undone; ``action`` labels the button that goes ahead.

    Cancel is the default button, so a stray Enter does nothing.
    """
    box = _box(parent, QMessageBox.Icon.Warning, title, text, details)
    go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go


def show_error(
    parent: QWidget | None, error: BaseException, title: str = "Could not do that"
) -> None:
    """Tell the user about an error they can act on (a :class:`UserError`'s own sentence)."""
    text = str(error) if isinstance(error, UserError) else f"An unexpected error: {error}"
    box = _box(parent, QMessageBox.Icon.Warning, title, text)
    box.addButton("Close", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def show_failure(parent: QWidget | None, error: BaseException, title: str) -> None:
    """Report what went wrong in work that ran elsewhere (a background task).

    A :class:`UserError` gets its own sentence. Anything else is a bug: it goes to
    ``sys.excepthook``, which the app replaces with one that logs the traceback and says where the
    log file is.
    """
    if isinstance(error, UserError):
        show_error(parent, error, title)
    else:
        sys.excepthook(type(error), error, error.__traceback__)


def show_info(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    box = _box(parent, QMessageBox.Icon.Information, title, text, details)
    box.addButton("Close", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def show_crash(parent: QWidget | None, error: BaseException, log_file: Path) -> None:
    """Tell the user a bug happened, and where its report (the log file) is."""
    box = _box(
        parent,
        QMessageBox.Icon.Critical,
        "Something went wrong",
        f"{APP_NAME} met an unexpected problem ({type(error).__name__}). What you saved "
        "before is safe; the change you were making may not have been saved.",
        f"The details were written to the log file:\n{log_file}\n\n"
        "Please attach that file if you report the problem.",
    )
    box.setDetailedText("".join(traceback.format_exception(error)))
    box.addButton("Close", QMessageBox.ButtonRole.AcceptRole)
    box.exec()
