"""Building blocks of the charts in :mod:`mentor_desk.reports.charts`: style, text, legend, axes.

Everything here draws into ``reportlab.graphics`` shapes; nothing knows what a goal or a skill
is. Text always goes through :mod:`mentor_desk.reports.fonts`, so each run of a label is drawn in
a font that has its glyphs, right-to-left text is put into visual order, and labels that are too
long are cut with an ellipsis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib.colors import Color, HexColor

from mentor_desk.reports import fonts

Marker = Literal["circle", "square", "triangle", "diamond"]
Anchor = Literal["start", "middle", "end"]
NO_DATA = "No data yet"


@dataclass(frozen=True, slots=True)
class SeriesStyle:
    """How one data series looks. Lightness, marker and dash all differ between series, so they
    stay apart in greyscale print and for colour-blind readers."""

    colour: Color
    marker: Marker
    dash: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class ChartStyle:
    """Colours, fonts and size of a chart. Use :meth:`light`, :meth:`dark` or :meth:`print`."""

    width: float
    height: float
    background: Color | None
    foreground: Color  # axis lines
    text: Color
    muted: Color  # axis titles, "not rated", "No data yet"
    grid: Color
    gap: Color  # what needs attention: evidence gaps, the target date
    series: tuple[SeriesStyle, ...]
    font_name: str = fonts.REGULAR
    bold_font_name: str = fonts.BOLD
    font_size: float = 11.0
    line_width: float = 2.0

    @classmethod
    def light(cls, width: float = 480, height: float = 260) -> ChartStyle:
        """On-screen style for a light window (sizes in pixels)."""
        return cls(
            width=width,
            height=height,
            background=HexColor("#ffffff"),
            foreground=HexColor("#80868b"),
            text=HexColor("#202124"),
            muted=HexColor("#5f6368"),
            grid=HexColor("#e3e3e3"),
            gap=HexColor("#c0392b"),
            series=_series("#1f4e8c", "#e69f00", "#d55e00"),
        )

    @classmethod
    def dark(cls, width: float = 480, height: float = 260) -> ChartStyle:
        """On-screen style for a dark window (sizes in pixels)."""
        return cls(
            width=width,
            height=height,
            background=HexColor("#1e1e1e"),
            foreground=HexColor("#9aa0a6"),
            text=HexColor("#e8eaed"),
            muted=HexColor("#b0b4b8"),
            grid=HexColor("#3a3a3a"),
            gap=HexColor("#ff8a80"),
            series=_series("#8cc8ff", "#e67e22", "#7e57c2"),
        )

    @classmethod
    def print(cls, width: float = 440, height: float = 220) -> ChartStyle:
        """Style for paper (sizes in points): the light palette, no background, black text."""
        return replace(
            cls.light(width, height),
            background=None,
            foreground=HexColor("#555555"),
            text=HexColor("#000000"),
            muted=HexColor("#444444"),
            grid=HexColor("#d0d0d0"),
            gap=HexColor("#b03a2e"),
            font_size=8.0,
            line_width=1.4,
        )

    def sized(self, width: float, height: float) -> ChartStyle:
        """This style at another size."""
        return replace(self, width=float(width), height=float(height))

    def series_style(self, index: int) -> SeriesStyle:
        return self.series[index % len(self.series)]


def _series(*colours: str) -> tuple[SeriesStyle, ...]:
    markers: tuple[Marker, ...] = ("circle", "square", "triangle", "diamond")
    dashes: tuple[tuple[float, ...], ...] = ((), (5, 3), (1.5, 2.5), (6, 2, 1.5, 2))
    return tuple(
        SeriesStyle(HexColor(colour), markers[i % 4], dashes[i % 4])
        for i, colour in enumerate(colours)
    )


def canvas(style: ChartStyle) -> Drawing:
    fonts.register_fonts()
    drawing = Drawing(style.width, style.height)
    if style.background is not None:
        drawing.add(
            Rect(0, 0, style.width, style.height, fillColor=style.background, strokeColor=None)
        )
    return drawing


def text_shapes(
    x: float,
    y: float,
    text: str,
    style: ChartStyle,
    *,
    size: float | None = None,
    colour: Color | None = None,
    anchor: Anchor = "start",
    bold: bool = False,
    max_width: float | None = None,
) -> Group:
    """``text`` with its baseline at ``y``, one String per font run, cut to ``max_width``."""
    size = size or style.font_size
    base = style.bold_font_name if bold else style.font_name
    if max_width is not None:
        text = fonts.fit_text(text, max_width, base, size)
    runs = fonts.font_runs(fonts.visual_rtl(text), base)
    total = sum(width_of(run, font, size) for font, run in runs)
    x -= {"start": 0.0, "middle": total / 2, "end": total}[anchor]
    group = Group()
    for font, run in runs:
        group.add(String(x, y, run, fontName=font, fontSize=size, fillColor=colour or style.text))
        x += width_of(run, font, size)
    return group


def width_of(text: str, font: str, size: float) -> float:
    return fonts.text_width(text, font, size)


def measure(text: str, style: ChartStyle, size: float | None = None) -> float:
    return width_of(fonts.visual_rtl(text), style.font_name, size or style.font_size)


def no_data(style: ChartStyle) -> Drawing:
    drawing = canvas(style)
    drawing.add(
        text_shapes(
            style.width / 2,
            style.height / 2 - style.font_size * 0.35,
            NO_DATA,
            style,
            size=style.font_size * 1.2,
            colour=style.muted,
            anchor="middle",
        )
    )
    return drawing


def marker_shape(
    kind: Marker, x: float, y: float, r: float, series: SeriesStyle, style: ChartStyle
) -> Circle | Rect | Polygon:
    paint = {"fillColor": series.colour, "strokeColor": style.background, "strokeWidth": 1}
    if style.background is None:
        paint["strokeColor"] = None
    if kind == "circle":
        return Circle(x, y, r, **paint)
    if kind == "square":
        return Rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8, **paint)
    if kind == "triangle":
        return Polygon(
            [x - r * 1.1, y - r * 0.9, x + r * 1.1, y - r * 0.9, x, y + r * 1.2], **paint
        )
    return Polygon([x, y - r * 1.2, x + r * 1.2, y, x, y + r * 1.2, x - r * 1.2, y], **paint)


def hatch(x: float, y: float, w: float, h: float, colour: Color, spacing: float) -> Group:
    """Diagonal lines filling the rectangle, clipped by hand (shapes have no clip paths)."""
    group = Group()
    offset = -h
    while offset < w:
        t0, t1 = max(0.0, -offset), min(h, w - offset)
        if t1 > t0:
            group.add(Line(x + offset + t0, y + t0, x + offset + t1, y + t1, strokeColor=colour))
        offset += spacing
    return group


@dataclass(frozen=True, slots=True)
class LegendItem:
    label: str
    series: SeriesStyle
    kind: Literal["bar", "line", "rule", "gap"]


def _legend_labels(items: Sequence[LegendItem], style: ChartStyle) -> list[tuple[str, float]]:
    """Each legend label, cut so the whole row fits the drawing, with its width incl. swatch."""
    size = style.font_size
    room = style.width - 2 * padding(style) - size * 1.2 * (len(items) - 1)
    each = max(size, room / len(items) - size * 2.0)
    labels = [item.label for item in items]
    if sum(measure(label, style) + size * 2.0 for label in labels) > room:
        labels = [fonts.fit_text(label, each, style.font_name, size) for label in labels]
    return [(label, size * 2.0 + measure(label, style)) for label in labels]


def _legend_width(labels: Sequence[tuple[str, float]], style: ChartStyle) -> float:
    return sum(width for _, width in labels) + style.font_size * 1.2 * (len(labels) - 1)


def legend_group(items: Sequence[LegendItem], right: float, top: float, style: ChartStyle) -> Group:
    """A one-row legend whose right edge is ``right`` and whose top is ``top``."""
    size = style.font_size
    swatch = size * 1.6
    labels = _legend_labels(items, style)
    x, middle = right - _legend_width(labels, style), top - size * 0.7
    group = Group()
    for item, (label, width) in zip(items, labels, strict=True):
        s = item.series
        if item.kind == "bar":
            group.add(bar(x, middle - size * 0.4, swatch, size * 0.8, s.colour))
        elif item.kind == "gap":
            group.add(gap_box(x, middle - size * 0.4, swatch, size * 0.8, style))
        else:
            group.add(rule(x, middle, x + swatch, middle, s, 1.5))
            if item.kind == "line":
                group.add(marker_shape(s.marker, x + swatch / 2, middle, size * 0.3, s, style))
        group.add(text_shapes(x + swatch + size * 0.4, middle - size * 0.35, label, style))
        x += width + size * 1.2
    return group


def bar(x: float, y: float, w: float, h: float, colour: Color) -> Rect:
    return Rect(x, y, w, h, fillColor=colour, strokeColor=None)


def rule(x0: float, y0: float, x1: float, y1: float, s: SeriesStyle, width: float) -> Line:
    return Line(
        x0, y0, x1, y1, strokeColor=s.colour, strokeWidth=width, strokeDashArray=s.dash or None
    )


def gap_box(x: float, y: float, w: float, h: float, style: ChartStyle) -> Group:
    group = hatch(x, y, w, h, style.gap, spacing=max(3.0, h / 2.5))
    group.add(Rect(x, y, w, h, fillColor=None, strokeColor=style.gap, strokeDashArray=[3, 2]))
    return group


def _nice_step(top: float, max_ticks: int) -> int:
    for magnitude in (1, 10, 100, 1000, 10000):
        for step in (1, 2, 5):
            if math.ceil(top / (step * magnitude)) <= max_ticks:
                return step * magnitude
    return math.ceil(top / max(1, max_ticks))


@dataclass(frozen=True, slots=True)
class Plot:
    """The plot rectangle in drawing coordinates (y up) and the value at the value axis' end."""

    x0: float
    y0: float
    x1: float
    y1: float
    top: int

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0


