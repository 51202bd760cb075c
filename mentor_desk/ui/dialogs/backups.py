"""File > Backups…: the list of backups, "Back up now", and restoring one with confirmation.

After a restore the same :class:`Database` object stays in use (its connections were closed and
reopen on the restored file), and every tab reloads through ``ctx.bus.changed("all")``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import UserError
from mentor_desk.services.backups import (
    BackupInfo,
    back_up,
    program_backups,
    restore_program,
)
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.dialogs.prompts import confirm, show_error, show_info

DATE, REASON, SIZE = range(3)
_REASONS = {
    "startup": "At start-up",
    "timer": "Automatic",
    "manual": "Backed up by you",
    "before-restore": "Before a restore",
    "before-import": "Before an import",
    "before-delete": "Before deleting a mentee",
}


def describe_reason(reason: str) -> str:
    if reason.startswith("before-upgrade-"):
        return "Before an upgrade"
    return _REASONS.get(reason, reason.replace("-", " ").capitalize())


def describe_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(size, 1) / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def local_date(backup: BackupInfo) -> str:
    return backup.created.astimezone().strftime("%Y-%m-%d %H:%M")


class BackupsDialog(QDialog):
    """Lists the program's backups; backs up now; restores the selected one.

    Args:
        can_leave: asked before a restore (unsaved edits in the tabs); False cancels it.
    """

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        *,
        can_leave: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._can_leave = can_leave or (lambda: True)
        self.backups: list[BackupInfo] = []
        self.setWindowTitle("Backups")
        self.setAccessibleName("Backups")
        self.resize(640, 420)

        self.intro = QLabel(
            "Mentor Desk backs up your program at start-up, every half hour while you work, and "
            "before imports, deletions, upgrades and restores."
        )
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setAccessibleName("Backups list")
        self.table.setHorizontalHeaderLabels(["Date", "Reason", "Size"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(DATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SIZE, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel("No backups yet.")
        self.folder = QLabel()
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.backup_button = QPushButton("&Back up now")
        self.backup_button.setAccessibleName("Back up now")
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setAccessibleName("Restore the selected backup")
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.folder)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.backups = program_backups(self.ctx.db)
        self.table.setRowCount(len(self.backups))
        for row, backup in enumerate(self.backups):
            cells = (local_date(backup), describe_reason(backup.reason), describe_size(backup.size))
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(str(backup.path))
                if column == SIZE:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        self.empty.setVisible(not self.backups)
        self.folder.setText(f"Folder: {self.ctx.paths.backups}")
        if self.backups:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def back_up_now(self) -> None:
        try:
            result = back_up(self.ctx.db)
        except UserError as exc:
            show_error(self, exc, "No backup made")
            return
        self.reload()
        if result.new:
            self.ctx.bus.status_message.emit(f"Backed up ({describe_size(result.backup.size)}).")
        else:
            show_info(
                self,
                "Nothing new to back up",
                f"Nothing changed since the backup of {local_date(result.backup)}.",
            )

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None or not self._can_leave():
            return
        if not confirm(
            self,
            "Restore a backup",
            f"Restore the backup of {local_date(backup)}?",
            "Everything you changed after it is replaced by the backed-up program. The current "
            "state will be backed up first, so you can come back to it.",
            action="Restore",
        ):
            return
        self.restore_file(backup.path, local_date(backup))

    def restore_file(self, path: Path, label: str) -> bool:
        """Restore ``path`` into the open program and reload every tab; False if refused."""
        try:
            result = restore_program(self.ctx.db, path)
        except UserError as exc:
            show_error(self, exc, "Could not restore")
            return False
        self.ctx.bus.changed("all")
        self.reload()
        saved = (
            f"The state before it was saved as the backup of {local_date(result.saved)}."
            if (result.saved is not None)
            else ""
        )
        show_info(self, "Restored", f"Restored the backup of {label}.", saved)
        return True
