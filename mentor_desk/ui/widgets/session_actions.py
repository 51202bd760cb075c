"""The action items of a session, and the unfinished ones carried forward from earlier sessions.

Each item is a row (:class:`ItemRow`): tick it done, edit its text in place, hand it to the mentor
or the mentee, give it a due date, delete it. Items of a saved session (and every carried item)
are written through the actions service the moment a change is finished, like a checklist; the
items of a session not saved yet wait in the panel (:meth:`ActionItemsPanel.pending`) until the
session is created.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import UserError, ValidationError
from mentor_desk.services.actions import (
    TEXT_LENGTH,
    ActionItem,
    ActionItemInput,
    add_action_item,
    delete_action_item,
    reassign,
    set_done,
    update_action_item,
)
from mentor_desk.services.types import Database, ItemOwner
from mentor_desk.services.validation import require_text
from mentor_desk.ui.dialogs.prompts import show_error
from mentor_desk.ui.style import bold, named
from mentor_desk.ui.widgets.choices import enum_combo
from mentor_desk.ui.widgets.session_action_row import ItemRow, due_date


def error_text(error: ValidationError) -> str:
    """A refused text in one line: "Text: must not be empty"."""
    message = error.args[0] if error.args else str(error)
    return f"Text: {message}" if error.field == "text" else str(error)


class ActionItemsPanel(QWidget):
    """The session's own items (with an "add" line) and the carried-forward section.

    Signals:
        changed(): an item was written to the database (the tab announces it).
        pending_changed(): the items waiting for a new session to be saved changed.
    """

    changed = Signal()
    pending_changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.session_id: int | None = None
        self.items: list[ActionItem] = []
        self.carried: list[ActionItem] = []
        self._pending: list[ActionItemInput] = []
        self.rows: list[ItemRow] = []  # the rows shown, of the session's own items
        self.carried_rows: list[ItemRow] = []  # the rows shown, of the carried items
        self._own_pool: list[ItemRow] = []  # every row made for own items, shown or not
        self._carried_pool: list[ItemRow] = []
        # An empty, hidden child: the rows' place in the Tab order is after it. Tab never stops
        # on a hidden widget, but setTabOrder ignores one that takes no focus at all.
        self.tab_anchor = QWidget(self)
        self.tab_anchor.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.tab_anchor.hide()
        self.new_text = named(QLineEdit(), "New action item", "Press Enter to add it")
        self.new_text.setPlaceholderText("New action item; Enter adds it")
        self.new_owner = enum_combo("Owner of the new action item", ItemOwner)
        self.new_owner.setCurrentIndex(self.new_owner.findData(ItemOwner.MENTEE.value))
        self.new_due = due_date("Due date of the new action item")
        self.add_button = named(QPushButton("&Add item"), "Add action item")
        self.add_button.setEnabled(False)
        self.new_text.textChanged.connect(lambda t: self.add_button.setEnabled(bool(t.strip())))
        self.new_text.returnPressed.connect(self.add_item)
        self.add_button.clicked.connect(self.add_item)
        self.own_box = QVBoxLayout()
        self.carried_box = QVBoxLayout()
        self.carried_title = QLabel("Carried forward from earlier sessions")
        self.carried_title.setFont(bold(self.carried_title.font()))
        self.carried_empty = QLabel("Nothing carried forward: every earlier item is done.")
        self.carried_empty.setWordWrap(True)
        adder = QHBoxLayout()
        adder.addWidget(self.new_text, 1)
        adder.addWidget(self.new_owner)
        adder.addWidget(self.new_due)
        adder.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.own_box)
        layout.addLayout(adder)
        layout.addSpacing(6)
        layout.addWidget(self.carried_title)
        layout.addWidget(self.carried_empty)
        layout.addLayout(self.carried_box)

    # --- what is shown --------------------------------------------------------------------

    def show_items(
        self,
        session_id: int | None,
        items: list[ActionItem],
        carried: list[ActionItem],
        pending: tuple[ActionItemInput, ...] = (),
    ) -> None:
        """Show a saved session's items (``session_id``), or a new session's ``pending`` ones."""
        self.flush_dates()
        if session_id is not None and (session_id, items, carried) == (
            self.session_id,
            self.items,
            self.carried,
        ):
            return  # unchanged: keep the widgets (and the keyboard focus) where they are
        self.session_id = session_id
        self.items, self.carried = list(items), list(carried)
        self._pending = list(pending) if session_id is None else []
        self._rebuild()

    def pending(self) -> tuple[ActionItemInput, ...]:
        return tuple(self._pending)

    def flush_dates(self) -> None:
        """Write the due dates still waiting for the user to stop stepping them."""
        for row in (*self.rows, *self.carried_rows):
            row.due.flush()

    def _rebuild(self) -> None:
        """Show the items in rows. Rows are kept and reused (hidden while not needed): building
        them again for each session shown was most of the time it took to open one."""
        self.flush_dates()
        if self.session_id is None:
            self.rows = self._rows_for(self._own_pool, self.own_box, len(self._pending))
            for number, (row, data) in enumerate(zip(self.rows, self._pending, strict=True)):
                row.item_id, row.pending_number = None, number
                row.reset(data.text)
                row.show_state(data.done, ItemOwner(data.owner), _due(data.due_on))
        else:
            self.rows = self._rows_for(self._own_pool, self.own_box, len(self.items))
            for row, item in zip(self.rows, self.items, strict=True):
                self._show_live(row, item, deletable=True)
        self.carried_rows = self._rows_for(self._carried_pool, self.carried_box, len(self.carried))
        for row, item in zip(self.carried_rows, self.carried, strict=True):
            self._show_live(row, item, deletable=False)
        self.carried_empty.setVisible(not self.carried)
        self._order_tabs()

    def _rows_for(self, pool: list[ItemRow], box: QVBoxLayout, count: int) -> list[ItemRow]:
        """The first ``count`` rows of ``pool`` shown (made as needed), the others hidden."""
        while len(pool) < count:
            row = ItemRow("")
            self._wire(row)
            box.addWidget(row)
            pool.append(row)
        for number, row in enumerate(pool):
            row.setVisible(number < count)
            if number >= count:
                row.item_id = row.pending_number = None
        return pool[:count]

    def _order_tabs(self) -> None:
        """Rows made after the panel would come last on Tab: put them where they are shown."""
        chain: list[QWidget] = [self.tab_anchor]
        chain += [widget for row in self.rows for widget in row.focus_order()]
        chain += [self.new_text, self.new_owner, self.new_due.known, self.new_due.date]
        chain += [self.add_button]
        chain += [widget for row in self.carried_rows for widget in row.focus_order()]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    @staticmethod
    def _show_live(row: ItemRow, item: ActionItem, *, deletable: bool) -> None:
        origin = ""
        if item.carried and item.session_started_at is not None:
            origin = f"from the session of {item.session_started_at.astimezone():%Y-%m-%d}"
        row.item_id, row.pending_number = item.id, None
        row.reset(item.text, origin=origin, deletable=deletable)
        row.show_state(item.done, item.owner, item.due_on)

    def _wire(self, row: ItemRow) -> None:
        """Connect a new row once: each edit goes to the item (or pending item) it shows now."""
        row.toggled.connect(lambda done: self._row_edited(row, "done", done))
        row.owner_chosen.connect(lambda owner: self._row_edited(row, "owner", ItemOwner(owner)))
        row.due_chosen.connect(lambda due: self._row_edited(row, "due_on", due))
        row.text_edited.connect(lambda text: self._row_text_edited(row, text))
        row.delete_clicked.connect(lambda: self._row_deleted(row))

    def _row_edited(self, row: ItemRow, field: str, value: object) -> None:
        item_id, number = row.item_id, row.pending_number
        if number is not None:
            self._pending[number] = replace(self._pending[number], **{field: value})  # type: ignore[arg-type]
            self.pending_changed.emit()
        elif item_id is not None and field == "done":
            self._write(item_id, lambda: set_done(self._db, item_id, bool(value)))
        elif item_id is not None and field == "owner":
            self._write(item_id, lambda: reassign(self._db, item_id, value))  # type: ignore[arg-type]
        elif item_id is not None:
            self._write(item_id, lambda: self._update(item_id, **{field: value}))

    def _row_text_edited(self, row: ItemRow, text: str) -> None:
        if row.item_id is not None:
            self._edit_text(row.item_id, row, text)
            return
        number = row.pending_number
        if number is None:
            return
        try:
            checked = require_text(text, "text", max_length=TEXT_LENGTH)
        except ValidationError as exc:
            row.show_text_error(error_text(exc))
            return
        row.finish_edit(checked)
        self._row_edited(row, "text", checked)

    def _row_deleted(self, row: ItemRow) -> None:
        if row.item_id is not None:
            self._delete(row.item_id)
        elif row.pending_number is not None:
            self._drop_pending(row.pending_number)

    # --- changes --------------------------------------------------------------------------

    def add_item(self) -> None:
        """Add what the "new item" line holds (to the database once the session is saved)."""
        text = self.new_text.text().strip()
        if not text:
            return
        data = ActionItemInput(
            text=text, owner=ItemOwner(self.new_owner.currentData()), due_on=self.new_due.value()
        )
        if self.session_id is None:
            self._pending.append(data)
            self.pending_changed.emit()
        else:
            try:
                self.items.append(add_action_item(self._db, self.session_id, data))
            except UserError as exc:
                show_error(self, exc, "Could not add the action item")
                return
            self.changed.emit()
        self.new_text.clear()
        self.new_due.set_value(None)
        self._rebuild()
        self.new_text.setFocus(Qt.FocusReason.OtherFocusReason)

    def commit(self, session_id: int) -> None:
        """Write the pending items into the session just created, and show them as saved."""
        pending, self._pending = self._pending, []
        added = [add_action_item(self._db, session_id, data) for data in pending]
        self.session_id = session_id
        self.items = added

    def _update(self, item_id: int, **changes: object) -> ActionItem:
        """Write some fields of an item, the others as they are."""
        item = self._find(item_id)
        data = ActionItemInput(item.text, item.owner, item.due_on, item.done, item.visibility)
        return update_action_item(self._db, item_id, replace(data, **changes))  # type: ignore[arg-type]

    def _edit_text(self, item_id: int, row: ItemRow, text: str) -> None:
        """Save an item's new text; a refused one stays in its field with the reason."""
        updated = self._write(
            item_id,
            lambda: self._update(item_id, text=text),
            invalid=lambda exc: row.show_text_error(error_text(exc)),
        )
        if updated is not None:
            row.finish_edit(updated.text)

    def _write(
        self,
        item_id: int,
        change: Callable[[], ActionItem],
        *,
        invalid: Callable[[ValidationError], object] | None = None,
    ) -> ActionItem | None:
        """Make one change; a refusal goes to ``invalid`` if given, else to a message box."""
        try:
            updated = change()
        except UserError as exc:
            if invalid is not None and isinstance(exc, ValidationError):
                invalid(exc)
                return None
            show_error(self, exc, "Could not change the action item")
            self._rebuild()  # show what is stored again
            return None
        for items in (self.items, self.carried):
            for number, item in enumerate(items):
                if item.id == item_id:
                    items[number] = replace(updated, carried=item.carried)
        self.changed.emit()
        return updated

    def _delete(self, item_id: int) -> None:
        try:
            delete_action_item(self._db, item_id)
        except UserError as exc:
            show_error(self, exc, "Could not delete the action item")
        self.items = [item for item in self.items if item.id != item_id]
        self._rebuild()
        self.changed.emit()

    def _drop_pending(self, number: int) -> None:
        del self._pending[number]
        self._rebuild()
        self.pending_changed.emit()

    def _find(self, item_id: int) -> ActionItem:
        return next(item for item in (*self.items, *self.carried) if item.id == item_id)


def _due(value: date | str | None) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value