def padding(style: ChartStyle) -> float:
    return style.font_size * 0.6


def draw_header(
    drawing: Drawing, style: ChartStyle, legend: Sequence[LegendItem], axis_title: str = ""
) -> float:
    """Axis title top left, legend top right; returns the height they take (0 if none)."""
    if not legend and not axis_title:
        return 0.0
    pad, size = padding(style), style.font_size
    top = style.height - pad
    legend_width = _legend_width(_legend_labels(legend, style), style) if legend else 0.0
    if legend:
        drawing.add(legend_group(legend, style.width - pad, top, style))
    room = style.width - 2 * pad - legend_width - size
    if axis_title and room > size * 3:
        drawing.add(
            text_shapes(
                pad, top - size * 1.05, axis_title, style, colour=style.muted, max_width=room
            )
        )
    return size * 2.3


def draw_value_axis(
    drawing: Drawing, plot: Plot, step: int, style: ChartStyle, *, vertical: bool, suffix: str
) -> None:
    """Grid lines and tick labels for the value axis (0..plot.top), then the base line."""
    size = style.font_size
    for value in range(0, plot.top + 1, step):
        label = f"{value}{suffix}"
        if vertical:
            y = plot.y0 + plot.h * value / plot.top
            drawing.add(Line(plot.x0, y, plot.x1, y, strokeColor=style.grid, strokeWidth=0.8))
            drawing.add(
                text_shapes(
                    plot.x0 - size * 0.5,
                    y - size * 0.35,
                    label,
                    style,
                    anchor="end",
                    colour=style.muted,
                )
            )
        else:
            x = plot.x0 + plot.w * value / plot.top
            drawing.add(Line(x, plot.y0, x, plot.y1, strokeColor=style.grid, strokeWidth=0.8))
            drawing.add(
                text_shapes(
                    x, plot.y0 - size * 1.3, label, style, anchor="middle", colour=style.muted
                )
            )
    end = (plot.x1, plot.y0) if vertical else (plot.x0, plot.y1)
    drawing.add(Line(plot.x0, plot.y0, *end, strokeColor=style.foreground))


