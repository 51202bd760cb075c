"""One look for every PDF: paper, margins, colours, paragraph styles, and safe text.

Builders never hand user text to a ``Paragraph`` themselves. :meth:`Theme.para` and
:meth:`Theme.table` escape it (``Paragraph`` parses markup: "AT&T" would become "AT&T;" and
``<b>`` would turn bold), drop control characters, put Arabic and Hebrew into visual order and
wrap the characters DejaVu Sans lacks (CJK) in a font that has them. :func:`safe_markup` does the
same for builders that add markup of their own around user text.

The palette is restrained and stays legible in greyscale print: dark ink, one navy accent, light
greys for table shading, and a dark red for the confidential mark.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from html import escape
from types import MappingProxyType
from typing import Literal

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table, TableStyle

from mentor_desk.errors import ValidationError
from mentor_desk.reports import fonts
from mentor_desk.reports.chart_parts import ChartStyle
from mentor_desk.reports.flowables import Para

__all__ = [
    "MONO",
    "PALETTE",
    "Margins",
    "Palette",
    "PaperSize",
    "Theme",
    "clean_text",
    "draw_line",
    "is_rtl_paragraph",
    "safe_markup",
]

# Code is set in Courier, a PDF base font every viewer has: no monospaced font is bundled.
# Characters beyond Latin-1 fall back to DejaVu Sans / Droid Sans Fallback like everywhere else.
MONO = "Courier"

# C0/C1 controls (tab, newline and carriage return are handled by the caller), lone surrogates
# (they cannot be encoded into the PDF) and the byte-order mark.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff]")
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")
# Hebrew, Arabic, Syriac, Thaana, NKo... and their presentation forms: a fast pre-check before the
# exact (per-character, slow) fonts.has_rtl.
_MAYBE_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


class PaperSize(StrEnum):
    """The paper a document is laid out for."""

    A4 = "a4"
    LETTER = "letter"

    @classmethod
    def parse(cls, value: str | PaperSize) -> PaperSize:
        """``"a4"``/``"letter"`` (any case, surrounding spaces ignored) as a :class:`PaperSize`.

        Raises:
            ValidationError: for anything else, naming the field ``paper``.
        """
        if isinstance(value, PaperSize):
            return value
        key = str(value).strip().lower().replace(" ", "").replace("us", "")
        for member in cls:
            if key == member.value:
                return member
        choices = ", ".join(f'"{m.value}"' for m in cls)
        raise ValidationError(f"unknown paper size {str(value)!r}; choose {choices}", "paper")

    @property
    def size(self) -> tuple[float, float]:
        """Width and height in points, portrait."""
        return A4 if self is PaperSize.A4 else LETTER

    @property
    def label(self) -> str:
        return "A4" if self is PaperSize.A4 else "US Letter"


@dataclass(frozen=True, slots=True)
class Margins:
    """Page margins in points. The running header and footer sit inside top and bottom."""

    top: float = 25 * mm
    right: float = 20 * mm
    bottom: float = 22 * mm
    left: float = 20 * mm


@dataclass(frozen=True, slots=True)
class Palette:
    """The document colours; each stays distinct from its neighbours in greyscale."""

    ink: Color
    muted: Color
    accent: Color
    link: Color
    rule: Color
    header_fill: Color
    zebra: Color
    code_fill: Color
    quote_bar: Color
    confidential: Color


PALETTE = Palette(
    ink=HexColor("#1b1f24"),
    muted=HexColor("#5b636b"),
    accent=HexColor("#1f3b5c"),
    link=HexColor("#1f4e8c"),
    rule=HexColor("#c3c9d0"),
    header_fill=HexColor("#dde3ea"),
    zebra=HexColor("#f3f5f7"),
    code_fill=HexColor("#f0f1f3"),
    quote_bar=HexColor("#9aa5b1"),
    confidential=HexColor("#9e1b1b"),
)


def clean_text(text: str) -> str:
    """``text`` with newlines normalised to ``\\n`` and control characters (NUL, BEL...) removed.

    Tabs are kept; callers decide whether they are spaces or code indentation.
    """
    return _CONTROL.sub("", _NEWLINES.sub("\n", str(text)))


def is_rtl_paragraph(text: str) -> bool:
    """Whether the first strongly directional character of ``text`` is right-to-left."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


