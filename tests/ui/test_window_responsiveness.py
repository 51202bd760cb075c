"""What keeps the window quick on a large program, checked as behaviour (no timings).

Lists sort in their model (one key per row) rather than in the proxy; columns are fitted to a
sample of rows; a hidden tab does not load what the mentee selector points at until shown; the
Sessions tab reads the session types again only when they may have changed; the action item rows
of the session editor are reused from one session to the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from ui_helpers import add

from mentor_desk.services.actions import ActionItemInput, add_action_item, get_action_item
from mentor_desk.services.goal_lists import count_goals
from mentor_desk.services.goals import GoalInput, create_goal
from mentor_desk.services.sessions import SessionInput, create_session
from mentor_desk.services.types import Database, GoalStatus
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.models.goals import GoalTableModel
from mentor_desk.ui.models.table import SORT_ROLE, Column, ModelSortProxy, RowTableModel
from mentor_desk.ui.tabs import sessions as sessions_module
from mentor_desk.ui.tabs.goals import GoalsTab
from mentor_desk.ui.tabs.mentees import MenteesTab
from mentor_desk.ui.tabs.sessions import SessionsTab
from mentor_desk.ui.widgets.tables import (
    FIT_SAMPLE_ROWS,
    fit_columns,
    list_table,
    select_id,
    selected_id,
    sorting_proxy,
)

pytestmark = pytest.mark.gui

NOW = datetime.now().astimezone().replace(second=0, microsecond=0)


@dataclass(frozen=True, slots=True)
class Row:
    id: int
    name: str
    size: int


COLUMNS: tuple[Column[Row], ...] = (
    Column("Name", lambda r: r.name, lambda r: r.name.casefold()),
    Column("Size", lambda r: str(r.size), lambda r: r.size, numeric=True),
)


class CountingModel(RowTableModel[Row]):
    """Remembers which rows Qt asked about."""

    def __init__(self, parent: Any) -> None:
        super().__init__(COLUMNS, parent)
        self.asked: set[int] = set()

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        self.asked.add(index.row())
        return super().data(index, role)


def texts(model: Any, column: int = 0) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


# --- sorting in the model -----------------------------------------------------------------------


def test_the_model_sorts_itself_and_the_proxy_keeps_its_order(
    qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    table = list_table("Rows")
    qtbot.addWidget(table)
    # The table owns its models, so that they go together (Qt deletes them with it).
    model = RowTableModel(COLUMNS, table)
    rows = [Row(1, "b", 2), Row(2, "A", 1), Row(3, "c", 2), Row(4, "d", 1)]
    model.set_rows(rows)
    proxy = sorting_proxy(model, table)
    assert isinstance(proxy, ModelSortProxy)
    table.setModel(proxy)
    table.setSortingEnabled(True)

    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert texts(model) == ["A", "b", "c", "d"]
    assert texts(proxy) == ["A", "b", "c", "d"]
    select_id(table, model, 3)  # "c"
    # Ties keep the order the rows were given in, in either direction.
    table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert texts(proxy) == ["b", "c", "A", "d"]
    assert selected_id(table) == 3  # the selection follows its row
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert texts(proxy) == ["A", "d", "b", "c"]
    assert proxy.index(0, 1).data(SORT_ROLE) == 1
    # New rows come in the chosen order.
    model.set_rows([Row(5, "e", 3), *rows])
    assert texts(proxy) == ["A", "d", "b", "c", "e"]
    assert model.row_of_id(5) == 4
    # A column out of range puts the rows back as given.
    model.sort(-1)
    assert texts(model) == ["e", "b", "A", "c", "d"]
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)


def test_sorting_never_asks_the_model_for_sort_keys_row_by_row(qtbot: QtBot) -> None:
    table = list_table("Rows")
    qtbot.addWidget(table)
    model = CountingModel(table)
    model.set_rows([Row(n, f"row {n:04}", n % 7) for n in range(500)])
    proxy = sorting_proxy(model, table)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    model.asked.clear()
    table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert model.asked == set()  # the sort keys came from the rows, in Python
    assert [proxy.index(row, 0).data() for row in (0, 1)] == ["row 0499", "row 0498"]


# --- fitting columns ----------------------------------------------------------------------------


def test_columns_are_fitted_to_a_sample_of_rows_within_their_caps(qtbot: QtBot) -> None:
    table = list_table("Rows")
    qtbot.addWidget(table)
    model = CountingModel(table)
    model.set_rows([Row(n, "x" * (n % 30 + 1), n) for n in range(2000)])
    table.setModel(sorting_proxy(model, table))
    table.resize(500, 300)
    table.show()
    qtbot.waitExposed(table)
    model.asked.clear()
    fit_columns(table, {})
    assert model.asked, "the content was measured"
    assert max(model.asked) < FIT_SAMPLE_ROWS + 50  # not all 2,000 rows
    # The widest name among the rows looked at (30 characters) sets the width...
    assert table.columnWidth(0) >= table.fontMetrics().horizontalAdvance("x" * 30)
    # ...unless the column has a cap.
    fit_columns(table, {0: 60}, [0])
    assert table.columnWidth(0) == 60


# --- hidden tabs and the mentee selector --------------------------------------------------------


def test_a_hidden_mentees_tab_shows_the_new_focus_only_when_shown(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada, bo = add(db, "Ada"), add(db, "Bo")
    qtbot.keyClick(window, Qt.Key.Key_F5)
    mentees = window.page("mentees")
    assert isinstance(mentees, MenteesTab)
    window.show_tab("mentees")
    window.ctx.selector.choose(ada.id)
    assert mentees.mentee is not None
    assert mentees.mentee.id == ada.id
    window.show_tab("sessions")

    window.ctx.selector.choose(bo.id)
    assert mentees.mentee.id == ada.id  # not loaded while hidden
    window.show_tab("mentees")
    qtbot.waitUntil(lambda: mentees.mentee is not None and mentees.mentee.id == bo.id)
    assert mentees.form.name.text() == "Bo"
    assert mentees.detail_title.text() == "Bo"
    assert selected_id(mentees.list.table) == bo.id


def test_session_types_are_read_again_only_after_they_may_have_changed(
    qtbot: QtBot, db: Database, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada, bo = add(db, "Ada"), add(db, "Bo")
    calls: list[int] = []
    real = sessions_module.list_session_types

    def counting(database: Database) -> Any:
        calls.append(1)
        return real(database)

    monkeypatch.setattr(sessions_module, "list_session_types", counting)
    window.show_tab("sessions")
    tab = window.page("sessions")
    assert isinstance(tab, SessionsTab)
    tab.reload_now()
    before = len(calls)
    assert tab.editor.session_type.count() > 1  # "No type" and the seeded types
    for mentee in (ada.id, bo.id, None):
        window.ctx.selector.choose(mentee)
        qtbot.waitUntil(lambda m=mentee: tab.list_panel._key[0] == m)
    window.ctx.bus.changed("session")
    qtbot.wait(10)
    assert len(calls) == before
    assert tab.focus_label.text() == "Sessions of all mentees"

    window.ctx.bus.changed("session_type")
    qtbot.waitUntil(lambda: len(calls) == before + 1)


# --- the session editor's action item rows ------------------------------------------------------


def _session(db: Database, mentee_id: int, days_ago: int, title: str) -> int:
    data = SessionInput(mentee_id=mentee_id, started_at=NOW - timedelta(days=days_ago), title=title)
    return create_session(db, data).id


def test_action_item_rows_are_reused_and_act_on_the_item_they_show(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada = add(db, "Ada")
    first = _session(db, ada.id, 21, "First")
    one = add_action_item(db, first, ActionItemInput("Read the book"))
    two = add_action_item(db, first, ActionItemInput("Write the plan"))
    second = _session(db, ada.id, 14, "Second")
    three = add_action_item(db, second, ActionItemInput("Ask for feedback"))
    third = _session(db, ada.id, 7, "Third")
    window.ctx.selector.choose(ada.id)
    window.show_tab("sessions")
    tab = window.page("sessions")
    assert isinstance(tab, SessionsTab)
    panel = tab.editor.actions

    assert tab.open_item("session", third)
    carried = list(panel.carried_rows)
    assert [row.text.text() for row in carried] == [
        "Read the book",
        "Write the plan",
        "Ask for feedback",
    ]
    assert tab.open_item("session", first)
    assert [row.text.text() for row in panel.rows] == ["Read the book", "Write the plan"]
    assert panel.carried_rows == []
    assert not any(row.isVisible() for row in carried)  # kept hidden for later
    assert all(not row.delete.isHidden() for row in panel.rows)  # own items can be deleted

    assert tab.open_item("session", second)
    assert panel.carried_rows == carried[:2]  # the same widgets again
    assert [row.text.text() for row in panel.carried_rows] == ["Read the book", "Write the plan"]
    assert all(row.delete.isHidden() for row in panel.carried_rows)
    assert [row.text.text() for row in panel.rows] == ["Ask for feedback"]
    # A reused row writes to the item it shows now.
    qtbot.mouseClick(panel.carried_rows[1].done, Qt.MouseButton.LeftButton)
    assert get_action_item(db, two.id).done
    assert not get_action_item(db, one.id).done
    qtbot.mouseClick(panel.rows[0].done, Qt.MouseButton.LeftButton)
    assert get_action_item(db, three.id).done
    assert not tab.is_dirty()


# --- the goal list loads closed goals only when shown -------------------------------------------


def test_goal_list_loads_closed_goals_only_when_the_filters_show_them(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    ada, bo = add(db, "Ada"), add(db, "Bo")
    create_goal(db, GoalInput(mentee_id=ada.id, title="Open", status=GoalStatus.ON_TRACK))
    done = create_goal(db, GoalInput(mentee_id=ada.id, title="Done", status=GoalStatus.DONE))
    create_goal(db, GoalInput(mentee_id=bo.id, title="Dropped", status=GoalStatus.DROPPED))
    assert count_goals(db) == 3
    assert count_goals(db, mentee_id=ada.id) == 2
    window.show_tab("goals")
    tab = window.page("goals")
    assert isinstance(tab, GoalsTab)
    tab.reload_now()
    assert texts(tab.list.model, GoalTableModel.TITLE) == ["Open"]  # closed ones not loaded
    assert tab.list.count_label.text() == "1 of 3"

    qtbot.mouseClick(tab.list.show_closed, Qt.MouseButton.LeftButton)
    assert sorted(texts(tab.list.proxy, GoalTableModel.TITLE)) == ["Done", "Dropped", "Open"]
    assert tab.list.count_label.text() == "3 goals"
    qtbot.mouseClick(tab.list.show_closed, Qt.MouseButton.LeftButton)
    tab.reload_now()
    assert tab.list.model.rowCount() == 1

    # Opening a closed goal (from search, say) lists the closed goals to show it.
    assert tab.open_item("goal", done.id)
    assert tab.list.show_closed.isChecked()
    assert tab.list.selected_id() == done.id
    assert tab.goal is not None
    assert tab.goal.title == "Done"
