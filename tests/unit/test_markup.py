"""Markdown and plain text to flowables: structure, escaping, long input."""

from __future__ import annotations

import io
import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Table, XPreformatted

from mentor_desk.reports import fonts
from mentor_desk.reports.document import DocumentSpec, build_pdf
from mentor_desk.reports.markup import (
    CHUNK_CHARS,
    CODE_LINES,
    markdown_flowables,
    plain_paragraphs,
)
from mentor_desk.reports.theme import MONO, Theme

NOTE = """\
# Weekly one-on-one

Zoë **owned the retro** and *wrote* the `scpa.md` update.

1. Led the stand-up
2. Ran sprint planning
   - prepared the board
   - facilitated estimation

> The best retro this year.

```
def hello():
    return "<b>&"
```

---

| Skill | Before | After |
|---|--:|--:|
| Testing | 2 | 7 |
"""


@pytest.fixture(scope="module")
def theme() -> Theme:
    return Theme.for_paper("a4")


def pdf_text(story: list[Flowable], theme: Theme, *, last: int = 0) -> tuple[list[str], int]:
    """The text of every page (or of the ``last`` few) and the page count."""
    spec = DocumentSpec(title="Notes", kind="packet", generated=date(2025, 1, 6))
    buffer = io.BytesIO()
    result = build_pdf(spec, story, buffer, toc=False, cover=(), theme=theme)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    return [page.extract_text() for page in reader.pages[-last:]], result.pages


def paragraphs(flowables: list[Flowable]) -> list[Paragraph]:
    return [f for f in flowables if isinstance(f, Paragraph)]


def test_markdown_structure_maps_to_styled_flowables(theme: Theme) -> None:
    flowables = markdown_flowables(NOTE, theme)
    texts = [(f.getPlainText(), f.style.name) for f in paragraphs(flowables)]
    assert ("Weekly one-on-one", "h3") in texts
    bullets = [(f.getPlainText(), f.bulletText) for f in paragraphs(flowables) if f.bulletText]
    assert bullets == [
        ("Led the stand-up", "1."),
        ("Ran sprint planning", "2."),
        ("prepared the board", "◦"),
        ("facilitated estimation", "◦"),
    ]
    by_text = {f.getPlainText(): f for f in paragraphs(flowables)}
    nested, outer = by_text["prepared the board"], by_text["Ran sprint planning"]
    assert nested.style.leftIndent > outer.style.leftIndent > 0
    code = [f for f in flowables if isinstance(f, XPreformatted)]
    assert len(code) == 1
    assert code[0].style.fontName == MONO
    assert 'return "<b>&"' in code[0].getPlainText()
    assert any(isinstance(f, HRFlowable) for f in flowables)
    tables = [f for f in flowables if isinstance(f, Table)]
    assert len(tables) == 1
    assert tables[0].repeatRows == 1
    # A finished list leaves a paragraph's space after it, its items only a little.
    assert by_text["facilitated estimation"].style.spaceAfter == theme.styles["body"].spaceAfter
    assert outer.style.spaceAfter < theme.styles["body"].spaceAfter
    quote = by_text["The best retro this year."]
    assert quote.bars
    assert quote.style.leftIndent > 0


def test_inline_markup_picks_the_right_faces(theme: Theme) -> None:
    (paragraph,) = markdown_flowables("plain **bold 李伟** *italic ليلى* `code é 李`", theme)
    faces = {frag.text.strip(): frag.fontName for frag in paragraph.frags if frag.text.strip()}
    assert faces["plain"] == fonts.REGULAR
    assert faces["bold"] == fonts.BOLD
    assert faces["李伟"] == fonts.CJK
    assert faces["italic"] == fonts.OBLIQUE
    assert faces[fonts.visual_rtl("ليلى")] == fonts.REGULAR  # the oblique face has no Arabic
    assert faces["code é"] == MONO
    assert faces["李"] == fonts.CJK


def test_markdown_renders_into_the_pdf(theme: Theme) -> None:
    pages, _ = pdf_text(markdown_flowables(NOTE, theme), theme)
    text = "\n".join(pages)
    for expected in (
        "Weekly one-on-one",
        "owned the retro",
        "1.",
        "Led the stand-up",
        "prepared the board",
        "The best retro this year.",
        'return "<b>&"',
        "Testing",
    ):
        assert expected in text


def test_raw_html_entities_and_controls_are_shown_as_typed(theme: Theme) -> None:
    hostile = (
        "<b>not bold</b> & AT&T <script>alert(1)</script> a < b &amp; 李伟 张伟 ليلى حداد "
        "Zoë 🎉 nul\x00 bel\x07 end\n\n<div>block html</div>"
    )
    flowables = markdown_flowables(hostile, theme)
    shown = " ".join(f.getPlainText() for f in paragraphs(flowables))
    for literal in ("<b>not bold</b>", "& AT&T", "<script>alert(1)</script>", "a < b", "&amp;"):
        assert literal in shown
    assert "<div>block html</div>" in shown
    assert "\x00" not in shown
    assert "\x07" not in shown
    assert "nul bel" in shown
    faces = {frag.fontName for f in paragraphs(flowables) for frag in f.frags}
    assert faces == {fonts.REGULAR, fonts.CJK}  # nothing turned bold or into a script
    pages, _ = pdf_text(flowables, theme)
    assert "<script>alert(1)</script>" in pages[0]
    assert "李伟 张伟" in pages[0]


