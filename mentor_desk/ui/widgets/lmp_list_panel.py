"""What the evidence log and the SCPA list share: a table of items above the editor of one.

:class:`ListEditorPanel` is the controller part: selecting a row loads the item (after asking
about unsaved edits), saving creates or updates it through a service, deleting asks first, and
every change is announced on the event bus. Subclasses build the widgets and say how to fetch,
store, remove and describe their items. Unsaved edits are kept as crash-safe drafts
(:meth:`ListEditorPanel.keep_drafts`), offered back at the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QPushButton, QSizePolicy, QTableView, QWidget

from mentor_desk.errors import NotFoundError, UserError, ValidationError
from mentor_desk.services.drafts import DraftStore
from mentor_desk.services.lmp import LmpRecordInfo, get_record
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.dialogs.prompts import attempt_save, confirm, resolve_unsaved, show_error
from mentor_desk.ui.models.table import RowTableModel
from mentor_desk.ui.style import heading, named
from mentor_desk.ui.widgets.draft_autosave import FormDrafts, Found, PendingDraft
from mentor_desk.ui.widgets.tables import (
    delete_key,
    list_table,
    select_id,
    selected_id,
    sorting_proxy,
)


class _Item(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def record_id(self) -> int: ...


class _Form(Protocol):
    def is_dirty(self) -> bool: ...
    def show_error(self, error: ValidationError) -> None: ...


T = TypeVar("T", bound=_Item)


class ListEditorPanel(QWidget, Generic[T]):
    """A list of one record's items and the editor of one of them.

    Signals:
        state_changed(): dirtiness or the editor's mode changed (the menus follow).
    """

    state_changed = Signal()

    #: What the event bus is told after a change ("evidence", "scpa").
    kind: ClassVar[str] = ""

    model: RowTableModel[Any]
    form: Any  # a form with load(), value(), is_dirty() and show_error()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record_id: int | None = None
        self.current: T | None = None  # None: the editor holds a new item
        self._syncing = False

    # --- what subclasses provide ------------------------------------------------------------

    def fetch(self, item_id: int) -> T:
        raise NotImplementedError

    def store(self, record_id: int, current: T | None) -> T:
        """Create (``current`` None) or update the item from the form; may raise UserError."""
        raise NotImplementedError

    def remove(self, item_id: int) -> None:
        raise NotImplementedError

    def load_form(self, item: T | None) -> None:
        raise NotImplementedError

    def describe(self, item: T | None) -> str:
        """The item in a sentence: "the evidence entry “Retro”", "the new SCPA update"."""
        raise NotImplementedError

    def editor_heading(self, item: T | None) -> str:
        raise NotImplementedError

    def first_field(self) -> QWidget:
        """Where the cursor goes in a new item."""
        raise NotImplementedError

    def decode_draft(self, data: dict[str, Any]) -> Any:
        """The form's value a draft holds (for ``form.restore_draft``); ValueError/TypeError if
        it holds none."""
        raise NotImplementedError

    # --- building ---------------------------------------------------------------------------

    def make_table(self, name: str, description: str) -> tuple[QSortFilterProxyModel, QTableView]:
        proxy = sorting_proxy(self.model, self)
        table = list_table(name, description)
        table.setModel(proxy)
        table.setSortingEnabled(True)
        table.horizontalHeader().setStretchLastSection(True)
        delete_key(table, f"Delete from {name.lower()}", self.delete_current)
        table.selectionModel().selectionChanged.connect(self._selection_changed)
        return proxy, table

    def make_buttons(self, noun: str, short: str) -> None:
        """The New, Delete, Save and Revert buttons and the editor's heading."""
        self.new_button = named(QPushButton(f"&New {short}"), f"New {noun}")
        self.new_button.setToolTip(f"Start a new {noun} (Ctrl+N)")
        self.delete_button = named(QPushButton("&Delete…"), f"Delete {noun}")
        self.save_button = named(QPushButton(f"&Save {short}"), f"Save {noun}")
        self.save_button.setToolTip(f"Save the {short} (Ctrl+S)")
        self.revert_button = named(QPushButton("Re&vert"), f"Revert changes to the {noun}")
        self.new_button.clicked.connect(self.new_item)
        self.delete_button.clicked.connect(self.delete_current)
        self.save_button.clicked.connect(lambda: self.save())
        self.revert_button.clicked.connect(self.revert)
        self.editor_title = heading("", scale=1.1)
        # A long title is cut, never widens the window.
        self.editor_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    # --- loading ----------------------------------------------------------------------------

    def set_record(self, record_id: int | None) -> None:
        """Show another record's items, with a new blank item (edits were dealt with)."""
        self.record_id = record_id
        self.current = None
        self.load_form(None)
        self.reload()
        self.show_mode()

    def reload(self) -> None:
        """Reload the list; subclasses fill the model, then call :meth:`after_reload`."""
        raise NotImplementedError

    def set_rows(self, rows: list[Any]) -> None:
        self._syncing = True
        try:
            self.model.set_rows(rows)
        finally:
            self._syncing = False

    def after_reload(self) -> None:
        """Refresh the item being edited (if it holds no edits) and select its row."""
        if self.current is not None and not self.form.is_dirty():
            try:
                self.current = self.fetch(self.current.id)
            except NotFoundError:
                self.current = None
            self.load_form(self.current)
            self.show_mode()
        self._show_row(self.current.id if self.current else None)

    # --- selection --------------------------------------------------------------------------

    def _show_row(self, item_id: int | None) -> None:
        self._syncing = True
        try:
            select_id(self.table, self.model, item_id)
        finally:
            self._syncing = False

    def _selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        if self._syncing:
            return
        chosen = selected_id(self.table)
        current = self.current.id if self.current else None
        if chosen is None or chosen == current:
            return
        if not self.confirm_leave():
            self._show_row(current)
            return
        self.open_id(chosen)

    def open_id(self, item_id: int) -> bool:
        """Load one item into the editor (its row is selected if the list shows it)."""
        try:
            self.current = self.fetch(item_id)
        except NotFoundError:
            return False
        self.load_form(self.current)
        self._show_row(item_id)
        self.show_mode()
        return True

    def shows(self, item_id: int) -> bool:
        return self.model.row_of_id(item_id) is not None

    # --- editing ----------------------------------------------------------------------------

    def new_item(self) -> None:
        """Start a new item, after dealing with unsaved edits."""
        if self.record_id is None or not self.confirm_leave():
            return
        self.current = None
        self.load_form(None)
        self._show_row(None)
        self.show_mode()
        self.first_field().setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> bool:
        """Save the form; False (with the error shown by its field) when it was not saved."""
        if self.record_id is None:
            return True
        saved = attempt_save(
            self, partial(self.store, self.record_id, self.current), self.form.show_error
        )
        if saved is None:
            return False
        self.current = saved
        self.load_form(saved)
        self.show_mode()
        self.ctx.bus.status_message.emit(f"Saved {self.describe(saved)}.")
        self.ctx.bus.changed(self.kind)
        return True

    def revert(self) -> None:
        self.load_form(self.current)

    def delete_current(self) -> None:
        if self.current is None:
            return
        what = self.describe(self.current)
        if not confirm(
            self,
            "Delete",
            f"Delete {what}?",
            "It goes to the trash: Edit > Undo delete (Ctrl+Z) brings it back.",
            action="Delete",
        ):
            return
        try:
            self.remove(self.current.id)
        except UserError as exc:
            show_error(self, exc)
            return
        self.current = None
        self.load_form(None)
        self.show_mode()
        self.ctx.bus.status_message.emit(f"Deleted {what}.")
        self.ctx.bus.changed(self.kind)

    def is_dirty(self) -> bool:
        return self.record_id is not None and self.form.is_dirty()

    def confirm_leave(self) -> bool:
        if not self.is_dirty():
            return True
        return resolve_unsaved(self, self.describe(self.current), self.save, self.revert)

    def show_mode(self) -> None:
        self.editor_title.setText(self.editor_heading(self.current))
        self.update_buttons()

    def update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.delete_button.setEnabled(self.current is not None)
        self.new_button.setEnabled(self.record_id is not None)
        self.state_changed.emit()

    # --- drafts -----------------------------------------------------------------------------

    def keep_drafts(self, prefix: str) -> None:
        """Autosave unsaved edits as the drafts ``<prefix>-<id>`` (``<prefix>-new``)."""
        store = DraftStore.for_data_folder(self.ctx.paths.root)
        self.drafts = FormDrafts(
            store, prefix, self._draft_state, self, owner=lambda: self.record_id
        )
        self.form.edited.connect(lambda: self.drafts.edited(self.is_dirty()))

    def _draft_state(self) -> tuple[int | None, Any] | None:
        if not self.is_dirty():
            return None
        return (self.current.id if self.current else None), self.form.value()

    def _draft_record(self, item_id: int | None, owner: int | None) -> LmpRecordInfo | None:
        """The LMP record a draft belongs to, or None when it (or its item) is gone."""
        try:
            record_id = self.fetch(item_id).record_id if item_id is not None else owner
            return get_record(self.ctx.db, record_id) if record_id is not None else None
        except NotFoundError:
            return None

    def _describe_draft(
        self, item_id: int | None, data: dict[str, Any], *, owner: int | None
    ) -> str | None:
        record = self._draft_record(item_id, owner)
        try:
            self.decode_draft(data)
            item = self.fetch(item_id) if item_id is not None else None
        except (NotFoundError, ValueError, TypeError):
            return None
        return None if record is None else f"{self.describe(item)} of {record.candidate_name}"

    def pending_drafts(self, tab: str, show_record: Callable[[int], bool]) -> list[PendingDraft]:
        """The drafts to offer at start-up; ``show_record`` brings a record into view (False:
        not now, an edit is in hand)."""
        pending = []
        for found in self.drafts.found(self._describe_draft):
            record = self._draft_record(found.record_id, found.owner)
            if record is not None:
                restore = partial(self._take_back, found, record.id, show_record)
                key, what, when = found.draft.key, found.what, found.draft.saved_at
                prefix = self.drafts.prefix
                pending.append(
                    PendingDraft(key, what, when, tab, prefix, record.mentee_id, False, restore)
                )
        return pending

    def _take_back(self, found: Found, record_id: int, show_record: Callable[[int], bool]) -> bool:
        if self.is_dirty() or not show_record(record_id):
            return False
        value = self.decode_draft(found.data)
        if found.record_id is None:
            self.new_item()
        elif not self.open_id(found.record_id):
            return False
        self.form.restore_draft(value)
        self.drafts.adopt(found.draft.key)
        return True