def _fallback(escaped: str, base: str) -> str:
    """``markup_with_fallback`` applied only where it is needed.

    Walking every character in Python dominated the time of a 1 MB note, so only the runs that
    start and end with a character ``base`` lacks (with spaces and punctuation between, marks
    after) go through it; the rest, nearly all text, is left as it is.
    """
    chars = set(escaped)
    missing = {char for char in chars if not fonts.has_glyph(base, char)}
    if not missing:
        return escaped
    neutral = {char for char in chars - missing if unicodedata.category(char)[0] in "ZP"}
    marks = {char for char in chars - missing if unicodedata.category(char) in ("Mn", "Me")}
    need, between, after = (
        "".join(sorted(map(re.escape, group))) for group in (missing, neutral, marks)
    )
    between_part = f"(?:[{between}]*[{need}]+)*" if between else f"[{need}]*"
    after_part = f"[{after}]*" if after else ""
    runs = re.compile(f"[{need}]+{between_part}{after_part}")
    return runs.sub(lambda run: fonts.markup_with_fallback(run.group(), base), escaped)


def safe_markup(text: str, font: str = fonts.REGULAR, *, multiline: bool = True) -> str:
    """User text as ``Paragraph`` markup that shows exactly that text.

    Control characters go, ``&``/``<``/``>`` are escaped, right-to-left lines are put into visual
    order, and runs that ``font`` cannot draw get ``<font name=...>`` with a font that can.

    Args:
        text: plain user text, any script.
        font: the font the text will be drawn in (the style's font, or the bold face inside
            ``<b>``): runs it can draw stay bare.
        multiline: keep line breaks as ``<br/>``; otherwise they become spaces.
    """
    cleaned = clean_text(text).replace("\t", " ")
    lines = cleaned.split("\n") if multiline else [cleaned.replace("\n", " ")]
    out = []
    for line in lines:
        if _MAYBE_RTL.search(line):
            line = fonts.visual_rtl(line)
        out.append(_fallback(escape(line, quote=False), font))
    return "<br/>".join(out)


