"""The LMP Evidence tab: one candidate's coverage, evidence log, SCPA updates and record.

A candidate bar on top picks the LMP record; it follows the shared mentee selector (and moves it).
A selected mentee who is not a candidate can be enrolled from here. Below, the coverage grid
stays on the left while the sub-tabs hold the evidence log with its editor, the weekly SCPA
updates, and the record with its presentations and decisions. The tab is the controller that
ties them together: it loads the record, and asks about unsaved edits in any of its editors
before the candidate, the mentee, the tab or the window changes.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import NotFoundError
from mentor_desk.services.evidence import coverage, get_evidence
from mentor_desk.services.framework import AreaInfo, list_areas
from mentor_desk.services.lmp import (
    LmpRecordInfo,
    LmpRecordRow,
    get_record,
    list_records,
    record_gap_counts,
)
from mentor_desk.services.mentees import get_mentee
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.dialogs.lmp_dialogs import EnrolDialog, LmpDialog, open_dialog
from mentor_desk.ui.settings import remember_state, restore_state
from mentor_desk.ui.style import centre, named
from mentor_desk.ui.tabs.base import Command, TabPage
from mentor_desk.ui.widgets.coverage_view import CoverageView
from mentor_desk.ui.widgets.draft_autosave import PendingDraft
from mentor_desk.ui.widgets.evidence_panel import EvidencePanel
from mentor_desk.ui.widgets.lmp_record_panel import RecordPanel
from mentor_desk.ui.widgets.scpa_panel import ScpaPanel

SUB_TAB = "sub_tab"


def _plural(count: int, noun: str, nouns: str = "") -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def record_summary(record: LmpRecordInfo) -> str:
    gaps = "no gaps" if record.gap_count == 0 else _plural(record.gap_count, "gap")
    return (
        f"Sponsor: {record.sponsor_name} · enrolled {record.enrolled_on.isoformat()} · "
        f"{_plural(record.evidence_count, 'entry', 'entries')} · {gaps}"
    )


class CandidateCombo(QComboBox):
    """A combo box that says when its list is about to drop down (to fill its tooltips)."""

    popup_wanted = Signal()

    def showPopup(self) -> None:
        self.popup_wanted.emit()
        super().showPopup()


class EvidenceTab(TabPage):
    key = "evidence"
    title = "LMP Evidence"
    opens = frozenset({"evidence", "lmp_record"})
    new_label = "New &evidence entry"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.record: LmpRecordInfo | None = None
        self.records: list[LmpRecordRow] = []
        self._areas: list[AreaInfo] = []  # the framework, as of the last refresh
        self.dialog: LmpDialog | None = None  # the enrol dialog on screen, if any
        self._enrol_mentee: tuple[int, str] | None = None
        # The record the SCPA sub-tab still has to load: it loads when first shown, so opening
        # the tab on the evidence log does not also list a candidate's weekly updates.
        self._scpa_pending: int | None = None
        self._tips_filled = False  # the candidates' tooltips (see _fill_candidate_tips)
        self._build_bar()
        self.coverage_view = CoverageView()
        self.evidence = EvidencePanel(ctx)
        self.scpa = ScpaPanel(ctx)
        self.record_panel = RecordPanel(ctx)
        self.sub_tabs = named(QTabWidget(), "Candidate sections")
        self.sub_tabs.setDocumentMode(True)
        named(self.sub_tabs.tabBar(), "Candidate sections")
        self.sub_tabs.addTab(self.evidence, "&Evidence log")
        self.sub_tabs.addTab(self.scpa, "SCPA &updates")
        self.sub_tabs.addTab(self.record_panel, "&Record && decisions")
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.coverage_view)
        self.splitter.addWidget(self.sub_tabs)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 920])
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_empty())
        self.stack.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.addLayout(self.bar)
        layout.addWidget(self.stack, 1)
        self.coverage_view.area_chosen.connect(self._area_chosen)
        self.evidence.area_filter_changed.connect(self.coverage_view.show_area)
        for panel in (self.evidence, self.scpa, self.record_panel):
            panel.state_changed.connect(self._panels_changed)
        self.sub_tabs.currentChanged.connect(self._sub_tab_changed)
        ctx.selector.changed.connect(self._focus_changed)
        ctx.selector.add_guard(self.confirm_leave)

    # --- building ---------------------------------------------------------------------------

    def _build_bar(self) -> None:
        self.candidate = named(CandidateCombo(), "Candidate", "The LMP candidate shown")
        self.candidate.popup_wanted.connect(self._fill_candidate_tips)
        self.candidate.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.candidate.setMinimumContentsLength(24)
        self.candidate.setPlaceholderText("Choose a candidate")
        self.candidate.activated.connect(self._candidate_picked)
        label = QLabel("&Candidate:")
        label.setBuddy(self.candidate)
        self.summary = named(QLabel(), "Record summary")
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.bar = QHBoxLayout()
        self.bar.addWidget(label)
        self.bar.addWidget(self.candidate)
        self.bar.addWidget(self.summary, 1)

    def _build_empty(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout()
        self.empty_text = named(QLabel(), "No candidate")
        self.empty_text.setWordWrap(True)
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_enrol = named(QPushButton(), "Enrol in the LMP")
        self.empty_enrol.clicked.connect(self.enrol)
        column.addWidget(self.empty_text)
        column.addWidget(self.empty_enrol, 0, Qt.AlignmentFlag.AlignHCenter)
        centre(column, page, width=460)
        return page

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        # Without gap counts: they are only in the drop-down's tooltips, filled when it opens.
        self.records = list_records(self.ctx.db, with_gaps=False)
        self._fill_candidates()
        # Loaded once per refresh and handed to the services that need the framework.
        self._areas = list_areas(self.ctx.db)
        self.evidence.set_areas(self._areas)
        self._show(self._record_to_show())

    def _fill_candidates(self) -> None:
        self.candidate.blockSignals(True)
        try:
            self.candidate.clear()
            for row in self.records:
                self.candidate.addItem(f"{row.candidate_name} — {row.state.label}", row.id)
        finally:
            self.candidate.blockSignals(False)
        self._tips_filled = False

    def _fill_candidate_tips(self) -> None:
        """Each candidate's sponsor and gaps as the tooltip of their item in the drop-down."""
        if self._tips_filled:
            return
        self._tips_filled = True
        gaps = record_gap_counts(self.ctx.db, [row.id for row in self.records])
        for row in self.records:
            index = self.candidate.findData(row.id)
            tip = f"Sponsor {row.sponsor_name}"
            if row.id in gaps:
                tip += f"; {_plural(gaps[row.id], 'gap')}"
            self.candidate.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)

    def _record_to_show(self) -> int | None:
        """The selected mentee's record; with "All mentees", the one shown (or the first)."""
        mentee_id = self.ctx.selector.current_id
        if mentee_id is not None:
            return next((r.id for r in self.records if r.mentee_id == mentee_id), None)
        ids = [r.id for r in self.records]
        if self.record is not None and self.record.id in ids:
            return self.record.id
        return ids[0] if ids else None

    def _show(self, record_id: int | None) -> None:
        """Show a record; the same record is reloaded with any edits kept."""
        same = self.record is not None and self.record.id == record_id
        try:
            self.record = (
                get_record(self.ctx.db, record_id, areas=self._areas or None)
                if record_id is not None
                else None
            )
        except NotFoundError:
            self.record = None
        record = self.record
        self.candidate.blockSignals(True)
        self.candidate.setCurrentIndex(self.candidate.findData(record.id) if record else -1)
        self.candidate.blockSignals(False)
        self._show_enrol()
        if record is None:
            self.summary.clear()
            self._scpa_pending = None
            for panel in (self.evidence, self.scpa):
                panel.set_record(None)
            self.record_panel.set_record(None)
            self.stack.setCurrentIndex(0)
            self.commands_changed.emit()
            return
        self.summary.setText(record_summary(record))
        self.stack.setCurrentIndex(1)
        if same:
            self.evidence.reload()
        else:
            self.evidence.set_record(record.id)
        self._load_scpa(record.id)
        self.record_panel.set_record(record, keep_edits=same)
        rows = coverage(self.ctx.db, record.id, areas=self._areas or None)
        self.coverage_view.set_coverage(rows, self.evidence.filter_area.currentData())
        self.commands_changed.emit()

    def _load_scpa(self, record_id: int) -> None:
        """Load the record's SCPA updates now if their sub-tab is on show, else when it is."""
        if self.sub_tabs.currentWidget() is not self.scpa and not self.scpa.is_dirty():
            self._scpa_pending = record_id
            return
        self._scpa_pending = None
        if self.scpa.record_id == record_id:
            self.scpa.reload()  # the same record: the update being edited stays
        else:
            self.scpa.set_record(record_id)

    def _show_enrol(self) -> None:
        """Offer to enrol the selected mentee when they are not a candidate."""
        mentee_id = self.ctx.selector.current_id
        self._enrol_mentee = None
        if mentee_id is not None and not any(r.mentee_id == mentee_id for r in self.records):
            try:
                self._enrol_mentee = (mentee_id, get_mentee(self.ctx.db, mentee_id).name)
            except NotFoundError:
                self._enrol_mentee = None
        if self._enrol_mentee is not None:
            name = self._enrol_mentee[1]
            text = f"Enrol {name} in the LMP…"
            self.empty_text.setText(
                f"{name} is not an LMP candidate. Enrol them to keep their evidence log, "
                "SCPA updates and recommendation here."
            )
        elif self.records:
            text = ""
            self.empty_text.setText("Choose a candidate above.")
        else:
            text = ""
            self.empty_text.setText(
                "No LMP candidates yet. Select a mentee in the toolbar to enrol them in the "
                "Lead Mentorship Program."
            )
        self.empty_enrol.setText(text.replace("&", "&&"))
        self.empty_enrol.setAccessibleName(text or "Enrol in the LMP")
        self.empty_enrol.setVisible(bool(text))

    def _panels_changed(self) -> None:
        for index, (panel, title) in enumerate(
            (
                (self.evidence, "&Evidence log"),
                (self.scpa, "SCPA &updates"),
                (self.record_panel, "&Record && decisions"),
            )
        ):
            self.sub_tabs.setTabText(index, f"{title} *" if panel.is_dirty() else title)
        self.commands_changed.emit()

    def _sub_tab_changed(self) -> None:
        # File > New makes what the sub-tab lists: an SCPA update there, else evidence.
        scpa = self.sub_tabs.currentWidget() is self.scpa
        if scpa and self._scpa_pending is not None:
            self._load_scpa(self._scpa_pending)
        self.new_label = "New SCPA &update" if scpa else "New &evidence entry"  # type: ignore[misc]
        self.commands_changed.emit()

    # --- choosing a candidate ---------------------------------------------------------------

    def _candidate_picked(self, index: int) -> None:
        record_id = self.candidate.itemData(index)
        row = next((r for r in self.records if r.id == record_id), None)
        if row is None or (self.record is not None and self.record.id == row.id):
            return
        if not self.confirm_leave() or not self.ctx.selector.choose(row.mentee_id):
            self._show(self.record.id if self.record else None)
            return
        if self.record is None or self.record.id != row.id:
            self._show(row.id)  # the selector already held this mentee

    def _focus_changed(self, _mentee_id: int | None) -> None:
        if self.isVisible():
            self.reload_now()
        else:
            self._stale = True

    def _area_chosen(self, code: str | None) -> None:
        self.sub_tabs.setCurrentWidget(self.evidence)
        self.evidence.filter_area_code(code)

    def enrol(self) -> None:
        if self._enrol_mentee is None:
            return
        mentee_id, name = self._enrol_mentee
        sponsor = self.record.sponsor_name if self.record else ""
        self.dialog = EnrolDialog(self, self.ctx.db, mentee_id, name, sponsor)
        self.dialog.finished.connect(self._dialog_closed)
        open_dialog(self.dialog, self._enrolled)

    def _enrolled(self, record: LmpRecordInfo) -> None:
        self.ctx.bus.status_message.emit(f"Enrolled {record.candidate_name} in the LMP.")
        self.ctx.bus.changed("lmp")
        self.ctx.bus.changed("mentee")

    def _dialog_closed(self) -> None:
        self.dialog = None

    # --- TabPage ----------------------------------------------------------------------------

    def _panels(self) -> list[EvidencePanel | ScpaPanel | RecordPanel]:
        return [self.evidence, self.scpa, self.record_panel]

    def pending_drafts(self) -> list[PendingDraft]:
        """Unsaved drafts of the three editors, for the start-up question (ui.draft_recovery)."""
        return [
            draft
            for panel in self._panels()
            for draft in panel.pending_drafts(self.key, partial(self._show_for_draft, panel))
        ]

    def _show_for_draft(self, panel: QWidget, record_id: int) -> bool:
        """Show a record and ``panel`` to restore a draft in; False if an edit is in hand."""
        if self.record is None or self.record.id != record_id:
            if self.is_dirty():
                return False
            self.reload_now()
            self._show(record_id)
        self.sub_tabs.setCurrentWidget(panel)
        return self.record is not None and self.record.id == record_id

    def is_dirty(self) -> bool:
        return any(panel.is_dirty() for panel in self._panels())

    def confirm_leave(self) -> bool:
        for panel in self._panels():
            if panel.is_dirty():
                self.sub_tabs.setCurrentWidget(panel)
                if not panel.confirm_leave():
                    return False
        return True

    def supports(self, command: Command) -> bool:
        if self.record is None:
            return False
        if command is Command.NEW:
            return True
        if command in (Command.SAVE, Command.REVERT):
            return self.is_dirty()
        current = self.sub_tabs.currentWidget()
        if current is self.evidence:
            return self.evidence.current is not None
        return current is self.scpa and self.scpa.current is not None

    def run_command(self, command: Command) -> None:
        current = self.sub_tabs.currentWidget()
        if command is Command.NEW:
            if current is self.scpa:
                self.scpa.new_item()
            else:
                self.sub_tabs.setCurrentWidget(self.evidence)
                self.evidence.new_item()
        elif command is Command.SAVE:
            for panel in self._panels():
                if panel.is_dirty() and not panel.save():
                    self.sub_tabs.setCurrentWidget(panel)
                    return
        elif command is Command.REVERT:
            for panel in self._panels():
                if panel.is_dirty():
                    panel.revert()
        elif command is Command.DELETE:
            (self.scpa if current is self.scpa else self.evidence).delete_current()

    def open_item(self, kind: str, item_id: int) -> bool:
        try:
            record_id = (
                get_evidence(self.ctx.db, item_id).record_id if kind == "evidence" else item_id
            )
        except NotFoundError:
            return False
        if self._stale or self.record is None or self.record.id != record_id:
            self.reload_now()
        if self.record is None or self.record.id != record_id:
            if not self.confirm_leave():
                return False
            self._show(record_id)
        if kind == "lmp_record":
            self.sub_tabs.setCurrentWidget(self.record_panel)
            return True
        self.sub_tabs.setCurrentWidget(self.evidence)
        if not self.evidence.confirm_leave():
            return False
        if not self.evidence.shows(item_id):
            self.evidence.clear_all_filters()
        return self.evidence.open_id(item_id)

    def save_state(self, settings: QSettings) -> None:
        remember_state(settings, "splitter", self.splitter)
        remember_state(settings, "evidence_splitter", self.evidence.splitter)
        remember_state(settings, "evidence_form_splitter", self.evidence.form.split)
        remember_state(settings, "scpa_splitter", self.scpa.splitter)
        remember_state(settings, "record_splitter", self.record_panel.splitter)
        remember_state(settings, "evidence_columns", self.evidence.table.horizontalHeader())
        remember_state(settings, "scpa_columns", self.scpa.table.horizontalHeader())
        settings.setValue(SUB_TAB, self.sub_tabs.currentIndex())

    def restore_state(self, settings: QSettings) -> None:
        restore_state(settings, "splitter", self.splitter)
        restore_state(settings, "evidence_splitter", self.evidence.splitter)
        restore_state(settings, "evidence_form_splitter", self.evidence.form.split)
        restore_state(settings, "scpa_splitter", self.scpa.splitter)
        restore_state(settings, "record_splitter", self.record_panel.splitter)
        if restore_state(settings, "evidence_columns", self.evidence.table.horizontalHeader()):
            self.evidence.mark_columns_fitted()
        if restore_state(settings, "scpa_columns", self.scpa.table.horizontalHeader()):
            self.scpa.table.setProperty("fitted", True)
        index = settings.value(SUB_TAB)
        if isinstance(index, int | str) and str(index).isdigit():
            self.sub_tabs.setCurrentIndex(int(index))
