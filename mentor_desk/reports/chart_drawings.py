"""The drawing code of the charts in :mod:`mentor_desk.reports.charts` (see there).

Imported on the first chart drawn, not with :mod:`~mentor_desk.reports.charts`, so the window
starts without loading ReportLab's graphics.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from xml.dom import minidom

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing, Line, PolyLine

from mentor_desk.reports import fonts
from mentor_desk.reports.chart_parts import (
    ChartStyle,
    LegendItem,
    SeriesStyle,
    bar,
    category_frame,
    column_frame,
    draw_x_label,
    gap_box,
    marker_shape,
    measure,
    no_data,
    rule,
    text_shapes,
    width_of,
)

# Fixed English names: calendar.month_abbr follows the process locale, which Qt changes at start-up.
_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_LRO, _PDF = "\u202d", "\u202c"  # left-to-right override, pop directional formatting


def skills_before_after_chart(
    changes: Sequence[tuple[str, int | None, int | None]],
    *,
    before_label: str = "Before",
    after_label: str = "After",
    style: ChartStyle | None = None,
) -> Drawing:
    """Grouped horizontal bars: each skill's level (0-10) before and after; None is "not rated"."""
    style = style or ChartStyle.light()
    if not changes:
        return no_data(style)
    before_s, after_s = style.series_style(1), style.series_style(0)
    small = style.font_size * 0.85
    legend = [LegendItem(before_label, before_s, "bar"), LegendItem(after_label, after_s, "bar")]
    drawing, plot, centres, band = category_frame(
        style,
        [name for name, _, _ in changes],
        top_value=10,
        right_reserve=measure("10", style, small) + style.font_size * 0.6,
        legend=legend,
        x_title="Level",
    )
    thick = min(band * 0.36, style.font_size * 1.3)
    for (_, before, after), centre in zip(changes, centres, strict=True):
        for value, s, y in (
            (before, before_s, centre + 0.5),
            (after, after_s, centre - 0.5 - thick),
        ):
            size = min(small, thick * 1.1)
            baseline = y + thick / 2 - size * 0.35
            if value is None:
                drawing.add(
                    text_shapes(
                        plot.x0 + 3, baseline, "not rated", style, size=size, colour=style.muted
                    )
                )
                continue
            value = max(0, min(10, value))
            width = plot.w * value / plot.top
            drawing.add(bar(plot.x0, y, width, thick, s.colour))
            drawing.add(text_shapes(plot.x0 + width + 3, baseline, str(value), style, size=size))
    return drawing


def coverage_chart(
    rows: Sequence[tuple[str, int, bool]],
    *,
    count_label: str = "Evidence items",
    style: ChartStyle | None = None,
) -> Drawing:
    """Evidence count per area (code, count, is_gap); gaps are hatched and marked "gap"."""
    style = style or ChartStyle.light()
    if not rows:
        return no_data(style)
    size = style.font_size
    most = max(max(count, 0) for _, count, _ in rows)
    has_gap = any(gap for _, _, gap in rows)
    gap_width = width_of(" gap", style.bold_font_name, size) if has_gap else 0.0
    legend = [LegendItem(count_label, style.series_style(0), "bar")]
    if has_gap:
        legend.append(LegendItem("Gap", style.series_style(0), "gap"))
    drawing, plot, centres, band = category_frame(
        style,
        [code for code, _, _ in rows],
        top_value=most,
        right_reserve=measure(str(most), style) + gap_width + size * 0.6,
        legend=legend if has_gap else [],
        x_title=count_label,
    )
    thick = min(band * 0.62, size * 1.6)
    for (_, count, gap), centre in zip(rows, centres, strict=True):
        count = max(count, 0)
        y, width = centre - thick / 2, plot.w * count / plot.top
        if gap:
            width = max(width, min(plot.w * 0.08, size * 3))
            drawing.add(gap_box(plot.x0, y, width, thick, style))
        else:
            drawing.add(bar(plot.x0, y, width, thick, style.series_style(0).colour))
        x, baseline = plot.x0 + width + 3, centre - size * 0.35
        drawing.add(text_shapes(x, baseline, str(count), style))
        if gap:
            x += measure(str(count), style) + size * 0.3
            drawing.add(text_shapes(x, baseline, "gap", style, colour=style.gap, bold=True))
    return drawing


