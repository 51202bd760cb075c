"""The document engine: page templates, running header and footer, contents, outline, writing.

A builder (the LMP dossier, the quarterly packet) makes a :class:`DocumentSpec`, a story of
flowables styled by a :class:`~mentor_desk.reports.theme.Theme`, and calls :func:`build_pdf`::

    theme = Theme.for_paper(spec.paper)
    story = [heading("Recommendation", 1, theme), *markdown_flowables(text, theme), ...]
    build_pdf(spec, story, path, toc=True, theme=theme, cover=cover_page(spec, theme, details=...))

The document is a cover page (footer, no running header), an optional contents page, then the
body pages (running header with the title and subject; footer with the confidentiality text, the
generated date and "Page X of Y"). Headings made by :func:`heading` are bookmarked, listed in the
PDF outline and, with ``toc=True``, in the table of contents with their page numbers.

The file is written to a temporary file beside the target and moved over it only once complete,
so a failed build never leaves half a PDF nor replaces a good one. With ``deterministic=True``
the same spec and story give byte-identical files.
"""

from __future__ import annotations

import gc
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.platypus import (
    Flowable,
    HRFlowable,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
    TopPadder,
)

from mentor_desk import APP_NAME
from mentor_desk.errors import UserError
from mentor_desk.reports.flowables import Deferred
from mentor_desk.reports.pages import (
    FOOTER_TEXT,
    KIND_LABEL,
    BuildResult,
    ContentsPage,
    DocumentKind,
    DocumentSpec,
    Heading,
    PdfDocument,
    canvas_maker,
    format_date,
    heading,
    new_section,
    section_break,
    toc_entry,
)
from mentor_desk.reports.theme import Theme

__all__ = [
    "FOOTER_TEXT",
    "KIND_LABEL",
    "BuildResult",
    "Deferred",
    "DocumentKind",
    "DocumentSpec",
    "Heading",
    "build_pdf",
    "cover_page",
    "eased_collector",
    "format_date",
    "heading",
    "new_section",
    "section_break",
]


def cover_page(
    spec: DocumentSpec,
    theme: Theme,
    *,
    details: Sequence[tuple[str, str]] = (),
    note: str | None = None,
) -> list[Flowable]:
    """The standard cover: kind, title, subject, a label/value block, the confidential mark.

    Args:
        details: ``(label, value)`` rows in plain text, e.g. ``("Candidate", name)``.
        note: an optional line under the details (plain text).
    """
    palette = theme.palette
    story: list[Flowable] = [
        Spacer(1, theme.frame_height * 0.14),
        theme.para(KIND_LABEL[spec.kind].upper(), "kicker"),
        Spacer(1, 8),
        theme.para(spec.title, "title"),
    ]
    if spec.running_subject:
        story.append(theme.para(spec.running_subject, "subtitle"))
    story.append(
        HRFlowable(width="100%", thickness=1.2, color=palette.accent, spaceBefore=10, spaceAfter=16)
    )
    if details:
        rows = [[theme.para(label, "label"), theme.para(value, "body")] for label, value in details]
        widths = theme.column_widths([0.26, 0.74], 2)
        lines = [("LINEBELOW", (0, 0), (-1, -2), 0.35, palette.rule)]
        story.append(Table(rows, widths, style=_compact(lines), hAlign="LEFT"))
    if note:
        story += [Spacer(1, 10), theme.para(note, "body")]
    generated = f"Generated {format_date(spec.generated)} with {APP_NAME}"
    mark = [[theme.para("CONFIDENTIAL", "confidential")]]
    if spec.confidentiality.strip().lower() != "confidential":
        mark.append([theme.para(spec.confidentiality, "small")])
    mark.append([theme.para(generated, "muted")])
    box = [
        ("BOX", (0, 0), (-1, -1), 1, palette.confidential),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
    ]
    box += [("TOPPADDING", (0, 0), (0, 0), 8), ("BOTTOMPADDING", (0, -1), (-1, -1), 8)]
    # The mark sits at the foot of the cover, whatever the details above it take.
    story += [Spacer(1, 24), TopPadder(Table(mark, [theme.frame_width], style=_compact(box)))]
    return story


