"""Drafts of the LMP editors, and the one start-up question that offers every draft back.

The evidence, SCPA and LMP record editors keep drafts like the others. A real crash is tested
the way tests/ui/test_drafts_everywhere.py does it: an editor tab on its own context is typed
into, its autosave writes the draft, and it is hidden without saving or closing anything. A NEW
main window on the same data folder then plays the next start. (A real SIGKILL test of a window
process costs ~8 s here, mostly its start-up; tests/unit/test_crash_safety.py kills writers.)
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot
from test_drafts_everywhere import context
from ui_helpers import DialogAnswerer, add, close_window, open_window

from mentor_desk.paths import DataPaths
from mentor_desk.services.drafts import DraftStore
from mentor_desk.services.evidence import EvidenceInput, create_evidence, get_evidence
from mentor_desk.services.goals import GoalInput, create_goal, get_goal
from mentor_desk.services.lmp import enroll, get_record
from mentor_desk.services.mentees import get_mentee
from mentor_desk.services.scpa import list_scpa
from mentor_desk.services.types import Database
from mentor_desk.ui.draft_recovery import question
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.tabs.base import Command
from mentor_desk.ui.tabs.evidence import EvidenceTab
from mentor_desk.ui.tabs.goals import GoalsTab
from mentor_desk.ui.tabs.mentees import MenteesTab
from mentor_desk.ui.widgets.draft_autosave import AUTOSAVE_MS, PendingDraft

pytestmark = pytest.mark.gui
ZOE = "Zoë Müller"


def candidate(db: Database, name: str = ZOE) -> tuple[int, int, int]:
    """A mentee enrolled in the LMP with one evidence entry: (mentee, record, entry) ids."""
    mentee = add(db, name)
    record = enroll(db, mentee.id, sponsor_name="Sam", enrolled_on=date.today() - timedelta(30))
    entry = create_evidence(
        db, record.id, EvidenceInput(occurred_on=date.today(), areas=("B1",), title="Retro")
    )
    return mentee.id, record.id, entry.id


def crashed_tab(qtbot: QtBot, db: Database, paths: DataPaths, tmp_path: Path) -> EvidenceTab:
    tab = EvidenceTab(context(db, paths, tmp_path))
    qtbot.addWidget(tab)
    tab.show()
    return tab


def draft_file(paths: DataPaths, key: str) -> Path:
    return DraftStore.for_data_folder(paths.root).path(key)


def drafted_narrative(paths: DataPaths, entry: int) -> str:
    draft = DraftStore.for_data_folder(paths.root).load(f"evidence-{entry}")
    assert draft is not None
    return str(draft.data["input"]["narrative"])


def evidence_tab(window: MainWindow) -> EvidenceTab:
    tab = window.page("evidence")
    assert isinstance(tab, EvidenceTab)
    return tab


def test_evidence_draft_is_written_while_typing_goes_on_and_offered_back(
    qtbot: QtBot, db: Database, paths: DataPaths, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    mentee, _record, entry = candidate(db)
    saved = draft_file(paths, f"evidence-{entry}")
    crashed = crashed_tab(qtbot, db, paths, tmp_path)
    crashed.ctx.selector.choose(mentee)
    assert crashed.open_item("evidence", entry)
    drafts = crashed.evidence.drafts
    assert drafts.timer.interval() == AUTOSAVE_MS == 3000
    drafts.timer.setInterval(150)  # the same clock, faster: a test need not wait 3 s
    editor = crashed.evidence.form.narrative.editor
    # Typing without a pause (a key every 10 ms) never lets a debounce fire; the draft must
    # still be written within the interval, and keep following the text.
    typing = QTimer()
    typing.setInterval(10)
    typing.timeout.connect(lambda: editor.insertPlainText("ab"))
    typing.start()
    started = time.monotonic()
    qtbot.waitUntil(saved.exists, timeout=1000)
    assert time.monotonic() - started < 0.6
    first = len(drafted_narrative(paths, entry))
    qtbot.waitUntil(lambda: len(drafted_narrative(paths, entry)) > first, timeout=1000)
    typing.stop()
    typed = editor.toPlainText()
    drafts.flush()  # the last pause before the "crash"
    crashed.hide()  # killed: nothing saved, nothing closed

    dialogs.answer("Restore")
    window = open_window(qtbot, db, paths, welcome=False)
    qtbot.waitUntil(lambda: len(dialogs.shown) == 1)
    assert f"the evidence entry “Retro” of {ZOE}" in dialogs.shown[0].text
    tab = evidence_tab(window)
    assert window.current_page() is tab
    assert tab.sub_tabs.currentWidget() is tab.evidence
    assert tab.evidence.form.narrative.text() == typed
    assert tab.is_dirty()
    assert tab.sub_tabs.tabText(0) == "&Evidence log *"
    assert get_evidence(db, entry).narrative == ""
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert get_evidence(db, entry).narrative == typed
    assert not saved.exists()
    close_window(window)


def test_new_evidence_and_scpa_drafts_come_back_for_their_candidate(
    qtbot: QtBot, db: Database, paths: DataPaths, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    mentee, record, _entry = candidate(db)
    crashed = crashed_tab(qtbot, db, paths, tmp_path)
    crashed.ctx.selector.choose(mentee)
    crashed.evidence.new_item()
    qtbot.keyClicks(crashed.evidence.form.title, "Ran the planning")
    crashed.evidence.form.areas.set_checked(["B2"])
    crashed.evidence.form.narrative.editor.insertPlainText("Zoë 李 مرحبا <b>&")
    assert crashed.evidence.drafts.timer.isActive()
    assert not draft_file(paths, "evidence-new").exists()  # not before the interval
    crashed.evidence.drafts.flush()
    crashed.sub_tabs.setCurrentWidget(crashed.scpa)
    crashed.scpa.new_item()
    qtbot.keyClicks(crashed.scpa.form.texts["success"], "Shipped the beta")
    crashed.scpa.drafts.flush()
    crashed.record_panel.recommendation.editor.setPlainText("Ready to lead 李")
    crashed.record_panel.drafts.flush()
    for key in ("evidence-new", "scpa-new", f"lmp-record-{record}"):
        assert draft_file(paths, key).exists(), key
        assert draft_file(paths, key).stat().st_mode & 0o777 == 0o600
    crashed.hide()

    dialogs.answer("Restore")
    window = open_window(qtbot, db, paths, welcome=False)
    qtbot.waitUntil(lambda: len(dialogs.shown) == 1)
    text = dialogs.shown[0].text
    assert text.startswith("Unsaved text from your last session:")
    for what in ("new evidence entry", "new SCPA update", f"the LMP record of {ZOE}"):
        assert what in text
    tab = evidence_tab(window)
    qtbot.waitUntil(lambda: tab.evidence.form.title.text() == "Ran the planning")
    assert tab.record is not None
    assert tab.record.id == record
    assert tab.evidence.current is None  # a new entry, not saved yet
    assert tab.evidence.form.narrative.text() == "Zoë 李 مرحبا <b>&"
    assert tab.scpa.form.texts["success"].toPlainText() == "Shipped the beta"
    assert tab.record_panel.recommendation.text() == "Ready to lead 李"
    assert tab.is_dirty()
    assert [tab.sub_tabs.tabText(n)[-1] for n in range(3)] == ["*", "*", "*"]
    assert get_record(db, record).recommendation == ""
    assert list_scpa(db, record) == []
    tab.run_command(Command.SAVE)
    assert get_record(db, record).recommendation == "Ready to lead 李"
    assert [update.success for update in list_scpa(db, record)] == ["Shipped the beta"]
    assert tab.evidence.current is not None
    saved = get_evidence(db, tab.evidence.current.id)
    assert (saved.title, saved.area_codes) == ("Ran the planning", ("B2",))
    for key in ("evidence-new", "scpa-new", f"lmp-record-{record}"):
        assert not draft_file(paths, key).exists(), key
    close_window(window)


def crash_mentee_and_goal_edits(
    qtbot: QtBot, db: Database, paths: DataPaths, tmp_path: Path
) -> tuple[int, int, int]:
    """Unsaved edits of Zoë's notes, her goal and Ada's goal, left as drafts: the ids."""
    zoe, ada = add(db, ZOE).id, add(db, "Ada").id
    goals = [
        create_goal(db, GoalInput(mentee_id=who, title=f"Goal {who}")).id for who in (zoe, ada)
    ]
    mentees = MenteesTab(context(db, paths, tmp_path))
    qtbot.addWidget(mentees)
    mentees.show()
    mentees.ctx.selector.choose(zoe)
    qtbot.keyClicks(mentees.form.notes, "Notes typed")
    mentees.flush_draft()
    mentees.hide()
    for goal_id, typed in zip(goals, ("Older goal text", "Newest goal text"), strict=True):
        tab = GoalsTab(context(db, paths, tmp_path))
        qtbot.addWidget(tab)
        tab.show()
        assert tab.open_item("goal", goal_id)
        qtbot.keyClicks(tab.form.description, typed)
        tab.flush_draft()
        tab.hide()
    return zoe, goals[0], goals[1]


def test_start_up_question_lists_every_draft_once_and_restores_what_fits(
    qtbot: QtBot, db: Database, paths: DataPaths, tmp_path: Path, dialogs: DialogAnswerer
) -> None:
    zoe, zoe_goal, ada_goal = crash_mentee_and_goal_edits(qtbot, db, paths, tmp_path)
    dialogs.answer("Restore")
    window = open_window(qtbot, db, paths, welcome=False)
    qtbot.waitUntil(lambda: len(dialogs.shown) == 1)
    text = dialogs.shown[0].text
    for what in (f"{ZOE}’s details", f"the goal “Goal {zoe}” of {ZOE}", "of Ada"):
        assert what in text
    assert text.index("of Ada") < text.index(ZOE)  # newest first
    # The newest (Ada's goal) is restored in the Goals tab, shown; Zoë's notes need Zoë in
    # focus while Ada's goal is unsaved, and her goal the same editor: both wait.
    goals = window.page("goals")
    assert isinstance(goals, GoalsTab)
    assert window.current_page() is goals
    assert goals.form.description.toPlainText() == "Newest goal text"
    assert get_goal(db, ada_goal).description == ""
    kept = window.draft_recovery.kept
    assert {draft.key for draft in kept} == {f"mentee-{zoe}", f"goal-{zoe_goal}"}
    assert all(draft_file(paths, draft.key).exists() for draft in kept)
    assert "1 more" not in window.statusBar().currentMessage()
    assert "2 more will be offered at the next start" in window.statusBar().currentMessage()
    goals.revert()
    close_window(window)

    dialogs.answer("Restore")  # next start: Zoë's drafts, both restorable now
    window = open_window(qtbot, db, paths, welcome=False)
    qtbot.waitUntil(lambda: len(dialogs.shown) == 2)
    assert "of Ada" not in dialogs.shown[1].text
    mentees = window.page("mentees")
    assert isinstance(mentees, MenteesTab)
    qtbot.waitUntil(lambda: mentees.form.notes.toPlainText() == "Notes typed")
    assert window.ctx.selector.current_id == zoe
    assert window.draft_recovery.kept == []
    assert get_mentee(db, zoe).notes == ""
    dialogs.answer("Discard", "Discard")
    close_window(window)
    assert not list((paths.root / "drafts").glob("*.json"))


@pytest.mark.parametrize("answer", ["Discard", "Later"])
def test_discard_removes_every_draft_and_later_keeps_them_unasked(
    qtbot: QtBot,
    db: Database,
    paths: DataPaths,
    tmp_path: Path,
    dialogs: DialogAnswerer,
    answer: str,
) -> None:
    crash_mentee_and_goal_edits(qtbot, db, paths, tmp_path)
    dialogs.answer(answer)
    window = open_window(qtbot, db, paths, welcome=False)
    qtbot.waitUntil(lambda: len(dialogs.shown) == 1)
    left = sorted(path.name for path in (paths.root / "drafts").glob("*.json"))
    assert len(left) == (0 if answer == "Discard" else 3)
    for number in range(1, 6):  # no tab offers them again in this run
        qtbot.keyClick(window, Qt.Key.Key_0 + number, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(50)
    assert len(dialogs.shown) == 1
    assert not window.isWindowModified()
    close_window(window)


def test_the_start_up_question_looks_right(qtbot: QtBot, tmp_path: Path) -> None:
    when = datetime(2026, 11, 12, 14, 5, tzinfo=UTC)
    pending = [
        PendingDraft(f"k{n}", what, when, "t", f"s{n}", None, False, lambda: True)
        for n, what in enumerate(
            [f"the session of 2026-11-12 with {ZOE}", f"the evidence entry “<b>&” of {ZOE}"]
            + [f"the goal “Goal {n}” of Ada" for n in range(8)]
        )
    ]
    box = question(None, pending)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    assert box.text().count("•") == 8
    assert "…and 2 more" in box.text()
    assert "“<b>&”" in box.text()
    assert sorted(b.text() for b in box.buttons()) == ["Discard", "Later", "Restore"]
    box.grab().save(str(tmp_path / "drafts-question.png"))
    box.close()


def test_reverting_an_lmp_editor_removes_its_draft(
    qtbot: QtBot, db: Database, paths: DataPaths, tmp_path: Path
) -> None:
    mentee, record, _entry = candidate(db)
    tab = crashed_tab(qtbot, db, paths, tmp_path)
    tab.ctx.selector.choose(mentee)
    tab.sub_tabs.setCurrentWidget(tab.scpa)
    qtbot.keyClicks(tab.scpa.form.texts["challenges"], "Flaky CI")
    qtbot.keyClicks(tab.record_panel.sponsor, " Lee")
    for panel, key in ((tab.scpa, "scpa-new"), (tab.record_panel, f"lmp-record-{record}")):
        assert panel.drafts.timer.isActive()
        panel.drafts.flush()
        assert draft_file(paths, key).exists()
        qtbot.mouseClick(panel.revert_button, Qt.MouseButton.LeftButton)
        assert not draft_file(paths, key).exists()
        assert not panel.drafts.timer.isActive()
    assert not tab.is_dirty()
