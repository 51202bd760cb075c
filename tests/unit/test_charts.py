"""The charts build for any data, stay inside their drawing, and read the same in SVG and PDF."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import Color
from reportlab.platypus import SimpleDocTemplate, Spacer

from mentor_desk.reports import charts, fonts
from mentor_desk.reports.charts import ChartStyle

SVG = "{http://www.w3.org/2000/svg}"
LONG_NAME = "Stakeholder communication across teams " * 8  # 312 characters
HOSTILE = ["<b>&", "李伟 张伟", "ليلى حداد", LONG_NAME[:300]]
QT_FAMILIES = {"DejaVu Sans", "Droid Sans Fallback"}

Chart = Callable[..., Drawing]

NORMAL: dict[str, tuple[Chart, list[Any], dict[str, Any]]] = {
    "goal": (
        charts.goal_progress_chart,
        [(date(2025, 1, 6), 0), (date(2025, 2, 3), 20), (date(2025, 4, 2), 70)],
        {"target_date": date(2025, 6, 30)},
    ),
    "skills": (
        charts.skills_before_after_chart,
        [("Delegation", 3, 6), ("Feedback", None, 7), ("Planning", 5, None)],
        {"before_label": "January", "after_label": "June"},
    ),
    "coverage": (charts.coverage_chart, [("LMP-1", 5, False), ("LMP-2", 0, True)], {}),
    "cadence": (
        charts.cadence_chart,
        [(date(2025, 1, 1), 2), (date(2025, 2, 1), 3), (date(2025, 4, 1), 1)],
        {"expected_per_month": 2},
    ),
}
ONE_POINT: dict[str, list[Any]] = {
    "goal": [(date(2025, 3, 10), 45)],
    "skills": [("Delegation", 4, 4)],
    "coverage": [("LMP-1", 1, False)],
    "cadence": [(date(2025, 3, 1), 1)],
}
EXTREMES: dict[str, list[Any]] = {
    "goal": [
        (date(2025, 1, 1), 0),
        (date(2025, 1, 2), 100),
        (date(2025, 1, 3), -5),
        (date(2025, 1, 4), 150),
    ],
    "skills": [("Lowest", 0, 0), ("Highest", 10, 10), ("Out of range", -3, 14)],
    "coverage": [("None", 0, False), ("Lots", 10_000, False), ("Gap", 0, True)],
    "cadence": [(date(2024, 1, 1), 0), (date(2025, 12, 1), 0)],
}


def strings(node: Any) -> Iterator[String]:
    for child in getattr(node, "contents", []):
        if isinstance(child, String):
            yield child
        else:
            yield from strings(child)


def texts(drawing: Drawing) -> list[str]:
    return [s.text for s in strings(drawing)]


def svg_texts(svg: bytes) -> list[tuple[str, str]]:
    """(text, style) of each <text> element; parsing also proves the SVG is well-formed."""
    root = ET.fromstring(svg)
    return [(el.text or "", el.get("style", "")) for el in root.iter(f"{SVG}text")]


def build(name: str, data: list[Any] | None = None, style: ChartStyle | None = None) -> Drawing:
    chart, normal, options = NORMAL[name]
    return chart(normal if data is None else data, style=style or ChartStyle.light(), **options)


@pytest.mark.parametrize("name", NORMAL)
def test_normal_data_builds_a_drawing_of_the_requested_size(name: str) -> None:
    drawing = build(name, style=ChartStyle.light(520, 240))
    assert (drawing.width, drawing.height) == (520, 240)
    assert charts.NO_DATA not in texts(drawing)
    assert len(texts(drawing)) >= 5


@pytest.mark.parametrize("name", NORMAL)
def test_empty_data_gives_a_no_data_drawing(name: str) -> None:
    drawing = build(name, [], ChartStyle.dark(300, 200))
    assert texts(drawing) == [charts.NO_DATA]
    assert (drawing.width, drawing.height) == (300, 200)


@pytest.mark.parametrize(("name", "data"), [*ONE_POINT.items(), *EXTREMES.items()])
def test_one_point_and_extremes_build(name: str, data: list[Any]) -> None:
    drawing = build(name, data)
    assert charts.NO_DATA not in texts(drawing)
    assert_inside(drawing)


def test_goal_values_are_clamped_to_0_and_100() -> None:
    drawing = build("goal", EXTREMES["goal"], ChartStyle.light(400, 200))
    polyline = next(s for s in drawing.contents if type(s).__name__ == "PolyLine")
    ys = polyline.points[1::2]
    assert len(set(ys)) == 2  # -5 draws as 0 and 150 as 100


def test_skill_levels_outside_0_10_are_clamped_and_none_is_not_rated() -> None:
    words = texts(build("skills", [("Out of range", -3, 14), ("Unrated", None, None)]))
    assert {"0", "10"} <= set(words)
    assert words.count("not rated") == 2


def test_coverage_marks_each_gap_with_the_word_gap() -> None:
    rows = [("A", 3, False), ("B", 0, True), ("C", 2, True)]
    words = texts(charts.coverage_chart(rows, style=ChartStyle.print()))
    assert words.count("gap") == 2
    assert "Gap" in words  # the legend


def test_cadence_shows_missing_months_as_zero() -> None:
    words = texts(build("cadence", [(date(2025, 1, 15), 2), (date(2025, 4, 2), 1)]))
    assert {"Jan", "Feb", "Mar", "Apr", "2025"} <= set(words)
    assert "Expected (2 a month)" in words


def test_goal_axis_spans_the_data_and_a_later_target_date() -> None:
    drawing = build("goal", style=ChartStyle.light(700, 260))
    words = texts(drawing)
    assert "Target 30 Jun 2025" in words
    assert {"Feb 2025", "Jun 2025"} <= set(words)


@pytest.mark.parametrize("name", ["skills", "coverage"])
def test_hostile_labels_build_and_reach_the_svg_escaped(name: str) -> None:
    data = (
        [(label, 4, 7) for label in HOSTILE]
        if name == "skills"
        else [(label, 3, False) for label in HOSTILE]
    )
    svg = charts.to_svg(build(name, data, ChartStyle.light(600, 320)))
    assert b"&lt;b&gt;&amp;" in svg
    found = dict(svg_texts(svg))
    assert "<b>&" in found
    assert "'Droid Sans Fallback'" in found["李伟 张伟"]
    arabic = fonts.visual_rtl("ليلى حداد")
    assert "\u202d" + arabic + "\u202c" in found  # kept in ReportLab's visual order by Qt
    cut = [text for text in found if text.endswith(fonts.ELLIPSIS)]
    assert len(cut) == 1
    assert LONG_NAME.startswith(cut[0][:-1])
    assert LONG_NAME[:300] not in found


@pytest.mark.parametrize("name", NORMAL)
def test_svg_names_only_font_families_qt_knows(name: str) -> None:
    data = NORMAL[name][1]
    if name in ("skills", "coverage"):
        data = [(f"李 {row[0]}", *row[1:]) for row in data]
    svg = charts.to_svg(build(name, data))
    families = {
        part.split(":", 1)[1].strip().strip("'")
        for _, style in svg_texts(svg)
        for part in style.split(";")
        if part.strip().startswith("font-family")
    }
    assert families == QT_FAMILIES if name in ("skills", "coverage") else families <= QT_FAMILIES
    assert b"DejaVuSans" not in svg
    assert b"fill: None" not in svg  # Qt reads that as black


def test_bold_text_becomes_a_bold_weight_in_svg() -> None:
    svg = charts.to_svg(build("coverage"))
    gap_style = next(style for text, style in svg_texts(svg) if text == "gap")
    assert "font-weight: bold" in gap_style
    assert "font-family: 'DejaVu Sans'" in gap_style


def test_all_charts_draw_into_a_pdf_with_readable_labels(tmp_path: Path) -> None:
    style = ChartStyle.print()
    story: list[Any] = []
    for name in NORMAL:
        story += [build(name, style=style), Spacer(1, 12)]
    skills = [("李伟 张伟", 2, 5), ("<b>&", 1, 9), ("Zoë Łukasz Müller", 4, 4)]
    story.append(build("skills", skills, style))
    path = tmp_path / "charts.pdf"
    SimpleDocTemplate(str(path)).build(story)

    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    for label in ["100%", "Feb 2025", "Level", "Evidence items", "Sessions per month", "Jan"]:
        assert label in text
    for name in ["Delegation", "LMP-2", "李伟 张伟", "<b>&", "Zoë Łukasz Müller", "not rated"]:
        assert name in text


def test_dark_and_light_styles_differ_in_colours() -> None:
    light, dark = ChartStyle.light(), ChartStyle.dark()
    for field in ("background", "text", "grid", "foreground"):
        assert getattr(light, field) != getattr(dark, field)
    assert [s.colour for s in light.series] != [s.colour for s in dark.series]
    assert charts.to_svg(build("cadence", style=light)) != charts.to_svg(
        build("cadence", style=dark)
    )


def lightness(colour: Color) -> float:
    """CIE L* of an sRGB colour: what is left of it in greyscale."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    y = 0.2126 * linear(colour.red) + 0.7152 * linear(colour.green) + 0.0722 * linear(colour.blue)
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