def test_links_are_clickable_only_for_web_and_mail(theme: Theme) -> None:
    source = (
        "[site](https://example.com/?a=1&b=2) [mail](mailto:me@example.com) "
        "[file](notes/file.md) [ftp](ftp://example.com/x) <https://auto.example.org>"
    )
    (paragraph,) = markdown_flowables(source, theme)
    markup = paragraph.text
    assert markup.count("<a href=") == 3
    assert '<a href="https://example.com/?a=1&amp;b=2"' in markup
    assert '<a href="mailto:me@example.com"' in markup
    text = paragraph.getPlainText()
    assert "site (https://example.com/?a=1&b=2)" in text
    assert "file (notes/file.md)" in text
    assert "ftp (ftp://example.com/x)" in text
    assert "https://auto.example.org (" not in text  # an autolink is not repeated
    (unsafe,) = markdown_flowables("[x](javascript:alert(1))", theme)
    assert "<a " not in unsafe.text
    assert "javascript:alert(1)" in unsafe.getPlainText()


def test_images_are_not_loaded(theme: Theme) -> None:
    (paragraph,) = markdown_flowables("![team photo](/etc/passwd)", theme)
    assert paragraph.getPlainText() == "[image: team photo]"


def test_ordered_list_keeps_its_start_and_items_without_paragraphs_keep_bullets(
    theme: Theme,
) -> None:
    flowables = markdown_flowables("5. five\n6. six\n\n-\n  ```\n  code\n  ```\n", theme)
    bullets = [f.bulletText for f in paragraphs(flowables) if f.bulletText]
    assert bullets == ["5.", "6.", "•"]


def test_long_paragraph_is_chunked_without_losing_text(theme: Theme) -> None:
    words = [f"word{i}" for i in range(12_000)]
    flowables = markdown_flowables("**start** " + " ".join(words) + " *end*", theme)
    assert len(flowables) > 30
    assert all(len(f.getPlainText()) <= CHUNK_CHARS + 20 for f in flowables)
    joined = " ".join(f.getPlainText() for f in flowables)
    assert joined.split() == ["start", *words, "end"]
    assert flowables[0].style.spaceBefore >= 0
    assert flowables[1].style.spaceBefore == 0
    # Markup stays balanced across cuts: the italic run is still italic.
    assert flowables[-1].frags[-1].italic


def test_one_enormous_word_is_cut(theme: Theme) -> None:
    flowables = plain_paragraphs("x" * (CHUNK_CHARS * 3 + 5), theme)
    assert [len(f.getPlainText()) for f in flowables] == [CHUNK_CHARS] * 3 + [5]


def test_long_code_blocks_split_and_wide_lines_wrap(theme: Theme) -> None:
    lines = [f"line {i}" for i in range(1000)] + ["x" * 500, "李" * 200]
    flowables = markdown_flowables("```\n" + "\n".join(lines) + "\n```", theme)
    assert all(isinstance(f, XPreformatted) for f in flowables)
    shown = [line for f in flowables for line in f.getPlainText().split("\n")]
    assert len(flowables) == -(-len(shown) // CODE_LINES)
    assert shown[:1000] == lines[:1000]
    wrapped = shown[1000:]
    assert len(wrapped) > 2
    assert all(line.startswith("↪ ") for line in wrapped[1:3])
    assert "".join(line.removeprefix("↪ ") for line in wrapped) == "x" * 500 + "李" * 200
    first, middle = flowables[0].style, flowables[1].style
    assert first.spaceBefore > 0
    assert middle.spaceBefore == 0
    assert middle.spaceAfter == 0


def test_plain_paragraphs_interpret_nothing(theme: Theme) -> None:
    flowables = plain_paragraphs("**not bold** <b>x</b> # no heading\nsecond line\n\n\nnext", theme)
    assert [f.getPlainText() for f in flowables] == [
        "**not bold** <b>x</b> # no headingsecond line",
        "next",
    ]
    assert flowables[0].text.endswith("# no heading<br/>second line")
    assert plain_paragraphs(" \n\n \x00", theme) == []
    assert markdown_flowables("", theme) == []


def test_heading_level_option(theme: Theme) -> None:
    flowables = markdown_flowables("# One\n## Two\n### Three", theme, heading_level=2)
    assert [f.style.name for f in flowables] == ["h2", "h3", "h4"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("*_`#>-[]()<>&;!|\\\n 1.aé李ل\x00\t~")), max_size=80))
def test_any_markdown_makes_valid_flowables(source: str) -> None:
    theme = Theme.for_paper("a4")
    for flowable in markdown_flowables(source, theme):
        width, height = flowable.wrap(theme.frame_width, theme.frame_height)
        assert width >= 0
        assert height >= 0


def test_a_one_megabyte_note_builds_in_full(theme: Theme) -> None:
    chooser = random.Random(4)
    words = [
        "the",
        "mentee",
        "practised",
        "delegation",
        "and",
        "reviewed",
        "a",
        "design",
        "with",
        "Zoë",
        "at",
        "AT&T",
    ]
    blocks: list[str] = []
    while sum(map(len, blocks)) < 1_000_000:
        kind = len(blocks) % 12
        if kind == 0:
            blocks.append(f"## Session {len(blocks)} with 李伟 and ليلى")
        elif kind == 5:
            blocks.append("\n".join(f"- item **{i}** " + " ".join(words) for i in range(4)))
        elif kind == 9:
            blocks.append("```\n" + "\n".join(f"code line {i}" for i in range(30)) + "\n```")
        else:
            blocks.append(" ".join(chooser.choices(words, k=chooser.randint(40, 400))))
    blocks.append("The very last words.")
    note = "\n\n".join(blocks)
    assert len(note) >= 1_000_000
    # How long this takes is a benchmark's business (benchmarks/), not an assertion here.
    pages, count = pdf_text(markdown_flowables(note, theme), theme, last=1)
    assert count > 150
    assert "The very last words." in pages[-1]
