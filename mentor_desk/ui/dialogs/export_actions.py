"""The File menu's export entries: "Export dossier…", "Export quarterly packets…" and "Print…".

:class:`ExportActions` owns the three actions and the one export dialog they open (modeless, so
the window stays usable while a batch is written). It keeps the actions enabled only when there
is something to export, and opens the dialog on the mentee in focus.

What can be exported is worked out when the File menu is about to show (or an action fires by its
shortcut), not while the window is built: listing the candidates costs a query with gap counts
that the first paint does not need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from mentor_desk.services.lmp import list_records, record_for_mentee
from mentor_desk.services.mentees import count_mentees
from mentor_desk.ui.context import AppContext

if TYPE_CHECKING:  # the dialog loads ReportLab: only when first opened, not at start-up
    from mentor_desk.ui.dialogs.export import ExportDialog
    from mentor_desk.ui.dialogs.export_request import DocumentKind


class ExportActions(QObject):
    """The export actions of one window.

    Args:
        window: the main window (the dialog's parent).
        ctx: the window's shared context: the program, the bus, the mentee in focus.
    """

    def __init__(self, window: QWidget, ctx: AppContext) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.dialog: ExportDialog | None = None
        # True while the enabled states may be out of date (the data changed since the last look).
        self.stale = True
        self.dossier = QAction("Export &dossier…", window)
        self.dossier.setStatusTip("Write an LMP candidate's dossier as a PDF")
        self.packets = QAction("Export quarterly &packets…", window)
        self.packets.setStatusTip("Write quarterly review packets as PDF")
        self.print = QAction("&Print…", window)
        self.print.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print.setStatusTip("Print the dossier or packets of the mentee in focus")
        self.dossier.triggered.connect(lambda _checked=False: self._trigger(self.dossier))
        self.packets.triggered.connect(lambda _checked=False: self._trigger(self.packets))
        self.print.triggered.connect(lambda _checked=False: self._trigger(self.print))
        ctx.bus.data_changed.connect(self._data_changed)
        window.installEventFilter(self)

    @property
    def actions(self) -> list[QAction]:
        return [self.dossier, self.packets, self.print]

    def watch(self, menu: QMenu) -> None:
        """Bring the enabled states up to date whenever ``menu`` (holding the actions) opens."""
        menu.aboutToShow.connect(self.refresh)

    def refresh(self) -> None:
        """:meth:`update` if the data changed since the last time (or it never ran)."""
        if self.stale:
            self.update()

    def update(self) -> None:
        """Enable what can be exported: a dossier needs a candidate, packets a mentee."""
        self.stale = False
        candidates = bool(list_records(self.ctx.db))
        self.dossier.setEnabled(candidates)
        self.dossier.setToolTip("" if candidates else "There are no LMP candidates yet.")
        anyone = count_mentees(self.ctx.db, status="all") > 0
        self.packets.setEnabled(anyone)
        self.print.setEnabled(anyone)

    def _trigger(self, action: QAction) -> None:
        # A shortcut can fire before the menu was ever shown: check that there is something to
        # export first, as the menu would have.
        self.refresh()
        if not action.isEnabled():
            return
        if action is self.print:
            self.open_for_printing()
        else:
            self.open("dossier" if action is self.dossier else "packet")

    def open(self, kind: DocumentKind) -> ExportDialog:
        """Show the export dialog for ``kind``, about the mentee in focus."""
        dialog = self._dialog()
        dialog.prepare(kind, self.ctx.selector.current_id)
        dialog.print_button.setDefault(False)
        dialog.show()
        if QGuiApplication.platformName() != "offscreen":  # which cannot raise windows
            dialog.raise_()
        dialog.activateWindow()
        return dialog

    def open_for_printing(self) -> ExportDialog:
        """The dialog on what "print" most likely means now, with Print as the default button:
        the dossier when the mentee in focus is a candidate, otherwise their packet (or every
        active mentee's, with nobody in focus)."""
        mentee_id = self.ctx.selector.current_id
        is_candidate = mentee_id is not None and record_for_mentee(self.ctx.db, mentee_id)
        dialog = self.open("dossier" if is_candidate else "packet")
        if not is_candidate and mentee_id is not None:
            dialog.options.tick_only({mentee_id})
        dialog.print_button.setDefault(True)
        dialog.print_button.setFocus()
        return dialog

    def _dialog(self) -> ExportDialog:
        if self.dialog is None:
            from mentor_desk.ui.dialogs.export import ExportDialog

            self.dialog = ExportDialog(self.ctx.db, self.window, settings=self.ctx.settings)
            self.dialog.exported.connect(self.ctx.bus.status_message.emit)
        return self.dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Closing the window while an export runs: stop it first (the dialog asks), or stay."""
        busy = self.dialog is not None and self.dialog.jobs.busy
        if watched is self.window and event.type() is QEvent.Type.Close and busy:
            assert self.dialog is not None
            if not self.dialog.close():
                event.ignore()
                return True
        return super().eventFilter(watched, event)

    def _data_changed(self, _what: str) -> None:
        # Enabled until the next look, so that a shortcut still reaches _trigger, which checks.
        self.stale = True
        for action in self.actions:
            action.setEnabled(True)
        self.dossier.setToolTip("")
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.options.reload()
