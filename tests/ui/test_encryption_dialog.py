"""File > Encryption…: encrypt, change the passphrase and decrypt a real program from the window."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from test_autolock import PASS, encrypted_program
from ui_helpers import DialogAnswerer, add, close_window, open_window

from mentor_desk.db import crypto
from mentor_desk.db.crypto import WrongPassphraseError
from mentor_desk.paths import DataPaths
from mentor_desk.services.mentees import list_mentees
from mentor_desk.services.program import open_program
from mentor_desk.services.types import Database
from mentor_desk.ui.autolock import auto_lock_minutes
from mentor_desk.ui.dialogs.encryption import EncryptionDialog, passphrase_strength
from mentor_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui
NEW = "a brand new phrase"


def dialog_for(qtbot: QtBot, window: MainWindow) -> EncryptionDialog:
    dialog = EncryptionDialog(window, window.ctx, window.autolock.refresh)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def click_and_wait(qtbot: QtBot, dialog: EncryptionDialog, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: dialog.task is None or not dialog.task.running, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.busy.isHidden())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "SCRYPT", {"n": 2**10, "r": 8, "p": 1})


@pytest.fixture
def encrypted_window(
    qtbot: QtBot,
    data_dir: Path,
    template_database: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogAnswerer,
) -> Iterator[MainWindow]:
    db = encrypted_program(data_dir, template_database, monkeypatch)
    window = open_window(qtbot, db, DataPaths(data_dir), welcome=False)
    yield window
    if window.isVisible():
        close_window(window)
    db.dispose()


def test_encrypting_from_the_window_keeps_every_row_and_turns_on_the_lock(
    qtbot: QtBot, window: MainWindow, db: Database, paths: DataPaths
) -> None:
    add(db, "Zoë Müller 李伟")
    before = list_mentees(db, status="all")
    dialog = dialog_for(qtbot, window)
    assert dialog.status.text() == "Encryption is off"
    assert not window.lock_action.isVisible()
    assert not dialog.auto_lock.isEnabled()
    assert "nobody can recover" in dialog.warning.text()
    qtbot.keyClicks(dialog.new, "short")
    assert dialog.strength.text() == "Too short: use at least 8 characters."
    dialog.new.clear()
    qtbot.keyClicks(dialog.new, NEW)
    assert dialog.strength.text().startswith("Strength:")
    qtbot.keyClicks(dialog.again, NEW + "x")
    click_and_wait(qtbot, dialog, dialog.encrypt_button)
    assert dialog.errors.visible()["again"].startswith("Again: differs")
    assert not crypto.is_encrypted(paths.database)

    dialog.again.clear()
    qtbot.keyClicks(dialog.again, NEW)
    click_and_wait(qtbot, dialog, dialog.encrypt_button)

    assert crypto.is_encrypted(paths.database)
    assert db.encrypted  # the window's own Database was reopened with the key
    assert list_mentees(db, status="all") == before
    assert dialog.status.text() == "Encryption is on"
    assert dialog.outcome.text().startswith("Encrypted: ")
    assert "checked identical" in dialog.outcome.text()
    assert dialog.new.text() == dialog.again.text() == ""
    assert window.lock_action.isVisible()
    assert dialog.auto_lock.isEnabled()
    dialog.auto_lock.setValue(15)
    assert auto_lock_minutes(db) == 15
    assert window.autolock.watcher.timeout_ms == 15 * 60_000
    reopened = open_program(paths, passphrase=NEW)
    try:
        assert list_mentees(reopened, status="all") == before
    finally:
        reopened.dispose()
    dialog.close()


def test_a_wrong_current_passphrase_changes_nothing(
    qtbot: QtBot, encrypted_window: MainWindow, data_dir: Path
) -> None:
    window = encrypted_window
    database = DataPaths(data_dir).database
    before = digest(database)
    dialog = dialog_for(qtbot, window)
    qtbot.keyClicks(dialog.current, "not the passphrase")
    qtbot.keyClicks(dialog.new, NEW)
    qtbot.keyClicks(dialog.again, NEW)
    click_and_wait(qtbot, dialog, dialog.change_button)
    assert dialog.errors.visible() == {
        "passphrase": "Current passphrase: is not right; nothing was changed"
    }
    assert digest(database) == before
    assert dialog.status.text() == "Encryption is on"
    add(window.ctx.db, "Still works")  # the program stays open and writable
    assert [m.name for m in list_mentees(window.ctx.db)] == ["Still works"]
    dialog.close()


def test_changing_the_passphrase_then_decrypting(
    qtbot: QtBot, encrypted_window: MainWindow, data_dir: Path, dialogs: DialogAnswerer
) -> None:
    window = encrypted_window
    paths = DataPaths(data_dir)
    add(window.ctx.db, "Ada")
    dialog = dialog_for(qtbot, window)
    qtbot.keyClicks(dialog.current, PASS)
    qtbot.keyClicks(dialog.new, NEW)
    qtbot.keyClicks(dialog.again, NEW)
    click_and_wait(qtbot, dialog, dialog.change_button)
    assert dialog.outcome.text().startswith("Changed the passphrase: ")
    with pytest.raises(WrongPassphraseError):
        crypto.unlock(paths.database, PASS)
    crypto.unlock(paths.database, NEW)
    assert [m.name for m in list_mentees(window.ctx.db)] == ["Ada"]
    window.autolock.lock()  # the lock now asks for the new passphrase
    assert not window.autolock.try_unlock(PASS)
    assert window.autolock.try_unlock(NEW)

    dialog.current.clear()
    qtbot.keyClicks(dialog.current, NEW)
    dialogs.answer("Cancel")
    click_and_wait(qtbot, dialog, dialog.decrypt_button)
    assert crypto.is_encrypted(paths.database)  # cancelled: still encrypted

    dialogs.answer("Remove encryption")
    click_and_wait(qtbot, dialog, dialog.decrypt_button)
    assert not crypto.is_encrypted(paths.database)
    assert not window.ctx.db.encrypted
    assert [m.name for m in list_mentees(window.ctx.db)] == ["Ada"]
    assert dialog.status.text() == "Encryption is off"
    assert not window.lock_action.isVisible()
    dialog.close()


def test_the_file_menu_opens_it(qtbot: QtBot, window: MainWindow) -> None:
    seen: list[str] = []

    def close_it() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, EncryptionDialog):
            seen.append(box.status.text())
            box.reject()

    QTimer.singleShot(100, close_it)
    window.encryption_action.trigger()
    assert seen == ["Encryption is off"]
    assert window.encryption_action.text() == "En&cryption…"


def test_strength_hints() -> None:
    assert passphrase_strength("") == ""
    assert passphrase_strength("abcdefg").startswith("Too short")
    assert passphrase_strength("abcdefgh") == "Strength: weak. Add a few more words."
    assert passphrase_strength("correct horse battery staple") == "Strength: strong."