def _day_label(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month]} {day.year}"


def _date_ticks(start: date, end: date, width: float, style: ChartStyle) -> list[tuple[date, str]]:
    """The finest day or month ticks between ``start`` and ``end`` whose labels fit ``width``."""
    span = (end - start).days
    candidates: list[list[tuple[date, str]]] = []
    for step in (1, 2, 7, 14):
        if span // step <= 40:
            days = [start + timedelta(days=i) for i in range(0, span + 1, step)]
            candidates.append([(d, f"{d.day} {_MONTHS[d.month]}") for d in days])
    first = start.year * 12 + start.month - (1 if start.day == 1 else 0)
    last = end.year * 12 + end.month - 1
    for step in (1, 2, 3, 6, 12, 24, 60):
        months = [date(m // 12, m % 12 + 1, 1) for m in range(first, last + 1) if m % step == 0]
        candidates.append([(d, f"{_MONTHS[d.month]} {d.year}") for d in months])
    room = style.font_size * 1.2
    for ticks in candidates:
        if ticks and len(ticks) * (max(measure(t, style) for _, t in ticks) + room) <= width:
            return ticks
    return [(start, _day_label(start))]


def goal_progress_chart(
    points: Sequence[tuple[date, int]],
    *,
    target_date: date | None = None,
    style: ChartStyle | None = None,
) -> Drawing:
    """Progress (0-100 %) over time as a line with markers, and the target date if given.

    The date axis spans the data and, if it lies outside, the target date.
    """
    style = style or ChartStyle.light()
    if not points:
        return no_data(style)
    data = sorted((day, max(0, min(100, int(value)))) for day, value in points)
    start, end = data[0][0], data[-1][0]
    if target_date is not None:
        start, end = min(start, target_date), max(end, target_date)
    if start == end:
        start, end = start - timedelta(days=7), end + timedelta(days=7)
    line, target = style.series_style(0), SeriesStyle(style.gap, "circle", (4, 3))
    legend = []  # one line needs no legend; the target line does
    if target_date is not None:
        legend = [
            LegendItem("Progress", line, "line"),
            LegendItem(f"Target {_day_label(target_date)}", target, "rule"),
        ]
    drawing, plot = column_frame(
        style, top_value=100, suffix="%", axis_title="", legend=legend, label_lines=1
    )
    inset, span = style.font_size * 0.8, (end - start).days

    def x_of(day: date) -> float:
        return plot.x0 + inset + (plot.w - 2 * inset) * (day - start).days / span

    for day, label in _date_ticks(start, end, plot.w - 2 * inset, style):
        drawing.add(Line(x_of(day), plot.y0, x_of(day), plot.y0 - 3, strokeColor=style.foreground))
        draw_x_label(drawing, x_of(day), 1, label, plot, style)
    if target_date is not None:
        x = x_of(target_date)
        drawing.add(rule(x, plot.y0, x, plot.y1, target, 1.2))
    xy = [(x_of(day), plot.y0 + plot.h * value / 100) for day, value in data]
    drawing.add(
        PolyLine([c for p in xy for c in p], strokeColor=line.colour, strokeWidth=style.line_width)
    )
    for x, y in xy:
        drawing.add(marker_shape(line.marker, x, y, style.line_width + 1.5, line, style))
    return drawing


def cadence_chart(
    months: Sequence[tuple[date, int]],
    *,
    expected_per_month: float | None = None,
    style: ChartStyle | None = None,
) -> Drawing:
    """Sessions per month as columns, with the expected rate as a dashed line.

    Dates count by their month; months missing between the first and last are shown as 0.
    """
    style = style or ChartStyle.light()
    if not months:
        return no_data(style)
    counts: dict[int, int] = {}
    for day, count in months:
        key = day.year * 12 + day.month - 1
        counts[key] = counts.get(key, 0) + max(count, 0)
    keys = list(range(min(counts), max(counts) + 1))
    values = [counts.get(key, 0) for key in keys]
    expected = None if expected_per_month is None else max(0.0, float(expected_per_month))
    bars, rate = style.series_style(0), style.series_style(1)
    legend = []
    if expected is not None:
        legend = [
            LegendItem("Sessions", bars, "bar"),
            LegendItem(f"Expected ({expected:g} a month)", rate, "rule"),
        ]
    drawing, plot = column_frame(
        style,
        top_value=max(max(values) * 1.1 + 0.5, expected or 0),  # room for the counts on top
        suffix="",
        axis_title="Sessions per month",
        legend=legend,
        label_lines=2,
    )
    size, slot = style.font_size, plot.w / len(keys)
    bar_width = min(slot * 0.7, size * 4)
    label_every = next(
        (k for k in (1, 2, 3, 4, 6, 12) if slot * k >= measure("May", style) + size * 0.6), 12
    )
    show_counts = slot >= measure(str(max(values)), style) + 2
    shown_year = None
    for i, (key, value) in enumerate(zip(keys, values, strict=True)):
        centre = plot.x0 + slot * (i + 0.5)
        height = plot.h * value / plot.top
        drawing.add(bar(centre - bar_width / 2, plot.y0, bar_width, height, bars.colour))
        if show_counts and value:
            drawing.add(
                text_shapes(
                    centre,
                    plot.y0 + height + 2,
                    str(value),
                    style,
                    size=size * 0.85,
                    anchor="middle",
                )
            )
        if i % label_every == 0:  # the first month always gets a label
            year, month = divmod(key, 12)
            draw_x_label(drawing, centre, 1, _MONTHS[month + 1], plot, style)
            if year != shown_year:
                draw_x_label(drawing, centre, 2, str(year), plot, style)
                shown_year = year
    if expected is not None:
        y = plot.y0 + plot.h * expected / plot.top
        drawing.add(rule(plot.x0, y, plot.x1, y, rate, style.line_width))
    return drawing


def _qt_style(style_attribute: str) -> str:
    """Name fonts as Qt knows them (``DejaVuSans-Bold`` -> family, weight, style) and spell
    ``none`` the way Qt's SVG parser reads it (ReportLab writes ``fill: None``)."""
    out: list[str] = []
    for declaration in filter(None, (d.strip() for d in style_attribute.split(";"))):
        name, _, value = (part.strip() for part in declaration.partition(":"))
        face = fonts.FONT_FACES.get(value) if name == "font-family" else None
        if face is not None:
            family, weight, slant = face
            out += [f"font-family: '{family}'", f"font-weight: {weight}", f"font-style: {slant}"]
        else:
            out.append(f"{name}: {'none' if value == 'None' else value}")
    return "; ".join(out) + ";"


def to_svg(drawing: Drawing) -> bytes:
    """``drawing`` as UTF-8 SVG for Qt, with the font family names Qt knows the bundled TTFs by.

    Right-to-left text in the drawing is already in visual order (ReportLab draws glyphs left to
    right as given), so it is wrapped in a left-to-right override: Qt would otherwise run the
    bidi algorithm over it a second time and reverse it again.
    """
    document = minidom.parseString(renderSVG.drawToString(drawing).encode("utf-8"))
    for element in document.getElementsByTagName("*"):
        if element.hasAttribute("style"):
            element.setAttribute("style", _qt_style(element.getAttribute("style")))
        if element.tagName == "text":
            for node in element.childNodes:
                if node.nodeType == node.TEXT_NODE and fonts.has_rtl(node.data):
                    node.data = f"{_LRO}{node.data}{_PDF}"
    return document.toxml(encoding="utf-8")
