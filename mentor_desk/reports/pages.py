"""The page furniture of every Mentor Desk PDF: what a document is (:class:`DocumentSpec`), the
headings the contents page and outline pick up, the running header and footer with "Page X of Y",
the contents page, and the page templates. :mod:`mentor_desk.reports.document` builds with them.
"""

from __future__ import annotations

from ast import literal_eval
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import partial
from pathlib import Path
from typing import Any, Literal

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    PageBreak,
    PageTemplate,
)
from reportlab.platypus.tableofcontents import TableOfContents

from mentor_desk import APP_NAME, __version__
from mentor_desk.errors import ValidationError
from mentor_desk.reports import fonts
from mentor_desk.reports.flowables import Deferred, Para, TextFrame
from mentor_desk.reports.theme import PaperSize, Theme, clean_text, draw_line, safe_markup

DocumentKind = Literal["dossier", "packet"]
FOOTER_TEXT: dict[str, str] = {
    "dossier": "Confidential: prepared for leadership review",
    "packet": "Confidential",
}
KIND_LABEL: dict[str, str] = {
    "dossier": "Lead Mentorship Program dossier",
    "packet": "Quarterly review packet",
}
# Fixed English names: calendar.month_name follows the process locale, which Qt changes.
_MONTHS = (
    *("", "January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
_NO_PADDING = {f"{side}Padding": 0 for side in ("left", "right", "top", "bottom")}
_FOOTER_SIZE = 7.5
_HEADER_SIZE = 8.0


def format_date(day: date) -> str:
    """``3 March 2025``: unambiguous in every locale."""
    return f"{day.day} {_MONTHS[day.month]} {day.year}"


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    """What a document is, for its cover, running header, footer and PDF metadata.

    Attributes:
        title: the document title (metadata, cover, running header unless ``header_title``).
        kind: ``"dossier"`` or ``"packet"``; picks the default footer text and cover label.
        subject: PDF subject metadata, and the running header's subject line unless
            ``header_subject`` is given (e.g. the candidate's name).
        author: PDF author metadata (the mentor or sponsor).
        paper: ``PaperSize`` or ``"a4"``/``"letter"``.
        generated: the date printed in the footer and on the cover.
        deterministic: ReportLab's invariant mode plus a fixed creation date, so the same spec
            and story give byte-identical files.
        created_at: the PDF creation/modification date; when None it is now, or midnight UTC of
            ``generated`` when ``deterministic``.
        header_title, header_subject, footer_text: override the defaults above.
    """

    title: str
    kind: DocumentKind
    subject: str = ""
    author: str = ""
    paper: PaperSize = PaperSize.A4
    generated: date = field(default_factory=date.today)
    deterministic: bool = False
    created_at: datetime | None = None
    header_title: str | None = None
    header_subject: str | None = None
    footer_text: str | None = None

    def __post_init__(self) -> None:
        if not clean_text(self.title).strip():
            raise ValidationError("must not be empty", "title")
        if self.kind not in FOOTER_TEXT:
            raise ValidationError(f"unknown document kind {self.kind!r}", "kind")
        object.__setattr__(self, "paper", PaperSize.parse(self.paper))

    @property
    def running_title(self) -> str:
        return self.header_title if self.header_title is not None else self.title

    @property
    def running_subject(self) -> str:
        return self.header_subject if self.header_subject is not None else self.subject

    @property
    def confidentiality(self) -> str:
        return self.footer_text if self.footer_text is not None else FOOTER_TEXT[self.kind]

    @property
    def timestamp(self) -> datetime | None:
        """The creation date to write, or None for ReportLab's own (now)."""
        if self.created_at is not None:
            return self.created_at
        if self.deterministic:
            return datetime.combine(self.generated, time(), tzinfo=UTC)
        return None


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What :func:`build_pdf` wrote: page count, size in bytes, the file (None for a buffer)
    and how many layout passes it took."""

    pages: int
    size: int
    path: Path | None
    passes: int


class Heading(Para):
    """A heading paragraph that the document bookmarks, outlines and lists in the contents.

    Make one with :func:`heading`. The document reads the attributes below in ``afterFlowable``.
    """

    level: int = 1
    plain: str = ""
    in_toc: bool = False
    in_outline: bool = False
    page_break_before: bool = False
    running_subject: str | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        # The first piece carries the entry; later pieces are plain paragraphs.
        parts = super().split(availWidth, availHeight)
        for index, part in enumerate(parts):
            if isinstance(part, Heading):
                part.level, part.plain = self.level, self.plain
                part.running_subject = self.running_subject
                part.in_toc, part.in_outline = self.in_toc, self.in_outline
                if index:
                    part.in_toc = part.in_outline = False
        return parts


def heading(
    text: str,
    level: int,
    theme: Theme,
    *,
    toc: bool = True,
    outline: bool = True,
    page_break_before: bool = False,
    running_subject: str | None = None,
) -> Heading:
    """A heading in style ``h1``/``h2``/``h3`` (``level`` 1-3) for the contents and outline.

    Args:
        text: plain text (escaped here).
        level: 1 for a section, 2 and 3 below it.
        theme: the document theme.
        toc: list it in the table of contents.
        outline: add a PDF bookmark (outline) entry.
        page_break_before: start a new page first, unless the page is still empty.
        running_subject: from this heading on, the running header's subject line reads this
            (one mentee per section in a batch packet).
    """
    if level not in (1, 2, 3):
        raise ValueError(f"heading level must be 1, 2 or 3, not {level}")
    style = theme.styles[f"h{level}"]
    flowable = Heading(safe_markup(text, style.fontName, multiline=False), style)
    flowable.level = level
    flowable.plain = " ".join(clean_text(text).split())
    flowable.in_toc, flowable.in_outline = toc, outline
    flowable.page_break_before = page_break_before
    flowable.running_subject = running_subject
    return flowable


def new_section(
    title: str, theme: Theme, *, running_subject: str | None = None, level: int = 1
) -> Heading:
    """A section heading that starts a new page and enters the contents and outline.

    For batch documents: one per mentee, with ``running_subject`` set to the mentee's name.
    """
    return heading(title, level, theme, page_break_before=True, running_subject=running_subject)


def section_break() -> PageBreak:
    """An unconditional page break."""
    return PageBreak()


# --- drawing on the page ------------------------------------------------------------------------


class _Decorations:
    """Draws the running header and the footer of a page."""

    def __init__(self, spec: DocumentSpec, theme: Theme) -> None:
        self.spec, self.palette = spec, theme.palette
        width, height = theme.page_size
        self.left, self.right = theme.margins.left, width - theme.margins.right
        self.half = (self.right - self.left) / 2
        self.header_y = height - theme.margins.top + 30
        self.footer_y = theme.margins.bottom - 30

    def _rule(self, canvas: Canvas, y: float) -> None:
        canvas.setStrokeColor(self.palette.rule)
        canvas.setLineWidth(0.5)
        canvas.line(self.left, y, self.right, y)

    @staticmethod
    def _text(canvas: Canvas, colour: Color, x: float, y: float, *line: Any, **kw: Any) -> float:
        canvas.setFillColor(colour)
        return draw_line(canvas, x, y, *line, **kw)

    def footer(self, canvas: Canvas, _doc: object = None) -> None:
        """The rule and the confidentiality text; the right side waits for the page total."""
        canvas.saveState()
        self._rule(canvas, self.footer_y + 11)
        line = (self.spec.confidentiality, fonts.BOLD, _FOOTER_SIZE)
        self._text(canvas, self.palette.confidential, self.left, self.footer_y, *line)
        canvas.restoreState()

    def page_number(self, canvas: Canvas, page: int, total: int) -> None:
        """The generated date and "Page X of Y" at the right of the footer."""
        canvas.saveState()
        x, y, size = self.right, self.footer_y, _FOOTER_SIZE
        number = (f"Page {page} of {total}", fonts.REGULAR, size)
        x -= self._text(canvas, self.palette.ink, x, y, *number, anchor="end") + 14
        generated = (f"Generated {format_date(self.spec.generated)}", fonts.REGULAR, size)
        self._text(canvas, self.palette.muted, x, y, *generated, anchor="end")
        canvas.restoreState()

    def header(self, canvas: Canvas, subject: str) -> None:
        canvas.saveState()
        y, room = self.header_y, self.half - 8
        title = (self.spec.running_title, fonts.BOLD, _HEADER_SIZE)
        self._text(canvas, self.palette.accent, self.left, y, *title, max_width=room)
        line = (subject, fonts.REGULAR, _HEADER_SIZE)
        self._text(canvas, self.palette.muted, self.right, y, *line, anchor="end", max_width=room)
        self._rule(canvas, y - 6)
        canvas.restoreState()


class ContentsPage(TableOfContents):
    """A table of contents whose page numbers are drawn when the file is saved.

    Its entries (levels and texts) are known before layout, from the story's headings, so it
    takes the right room on the first pass; only the numbers wait until every heading has been
    placed. One layout pass is then enough, where ``multiBuild`` needs two or three.
    """

    def __init__(self, theme: Theme, entries: Sequence[tuple[int, str, str]]) -> None:
        styles = theme.styles
        levels = [styles["toc1"], styles["toc2"], styles["toc3"]]
        super().__init__(levelStyles=levels, dotsMinLevel=0, rightColumnWidth=0)
        self.dot_colour = theme.palette.quote_bar
        self._lastEntries = [(level, text, 0, key) for level, text, key in entries]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        size = super().wrap(availWidth, availHeight)

        def defer(canvas: Canvas, _kind: str, label: str) -> None:
            _, level, key = label.split(",")
            info = canvas._curr_tx_info  # where the entry's text ended, as ReportLab's TOC uses
            where = (canvas._currentMatrix, info["cur_x"], info["cur_y"], availWidth)
            style = self.getLevelStyle(int(level))
            draw = partial(_draw_number, self.dot_colour, style, *where)
            canvas.defer_number(literal_eval(key), draw)  # type: ignore[attr-defined]

        self.canv.setNamedCB("drawTOCEntryEnd", defer)
        return size


def _draw_number(
    dot_colour: Color,
    style: ParagraphStyle,
    matrix: tuple[float, ...],
    x: float,
    y: float,
    width: float,
    canvas: Canvas,
    page: int,
) -> None:
    """A contents entry's dot leader and page number, after where the entry's text ended."""
    text, font, size = str(page), style.fontName, style.fontSize
    text_width, dot_width = stringWidth(text, font, size), stringWidth(" . ", font, size)
    dots = max(0, int((width - x - text_width) / dot_width))
    canvas.saveState()
    canvas.transform(*matrix)
    canvas.setFont(font, size)
    canvas.setFillColor(dot_colour)
    canvas.drawString(width - dots * dot_width - text_width, y, " . " * dots)
    canvas.setFillColor(style.textColor)
    canvas.drawRightString(width, y, text)
    canvas.restoreState()


def canvas_maker(doc: PdfDocument) -> type[Canvas]:
    decorations, timestamp = doc.decorations, doc.spec.timestamp

    class NumberedCanvas(Canvas):
        """Holds every page until ``save()``, when the total ("Page X of Y") and the page of
        every heading (for the contents) are known.

        The document's page counter still advances per page, so bookmarks and outline entries
        made during layout point at the right page (the usual recipe sends them all to page 1).
        """

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []
            self._deferred: list[tuple[str, Callable[[Canvas, int], None]]] = []
            if timestamp is not None:
                stamp = TimeStamp(invariant=True)
                moment = timestamp.astimezone(UTC) if timestamp.tzinfo else timestamp
                stamp.YMDhms = moment.timetuple()[:6]
                self._doc._timeStamp = stamp

        def defer_number(self, key: str, draw: Callable[[Canvas, int], None]) -> None:
            self._deferred.append((key, draw))

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._deferred = []
            self._doc.pageCounter += 1
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            self._doc.pageCounter -= total
            for state in self._held:
                self.__dict__.update(state)
                for key, draw in self._deferred:
                    draw(self, doc.heading_pages.get(key, 0))
                decorations.page_number(self, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


class PdfDocument(BaseDocTemplate):
    def __init__(
        self,
        filename: str,
        spec: DocumentSpec,
        theme: Theme,
        *,
        cover: bool,
        on_page: Callable[[int], None] | None,
    ) -> None:
        m = theme.margins
        super().__init__(
            filename,
            pagesize=theme.page_size,
            leftMargin=m.left,
            rightMargin=m.right,
            topMargin=m.top,
            bottomMargin=m.bottom,
            title=_one_line(spec.title),
            author=_one_line(spec.author),
            subject=_one_line(spec.subject),
            creator=f"{APP_NAME} {__version__}",
            invariant=1 if spec.deterministic else 0,
        )
        self.spec, self.theme, self.on_page = spec, theme, on_page
        self.decorations = _Decorations(spec, theme)
        size = (theme.frame_width, theme.frame_height)
        frame = TextFrame(m.left, m.bottom, *size, id="text", **_NO_PADDING)
        templates = [
            PageTemplate("cover", [frame], onPage=self.decorations.footer),
            PageTemplate("body", [frame], onPage=self._page_begin, onPageEnd=self._page_end),
        ]
        self.addPageTemplates(templates if cover else templates[::-1])

    def beforeDocument(self) -> None:
        # Each layout pass starts afresh, so keys and the header come out the same each time.
        self.heading_pages: dict[str, int] = {}
        self.toc_entries: list[tuple[int, str, str]] = []
        self._outline_level = -1
        self._toc_keys = 0
        self._subject = self.spec.running_subject
        self._page_subject: str | None = None

    def _page_begin(self, canvas: Canvas, _doc: object) -> None:
        self._page_subject = None
        self.decorations.footer(canvas)

    def _page_end(self, canvas: Canvas, _doc: object) -> None:
        subject = self._page_subject if self._page_subject is not None else self._subject
        self.decorations.header(canvas, subject)

    def afterPage(self) -> None:
        if self.on_page is not None:
            self.on_page(self.page)

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        # Make deferred flowables before platypus looks at them: the next one, and any after a
        # run of keep-with-next flowables (a heading keeps with what the Deferred makes).
        index = 0
        while index < len(flowables):
            flowable = flowables[index]
            if isinstance(flowable, Deferred):
                flowables[index : index + 1] = flowable.make()
            elif flowable.getKeepWithNext():
                index += 1
            else:
                break
        if flowables:
            super().handle_flowable(flowables)

    def handle_breakBefore(self, flowables: list[Flowable]) -> None:
        first = flowables[0]
        if isinstance(first, Heading) and first.page_break_before:
            if getattr(first, "_skipMeNextTime", False):
                del first._skipMeNextTime
            elif self._curPageFlowableCount:  # never a blank page when already at the top
                first._skipMeNextTime = True
                flowables.insert(0, PageBreak())
            return
        super().handle_breakBefore(flowables)

    def afterFlowable(self, flowable: Flowable) -> None:
        if not isinstance(flowable, Heading):
            return
        if flowable.running_subject is not None:
            if self._page_subject is None:
                self._page_subject = flowable.running_subject
            self._subject = flowable.running_subject
        if not (flowable.in_toc or flowable.in_outline):
            return
        # Contents entries are numbered apart from outline-only headings, so the keys planned
        # before layout hold even when those come from flowables made during it (Deferred).
        if flowable.in_toc:
            self._toc_keys += 1
            key = f"t{self._toc_keys}"
        else:
            key = f"o{len(self.heading_pages) + 1}"
        self.heading_pages[key] = self.page
        top = self.frame._y + flowable.getSpaceAfter() + flowable.height + 6
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=top)
        if flowable.in_outline:
            # An outline level may go at most one deeper than the entry before it.
            self._outline_level = min(flowable.level - 1, self._outline_level + 1)
            self.canv.addOutlineEntry(flowable.plain or "-", key, level=self._outline_level)
        if flowable.in_toc:
            self.toc_entries.append(toc_entry(flowable, self.theme, key))


def _one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def toc_entry(flowable: Heading, theme: Theme, key: str) -> tuple[int, str, str]:
    font = theme.styles[f"toc{flowable.level}"].fontName
    return flowable.level - 1, safe_markup(flowable.plain, font, multiline=False), key
