"""Fixtures for the window tests: the main window over the test's program, and a dialog answerer.

Dialogs are answered the way a person answers them: a timer finds the modal message box while it
waits in its own event loop and clicks the button with the wanted label. A box nobody expected is
cancelled (so a test can never hang on it) and fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from ui_helpers import DialogAnswerer, close_window, open_window

from mentor_desk.paths import DataPaths
from mentor_desk.services.types import Database
from mentor_desk.ui.main_window import MainWindow

#: Qt's offscreen platform warns about every top-level window whose size hints change. That is
#: the test platform talking, not the app, so it must not fail tests (qt_log_level_fail).
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def dialogs(qtbot: QtBot) -> Iterator[DialogAnswerer]:
    answerer = DialogAnswerer()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(answerer.poll)
    timer.start()
    yield answerer
    timer.stop()
    assert answerer.unexpected == [], "a dialog nobody expected was shown"
    assert answerer.answers == [], "an expected dialog was never shown"


@pytest.fixture
def paths(data_dir: Path) -> DataPaths:
    return DataPaths(data_dir)


@pytest.fixture
def window(
    qtbot: QtBot, db: Database, paths: DataPaths, dialogs: DialogAnswerer
) -> Iterator[MainWindow]:
    """The main window on the tabs (no welcome panel), shown at a realistic size."""
    main = open_window(qtbot, db, paths, welcome=False)
    yield main
    if main.isVisible():
        close_window(main)
