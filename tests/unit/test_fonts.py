"""Bundled fonts and per-character fallback: each glyph of a hostile sample gets a font with it."""

from __future__ import annotations

import html
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, SimpleDocTemplate

from mentor_desk.reports import fonts

HOSTILE = [
    "Zoë Łukasz Müller",
    "李伟 张伟",
    "ليلى حداد",
    "Ærøskøbing",
    "naïve café",
    "<b>&",
    "שלום",
]
EMOJI = ["🦄", "🎉", "👍🏽"]  # colour emoji neither bundled font has


def cmap_has(font_name: str, char: str) -> bool:
    """Read the TTF character map directly, independent of fonts.has_glyph."""
    return ord(char) in pdfmetrics.getFont(font_name).face.charToGlyph


def test_registration_is_idempotent_and_registers_the_family() -> None:
    fonts.register_fonts()
    first = {name: pdfmetrics.getFont(name) for name in fonts.FONT_FACES}
    fonts.register_fonts()
    assert {name: pdfmetrics.getFont(name) for name in fonts.FONT_FACES} == first
    assert set(fonts.FONT_FACES) <= set(pdfmetrics.getRegisteredFontNames())
    family = pdfmetrics.getFont(fonts.REGULAR).face.familyName
    assert family == b"DejaVu Sans"
    from reportlab.lib.fonts import tt2ps

    assert tt2ps(fonts.REGULAR, 1, 0) == fonts.BOLD
    assert tt2ps(fonts.REGULAR, 1, 1) == fonts.BOLD_OBLIQUE


def test_font_files_exist() -> None:
    files = fonts.font_files()
    assert set(files) == set(fonts.FONT_FACES)
    assert all(Path(path).is_file() for path in files.values())


@pytest.mark.parametrize("text", HOSTILE)
def test_every_character_gets_a_font_that_has_its_glyph(text: str) -> None:
    runs = fonts.font_runs(text)
    assert "".join(run for _, run in runs) == text
    for font, run in runs:
        missing = [char for char in run if not cmap_has(font, char)]
        assert missing == [], f"{font} lacks {missing}"
    assert fonts.missing_glyphs(text) == set()


def test_cjk_goes_to_droid_and_stays_one_run_across_spaces() -> None:
    assert fonts.font_runs("李伟 张伟") == [(fonts.CJK, "李伟 张伟")]
    assert fonts.font_runs("Mentor 李伟") == [(fonts.REGULAR, "Mentor "), (fonts.CJK, "李伟")]


def test_a_bold_base_falls_back_the_same_way() -> None:
    runs = fonts.font_runs("Zoë 李", base=fonts.BOLD)
    assert runs == [(fonts.BOLD, "Zoë "), (fonts.CJK, "李")]


@pytest.mark.parametrize("emoji", EMOJI)
def test_emoji_are_reported_missing_and_never_raise(emoji: str) -> None:
    text = f"Great session {emoji} 李伟"
    runs = fonts.font_runs(text)
    assert "".join(run for _, run in runs) == text
    assert fonts.missing_glyphs(text) == {c for c in emoji if not cmap_has(fonts.REGULAR, c)}
    assert fonts.missing_glyphs(text)  # at least the emoji itself
    assert fonts.text_width(text, fonts.REGULAR, 10) > 0


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_runs_round_trip_and_only_missing_glyphs_lack_a_font(text: str) -> None:
    runs = fonts.font_runs(text)
    assert "".join(run for _, run in runs) == text
    assert all(run for _, run in runs)
    missing = fonts.missing_glyphs(text)
    for font, run in runs:
        for char in run:
            assert cmap_has(font, char) or char in missing or unicodedata.category(char) == "Cc"


def test_markup_keeps_escapes_and_wraps_only_fallback_runs() -> None:
    markup = fonts.markup_with_fallback(html.escape("<b>& Zoë 李伟"))
    assert markup == '&lt;b&gt;&amp; Zoë <font name="DroidSansFallback">李伟</font>'


def test_markup_passes_the_callers_tags_through() -> None:
    markup = fonts.markup_with_fallback("<b>" + html.escape("李 & x") + "</b><br/>")
    assert markup == '<b><font name="DroidSansFallback">李 </font>&amp; x</b><br/>'


def test_markup_renders_in_a_pdf_with_the_text_intact(tmp_path: Path) -> None:
    style = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=11, leading=14)
    fonts.register_fonts()
    samples = [*HOSTILE, "Emoji 🦄 stays"]
    story = [Paragraph(fonts.markup_with_fallback(html.escape(s)), style) for s in samples]
    story.append(
        Paragraph(fonts.markup_with_fallback("<b>" + html.escape("粗体 bold") + "</b>"), style)
    )
    path = tmp_path / "fonts.pdf"
    SimpleDocTemplate(str(path)).build(story)

    page = PdfReader(path).pages[0]
    text = page.extract_text()
    for sample in ["李伟 张伟", "Zoë Łukasz Müller", "Ærøskøbing", "naïve café", "<b>&", "粗体"]:
        assert sample in text
    used = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for font in page["/Resources"]["/Font"].values()
    }
    assert {"DejaVuSans", "DroidSansFallback", "DejaVuSans-Bold"} <= used


def test_fit_text_keeps_short_text_and_cuts_long_text_with_an_ellipsis() -> None:
    assert fonts.fit_text("Delegation", 200, fonts.REGULAR, 10) == "Delegation"
    long = "Communicating decisions 沟通能力 " * 10
    cut = fonts.fit_text(long, 120, fonts.REGULAR, 10)
    assert cut.endswith(fonts.ELLIPSIS)
    assert long.startswith(cut[:-1])
    assert fonts.text_width(cut, fonts.REGULAR, 10) <= 120
    assert fonts.fit_text(long, 1, fonts.REGULAR, 10) == fonts.ELLIPSIS


def test_visual_rtl_reorders_arabic_and_hebrew_and_leaves_latin_alone() -> None:
    assert fonts.visual_rtl("Zoë 李伟") == "Zoë 李伟"
    assert fonts.visual_rtl("שלום עולם") == "םלוע םולש"
    arabic = fonts.visual_rtl("ليلى حداد")
    assert arabic != "ليلى حداد"
    assert fonts.missing_glyphs(arabic) == set()  # joined forms DejaVu Sans can draw
    assert len(arabic.split()) == 2


def test_visual_rtl_without_the_optional_packages_returns_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fonts._arabic_reshaper.cache_clear()  # the reshaper is made once per process
    monkeypatch.setitem(sys.modules, "bidi", None)
    try:
        assert fonts.visual_rtl("ليلى حداد") == "ليلى حداد"
    finally:
        fonts._arabic_reshaper.cache_clear()
