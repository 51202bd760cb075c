"""Drafts in every editor: typed, autosaved, "killed", and offered back by the next window.

A crash is simulated the way the sessions test does it: an editor tab on its own context is
typed into, its autosave is flushed (the ~3 s pause, without waiting), and it is hidden without
saving or closing anything. A NEW main window on the same data folder then plays the next start.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from ui_helpers import DialogAnswerer, add, close_window, mentees_tab, open_window

from mentor_desk.paths import DataPaths
from mentor_desk.services.drafts import DraftStore
from mentor_desk.services.goals import GoalInput, create_goal, get_goal
from mentor_desk.services.mentees import delete_mentee, get_mentee
from mentor_desk.services.types import Database
from mentor_desk.ui.context import AppContext, EventBus, MenteeSelector
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.tabs.goals import GoalsTab
from mentor_desk.ui.tabs.goals import Mode as GoalMode
from mentor_desk.ui.tabs.mentees import MenteesTab
from mentor_desk.ui.tabs.mentees import Mode as MenteeMode
from mentor_desk.ui.widgets.draft_autosave import AUTOSAVE_MS

pytestmark = pytest.mark.gui
ZOE = "Zoë Müller"
TYPED = "Unsaved thoughts"
UNICODE = " — Zoë 李 مرحبا <b>&"


def context(db: Database, paths: DataPaths, tmp_path: Path) -> AppContext:
    settings = QSettings(str(tmp_path / "crashed.ini"), QSettings.Format.IniFormat)
    return AppContext(db, paths, EventBus(), MenteeSelector(), settings)


def crashed_mentee_edit(
    qtbot: QtBot, db: Database, paths: DataPaths, tmp_path: Path, mentee_id: int
) -> Path:
    """Type into the mentee's notes in a tab that then "dies"; the draft file it left."""
    tab = MenteesTab(context(db, paths, tmp_path))
    qtbot.addWidget(tab)
    tab.show()
    tab.ctx.selector.choose(mentee_id)
    qtbot.waitUntil(lambda: tab.mode is MenteeMode.EDIT)
    qtbot.keyClicks(tab.form.notes, TYPED)
    tab.form.notes.insertPlainText(UNICODE)  # any script survives the draft
    assert tab.drafts.timer.isActive()
    assert tab.drafts.timer.interval() == AUTOSAVE_MS == 3000
    draft_file = DraftStore.for_data_folder(paths.root).path(f"mentee-{mentee_id}")
    assert not draft_file.exists()  # not before the pause
    tab.flush_draft()
    assert draft_file.exists()
    assert draft_file.stat().st_mode & 0o777 == 0o600
    tab.hide()  # killed: nothing saved, nothing closed
    return draft_file