def draw_line(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    *,
    anchor: Literal["start", "middle", "end"] = "start",
    max_width: float | None = None,
) -> float:
    """Draw one line of user text on a canvas in the current fill colour; return its width.

    Like :func:`safe_markup` for a canvas: control characters and line breaks go, text wider
    than ``max_width`` is cut with "…", right-to-left text is put in visual order, and each run
    is drawn in a font that has its glyphs.
    """
    width, runs = _line_runs(text, font, size, max_width)
    x -= {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    for run_font, run, run_width in runs:
        canvas.setFont(run_font, size)
        canvas.drawString(x, y, run)
        x += run_width
    return width


@functools.lru_cache(maxsize=256)
def _line_runs(
    text: str, font: str, size: float, max_width: float | None
) -> tuple[float, tuple[tuple[str, str, float], ...]]:
    """The width of a :func:`draw_line` line, and its runs with their fonts and widths.

    Kept because running headers and footers draw the same few lines on every page.
    """
    text = " ".join(clean_text(text).split())
    if max_width is not None:
        text = fonts.fit_text(text, max_width, font, size)
    text = fonts.visual_rtl(text)
    width = fonts.text_width(text, font, size)
    runs = tuple((f, run, stringWidth(run, f, size)) for f, run in fonts.font_runs(text, font))
    return width, runs


def _styles(palette: Palette) -> dict[str, ParagraphStyle]:
    regular, bold, oblique = fonts.REGULAR, fonts.BOLD, fonts.OBLIQUE
    ink = palette.ink
    body = ParagraphStyle(
        "body", fontName=regular, fontSize=9.5, leading=13.5, textColor=ink, spaceAfter=5.5
    )

    def derive(name: str, parent: ParagraphStyle = body, **options: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **options)

    heading = derive("heading", fontName=bold, keepWithNext=1, spaceAfter=4, allowWidows=0)
    cell = derive("table_cell", fontSize=8.5, leading=11, spaceAfter=0)
    toc = derive("toc", fontSize=9.5, leading=13, spaceAfter=0, rightIndent=30)
    styles = [
        body,
        derive("title", fontName=bold, fontSize=24, leading=29, textColor=palette.accent),
        derive("subtitle", fontSize=13, leading=17, textColor=palette.muted, spaceAfter=4),
        derive("kicker", fontName=bold, fontSize=8.5, leading=11, textColor=palette.accent),
        derive("h1", heading, fontSize=16, leading=20, textColor=palette.accent, spaceBefore=14),
        derive("h2", heading, fontSize=12.5, leading=16, spaceBefore=12),
        derive("h3", heading, fontSize=10.5, leading=14, spaceBefore=9, spaceAfter=3),
        derive("h4", heading, fontSize=9.5, leading=13.5, spaceBefore=6, spaceAfter=2),
        derive("small", fontSize=8, leading=10.5, spaceAfter=3),
        derive("muted", fontSize=8, leading=10.5, spaceAfter=3, textColor=palette.muted),
        derive("label", fontSize=8.5, leading=12, textColor=palette.muted, spaceAfter=0),
        derive(
            "confidential",
            fontName=bold,
            fontSize=9.5,
            leading=13,
            spaceAfter=0,
            textColor=palette.confidential,
        ),
        cell,
        derive("table_cell_right", cell, alignment=TA_RIGHT),
        derive("table_header", cell, fontName=bold),
        derive("table_header_right", cell, fontName=bold, alignment=TA_RIGHT),
        derive(
            "caption",
            fontName=oblique,
            fontSize=8,
            leading=10.5,
            textColor=palette.muted,
            spaceBefore=2,
            spaceAfter=10,
        ),
        derive("toc1", toc, fontName=bold, spaceBefore=5),
        derive("toc2", toc, leftIndent=14),
        derive("toc3", toc, fontSize=9, leading=12, leftIndent=28, textColor=palette.muted),
        derive(
            "code",
            fontName=MONO,
            fontSize=8,
            leading=10.5,
            spaceAfter=0,
            leftIndent=6,
            rightIndent=6,
            backColor=palette.code_fill,
        ),
        derive("quote", fontName=oblique, textColor=palette.muted, leftIndent=14, spaceAfter=4),
        derive(
            "list",
            spaceAfter=2.5,
            leftIndent=20,
            bulletIndent=8,
            bulletFontName=regular,
            bulletFontSize=body.fontSize,
        ),
    ]
    return {style.name: style for style in styles}


@dataclass(frozen=True, slots=True)
class Theme:
    """Paper, margins, colours and named styles for one document.

    Build it with :meth:`for_paper`. ``styles`` holds ``title``, ``subtitle``, ``kicker``,
    ``h1``-``h4``, ``body``, ``small``, ``muted``, ``label``, ``confidential``, ``table_header``
    (``_right``), ``table_cell`` (``_right``), ``caption``, ``toc1``-``toc3``, ``code``, ``quote``
    and ``list``. Treat them as read-only; derive a ``ParagraphStyle(parent=...)`` to vary one.
    """

    paper: PaperSize
    margins: Margins
    palette: Palette
    styles: Mapping[str, ParagraphStyle]

    @classmethod
    def for_paper(cls, paper: PaperSize | str = PaperSize.A4) -> Theme:
        """The theme for ``paper`` (a :class:`PaperSize` or ``"a4"``/``"letter"``)."""
        fonts.register_fonts()
        return cls(PaperSize.parse(paper), Margins(), PALETTE, MappingProxyType(_styles(PALETTE)))

    @property
    def page_size(self) -> tuple[float, float]:
        return self.paper.size

    @property
    def frame_width(self) -> float:
        """The width of the text column in points: what tables and charts may use."""
        return self.page_size[0] - self.margins.left - self.margins.right

    @property
    def frame_height(self) -> float:
        return self.page_size[1] - self.margins.top - self.margins.bottom

    def style(self, style: str | ParagraphStyle) -> ParagraphStyle:
        """A style by name (``"body"``), or ``style`` itself when it already is one."""
        return style if isinstance(style, ParagraphStyle) else self.styles[style]

    def para(self, text: str, style: str | ParagraphStyle = "body") -> Para:
        """A ``Paragraph`` showing plain user ``text`` literally, line breaks kept.

        Text that starts right-to-left (Arabic, Hebrew) is right-aligned.
        """
        chosen = self.style(style)
        if chosen.alignment == TA_LEFT and is_rtl_paragraph(text):
            chosen = ParagraphStyle(f"{chosen.name}-rtl", parent=chosen, alignment=TA_RIGHT)
        return Para(safe_markup(text, chosen.fontName), chosen)

    def chart_style(self, height: float = 220, width: float | None = None) -> ChartStyle:
        """The print chart style sized for this page: the full text width unless ``width``."""
        return ChartStyle.print().sized(width if width is not None else self.frame_width, height)

    def column_widths(self, col_widths: Sequence[float] | None, columns: int) -> list[float]:
        """Points for each column: given in points, as fractions of the text width when they
        sum to at most 1, or equal shares when None."""
        if not col_widths:
            return [self.frame_width / max(columns, 1)] * columns
        if len(col_widths) != columns:
            raise ValueError(f"{len(col_widths)} column widths for {columns} columns")
        if sum(col_widths) <= 1.0 + 1e-9:
            return [self.frame_width * fraction for fraction in col_widths]
        return [float(width) for width in col_widths]

    def table_style(self, *, header: bool = True, zebra: bool = True) -> TableStyle:
        """The standard data table: shaded header row, zebra rows, light grid, top-aligned."""
        palette = self.palette
        commands: list[tuple[object, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("GRID", (0, 0), (-1, -1), 0.35, palette.rule),
        ]
        first_body_row = 1 if header else 0
        if header:
            commands += [
                ("BACKGROUND", (0, 0), (-1, 0), palette.header_fill),
                ("LINEBELOW", (0, 0), (-1, 0), 0.9, palette.accent),
            ]
        if zebra:
            commands.append(
                ("ROWBACKGROUNDS", (0, first_body_row), (-1, -1), [white, palette.zebra])
            )
        return TableStyle(commands)

    def table(
        self,
        rows: Sequence[Sequence[str | int | float | Flowable | None]],
        col_widths: Sequence[float] | None = None,
        *,
        header: Sequence[str | Flowable] | None = None,
        numeric_columns: Collection[int] = (),
        zebra: bool = True,
        extra_style: Sequence[tuple[object, ...]] = (),
    ) -> Table:
        """A data table whose text cells are escaped, wrapping ``Paragraph`` s.

        The header row repeats on every page the table spans, and a row taller than a page is
        split inside itself rather than failing the build.

        Args:
            rows: the body rows; ``str``/numbers become paragraphs, ``None`` an empty cell,
                flowables (a ``Paragraph`` with your own markup, a chart) pass through.
            col_widths: see :meth:`column_widths`.
            header: the column titles (text, or a flowable of your own), or None for no header.
            numeric_columns: indexes of right-aligned columns (numbers, changes).
            zebra: alternate row shading.
            extra_style: more ``TableStyle`` commands, applied last.
        """
        columns = len(header) if header is not None else max((len(row) for row in rows), default=1)
        data: list[list[Flowable | str]] = []
        if header is not None:
            data.append(
                [
                    self._cell(
                        title, "table_header_right" if i in numeric_columns else "table_header"
                    )
                    for i, title in enumerate(header)
                ]
            )
        for row in rows:
            if len(row) > columns:
                raise ValueError(f"a row has {len(row)} cells for {columns} columns")
            padded = [*row, *([None] * (columns - len(row)))]
            data.append(
                [
                    self._cell(value, "table_cell_right" if i in numeric_columns else "table_cell")
                    for i, value in enumerate(padded)
                ]
            )
        style = self.table_style(header=header is not None, zebra=zebra)
        for command in extra_style:
            style.add(*command)
        return Table(
            data,
            colWidths=self.column_widths(col_widths, columns),
            repeatRows=1 if header is not None else 0,
            splitInRow=1,
            style=style,
            hAlign="LEFT",
            spaceBefore=3,
            spaceAfter=9,
        )

    def _cell(self, value: str | int | float | Flowable | None, style: str) -> Flowable | str:
        if value is None:
            return ""
        if isinstance(value, Flowable):
            return value
        return self.para(str(value), style)
