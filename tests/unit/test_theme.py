"""The PDF theme: paper sizes, styles, escaping user text, font fallback and data tables."""

from __future__ import annotations

import io
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Spacer

from mentor_desk.errors import ValidationError
from mentor_desk.reports import fonts
from mentor_desk.reports.theme import (
    MONO,
    PaperSize,
    Theme,
    clean_text,
    draw_line,
    is_rtl_paragraph,
    safe_markup,
)

HOSTILE = [
    "<b>&",
    "<script>alert(1)</script>",
    "a < b",
    "AT&T",
    "&amp; stays &amp;",
    "emoji 🎉👍🏽",
    "李伟 张伟",
    "ليلى حداد",
    "Zoë Łukasz",
    "NUL\x00 and BEL\x07 go",
    "\"quoted\" and 'single'",
]
STYLE_NAMES = [
    "title",
    "subtitle",
    "kicker",
    "h1",
    "h2",
    "h3",
    "h4",
    "body",
    "small",
    "muted",
    "label",
    "confidential",
    "table_header",
    "table_header_right",
    "table_cell",
    "table_cell_right",
    "caption",
    "toc1",
    "toc2",
    "toc3",
    "code",
    "quote",
    "list",
]


@pytest.fixture(scope="module")
def theme() -> Theme:
    return Theme.for_paper("a4")


def glyph_in(font_name: str, char: str) -> bool:
    """Read the font's own character map, independently of fonts.has_glyph."""
    if font_name == MONO:
        return ord(char) < 0x100
    return ord(char) in pdfmetrics.getFont(font_name).face.charToGlyph


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a4", PaperSize.A4), (" LETTER ", PaperSize.LETTER), ("US Letter", PaperSize.LETTER)],
)
def test_paper_size_parses_names(text: str, expected: PaperSize) -> None:
    assert PaperSize.parse(text) is expected
    assert PaperSize.parse(expected) is expected


def test_unknown_paper_size_names_the_field_and_the_choices() -> None:
    with pytest.raises(ValidationError) as caught:
        PaperSize.parse("A5")
    assert caught.value.field == "paper"
    assert '"a4"' in str(caught.value)
    assert '"letter"' in str(caught.value)
    assert "A5" in str(caught.value)


def test_theme_geometry_follows_the_paper() -> None:
    a4, letter = Theme.for_paper(PaperSize.A4), Theme.for_paper("letter")
    assert a4.page_size == A4
    assert letter.page_size == LETTER
    assert a4.paper.label == "A4"
    assert letter.paper.label == "US Letter"
    assert letter.frame_width > a4.frame_width
    assert a4.frame_height > letter.frame_height
    m = a4.margins
    assert a4.frame_width == pytest.approx(A4[0] - m.left - m.right)
    assert a4.chart_style(200).width == pytest.approx(a4.frame_width)
    assert a4.chart_style(200, width=100).height == 200


def test_every_named_style_uses_a_registered_font(theme: Theme) -> None:
    assert set(STYLE_NAMES) <= set(theme.styles)
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name in STYLE_NAMES:
        style = theme.styles[name]
        assert style.fontName in registered | {MONO}, name
    # The hierarchy reads at a glance.
    sizes = [theme.styles[name].fontSize for name in ("title", "h1", "h2", "h3", "body", "small")]
    assert sizes == sorted(sizes, reverse=True)
    assert theme.style("body") is theme.styles["body"]


def test_clean_text_drops_controls_and_normalises_newlines() -> None:
    assert clean_text("a\x00b\x07c\x1b\x7f\x85d") == "abc\nd"
    assert clean_text("one\r\ntwo\rthree\u2028four") == "one\ntwo\nthree\nfour"
    assert clean_text("tab\tkept\ufeff") == "tab\tkept"
    assert clean_text("lone \ud800 surrogate") == "lone  surrogate"


@pytest.mark.parametrize("text", HOSTILE)
def test_para_shows_hostile_text_literally(theme: Theme, text: str) -> None:
    paragraph = theme.para(text)
    shown = paragraph.getPlainText()
    expected = fonts.visual_rtl(clean_text(text))
    assert shown == expected
    assert "\x00" not in shown
    assert "\x07" not in shown


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
            blacklist_characters="\ufeff\x85",
        ),
        max_size=60,
    )
)
def test_any_text_round_trips_through_a_paragraph(text: str) -> None:
    theme = Theme.for_paper("a4")
    shown = theme.para(text).getPlainText()
    expected = fonts.visual_rtl(text) if fonts.has_rtl(text) else text
    # A Paragraph folds runs of white space into one space; nothing else may change.
    assert shown.split() == expected.split()