def test_mentee_draft_is_offered_back_after_a_crash_and_restored_unsaved(
    qtbot: QtBot, db: Database, paths: DataPaths, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    zoe = add(db, ZOE, notes="")
    draft_file = crashed_mentee_edit(qtbot, db, paths, tmp_path, zoe.id)

    dialogs.answer("Restore")
    window = open_window(qtbot, db, paths, welcome=False)
    tab = mentees_tab(qtbot, window)
    qtbot.waitUntil(lambda: len(dialogs.shown) == 1)
    assert f"{ZOE}’s details" in dialogs.shown[0].text
    assert "Unsaved changes" in dialogs.shown[0].title
    assert tab.form.notes.toPlainText() == TYPED + UNICODE
    assert tab.mode is MenteeMode.EDIT
    assert tab.is_dirty()
    assert tab.save_button.isEnabled()
    assert get_mentee(db, zoe.id).notes == ""  # restored into the form, not saved
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert get_mentee(db, zoe.id).notes == TYPED + UNICODE
    assert not draft_file.exists()  # saving removes the draft
    close_window(window)


@pytest.mark.parametrize("answer", ["Discard", "Later"])
def test_a_draft_discarded_is_gone_and_one_put_off_is_kept(
    qtbot: QtBot,
    db: Database,
    paths: DataPaths,
    tmp_path: Path,
    dialogs: DialogAnswerer,
    answer: str,
) -> None:
    zoe = add(db, ZOE)
    draft_file = crashed_mentee_edit(qtbot, db, paths, tmp_path, zoe.id)
    dialogs.answer(answer)
    window = open_window(qtbot, db, paths, welcome=False)
    tab = mentees_tab(qtbot, window)
    qtbot.waitUntil(lambda: len(dialogs.shown) == 1)
    assert draft_file.exists() is (answer == "Later")  # put off: offered again next time
    assert not tab.is_dirty()
    close_window(window)
    if answer == "Discard":
        return

    delete_mentee(db, zoe.id, confirm=True)
    window = open_window(qtbot, db, paths, welcome=False)
    mentees_tab(qtbot, window)
    qtbot.waitUntil(lambda: not draft_file.exists())  # nothing to restore it into: no question
    assert len(dialogs.shown) == 1
    close_window(window)


def test_discarding_an_edit_removes_its_draft(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer, paths: DataPaths
) -> None:
    zoe = add(db, ZOE)
    tab = mentees_tab(qtbot, window)
    window.ctx.selector.choose(zoe.id)
    qtbot.waitUntil(lambda: tab.mode is MenteeMode.EDIT)
    qtbot.keyClicks(tab.form.role, "Lead")
    tab.flush_draft()
    draft_file = DraftStore.for_data_folder(paths.root).path(f"mentee-{zoe.id}")
    assert draft_file.exists()
    qtbot.mouseClick(tab.revert_button, Qt.MouseButton.LeftButton)
    assert not draft_file.exists()
    assert not tab.drafts.timer.isActive()


def test_goal_draft_is_offered_back_after_a_crash_and_restored_unsaved(
    qtbot: QtBot, db: Database, paths: DataPaths, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada")
    goal = create_goal(db, GoalInput(mentee_id=ada.id, title="Lead the retro"))
    crashed = GoalsTab(context(db, paths, tmp_path))
    qtbot.addWidget(crashed)
    crashed.show()
    crashed.ctx.selector.choose(ada.id)
    assert crashed.open_item("goal", goal.id)
    qtbot.waitUntil(lambda: crashed.mode is GoalMode.EDIT)
    qtbot.keyClicks(crashed.form.description, "Plan it with the team")
    crashed.form.description.insertPlainText(" 李")
    assert crashed.drafts.timer.isActive()
    crashed.flush_draft()
    draft_file = DraftStore.for_data_folder(paths.root).path(f"goal-{goal.id}")
    assert draft_file.exists()
    crashed.hide()

    dialogs.answer("Restore")
    window = open_window(qtbot, db, paths, welcome=False)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    tab = window.page("goals")
    assert isinstance(tab, GoalsTab)
    qtbot.waitUntil(lambda: len(dialogs.shown) == 1)
    assert "the goal “Lead the retro” of Ada" in dialogs.shown[0].text
    assert tab.mode is GoalMode.EDIT
    assert tab.form.description.toPlainText() == "Plan it with the team 李"
    assert tab.form.title.text() == "Lead the retro"
    assert tab.is_dirty()
    assert get_goal(db, goal.id).description == ""
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert get_goal(db, goal.id).description == "Plan it with the team 李"
    assert not draft_file.exists()
    close_window(window)


def test_new_goal_draft_comes_back_as_a_new_goal(
    qtbot: QtBot, db: Database, paths: DataPaths, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    ada = add(db, "Ada")
    crashed = GoalsTab(context(db, paths, tmp_path))
    qtbot.addWidget(crashed)
    crashed.show()
    crashed.ctx.selector.choose(ada.id)
    crashed.new_goal()
    qtbot.keyClicks(crashed.form.title, "Speak at the meetup")
    crashed.flush_draft()
    draft_file = DraftStore.for_data_folder(paths.root).path("goal-new")
    assert draft_file.exists()
    crashed.hide()

    dialogs.answer("Restore")
    window = open_window(qtbot, db, paths, welcome=False)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    tab = window.page("goals")
    assert isinstance(tab, GoalsTab)
    qtbot.waitUntil(lambda: len(dialogs.shown) == 1)
    assert "a new goal for Ada" in dialogs.shown[0].text
    assert tab.mode is GoalMode.NEW
    assert tab.form.title.text() == "Speak at the meetup"
    assert tab.is_dirty()
    dialogs.answer("Discard")
    close_window(window)  # Discard at the close question removes the draft
    assert not draft_file.exists()
