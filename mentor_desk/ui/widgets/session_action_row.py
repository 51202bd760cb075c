"""One action item as a row of the session editor: done, text, owner, due date, delete.

The row only shows and reports; :class:`mentor_desk.ui.widgets.session_actions.ActionItemsPanel`
writes. Two edits are shaped so the database is not written on every keystroke or spin step:

- the text is edited in place (double-click it, or F2 anywhere in the row); Enter or leaving the
  field reports it once, Escape puts the old text back, and a refused text stays in the field
  with the reason under it;
- the due date (:func:`due_date`) reports a change once the stepping pauses
  (:data:`DUE_PAUSE_MS`) or the field is left, rather than at every step of the spin box.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.services.types import ItemOwner
from mentor_desk.ui.style import error_label, named
from mentor_desk.ui.widgets.choices import enum_combo
from mentor_desk.ui.widgets.dates import OptionalDate

#: A new item's due date, when the user ticks "Due": a week on, the usual next session.
DEFAULT_DUE_DAYS = 7
#: How long the due date waits after the last step before it reports the change.
DUE_PAUSE_MS = 600


def due_date(name: str) -> OptionalDate:
    """A "Due" tick box and date that reports a change once the stepping pauses."""
    return OptionalDate(
        "Due", name, what="has a due date", default_days=DEFAULT_DUE_DAYS, pause_ms=DUE_PAUSE_MS
    )


class ItemRow(QWidget):
    """One item: done box, text, owner, due date and (for the session's own items) delete.

    Signals:
        toggled(bool), owner_chosen(str), due_chosen(object), delete_clicked(): the user's edits.
        text_edited(str): the user finished editing the text (changed and not blank-trimmed
            away); answer with :meth:`finish_edit` or :meth:`show_text_error`.
    """

    toggled = Signal(bool)
    owner_chosen = Signal(str)
    due_chosen = Signal(object)
    delete_clicked = Signal()
    text_edited = Signal(str)

    def __init__(self, text: str, *, origin: str = "", deletable: bool = True) -> None:
        super().__init__()
        #: What the row shows now (rows are reused): a saved item's id, or the place of an item
        #: waiting for a new session to be saved; the panel keeps these.
        self.item_id: int | None = None
        self.pending_number: int | None = None
        self.done = QCheckBox()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setToolTip("Double-click (or press F2) to edit the text")
        self.text.installEventFilter(self)
        self.text_edit = QLineEdit()
        self.text_edit.hide()
        self.text_error = error_label()
        self.owner = enum_combo("", ItemOwner)
        self.due = due_date("Due date")
        self.delete = QToolButton()
        self.delete.setText("✕")
        self.delete.setToolTip("Delete this action item")
        self.delete.setAutoRaise(True)
        self._editing = False
        self.origin = QLabel()
        font = QFont(self.origin.font())
        font.setItalic(True)
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.origin.setFont(font)
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(self.text)
        words.addWidget(self.text_edit)
        words.addWidget(self.text_error)
        words.addWidget(self.origin)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.done, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(words, 1)
        layout.addWidget(self.owner, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.due, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.delete, 0, Qt.AlignmentFlag.AlignTop)
        self.reset(text, origin=origin, deletable=deletable)  # once every part has its parent
        self._add_action("Edit the text", QKeySequence(Qt.Key.Key_F2), self, self.edit_text)
        escape = QKeySequence(Qt.Key.Key_Escape)
        self._add_action("Cancel editing", escape, self.text_edit, self.cancel_edit)
        self.done.toggled.connect(self._done_toggled)
        self.owner.activated.connect(lambda _i: self.owner_chosen.emit(self.owner.currentData()))
        self.due.changed.connect(lambda: self.due_chosen.emit(self.due.value()))
        self.delete.clicked.connect(self.delete_clicked)
        self.text_edit.editingFinished.connect(self._edit_finished)

    @staticmethod
    def _add_action(text: str, keys: QKeySequence, owner: QWidget, slot: object) -> None:
        action = QAction(text, owner)
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        owner.addAction(action)

    def focus_order(self) -> list[QWidget]:
        return [self.done, self.owner, self.due.known, self.due.date, self.delete]

    def reset(self, text: str, *, origin: str = "", deletable: bool = True) -> None:
        """Show another item in this row (rows are reused): its text, where it came from (""
        for none) and whether it can be deleted; an edit in progress is dropped."""
        if self._editing:
            self._close_editor()
        self.set_text(text)
        self.origin.setText(origin)
        self.origin.setVisible(bool(origin))
        self.delete.setVisible(deletable)

    def set_text(self, text: str) -> None:
        """Show ``text`` and name every control of the row after it."""
        self.text.setText(text)
        self.text.setAccessibleName(text)
        named(self.done, f"Done: {text}")
        named(self.text_edit, f"Text of: {text}", "Enter saves it, Escape cancels")
        named(self.text_error, f"Error in: {text}")
        named(self.owner, f"Owner of: {text}")
        named(self.delete, f"Delete action item: {text}")
        named(self.due.date, f"Due date of: {text}")
        named(self.due.known, f"Due date of: {text}: has a due date")

    def show_state(self, done: bool, owner: ItemOwner, due_on: date | None) -> None:
        """Show the item's values without emitting anything."""
        for widget in (self.done, self.owner):
            widget.blockSignals(True)
        self.done.setChecked(done)
        self.owner.setCurrentIndex(max(self.owner.findData(owner.value), 0))
        for widget in (self.done, self.owner):
            widget.blockSignals(False)
        self.due.set_value(due_on)
        self._strike(done)

    # --- editing the text -------------------------------------------------------------------

    def edit_text(self) -> None:
        """Open the text for editing in place, all of it selected."""
        if self._editing:
            return
        self._editing = True
        self.text_edit.setText(self.text.text())
        self.text.hide()
        self.text_edit.show()
        self.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.text_edit.selectAll()

    def finish_edit(self, saved: str) -> None:
        """The edit was saved as ``saved``: show it and close the field."""
        self.set_text(saved)
        self._close_editor()

    def cancel_edit(self) -> None:
        """Put the old text back (Escape)."""
        if self._editing:
            self._close_editor()

    def show_text_error(self, message: str) -> None:
        """The text was refused: say why and keep what was typed in the field."""
        self.text_error.setText(message)
        self.text_error.show()
        self.text_edit.setAccessibleDescription(message)

    def _edit_finished(self) -> None:
        if not self._editing:
            return
        typed = self.text_edit.text()
        if typed.strip() == self.text.text():
            self._close_editor()
        else:
            self.text_edited.emit(typed)

    def _close_editor(self) -> None:
        self._editing = False
        self.text_error.clear()
        self.text_error.hide()
        self.text_edit.setAccessibleDescription("Enter saves it, Escape cancels")
        had_focus = self.text_edit.hasFocus()
        self.text_edit.hide()
        self.text.show()
        if had_focus:
            self.done.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text and event.type() == QEvent.Type.MouseButtonDblClick:
            self.edit_text()
            return True
        return super().eventFilter(watched, event)

    # --- done -------------------------------------------------------------------------------

    def _done_toggled(self, done: bool) -> None:
        self._strike(done)
        self.toggled.emit(done)

    def _strike(self, done: bool) -> None:
        font = QFont(self.text.font())
        font.setStrikeOut(done)
        self.text.setFont(font)
