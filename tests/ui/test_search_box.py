"""The search box: typing searches on a worker thread and drops results that come too late."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from ui_helpers import add

from mentor_desk.errors import ValidationError
from mentor_desk.services.search import SearchHit
from mentor_desk.services.types import Database
from mentor_desk.ui.tasks import wait_for_background_work
from mentor_desk.ui.widgets import search_box
from mentor_desk.ui.widgets.search_box import GlobalSearchBox

Search = Callable[..., list[SearchHit]]


@pytest.fixture
def box(qtbot: QtBot, db: Database) -> Iterator[GlobalSearchBox]:
    add(db, "Ada Lovelace", role="Analytical engines")
    add(db, "Bob Builder", role="Bridges")
    host = QWidget()
    host.resize(900, 500)
    qtbot.addWidget(host)
    widget = GlobalSearchBox(db, host)
    QVBoxLayout(host).addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
    host.show()
    widget.setFocus()
    yield widget
    wait_for_background_work()


class Gate:
    """Wraps the real search: records the thread and query of each call, and can hold one back."""

    def __init__(self, real: Search) -> None:
        self.real = real
        self.calls: list[tuple[str, bool]] = []  # (query, on the GUI thread)
        self.hold: set[str] = set()
        self.release = threading.Event()

    def __call__(self, db: Database, query: str, **options: object) -> list[SearchHit]:
        self.calls.append((query, threading.current_thread() is threading.main_thread()))
        if query in self.hold:
            assert self.release.wait(10), "the test never released the held search"
        return self.real(db, query, **options)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    spy = Gate(search_box.search)
    monkeypatch.setattr(search_box, "search", spy)
    yield spy
    spy.release.set()  # never leave a worker waiting


def shown(box: GlobalSearchBox) -> list[str]:
    return [hit.mentee_name for hit in box.popup.model.rows()]


def test_typing_searches_off_the_gui_thread(qtbot: QtBot, box: GlobalSearchBox, gate: Gate) -> None:
    qtbot.keyClicks(box, "lovelace")
    qtbot.waitUntil(box.popup.isVisible)
    assert shown(box) == ["Ada Lovelace"]
    assert gate.calls == [("lovelace", False)]  # one search after the pause, on a worker
    assert box.popup.summary.text().startswith("1 found for “lovelace”")


def test_results_for_old_text_are_dropped(qtbot: QtBot, box: GlobalSearchBox, gate: Gate) -> None:
    gate.hold.add("lovelace")
    qtbot.keyClicks(box, "lovelace")
    qtbot.waitUntil(lambda: gate.calls == [("lovelace", False)])
    held = box.task
    box.clear()
    qtbot.keyClicks(box, "bridges")
    qtbot.waitUntil(box.popup.isVisible)
    assert shown(box) == ["Bob Builder"]
    gate.release.set()
    assert held is not None
    qtbot.waitUntil(lambda: not held.running)  # the late "lovelace" hits arrive...
    assert shown(box) == ["Bob Builder"]  # ...and are dropped
    assert box.popup.summary.text().startswith("1 found for “bridges”")


def test_clearing_the_box_while_searching_keeps_the_list_closed(
    qtbot: QtBot, box: GlobalSearchBox, gate: Gate
) -> None:
    gate.hold.add("lovelace")
    qtbot.keyClicks(box, "lovelace")
    qtbot.waitUntil(lambda: len(gate.calls) == 1)
    held = box.task
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    gate.release.set()
    assert held is not None
    qtbot.waitUntil(lambda: not held.running)
    assert not box.popup.isVisible()


def test_enter_does_not_wait_for_the_pause(qtbot: QtBot, box: GlobalSearchBox, gate: Gate) -> None:
    opened: list[tuple[str, int, int]] = []
    box.result_chosen.connect(lambda *hit: opened.append(hit))
    qtbot.keyClicks(box, "bob")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # before the pause is over: searches now
    assert [kind for kind, _item, _mentee in opened] == ["mentee"]
    assert gate.calls == [("bob", True)]
    assert not box.popup.isVisible()
    qtbot.wait(search_box.DEBOUNCE_MS + 50)
    assert len(gate.calls) == 1  # and no second search when the pause would have ended


def test_a_refused_query_says_why(
    qtbot: QtBot, box: GlobalSearchBox, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(db: Database, query: str, **options: object) -> list[SearchHit]:
        raise ValidationError("is too long to search for", "query")

    monkeypatch.setattr(search_box, "search", refuse)
    qtbot.keyClicks(box, "anything")
    qtbot.waitUntil(box.popup.isVisible)
    assert "too long" in box.popup.summary.text()
    assert not box.popup.view.isVisible()


def test_results_for_a_closed_window_are_ignored(
    qtbot: QtBot, box: GlobalSearchBox, gate: Gate
) -> None:
    gate.hold.add("lovelace")
    qtbot.keyClicks(box, "lovelace")
    qtbot.waitUntil(lambda: len(gate.calls) == 1)
    held = box.task
    assert held is not None
    box.deleteLater()  # the box goes (its window closes) while the search runs
    qtbot.waitUntil(lambda: not shiboken6.isValid(box))
    gate.release.set()
    qtbot.waitUntil(lambda: not held.running)  # delivered to nobody, and nothing raised
