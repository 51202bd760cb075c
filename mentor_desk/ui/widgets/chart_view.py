"""A chart from :mod:`mentor_desk.reports.charts`, shown as SVG at the widget's size and palette.

The same ``Drawing`` code makes the PDF charts, so the window and the reports never disagree. The
chart is rebuilt (not just scaled) when the widget settles on a new size, so text stays at its
real size, and when the palette changes, so a dark window gets the dark style.

Nothing of ReportLab loads until a chart is first built (the Goals tab makes its view at
start-up, long before anyone looks at a chart), nor are the chart fonts registered with Qt.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QRectF, QSize, QTimer
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from mentor_desk.reports.charts import ChartFactory, to_svg

if TYPE_CHECKING:
    from reportlab.lib.colors import Color

    from mentor_desk.reports.charts import ChartStyle

_app_font_families: list[str] | None = None


def ensure_app_fonts() -> list[str]:
    """Register the bundled TTFs with Qt once (later calls do nothing); returns their families.

    The SVG from :func:`~mentor_desk.reports.charts.to_svg` names these families, so Qt draws
    chart text in the same fonts as the PDFs. Needs a QGuiApplication.
    """
    global _app_font_families
    if _app_font_families is None:
        from mentor_desk.reports import fonts

        families: set[str] = set()
        for path in fonts.font_files().values():
            font_id = QFontDatabase.addApplicationFont(path)
            if font_id != -1:
                families.update(QFontDatabase.applicationFontFamilies(font_id))
        _app_font_families = sorted(families)
    return list(_app_font_families)


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` has a dark window background."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _reportlab_colour(colour: QColor) -> Color:
    from reportlab.lib.colors import Color

    return Color(colour.redF(), colour.greenF(), colour.blueF())


class ChartView(QWidget):
    """Shows the ``Drawing`` that ``factory(width, height, style)`` builds.

    Bind data to a chart with :func:`~mentor_desk.reports.charts.chart_factory`. While the user
    drags the window edge the last chart is scaled (keeping its aspect ratio); once the size has
    been still for :attr:`RESIZE_DELAY_MS` it is rebuilt at the new size.
    """

    RESIZE_DELAY_MS = 150

    def __init__(
        self, factory: ChartFactory | None = None, *, title: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._factory = factory
        self._svg = b""
        self._built_size = QSize()
        self._renderer = QSvgRenderer(self)
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(self.RESIZE_DELAY_MS)
        self._resize_timer.timeout.connect(self.rebuild)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 100)
        self.set_title(title)

    def set_chart(self, factory: ChartFactory | None, *, title: str | None = None) -> None:
        """Show another chart (or none), rebuilt at once."""
        self._factory = factory
        if title is not None:
            self.set_title(title)
        self.rebuild()

    def set_title(self, title: str) -> None:
        """The chart's name for screen readers (the widget draws no title itself)."""
        self.setAccessibleName(title)
        self.setAccessibleDescription(f"Chart: {title}" if title else "Chart")

    def chart_style(self) -> ChartStyle:
        """Dark or light style after the palette, on the palette's own window colour."""
        from mentor_desk.reports.charts import ChartStyle

        base = ChartStyle.dark() if is_dark(self.palette()) else ChartStyle.light()
        window = self.palette().color(QPalette.ColorRole.Window)
        return replace(base, background=_reportlab_colour(window))

    def svg(self) -> bytes:
        """The SVG on show (empty before the first build)."""
        return self._svg

    def built_size(self) -> QSize:
        """The widget size the chart on show was built for."""
        return QSize(self._built_size)

    def rebuild(self) -> None:
        """Build the chart now at the current size and palette."""
        self._resize_timer.stop()
        if self._factory is None or self.width() <= 0 or self.height() <= 0:
            self._svg, self._built_size = b"", QSize()
            self._renderer.load(QByteArray())
        else:
            ensure_app_fonts()  # the SVG names the bundled fonts: Qt must know them first
            drawing = self._factory(self.width(), self.height(), self.chart_style())
            self._svg, self._built_size = to_svg(drawing), self.size()
            self._renderer.load(QByteArray(self._svg))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 260)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._built_size != self.size():
            self.rebuild()  # no blank first frame: build now, not after the resize delay

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._factory is not None and self.isVisible():
            self._resize_timer.start()  # restarting it is the debounce

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._factory is not None:
            self.rebuild()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Window))
        if self._svg and self._renderer.isValid():
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            self._renderer.render(painter, self._target_rect())
        painter.end()

    def _target_rect(self) -> QRectF:
        """The largest rectangle of the chart's aspect ratio, centred in the widget."""
        box = self._renderer.viewBoxF()
        if box.width() <= 0 or box.height() <= 0:
            return QRectF(self.rect())
        scale = min(self.width() / box.width(), self.height() / box.height())
        width, height = box.width() * scale, box.height() * scale
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)