def test_newlines_become_line_breaks(theme: Theme) -> None:
    assert safe_markup("one\ntwo") == "one<br/>two"
    assert safe_markup("one\ntwo", multiline=False) == "one two"
    assert safe_markup("a\tb") == "a b"


@pytest.mark.parametrize("style", ["body", "h1", "quote", "table_header"])
def test_every_character_gets_a_font_that_has_its_glyph(theme: Theme, style: str) -> None:
    sample = " ".join(HOSTILE) + " Ærøskøbing naïve café שלום Ελληνικά Кириллица"
    paragraph = theme.para(sample, style)
    checked = 0
    fonts_used = set()
    for frag in paragraph.frags:
        for char in frag.text:
            if char in fonts.missing_glyphs(sample) or unicodedata.category(char) == "Zs":
                continue
            assert glyph_in(frag.fontName, char), (char, frag.fontName)
            checked += 1
            fonts_used.add(frag.fontName)
    assert checked > 100
    assert fonts.CJK in fonts_used
    assert fonts.missing_glyphs(sample) >= {"🎉"}  # emoji: a missing glyph, not a crash


def test_right_to_left_paragraphs_are_right_aligned(theme: Theme) -> None:
    assert is_rtl_paragraph("ليلى حداد عملت")
    assert not is_rtl_paragraph("Meeting with ليلى")
    assert is_rtl_paragraph("123 שלום")
    assert not is_rtl_paragraph("123")
    assert theme.para("ليلى حداد عملت على المشروع").style.alignment == TA_RIGHT
    assert theme.para("Meeting with ليلى").style.alignment != TA_RIGHT
    assert theme.styles["body"].alignment != TA_RIGHT  # the shared style is left alone


def test_table_escapes_cells_and_repeats_the_header(theme: Theme) -> None:
    marker = Spacer(1, 5)
    table = theme.table(
        [["<b>&", 3, None], ["AT&T", 4.5, marker]],
        [0.5, 0.25, 0.25],
        header=["Name", "Count", "Extra"],
        numeric_columns={1},
    )
    assert table.repeatRows == 1
    assert table.splitInRow  # a row taller than a page splits instead of failing
    cells = table._cellvalues
    assert all(isinstance(cell, Paragraph) for cell in cells[0])
    assert cells[1][0].getPlainText() == "<b>&"
    assert cells[2][0].getPlainText() == "AT&T"
    assert cells[1][1].getPlainText() == "3"
    assert cells[2][1].getPlainText() == "4.5"
    assert cells[1][1].style.alignment == TA_RIGHT
    assert cells[0][1].style.alignment == TA_RIGHT
    assert cells[1][2] == ""
    assert cells[2][2] is marker
    assert sum(table._colWidths) == pytest.approx(theme.frame_width)


def test_table_widths_and_shapes_are_checked(theme: Theme) -> None:
    assert theme.column_widths(None, 4) == [theme.frame_width / 4] * 4
    assert theme.column_widths([100, 200], 2) == [100.0, 200.0]
    with pytest.raises(ValueError, match="column widths"):
        theme.table([["a", "b"]], [0.5], header=["A", "B"])
    with pytest.raises(ValueError, match="3 cells for 2 columns"):
        theme.table([["a", "b", "c"]], header=["A", "B"])
    short = theme.table([["only"]], header=["A", "B"])
    assert short._cellvalues[1][1] == ""
    headless = theme.table([["a", "b"]])
    assert headless.repeatRows == 0


def test_table_style_shades_the_header_and_stripes_rows(theme: Theme) -> None:
    commands = {command[0]: command for command in theme.table_style().getCommands()}
    assert commands["BACKGROUND"][1:3] == ((0, 0), (-1, 0))
    assert commands["ROWBACKGROUNDS"][1] == (0, 1)
    assert "GRID" in commands
    plain = {command[0] for command in theme.table_style(header=False, zebra=False).getCommands()}
    assert "BACKGROUND" not in plain
    assert "ROWBACKGROUNDS" not in plain


def test_draw_line_fits_and_falls_back(theme: Theme) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    long = "Zoë 李伟 " + "very long subject " * 20
    width = draw_line(canvas, 50, 700, long, fonts.REGULAR, 8, max_width=150)
    assert 0 < width <= 150
    right = draw_line(canvas, 500, 650, "ليلى\x00 حداد", fonts.BOLD, 8, anchor="end")
    assert right > 0
    canvas.save()
    text = PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text()
    assert "Zoë" in text
    assert "李伟" in text
    assert "…" in text
    assert "very long subject " * 20 not in text
