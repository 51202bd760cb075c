"""The Mentees tab: the filtered, sortable list on the left, the editor of one mentee on the right.

The tab is the controller of :class:`MenteeForm`: it loads the selected mentee into it, saves
through the mentee service, and guards unsaved edits (the shared selector asks it before the
mentee in focus changes; the main window asks before the tab or the window is left).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from functools import partial
from typing import Any

from PySide6.QtCore import QItemSelection, QSettings, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import NotFoundError, UserError
from mentor_desk.services.drafts import DraftStore
from mentor_desk.services.mentees import (
    Mentee,
    MenteeInput,
    create_mentee,
    delete_mentee,
    deletion_summary,
    get_mentee,
    list_mentees,
    set_status,
    update_mentee,
)
from mentor_desk.services.types import MenteeStatus
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.dialogs.prompts import attempt_save, confirm, resolve_unsaved, show_error
from mentor_desk.ui.settings import remember_state, restore_state
from mentor_desk.ui.style import heading, named
from mentor_desk.ui.tabs.base import Command, TabPage
from mentor_desk.ui.widgets.draft_autosave import DraftedEditor, FormDrafts, decode_input
from mentor_desk.ui.widgets.mentee_form import MenteeForm
from mentor_desk.ui.widgets.mentee_list import MenteeList
from mentor_desk.ui.widgets.tables import select_id, selected_id


class Mode(Enum):
    EMPTY = "empty"  # nobody selected: the form is hidden
    EDIT = "edit"  # an existing mentee
    NEW = "new"  # a mentee not saved yet


class MenteesTab(TabPage, DraftedEditor):
    key = "mentees"
    title = "Mentees"
    opens = frozenset({"mentee"})
    new_label = "&New mentee"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.mode = Mode.EMPTY
        self.mentee: Mentee | None = None
        self._syncing = False  # set while the code (not the user) moves the table selection
        self._focus_pending = False  # the focus changed while hidden: show it when shown
        # Built in reading order (filters, list, buttons, then the form), which is the Tab order.
        self.list = MenteeList()
        self.list.table.selectionModel().selectionChanged.connect(self._table_selection_changed)
        self.list.delete_action.triggered.connect(self.delete_current)
        self.list.add_button.clicked.connect(self.new_mentee)
        self.list.archive_button.clicked.connect(self.toggle_archive)
        self.list.delete_button.clicked.connect(self.delete_current)
        self.list.filtered.connect(lambda: self._select_row(self.ctx.selector.current_id))
        self._build_detail()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.detail_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([940, 340])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.form.edited.connect(self._form_edited)
        store = DraftStore.for_data_folder(ctx.paths.root)
        self.drafts = FormDrafts(store, "mentee", self._draft_state, self)
        self._drafts_offered = False
        ctx.selector.changed.connect(self._focus_changed)
        ctx.selector.add_guard(lambda: self.confirm_leave(reselect=False))
        self._set_mode(Mode.EMPTY)

    # --- building ---------------------------------------------------------------------------

    def _build_detail(self) -> None:
        self.form = MenteeForm()
        self.detail_title = heading("")
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        hint = named(QLabel("Select a mentee in the list to see and edit them."), "No mentee")
        hint.setWordWrap(True)
        # Centred text across the full width: a wrapped label given a layout alignment gets its
        # one-line height and is clipped top and bottom when it wraps.
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        add = named(QPushButton("Add a mentee"), "Add a mentee")
        add.clicked.connect(self.new_mentee)
        empty_layout.addStretch(1)
        empty_layout.addWidget(hint)
        empty_layout.addWidget(add, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Tab goes from the buttons straight to the first field; the area scrolls to follow focus.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.form)
        # With no horizontal scroll bar, a narrower area would cut the fields off on the right
        # (a 1024-pixel window): the splitter takes the room from the list instead.
        bar = scroll.verticalScrollBar().sizeHint().width()
        scroll.setMinimumWidth(self.form.minimumSizeHint().width() + bar + 2)
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(empty)
        self.detail_stack.addWidget(scroll)

        self.save_button = named(QPushButton("&Save"), "Save mentee")
        self.save_button.setToolTip("Save the changes (Ctrl+S)")
        self.revert_button = named(QPushButton("Re&vert"), "Revert changes")
        self.revert_button.setToolTip("Put back what was last saved")
        self.save_button.clicked.connect(lambda: self.save())
        self.revert_button.clicked.connect(self.revert)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        self.detail_panel = QWidget()
        layout = QVBoxLayout(self.detail_panel)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.detail_title)
        layout.addWidget(self.detail_stack, 1)
        layout.addLayout(buttons)

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self._syncing = True
        try:
            self.list.model.set_rows(list_mentees(self.ctx.db, status="all"))
        finally:
            self._syncing = False
        if not self.list.columns_fitted and self.list.model.rowCount():
            self.list.fit_columns()
        self.list.update_count()
        if self._focus_pending:
            self._show_focus(self.ctx.selector.current_id)
        else:
            self._select_row(self.ctx.selector.current_id)
            if self.mode is Mode.EDIT and self.mentee is not None and not self.form.is_dirty():
                self._load(self.mentee.id)
        if not self._drafts_offered:
            self._drafts_offered = True
            # After the window is up: the question needs a shown parent.
            QTimer.singleShot(0, self, self.offer_drafts)

    def _load(self, mentee_id: int | None) -> None:
        """Show ``mentee_id`` in the form (None: nobody); the form must be clean."""
        if mentee_id is None:
            self.mentee = None
            self._set_mode(Mode.EMPTY)
            return
        try:
            self.mentee = get_mentee(self.ctx.db, mentee_id)
        except NotFoundError:
            self.mentee = None
            self._set_mode(Mode.EMPTY)
            return
        self.form.load(self.mentee)
        self._set_mode(Mode.EDIT)

    def _set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self.detail_stack.setCurrentIndex(0 if mode is Mode.EMPTY else 1)
        if mode is Mode.EMPTY:
            self.detail_title.setText("No mentee selected")
        elif mode is Mode.NEW:
            self.detail_title.setText("New mentee")
        elif self.mentee is not None:
            self.detail_title.setText(self.mentee.name)
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        editing = self.mode is Mode.EDIT
        self.list.archive_button.setEnabled(editing)
        self.list.delete_button.setEnabled(editing)
        archived = self.mentee is not None and self.mentee.status is MenteeStatus.ARCHIVED
        self.list.archive_button.setText("Reac&tivate" if archived and editing else "Arc&hive")
        self.commands_changed.emit()

    def _form_edited(self) -> None:
        self._update_buttons()
        self.drafts.edited(self.is_dirty())

    # --- selection --------------------------------------------------------------------------

    def _select_row(self, mentee_id: int | None) -> None:
        """Move the table's selection to ``mentee_id`` without asking anything."""
        self._syncing = True
        try:
            select_id(self.list.table, self.list.model, mentee_id)
        finally:
            self._syncing = False

    def _table_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        if self._syncing:
            return
        chosen = selected_id(self.list.table)
        # Losing the selection (a filter hid the row) is not a choice the user made.
        if chosen is None or chosen == self.ctx.selector.current_id:
            return
        if not self.ctx.selector.choose(chosen):
            self._select_row(self.ctx.selector.current_id)

    def _focus_changed(self, mentee_id: int | None) -> None:
        if not self.isVisible():
            # Hidden: nothing to show (the guard has dealt with unsaved edits) until the tab is
            # shown again, and then whoever is in focus by then (see showEvent).
            self._focus_pending = True
            return
        self._show_focus(mentee_id)

    def _show_focus(self, mentee_id: int | None) -> None:
        self._focus_pending = False
        self._select_row(mentee_id)
        if mentee_id is None and self.mode is Mode.NEW:
            return
        self._load(mentee_id)

    # --- editing ----------------------------------------------------------------------------

    def new_mentee(self) -> None:
        """Start a new mentee (after dealing with unsaved edits)."""
        if not self.confirm_leave() or not self.ctx.selector.choose(None):
            return
        self.mentee = None
        self.form.load(None)
        self._set_mode(Mode.NEW)
        self.form.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self, *, reselect: bool = True) -> bool:
        """Save the form; False (with the error shown by its field) when it was not saved.

        Args:
            reselect: focus the saved mentee. False while another selection is pending (a
                guard saving before the selector moves on).
        """
        data = self.form.value()
        if self.mode is Mode.NEW:
            write = partial(create_mentee, self.ctx.db, data)
        elif self.mentee is not None:
            write = partial(update_mentee, self.ctx.db, self.mentee.id, data)
        else:
            return True
        saved = attempt_save(self, write, self.form.show_error)
        if saved is None:
            return False
        self.mentee = saved
        self.form.load(saved)
        self._set_mode(Mode.EDIT)
        self.ctx.bus.status_message.emit(f"Saved {saved.name}.")
        self.ctx.bus.changed("mentee")
        if reselect:
            self.ctx.selector.choose(saved.id)
        return True

    def revert(self) -> None:
        if self.mode is Mode.NEW:
            self.form.load(None)
        elif self.mentee is not None:
            self.form.load(self.mentee)

    def toggle_archive(self) -> None:
        """Archive the mentee, or make an archived one active again."""
        if self.mentee is None or not self.confirm_leave():
            return
        archived = self.mentee.status is MenteeStatus.ARCHIVED
        target = MenteeStatus.ACTIVE if archived else MenteeStatus.ARCHIVED
        try:
            self.mentee = set_status(self.ctx.db, self.mentee.id, target)
        except UserError as exc:
            show_error(self, exc)
            return
        self.form.load(self.mentee)
        self._set_mode(Mode.EDIT)
        verb = "Reactivated" if archived else "Archived"
        self.ctx.bus.status_message.emit(f"{verb} {self.mentee.name}.")
        self.ctx.bus.changed("mentee")

    def delete_current(self) -> None:
        """Delete the mentee after a confirmation that says what goes with them."""
        if self.mode is not Mode.EDIT or self.mentee is None:
            return
        try:
            summary = deletion_summary(self.ctx.db, self.mentee.id)
        except UserError as exc:
            show_error(self, exc)
            return
        name = summary.name
        details = (
            f"This also deletes {summary.describe()}. It all goes to the trash, from where "
            "Edit > Undo delete (Ctrl+Z) or Edit > Trash brings it back.\n\n"
            f"To keep their history, archive {name} instead."
        )
        if not confirm(self, "Delete mentee", f"Delete {name}?", details, action="Delete"):
            return
        try:
            delete_mentee(self.ctx.db, summary.mentee_id, confirm=True)
        except UserError as exc:
            show_error(self, exc)
            return
        self.mentee = None
        self.form.load(None)
        self._set_mode(Mode.EMPTY)
        self.ctx.selector.forget(summary.mentee_id)
        self.ctx.bus.status_message.emit(f"Deleted {name} and {summary.describe()}.")
        self.ctx.bus.changed("mentee")

    # --- drafts -----------------------------------------------------------------------------

    def _draft_state(self) -> tuple[int | None, MenteeInput] | None:
        if not self.is_dirty():
            return None
        editing = self.mode is Mode.EDIT and self.mentee is not None
        return (self.mentee.id if editing and self.mentee else None), self.form.value()

    def _describe_draft(self, mentee_id: int | None, data: dict[str, Any]) -> str | None:
        try:
            draft = decode_input(MenteeInput, data, dates=("started_on",))
            if mentee_id is None:
                return f"the new mentee {draft.name}".rstrip()
            return f"{get_mentee(self.ctx.db, mentee_id).name}’s details"
        except (NotFoundError, ValueError, TypeError):
            return None

    def _restore_draft(self, mentee_id: int | None, data: dict[str, Any]) -> None:
        draft = decode_input(MenteeInput, data, dates=("started_on",))
        if mentee_id is None:
            self.new_mentee()
        else:
            self.ctx.selector.choose(mentee_id)
            if self.mentee is None or self.mentee.id != mentee_id or self.mode is not Mode.EDIT:
                self._load(mentee_id)
        self.form.restore_draft(draft)

    # --- TabPage ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # a reload (if due) shows the focus too
        if self._focus_pending:
            self._show_focus(self.ctx.selector.current_id)

    def is_dirty(self) -> bool:
        return self.mode is not Mode.EMPTY and self.form.is_dirty()

    def confirm_leave(self, *, reselect: bool = True) -> bool:
        if not self.is_dirty():
            return True
        what = self.mentee.name if self.mode is Mode.EDIT and self.mentee else "the new mentee"
        return resolve_unsaved(self, what, partial(self.save, reselect=reselect), self.revert)

    def command_actions(self) -> Mapping[Command, Callable[[], object]]:
        return {
            Command.NEW: self.new_mentee,
            Command.SAVE: self.save,
            Command.REVERT: self.revert,
            Command.DELETE: self.delete_current,
        }

    def can_delete(self) -> bool:
        return self.mode is Mode.EDIT

    def open_item(self, kind: str, item_id: int) -> bool:
        if kind != "mentee":
            return False
        if self.list.model.row_of_id(item_id) is None:
            self.reload_now()
        row = self.list.model.row_of_id(item_id)
        if row is None:
            return False
        self.list.reveal(row)
        self._select_row(item_id)
        self.list.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def save_state(self, settings: QSettings) -> None:
        remember_state(settings, "splitter", self.splitter)
        remember_state(settings, "columns", self.list.table.horizontalHeader())

    def restore_state(self, settings: QSettings) -> None:
        restore_state(settings, "splitter", self.splitter)
        if restore_state(settings, "columns", self.list.table.horizontalHeader()):
            self.list.columns_fitted = True
