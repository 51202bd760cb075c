"""The PDF preview widget: a second PDF in the same preview is painted, zoom is kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QBuffer, QIODevice, QRectF
from PySide6.QtGui import QColor, QFont, QPageSize, QPainter, QPdfWriter
from PySide6.QtPdfWidgets import QPdfView
from pytestqt.qtbot import QtBot

from mentor_desk.ui.widgets.pdf_preview import PdfLoadError, PdfPreview

pytestmark = pytest.mark.gui

RED, BLUE = QColor("#c03030"), QColor("#3030c0")


def coloured_pdf(colour: QColor, label: str, pages: int = 3) -> bytes:
    """A small A4 PDF whose pages are mostly a block of ``colour``."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(72)
    painter = QPainter(writer)
    painter.setFont(QFont("DejaVu Sans", 40))
    for page in range(pages):
        if page:
            writer.newPage()
        painter.fillRect(QRectF(40, 40, 400, 600), colour)
        painter.drawText(60, 120, f"{label} {page + 1}")
    painter.end()
    buffer.close()
    return bytes(buffer.data().data())


def share_of(preview: PdfPreview, colour: QColor) -> float:
    """The share of the pages area painted in (nearly) ``colour``, sampled on a grid."""
    image = preview.view.viewport().grab().toImage()
    points = [(x, y) for x in range(0, image.width(), 6) for y in range(0, image.height(), 6)]
    near = 0
    for x, y in points:
        pixel = image.pixelColor(x, y)
        near += (
            abs(pixel.red() - colour.red())
            + abs(pixel.green() - colour.green())
            + abs(pixel.blue() - colour.blue())
            < 30
        )
    return near / len(points)


def wait_painted(qtbot: QtBot, preview: PdfPreview, colour: QColor) -> None:
    """Wait (bounded) until the rendered page fills a good part of the view."""
    qtbot.waitUntil(lambda: share_of(preview, colour) > 0.3, timeout=5000)


@pytest.fixture
def preview(qtbot: QtBot) -> PdfPreview:
    shown = PdfPreview()
    qtbot.addWidget(shown)
    shown.resize(600, 800)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_a_second_pdf_is_painted_even_when_the_notice_moves_the_pages(
    qtbot: QtBot, preview: PdfPreview
) -> None:
    assert preview.show_pdf(coloured_pdf(RED, "First")) == 3
    wait_painted(qtbot, preview, RED)
    first_view = preview.view

    # The "choices changed" notice shows and the view repaints at that moment, sending page
    # requests to QtPdf's render thread just before the next PDF arrives (what a summary
    # finishing right before the preview does in the export dialog).
    preview.set_stale(True)
    assert preview.notice.isVisible()
    preview.layout().activate()
    preview.view.viewport().repaint()
    assert preview.show_pdf(coloured_pdf(BLUE, "Second")) == 3

    assert preview.notice.isHidden()
    assert preview.view is not first_view
    assert preview.pages.currentWidget() is preview.view
    assert preview.view.accessibleName() == "Preview pages"
    wait_painted(qtbot, preview, BLUE)
    assert share_of(preview, RED) == 0  # nothing of the first PDF is left on show
    assert preview.page_label.text() == "3 pages · showing page 1"


def test_the_zoom_choice_and_focus_carry_over_to_the_next_pdf(
    qtbot: QtBot, preview: PdfPreview
) -> None:
    preview.show_pdf(coloured_pdf(RED, "First"))
    preview.zoom.setCurrentIndex(preview.zoom.findText("Whole page"))
    assert preview.view.zoomMode() is QPdfView.ZoomMode.FitInView
    preview.view.setFocus()
    preview.show_pdf(coloured_pdf(BLUE, "Second", pages=1))
    assert preview.view.zoomMode() is QPdfView.ZoomMode.FitInView
    assert preview.view.hasFocus()
    assert preview.page_label.text() == "1 page · showing page 1"
    wait_painted(qtbot, preview, BLUE)

    preview.zoom.setCurrentIndex(preview.zoom.findText("150 %"))
    preview.show_pdf(coloured_pdf(RED, "Third"))
    assert preview.view.zoomMode() is QPdfView.ZoomMode.Custom
    assert preview.view.zoomFactor() == 1.5
    wait_painted(qtbot, preview, RED)


def test_a_bad_pdf_says_so_and_the_next_good_one_shows(qtbot: QtBot, preview: PdfPreview) -> None:
    preview.show_pdf(coloured_pdf(RED, "First"))
    with pytest.raises(PdfLoadError, match="could not be opened"):
        preview.show_pdf(b"%PDF-1.7 not really")
    assert preview.pages.currentWidget() is preview.placeholder
    assert preview.placeholder.text() == "The preview could not be shown."
    assert preview.page_count() == 0
    assert not preview.zoom.isEnabled()

    preview.show_pdf(coloured_pdf(BLUE, "Second"))
    assert preview.page_count() == 3
    assert preview.zoom.isEnabled()
    wait_painted(qtbot, preview, BLUE)
