"""File > Import…: merge a JSON interchange file (``mentor-desk export-json``) into the program.

The file is read first, off the GUI thread, and what it holds is counted per kind. Import then
runs :func:`mentor_desk.services.interchange.import_json`, the function ``mentor-desk
import-json`` runs (it backs the program up before it writes, and writes all or nothing), also
off the GUI thread. The table then shows what was added, updated and left alone; a file with
problems lists every one of them, and nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentor_desk import APP_NAME
from mentor_desk.errors import ImportFileError, UserError
from mentor_desk.services.interchange import ImportSummary, import_json, read_import_file
from mentor_desk.services.interchange_schema import SPECS
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.dialogs.prompts import show_failure
from mentor_desk.ui.style import error_label, heading, named
from mentor_desk.ui.tasks import Task, run_in_background

KIND, IN_FILE, NEW, UPDATED, UNCHANGED = range(5)
NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
HEADERS = ("Kind", "In the file", "New", "Updated", "Unchanged")
FILE_FILTER = "Mentor Desk export (*.json);;All files (*)"


def plural(label: str) -> str:
    """ "evidence entry" -> "Evidence entries", "LMP area" -> "LMP areas"."""
    text = label[:-1] + "ies" if label.endswith("y") else label + "s"
    return text[:1].upper() + text[1:]


def count_file(path: Path) -> dict[str, int]:
    """Records per table in the file (only the tables the format knows).

    Raises:
        ImportFileError: the file cannot be read, or is not JSON.
    """
    data = read_import_file(path)
    if not isinstance(data, dict):
        return {}
    return {
        name: len(rows) for name, rows in data.items() if name in SPECS and isinstance(rows, list)
    }


class ImportDialog(QDialog):
    """What ``path`` holds; Import; then what the import did, or every problem it found.

    Args:
        can_leave: asked before importing (unsaved edits in the tabs); False cancels.
    """

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        path: Path,
        *,
        can_leave: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = path
        self._can_leave = can_leave or (lambda: True)
        self.task: Task | None = None
        self.summary: ImportSummary | None = None
        self.setWindowTitle(f"Import — {APP_NAME}")
        self.title = heading(f"Import {path.name}")
        self.note = named(QLabel(), "What happens")
        self.note.setWordWrap(True)
        self.table = named(QTableWidget(len(SPECS), len(HEADERS)), "Records in the file")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(KIND, QHeaderView.ResizeMode.Stretch)
        for column in range(IN_FILE, len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.error = named(error_label(), "Import problem")
        self.problems = named(QListWidget(), "Problems")
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.busy = named(QProgressBar(), "Working")
        self.busy.setRange(0, 0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = named(QPushButton("&Import"), "Import")
        self.import_button.setEnabled(False)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.clicked.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        for widget in (self.title, self.note, self.table, self.error, self.problems, self.busy):
            column.addWidget(widget)
        column.addWidget(self.buttons)
        self.resize(620, 600)
        self._read()

    # --- reading ----------------------------------------------------------------------------

    def _read(self) -> None:
        self.note.setText(f"Reading {self.path}…")
        path = self.path
        self.task = run_in_background(
            lambda: count_file(path), on_finished=self._counted, on_failed=self._failed
        )

    def _counted(self, counts: Mapping[str, int]) -> None:
        self.busy.hide()
        self._fill({name: (counts.get(name, 0), None) for name in SPECS})
        total = sum(counts.values())
        if total == 0:
            self.note.setText(f"{self.path} holds no Mentor Desk records. Is it the right file?")
            return
        self.note.setText(
            f"{self.path} holds {total:,} records. Records this program already has (by their "
            "ids) are updated, the others are added. The program is backed up first, and a file "
            "with any problem changes nothing."
        )
        self.import_button.setEnabled(True)
        self.import_button.setDefault(True)

    def _fill(self, rows: Mapping[str, tuple[int | None, tuple[int, int, int] | None]]) -> None:
        for row, name in enumerate(SPECS):
            in_file, done = rows.get(name, (None, None))
            values = [plural(SPECS[name].label), in_file, *(done or (None, None, None))]
            for column, value in enumerate(values):
                if column != KIND and value is None:
                    existing = self.table.item(row, column)
                    value = existing.text() if existing is not None else ""
                item = QTableWidgetItem(value if isinstance(value, str) else f"{value:,}")
                if column != KIND:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)

    # --- importing --------------------------------------------------------------------------

    def start_import(self) -> None:
        if not self._can_leave():
            return
        db, path = self.ctx.db, self.path
        self.import_button.setEnabled(False)
        self.buttons.setEnabled(False)
        self.busy.show()
        self.note.setText("Importing… (a backup is made first)")
        self.task = run_in_background(
            lambda: import_json(db, path), on_finished=self._imported, on_failed=self._failed
        )

    def _imported(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.busy.hide()
        self.buttons.setEnabled(True)
        self._fill(
            {
                name: (None, (counts.created, counts.updated, counts.unchanged))
                for name, counts in summary.counts.items()
            }
        )
        self.note.setText(
            f"Imported {self.path.name}: {summary.created:,} new, {summary.updated:,} updated, "
            f"{summary.unchanged:,} unchanged."
        )
        self.ctx.bus.changed("all")
        self.ctx.bus.status_message.emit(f"Imported {self.path.name}.")

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.buttons.setEnabled(True)
        self.import_button.setEnabled(False)
        if not isinstance(error, UserError):
            self.note.setText("Nothing was imported.")
            show_failure(self, error, "Could not import the file")
            return
        self.note.setText("The program is as it was. Correct the file and import it again.")
        problems = error.problems if isinstance(error, ImportFileError) else []
        # With a list below, the message alone; its str() repeats the first few problems.
        self.error.setText(f"{error.args[0]}." if problems else str(error))
        self.error.show()
        if problems:
            self.problems.addItems(problems)
            self.problems.show()
            self.table.hide()

    # --- closing ----------------------------------------------------------------------------

    def reject(self) -> None:
        if self.importing:
            return  # an import is all or nothing: it finishes first
        super().reject()

    @property
    def importing(self) -> bool:
        return self.task is not None and self.task.running and not self.buttons.isEnabled()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.importing:
            event.ignore()
            return
        super().closeEvent(event)


def import_into(parent: QWidget, ctx: AppContext, can_leave: Callable[[], bool]) -> None:
    """File > Import…: choose a file, then show :class:`ImportDialog` on it."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, f"Import a {APP_NAME} export", str(Path.home()), FILE_FILTER
    )
    if not name:
        return
    dialog = ImportDialog(parent, ctx, Path(name), can_leave=can_leave)
    dialog.exec()
    dialog.deleteLater()
