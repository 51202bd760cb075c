"""The passphrase dialog at start-up: the right passphrase unlocks, a wrong one asks again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from mentor_desk.db import crypto
from mentor_desk.paths import DataPaths
from mentor_desk.services.mentees import list_mentees
from mentor_desk.services.program import open_program
from mentor_desk.ui.dialogs.passphrase import PassphraseDialog, ask_passphrase

pytestmark = pytest.mark.gui
PASS = "open sesame please"


@pytest.fixture
def encrypted(
    data_dir: Path, template_database: Path, monkeypatch: pytest.MonkeyPatch
) -> DataPaths:
    monkeypatch.setattr(crypto, "SCRYPT", {"n": 2**10, "r": 8, "p": 1})
    shutil.copyfile(template_database, data_dir / template_database.name)
    paths = DataPaths(data_dir)
    crypto.encrypt_database(paths, PASS)
    return paths


def test_a_wrong_passphrase_shows_the_problem_and_the_right_one_opens(
    qtbot: QtBot, encrypted: DataPaths
) -> None:
    dialog = PassphraseDialog(lambda phrase: open_program(encrypted, passphrase=phrase))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.field.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(dialog.field, "wrong guess")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.result_value is None
    assert dialog.error.text() == "The passphrase is not right. Try again; nothing was changed."
    assert dialog.field.selectedText() == "wrong guess"  # typing replaces it

    qtbot.keyClicks(dialog.field, PASS)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert dialog.result() == PassphraseDialog.DialogCode.Accepted
    db = dialog.result_value
    assert db is not None
    try:
        assert db.encrypted
        assert list_mentees(db) == []
    finally:
        db.dispose()
    assert dialog.field.text() == ""


def test_cancel_gives_nothing(qtbot: QtBot) -> None:
    calls: list[str] = []

    def cancel() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, PassphraseDialog)
        box.reject()

    QTimer.singleShot(50, cancel)
    assert ask_passphrase(calls.append) is None
    assert calls == []
