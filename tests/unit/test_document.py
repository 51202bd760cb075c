"""The document engine: page furniture, contents, outline, metadata, determinism, safe writing."""

from __future__ import annotations

import io
import struct
import subprocess
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from mentor_desk import __version__
from mentor_desk.errors import UserError, ValidationError
from mentor_desk.reports import fonts
from mentor_desk.reports.document import (
    FOOTER_TEXT,
    BuildResult,
    DocumentSpec,
    Heading,
    build_pdf,
    cover_page,
    format_date,
    heading,
    new_section,
    section_break,
)
from mentor_desk.reports.markup import markdown_flowables
from mentor_desk.reports.theme import Theme

HOSTILE = "<b>& <script>alert(1)</script> a < b AT&T 🎉 李伟 张伟 ليلى حداد Zoë nul\x00 bel\x07"
GENERATED = date(2025, 3, 3)


def has_arabic_name(text: str) -> bool:
    """Whether ليلى حداد is there with its letters joined; extractors differ on the order."""
    shaped = fonts.visual_rtl("ليلى حداد")
    return shaped in text or shaped[::-1] in text


def make_spec(**changes: object) -> DocumentSpec:
    options: dict[str, object] = {
        "title": "LMP dossier",
        "kind": "dossier",
        "subject": "Zoë Łukasz",
        "author": "Sam Sponsor",
        "generated": GENERATED,
        "deterministic": True,
    }
    options.update(changes)
    return DocumentSpec(**options)  # type: ignore[arg-type]


def make_story(theme: Theme) -> list[Flowable]:
    rows = [[f"Row {i}", f"Entry {i} " + "text " * (i % 9), str(i)] for i in range(90)]
    return [
        heading("Recommendation", 1, theme),
        *markdown_flowables(f"**Strong** recommendation.\n\n- one\n- two\n\n{HOSTILE}", theme),
        heading("Evidence", 1, theme),
        heading("Regular one-on-ones", 2, theme),
        theme.para("Narrative " * 40),
        heading("Long table", 1, theme),
        theme.table(rows, [0.2, 0.65, 0.15], header=["Key", "Description", "Count"]),
        new_section("Sign-off", theme),
        theme.para("Reviewer signatures."),
    ]


@dataclass
class Built:
    path: Path
    result: BuildResult
    reader: PdfReader

    def text(self, page: int) -> str:
        return self.reader.pages[page].extract_text()

    def lines(self, page: int) -> list[tuple[float, str]]:
        """(height on the page, text) of each piece of text drawn on the page."""
        found: list[tuple[float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            if text.strip():
                found.append((cm[5] + tm[5] * cm[3], text.strip()))

        self.reader.pages[page].extract_text(visitor_text=visit)
        return found


def build(tmp: Path, name: str = "doc.pdf", **options: object) -> Built:
    spec = options.pop("spec", None) or make_spec()
    theme = Theme.for_paper(spec.paper)  # type: ignore[union-attr]
    story = options.pop("story", None) or make_story(theme)
    result = build_pdf(spec, story, tmp / name, theme=theme, **options)  # type: ignore[arg-type]
    return Built(tmp / name, result, PdfReader(tmp / name))


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Built:
    theme = Theme.for_paper("a4")
    spec = make_spec()
    details = [("Candidate", "Zoë Łukasz"), ("Sponsor", "Sam <b>&")]
    cover = cover_page(spec, theme, details=details)
    return build(tmp_path_factory.mktemp("dossier"), toc=True, cover=cover)


def test_every_page_has_the_confidential_mark_and_page_x_of_y(dossier: Built) -> None:
    total = dossier.result.pages
    assert total == len(dossier.reader.pages) >= 5
    assert dossier.result.passes == 1
    for index in range(total):
        text = dossier.text(index)
        assert FOOTER_TEXT["dossier"] in text
        assert f"Page {index + 1} of {total}" in text
        assert f"Generated {format_date(GENERATED)}" in text


def test_running_header_on_body_pages_only(dossier: Built) -> None:
    top = A4[1] - Theme.for_paper("a4").margins.top  # the header sits above the text frame
    headers = [[t for y, t in dossier.lines(i) if y > top] for i in range(dossier.result.pages)]
    assert headers[0] == []  # the cover
    for page in headers[1:]:
        assert "LMP dossier" in page
        assert "Zoë Łukasz" in page
    cover = dossier.text(0)
    assert "CONFIDENTIAL" in cover
    assert "Sam <b>&" in cover
    assert "Candidate" in cover


def test_contents_lists_headings_with_their_pages(dossier: Built) -> None:
    outline = {
        item.title: dossier.reader.get_destination_page_number(item) + 1
        for item in _flat(dossier.reader.outline)
    }
    assert list(outline) == [
        "Contents",
        "Recommendation",
        "Evidence",
        "Regular one-on-ones",
        "Long table",
        "Sign-off",
    ]
    lines = dossier.lines(1)
    assert "Contents" in dossier.text(1)
    for title, page in outline.items():
        if title == "Contents":
            assert page == 2
            continue
        (y,) = [y for y, text in lines if text == title]
        numbers = [text for row, text in lines if abs(row - y) < 1 and text.isdigit()]
        assert numbers == [str(page)], title
        assert title in dossier.text(page - 1)  # the bookmark points at the heading's page
    links = [a.get_object() for a in dossier.reader.pages[1].get("/Annots", [])]
    assert len([a for a in links if a["/Subtype"] == "/Link"]) == 5


def _flat(outline: list) -> list:  # type: ignore[type-arg]
    items = []
    for item in outline:
        items.extend(_flat(item) if isinstance(item, list) else [item])
    return items


def test_long_table_repeats_its_header_row(dossier: Built) -> None:
    pages = [i for i in range(dossier.result.pages) if "Entry " in dossier.text(i)]
    assert len(pages) >= 2
    for index in pages:
        assert "Key" in dossier.text(index)
        assert "Description" in dossier.text(index)
    assert "Row 89" in dossier.text(pages[-1])


def test_new_section_starts_a_page_without_leaving_blank_ones(dossier: Built) -> None:
    last = dossier.text(dossier.result.pages - 1)
    assert "Sign-off" in last
    assert "Reviewer signatures." in last
    assert "Row 89" not in last
    assert all(len(dossier.lines(i)) > 4 for i in range(dossier.result.pages))


def test_hostile_text_is_literal(dossier: Built) -> None:
    text = dossier.text(2)
    for literal in ("<b>&", "<script>alert(1)</script>", "a < b", "AT&T", "李伟 张伟", "Zoë"):
        assert literal in text
    # NUL and BEL are dropped ("nul bel"); the emoji becomes a missing-glyph box.
    assert "nul bel" in text
    assert "\x07" not in text
    assert has_arabic_name(text)
    assert "Strong" in text
    assert "one" in text


def test_metadata(dossier: Built) -> None:
    info = dossier.reader.metadata
    assert info is not None
    assert info.title == "LMP dossier"
    assert info.author == "Sam Sponsor"
    assert info.subject == "Zoë Łukasz"
    assert info.creator == f"Mentor Desk {__version__}"
    assert info["/CreationDate"].startswith("D:20250303000000")


@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("letter", LETTER)])
def test_paper_size_sets_the_mediabox(
    tmp_path: Path, paper: str, size: tuple[float, float]
) -> None:
    built = build(tmp_path, spec=make_spec(paper=paper), toc=False)
    for page in built.reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size)


