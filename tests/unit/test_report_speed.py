"""What makes long PDFs fast, and that it changes nothing: paragraphs lined up once per width,
cached widths and parser, deferred packet sections, the eased garbage collector."""

from __future__ import annotations

import gc
import io
from collections.abc import Callable
from copy import deepcopy
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, Spacer

from mentor_desk.db.engine import Database
from mentor_desk.reports import fonts, markup
from mentor_desk.reports import packet as packet_module
from mentor_desk.reports.document import (
    Deferred,
    DocumentSpec,
    build_pdf,
    eased_collector,
    heading,
    new_section,
)
from mentor_desk.reports.export import export_packets
from mentor_desk.reports.flowables import Para, TextFrame
from mentor_desk.reports.theme import Theme
from mentor_desk.services.demo import load_demo
from mentor_desk.services.mentees import list_mentees

TEXT = "The mentee led the planning review with care; Zoë asked 李伟 for feedback. " * 12


@pytest.fixture(scope="module")
def theme() -> Theme:
    return Theme.for_paper("a4")


def counting_breaks(paragraph: Paragraph) -> list[int]:
    """Count the paragraph's line breaking from now on."""
    calls: list[int] = []
    original = paragraph.breakLines

    def breaks(widths: list[float]) -> object:
        calls.append(1)
        return original(widths)

    paragraph.breakLines = breaks  # type: ignore[method-assign]
    return calls


def test_para_measures_like_a_paragraph_and_breaks_lines_once_per_width(theme: Theme) -> None:
    style = theme.styles["body"]
    plain, para = Paragraph(TEXT, style), Para(TEXT, style)
    calls = counting_breaks(para)
    assert para.wrap(300, 800) == plain.wrap(300, 800)
    assert para.wrap(300, 50) == plain.wrap(300, 50)  # the height offered does not matter
    assert len(calls) == 1
    assert para.wrap(200, 800) == plain.wrap(200, 800)  # another width: lined up again
    assert len(calls) == 2
    assert para.wrap(300, 800) == plain.wrap(300, 800)
    assert len(calls) == 3


def test_para_lines_up_again_after_a_refused_split_and_after_drawing(theme: Theme) -> None:
    para = Para(TEXT, theme.styles["body"])
    calls = counting_breaks(para)
    _, height = para.wrap(300, 800)
    assert para.split(300, 1) == []  # no room for two lines: ReportLab drops the lines
    para.wrap(300, 800)
    assert len(calls) == 2
    pieces = para.split(300, height / 2)
    assert [type(piece) for piece in pieces] == [Para, Para]
    assert sum(piece.wrap(300, 800)[1] for piece in pieces) == pytest.approx(height)
    canvas = _Canvas()
    para.drawOn(canvas, 0, 0)
    para.wrap(300, 800)
    assert len(calls) == 3


class _Canvas:
    """Enough of a canvas for ``drawOn``: records nothing."""

    def __getattr__(self, name: str) -> Callable[..., object]:
        return lambda *args, **kwargs: _TextObject()


class _TextObject:
    def __getattr__(self, name: str) -> Callable[..., object]:
        return lambda *args, **kwargs: None


@pytest.mark.parametrize("style", ["body", "h3", "table_cell_right", "code"])
def test_plain_text_skips_the_markup_parser_for_the_same_fragments(
    theme: Theme, style: str
) -> None:
    chosen = theme.styles[style]
    for text in ("Hello world", "  spaced \n out  ", "Zoë, 12 March", "x", "", "<b>b</b> &amp;"):
        fast, plain = Para(text, chosen), Paragraph(text, chosen)
        assert fast.text == plain.text
        assert [vars(f) for f in fast.frags] == [vars(f) for f in plain.frags]
        if fast.frags:
            assert fast.frags[0].link is not plain.frags[0].link  # nothing shared between copies


def test_text_frame_copies_like_deepcopy() -> None:
    frame = TextFrame(0, 0, 100, 200, id="text")
    frame._frameBGs = [("fill", 1)]
    frame.add_generated_content(Spacer(1, 5))
    twin = deepcopy(frame)
    assert type(twin) is TextFrame
    assert vars(twin).keys() == vars(frame).keys()
    assert (twin._x1, twin._height, twin.id) == (0, 200, "text")
    assert twin._frameBGs == frame._frameBGs
    assert twin._frameBGs is not frame._frameBGs
    assert twin._generated_content[0] is not frame._generated_content[0]


def test_markdown_parser_is_built_once(theme: Theme) -> None:
    assert markup._parser() is markup._parser()
    first = markup.markdown_flowables("**one** & <b>", theme)
    second = markup.markdown_flowables("**one** & <b>", theme)
    assert [p.getPlainText() for p in first] == [p.getPlainText() for p in second]
    assert first[0].getPlainText() == "one & <b>"


