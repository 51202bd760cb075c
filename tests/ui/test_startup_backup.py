"""The start-up backup waits until the window is up, and is still made when quitting early."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import mentor_desk.app as app_module
from mentor_desk.app import start_automatic_backups
from mentor_desk.services.backups import program_backups
from mentor_desk.services.types import Database
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.tasks import wait_for_background_work

pytestmark = pytest.mark.gui


def test_the_start_up_backup_waits_for_the_window(
    qtbot: QtBot, window: MainWindow, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "STARTUP_BACKUP_DELAY_MS", 60_000)
    timer = start_automatic_backups(window, db)
    timer.stop()
    startup = window.findChild(QTimer, "startup_backup")
    assert startup is not None
    assert startup.isActive()
    qtbot.wait(50)
    assert program_backups(db) == []  # nothing competes with the first paint
    startup.start(0)  # the delay is over
    qtbot.waitUntil(lambda: [b.reason for b in program_backups(db)] == ["startup"], timeout=5000)
    wait_for_background_work()
    assert not startup.isActive()


def test_quitting_before_the_start_up_backup_makes_it_first(
    window: MainWindow, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "STARTUP_BACKUP_DELAY_MS", 60_000)
    timer = start_automatic_backups(window, db)
    timer.stop()
    app = QApplication.instance()
    assert app is not None
    app.aboutToQuit.emit()  # what quitting sends; the event loop is not running here
    assert [b.reason for b in program_backups(db)] == ["startup"]
    startup = window.findChild(QTimer, "startup_backup")
    assert startup is not None
    assert not startup.isActive()
    app.aboutToQuit.emit()  # made once only
    assert len(program_backups(db)) == 1
