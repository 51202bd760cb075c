"""Automatic backups while the window is open: at start-up and on a timer, off the GUI thread."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot
from ui_helpers import add

import mentor_desk.services.backups as backups_service
from mentor_desk.app import start_automatic_backups
from mentor_desk.errors import DatabaseError
from mentor_desk.services.backups import program_backups
from mentor_desk.services.settings import set_setting
from mentor_desk.services.types import Database
from mentor_desk.ui.main_window import MainWindow
from mentor_desk.ui.tasks import wait_for_background_work

pytestmark = pytest.mark.gui


def reasons(db: Database) -> list[str]:
    return [b.reason for b in program_backups(db)]


def test_start_up_and_timer_backups_run_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[int] = []
    real = backups_service.backup_before

    def recording(database: Database, reason: str) -> None:
        threads.append(threading.get_ident())
        real(database, reason)

    monkeypatch.setattr(backups_service, "backup_before", recording)
    set_setting(db, "backup_interval_minutes", "1")
    timer = start_automatic_backups(window, db)
    assert timer.isActive()
    assert timer.interval() == 60_000
    qtbot.waitUntil(lambda: reasons(db) == ["startup"], timeout=5000)
    wait_for_background_work()

    timer.timeout.emit()  # nothing changed: no second backup
    wait_for_background_work()
    assert len(program_backups(db)) == 1

    add(db, "Ada")
    timer.timeout.emit()
    qtbot.waitUntil(lambda: reasons(db) == ["timer", "startup"], timeout=5000)
    timer.stop()
    wait_for_background_work()

    assert len(threads) == 3
    assert threading.get_ident() not in threads
    newest = program_backups(db)[0]
    assert newest.created <= datetime.now(UTC) + timedelta(seconds=1)
    assert newest.path.stat().st_mode & 0o777 == 0o600
    # Only complete backups are left: no temporary file beside them.
    assert sorted(p.name for p in newest.path.parent.glob(".backup-*")) == []


def test_a_tick_while_a_backup_runs_is_skipped_and_a_failure_is_shown(
    qtbot: QtBot, window: MainWindow, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    calls: list[str] = []

    def slow_then_failing(_database: Database, reason: str) -> None:
        calls.append(reason)
        release.wait(5)
        raise DatabaseError("The disk is full, so no backup could be made.")

    monkeypatch.setattr(backups_service, "backup_before", slow_then_failing)
    timer = start_automatic_backups(window, db)
    qtbot.waitUntil(lambda: calls == ["startup"], timeout=5000)
    timer.timeout.emit()  # the start-up backup still runs: this tick does nothing
    release.set()
    wait_for_background_work()
    qtbot.waitUntil(
        lambda: "Automatic backup failed: The disk is full" in window.statusBar().currentMessage(),
        timeout=5000,
    )
    assert calls == ["startup"]
    timer.timeout.emit()  # the next tick runs again
    wait_for_background_work()
    timer.stop()
    assert calls == ["startup", "timer"]
