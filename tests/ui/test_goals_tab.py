"""The Goals tab, driven as a person would: typing, clicks, shortcuts, inline edits and dialogs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot
from ui_helpers import DialogAnswerer, add, retype

from mentor_desk.services.goal_lists import list_goals
from mentor_desk.services.goals import (
    CheckinInput,
    GoalInput,
    MilestoneInput,
    add_checkin,
    add_milestone,
    create_goal,
    get_goal,
)
from mentor_desk.services.lmp import (
    RequestedAction,
    enroll,
    record_decision,
    record_presentation,
    set_state,
)
from mentor_desk.services.skills import (
    AssessmentInput,
    add_assessment,
    create_skill_area,
    delete_skill_area,
    list_assessments,
    list_skill_areas,
)
from mentor_desk.services.types import (
    Database,
    Decision,
    GoalCategory,
    GoalStatus,
    LmpState,
    ProgressMode,
)
from mentor_desk.ui.dialogs.assessment import AssessmentDialog
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.models.goals import GoalTableModel
from mentor_desk.ui.models.skills import AssessmentTableModel, SkillChangeTableModel
from mentor_desk.ui.tabs.goals import GoalsTab, Mode
from mentor_desk.ui.widgets.goal_milestones import MilestoneModel

pytestmark = pytest.mark.gui

TODAY = date.today()


def goals_tab(qtbot: QtBot, window: MainWindow, mentee_id: int | None) -> GoalsTab:
    """Focus ``mentee_id`` (None: all mentees) and switch to the Goals tab with Ctrl+4."""
    qtbot.keyClick(window, Qt.Key.Key_F5)
    window.ctx.selector.choose(mentee_id)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    tab = window.page("goals")
    assert isinstance(tab, GoalsTab)
    assert window.current_page() is tab
    # Closed goals are loaded only while the filters show them.
    closed = tab.list.wants_closed()
    expected = len(list_goals(window.ctx.db, mentee_id=mentee_id, include_closed=closed))
    qtbot.waitUntil(lambda: tab.list.model.rowCount() == expected)
    return tab


def shown_titles(tab: GoalsTab) -> list[str]:
    proxy, column = tab.list.proxy, GoalTableModel.TITLE
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def shown_cell(tab: GoalsTab, title: str, column: int) -> str:
    row = shown_titles(tab).index(title)
    return str(tab.list.proxy.index(row, column).data())


def click_goal(qtbot: QtBot, tab: GoalsTab, title: str) -> None:
    row = shown_titles(tab).index(title)
    rect = tab.list.table.visualRect(tab.list.proxy.index(row, GoalTableModel.TITLE))
    qtbot.mouseClick(tab.list.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.goal is not None
    assert tab.goal.title == title


def click_check(qtbot: QtBot, view: QTableView, index: QModelIndex) -> None:
    """Click the check box drawn in a cell, where the style puts it."""
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, view)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=box.center())


def goal(db: Database, mentee_id: int, title: str, **fields: object) -> int:
    return create_goal(db, GoalInput(mentee_id=mentee_id, title=title, **fields)).id  # type: ignore[arg-type]


def test_new_goal_typed_and_saved_with_the_keyboard(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    tab = goals_tab(qtbot, window, ada.id)
    assert tab.mode is Mode.EMPTY

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert tab.mode is Mode.NEW
    assert QApplication.focusWidget() is tab.form.title
    assert not tab.form.mentee.isEnabled()  # one mentee in focus: the goal is theirs
    qtbot.keyClicks(tab.form.title, "Learn Rust")
    qtbot.keyClicks(tab.form.description, "Read *the book*, then port a tool.")
    tab.form.category.setCurrentIndex(tab.form.category.findData(GoalCategory.TECHNICAL.value))
    tab.form.status.setCurrentIndex(tab.form.status.findData(GoalStatus.ON_TRACK.value))
    qtbot.mouseClick(tab.form.target_known, Qt.MouseButton.LeftButton)
    tab.form.target_date.setDate(TODAY + timedelta(days=90))
    retype(qtbot, tab.form.progress, "15")
    assert tab.form.slider.value() == 15
    assert not tab.milestones.add_button.isEnabled()  # nothing to hang them on before saving
    assert window.isWindowModified()
    qtbot.keyClick(tab.form.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    (row,) = list_goals(db, mentee_id=ada.id)
    saved = get_goal(db, row.id)
    assert (saved.title, saved.description) == ("Learn Rust", "Read *the book*, then port a tool.")
    assert (saved.category, saved.status) == (GoalCategory.TECHNICAL, GoalStatus.ON_TRACK)
    assert (saved.target_date, saved.progress, saved.mentee_id) == (
        TODAY + timedelta(days=90),
        15,
        ada.id,
    )
    assert tab.mode is Mode.EDIT
    assert shown_titles(tab) == ["Learn Rust"]
    assert shown_cell(tab, "Learn Rust", GoalTableModel.STATUS) == "On track"
    assert shown_cell(tab, "Learn Rust", GoalTableModel.PROGRESS) == "15 %"
    assert tab.list.table.selectionModel().selectedRows()[0].data(Qt.ItemDataRole.UserRole + 1)
    assert tab.milestones.add_button.isEnabled()
    assert not tab.form.lmp_marker.isVisible()
    assert not window.isWindowModified()


def test_the_form_lists_the_mentees_when_first_filled(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    bo = add(db, "Bo")
    goal(db, bo.id, "Speak up")
    goal(db, ada.id, "Finished", status=GoalStatus.DONE.value)
    tab = goals_tab(qtbot, window, None)
    assert tab.mode is Mode.EMPTY
    assert tab.form.mentee.count() == 0  # an empty editor need not list everyone
    assert not tab.list.model.has_closed  # closed goals are not loaded while hidden
    assert shown_titles(tab) == ["Speak up"]
    click_goal(qtbot, tab, "Speak up")
    names = [tab.form.mentee.itemText(row) for row in range(tab.form.mentee.count())]
    assert names == ["Ada", "Bo"]
    assert tab.form.mentee.currentText() == "Bo"
    add(db, "Cy")
    qtbot.keyClick(window, Qt.Key.Key_F5)  # the form is on show: listed again at once
    qtbot.waitUntil(lambda: tab.form.mentee.count() == 3)
    assert tab.form.mentee.currentText() == "Bo"
    assert not tab.form.is_dirty()


def test_skills_load_when_their_section_is_shown(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    bo = add(db, "Bo")
    tab = goals_tab(qtbot, window, ada.id)
    assert tab.skills.mentee_id is None  # the goal list is on show: the skills wait
    tab.sections.setCurrentWidget(tab.skills)
    assert (tab.skills.mentee_id, tab.skills.mentee_name) == (ada.id, "Ada")
    window.ctx.selector.choose(bo.id)  # on show: loaded at once
    qtbot.waitUntil(lambda: tab.skills.mentee_id == bo.id)
    tab.sections.setCurrentIndex(0)
    window.ctx.selector.choose(ada.id)
    assert tab.skills.mentee_id == bo.id  # hidden again: waits for the next showing
    tab.sections.setCurrentWidget(tab.skills)
    assert tab.skills.mentee_id == ada.id


def test_a_check_in_is_saved_and_redraws_the_chart(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada")
    goal_id = goal(db, ada.id, "Give a talk", target_date=TODAY + timedelta(days=30))
    add_checkin(db, goal_id, CheckinInput(checked_on=TODAY - timedelta(days=14), progress=20))
    tab = goals_tab(qtbot, window, ada.id)
    click_goal(qtbot, tab, "Give a talk")
    qtbot.mouseClick(tab.parts.tabBar(), Qt.MouseButton.LeftButton, pos=_tab_centre(tab, 1))
    assert tab.parts.currentWidget() is tab.checkins
    before = tab.chart.svg()
    assert before
    assert tab.checkins.model.rowCount() == 1

    tab.checkins.new_date.setDate(TODAY)
    retype(qtbot, tab.checkins.new_progress, "65")
    qtbot.keyClicks(tab.checkins.new_comment, "Dry run went well")
    qtbot.mouseClick(tab.checkins.add_button, Qt.MouseButton.LeftButton)

    saved = get_goal(db, goal_id)
    assert [(c.checked_on, c.progress, c.comment) for c in saved.checkins] == [
        (TODAY - timedelta(days=14), 20, ""),
        (TODAY, 65, "Dry run went well"),
    ]
    assert saved.progress == 65  # the newest check-in sets a hand-set goal's progress
    assert tab.chart.svg() != before
    assert tab.checkins.model.rowCount() == 2
    assert tab.checkins.new_comment.text() == ""
    assert shown_cell(tab, "Give a talk", GoalTableModel.PROGRESS) == "65 %"
    assert tab.form.progress.value() == 65

    # An inline edit of a reading's progress redraws the chart too.
    drawn = tab.chart.svg()
    view = tab.checkins.table.view
    index = tab.checkins.model.index(1, 1)
    view.setFocus()
    view.setCurrentIndex(index)
    editor = open_cell_editor(qtbot, view)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "250")  # the editor cannot go past 100
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.chart.svg() != drawn)
    assert get_goal(db, goal_id).checkins[-1].progress == 25

    # Delete the first reading with the Delete key, after saying yes.
    dialogs.answer("Delete")
    view.setFocus()
    view.selectRow(0)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert f"Delete the check-in of {TODAY - timedelta(days=14)} (20 %)?" == dialogs.shown[-1].text
    assert [c.progress for c in get_goal(db, goal_id).checkins] == [25]
    assert tab.checkins.model.rowCount() == 1


def open_cell_editor(qtbot: QtBot, view: QAbstractItemView) -> QWidget:
    """F2 on the current cell; wait until its editor has focus (slow on a loaded machine)."""
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: QApplication.focusWidget() not in (None, view))
    editor = QApplication.focusWidget()
    assert editor is not None
    return editor


def _tab_centre(tab: GoalsTab, index: int) -> QPoint:
    return tab.parts.tabBar().tabRect(index).center()


def test_ticking_a_milestone_moves_progress_from_milestones(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    goal_id = goal(db, ada.id, "Ship v2", progress_mode=ProgressMode.MILESTONES)
    add_milestone(db, goal_id, MilestoneInput(title="Design"))
    tab = goals_tab(qtbot, window, ada.id)
    click_goal(qtbot, tab, "Ship v2")
    assert tab.form.progress_stack.currentWidget() is tab.form.computed
    assert shown_cell(tab, "Ship v2", GoalTableModel.PROGRESS) == "0 %"

    # Add a second milestone by typing its title and pressing Enter.
    qtbot.keyClicks(tab.milestones.new_title, "Release")
    qtbot.keyClick(tab.milestones.new_title, Qt.Key.Key_Return)
    assert [m.title for m in get_goal(db, goal_id).milestones] == ["Design", "Release"]
    assert tab.milestones.model.rowCount() == 2
    assert shown_cell(tab, "Ship v2", GoalTableModel.MILESTONES) == "0/2"

    view = tab.milestones.table.view
    click_check(qtbot, view, tab.milestones.model.index(0, MilestoneModel.DONE))
    qtbot.waitUntil(lambda: shown_cell(tab, "Ship v2", GoalTableModel.PROGRESS) == "50 %")
    assert shown_cell(tab, "Ship v2", GoalTableModel.MILESTONES) == "1/2"
    assert tab.form.computed.text() == "50 % (1 of 2 milestones done)"
    design = get_goal(db, goal_id).milestones[0]
    assert design.done
    assert design.done_on == TODAY
    assert not tab.is_dirty()  # inline edits are saved at once

    # Retitle a milestone in place; an empty title is refused and the message says why.
    index = tab.milestones.model.index(1, MilestoneModel.TITLE)
    view.setFocus()
    view.setCurrentIndex(index)
    editor = open_cell_editor(qtbot, view)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits a moment later
    qtbot.waitUntil(lambda: tab.milestones.table.error.text() == "Title: must not be empty")
    assert get_goal(db, goal_id).milestones[1].title == "Release"
    editor = open_cell_editor(qtbot, view)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Release 2.0")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: get_goal(db, goal_id).milestones[1].title == "Release 2.0")

    # Switching to "set by hand" shows the slider again, with the hand-set value.
    tab.form.progress_mode.setCurrentIndex(
        tab.form.progress_mode.findData(ProgressMode.MANUAL.value)
    )
    assert tab.form.progress_stack.currentIndex() == 0
    assert tab.is_dirty()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert shown_cell(tab, "Ship v2", GoalTableModel.PROGRESS) == "0 %"


def test_filters_hide_closed_goals_and_pick_by_status_and_category(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada, bob = add(db, "Ada"), add(db, "Bob")
    goal(db, ada.id, "Open one", status=GoalStatus.AT_RISK, category=GoalCategory.CAREER)
    goal(db, ada.id, "Finished", status=GoalStatus.DONE, category=GoalCategory.TECHNICAL)
    goal(db, bob.id, "Gave up", status=GoalStatus.DROPPED, category=GoalCategory.CAREER)
    tab = goals_tab(qtbot, window, None)
    assert not tab.list.table.isColumnHidden(GoalTableModel.MENTEE)
    assert shown_titles(tab) == ["Open one"]
    assert tab.list.count_label.text() == "1 of 3"

    qtbot.mouseClick(tab.list.show_closed, Qt.MouseButton.LeftButton)
    assert sorted(shown_titles(tab)) == ["Finished", "Gave up", "Open one"]
    assert shown_cell(tab, "Gave up", GoalTableModel.MENTEE) == "Bob"
    tab.list.filter_category.setCurrentIndex(
        tab.list.filter_category.findData(GoalCategory.CAREER.value)
    )
    assert sorted(shown_titles(tab)) == ["Gave up", "Open one"]
    qtbot.mouseClick(tab.list.show_closed, Qt.MouseButton.LeftButton)
    assert shown_titles(tab) == ["Open one"]

    tab.list.filter_category.setCurrentIndex(0)
    tab.list.filter_status.setCurrentIndex(tab.list.filter_status.findData(GoalStatus.DONE.value))
    assert shown_titles(tab) == ["Finished"]  # asked for by name, so shown though closed
    assert tab.list.count_label.text() == "1 of 3"

    window.ctx.selector.choose(ada.id)
    qtbot.waitUntil(lambda: tab.list.model.rowCount() == 2)
    assert tab.list.table.isColumnHidden(GoalTableModel.MENTEE)


def test_bad_input_is_refused_without_losing_what_was_typed(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    tab = goals_tab(qtbot, window, ada.id)
    qtbot.mouseClick(tab.list.add_button, Qt.MouseButton.LeftButton)
    retype(qtbot, tab.form.progress, "150")
    assert tab.form.progress.value() <= 100  # the spin box cannot hold more than 100
    assert tab.form.progress.maximum() == 100
    assert tab.form.slider.maximum() == 100
    retype(qtbot, tab.form.progress, "40")
    qtbot.keyClicks(tab.form.description, "Keep this text")
    qtbot.keyClicks(tab.form.title, "   ")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)

    assert tab.form.visible_errors() == {"title": "Title: must not be empty"}
    assert tab.form.banner.isVisible()
    assert QApplication.focusWidget() is tab.form.title
    assert tab.form.description.toPlainText() == "Keep this text"
    assert tab.form.progress.value() == 40
    assert tab.mode is Mode.NEW
    assert list_goals(db) == []

    # Any script goes: set as an input method would, then save.
    tab.form.title.setText("学习 <b>&amp; Zoë")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.form.visible_errors() == {}
    (row,) = list_goals(db)
    assert (row.title, row.progress) == ("学习 <b>&amp; Zoë", 40)
    assert not tab.form.warnings.isVisible()

    # A far-off target date is allowed, with a note (not an error) about it.
    qtbot.mouseClick(tab.form.target_known, Qt.MouseButton.LeftButton)
    tab.form.target_date.setDate(TODAY.replace(year=TODAY.year + 30, day=1))
    qtbot.keyClick(tab.form.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert get_goal(db, row.id).target_date == TODAY.replace(year=TODAY.year + 30, day=1)
    assert tab.form.warnings.isVisible()
    assert "years in the future" in tab.form.warnings.text()


def test_unsaved_edits_ask_and_delete_confirms(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada")
    first = goal(db, ada.id, "First", target_date=TODAY + timedelta(days=10))
    goal(db, ada.id, "Second", target_date=TODAY + timedelta(days=20))
    tab = goals_tab(qtbot, window, ada.id)
    click_goal(qtbot, tab, "First")
    qtbot.keyClicks(tab.form.title, " draft")

    dialogs.answer("Cancel")
    rect = tab.list.table.visualRect(tab.list.proxy.index(1, GoalTableModel.TITLE))
    qtbot.mouseClick(tab.list.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "changed the goal “First”" in dialogs.shown[-1].text
    assert tab.goal is not None
    assert tab.goal.id == first
    assert tab.form.title.text() == "First draft"

    dialogs.answer("Save")
    click_goal(qtbot, tab, "Second")
    assert get_goal(db, first).title == "First draft"

    dialogs.answer("Cancel", "Delete")
    tab.list.table.setFocus()
    qtbot.keyClick(tab.list.table, Qt.Key.Key_Delete)
    assert len(list_goals(db)) == 2
    qtbot.mouseClick(tab.list.delete_button, Qt.MouseButton.LeftButton)
    assert "Delete the goal “Second”?" in dialogs.shown[-1].text
    assert [g.title for g in list_goals(db)] == ["First draft"]
    assert shown_titles(tab) == ["First draft"]
    assert tab.mode is Mode.EMPTY


def test_goals_from_an_lmp_review_are_marked_and_open_from_navigation(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    record = enroll(db, ada.id, sponsor_name="Sam", enrolled_on=TODAY - timedelta(days=60))
    set_state(db, record.id, LmpState.GATHERING_EVIDENCE)
    set_state(db, record.id, LmpState.READY_FOR_REVIEW)
    shown = record_presentation(db, record.id, presented_on=TODAY, reviewers="Kim")
    result = record_decision(
        db,
        shown.id,
        decision=Decision.FURTHER_ACTIONS,
        decided_on=TODAY,
        requested_actions=[RequestedAction("Run a retro")],
    )
    (goal_id,) = result.goal_ids
    goals_tab(qtbot, window, None)
    window.show_tab("overview")

    window.ctx.bus.navigate("goal", goal_id, ada.id)
    tab = window.current_page()
    assert isinstance(tab, GoalsTab)
    assert tab.goal is not None
    assert tab.goal.id == goal_id
    assert tab.form.lmp_marker.isVisible()
    assert shown_cell(tab, "Run a retro · from LMP review", GoalTableModel.TITLE)
    qtbot.keyClicks(tab.form.title, " again")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert get_goal(db, goal_id).presentation_id == result.presentation.id  # kept on save


def test_an_assessment_shows_in_the_before_and_after_table(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    testing = next(area for area in list_skill_areas(db) if area.name == "Testing")
    first_day = TODAY - timedelta(days=100)
    add_assessment(db, AssessmentInput(ada.id, testing.id, level=2, assessed_on=first_day))
    tab = goals_tab(qtbot, window, None)
    qtbot.keyClick(tab.sections, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    assert tab.sections.currentWidget() is tab.skills
    panel = tab.skills
    assert panel.stack.currentIndex() == 0  # all mentees: it asks for one
    panel.mentee_choice.setCurrentIndex(panel.mentee_choice.findData(ada.id))
    panel.mentee_choice.activated.emit(panel.mentee_choice.currentIndex())
    assert window.ctx.selector.current_id == ada.id
    qtbot.waitUntil(lambda: panel.stack.currentIndex() == 1)
    assert panel.assessments.rowCount() == 1

    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None
    assert dialog.isVisible()
    dialog.skill.setCurrentIndex(dialog.skill.findText("Testing"))
    retype(qtbot, dialog.level, "7")
    dialog.assessed_on.setDate(TODAY)
    qtbot.keyClicks(dialog.note, "Writes tests first now")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert [(a.level, a.note) for a in list_assessments(db, ada.id)] == [
        (2, ""),
        (7, "Writes tests first now"),
    ]
    assert panel.before.currentText() == first_day.isoformat()
    assert panel.after.currentText() == TODAY.isoformat()
    changes = panel.changes
    row = [changes.index(r, SkillChangeTableModel.SKILL).data() for r in range(changes.rowCount())]
    testing_row = row.index("Testing")
    cells = [changes.index(testing_row, c).data() for c in range(4)]
    assert cells == ["Testing", "2", "7", "+5"]
    assert b"Testing" in panel.chart.svg()

    # Same day on both sides: nothing moved.
    panel.before.setCurrentIndex(panel.before.findText(TODAY.isoformat()))
    panel.before.activated.emit(panel.before.currentIndex())
    assert changes.index(testing_row, SkillChangeTableModel.CHANGE).data() == "0"


def test_an_assessment_is_edited_and_deleted_and_the_comparison_follows(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada")
    testing = next(area for area in list_skill_areas(db) if area.name == "Testing")
    first_day = TODAY - timedelta(days=60)
    add_assessment(db, AssessmentInput(ada.id, testing.id, level=2, assessed_on=first_day))
    add_assessment(db, AssessmentInput(ada.id, testing.id, level=4, assessed_on=TODAY, note="ok"))
    tab = goals_tab(qtbot, window, ada.id)
    qtbot.keyClick(tab.sections, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    panel = tab.skills
    table = panel.assessment_table
    qtbot.waitUntil(lambda: panel.assessments.rowCount() == 2)
    assert not panel.edit_button.isEnabled()  # nothing selected yet
    assert not panel.delete_button.isEnabled()

    def testing_cells() -> list[str]:
        changes = panel.changes
        skills = [changes.index(r, 0).data() for r in range(changes.rowCount())]
        return [changes.index(skills.index("Testing"), c).data() for c in range(4)]

    assert testing_cells() == ["Testing", "2", "4", "+2"]
    chart_before = panel.chart.svg()
    latest = table.visualRect(table.model().index(1, AssessmentTableModel.LEVEL))
    # A double-click: QTest's double-click event alone lacks the press before it.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=latest.center())
    assert panel.edit_button.isEnabled()
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=latest.center())
    dialog = panel.dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.windowTitle().startswith("Edit assessment for Ada")
    assert (dialog.level.value(), dialog.note.toPlainText()) == (4, "ok")  # prefilled
    assert dialog.assessed_on.date().toPython() == TODAY
    retype(qtbot, dialog.level, "8")
    qtbot.keyClicks(dialog.note, " and steady")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert [(a.level, a.note) for a in list_assessments(db, ada.id)] == [
        (2, ""),
        (8, "ok and steady"),
    ]
    assert testing_cells() == ["Testing", "2", "8", "+6"]
    assert panel.chart.svg() != chart_before  # the chart was drawn again with the new level
    assert panel.edit_button.isEnabled()  # the changed one stays selected

    first = table.visualRect(table.model().index(0, AssessmentTableModel.LEVEL))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=first.center())
    dialogs.answer("Cancel")
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert len(list_assessments(db, ada.id)) == 2  # cancelled: nothing deleted
    dialogs.answer("Delete")
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert f"Testing (2) on {first_day}" in dialogs.shown[-1].text
    assert [(a.level, a.assessed_on) for a in list_assessments(db, ada.id)] == [(8, TODAY)]
    assert panel.assessments.rowCount() == 1
    assert [panel.before.itemText(i) for i in range(panel.before.count())] == [TODAY.isoformat()]
    assert testing_cells() == ["Testing", "8", "8", "0"]
    assert not panel.delete_button.isEnabled()


def _reopen(qtbot: QtBot, tab: GoalsTab) -> AssessmentDialog:
    qtbot.mouseClick(tab.skills.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.skills.dialog
    assert dialog is not None
    assert dialog.isVisible()
    return dialog


def test_an_assessment_dialog_keeps_input_when_refused(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    tab = goals_tab(qtbot, window, ada.id)
    tab.sections.setCurrentWidget(tab.skills)
    dialog = _reopen(qtbot, tab)
    assert dialog.level.maximum() == 10
    retype(qtbot, dialog.level, "12")
    assert dialog.level.value() <= 10
    dialog.reject()
    doomed = create_skill_area(db, "Doomed skill")
    dialog = _reopen(qtbot, tab)
    dialog.skill.setCurrentIndex(dialog.skill.findData(doomed.id))
    retype(qtbot, dialog.level, "9")
    qtbot.keyClicks(dialog.note, "kept")
    delete_skill_area(db, doomed.id)  # meanwhile, elsewhere
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error.text() == (
        "Not saved: That skill area was not found; it may have been deleted."
    )
    assert (dialog.level.value(), dialog.note.toPlainText()) == (9, "kept")
    assert list_assessments(db, ada.id) == []
    dialog.reject()


def test_models_pass_the_model_tester_and_the_table_paints(
    qtbot: QtBot, db: Database, window: MainWindow, qtmodeltester: object
) -> None:
    ada = add(db, "Ada")
    goal_id = goal(db, ada.id, "Painted", progress=70, status=GoalStatus.OFF_TRACK)
    goal(db, ada.id, "Other", progress=0)
    add_milestone(db, goal_id, MilestoneInput(title="One", due_on=TODAY, done=True))
    add_checkin(db, goal_id, CheckinInput(checked_on=TODAY, progress=70, comment="c"))
    testing = list_skill_areas(db)[0]
    add_assessment(db, AssessmentInput(ada.id, testing.id, level=3, assessed_on=TODAY))
    tab = goals_tab(qtbot, window, ada.id)
    click_goal(qtbot, tab, "Painted")
    tab.sections.setCurrentWidget(tab.skills)
    tab.sections.setCurrentIndex(0)
    for model in (
        tab.list.model,
        tab.list.proxy,
        tab.milestones.model,
        tab.checkins.model,
        tab.skills.assessments,
        tab.skills.changes,
    ):
        qtmodeltester.check(model)  # type: ignore[attr-defined]
        assert model.rowCount() > 0
    assert tab.list.model.index(0, GoalTableModel.STATUS).data(Qt.ItemDataRole.BackgroundRole)

    # The progress bars paint (any Qt warning would fail the test), in the progress column.
    image = tab.list.table.grab().toImage()
    assert not image.isNull()
    rect = tab.list.table.visualRect(tab.list.proxy.index(0, GoalTableModel.PROGRESS))
    colours = {
        image.pixelColor(x, rect.center().y() + tab.list.table.horizontalHeader().height()).name()
        for x in range(rect.left() + 4, rect.right() - 4)
    }
    assert len(colours) > 2  # a bar and its text, not an empty cell
    assert tab.checkins.table.view.grab().toImage().isNull() is False
    assert tab.list.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
