"""Showing a PDF in the window (QtPdf), and printing one.

:class:`PdfPreview` shows the pages of a PDF held in memory: nothing confidential is written to a
temporary file to preview it. :func:`print_pdf` sends a PDF to a :class:`QPrinter`. QtPdf can
only rasterise pages, so each page is rendered as an image at no more than :data:`MAX_PRINT_DPI`
(at 600 dpi ten pages take seconds and tens of megabytes) and drawn onto the printer's page.
It may run on a worker thread: Qt supports painting onto a QPrinter off the GUI thread, and the
function opens its own QPdfDocument there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.errors import UserError
from mentor_desk.ui.style import named

#: The highest resolution pages are rasterised at for printing.
MAX_PRINT_DPI = 300
_POINTS_PER_INCH = 72.0
_ZOOMS = (
    ("Fit width", QPdfView.ZoomMode.FitToWidth, 1.0),
    ("Whole page", QPdfView.ZoomMode.FitInView, 1.0),
    ("50 %", QPdfView.ZoomMode.Custom, 0.5),
    ("75 %", QPdfView.ZoomMode.Custom, 0.75),
    ("100 %", QPdfView.ZoomMode.Custom, 1.0),
    ("150 %", QPdfView.ZoomMode.Custom, 1.5),
)


class PdfLoadError(UserError):
    """The bytes are not a PDF that QtPdf can open."""


class PrintCancelledError(UserError):
    """The user cancelled printing."""


def load_pdf(document: QPdfDocument, data: bytes) -> QBuffer:
    """Load ``data`` into ``document`` from memory; returns the buffer it reads (keep it open
    as long as the document is used).

    Raises:
        PdfLoadError: the bytes are not a PDF QtPdf can open.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)  # synchronous: the buffer holds the whole file
    if document.status() is not QPdfDocument.Status.Ready:
        buffer.close()
        raise PdfLoadError(f"The PDF could not be opened ({document.error().name}).")
    return buffer