def test_same_story_and_spec_give_identical_bytes(tmp_path: Path) -> None:
    theme = Theme.for_paper("a4")
    story = make_story(theme)
    first = build(tmp_path, "one.pdf", story=story, toc=True)
    second = build(tmp_path, "two.pdf", story=story, toc=True)  # the very same flowables again
    third = build(tmp_path, "three.pdf", story=make_story(theme), toc=True)
    assert first.path.read_bytes() == second.path.read_bytes() == third.path.read_bytes()
    created = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
    other = build(tmp_path, "four.pdf", spec=make_spec(created_at=created), toc=True)
    assert other.reader.metadata["/CreationDate"].startswith("D:20250304093000")
    assert other.path.read_bytes() != first.path.read_bytes()


def test_packet_footer_no_cover_no_contents(tmp_path: Path) -> None:
    spec = make_spec(kind="packet", header_subject="Quarter 1, 2025")
    built = build(tmp_path, spec=spec, toc=False, cover=())
    assert built.result.passes == 1
    first = built.text(0)
    assert "Confidential" in first
    assert "prepared for leadership review" not in first
    assert "Quarter 1, 2025" in first
    assert "Contents" not in first
    assert first.count("Recommendation") == 1
    custom = build(tmp_path, "custom.pdf", spec=make_spec(footer_text="Private draft"), toc=False)
    assert all("Private draft" in custom.text(i) for i in range(custom.result.pages))


def test_running_subject_follows_batch_sections(tmp_path: Path) -> None:
    theme = Theme.for_paper("a4")
    story: list[Flowable] = []
    for name in ("Zoë Łukasz", "李伟", "ليلى حداد"):
        story += [new_section(name, theme, running_subject=name), theme.para(f"About {name}.")]
    built = build(
        tmp_path, spec=make_spec(kind="packet", subject="All mentees"), story=story, toc=True
    )
    assert built.result.pages == 1 + 1 + 3  # cover, contents, one page per mentee
    top = A4[1] - theme.margins.top
    subjects = [" ".join(t for y, t in built.lines(i) if y > top) for i in range(1, 5)]
    assert "All mentees" in subjects[0]
    assert "Zoë Łukasz" in subjects[1]
    assert "李伟" in subjects[2]
    assert has_arabic_name(subjects[3])


