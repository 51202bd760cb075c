"""The LMP Evidence tab, driven as a sponsor would: typing, ticking areas, clicks and dialogs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QPushButton
from pytestqt.qtbot import QtBot
from ui_helpers import DialogAnswerer, add, close_window, open_window, retype

from mentor_desk.paths import DataPaths
from mentor_desk.services.evidence import (
    EvidenceInput,
    coverage,
    create_evidence,
    get_evidence,
    list_evidence,
)
from mentor_desk.services.goal_lists import list_goals
from mentor_desk.services.lmp import LmpRecordInfo, enroll, get_record, history, record_for_mentee
from mentor_desk.services.mentees import Mentee, get_mentee
from mentor_desk.services.scpa import create_scpa, list_scpa
from mentor_desk.services.types import Database, Decision, GoalCategory, LmpState
from mentor_desk.ui.dialogs.lmp_decision import DecisionDialog
from mentor_desk.ui.dialogs.lmp_dialogs import EnrolDialog, PresentationDialog
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.models.evidence import (
    CODE_ROLE,
    GAP_ROLE,
    GAP_TINT,
    CoverageModel,
    EvidenceTableModel,
)
from mentor_desk.ui.tabs.evidence import EvidenceTab

pytestmark = pytest.mark.gui

TODAY = date.today()


def candidate(db: Database, name: str, sponsor: str = "Grace Hopper") -> tuple[Mentee, int]:
    mentee = add(db, name)
    record = enroll(db, mentee.id, sponsor_name=sponsor, enrolled_on=TODAY - timedelta(days=60))
    return mentee, record.id


def open_tab(qtbot: QtBot, window: MainWindow, mentee_id: int | None) -> EvidenceTab:
    """Focus a mentee, refresh (F5: data was added behind the window's back), then Ctrl+5."""
    window.ctx.selector.choose(mentee_id)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    tab = window.page("evidence")
    assert isinstance(tab, EvidenceTab)
    assert window.current_page() is tab
    qtbot.waitUntil(lambda: not tab._stale)
    return tab


def grid_row(tab: EvidenceTab, code: str) -> dict[str, object]:
    """What the coverage grid shows for one area."""
    model = tab.coverage_view.model
    index = model.index_of(code)
    return {
        "entries": model.index_of(code, CoverageModel.ENTRIES).data(),
        "latest": model.index_of(code, CoverageModel.LATEST).data(),
        "gap": index.data(GAP_ROLE),
        "tint": index.data(Qt.ItemDataRole.BackgroundRole),
    }


def click_area(qtbot: QtBot, tab: EvidenceTab, code: str) -> None:
    tree = tab.coverage_view.tree
    rect = tree.visualRect(tab.coverage_view.model.index_of(code))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def tick(qtbot: QtBot, tab: EvidenceTab, code: str) -> None:
    """Move to an area in the editor's checklist and press Space, as a keyboard user does."""
    tree = tab.evidence.form.areas
    item = tree.item_for(code)
    assert item is not None
    tree.setFocus()
    tree.setCurrentItem(item)
    qtbot.keyClick(tree, Qt.Key.Key_Space)


def log_titles(tab: EvidenceTab) -> list[str]:
    proxy = tab.evidence.proxy
    return [proxy.index(r, EvidenceTableModel.TITLE).data() for r in range(proxy.rowCount())]


def click_button(qtbot: QtBot, parent: QObject, text: str) -> None:
    """Click the one visible button saying ``text`` (a new button shows after a moment)."""

    def shown() -> list[QPushButton]:
        return [b for b in parent.findChildren(QPushButton) if b.text() == text and b.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1)
    qtbot.mouseClick(shown()[0], Qt.MouseButton.LeftButton)


def evidence(db: Database, record_id: int, title: str, *areas: str, days_ago: int = 10) -> int:
    data = EvidenceInput(occurred_on=TODAY - timedelta(days=days_ago), areas=areas, title=title)
    return create_evidence(db, record_id, data).id


# --- tests --------------------------------------------------------------------------------------


def test_new_evidence_fills_a_gap(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    ada, record_id = candidate(db, "Ada Lovelace")
    tab = open_tab(qtbot, window, ada.id)
    assert tab.candidate.currentText() == "Ada Lovelace — Enrolled"
    before = grid_row(tab, "C")
    assert before == {"entries": "gap", "latest": "—", "gap": True, "tint": GAP_TINT}
    assert "C" in tab.coverage_view.summary.text()

    form = tab.evidence.form
    assert tab.evidence.editor_title.text() == "New evidence entry"
    assert form.visibility.currentText() == "Leadership documents"  # evidence is shareable
    qtbot.keyClicks(form.title, "Took the leadership course")
    tick(qtbot, tab, "C")
    tick(qtbot, tab, "D2")
    qtbot.keyClicks(form.source, "https://example.org/course")
    qtbot.keyClicks(form.narrative.editor, "Two days on **feedback** & <b>interviews</b>.")
    form.recorded_by.setCurrentIndex(form.recorded_by.findData("candidate"))
    assert window.isWindowModified()
    qtbot.mouseClick(tab.evidence.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: grid_row(tab, "C")["entries"] == "1")
    (row,) = list_evidence(db, record_id)
    entry = get_evidence(db, row.id)
    assert entry.area_codes == ("C", "D2")
    assert entry.title == "Took the leadership course"
    assert entry.narrative == "Two days on **feedback** & <b>interviews</b>."
    assert entry.source == "https://example.org/course"
    assert entry.recorded_by.value == "candidate"
    assert grid_row(tab, "C") == {
        "entries": "1",
        "latest": TODAY.isoformat(),
        "gap": False,
        "tint": None,
    }
    assert grid_row(tab, "D2")["entries"] == "1"
    assert grid_row(tab, "D")["entries"] == "1"  # the parent counts its sub-areas' entries
    assert log_titles(tab) == ["Took the leadership course"]
    assert tab.evidence.editor_title.text() == "Evidence: Took the leadership course"
    assert not tab.is_dirty()
    assert not window.isWindowModified()
    assert "1 entry" in tab.summary.text()

    # The preview renders the Markdown and shows the HTML as text.
    qtbot.mouseClick(form.narrative.toggle, Qt.MouseButton.LeftButton)
    assert form.narrative.preview.isVisible()
    assert form.narrative.preview.toPlainText() == "Two days on feedback & <b>interviews</b>."


def test_areas_are_required_and_the_error_sits_by_the_tree(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada, record_id = candidate(db, "Ada")
    tab = open_tab(qtbot, window, ada.id)
    form = tab.evidence.form
    form.title.setText("Zoë led the 周会 retro")  # any script, set as an input method would
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Areas" in form.errors.visible().get("areas", "")
    assert list_evidence(db, record_id) == []
    assert form.title.text() == "Zoë led the 周会 retro"  # nothing typed is lost
    tick(qtbot, tab, "E2")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: log_titles(tab) == ["Zoë led the 周会 retro"])
    assert form.errors.visible() == {}


def test_clicking_an_area_filters_the_log(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    ada, record_id = candidate(db, "Ada")
    evidence(db, record_id, "Trust", "B1", days_ago=30)
    evidence(db, record_id, "Career talk", "B3", days_ago=20)
    evidence(db, record_id, "Course", "C", days_ago=10)
    evidence(db, record_id, "Feedback", "D2", days_ago=5)
    tab = open_tab(qtbot, window, ada.id)
    assert log_titles(tab) == ["Trust", "Career talk", "Course", "Feedback"]  # oldest first

    click_area(qtbot, tab, "B")
    qtbot.waitUntil(lambda: log_titles(tab) == ["Trust", "Career talk"])  # sub-areas included
    assert tab.evidence.filter_area.currentData() == "B"
    assert "filtered" in tab.evidence.count_label.text()
    assert tab.coverage_view.tree.currentIndex().data(CODE_ROLE) == "B"

    click_area(qtbot, tab, "B3")
    assert log_titles(tab) == ["Career talk"]
    qtbot.mouseClick(tab.evidence.new_button, Qt.MouseButton.LeftButton)
    assert tab.evidence.form.areas.checked_codes() == ("B3",)  # a new entry for that area

    qtbot.mouseClick(tab.coverage_view.show_all, Qt.MouseButton.LeftButton)
    assert log_titles(tab) == ["Trust", "Career talk", "Course", "Feedback"]
    assert not tab.coverage_view.tree.selectionModel().hasSelection()

    # The other filters go through the service too. A date bound is "any" until it is ticked.
    since, until = tab.evidence.filter_since, tab.evidence.filter_until
    assert (since.value(), until.value()) == (None, None)
    assert not since.date.isEnabled()
    assert since.date.date().toPython() == TODAY  # its calendar opens at today, not in 2000
    qtbot.mouseClick(since.known, Qt.MouseButton.LeftButton)
    assert since.date.isEnabled()
    assert log_titles(tab) == []  # from today: nothing yet
    since.date.setDate(TODAY - timedelta(days=15))
    assert log_titles(tab) == ["Course", "Feedback"]
    qtbot.mouseClick(until.known, Qt.MouseButton.LeftButton)
    until.date.setDate(TODAY - timedelta(days=8))
    assert log_titles(tab) == ["Course"]
    assert "filtered" in tab.evidence.count_label.text()
    qtbot.mouseClick(until.known, Qt.MouseButton.LeftButton)  # unticked: any end date again
    assert log_titles(tab) == ["Course", "Feedback"]
    qtbot.mouseClick(tab.evidence.clear_filters, Qt.MouseButton.LeftButton)
    assert len(log_titles(tab)) == 4
    assert (since.value(), since.known.isChecked(), since.date.isEnabled()) == (None, False, False)


def test_presentation_then_decision_creates_goals(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada, record_id = candidate(db, "Ada")
    tab = open_tab(qtbot, window, ada.id)
    bar = tab.sub_tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(2).center())
    panel = tab.record_panel
    assert tab.sub_tabs.currentWidget() is panel

    # Only the allowed moves are offered.
    assert [b.text() for b in panel.state_buttons] == ["Move to gathering evidence"]
    shown = [b.text() for b in panel.move_buttons.values() if b.isVisible()]
    assert shown == ["Move to gathering evidence"]  # no "Move to accepted", no "presented"
    assert not panel.present_button.isEnabled()
    assert not panel.decide_button.isEnabled()
    click_button(qtbot, panel, "Move to gathering evidence")
    qtbot.waitUntil(lambda: [b.text() for b in panel.state_buttons] == ["Move to ready for review"])
    click_button(qtbot, panel, "Move to ready for review")
    qtbot.waitUntil(lambda: panel.present_button.isEnabled())
    assert get_record(db, record_id).state is LmpState.READY_FOR_REVIEW
    assert [b.text() for b in panel.state_buttons] == ["Move to gathering evidence"]

    qtbot.mouseClick(panel.present_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, PresentationDialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no reviewer yet
    assert "Reviewers" in dialog.errors.visible()["reviewers"]
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.reviewers, "Rafael Ortiz")
    qtbot.keyClick(dialog.reviewers, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.reviewers, "Mei Chen")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.decide_button.isEnabled())
    assert get_record(db, record_id).state is LmpState.PRESENTED
    assert panel.state_buttons == []  # from presented, only a decision moves on
    assert not panel.present_button.isEnabled()
    assert "Rafael Ortiz, Mei Chen" in panel.history.toPlainText()

    announced: list[str] = []
    window.ctx.bus.data_changed.connect(announced.append)
    qtbot.mouseClick(panel.decide_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, DecisionDialog)
    assert not dialog.actions_box.isEnabled()
    qtbot.mouseClick(dialog.further_choice, Qt.MouseButton.LeftButton)
    assert len(dialog.rows) == 1
    assert dialog.actions_box.isEnabled()
    qtbot.keyClicks(dialog.rows[0].title, "Lead a year-end review")
    qtbot.keyClicks(dialog.rows[0].description, "With the sponsor observing")
    target = dialog.rows[0].target_date
    qtbot.waitUntil(target.known.isVisible)  # a new row shows once the layout has run
    qtbot.mouseClick(target.known, Qt.MouseButton.LeftButton)
    assert target.date.date().toPython() == TODAY + timedelta(days=90)  # a real day, not 2000
    target.date.setDate(TODAY + timedelta(days=120))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.rows[1].title, "Facilitate PI planning")
    dialog.rows[1].category.setCurrentIndex(dialog.rows[1].category.findData("technical"))
    qtbot.keyClicks(dialog.notes, "Strong on feedback.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: panel.dialog is None)
    (presentation,) = history(db, record_id)
    assert presentation.decision is Decision.FURTHER_ACTIONS
    assert presentation.reviewers == ("Rafael Ortiz", "Mei Chen")
    goals = list_goals(db, mentee_id=ada.id)
    assert sorted(g.title for g in goals) == ["Facilitate PI planning", "Lead a year-end review"]
    assert {g.presentation_id for g in goals} == {presentation.id}
    by_title = {g.title: g for g in goals}
    assert by_title["Lead a year-end review"].target_date == TODAY + timedelta(days=120)
    assert by_title["Facilitate PI planning"].category is GoalCategory.TECHNICAL
    assert {"goal", "lmp"} <= set(announced)
    message = window.statusBar().currentMessage()
    assert message == "Recorded the decision on Ada: further actions requested; 2 goals created."

    qtbot.waitUntil(lambda: panel.state_label.text() == "Further actions requested")
    shown = panel.history.toPlainText()
    for text in ("Presentation 1", "Further actions requested", "Strong on feedback."):
        assert text in shown
    assert "Lead a year-end review" in shown
    assert "Facilitate PI planning" in shown
    assert [b.text() for b in panel.state_buttons] == [
        "Move to gathering evidence",
        "Move to ready for review",
    ]
    assert not panel.decide_button.isEnabled()


def test_a_decision_error_names_the_action_and_keeps_the_dialog(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada, record_id = candidate(db, "Ada")
    from mentor_desk.services.lmp import record_presentation, set_state

    set_state(db, record_id, LmpState.GATHERING_EVIDENCE)
    set_state(db, record_id, LmpState.READY_FOR_REVIEW)
    record_presentation(db, record_id, presented_on=TODAY, reviewers=["Mei"])
    tab = open_tab(qtbot, window, ada.id)
    tab.sub_tabs.setCurrentWidget(tab.record_panel)
    qtbot.mouseClick(tab.record_panel.decide_button, Qt.MouseButton.LeftButton)
    dialog = tab.record_panel.dialog
    assert isinstance(dialog, DecisionDialog)
    qtbot.mouseClick(dialog.further_choice, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.rows[0].description, "Details but no title")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.rows[0].error.text().startswith("Title:")
    assert list_goals(db, mentee_id=ada.id) == []  # nothing saved: one unit of work
    assert history(db, record_id)[0].decision is None
    qtbot.mouseClick(dialog.accepted_choice, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.record_panel.dialog is None)
    assert get_record(db, record_id).state is LmpState.ACCEPTED
    assert list_goals(db, mentee_id=ada.id) == []
    qtbot.waitUntil(lambda: tab.record_panel.state_buttons == [])  # accepted: nowhere to go


def test_scpa_update_counts_toward_e4(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    ada, record_id = candidate(db, "Ada")
    tab = open_tab(qtbot, window, ada.id)
    assert grid_row(tab, "E4")["gap"] is True
    tab.sub_tabs.setCurrentWidget(tab.scpa)
    assert window.new_action.text() == "New SCPA &update"  # File > New follows the sub-tab
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = tab.scpa.form
    wednesday = date(2025, 3, 12)
    form.week_of.setDate(wednesday)
    assert form.week_of.date().toPython() == date(2025, 3, 10)  # moved to its Monday
    assert form.week_label.text() == "Monday 10 Mar to Sunday 16 Mar 2025"
    qtbot.keyClicks(form.texts["success"], "Shipped the release")
    qtbot.keyClicks(form.texts["appreciation"], "Thanks to Kofi")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert not tab.coverage_view.footnote.isVisible()
    qtbot.waitUntil(lambda: grid_row(tab, "E4")["entries"] == "1")  # the count only
    e4 = tab.coverage_view.model.index_of("E4", CoverageModel.ENTRIES)
    assert "Includes 1 week of SCPA updates." in e4.data(Qt.ItemDataRole.ToolTipRole)
    assert tab.coverage_view.footnote.text() == "E4 counts 1 weekly SCPA update among its 1 entry."
    (update,) = list_scpa(db, record_id)
    assert (update.week_of, update.success, update.appreciation) == (
        date(2025, 3, 10),
        "Shipped the release",
        "Thanks to Kofi",
    )
    assert grid_row(tab, "E4")["gap"] is False
    assert grid_row(tab, "E")["entries"] == "1"
    assert tab.scpa.model.rowCount() == 1
    assert "1 week with an update" in tab.scpa.summary.text()

    # A second update the same week is refused by the week field, nothing typed is lost.
    qtbot.mouseClick(tab.scpa.new_button, Qt.MouseButton.LeftButton)
    form.week_of.setDate(date(2025, 3, 14))
    qtbot.keyClicks(form.texts["priorities"], "Plan sprint 12")
    qtbot.mouseClick(tab.scpa.save_button, Qt.MouseButton.LeftButton)
    assert "already an SCPA update" in form.errors.visible()["week_of"]
    form.week_of.setDate(date(2025, 3, 17))
    qtbot.mouseClick(tab.scpa.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.scpa.model.rowCount() == 2)
    weeks = [tab.scpa.proxy.index(r, 0).data() for r in range(2)]
    assert weeks == ["2025-03-17", "2025-03-10"]  # newest first
    assert grid_row(tab, "E4")["entries"] == "2"
    footnote = tab.coverage_view.footnote.text()
    assert footnote == "E4 counts 2 weekly SCPA updates among its 2 entries."
    tab.sub_tabs.setCurrentWidget(tab.evidence)  # the grid (and its footnote) stays in view
    assert tab.coverage_view.footnote.isVisible()


def test_scpa_updates_load_when_their_sub_tab_is_shown(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada, ada_record = candidate(db, "Ada")
    bo, bo_record = candidate(db, "Bo")
    create_scpa(db, ada_record, week_of=TODAY, success="Shipped")
    tab = open_tab(qtbot, window, ada.id)
    assert tab.scpa.model.rowCount() == 0  # the log is on show: the updates wait
    tab.sub_tabs.setCurrentWidget(tab.scpa)
    assert (tab.scpa.record_id, tab.scpa.model.rowCount()) == (ada_record, 1)
    window.ctx.selector.choose(bo.id)  # on show: loaded at once
    qtbot.waitUntil(lambda: tab.scpa.record_id == bo_record)
    assert tab.scpa.model.rowCount() == 0
    tab.sub_tabs.setCurrentWidget(tab.evidence)
    window.ctx.selector.choose(ada.id)
    qtbot.waitUntil(lambda: tab.record is not None and tab.record.id == ada_record)
    tab.sub_tabs.setCurrentWidget(tab.scpa)
    assert (tab.scpa.record_id, tab.scpa.model.rowCount()) == (ada_record, 1)
    assert "1 week with an update" in tab.scpa.summary.text()


def test_candidate_tooltips_are_filled_when_the_list_drops_down(
    qtbot: QtBot, db: Database, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The offscreen platform warns about a real popup; what matters is what comes before it.
    monkeypatch.setattr(QComboBox, "showPopup", lambda _self: None)
    ada, ada_record = candidate(db, "Ada")
    _bo, bo_record = candidate(db, "Bo", sponsor="Kofi <b>&")
    evidence(db, bo_record, "One-on-one", "B4")
    tab = open_tab(qtbot, window, ada.id)
    combo = tab.candidate
    tip = Qt.ItemDataRole.ToolTipRole
    assert combo.itemData(combo.findData(ada_record), tip) is None  # not worked out yet
    combo.showPopup()
    for record_id, sponsor in ((ada_record, "Grace Hopper"), (bo_record, "Kofi <b>&")):
        gaps = get_record(db, record_id).gap_count
        assert combo.itemData(combo.findData(record_id), tip) == f"Sponsor {sponsor}; {gaps} gaps"


def test_enrol_a_mentee_who_is_not_a_candidate(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada, ada_record = candidate(db, "Ada")
    bob = add(db, "Bob Builder")
    tab = open_tab(qtbot, window, bob.id)
    assert tab.stack.currentIndex() == 0
    assert "Bob Builder is not an LMP candidate" in tab.empty_text.text()
    assert tab.candidate.currentIndex() == -1
    enrol = tab.empty_enrol
    assert enrol.isVisible()
    assert enrol.text() == "Enrol Bob Builder in the LMP…"
    qtbot.mouseClick(enrol, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, EnrolDialog)
    assert dialog.sponsor.text() == ""  # the bar showed nobody's record
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "Sponsor" in dialog.errors.visible()["sponsor_name"]
    qtbot.keyClicks(dialog.sponsor, "Grace Hopper")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: tab.stack.currentIndex() == 1)
    record = record_for_mentee(db, bob.id)
    assert isinstance(record, LmpRecordInfo)
    assert (record.sponsor_name, record.enrolled_on) == ("Grace Hopper", TODAY)
    assert get_mentee(db, bob.id).in_lmp
    assert tab.candidate.currentText() == "Bob Builder — Enrolled"
    assert tab.candidate.count() == 2
    assert "Sponsor: Grace Hopper" in tab.summary.text()
    assert tab.coverage_view.summary.text().startswith("19 gaps")

    # The Overview's LMP lines open a record on its own sub-tab.
    window.ctx.bus.navigate("lmp_record", ada_record, ada.id)
    qtbot.waitUntil(lambda: tab.candidate.currentText() == "Ada — Enrolled")
    assert tab.sub_tabs.currentWidget() is tab.record_panel
    assert tab.record_panel.sponsor.text() == "Grace Hopper"


def test_source_url_renders_as_a_link(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    ada, record_id = candidate(db, "Ada")
    data = EvidenceInput(
        occurred_on=TODAY, areas=["A"], title="Review", source="https://example.org/a?b=1&c=2"
    )
    entry = create_evidence(db, record_id, data)
    other = evidence(db, record_id, "Meeting", "B", days_ago=3)
    tab = open_tab(qtbot, window, None)
    window.ctx.bus.navigate("evidence", entry.id, ada.id)  # as a search hit would
    link = tab.evidence.form.source_link
    qtbot.waitUntil(lambda: link.isVisible())
    assert tab.evidence.editor_title.text() == "Evidence: Review"
    assert 'href="https://example.org/a?b=1&amp;c=2"' in link.text()

    class Browser(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.opened: list[str] = []

        @Slot(QUrl)
        def open(self, url: QUrl) -> None:
            self.opened.append(url.toString())

    browser = Browser()
    QDesktopServices.setUrlHandler("https", browser, "open")
    try:
        qtbot.mouseClick(link, Qt.MouseButton.LeftButton, pos=QPoint(10, link.height() // 2))
        qtbot.waitUntil(lambda: browser.opened != [])
    finally:
        QDesktopServices.unsetUrlHandler("https")
    assert browser.opened == ["https://example.org/a?b=1&c=2"]

    assert tab.evidence.open_id(other)
    assert not link.isVisible()  # a source that is not a link is just text


def test_unsaved_evidence_edits_prompt_on_switching_candidate(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada, ada_record = candidate(db, "Ada")
    bob, _bob_record = candidate(db, "Bob")
    tab = open_tab(qtbot, window, ada.id)
    qtbot.keyClicks(tab.evidence.form.title, "Half-written")
    tick(qtbot, tab, "A")
    tab.candidate.setFocus()

    dialogs.answer("Cancel")
    qtbot.keyClick(tab.candidate, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: len(dialogs.shown) == 1)
    assert "the new evidence entry" in dialogs.shown[0].text
    assert window.ctx.selector.current_id == ada.id
    assert tab.candidate.currentText() == "Ada — Enrolled"
    assert tab.evidence.form.title.text() == "Half-written"

    dialogs.answer("Save")
    qtbot.keyClick(tab.candidate, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.ctx.selector.current_id == bob.id)
    assert [row.title for row in list_evidence(db, ada_record)] == ["Half-written"]
    assert tab.candidate.currentText() == "Bob — Enrolled"
    assert tab.evidence.form.title.text() == ""
    assert not tab.is_dirty()

    qtbot.keyClicks(tab.evidence.form.title, "Thrown away")
    dialogs.answer("Discard")
    window.ctx.selector.choose(ada.id)  # the toolbar's picker asks the same way
    assert window.ctx.selector.current_id == ada.id
    assert log_titles(tab) == ["Half-written"]
    assert not tab.is_dirty()


def test_models_are_well_behaved_qt_models(
    qtbot: QtBot, qtmodeltester: object, db: Database, window: MainWindow
) -> None:
    ada, record_id = candidate(db, "Ada")
    evidence(db, record_id, "One", "B1", "B2")
    evidence(db, record_id, "Two", "E")
    create_scpa(db, record_id, week_of=TODAY, success="Shipped")
    tab = open_tab(qtbot, window, ada.id)
    assert tab.coverage_view.model.rowCount() == 6  # A, B, C, D, E and the optional area
    assert tab.coverage_view.model.rowCount(tab.coverage_view.model.index_of("B")) == 4
    assert len(tab.coverage_view.model.areas()) == len(coverage(db, record_id))
    assert tab.coverage_view.model.index_of("B1").parent() == tab.coverage_view.model.index_of("B")
    assert tab.coverage_view.model.index_of("A").parent() == QModelIndex()
    tab.sub_tabs.setCurrentWidget(tab.scpa)  # the SCPA updates load when first shown
    assert tab.scpa.model.rowCount() == 1
    for model in (
        tab.coverage_view.model,
        tab.evidence.model,
        tab.evidence.proxy,
        tab.scpa.model,
        tab.scpa.proxy,
    ):
        qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_delete_an_entry_reopens_the_gap(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada, record_id = candidate(db, "Ada")
    evidence(db, record_id, "Only one-on-one", "B4")
    tab = open_tab(qtbot, window, ada.id)
    assert grid_row(tab, "B4")["entries"] == "1"
    table = tab.evidence.table
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(tab.evidence.proxy.index(0, 2)).center(),
    )
    assert tab.evidence.editor_title.text() == "Evidence: Only one-on-one"
    dialogs.answer("Cancel", "Delete")
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert list_evidence(db, record_id) != []
    qtbot.mouseClick(tab.evidence.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: grid_row(tab, "B4")["gap"] is True)
    assert "Only one-on-one" in dialogs.shown[1].text
    assert list_evidence(db, record_id) == []
    assert log_titles(tab) == []
    assert tab.evidence.editor_title.text() == "New evidence entry"


def test_recommendation_edits_ask_before_leaving_the_tab(
    qtbot: QtBot, db: Database, window: MainWindow, dialogs: DialogAnswerer
) -> None:
    ada, record_id = candidate(db, "Ada")
    tab = open_tab(qtbot, window, ada.id)
    tab.sub_tabs.setCurrentWidget(tab.record_panel)
    panel = tab.record_panel
    retype(qtbot, panel.sponsor, "")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Sponsor" in panel.errors.visible()["sponsor_name"]
    assert get_record(db, record_id).sponsor_name == "Grace Hopper"
    qtbot.mouseClick(panel.revert_button, Qt.MouseButton.LeftButton)
    assert panel.sponsor.text() == "Grace Hopper"
    assert not tab.is_dirty()

    qtbot.keyClicks(panel.recommendation.editor, "**Ready.** She leads well.")
    assert panel.save_button.isEnabled()
    assert tab.sub_tabs.tabText(2).endswith("*")
    panel.recommendation.set_preview(True)
    assert panel.recommendation.preview.toPlainText() == "Ready. She leads well."

    dialogs.answer("Cancel")
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is tab
    dialogs.answer("Save")
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.page("overview")
    assert "the LMP record of Ada" in dialogs.shown[0].text
    assert get_record(db, record_id).recommendation == "**Ready.** She leads well."
    assert not tab.is_dirty()


def test_layout_is_remembered(
    qtbot: QtBot, db: Database, window: MainWindow, paths: DataPaths
) -> None:
    ada, _record_id = candidate(db, "Ada")
    tab = open_tab(qtbot, window, ada.id)
    tab.sub_tabs.setCurrentWidget(tab.scpa)
    tab.splitter.setSizes([300, 980])
    close_window(window)

    again = open_window(qtbot, db, paths, welcome=False)
    again.show_tab("evidence")
    restored = again.page("evidence")
    assert isinstance(restored, EvidenceTab)
    assert restored.sub_tabs.currentWidget() is restored.scpa
    assert restored.splitter.sizes()[0] == 300
    close_window(again)
