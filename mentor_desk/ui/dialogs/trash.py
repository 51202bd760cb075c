"""Edit > "Undo delete" and Edit > "Trash…": deleted items come back until the trash is emptied.

:class:`TrashActions` owns the two actions of one window; the undo action names what it would
restore ("Undo delete of session 2026-03-02") and is enabled only when the trash holds something.
:class:`TrashDialog` lists the trash (when, what, mentee) to restore an entry, delete it forever,
or empty the trash after a confirmation, and sets how long deleted items stay (30 days by
default; what is older is deleted for good when the window starts).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import UserError
from mentor_desk.services import trash
from mentor_desk.services.trash import TrashEntry
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.dialogs.prompts import confirm, show_error
from mentor_desk.ui.style import named

log = logging.getLogger(__name__)


def _restored(ctx: AppContext, entry: TrashEntry) -> None:
    ctx.bus.changed("all")
    ctx.bus.status_message.emit(f"Restored {entry.label}")


class TrashActions(QObject):
    """Edit > "Undo delete" (Ctrl+Z) and Edit > "Trash…" of one window."""

    def __init__(self, window: QWidget, ctx: AppContext) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.undo = QAction("&Undo delete", window)
        self.undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo.triggered.connect(lambda _checked=False: self.undo_last())
        self.open_trash = QAction("T&rash…", window)
        self.open_trash.setStatusTip("Restore deleted items, or delete them for good")
        self.open_trash.triggered.connect(lambda _checked=False: self.show_trash())
        ctx.bus.data_changed.connect(lambda _what: self.update())
        self.purge_expired()
        self.update()

    def purge_expired(self) -> int:
        """Delete for good what has been in the trash longer than the retention (at start-up)."""
        try:
            purged = trash.purge_expired(self.ctx.db)
        except UserError as exc:  # a locked or read-only program: the trash waits for next time
            log.warning("Could not empty old items from the trash: %s", exc)
            return 0
        if purged:
            log.info("Deleted %d item(s) older than the retention from the trash", purged)
        return purged

    @property
    def actions(self) -> list[QAction]:
        return [self.undo, self.open_trash]

    def update(self) -> None:
        last = trash.last_deleted(self.ctx.db)
        self.undo.setEnabled(last is not None)
        self.undo.setText(f"&Undo delete of {last.label}" if last else "&Undo delete")

    def undo_last(self) -> None:
        try:
            entry = trash.undo_last(self.ctx.db)
        except UserError as exc:
            show_error(self.window, exc, "Could not undo the delete")
            self.update()
            return
        _restored(self.ctx, entry)

    def show_trash(self) -> None:
        TrashDialog(self.ctx, self.window).exec()
        self.update()


class TrashDialog(QDialog):
    """The trash: when, what and whose, with Restore, Delete forever and Empty trash."""

    WHEN, WHAT, MENTEE = range(3)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Trash")
        named(self, "Trash")
        self.resize(760, 420)
        self.entries: list[TrashEntry] = []
        note = QLabel(
            "Deleted items stay here, with everything deleted with them, for the days set below "
            "or until you empty the trash. The trash is kept in the program file and is never "
            "exported."
        )
        note.setWordWrap(True)
        self.table = named(QTableWidget(0, 3), "Deleted items")
        self.table.setHorizontalHeaderLabels(["Deleted", "What", "Mentee"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(
            self.WHAT, QHeaderView.ResizeMode.Stretch
        )
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.restore_button = named(QPushButton("&Restore"), "Restore")
        self.purge_button = named(QPushButton("&Delete forever…"), "Delete forever")
        self.empty_button = named(QPushButton("&Empty trash…"), "Empty trash")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in (self.restore_button, self.purge_button, self.empty_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button.clicked.connect(self.purge_selected)
        self.empty_button.clicked.connect(self.empty_trash)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table)
        layout.addLayout(self._build_retention())
        layout.addWidget(buttons)
        self.reload()

    def _build_retention(self) -> QHBoxLayout:
        self.retention = named(
            QSpinBox(), "Keep deleted items", "Days; older items are deleted at start-up"
        )
        self.retention.setRange(0, trash.MAX_RETENTION_DAYS)
        self.retention.setSpecialValueText("until emptied")
        self.retention.setPrefix("for ")
        self.retention.setSuffix(" days")
        self.retention.setValue(trash.retention_days(self.ctx.db))
        self.retention.valueChanged.connect(self._retention_changed)
        label = QLabel("&Keep deleted items")
        label.setBuddy(self.retention)
        self.retention_note = QLabel("— older ones are deleted for good when Mentor Desk starts.")
        self.retention_note.setVisible(self.retention.value() != 0)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.retention)
        row.addWidget(self.retention_note, 1)
        return row

    def _retention_changed(self, days: int) -> None:
        self.retention_note.setVisible(days != 0)
        try:
            trash.set_retention_days(self.ctx.db, days)
        except UserError as exc:
            show_error(self, exc, "Could not change how long the trash keeps items")

    def reload(self) -> None:
        self.entries = trash.list_trash(self.ctx.db)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            when = entry.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M")
            for column, text in ((self.WHEN, when), (self.WHAT, entry.label)):
                self.table.setItem(row, column, QTableWidgetItem(text))
            self.table.setItem(row, self.MENTEE, QTableWidgetItem(entry.mentee_name))
        self.table.resizeColumnToContents(self.WHEN)
        self.table.resizeColumnToContents(self.MENTEE)
        if self.entries:
            self.table.selectRow(0)
        self.empty_button.setEnabled(bool(self.entries))
        self._selection_changed()

    def selected(self) -> TrashEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.restore_button.setEnabled(chosen)
        self.purge_button.setEnabled(chosen)

    def restore_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        try:
            trash.restore(self.ctx.db, entry.id)
        except UserError as exc:
            show_error(self, exc, "Could not restore")
        else:
            _restored(self.ctx, entry)
        self.reload()

    def purge_selected(self) -> None:
        entry = self.selected()
        if entry is None or not confirm(
            self,
            "Delete forever",
            f"Delete {entry.label} forever?",
            "It is removed from the trash for good and cannot be restored.",
            action="Delete forever",
        ):
            return
        try:
            trash.purge(self.ctx.db, entry.id)
        except UserError as exc:
            show_error(self, exc, "Could not delete")
        self.reload()
        self.ctx.bus.changed("trash")

    def empty_trash(self) -> None:
        count = len(self.entries)
        if not confirm(
            self,
            "Empty trash",
            f"Delete the {count} item{'s' * (count != 1)} in the trash forever?",
            "They are removed for good and cannot be restored.",
            action="Empty trash",
        ):
            return
        trash.empty(self.ctx.db)
        self.reload()
        self.ctx.bus.changed("trash")
