"""File > Import…: what a JSON export holds, what importing it did, and files with problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot
from ui_helpers import add

from mentor_desk.services.backups import program_backups
from mentor_desk.services.interchange import export_json
from mentor_desk.services.mentees import list_mentees
from mentor_desk.services.program import open_memory_program
from mentor_desk.services.types import Database
from mentor_desk.ui.dialogs.import_file import HEADERS, ImportDialog, import_into
from mentor_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def export_file(tmp_path: Path) -> Path:
    """An export from another program with two mentees (one of them in any script)."""
    other = open_memory_program()
    add(other, "Zoë Müller 李伟 <b>&")
    add(other, "Ada Lovelace")
    path = tmp_path / "from elsewhere.json"
    export_json(other, path)
    other.dispose()
    return path


def open_dialog(qtbot: QtBot, window: MainWindow, path: Path) -> ImportDialog:
    dialog = ImportDialog(window, window.ctx, path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.task is not None and not dialog.task.running)
    return dialog


def row_of(dialog: ImportDialog, kind: str) -> list[str]:
    table = dialog.table
    for row in range(table.rowCount()):
        if table.item(row, 0).text() == kind:
            return [table.item(row, c).text() for c in range(len(HEADERS))]
    raise AssertionError(f"no row for {kind}")


def test_preview_then_import_counts_per_kind_and_reloads_the_tabs(
    qtbot: QtBot, window: MainWindow, db: Database, export_file: Path
) -> None:
    dialog = open_dialog(qtbot, window, export_file)
    assert row_of(dialog, "Mentees") == ["Mentees", "2", "", "", ""]
    assert "backed up first" in dialog.note.text()
    assert dialog.import_button.isEnabled()
    assert list_mentees(db) == []  # reading the file changed nothing
    changes: list[str] = []
    window.ctx.bus.data_changed.connect(changes.append)

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=10_000)

    assert sorted(m.name for m in list_mentees(db)) == ["Ada Lovelace", "Zoë Müller 李伟 <b>&"]
    assert row_of(dialog, "Mentees") == ["Mentees", "2", "2", "0", "0"]
    assert row_of(dialog, "Session types")[2] == "0"  # the defaults match by name: none new
    assert dialog.note.text().startswith("Imported from elsewhere.json: ")
    assert changes == ["all"]
    assert any(b.reason == "before-import" for b in program_backups(db))
    assert not dialog.import_button.isEnabled()  # once is enough
    dialog.close()


def test_a_file_with_problems_lists_them_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, db: Database, export_file: Path
) -> None:
    data = json.loads(export_file.read_text(encoding="utf-8"))
    data["mentees"][0]["name"] = ""
    data["goals"] = "not a list"
    export_file.write_text(json.dumps(data), encoding="utf-8")
    add(db, "Already here")
    dialog = open_dialog(qtbot, window, export_file)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.problems.isVisible(), timeout=10_000)

    problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert len(problems) == 2
    assert any(p.startswith("mentees[0].name") for p in problems)
    assert any(p.startswith("goals") for p in problems)
    assert dialog.error.text() == "'from elsewhere.json' has 2 problems, so nothing was imported."
    assert [m.name for m in list_mentees(db)] == ["Already here"]
    dialog.close()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xff\xfe\x00 garbage", "not a Mentor Desk export: it is not UTF-8"),
        (b'{"format": ', "not valid JSON"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_before_importing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "odd.json"
    path.write_bytes(content)
    dialog = open_dialog(qtbot, window, path)
    assert expected in dialog.error.text()
    assert dialog.error.isVisible()
    assert not dialog.import_button.isEnabled()
    dialog.close()


def test_the_file_menu_asks_for_a_file(
    qtbot: QtBot, window: MainWindow, export_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def choose(_parent: object, _title: str, _folder: str, name_filter: str) -> tuple[str, str]:
        asked.append(name_filter)
        return (str(export_file) if len(asked) > 1 else "", name_filter)

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    window.import_action.trigger()  # cancelled in the file dialog: nothing more
    assert asked == ["Mentor Desk export (*.json);;All files (*)"]
    shown: list[str] = []

    def close_it() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, ImportDialog):
            shown.append(box.title.text())
            box.reject()
        else:
            QTimer.singleShot(20, close_it)

    QTimer.singleShot(20, close_it)
    import_into(window, window.ctx, lambda: True)
    assert shown == ["Import from elsewhere.json"]