def test_a_heading_the_scan_cannot_see_takes_a_second_pass(tmp_path: Path) -> None:
    theme = Theme.for_paper("a4")

    class Deferred(Flowable):  # turns into a heading only during layout
        def wrap(self, width: float, height: float) -> tuple[float, float]:
            return width, height * 2

        def split(self, width: float, height: float) -> list[Flowable]:
            return [heading("Hidden", 1, theme), Paragraph("after", theme.styles["body"])]

    story = [heading("Seen", 1, theme), KeepTogether([heading("Kept", 2, theme)]), Deferred()]
    built = build(tmp_path, story=story, toc=True, cover=())
    assert built.result.passes == 2
    contents = built.text(0)
    assert "Seen" in contents
    assert "Kept" in contents
    assert "Hidden" in contents


def test_a_failed_build_keeps_the_previous_file(tmp_path: Path) -> None:
    good = build(tmp_path, "report.pdf", toc=False)
    before = good.path.read_bytes()
    theme = Theme.for_paper("a4")

    class Explodes(Flowable):
        def wrap(self, width: float, height: float) -> tuple[float, float]:
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        build(tmp_path, "report.pdf", story=[*make_story(theme), Explodes()], toc=True)

    def cancel(page: int) -> None:
        if page == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build(tmp_path, "report.pdf", toc=False, on_page=cancel)
    assert good.path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_buffer_output_and_bad_folders(tmp_path: Path) -> None:
    theme = Theme.for_paper("letter")
    buffer = io.BytesIO()
    result = build_pdf(make_spec(paper="letter"), make_story(theme), buffer, toc=True, theme=theme)
    assert result.path is None
    assert result.size == len(buffer.getvalue()) > 1000
    assert buffer.getvalue().startswith(b"%PDF")
    with pytest.raises(UserError, match="Cannot write the PDF"):
        build_pdf(make_spec(), [], tmp_path / "missing" / "x.pdf", toc=False)
    (tmp_path / "folder.pdf").mkdir()
    with pytest.raises(UserError, match="Cannot save the PDF"):
        build_pdf(make_spec(), [], tmp_path / "folder.pdf", toc=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.pdf"]
    with pytest.raises(ValueError, match="theme is for A4"):
        build_pdf(make_spec(paper="letter"), [], buffer, toc=False, theme=Theme.for_paper("a4"))


def test_spec_validation() -> None:
    with pytest.raises(ValidationError) as caught:
        make_spec(title=" \x00 ")
    assert caught.value.field == "title"
    with pytest.raises(ValidationError) as caught:
        make_spec(kind="memo")
    assert caught.value.field == "kind"
    with pytest.raises(ValidationError) as caught:
        make_spec(paper="a3")
    assert caught.value.field == "paper"
    spec = make_spec(paper="Letter", deterministic=False)
    assert spec.paper.label == "US Letter"
    assert spec.timestamp is None
    assert make_spec().timestamp == datetime(2025, 3, 3, tzinfo=UTC)
    assert make_spec(kind="packet").confidentiality == "Confidential"


def test_heading_helpers() -> None:
    theme = Theme.for_paper("a4")
    with pytest.raises(ValueError, match="level"):
        heading("Too deep", 4, theme)
    flowable = heading("A <b>& B\nC", 2, theme, toc=False)
    assert isinstance(flowable, Heading)
    assert flowable.plain == "A <b>& B C"
    assert flowable.getPlainText() == "A <b>& B C"
    assert flowable.style is theme.styles["h2"]
    assert not flowable.in_toc
    assert flowable.in_outline
    assert not flowable.page_break_before
    section = new_section("Mentee", theme, running_subject="Mentee")
    assert section.page_break_before
    assert section.in_toc
    assert section.running_subject == "Mentee"
    assert type(section_break()).__name__ == "PageBreak"


def non_white_pixels(png: bytes) -> int:
    """Count the pixels of an 8-bit greyscale or RGB PNG that are not white (no PIL needed)."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    position, chunks, width, height, channels = 8, [], 0, 0, 0
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        body = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8
            channels = {0: 1, 2: 3}[colour]
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    count = 0
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                distances = (abs(guess - left), abs(guess - up), abs(guess - corner))
                best = (left, up, corner)[distances.index(min(distances))]
                line[i] = (line[i] + best) & 0xFF
        count += sum(1 for i in range(0, stride, channels) if min(line[i : i + channels]) < 200)
        previous = line
    return count


def test_first_page_renders_as_ink_on_paper(dossier: Built, tmp_path: Path) -> None:
    prefix = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(dossier.path), str(prefix)],
        check=True,
        capture_output=True,
    )
    (image,) = tmp_path.glob("page*.png")
    inked = non_white_pixels(image.read_bytes())
    assert inked > 500  # title, rule, details, the confidential box and footer
