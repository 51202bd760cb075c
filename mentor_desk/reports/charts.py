"""Charts drawn once with reportlab.graphics: shown in the window as SVG, drawn natively in PDFs.

Every chart takes plain data and a :class:`ChartStyle`, and returns a ``Drawing`` of exactly
``style.width`` x ``style.height`` with no title (callers add one), with axis labels and, where
there is more than one thing to tell apart, a legend. Empty input gives a "No data yet" drawing.

Units are whatever the target uses: pixels in the window (``light``/``dark``), points on paper
(``print``). A ``Drawing`` is a platypus flowable, so a PDF builder can put it straight into a
story; :func:`to_svg` renders it for Qt.

All text goes through :mod:`mentor_desk.reports.fonts`, so CJK and Arabic labels get a font that
has their glyphs, and long labels are cut with an ellipsis instead of running into the plot.

This module is light on purpose: the window imports it at start-up, and ReportLab's graphics
(about a third of a second) load only when the first chart is drawn. The drawing code is in
:mod:`mentor_desk.reports.chart_drawings`, the style and building blocks in
:mod:`mentor_desk.reports.chart_parts`; ``ChartStyle``, ``SeriesStyle`` and ``NO_DATA`` are
importable from here as well.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

    from mentor_desk.reports.chart_drawings import (
        cadence_chart,
        coverage_chart,
        goal_progress_chart,
        skills_before_after_chart,
        to_svg,
    )
    from mentor_desk.reports.chart_parts import NO_DATA, ChartStyle, SeriesStyle

__all__ = [
    "NO_DATA",
    "ChartFactory",
    "ChartStyle",
    "SeriesStyle",
    "cadence_chart",
    "chart_factory",
    "coverage_chart",
    "goal_progress_chart",
    "skills_before_after_chart",
    "suggested_height",
    "to_svg",
]

ChartFactory = Callable[[float, float, "ChartStyle"], "Drawing"]
_FROM_PARTS = frozenset({"NO_DATA", "ChartStyle", "SeriesStyle"})


def __getattr__(name: str) -> Any:
    """``ChartStyle``, ``SeriesStyle`` and ``NO_DATA``, loaded with ReportLab when first asked."""
    if name in _FROM_PARTS:
        return getattr(importlib.import_module("mentor_desk.reports.chart_parts"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _lazy(name: str) -> Callable[..., Any]:
    """A stand-in for ``chart_drawings.<name>`` that imports the module on its first call."""

    def draw(*args: Any, **kwargs: Any) -> Any:
        module: ModuleType = importlib.import_module("mentor_desk.reports.chart_drawings")
        return getattr(module, name)(*args, **kwargs)

    draw.__name__ = draw.__qualname__ = name
    draw.__doc__ = f"See :func:`mentor_desk.reports.chart_drawings.{name}` (loaded when called)."
    return draw


if not TYPE_CHECKING:  # type checkers see the real functions, imported above
    cadence_chart = _lazy("cadence_chart")
    coverage_chart = _lazy("coverage_chart")
    goal_progress_chart = _lazy("goal_progress_chart")
    skills_before_after_chart = _lazy("skills_before_after_chart")
    to_svg = _lazy("to_svg")


def chart_factory(chart: Callable[..., Drawing], data: Any, **options: Any) -> ChartFactory:
    """Bind ``data`` and keyword options to a chart function, for a view that picks size and style.

    ``chart_factory(cadence_chart, months, expected_per_month=2)(600, 300, ChartStyle.dark())``.
    """

    def build(width: float, height: float, style: ChartStyle) -> Drawing:
        return chart(data, style=style.sized(width, height), **options)

    return build


def suggested_height(categories: int, style: ChartStyle, *, bars_per_category: int = 1) -> float:
    """A height at which a horizontal bar chart with ``categories`` rows stays readable."""
    size = style.font_size
    per_row = size * (1.6 + 1.1 * bars_per_category)
    return size * 6 + per_row * max(1, categories)