def ticks_that_fit(top: float, length: float, label_room: float) -> tuple[int, int]:
    """(step, rounded top) for a 0..top axis of ``length`` whose labels need ``label_room``."""
    step = _nice_step(max(top, 1), max(1, int(length / label_room)))
    return step, max(step, math.ceil(max(top, 1) / step) * step)


def category_frame(
    style: ChartStyle,
    labels: Sequence[str],
    *,
    top_value: float,
    right_reserve: float,
    legend: Sequence[LegendItem],
    x_title: str,
) -> tuple[Drawing, Plot, list[float], float]:
    """Canvas, plot area, category labels and value axis for a horizontal bar chart.

    Returns the drawing, the plot, the vertical centre of each category's band and the band
    height. Labels longer than ~38 % of the width are cut with an ellipsis.
    """
    drawing = canvas(style)
    pad, size = padding(style), style.font_size
    label_width = min(max(measure(label, style) for label in labels), style.width * 0.38)
    header = draw_header(drawing, style, legend)
    bottom = pad + size * 1.6 + (size * 1.4 if x_title else 0.0)
    x0 = pad + max(label_width, size * 2) + size * 0.6
    x1 = max(x0 + size, style.width - pad - right_reserve)
    step, top = ticks_that_fit(top_value, x1 - x0, measure(f"{top_value:.0f}", style) + size)
    plot = Plot(x0, bottom, x1, max(bottom + size, style.height - pad - header), top)
    draw_value_axis(drawing, plot, step, style, vertical=False, suffix="")
    if x_title:
        drawing.add(
            text_shapes(
                plot.x0 + plot.w / 2, pad, x_title, style, anchor="middle", colour=style.muted
            )
        )
    band = plot.h / len(labels)
    centres = [plot.y1 - band * (i + 0.5) for i in range(len(labels))]
    label_size = min(size, band * 0.8)
    for label, centre in zip(labels, centres, strict=True):
        drawing.add(
            text_shapes(
                plot.x0 - size * 0.6,
                centre - label_size * 0.35,
                label,
                style,
                size=label_size,
                anchor="end",
                max_width=label_width,
            )
        )
    return drawing, plot, centres, band


