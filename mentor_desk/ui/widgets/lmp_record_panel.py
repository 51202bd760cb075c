"""The LMP record of one candidate: its state, sponsor and recommendation, and its history.

Only the moves :func:`next_states` allows are offered as buttons; presenting and deciding have
their own dialogs (a date, reviewers, a decision), enabled only in the state that allows them.
A decision's requested actions become goals; the history lists them, and a click opens a goal in
the Goals tab.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import NotFoundError, UserError
from mentor_desk.services.drafts import DraftStore
from mentor_desk.services.lmp import (
    DecisionResult,
    LmpRecordInfo,
    PresentationInfo,
    get_record,
    history,
    next_states,
    set_state,
    update_record,
)
from mentor_desk.services.types import LmpState, Visibility
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.dialogs.lmp_decision import DecisionDialog
from mentor_desk.ui.dialogs.lmp_dialogs import LmpDialog, PresentationDialog, open_dialog
from mentor_desk.ui.dialogs.prompts import attempt_save, resolve_unsaved, show_error
from mentor_desk.ui.style import bold, named
from mentor_desk.ui.widgets.choices import chosen, enum_combo, set_choice
from mentor_desk.ui.widgets.dates import (
    date_edit,
    date_of,
    set_date,
)
from mentor_desk.ui.widgets.draft_autosave import FormDrafts, Found, PendingDraft, decode_input
from mentor_desk.ui.widgets.field_errors import FieldErrors
from mentor_desk.ui.widgets.lmp_text import MarkdownEditor, history_html

FIELD_LABELS = {
    "sponsor_name": "Sponsor",
    "enrolled_on": "Enrolled on",
    "visibility": "Visible to",
    "recommendation": "Recommendation",
    "state": "State",
}
_HINTS = {
    LmpState.ENROLLED: "Start gathering evidence when the weekly sponsor meetings begin.",
    LmpState.GATHERING_EVIDENCE: "When the evidence covers every area, mark it ready for review.",
    LmpState.READY_FOR_REVIEW: "Present the dossier, then record the presentation.",
    LmpState.PRESENTED: "Record the leadership group's decision.",
    LmpState.ACCEPTED: "The recommendation was accepted: the candidacy is complete.",
    LmpState.FURTHER_ACTIONS: (
        "Work on the requested actions (they are goals now), then gather evidence or go back "
        "to ready for review to present again."
    ),
}


@dataclass(frozen=True, slots=True)
class RecordValue:
    sponsor_name: str
    enrolled_on: date | None
    visibility: Visibility
    recommendation: str


class RecordPanel(QWidget):
    """State, sponsor, recommendation and history of one LMP record.

    Signals:
        state_changed(): dirtiness changed.
    """

    state_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record: LmpRecordInfo | None = None
        self.presentations: list[PresentationInfo] = []
        self.dialog: LmpDialog | None = None  # the dialog on screen, if any
        self.state_buttons: list[QPushButton] = []  # the moves offered now, in order
        self._loading = False
        self._baseline: RecordValue | None = None
        store = DraftStore.for_data_folder(ctx.paths.root)
        self.drafts = FormDrafts(store, "lmp-record", self._draft_state, self)
        self._build()

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.state_label = named(QLabel(), "State")
        self.state_label.setFont(bold(self.state_label.font()))
        self.state_hint = named(QLabel(), "What comes next")
        self.state_hint.setWordWrap(True)
        # One button per state, made once (so the Tab order stays put); only the moves
        # next_states allows are shown.
        self.moves = QHBoxLayout()
        self.move_buttons: dict[LmpState, QPushButton] = {}
        for target in LmpState:
            text = f"Move to {target.label.lower()}"
            button = named(QPushButton(text), text)
            button.setToolTip(f"Change the state to '{target.label.lower()}'")
            button.clicked.connect(lambda _checked=False, t=target: self.move_to(t))
            button.hide()
            self.moves.addWidget(button)
            self.move_buttons[target] = button
        self.moves.addStretch(1)
        self.sponsor = named(QLineEdit(), "Sponsor", "The candidate's manager; required")
        self.enrolled_on = date_edit("Enrolled on")
        self.visibility = enum_combo("Recommendation visible to", list(Visibility))
        self.recommendation = MarkdownEditor(
            "Recommendation", "&Recommendation to the leadership group", lines=8
        )
        self.errors = FieldErrors(FIELD_LABELS, self.widget_for)
        self.save_button = named(QPushButton("&Save record"), "Save LMP record")
        self.save_button.setToolTip("Save the sponsor and recommendation (Ctrl+S)")
        self.revert_button = named(QPushButton("Re&vert"), "Revert record changes")
        self.save_button.clicked.connect(lambda: self.save())
        self.revert_button.clicked.connect(self.revert)

        record_box = QGroupBox("Record")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        state_row = QHBoxLayout()
        state_row.addWidget(self.state_label)
        state_row.addLayout(self.moves, 1)
        form.addRow("State", state_row)
        form.addRow("", self.state_hint)
        for field, text, widget in (
            ("sponsor_name", "S&ponsor", self.sponsor),
            ("enrolled_on", "&Enrolled on", self.enrolled_on),
            ("visibility", "Visi&ble to", self.visibility),
        ):
            self.errors.add_row(form, text, widget, field)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        left = QVBoxLayout(record_box)
        left.addWidget(self.errors.banner)
        left.addLayout(form)
        left.addWidget(self.recommendation, 1)
        left.addWidget(self.errors.label("recommendation"))
        left.addLayout(buttons)

        history_box = QGroupBox("Presentations and decisions")
        self.present_button = named(QPushButton("Record &presentation…"), "Record presentation")
        self.decide_button = named(QPushButton("Record &decision…"), "Record decision")
        self.present_button.clicked.connect(self.record_presentation)
        self.decide_button.clicked.connect(self.record_decision)
        self.history = named(QTextBrowser(), "History", "Every presentation and decision")
        self.history.setOpenLinks(False)
        self.history.anchorClicked.connect(self._link_clicked)
        actions = QHBoxLayout()
        actions.addWidget(self.present_button)
        actions.addWidget(self.decide_button)
        actions.addStretch(1)
        right = QVBoxLayout(history_box)
        right.addLayout(actions)
        right.addWidget(self.history, 1)

        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(record_box)
        self.splitter.addWidget(history_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

        self.sponsor.textChanged.connect(self._changed)
        self.enrolled_on.dateChanged.connect(self._changed)
        self.visibility.currentIndexChanged.connect(self._changed)
        self.recommendation.edited.connect(self._changed)

    # --- loading ----------------------------------------------------------------------------

    def set_record(self, record: LmpRecordInfo | None, *, keep_edits: bool = False) -> None:
        """Show ``record``; the form is reloaded unless ``keep_edits`` and it holds edits."""
        self.record = record
        if not (keep_edits and self.is_dirty()):
            self._load_form(record)
        self.presentations = history(self.ctx.db, record.id) if record else []
        self._show_state()
        self.history.setHtml(history_html(self.presentations))
        self._update_buttons()

    def _load_form(self, record: LmpRecordInfo | None) -> None:
        self._fill(
            RecordValue(
                sponsor_name=record.sponsor_name if record else "",
                enrolled_on=record.enrolled_on if record else None,
                visibility=record.visibility if record else Visibility.LEADERSHIP,
                recommendation=record.recommendation if record else "",
            )
        )
        self.errors.clear()
        self._baseline = self.value()

    def _fill(self, data: RecordValue) -> None:
        self._loading = True
        try:
            self.sponsor.setText(data.sponsor_name)
            set_date(self.enrolled_on, data.enrolled_on)
            set_choice(self.visibility, data.visibility)
            self.recommendation.set_text(data.recommendation)
        finally:
            self._loading = False

    def _show_state(self) -> None:
        allowed = next_states(self.record.state) if self.record else ()
        for target, button in self.move_buttons.items():
            button.setVisible(target in allowed)
        self.state_buttons = [self.move_buttons[target] for target in allowed]
        if self.record is None:
            self.state_label.setText("")
            self.state_hint.setText("")
            return
        state = self.record.state
        self.state_label.setText(state.label)
        self.state_hint.setText(_HINTS.get(state, ""))
        ready = state is LmpState.READY_FOR_REVIEW
        self.present_button.setEnabled(ready)
        self.present_button.setToolTip(
            "Record the date and reviewers of the presentation"
            if ready
            else "Only a record that is ready for review can be presented"
        )
        waiting = self.pending_presentation() is not None and state is LmpState.PRESENTED
        self.decide_button.setEnabled(waiting)
        self.decide_button.setToolTip(
            "Record the leadership group's decision"
            if waiting
            else "A decision follows a presentation"
        )

    def pending_presentation(self) -> PresentationInfo | None:
        """The latest presentation if it has no decision yet."""
        latest = self.presentations[-1:] if self.record is not None else []
        return latest[0] if latest and latest[0].decision is None else None

    def value(self) -> RecordValue:
        return RecordValue(
            sponsor_name=self.sponsor.text(),
            enrolled_on=date_of(self.enrolled_on),
            visibility=chosen(self.visibility, Visibility, Visibility.LEADERSHIP),
            recommendation=self.recommendation.text(),
        )

    def is_dirty(self) -> bool:
        return (
            self.record is not None
            and self._baseline is not None
            and self.value() != self._baseline
        )

    def _changed(self) -> None:
        if not self._loading:
            self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.drafts.edited(dirty)
        self.state_changed.emit()

    def widget_for(self, field: str) -> QWidget | None:
        widgets: dict[str, QWidget] = {
            "sponsor_name": self.sponsor,
            "enrolled_on": self.enrolled_on,
            "visibility": self.visibility,
            "recommendation": self.recommendation.editor,
        }
        return widgets.get(field)

    # --- editing ----------------------------------------------------------------------------

    def save(self) -> bool:
        if self.record is None:
            return True
        data = self.value()
        write = partial(
            update_record,
            self.ctx.db,
            self.record.id,
            sponsor_name=data.sponsor_name,
            recommendation=data.recommendation,
            visibility=data.visibility,
            enrolled_on=data.enrolled_on,
        )
        saved = attempt_save(self, write, self.errors.show, "Could not save the LMP record")
        if saved is None:
            return False
        self.set_record(saved)
        self.ctx.bus.status_message.emit(f"Saved the LMP record of {saved.candidate_name}.")
        self.ctx.bus.changed("lmp")
        return True

    def revert(self) -> None:
        self._load_form(self.record)
        self._update_buttons()

    def confirm_leave(self) -> bool:
        if not self.is_dirty() or self.record is None:
            return True
        what = f"the LMP record of {self.record.candidate_name}"
        return resolve_unsaved(self, what, self.save, self.revert)

    # --- drafts -----------------------------------------------------------------------------

    def _draft_state(self) -> tuple[int | None, RecordValue] | None:
        return (self.record.id, self.value()) if self.record and self.is_dirty() else None

    def _describe_draft(self, record_id: int | None, data: dict[str, Any]) -> str | None:
        try:
            decode_input(RecordValue, data, dates=("enrolled_on",))
            record = get_record(self.ctx.db, record_id) if record_id is not None else None
        except (NotFoundError, ValueError, TypeError):
            return None
        return f"the LMP record of {record.candidate_name}" if record else None

    def pending_drafts(self, tab: str, show_record: Callable[[int], bool]) -> list[PendingDraft]:
        """The drafts to offer at start-up; ``show_record`` brings a record into view (False:
        not now, an edit is in hand)."""
        pending = []
        for found in self.drafts.found(self._describe_draft):
            assert found.record_id is not None  # _describe_draft keeps only existing records
            mentee_id = get_record(self.ctx.db, found.record_id).mentee_id
            restore = partial(self._take_back, found, show_record)
            key, when = found.draft.key, found.draft.saved_at
            pending.append(
                PendingDraft(key, found.what, when, tab, "lmp-record", mentee_id, False, restore)
            )
        return pending

    def _take_back(self, found: Found, show_record: Callable[[int], bool]) -> bool:
        assert found.record_id is not None
        if self.is_dirty() or not show_record(found.record_id):
            return False
        self._fill(decode_input(RecordValue, found.data, dates=("enrolled_on",)))
        self._update_buttons()
        self.drafts.adopt(found.draft.key)
        return True

    def move_to(self, state: LmpState) -> None:
        if self.record is None:
            return
        try:
            moved = set_state(self.ctx.db, self.record.id, state)
        except UserError as exc:
            show_error(self, exc, "Could not change the state")
            return
        self.set_record(moved, keep_edits=True)
        self.ctx.bus.status_message.emit(
            f"{moved.candidate_name}'s LMP record is now '{moved.state.label.lower()}'."
        )
        self.ctx.bus.changed("lmp")

    def record_presentation(self) -> None:
        if self.record is None:
            return
        name = self.record.candidate_name

        def presented(result: PresentationInfo) -> None:
            self._announce(
                f"Recorded the presentation of {name}'s dossier on {result.presented_on}.", "lmp"
            )

        self._open(PresentationDialog(self, self.ctx.db, self.record.id, name), presented)

    def record_decision(self) -> None:
        pending = self.pending_presentation()
        if self.record is None or pending is None:
            return
        name = self.record.candidate_name

        def decided(result: DecisionResult) -> None:
            goals = len(result.goal_ids)
            made = f"; {goals} goal{'s' * (goals != 1)} created" if goals else ""
            verdict = result.state.label.lower()
            self._announce(f"Recorded the decision on {name}: {verdict}{made}.", "goal", "lmp")

        self._open(DecisionDialog(self, self.ctx.db, pending, name), decided)

    def _announce(self, message: str, *what: str) -> None:
        self.ctx.bus.status_message.emit(message)
        for item in what:
            self.ctx.bus.changed(item)

    def _open(self, dialog: LmpDialog, accepted: Callable[[Any], None]) -> None:
        """Show a dialog; ``accepted`` gets what its service returned, if it was accepted."""
        self.dialog = dialog
        dialog.finished.connect(self._dialog_closed)
        open_dialog(dialog, accepted)

    def _dialog_closed(self) -> None:
        self.dialog = None

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == "goal" and self.record is not None:
            self.ctx.bus.navigate("goal", int(url.path()), self.record.mentee_id)