def _compact(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A borderless, top-aligned table style plus ``commands``."""
    base = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
    base += [("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    return TableStyle([*base, *commands])


def _planned_entries(story: Sequence[Flowable], theme: Theme) -> list[tuple[int, str, str]]:
    """The contents entries the story's headings will give, in order, before layout."""
    entries: list[tuple[int, str, str]] = []

    def walk(flowables: Sequence[Flowable]) -> None:
        for flowable in flowables:
            if isinstance(flowable, Heading) and flowable.in_toc:
                entries.append(toc_entry(flowable, theme, f"t{len(entries) + 1}"))
            walk(getattr(flowable, "_content", None) or ())  # KeepTogether and friends

    walk(story)
    return entries


def _build_once(doc: PdfDocument, flowables: list[Flowable]) -> None:
    """``doc.build``, then undo what layout did to the flowables (keepWithNext turned off,
    "postponed" marks) the way ``multiBuild`` does: the story can be laid out again, with the
    same result."""
    edits: list[tuple[Any, ...]] = []
    doc._multiBuildEdits = edits.append
    try:
        doc.build(flowables, canvasmaker=canvas_maker(doc))
    finally:
        del doc._multiBuildEdits
        for action, *arguments in edits:
            action(*arguments)


def _lay_out(
    spec: DocumentSpec,
    theme: Theme,
    story: Sequence[Flowable],
    filename: str,
    *,
    toc: bool,
    cover: Sequence[Flowable],
    on_page: Callable[[int], None] | None,
) -> tuple[int, int]:
    doc = PdfDocument(filename, spec, theme, cover=bool(cover), on_page=on_page)
    front: list[Flowable] = [*cover, NextPageTemplate("body"), PageBreak()] if cover else []
    contents = heading("Contents", 1, theme, toc=False)
    entries = _planned_entries([*front, contents, *story], theme) if toc else []
    for passes in range(1, 4):
        full = [*front, contents, Spacer(1, 4), ContentsPage(theme, entries), PageBreak()]
        _build_once(doc, [*(full if entries else front), *story])
        if not toc or doc.toc_entries == entries:
            return doc.page, passes
        # A heading the scan could not see (inside a container) moved the entries: lay out
        # again with the ones just found.
        entries = doc.toc_entries
    raise RuntimeError("the table of contents did not settle after three layout passes")


_gc_lock = threading.Lock()
_gc_users = 0
_gc_saved: tuple[int, int, int] = (700, 10, 10)
_gc_froze = False
# Layout makes and drops millions of small objects (text fragments, line records). With Python's
# default thresholds the collector sweeps the whole heap, the program's included, over and over:
# about a sixth of a long dossier's time. Everything alive before the build is set aside
# (``gc.freeze``), and collections come less often; both are undone when the last build ends.
_LAYOUT_GC_THRESHOLD = (20_000, 20, 20)


@contextmanager
def eased_collector() -> Iterator[None]:
    """Around building a document: fewer, smaller garbage collections (see above)."""
    global _gc_users, _gc_saved, _gc_froze
    with _gc_lock:
        if _gc_users == 0:
            _gc_saved = gc.get_threshold()
            # Objects someone else froze stay theirs: freeze (and later unfreeze) only if none.
            _gc_froze = gc.get_freeze_count() == 0
            if _gc_froze:
                gc.freeze()
            gc.set_threshold(*_LAYOUT_GC_THRESHOLD)
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.set_threshold(*_gc_saved)
                if _gc_froze:
                    gc.unfreeze()


@contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    """A temporary file next to ``target``, moved over it on success and removed on failure.

    The PDF ends up readable by its owner only (``mkstemp``), which suits confidential papers.
    """
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as error:
        raise UserError(
            f"Cannot write the PDF to {target.parent}: {error.strerror or error}. "
            "Choose another folder."
        ) from error
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        try:
            os.replace(temporary, target)
        except OSError as error:
            raise UserError(
                f"Cannot save the PDF as {target}: {error.strerror or error}. "
                "Close it in other programs, or choose another name."
            ) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def build_pdf(
    spec: DocumentSpec,
    story: Sequence[Flowable],
    out: str | os.PathLike[str] | BinaryIO,
    *,
    toc: bool,
    cover: Sequence[Flowable] | None = None,
    theme: Theme | None = None,
    on_page: Callable[[int], None] | None = None,
) -> BuildResult:
    """Lay out ``story`` and write the PDF to ``out`` (a path, or a binary buffer).

    Args:
        spec: title, kind, metadata, paper and dates.
        story: the body flowables (styled with ``theme``); it is not consumed.
        out: a file path, written atomically, or a writable binary buffer, written only once
            the whole document is done.
        toc: add a contents page after the cover, listing every :func:`heading` with ``toc``.
            Still one layout pass, unless a heading hides where the story cannot be scanned
            (made during layout): then two.
        cover: the cover flowables; None for :func:`cover_page` with no details, ``()`` for no
            cover page at all.
        theme: the theme the story was made with; it must match ``spec.paper``.
        on_page: called with the page number after each page is laid out (on every pass);
            raise from it to cancel the build, which then writes nothing.

    Raises:
        UserError: the target folder cannot be written to.
        ValueError: ``theme`` is for another paper size than ``spec``.
    """
    theme = theme or Theme.for_paper(spec.paper)
    if theme.paper is not spec.paper:
        raise ValueError(f"theme is for {theme.paper.label}, the spec for {spec.paper.label}")
    cover_story = cover_page(spec, theme) if cover is None else list(cover)

    def lay_out(filename: Path) -> tuple[int, int]:
        with eased_collector():
            return _lay_out(
                spec, theme, story, str(filename), toc=toc, cover=cover_story, on_page=on_page
            )

    if isinstance(out, (str, os.PathLike)):
        target = Path(out)
        with _temporary_beside(target) as temporary:
            pages, passes = lay_out(temporary)
        return BuildResult(pages, target.stat().st_size, target, passes)
    with tempfile.TemporaryDirectory(prefix="mentor-desk-pdf-") as folder:
        temporary = Path(folder) / "document.pdf"
        pages, passes = lay_out(temporary)
        data = temporary.read_bytes()
    out.write(data)
    return BuildResult(pages, len(data), None, passes)
