"""The chart view draws the report charts, rebuilds them after a resize and follows the palette."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFontDatabase, QImage, QPalette
from pytestqt.qtbot import QtBot
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color

from mentor_desk.reports.charts import (
    ChartFactory,
    ChartStyle,
    cadence_chart,
    chart_factory,
    skills_before_after_chart,
)
from mentor_desk.ui.widgets.chart_view import ChartView, ensure_app_fonts, is_dark

pytestmark = pytest.mark.gui

MONTHS = [(date(2025, month, 1), (month * 7) % 6) for month in range(1, 9)]


def colours(image: QImage, step: int = 3) -> set[int]:
    return {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }


def svg_fill(colour: Color) -> str:
    """A fill colour as ReportLab's SVG renderer spells it (whole per cent)."""
    red, green, blue = (int(c * 100) for c in (colour.red, colour.green, colour.blue))
    return f"fill: rgb({red}%,{green}%,{blue}%)"


def counting(factory: ChartFactory) -> tuple[ChartFactory, list[tuple[float, float]]]:
    """Wrap ``factory`` to record the size of each build."""
    calls: list[tuple[float, float]] = []

    def build(width: float, height: float, style: ChartStyle) -> Drawing:
        calls.append((width, height))
        return factory(width, height, style)

    return build, calls


@pytest.fixture
def make_view(qtbot: QtBot) -> Callable[..., ChartView]:
    def make(factory: ChartFactory | None, title: str = "Sessions per month") -> ChartView:
        view = ChartView(factory, title=title)
        qtbot.addWidget(view)
        view.resize(600, 300)
        view.show()
        qtbot.waitUntil(lambda: view.built_size() == QSize(600, 300) or factory is None)
        return view

    return make


def test_renders_a_chart_with_several_colours(make_view: Callable[..., ChartView]) -> None:
    view = make_view(chart_factory(cadence_chart, MONTHS, expected_per_month=2))
    image = view.grab().toImage()
    assert image.size() == QSize(600, 300)
    assert len(colours(image)) >= 5  # background, bars, grid, text, the expected line
    assert view.accessibleName() == "Sessions per month"
    assert float(ET.fromstring(view.svg()).get("width", "0")) == 600


def test_without_a_chart_only_the_background_is_painted(
    make_view: Callable[..., ChartView],
) -> None:
    view = make_view(None)
    assert view.svg() == b""
    assert len(colours(view.grab().toImage())) == 1


def test_resizing_rebuilds_once_after_the_drag_settles(
    qtbot: QtBot, make_view: Callable[..., ChartView]
) -> None:
    factory, calls = counting(chart_factory(cadence_chart, MONTHS))
    view = make_view(factory)
    builds = len(calls)
    for width in range(610, 800, 10):  # a drag: many sizes in quick succession
        view.resize(width, 400)
    assert len(calls) == builds  # nothing rebuilt yet: debounced
    assert view.built_size() == QSize(600, 300)
    qtbot.waitUntil(lambda: view.built_size() == QSize(790, 400))
    assert calls[builds:] == [(790, 400)]
    assert float(ET.fromstring(view.svg()).get("width", "0")) == 790


def test_a_dark_palette_switches_to_the_dark_style(make_view: Callable[..., ChartView]) -> None:
    view = make_view(chart_factory(cadence_chart, MONTHS))
    assert view.chart_style().text == ChartStyle.light().text
    light_svg = view.svg()

    view.setPalette(QPalette(QColor("#202020")))

    assert is_dark(view.palette())
    assert view.chart_style().text == ChartStyle.dark().text
    assert view.svg() != light_svg
    assert svg_fill(ChartStyle.dark().text) in view.svg().decode()
    assert svg_fill(ChartStyle.light().text) not in view.svg().decode()
    image = view.grab().toImage()
    assert QColor(image.pixel(2, 2)).lightness() < 60  # the window colour, not a white box


def test_crisp_at_device_pixel_ratio_2(make_view: Callable[..., ChartView]) -> None:
    view = make_view(chart_factory(cadence_chart, MONTHS, expected_per_month=2))
    image = QImage(1200, 600, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(2)
    image.fill(QColor("white"))
    view.render(image)
    right_half = image.copy(600, 0, 600, 600)
    assert len(colours(right_half)) >= 4  # drawn over the whole 2x image, not a quarter of it
    assert QColor(image.pixel(1199, 599)) != QColor("white")


def test_bundled_fonts_are_registered_once_and_named_in_the_svg(
    make_view: Callable[..., ChartView],
) -> None:
    families = ensure_app_fonts()
    assert ensure_app_fonts() == families
    assert {"DejaVu Sans", "Droid Sans Fallback"} <= set(families)
    assert set(families) <= set(QFontDatabase.families())
    data = [("李伟 张伟", 3, 6), ("Zoë", 2, 8)]
    view = make_view(chart_factory(skills_before_after_chart, data), title="Skills")
    assert "font-family: 'Droid Sans Fallback'" in view.svg().decode()
    assert view.accessibleName() == "Skills"