def column_frame(
    style: ChartStyle,
    *,
    top_value: float,
    suffix: str,
    axis_title: str,
    legend: Sequence[LegendItem],
    label_lines: int,
) -> tuple[Drawing, Plot]:
    """Canvas, plot area and value axis (left) for a chart with time along the bottom."""
    drawing = canvas(style)
    pad, size = padding(style), style.font_size
    header = draw_header(drawing, style, legend, axis_title)
    bottom = pad + size * (1.25 * label_lines + 0.4)
    height = style.height - pad - header - bottom
    step, top = ticks_that_fit(top_value, height, size * 2.6)
    x0 = pad + measure(f"{top}{suffix}", style) + size * 0.5
    x1 = max(x0 + size, style.width - pad - size)
    plot = Plot(x0, bottom, x1, max(bottom + size, style.height - pad - header), top)
    draw_value_axis(drawing, plot, step, style, vertical=True, suffix=suffix)
    return drawing, plot


def draw_x_label(
    drawing: Drawing, x: float, line: int, text: str, plot: Plot, style: ChartStyle
) -> None:
    """A label centred under ``x`` on label line ``line``, kept inside the drawing."""
    size, pad = style.font_size, padding(style)
    half = measure(text, style) / 2
    x = min(max(x, pad + half), style.width - pad - half)
    baseline = plot.y0 - size * (1.25 * line + 0.05)
    drawing.add(text_shapes(x, baseline, text, style, anchor="middle", colour=style.muted))