def test_measured_fonts_give_reportlab_widths() -> None:
    fonts.register_fonts()
    measured = pdfmetrics.getFont(fonts.REGULAR)
    plain = TTFont("plain-dejavu-for-test", fonts.font_files()[fonts.REGULAR])
    for text in ("", "Zoë Müller", "AT&T <b>", "ليلى"):
        expected = plain.stringWidth(text, 9.5)
        assert measured.stringWidth(text, 9.5) == expected
        assert measured.stringWidth(text, 9.5) == expected  # from the cache
        assert measured.stringWidth(text.encode(), 9.5) == expected
    assert measured.stringWidth("Zoë", 12) == plain.stringWidth("Zoë", 12)


def _walked_runs(text: str, base: str) -> list[tuple[str, str]]:
    """font_runs before its fast path: one character at a time."""
    chain = (base, *(name for name in (fonts.REGULAR, fonts.CJK) if name != base))
    runs: list[tuple[str, str]] = []
    current, buffer = base, ""
    for char in text:
        if buffer and fonts._is_neutral(char) and fonts.has_glyph(current, char):
            font = current
        else:
            font = next((name for name in chain if fonts.has_glyph(name, char)), current)
        if font != current and buffer:
            runs.append((current, buffer))
            buffer = ""
        current = font
        buffer += char
    return [*runs, (current, buffer)] if buffer else runs


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("aZë é,.-李伟。ليلى🎉\u0301\u200d<&")),
    st.sampled_from([fonts.REGULAR, fonts.BOLD, fonts.CJK, "Courier"]),
)
def test_font_runs_match_the_character_walk(text: str, base: str) -> None:
    fonts.register_fonts()
    assert fonts.font_runs(text, base) == _walked_runs(text, base)


# --- deferred sections ---------------------------------------------------------------------------


def _spec() -> DocumentSpec:
    return DocumentSpec(
        title="Packets", kind="packet", subject="All", generated=date(2026, 11, 21),
        deterministic=True,
    )  # fmt: skip


def _section(name: str, theme: Theme) -> list[Flowable]:
    # Outline-only headings inside: they must not disturb the planned contents.
    return [
        theme.para(f"About {name}.", "subtitle"),
        heading("Summary", 2, theme, toc=False),
        *[theme.para(f"{name}: {TEXT}") for _ in range(6)],
        heading("Plan", 2, theme, toc=False),
        theme.para("Next quarter."),
    ]


def test_deferred_sections_give_the_same_pdf_and_are_made_as_layout_reaches_them(
    theme: Theme,
) -> None:
    names = ["Zoë Müller", "李伟", "ليلى حداد", "Sam"]
    eager: list[Flowable] = []
    lazy: list[Flowable] = []
    events: list[str] = []

    def make(name: str) -> list[Flowable]:
        events.append(f"made {name}")
        return _section(name, theme)

    for name in names:
        eager += [new_section(name, theme, running_subject=name), *_section(name, theme)]
        lazy += [
            new_section(name, theme, running_subject=name),
            Deferred(lambda name=name: make(name)),  # type: ignore[misc]
        ]
    first, second = io.BytesIO(), io.BytesIO()
    built = build_pdf(_spec(), eager, first, toc=True)
    again = build_pdf(
        _spec(), lazy, second, toc=True, on_page=lambda page: events.append(f"page {page}")
    )
    assert second.getvalue() == first.getvalue()
    assert (again.pages, again.passes) == (built.pages, 1)
    assert events.index("made Zoë Müller") < events.index("page 3")
    assert events.index("made Sam") > events.index("page 4")  # made after earlier pages
    contents = PdfReader(second).pages[1].extract_text()
    assert "Zoë Müller" in contents
    assert "李伟" in contents
    assert "Summary" not in contents


def test_a_deferred_that_makes_nothing_ends_the_story_cleanly(theme: Theme) -> None:
    story = [heading("Only", 1, theme), theme.para("Text."), Deferred(list)]
    result = build_pdf(_spec(), story, io.BytesIO(), toc=False, cover=())
    assert result.pages == 1


def test_packet_batch_reports_pages_before_making_every_section(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = date(2026, 11, 21)
    load_demo(db, today=today)
    made: list[int] = []
    at_first_page: list[int] = []
    original = packet_module._packet_story

    def story(*args: object) -> list[Flowable]:
        made.append(1)
        return original(*args)  # type: ignore[arg-type]

    def progress(pages: int) -> None:
        if not at_first_page:
            at_first_page.append(len(made))

    monkeypatch.setattr(packet_module, "_packet_story", story)
    three = [row.id for row in list_mentees(db, status="active")[:3]]
    target = tmp_path / "all.pdf"
    result = export_packets(db, "2026-Q3", target, mentee_ids=three, progress=progress, today=today)
    assert len(made) == 3  # one section per mentee
    assert at_first_page == [0]  # the cover came before any section was made
    assert result.pages == len(PdfReader(tmp_path / "all.pdf").pages)


# --- the garbage collector -----------------------------------------------------------------------


def test_eased_collector_restores_the_collector_when_the_last_build_ends() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with eased_collector():
        eased = gc.get_threshold()
        assert eased[0] > before[0]
        with eased_collector():  # a second build at the same time
            assert gc.get_threshold() == eased
        assert gc.get_threshold() == eased
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen
    with pytest.raises(RuntimeError), eased_collector():
        raise RuntimeError("a failed build")
    assert gc.get_threshold() == before
