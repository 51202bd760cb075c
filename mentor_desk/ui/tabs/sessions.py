"""The Sessions tab: the sessions of the mentee in focus (or everyone's), and the session editor.

The list loads a page of rows at a time and never a note body. The tab is the controller of
:class:`SessionEditor`: it loads a session into it, saves through the sessions service, starts new
sessions from a template, guards unsaved edits (switching session, mentee or tab, or closing, asks
to save, discard or cancel) and keeps a crash-safe draft of them (:mod:`session_drafts`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import NotFoundError, UserError
from mentor_desk.services.actions import get_action_item, open_action_items
from mentor_desk.services.drafts import DraftStore
from mentor_desk.services.feedback import FeedbackRecord, get_feedback, list_feedback
from mentor_desk.services.goal_lists import list_goals
from mentor_desk.services.mentees import get_mentee
from mentor_desk.services.sessions import (
    SessionDetail,
    SessionInput,
    create_session,
    delete_session,
    get_session,
    update_session,
)
from mentor_desk.services.templates import list_session_types
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.dialogs.prompts import attempt_save, confirm, resolve_unsaved, show_error
from mentor_desk.ui.models.sessions import when_text
from mentor_desk.ui.settings import remember_state, restore_state
from mentor_desk.ui.tabs.base import Command, TabPage
from mentor_desk.ui.widgets.session_chooser import (
    NewSessionChoice,
    NewSessionDialog,
    draft_for,
    notes_for_type,
)
from mentor_desk.ui.widgets.session_detail import SessionDetailPanel
from mentor_desk.ui.widgets.session_drafts import (
    DraftKeeper,
    EditorState,
    Offer,
    draft_key,
)
from mentor_desk.ui.widgets.session_list import SessionListPanel
from mentor_desk.ui.widgets.session_markdown import View

if TYPE_CHECKING:  # loaded when first opened, not with the window
    from mentor_desk.ui.dialogs.feedback import FeedbackDialog
    from mentor_desk.ui.dialogs.templates import TemplatesDialog

#: Changes that leave the session types as they were: the refresh after them reuses the list.
KEEPS_TYPES = frozenset(
    {"session", "action_item", "feedback", "goal", "mentee", "skill", "lmp", "focus"}
)

_UNKNOWN = object()


class Mode(Enum):
    EMPTY = "empty"  # no session shown
    EDIT = "edit"  # a saved session
    NEW = "new"  # a session not saved yet


class SessionsTab(TabPage):
    key = "sessions"
    title = "Sessions"
    opens = frozenset({"session", "feedback", "action_item"})
    new_label = "New &session"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.mode = Mode.EMPTY
        self.detail: SessionDetail | None = None
        self._drafts_offered = False
        self._types_stale = True  # the session types are read again at the next refresh
        self._focus_shown: object = _UNKNOWN  # whose name the list's heading shows
        self.chooser: NewSessionDialog | None = None
        self.feedback_dialog: FeedbackDialog | None = None
        self.templates_dialog: TemplatesDialog | None = None
        self._build_list()
        self._build_detail()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.list_panel)
        self.splitter.addWidget(self.detail_panel)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([560, 720])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        store = DraftStore.for_data_folder(ctx.paths.root)
        self.drafts = DraftKeeper(store, self._snapshot, self)
        self.editor.edited.connect(self._edited)
        self.editor.type_chosen.connect(self._type_chosen)
        self.editor.feedback_requested.connect(self.add_feedback)
        self.editor.feedback_opened.connect(self.open_feedback)
        self.editor.actions.changed.connect(lambda: self.ctx.bus.changed("action_item"))
        ctx.selector.changed.connect(self._focus_changed)
        ctx.selector.add_guard(self.confirm_leave)
        self._show_focus(ctx.selector.current_id)
        self._set_mode(Mode.EMPTY)

    # --- building ---------------------------------------------------------------------------

    def _build_list(self) -> None:
        self.list_panel = SessionListPanel()
        panel = self.list_panel
        # The parts tests and the main window reach for, by their usual names.
        self.model, self.proxy, self.table = panel.model, panel.proxy, panel.table
        self.focus_label, self.count_label = panel.focus_label, panel.count_label
        self.new_button, self.templates_button = panel.new_button, panel.templates_button
        self.delete_button = panel.delete_button
        panel.chosen.connect(self._session_chosen)
        panel.search_changed.connect(self.reload_now)
        self.new_button.clicked.connect(self.new_session)
        self.delete_button.clicked.connect(self.delete_current)
        self.templates_button.clicked.connect(self.edit_templates)

    def _build_detail(self) -> None:
        self.detail_panel = SessionDetailPanel(self.ctx.db)
        panel = self.detail_panel
        self.editor, self.detail_title = panel.editor, panel.title
        self.save_button, self.revert_button = panel.save_button, panel.revert_button
        panel.start_button.clicked.connect(self.new_session)
        self.save_button.clicked.connect(lambda: self.save())
        self.revert_button.clicked.connect(self.revert)

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        db = self.ctx.db
        shown = self.detail.id if self.mode is Mode.EDIT and self.detail else None
        focus = self.ctx.selector.current_id
        if focus != self._focus_shown:
            self._show_focus(focus)
        self.list_panel.reload(db, focus, shown)
        if self._types_stale:
            self._types_stale = False
            self.editor.set_types(list_session_types(db))
        if self.mode is Mode.EDIT and self.detail is not None:
            if self.editor.is_dirty():  # keep the edits; the checklist may still move on
                with contextlib.suppress(NotFoundError):
                    fresh = get_session(db, self.detail.id)
                    self.editor.actions.show_items(
                        fresh.id, list(fresh.action_items), list(fresh.carried_forward)
                    )
            else:
                self._load(self.detail.id, offer_draft=False)
        if not self._drafts_offered:
            self._drafts_offered = True
            # Once the tab is on screen, not from inside its showEvent.
            QTimer.singleShot(0, self, self.offer_drafts)

    def _load(self, session_id: int, *, offer_draft: bool = True) -> None:
        """Show a saved session in the editor (its draft, if newer, is offered back)."""
        try:
            detail = get_session(self.ctx.db, session_id)
        except NotFoundError:
            self.detail = None
            self._set_mode(Mode.EMPTY)
            return
        if self.detail is None or self.detail.id != detail.id:
            self.detail_panel.scroll_to_top()  # another session: read it from the top
        self.detail = detail
        self.editor.set_goals(list_goals(self.ctx.db, mentee_id=detail.mentee_id))
        self.editor.actions.show_items(
            detail.id, list(detail.action_items), list(detail.carried_forward)
        )
        self.editor.load(detail.to_input())
        self._show_feedback()
        self._set_mode(Mode.EDIT)
        if offer_draft:
            self.drafts.offer(self, self.ctx.db, self._restore, draft_key(session_id))

    def _begin_new(self, data: SessionInput, state: EditorState | None = None) -> None:
        self.detail = None
        self.detail_panel.scroll_to_top()
        carried = open_action_items(self.ctx.db, mentee_id=data.mentee_id)
        self.editor.set_goals(list_goals(self.ctx.db, mentee_id=data.mentee_id))
        self.editor.actions.show_items(None, [], carried, state.pending if state else ())
        self.editor.load(state.data if state else data, restored=state is not None)
        self.editor.set_feedback([], can_add=False)
        self._select_row(None)
        self._set_mode(Mode.NEW)

    def _show_feedback(self) -> None:
        if self.detail is not None:
            records = list_feedback(self.ctx.db, session_id=self.detail.id)
            self.editor.set_feedback(records, can_add=True)

    def _set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self.detail_panel.show_editor(mode is not Mode.EMPTY)
        if mode is Mode.EDIT and self.detail is not None:
            when = when_text(self.detail.started_at)
            self.detail_title.setText(f"{self.detail.mentee_name} · {when}")
        elif mode is Mode.NEW:
            with contextlib.suppress(NotFoundError):
                name = get_mentee(self.ctx.db, self.editor.value().mentee_id).name
                self.detail_title.setText(f"New session with {name}")
        else:
            self.detail_title.setText("")
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.delete_button.setEnabled(self.mode is Mode.EDIT)
        self.commands_changed.emit()

    def _edited(self) -> None:
        self._update_buttons()
        if self.is_dirty():
            self.drafts.changed()
        else:
            self.drafts.forget()

    # --- selection and focus ----------------------------------------------------------------

    def _select_row(self, session_id: int | None) -> None:
        self.list_panel.show_row(session_id)

    def _session_chosen(self, chosen: int) -> None:
        current = self.detail.id if self.mode is Mode.EDIT and self.detail else None
        if chosen == current:
            return
        if not self.confirm_leave():
            self._select_row(current)
            return
        self._load(chosen)

    def _focus_changed(self, mentee_id: int | None) -> None:
        """The mentee in focus changed (the guard has dealt with unsaved edits)."""
        self._show_focus(mentee_id)  # whose sessions, even while hidden: one quick look-up
        shown = self.detail.mentee_id if self.detail else self.editor.mentee_id
        if self.mode is not Mode.EMPTY and mentee_id not in (None, shown):
            self.detail = None
            self._set_mode(Mode.EMPTY)
        self.reload_when_shown()  # the list waits until the tab is shown

    def _show_focus(self, mentee_id: int | None) -> None:
        self._focus_shown = mentee_id
        self.list_panel.show_focus(self.ctx.db, mentee_id)

    def _data_changed(self, what: str) -> None:
        if what not in KEEPS_TYPES:
            self._types_stale = True
        if what not in KEEPS_TYPES - {"mentee"}:
            self._focus_shown = _UNKNOWN  # the mentee may have a new name
        super()._data_changed(what)

    # --- editing ----------------------------------------------------------------------------

    def new_session(self) -> None:
        """Ask for the mentee, type and template, then open the editor on the new session."""
        if not self.confirm_leave():
            return
        self.chooser = NewSessionDialog(self.ctx.db, self.ctx.selector.current_id, self)
        chooser = self.chooser
        chooser.accepted.connect(lambda: self._start_new(chooser.choice()))
        chooser.open()

    def _start_new(self, choice: NewSessionChoice | None) -> None:
        try:
            data = draft_for(self.ctx.db, choice) if choice is not None else None
        except UserError as exc:
            show_error(self, exc, "Could not start the session")
            return
        if data is not None:
            self._begin_new(data)
            self.editor.title.setFocus(Qt.FocusReason.OtherFocusReason)

    def _type_chosen(self, type_id: int | None) -> None:
        """On a new session, a type brings its length and offers its template."""
        if self.mode is not Mode.NEW or type_id is None:
            return
        notes, untouched = self.editor.notes.text(), self.editor.baseline_notes()
        try:
            minutes, template = notes_for_type(self, self.ctx.db, type_id, notes, untouched)
        except UserError:
            return  # the type was deleted meanwhile: keep what is there
        self.editor.duration.setValue(minutes)
        if template is not None:
            self.editor.notes.set_text(template)

    def save(self) -> bool:
        """Save the editor; False (with the error shown by its field) when it was not saved."""
        if self.mode is Mode.EMPTY:
            return True
        data = self.editor.value()
        if self.mode is Mode.NEW:
            write = partial(self._create, data)
        elif self.detail is not None:
            write = partial(update_session, self.ctx.db, self.detail.id, data)
        else:
            return True
        saved = attempt_save(self, write, self.editor.show_error, "Could not save the session")
        if saved is None:
            return False
        self.drafts.forget()
        self._load(saved.id, offer_draft=False)
        self.ctx.bus.status_message.emit(
            f"Saved the session of {when_text(saved.started_at)} with {saved.mentee_name}."
        )
        self.ctx.bus.changed("session")
        return True

    def _create(self, data: SessionInput) -> SessionDetail:
        """Create the new session with the action items waiting for it."""
        saved = create_session(self.ctx.db, data)
        self.editor.actions.commit(saved.id)
        return saved

    def revert(self) -> None:
        """Put back what was saved (or what the new session started with)."""
        self.drafts.forget()
        if self.mode is Mode.EDIT and self.detail is not None:
            self._load(self.detail.id, offer_draft=False)
        elif self.mode is Mode.NEW:
            data, pending = self.editor.baseline()
            self.editor.actions.show_items(None, [], self.editor.actions.carried, pending)
            self.editor.load(data)

    def delete_current(self) -> None:
        if self.mode is not Mode.EDIT or self.detail is None:
            return
        detail = self.detail
        items = len(detail.action_items)
        question = (
            f"Delete the session of {when_text(detail.started_at)} with {detail.mentee_name}?"
        )
        details = (
            f"This also deletes its {items} action item{'s' * (items != 1)}. Feedback given in it "
            "stays. It all goes to the trash: Edit > Undo delete (Ctrl+Z) brings it back."
        )
        if not confirm(self, "Delete session", question, details, action="Delete"):
            return
        try:
            delete_session(self.ctx.db, detail.id)
        except UserError as exc:
            show_error(self, exc)
            return
        self.drafts.forget(draft_key(detail.id))
        self.detail = None
        self._set_mode(Mode.EMPTY)
        self.ctx.bus.status_message.emit("Deleted the session.")
        self.ctx.bus.changed("session")

    # --- drafts -----------------------------------------------------------------------------

    def _snapshot(self) -> EditorState | None:
        if self.mode is Mode.EMPTY or not self.editor.is_dirty():
            return None
        session_id = self.detail.id if self.mode is Mode.EDIT and self.detail else None
        return EditorState(session_id, self.editor.value(), self.editor.actions.pending())

    def flush_draft(self) -> None:
        """Write the crash-safe draft now rather than after the pause."""
        self.drafts.flush()

    def offer_drafts(self) -> None:
        """Offer back the drafts an earlier run left behind, newest first."""
        if not self.is_dirty():
            self.drafts.offer(self, self.ctx.db, self._restore)

    def _restore(self, offer: Offer) -> None:
        state = offer.state
        focus = self.ctx.selector.current_id
        if focus is not None and focus != state.data.mentee_id:
            self.ctx.selector.choose(state.data.mentee_id)
        if state.session_id is None:
            self._begin_new(state.data, state)
        else:
            if self.detail is None or self.detail.id != state.session_id:
                self._load(state.session_id, offer_draft=False)
            self.editor.load(state.data, restored=True)
        self._select_row(state.session_id)

    # --- dialogs ----------------------------------------------------------------------------

    def add_feedback(self) -> None:
        if self.mode is Mode.EDIT and self.detail is not None:
            self._feedback_dialog(self.detail.mentee_id, self.detail.id)

    def open_feedback(self, feedback_id: int) -> None:
        try:
            record = get_feedback(self.ctx.db, feedback_id)
        except UserError as exc:
            show_error(self, exc)
            return
        self._feedback_dialog(record.mentee_id, record.session_id, record)

    def _feedback_dialog(
        self, mentee_id: int, session_id: int | None, record: FeedbackRecord | None = None
    ) -> None:
        from mentor_desk.ui.dialogs.feedback import FeedbackDialog

        dialog = FeedbackDialog(self.ctx.db, mentee_id, session_id, record, parent=self)
        for signal in (dialog.saved, dialog.deleted):
            signal.connect(self._feedback_written)
        self.feedback_dialog = dialog
        dialog.open()

    def _feedback_written(self, *_args: object) -> None:
        self._show_feedback()
        self.ctx.bus.changed("feedback")

    def edit_templates(self) -> None:
        """Open the editor of session types and templates (the Edit menu may call this too)."""
        from mentor_desk.ui.dialogs.templates import TemplatesDialog

        self.templates_dialog = TemplatesDialog(self.ctx.db, self)
        self.templates_dialog.changed.connect(lambda: self.ctx.bus.changed("session_type"))
        self.templates_dialog.open()

    # --- TabPage ----------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.mode is not Mode.EMPTY and self.editor.is_dirty()

    def confirm_leave(self) -> bool:
        if not self.is_dirty():
            return True
        what = "the new session"
        if self.mode is Mode.EDIT and self.detail is not None:
            what = f"the session of {when_text(self.detail.started_at)}"
        return resolve_unsaved(self, what, self.save, self._discard)

    def _discard(self) -> None:
        self.drafts.forget()
        if self.mode is Mode.NEW:  # leaving a new session unsaved: nothing of it stays
            self._set_mode(Mode.EMPTY)
        else:
            self.revert()

    def command_actions(self) -> Mapping[Command, Callable[[], object]]:
        return {
            Command.NEW: self.new_session,
            Command.SAVE: self.save,
            Command.REVERT: self.revert,
            Command.DELETE: self.delete_current,
        }

    def can_delete(self) -> bool:
        return self.mode is Mode.EDIT

    def open_item(self, kind: str, item_id: int) -> bool:
        try:
            if kind == "feedback":
                record = get_feedback(self.ctx.db, item_id)
                if record.session_id is None:
                    self.open_feedback(item_id)
                    return True
                session_id = record.session_id
            elif kind == "action_item":
                session_id = get_action_item(self.ctx.db, item_id).session_id
            else:
                session_id = item_id
        except NotFoundError:
            return False
        if session_id is None or not self.confirm_leave():
            return False
        self._load(session_id)
        self._select_row(session_id)
        return self.mode is Mode.EDIT

    def save_state(self, settings: QSettings) -> None:
        remember_state(settings, "splitter", self.splitter)
        remember_state(settings, "columns", self.table.horizontalHeader())
        remember_state(settings, "notes_splitter", self.editor.notes.splitter)
        settings.setValue("notes_view", self.editor.notes.view.value)

    def restore_state(self, settings: QSettings) -> None:
        restore_state(settings, "splitter", self.splitter)
        header = self.table.horizontalHeader()
        if restore_state(settings, "columns", header):
            # The header came back sorted as it was left: sort the model the same way.
            self.table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
        restore_state(settings, "notes_splitter", self.editor.notes.splitter)
        with contextlib.suppress(ValueError):
            self.editor.notes.set_view(View(str(settings.value("notes_view", View.SPLIT.value))))