class PdfPreview(QWidget):
    """The pages of one PDF, scrolled continuously, with a zoom choice and the page count.

    Signals:
        loaded(int): a PDF was shown; its page count.
    """

    loaded = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "PDF preview")
        self.data = b""
        self.zoom = named(QComboBox(), "Zoom")
        for text, _mode, _factor in _ZOOMS:
            self.zoom.addItem(text)
        self.zoom.currentIndexChanged.connect(self._zoom_changed)
        self.placeholder = QLabel("Press Preview to see the pages here.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)  # the palette's muted text
        named(self.placeholder, "Preview status")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.placeholder)
        self._install(QPdfDocument())  # self.document and self.view: new ones for each PDF

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        named(self.notice, "Preview notice")
        self.page_label = named(QLabel(), "Page count")
        zoom_label = QLabel("&Zoom:")
        zoom_label.setBuddy(self.zoom)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        bar.addWidget(zoom_label)
        bar.addWidget(self.zoom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.pages, 1)
        self._set_controls(False)

    # --- contents ---------------------------------------------------------------------------

    def page_count(self) -> int:
        return self.document.pageCount() if self.data else 0

    def show_pdf(self, data: bytes) -> int:
        """Show the PDF in ``data``; returns its page count."""
        # A fresh document and view for every PDF: QPdfView's renderer thread drops a page
        # request that reaches it while its document is being reloaded, and then takes every
        # later request for that page at that size as a duplicate of the dropped one, so the
        # page stays blank for good (or shows the previous PDF's page). The new view only ever
        # sees a document that is already loaded.
        document = QPdfDocument()
        try:
            load_pdf(document, data).setParent(document)  # the buffer lives as long as it
        except PdfLoadError:
            self.clear("The preview could not be shown.")
            raise
        self.data = data
        self.set_stale(False)
        self._replace_view(document)
        self.pages.setCurrentWidget(self.view)
        self._set_controls(True)
        self.view.pageNavigator().jump(0, QPointF(), 0)
        self._show_page_number(0)
        self.loaded.emit(self.page_count())
        return self.page_count()

    def clear(self, message: str = "Press Preview to see the pages here.") -> None:
        self.data = b""
        self.placeholder.setText(message)
        self.pages.setCurrentWidget(self.placeholder)
        self._replace_view(QPdfDocument())
        self.page_label.clear()
        self.set_stale(False)
        self._set_controls(False)

    def set_stale(self, stale: bool) -> None:
        """Say that the choices changed since these pages were made."""
        if stale and self.data:
            self.notice.setText("The choices changed since this preview: press Preview again.")
        self.notice.setVisible(stale and bool(self.data))

    # --- internals --------------------------------------------------------------------------

    def _install(self, document: QPdfDocument) -> None:
        """Make ``document`` and a new view of it the current ones (not yet on show)."""
        view = named(QPdfView(), "Preview pages")
        view.setDocument(document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setPageSpacing(12)
        self._apply_zoom(view)
        view.pageNavigator().currentPageChanged.connect(self._show_page_number)
        self.pages.addWidget(view)
        # Owned after the view, so deleted after it: the view's render thread may still be
        # drawing one of its pages, and a dying document notifies the view that it closed.
        document.setParent(self.pages)
        self.document, self.view = document, view

    def _replace_view(self, document: QPdfDocument) -> None:
        """Put a new view of ``document`` in place of the current one, same zoom and focus."""
        old, old_document = self.view, self.document
        had_focus = old.hasFocus()
        old.pageNavigator().currentPageChanged.disconnect(self._show_page_number)
        self._install(document)
        if self.pages.currentWidget() is old:
            self.pages.setCurrentWidget(self.view)
        self.pages.removeWidget(old)
        old.hide()
        old.destroyed.connect(old_document.deleteLater)
        old.deleteLater()
        if had_focus:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_controls(self, enabled: bool) -> None:
        self.zoom.setEnabled(enabled)

    def _zoom_changed(self, _index: int) -> None:
        self._apply_zoom(self.view)

    def _apply_zoom(self, view: QPdfView) -> None:
        _text, mode, factor = _ZOOMS[max(0, self.zoom.currentIndex())]
        view.setZoomMode(mode)
        if mode is QPdfView.ZoomMode.Custom:
            view.setZoomFactor(factor)

    def _show_page_number(self, page: int) -> None:
        total = self.page_count()
        if total:
            noun = "page" if total == 1 else "pages"
            self.page_label.setText(f"{total} {noun} · showing page {page + 1}")


# --- printing -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrintResult:
    pages: int  # the pages sent to the printer
    dpi: int  # the resolution they were rasterised at


def cap_resolution(printer: QPrinter, limit: int = MAX_PRINT_DPI) -> int:
    """Lower the printer's resolution to ``limit`` dpi (before painting); returns the dpi used."""
    if printer.resolution() > limit:
        printer.setResolution(limit)
    return min(printer.resolution(), limit)


def print_pdf(
    data: bytes,
    printer: QPrinter,
    *,
    progress: Callable[[int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> PrintResult:
    """Print the PDF in ``data`` on ``printer``, one rasterised page at a time.

    Honours the page range chosen in the print dialog. ``progress`` gets the number of pages
    sent so far; ``cancel`` is polled before each page and aborts the print job.

    Raises:
        UserError: the printer cannot be used, the PDF cannot be opened, or cancelled.
    """
    document = QPdfDocument()
    buffer = load_pdf(document, data)
    try:
        dpi = cap_resolution(printer)
        first, last = _page_range(printer, document.pageCount())
        painter = QPainter()
        if not painter.begin(printer):
            raise UserError("The printer could not be started. Check it is ready, then try again.")
        sent = 0
        try:
            for page in range(first, last + 1):
                if cancel is not None and cancel():
                    printer.abort()
                    raise PrintCancelledError(
                        f"Printing cancelled after {sent} page{'s' * (sent != 1)}."
                    )
                if sent and not printer.newPage():
                    raise UserError("The printer stopped taking pages. Check it, then try again.")
                _draw_page(painter, printer, document, page, dpi)
                sent += 1
                if progress is not None:
                    progress(sent)
        finally:
            if painter.isActive():
                painter.end()
        return PrintResult(sent, dpi)
    finally:
        document.close()
        buffer.close()


def _page_range(printer: QPrinter, count: int) -> tuple[int, int]:
    """Zero-based first and last page to print, from the dialog's "pages from/to"."""
    if printer.printRange() is QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = min(printer.fromPage(), count) - 1
        last = min(max(printer.toPage(), printer.fromPage()), count) - 1
        return first, last
    return 0, count - 1


def _draw_page(
    painter: QPainter, printer: QPrinter, document: QPdfDocument, page: int, dpi: int
) -> None:
    """Rasterise one page at ``dpi`` and draw it centred on the paper, keeping its shape."""
    points = document.pagePointSize(page)
    scale = dpi / _POINTS_PER_INCH
    size = QSize(max(1, round(points.width() * scale)), max(1, round(points.height() * scale)))
    image = document.render(page, size)
    if image.format() is not QImage.Format.Format_RGB32:
        # Transparent areas are paper; some printer drivers draw them black.
        opaque = QImage(size, QImage.Format.Format_RGB32)
        opaque.fill(Qt.GlobalColor.white)
        with_background = QPainter(opaque)
        with_background.drawImage(0, 0, image)
        with_background.end()
        image = opaque
    area = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
    area.moveTo(0, 0)
    fit = min(area.width() / size.width(), area.height() / size.height())
    width, height = size.width() * fit, size.height() * fit
    target = QRectF((area.width() - width) / 2, (area.height() - height) / 2, width, height)
    painter.drawImage(target, image)
