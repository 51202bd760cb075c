"""The Goals tab: goals with milestones, check-ins and a progress chart, and a Skills section.

The Goals section lists the goals of the mentee in focus (everyone's, with a mentee column, under
"All mentees") beside the editor of one goal. The goal's own fields are saved with Save (and
guarded against being lost, like the mentee editor); its milestones and check-ins are edited in
place and saved at once. The Skills section shows the mentee's assessments and how they moved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from functools import partial
from typing import Any

from PySide6.QtCore import QItemSelection, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import NotFoundError, UserError
from mentor_desk.reports.charts import chart_factory, goal_progress_chart
from mentor_desk.services.drafts import DraftStore
from mentor_desk.services.goal_lists import count_goals, list_goals
from mentor_desk.services.goals import (
    Goal,
    GoalInput,
    create_goal,
    delete_goal,
    get_goal,
    progress_history,
    update_goal,
)
from mentor_desk.services.mentees import find_mentees, get_mentee
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.dialogs.prompts import attempt_save, confirm, resolve_unsaved, show_error
from mentor_desk.ui.settings import remember_state, restore_state
from mentor_desk.ui.style import centre, heading, named
from mentor_desk.ui.tabs.base import Command, TabPage
from mentor_desk.ui.widgets.chart_view import ChartView
from mentor_desk.ui.widgets.draft_autosave import DraftedEditor, FormDrafts, decode_input
from mentor_desk.ui.widgets.goal_checkins import CheckinsEditor
from mentor_desk.ui.widgets.goal_form import GoalForm
from mentor_desk.ui.widgets.goal_inline import hint_label
from mentor_desk.ui.widgets.goal_list import GoalList
from mentor_desk.ui.widgets.goal_milestones import MilestonesEditor
from mentor_desk.ui.widgets.skills_panel import SkillsPanel


class Mode(Enum):
    EMPTY = "empty"  # no goal selected: the editor is hidden
    EDIT = "edit"  # an existing goal
    NEW = "new"  # a goal not saved yet


class GoalsTab(TabPage, DraftedEditor):
    key = "goals"
    title = "Goals"
    opens = frozenset({"goal"})
    new_label = "New &goal"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.mode = Mode.EMPTY
        self.goal: Goal | None = None
        self._syncing = False  # set while the code (not the user) moves the table selection
        self.list = GoalList()
        self.chart = ChartView(title="Progress over time")
        self._build_detail()
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.addWidget(self.list)
        self.left.addWidget(self.chart)
        self.left.setChildrenCollapsible(False)
        self.left.setSizes([440, 260])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.detail_panel)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([760, 500])
        self.skills = SkillsPanel(ctx)
        self.sections = named(QTabWidget(), "Goals and skills")
        self.sections.addTab(self.splitter, "&Goals")
        self.sections.addTab(self.skills, "S&kills")
        self.sections.currentChanged.connect(self._section_changed)
        # Whether the Skills section still has to load the mentee in focus: it loads when
        # shown, so opening the tab on the goal list does not also load the skills.
        self._skills_pending = False
        layout = QVBoxLayout(self)
        layout.addWidget(self.sections)

        self.list.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.list.add_button.clicked.connect(self.new_goal)
        self.list.delete_button.clicked.connect(self.delete_current)
        self.list.delete_action.triggered.connect(self.delete_current)
        self.list.closed_wanted.connect(self._reload_goals)
        self.form.edited.connect(self._update_buttons)
        self.drafts = FormDrafts(
            DraftStore.for_data_folder(ctx.paths.root), "goal", self._draft_state, self
        )
        self._drafts_offered = False
        self.form.edited.connect(lambda: self.drafts.edited(self.is_dirty()))
        self.milestones.changed.connect(self._parts_changed)
        self.checkins.changed.connect(self._parts_changed)
        ctx.selector.changed.connect(self._focus_changed)
        ctx.selector.add_guard(self.confirm_leave)
        self._set_mode(Mode.EMPTY)

    # --- building ---------------------------------------------------------------------------

    def _build_detail(self) -> None:
        # Built in Tab order: the fields, their buttons, then milestones and check-ins.
        self.form = GoalForm()
        self.detail_title = heading("")
        self.detail_title.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidget(self.form)
        self.revert_button = named(QPushButton("Re&vert"), "Revert changes")
        self.revert_button.setToolTip("Put back what was last saved")
        self.save_button = named(QPushButton("&Save"), "Save goal")
        self.save_button.setToolTip("Save the changes (Ctrl+S)")
        self.save_button.clicked.connect(lambda: self.save())
        self.revert_button.clicked.connect(self.revert)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        fields = QWidget()
        fields_layout = QVBoxLayout(fields)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        fields_layout.addWidget(scroll, 1)
        fields_layout.addLayout(buttons)
        self.milestones = MilestonesEditor(self.ctx.db)
        self.checkins = CheckinsEditor(self.ctx.db)
        self.parts = named(QTabWidget(), "Milestones and check-ins")
        self.parts.addTab(self.milestones, "Mi&lestones")
        self.parts.addTab(self.checkins, "Check-&ins")
        self.detail_split = QSplitter(Qt.Orientation.Vertical)
        self.detail_split.addWidget(fields)
        self.detail_split.addWidget(self.parts)
        self.detail_split.setChildrenCollapsible(False)
        self.detail_split.setSizes([430, 270])

        empty = QWidget()
        hint = hint_label("Select a goal in the list to see and edit it.", "No goal")
        add = named(QPushButton("Add a goal"), "Add a goal")
        add.clicked.connect(self.new_goal)
        hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        empty_layout = QVBoxLayout()
        empty_layout.addWidget(hint)
        empty_layout.addWidget(add, 0, Qt.AlignmentFlag.AlignHCenter)
        centre(empty_layout, empty, width=320)
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(empty)
        self.detail_stack.addWidget(self.detail_split)
        self.detail_panel = QWidget()
        layout = QVBoxLayout(self.detail_panel)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.detail_title)
        layout.addWidget(self.detail_stack, 1)

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.form.defer_mentees(partial(find_mentees, self.ctx.db, ""))
        self._reload_goals()
        self._load_skills()
        if not self._drafts_offered:
            self._drafts_offered = True
            QTimer.singleShot(0, self, self.offer_drafts)  # once the tab is up

    def _load_skills(self) -> None:
        """Show the mentee in focus under Skills now if it is on show, else when it is."""
        self._skills_pending = self.sections.currentWidget() is not self.skills
        if not self._skills_pending:
            self.skills.set_mentee(self.ctx.selector.current_id)

    def _section_changed(self) -> None:
        if self._skills_pending:
            self._load_skills()
        self.commands_changed.emit()

    def _reload_goals(self) -> None:
        """The list again, and the goal on show (keeping unsaved edits in the form)."""
        mentee_id = self.ctx.selector.current_id
        self._syncing = True
        try:
            # Closed goals only when the filters show them: the list's usual view is quicker.
            closed = self.list.wants_closed()
            rows = list_goals(self.ctx.db, mentee_id=mentee_id, include_closed=closed)
            total = None if closed else count_goals(self.ctx.db, mentee_id=mentee_id)
            self.list.set_rows(rows, show_mentee=mentee_id is None, total=total)
        finally:
            self._syncing = False
        if self.mode is Mode.EDIT and self.goal is not None:
            self._reload_goal(keep_edits=True)
        self._show_row(self.goal.id if self.goal is not None else None)

    def _reload_goal(self, *, keep_edits: bool) -> None:
        """Fetch the goal on show again; the form keeps unsaved edits if ``keep_edits``."""
        assert self.goal is not None
        try:
            goal = get_goal(self.ctx.db, self.goal.id)
        except NotFoundError:  # deleted elsewhere
            self.goal = None
            self._set_mode(Mode.EMPTY)
            return
        self._show_goal(goal, load_form=not (keep_edits and self.form.is_dirty()))

    def _show_goal(self, goal: Goal, *, load_form: bool = True) -> None:
        self.goal = goal
        if load_form:
            self.form.load(goal, mentee_id=goal.mentee_id)
        else:
            done = sum(1 for m in goal.milestones if m.done)
            self.form.set_milestones(done, len(goal.milestones))
            self.form.show_warnings(goal.date_warnings)
        self.milestones.set_goal(goal)
        self.checkins.set_goal(goal)
        history = progress_history(self.ctx.db, goal.id)
        factory = chart_factory(goal_progress_chart, history, target_date=goal.target_date)
        self.chart.set_chart(factory, title=f"Progress over time: {goal.title}")
        self._set_mode(Mode.EDIT)

    def _load(self, goal_id: int | None) -> None:
        """Show ``goal_id`` in the editor (None: nothing); the form must be clean."""
        goal = None
        if goal_id is not None:
            try:
                goal = get_goal(self.ctx.db, goal_id)
            except NotFoundError:
                goal = None
        if goal is None:
            self.goal = None
            self._set_mode(Mode.EMPTY)
            return
        self._show_goal(goal)

    def _set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self.detail_stack.setCurrentIndex(0 if mode is Mode.EMPTY else 1)
        if mode is not Mode.EDIT:
            self.milestones.set_goal(None)
            self.checkins.set_goal(None)
            self.chart.set_chart(None, title="Progress over time")
        if mode is Mode.EMPTY:
            self.detail_title.setText("No goal selected")
        elif mode is Mode.NEW:
            self.detail_title.setText("New goal")
        elif self.goal is not None:
            who = f" — {self.goal.mentee_name}" if self.ctx.selector.current_id is None else ""
            self.detail_title.setText(f"{self.goal.title}{who}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.list.delete_button.setEnabled(self.mode is Mode.EDIT)
        self.commands_changed.emit()

    def _parts_changed(self) -> None:
        """A milestone or check-in was saved: show the goal's new progress everywhere."""
        if self.goal is None:
            return
        self._reload_goals()
        self.ctx.bus.changed("goal")

    # --- selection --------------------------------------------------------------------------

    def _show_row(self, goal_id: int | None) -> None:
        self._syncing = True
        try:
            self.list.show_row(goal_id)
        finally:
            self._syncing = False

    def _selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        if self._syncing:
            return
        chosen = self.list.selected_id()
        current = self.goal.id if self.goal is not None and self.mode is Mode.EDIT else None
        if chosen is None or chosen == current:
            return
        if not self.confirm_leave():
            self._show_row(current)
            return
        self._load(chosen)

    def _focus_changed(self, mentee_id: int | None) -> None:
        keep = self.goal is not None and mentee_id in (None, self.goal.mentee_id)
        if self.mode is Mode.EDIT and not keep:
            self.goal = None
            self._set_mode(Mode.EMPTY)
        elif self.mode is Mode.NEW and not self.form.is_dirty():
            self._load_new(mentee_id if mentee_id is not None else self.form.value().mentee_id)
        if self.isVisible():
            self.reload_now()
        else:
            self._stale = True  # reloaded when next shown

    # --- editing ----------------------------------------------------------------------------

    def new_goal(self) -> None:
        """Start a new goal for the mentee in focus (after dealing with unsaved edits)."""
        if not self.confirm_leave():
            return
        mentee_id = self.ctx.selector.current_id
        mentees = find_mentees(self.ctx.db, "")
        if not mentees:
            self.ctx.bus.status_message.emit("Add a mentee first: goals belong to a mentee.")
            return
        self.form.set_mentees(mentees)
        self.sections.setCurrentIndex(0)
        self.goal = None
        self._show_row(None)
        self._load_new(mentee_id if mentee_id is not None else mentees[0].id)
        self._set_mode(Mode.NEW)
        self.form.title.setFocus(Qt.FocusReason.OtherFocusReason)

    def _load_new(self, mentee_id: int | None) -> None:
        """A new goal's defaults in the form, for ``mentee_id``."""
        self.form.load(None, mentee_id=mentee_id)
        # With one mentee in focus the goal is theirs; under "All mentees" the user picks.
        self.form.mentee.setEnabled(self.ctx.selector.current_id is None)

    def save(self) -> bool:
        """Save the form; False (with the error shown by its field) when it was not saved."""
        data = self.form.value()
        if self.mode is Mode.NEW:
            write = partial(create_goal, self.ctx.db, data)
        elif self.goal is not None:
            write = partial(update_goal, self.ctx.db, self.goal.id, data)
        else:
            return True
        saved = attempt_save(self, write, self.form.show_error)
        if saved is None:
            return False
        self._show_goal(saved)
        self.refresh()
        self.ctx.bus.status_message.emit(f"Saved the goal “{saved.title}”.")
        self.ctx.bus.changed("goal")
        return True

    def revert(self) -> None:
        if self.mode is Mode.NEW:
            self._load_new(self.form.value().mentee_id)
        elif self.goal is not None:
            self.form.load(self.goal, mentee_id=self.goal.mentee_id)

    def delete_current(self) -> None:
        """Delete the goal after a confirmation that says what goes with it."""
        if self.mode is not Mode.EDIT or self.goal is None:
            return
        goal = self.goal
        parts = f"{len(goal.milestones)} milestone(s) and {len(goal.checkins)} check-in(s)"
        details = f"Its {parts} go with it, to the trash: Edit > Undo delete brings them back."
        title = f"Delete the goal “{goal.title}”?"
        if not confirm(self, "Delete goal", title, details, action="Delete"):
            return
        try:
            delete_goal(self.ctx.db, goal.id)
        except UserError as exc:
            show_error(self, exc)
            return
        self.goal = None
        self.form.load(None, mentee_id=goal.mentee_id)
        self._set_mode(Mode.EMPTY)
        self.refresh()
        self.ctx.bus.status_message.emit(f"Deleted the goal “{goal.title}”.")
        self.ctx.bus.changed("goal")

    # --- drafts -----------------------------------------------------------------------------

    def _draft_state(self) -> tuple[int | None, GoalInput] | None:
        if not self.is_dirty():
            return None
        editing = self.mode is Mode.EDIT and self.goal is not None
        return (self.goal.id if editing and self.goal else None), self.form.value()

    def _describe_draft(self, goal_id: int | None, data: dict[str, Any]) -> str | None:
        try:
            draft = decode_input(GoalInput, data, dates=("target_date",))
            if goal_id is None:
                return f"a new goal for {get_mentee(self.ctx.db, draft.mentee_id).name}"
            goal = get_goal(self.ctx.db, goal_id)
        except (NotFoundError, ValueError, TypeError):
            return None
        return f"the goal “{goal.title}” of {goal.mentee_name}"

    def _restore_draft(self, goal_id: int | None, data: dict[str, Any]) -> None:
        draft = decode_input(GoalInput, data, dates=("target_date",))
        mentee_id = draft.mentee_id if goal_id is None else get_goal(self.ctx.db, goal_id).mentee_id
        if self.ctx.selector.current_id not in (None, mentee_id):
            self.ctx.selector.choose(mentee_id)
        self.sections.setCurrentIndex(0)
        if goal_id is None:
            self.new_goal()
        else:
            self._load(goal_id)
            self._show_row(goal_id)
        self.form.restore_draft(draft)

    # --- TabPage ----------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self.mode is not Mode.EMPTY and self.form.is_dirty()

    def confirm_leave(self) -> bool:
        if not self.is_dirty():
            return True
        what = f"the goal “{self.goal.title}”" if self.mode is Mode.EDIT and self.goal else ""
        return resolve_unsaved(self, what or "the new goal", self.save, self.revert)

    def command_actions(self) -> Mapping[Command, Callable[[], object]]:
        return {
            Command.NEW: self.new_goal,
            Command.SAVE: self.save,
            Command.REVERT: self.revert,
            Command.DELETE: self.delete_current,
        }

    def can_delete(self) -> bool:
        return self.mode is Mode.EDIT and self.sections.currentIndex() == 0  # not under Skills

    def open_item(self, kind: str, item_id: int) -> bool:
        if kind != "goal":
            return False
        if self.list.row_of(item_id) is None:
            self.reload_now()
        if self.list.row_of(item_id) is None and not self.list.wants_closed():
            self.list.show_closed.setChecked(True)  # a closed goal: list the closed ones too
        if not self.list.reveal(item_id):
            return False
        self.sections.setCurrentIndex(0)
        current = self.goal.id if self.goal is not None else None
        if item_id != current:
            if not self.confirm_leave():
                return False
            self._load(item_id)
        self._show_row(item_id)
        self.list.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def save_state(self, settings: QSettings) -> None:
        remember_state(settings, "splitter", self.splitter)
        remember_state(settings, "left_splitter", self.left)
        remember_state(settings, "detail_splitter", self.detail_split)
        remember_state(settings, "columns", self.list.table.horizontalHeader())
        settings.setValue("section", self.sections.currentIndex())
        self.skills.save_state(settings)

    def restore_state(self, settings: QSettings) -> None:
        restore_state(settings, "splitter", self.splitter)
        restore_state(settings, "left_splitter", self.left)
        restore_state(settings, "detail_splitter", self.detail_split)
        if restore_state(settings, "columns", self.list.table.horizontalHeader()):
            self.list.columns_fitted = True
        section = settings.value("section")
        if section in (0, 1, "0", "1"):
            self.sections.setCurrentIndex(int(section))
        self.skills.restore_state(settings)