@pytest.mark.parametrize("preset", [ChartStyle.light, ChartStyle.dark, ChartStyle.print])
def test_series_stay_distinguishable_in_greyscale(preset: Callable[[], ChartStyle]) -> None:
    series = preset().series
    assert len(series) >= 3
    for a, b in itertools.combinations(series, 2):
        assert abs(lightness(a.colour) - lightness(b.colour)) >= 15
        assert a.marker != b.marker
        assert a.dash != b.dash


def assert_inside(drawing: Drawing) -> None:
    """Every label lies inside the drawing: nothing is clipped at an edge."""
    for s in strings(drawing):
        width = fonts.text_width(s.text, s.fontName, s.fontSize)
        assert s.x >= -0.5, s.text
        assert s.x + width <= drawing.width + 0.5, s.text
        assert s.y >= -0.5, s.text
        assert s.y + s.fontSize * 0.8 <= drawing.height + 0.5, s.text


@pytest.mark.parametrize(
    ("name", "size", "preset"),
    list(
        itertools.product(
            NORMAL, [(160, 100), (300, 150), (600, 300), (1200, 500)], ["light", "print"]
        )
    ),
)
def test_labels_stay_inside_the_drawing_at_any_size(
    name: str, size: tuple[int, int], preset: str
) -> None:
    style = getattr(ChartStyle, preset)(*size)
    hostile = {
        "goal": [(date(2015, 1, 1), 10), (date(2025, 6, 1), 90)],
        "skills": [(LONG_NAME, 0, 10), ("李伟" * 40, None, 3), ("ليلى حداد" * 10, 10, 0)],
        "coverage": [(LONG_NAME, 0, True), ("技术领导" * 30, 1000, False), ("x", 3, True)],
        "cadence": [(date(2015, 1, 1), 3), (date(2025, 1, 1), 120)],
    }[name]
    chart, _, options = NORMAL[name]
    if name == "skills":
        options = {"before_label": LONG_NAME[:80], "after_label": "After 李伟"}
    assert_inside(chart(hostile, style=style, **options))


def test_chart_factory_builds_at_the_size_it_is_given() -> None:
    factory = charts.chart_factory(charts.cadence_chart, NORMAL["cadence"][1], expected_per_month=1)
    drawing = factory(640, 280, ChartStyle.dark())
    assert (drawing.width, drawing.height) == (640, 280)
    assert "Expected (1 a month)" in texts(drawing)


def test_suggested_height_grows_with_the_rows() -> None:
    style = ChartStyle.print()
    heights = [charts.suggested_height(rows, style, bars_per_category=2) for rows in (1, 5, 20)]
    assert heights == sorted(heights)
    assert heights[2] - heights[1] == pytest.approx(15 * (heights[1] - heights[0]) / 4)
    assert not math.isclose(heights[0], heights[2])
