"""Starting the window: fonts, the log and crash dialog, the lock, a damaged database."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from ui_helpers import DialogAnswerer, add, close_window, open_window

from mentor_desk.app import install_excepthook, register_fonts, run_app, setup_logging
from mentor_desk.errors import ValidationError
from mentor_desk.lock import DataFolderLock
from mentor_desk.paths import DataPaths
from mentor_desk.services.mentees import list_mentees
from mentor_desk.services.types import Database
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.tasks import run_in_background

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _restore_hooks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """run_app installs a process-wide excepthook and log handler: undo both afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    logger = logging.getLogger("mentor_desk")
    before = list(logger.handlers)
    yield
    for handler in logger.handlers[:]:
        if handler not in before:
            logger.removeHandler(handler)
            handler.close()


def _run_then_close(qapp: QApplication, data_dir: Path, close_it: Callable[[], None]) -> int:
    """run_app with ``close_it`` called once the window is up."""
    QTimer.singleShot(200, close_it)
    # Never hang the suite; stopped afterwards, as quit() would end any later event loop too.
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(qapp.quit)
    guard.start(10_000)
    try:
        return run_app(str(data_dir))
    finally:
        guard.stop()


def test_bundled_fonts_cover_chinese(qapp: QApplication) -> None:
    families = register_fonts()
    assert "Droid Sans Fallback" in families
    assert "DejaVu Sans" in families
    assert register_fonts() == families  # once per process
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(
        "Droid Sans Fallback"
    )


def test_a_bug_is_logged_and_the_dialog_names_the_log_file(
    qtbot: QtBot, data_dir: Path, dialogs: DialogAnswerer
) -> None:
    log_file = setup_logging(DataPaths(data_dir))
    assert log_file == data_dir / "logs" / "mentor-desk.log"
    assert setup_logging(DataPaths(data_dir)) == log_file  # no second handler
    handlers = [
        h for h in logging.getLogger("mentor_desk").handlers if isinstance(h, RotatingFileHandler)
    ]
    assert len(handlers) == 1
    install_excepthook(log_file)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        error = exc
    dialogs.answer("Close")
    sys.excepthook(RuntimeError, error, error.__traceback__)
    crash = dialogs.shown[-1]
    assert str(log_file) in crash.details
    assert "RuntimeError" in crash.text
    handlers[0].flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged
    assert "boom in a slot" in logged

    # A user error that escaped shows its own sentence, not the crash dialog.
    dialogs.answer("Close")
    sys.excepthook(ValidationError, ValidationError("must not be empty", "name"), None)
    assert dialogs.shown[-1].text == "name: must not be empty"


def test_a_damaged_database_is_moved_aside_untouched_and_quit_leaves(
    qapp: QApplication, data_dir: Path, dialogs: DialogAnswerer
) -> None:
    damaged = data_dir / "mentor-desk.sqlite3"
    damaged.write_bytes(b"not a database " * 200)
    dialogs.answer("Quit")
    assert run_app(str(data_dir)) == 1
    shown = dialogs.shown[-1]
    assert "damaged" in shown.title
    assert "moved aside" in shown.text
    assert "no good backup" in shown.details
    (moved,) = data_dir.glob("mentor-desk.sqlite3.damaged-*")
    assert str(moved) in shown.text
    assert moved.read_bytes() == b"not a database " * 200
    assert not damaged.exists()  # quitting creates nothing in its place
    assert qapp.applicationName() == "mentor-desk"
    assert qapp.organizationName() == "Mentor Desk"


def test_a_damaged_database_can_be_replaced_by_the_newest_backup(
    qapp: QApplication, db: Database, data_dir: Path, dialogs: DialogAnswerer
) -> None:
    add(db, "Ada")
    db.dispose()
    backups = data_dir / "backups"
    backups.mkdir()
    (backups / "mentor-desk-20261121T144512Z-startup.sqlite3").write_bytes(
        (data_dir / "mentor-desk.sqlite3").read_bytes()
    )
    (data_dir / "mentor-desk.sqlite3").write_bytes(b"\0" * 4096)
    seen: list[list[str]] = []

    def close_it() -> None:
        for window in [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]:
            if window.isVisible():
                seen.append([row.name for row in list_mentees(window.ctx.db)])
            window.close()

    dialogs.answer("Restore newest backup")
    assert _run_then_close(qapp, data_dir, close_it) == 0
    assert "mentor-desk-20261121T144512Z-startup.sqlite3" in dialogs.shown[-1].details
    assert seen == [["Ada"]]
    (moved,) = data_dir.glob("mentor-desk.sqlite3.damaged-*")
    assert moved.read_bytes() == b"\0" * 4096


def test_a_second_window_on_the_same_folder_is_refused(
    qapp: QApplication, data_dir: Path, dialogs: DialogAnswerer
) -> None:
    with DataFolderLock(DataPaths(data_dir), "the window"):
        dialogs.answer("Close")
        assert run_app(str(data_dir)) == 1
        assert "already open" in dialogs.shown[-1].text
        assert "the window" in dialogs.shown[-1].text


def test_run_app_opens_the_window_and_exits_cleanly(
    qapp: QApplication, db: Database, data_dir: Path, dialogs: DialogAnswerer
) -> None:
    add(db, "Ada")
    seen: list[MainWindow] = []

    def close_it() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(w for w in windows if w.isVisible())
        for window in windows:
            window.close()

    assert _run_then_close(qapp, data_dir, close_it) == 0
    assert len(seen) == 1
    assert seen[0].stack.currentWidget() is seen[0].tabs
    assert (data_dir / "logs" / "mentor-desk.log").is_file()
    with DataFolderLock(DataPaths(data_dir)):  # the window let go of the folder
        pass


def test_background_work_reports_back_on_the_gui_thread(qtbot: QtBot) -> None:
    gui = threading.get_ident()
    results: list[tuple[object, int]] = []
    task = run_in_background(
        lambda: threading.get_ident(),
        on_finished=lambda v: results.append((v, threading.get_ident())),
    )
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    ((worker, callback),) = results
    assert worker != gui
    assert callback == gui
    assert not task.running

    def fail() -> None:
        raise ValidationError("must not be empty", "name")

    broken = run_in_background(fail)
    with qtbot.waitSignal(broken.failed, timeout=5000) as failed:
        pass
    assert isinstance(failed.args[0], ValidationError)
    assert failed.args[0].field == "name"


def test_loading_the_demo_into_a_program_with_data_is_refused_with_a_message(
    qtbot: QtBot, db: Database, data_dir: Path, dialogs: DialogAnswerer
) -> None:
    add(db, "Ada")
    window = open_window(qtbot, db, DataPaths(data_dir), welcome=True)
    dialogs.answer("Close")
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=10_000)
    assert "Could not load the demo program" in dialogs.shown[-1].title
    assert window.welcome.demo_button.isEnabled()
    assert window.stack.currentWidget() is window.welcome
    assert [row.name for row in list_mentees(db)] == ["Ada"]
    close_window(window)
