"""The export dialog: choose a document, see what it will include, preview it, save it, print it.

One dialog for both documents (the LMP dossier and quarterly review packets). The left side holds
the choices (:mod:`export_options`) and what they include (:mod:`export_privacy`: the summary is
the privacy gate's own count, refreshed off the GUI thread as the choices change). The right side
previews the pages. Building, saving and printing run off the GUI thread with a progress bar and
Cancel, through the same export path as ``mentor-desk dossier``/``packet``
(:class:`~mentor_desk.ui.dialogs.export_request.ExportRequest`).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mentor_desk import APP_NAME
from mentor_desk.errors import UserError
from mentor_desk.reports.export import ExportCancelledError, ExportResult, default_paper
from mentor_desk.reports.theme import PaperSize
from mentor_desk.services.exports_privacy import ExportPreview
from mentor_desk.services.types import Database
from mentor_desk.ui.dialogs.export_jobs import JobRunner, Work
from mentor_desk.ui.dialogs.export_options import ExportOptions
from mentor_desk.ui.dialogs.export_privacy import PrivacyPanel
from mentor_desk.ui.dialogs.export_request import DocumentKind, ExportRequest
from mentor_desk.ui.dialogs.prompts import confirm, show_error, show_failure
from mentor_desk.ui.style import named
from mentor_desk.ui.tasks import Task, run_in_background, wait_for_background_work
from mentor_desk.ui.widgets.pdf_preview import (
    PdfPreview,
    PrintCancelledError,
    PrintResult,
    cap_resolution,
    print_pdf,
)

LAST_FOLDER = "export/last_folder"
SPLITTER = "export/splitter"
GEOMETRY = "export/geometry"
_PAGE_SIZES = {
    PaperSize.A4: QPageSize.PageSizeId.A4,
    PaperSize.LETTER: QPageSize.PageSizeId.Letter,
}


class ExportDialog(QDialog):
    """Export the LMP dossier or quarterly review packets.

    Args:
        db: the program.
        parent: the main window.
        settings: where to remember the last folder and the layout (optional).

    Signals:
        exported(str): a file was written; the one-line summary ("Wrote …: 14 pages in 1.2 s").
    """

    exported = Signal(str)

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.setWindowTitle(f"Export — {APP_NAME}")
        named(self, "Export")
        self.options = ExportOptions(db, default_paper(db))
        self.privacy = PrivacyPanel()
        self.preview = PdfPreview()
        self.jobs = JobRunner(self)
        self.previewed: ExportRequest | None = None  # what the pages on show were made from
        self.last_result: ExportResult | None = None
        self.last_print: PrintResult | None = None
        self.printer: QPrinter | None = None
        self._summary_for: ExportRequest | None = None  # the choices last counted
        self._summary_shown: ExportRequest | None = None  # ... and whose count is on show
        self._summary_task: Task | None = None
        self._generation = 0
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(150)
        self._summary_timer.timeout.connect(self._refresh_summary)
        self._build()
        self.options.changed.connect(self._choices_changed)
        self.privacy.changed.connect(self._choices_changed)
        self.jobs.started.connect(self._job_started)
        self.jobs.progressed.connect(self._job_progressed)
        self.jobs.ended.connect(self._job_ended)
        self._restore()
        self._choices_changed()

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 6, 0)
        column.addWidget(self.options)
        column.addWidget(self.privacy, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(left)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setMinimumWidth(380)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("export_splitter")
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([460, 720])

        self.progress = named(QProgressBar(), "Progress")
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(220)
        self.status = named(QLabel(), "Export status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_button = named(QPushButton("&Cancel"), "Cancel the running job")
        self.cancel_button.clicked.connect(self.jobs.cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress)
        progress_row.addWidget(self.status, 1)
        progress_row.addWidget(self.cancel_button)

        self.buttons = QDialogButtonBox()
        role = QDialogButtonBox.ButtonRole
        self.preview_button = named(self.buttons.addButton("Pre&view", role.ActionRole), "Preview")
        self.print_button = named(self.buttons.addButton("P&rint…", role.ActionRole), "Print")
        self.save_button = named(self.buttons.addButton("&Save…", role.AcceptRole), "Save")
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        named(close, "Close")
        for button in (self.preview_button, self.print_button, self.save_button, close):
            button.setAutoDefault(False)
        self.preview_button.clicked.connect(lambda: self.build_preview())
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(progress_row)
        layout.addWidget(self.buttons)
        self._set_running(False)
        self.resize(1180, 780)

    # --- opening ----------------------------------------------------------------------------

    def prepare(self, kind: DocumentKind, mentee_id: int | None = None) -> None:
        """Set the dialog up for ``kind``, about ``mentee_id`` where that makes sense.

        A dossier picks the mentee's record if they are a candidate (otherwise the candidate
        chosen last). Packets tick every active mentee, the default batch.
        """
        self.options.reload()
        self.options.set_kind(kind)
        if kind == "dossier":
            self.options.choose_candidate(mentee_id)
        self.privacy.reset()
        self._choices_changed()

    def request(self) -> ExportRequest:
        """The export the choices describe; raises :class:`UserError` saying what is missing."""
        return self.options.request(self.privacy.choices())

    # --- the summary ------------------------------------------------------------------------

    def _choices_changed(self) -> None:
        try:
            request = self.request()
        except UserError as exc:
            self.options.show_problem(str(exc))
            self._summary_for = None
            self._set_running(self.jobs.busy)
            return
        self.options.show_problem("")
        self._set_running(self.jobs.busy)
        self.preview.set_stale(self.previewed is not None and request != self.previewed)
        if request != self._summary_for:
            self.privacy.set_counting()
            self._summary_timer.start()

    def _refresh_summary(self) -> None:
        try:
            request = self.request()
        except UserError:
            return
        self._summary_for = request
        self._generation += 1
        generation = self._generation
        db = self.db
        self._summary_task = run_in_background(
            lambda: request.preview(db),
            on_finished=lambda preview: self._summary_ready(generation, request, preview),
            on_failed=lambda error: self._summary_failed(generation, error),
        )

    def _summary_ready(
        self, generation: int, request: ExportRequest, preview: ExportPreview
    ) -> None:
        if generation == self._generation:
            self.privacy.show_preview(preview)
            self._summary_shown = request

    def _summary_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._summary_for = None
        if isinstance(error, UserError):
            self.options.show_problem(str(error))
        else:
            show_failure(self, error, "Could not count what the document includes")

    def summary_ready(self) -> bool:
        """Whether the summary shows the count for the current choices."""
        try:
            request = self.request()
        except UserError:
            return False
        return not self._summary_timer.isActive() and self._summary_shown == request

    # --- preview, save, print ---------------------------------------------------------------

    def build_preview(self, then: Callable[[], None] | None = None) -> None:
        """Build the PDF in memory off the GUI thread and show its pages."""
        request = self._usable_request()
        if request is None or self.jobs.busy:
            return
        db = self.db

        def work(progress: Any, cancel: Any) -> tuple[bytes, ExportResult]:
            buffer = io.BytesIO()
            result = request.export(db, buffer, progress=progress, cancel=cancel, split=False)
            return buffer.getvalue(), result

        def done(outcome: tuple[bytes, ExportResult]) -> None:
            data, result = outcome
            self.preview.show_pdf(data)
            self.previewed = request
            noun = "page" if result.pages == 1 else "pages"
            self._say(f"Preview of {request.title}: {result.pages} {noun}, {result.seconds:.1f} s.")
            if then is not None:
                then()

        self._start("Building the preview", work, done)

    def save(self) -> None:
        """Ask where, then write the PDF (or one per mentee) through the export path."""
        request = self._usable_request()
        if request is None or self.jobs.busy:
            return
        target = self._ask_target(request)
        if target is None:
            return
        db = self.db

        def work(progress: Any, cancel: Any) -> ExportResult:
            return request.export(db, target, progress=progress, cancel=cancel)

        def done(result: ExportResult) -> None:
            self.last_result = result
            self._remember_folder(target if request.writes_folder else target.parent)
            line = result.describe()
            self._say(f"{line}.")
            self.exported.emit(line)

        self._start(f"Saving {request.title}", work, done)

    def print_document(self) -> None:
        """Choose a printer and print: the pages on show, or built first when out of date."""
        request = self._usable_request()
        if request is None or self.jobs.busy:
            return
        if request != self.previewed or not self.preview.data:
            self.build_preview(then=self._print_shown)
        else:
            self._print_shown()

    def choose_printer(self, printer: QPrinter, pages: int) -> bool:
        """The print dialog; True to print. (Tests replace it: there is no printer here.)"""
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print — {APP_NAME}")
        dialog.setMinMax(1, pages)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _print_shown(self) -> None:
        request, data, pages = self.previewed, self.preview.data, self.preview.page_count()
        if request is None or not data:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(_PAGE_SIZES[request.paper]))
        printer.setFullPage(True)  # the PDF has its own margins
        printer.setDocName(request.title)
        if not self.choose_printer(printer, pages):
            return
        cap_resolution(printer)  # the dialog may have raised it again
        self.printer = printer  # kept alive while the job paints on it

        def work(progress: Any, cancel: Any) -> PrintResult:
            return print_pdf(data, printer, progress=progress, cancel=cancel)

        def done(result: PrintResult) -> None:
            self.last_print = result
            noun = "page" if result.pages == 1 else "pages"
            self._say(f"Sent {result.pages} {noun} to the printer ({result.dpi} dpi).")

        self._start(f"Printing {request.title}", work, done, total=pages)

    def _usable_request(self) -> ExportRequest | None:
        try:
            return self.request()
        except UserError as exc:
            self.options.show_problem(str(exc))
            return None

    def _ask_target(self, request: ExportRequest) -> Path | None:
        folder = self._last_folder()
        if request.writes_folder:
            chosen = QFileDialog.getExistingDirectory(
                self, "Choose the folder for the packets", str(folder)
            )
            return Path(chosen) if chosen else None
        name, _filter = QFileDialog.getSaveFileName(
            self, "Save the PDF", str(folder / request.default_file_name()), "PDF files (*.pdf)"
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_name(f"{path.name}.pdf")

    # --- jobs -------------------------------------------------------------------------------

    def _start(self, what: str, work: Work, done: Callable[[Any], None], total: int = 0) -> None:
        """Run a job; ``total`` is the count it goes up to (0 when unknown: a busy bar)."""
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.jobs.start(what, work, done, self._job_failed)

    def _job_started(self, what: str) -> None:
        self._say(f"{what}…")
        self._set_running(True)

    def _job_progressed(self, count: int) -> None:
        if self.jobs.cancel_requested():
            return
        if self.progress.maximum() > 0:
            self.progress.setValue(count)
            self._say(f"{self.jobs.what}: page {count} of {self.progress.maximum()}…")
        else:
            self._say(f"{self.jobs.what}: {count} page{'s' * (count != 1)} laid out…")

    def _job_ended(self) -> None:
        self._set_running(False)

    def _job_failed(self, error: BaseException) -> None:
        if isinstance(error, ExportCancelledError | PrintCancelledError):
            self._say(str(error))
        elif isinstance(error, UserError):
            self._say(str(error))
            show_error(self, error, "Could not export")
        else:
            self._say("The export failed.")
            show_failure(self, error, "Could not export")

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        ready = not running and self.options.problem_label.isHidden()
        for button in (self.preview_button, self.print_button, self.save_button):
            button.setEnabled(ready)

    def _say(self, text: str) -> None:
        self.status.setText(text)

    # --- settings and closing ---------------------------------------------------------------

    def _last_folder(self) -> Path:
        stored = self.settings.value(LAST_FOLDER) if self.settings is not None else None
        folder = Path(str(stored)) if stored else Path.home()
        return folder if folder.is_dir() else Path.home()

    def _remember_folder(self, folder: Path) -> None:
        if self.settings is not None:
            self.settings.setValue(LAST_FOLDER, str(folder))

    def _restore(self) -> None:
        if self.settings is None:
            return
        geometry, sizes = self.settings.value(GEOMETRY), self.settings.value(SPLITTER)
        if geometry is not None:
            self.restoreGeometry(geometry)
        if sizes is not None:
            self.splitter.restoreState(sizes)

    def done(self, result: int) -> None:
        """Closing (Close, Escape, the title bar) stops a running job first, if the user agrees."""
        if self.jobs.busy:
            if not confirm(
                self,
                "Stop the export?",
                f"{self.jobs.what} is still running.",
                "Closing stops it. A PDF that is not finished is not written.",
                action="Stop and close",
            ):
                return
            self.jobs.settle()
        if self._summary_task is not None and self._summary_task.running:
            wait_for_background_work()  # a count still running reports to a living dialog
            QCoreApplication.processEvents()
        if self.settings is not None:
            self.settings.setValue(GEOMETRY, self.saveGeometry())
            self.settings.setValue(SPLITTER, self.splitter.saveState())
        super().done(result)
