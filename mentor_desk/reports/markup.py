"""Markdown and plain text (session notes, evidence narratives, recommendations) to flowables.

Markdown is parsed with markdown-it-py (CommonMark plus tables and strikethrough) and the token
stream is turned into platypus flowables. Raw HTML is not interpreted: ``<b>`` or ``<script>`` in
a note is shown as those characters, and so is an entity such as ``&amp;``. Every piece of text
goes through :func:`~mentor_desk.reports.theme.safe_markup`, so nothing the user typed can become
``Paragraph`` markup.

Very long input stays fast and never trips ReportLab's "flowable too large": paragraphs are cut
into pieces of about :data:`CHUNK_CHARS` characters at a space (a ``Paragraph`` re-wraps all its
remaining text on every page it is split across), and code blocks into pieces of
:data:`CODE_LINES` lines, with lines wider than the column wrapped.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, HRFlowable, Paragraph, XPreformatted

from mentor_desk.reports import fonts
from mentor_desk.reports.flowables import Para
from mentor_desk.reports.theme import (
    MONO,
    Theme,
    clean_text,
    is_rtl_paragraph,
    safe_markup,
)

__all__ = ["CHUNK_CHARS", "CODE_LINES", "markdown_flowables", "plain_paragraphs"]

CHUNK_CHARS = 2000
CODE_LINES = 40
LIST_INDENT = 20.0
QUOTE_INDENT = 14.0
_LINKABLE = ("http://", "https://", "mailto:")
_BULLETS = ("•", "◦", "▪")
_CONTINUATION = "↪ "
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


@functools.cache
def _parser() -> MarkdownIt:
    """The one Markdown parser: building one takes about a millisecond, a dossier has thousands
    of narratives, and ``parse`` keeps its state per call, so one is shared."""
    # "entity" off: "&amp;" in a note is shown as typed, like every other character.
    return (
        MarkdownIt("commonmark", {"html": False, "typographer": False})
        .enable(["table", "strikethrough"])
        .disable("entity")
    )


class _Bars:
    """Draws a quote bar left of the flowable for each enclosing blockquote."""

    bars: tuple[float, ...] = ()
    bar_colour: Color | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = super().split(availWidth, availHeight)  # type: ignore[misc]
        for part in parts:
            part.bars, part.bar_colour = self.bars, self.bar_colour
        return parts

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803
        if self.bars and self.bar_colour is not None:
            canvas.saveState()
            canvas.setStrokeColor(self.bar_colour)
            canvas.setLineWidth(1.6)
            # Down into the space after, so the bar runs on between a quote's paragraphs.
            bottom = y - min(4.0, self.style.spaceAfter)  # type: ignore[attr-defined]
            for offset in self.bars:
                canvas.line(x + offset, bottom, x + offset, y + self.height)  # type: ignore[attr-defined]
            canvas.restoreState()
        super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]


class _QuotedParagraph(_Bars, Para):
    pass


class _QuotedCode(_Bars, XPreformatted):
    pass


@dataclass
class _Inline:
    """Inline markup built piece by piece and cut into chunks of about ``limit`` characters.

    Every chunk is complete markup: tags open at a cut are closed and reopened in the next one.
    """

    style: ParagraphStyle
    muted: str
    link: str
    limit: int = CHUNK_CHARS
    chunks: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    size: int = 0
    open_tags: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, open, close)
    link_text: list[str] = field(default_factory=list)
    link_href: str | None = None

    def font(self) -> str:
        kinds = {kind for kind, _, _ in self.open_tags}
        if "code" in kinds or self.style.fontName == MONO:
            return MONO
        bold = "b" in kinds or self.style.fontName in (fonts.BOLD, fonts.BOLD_OBLIQUE)
        italic = "i" in kinds or self.style.fontName in (fonts.OBLIQUE, fonts.BOLD_OBLIQUE)
        return {
            (False, False): fonts.REGULAR,
            (True, False): fonts.BOLD,
            (False, True): fonts.OBLIQUE,
            (True, True): fonts.BOLD_OBLIQUE,
        }[(bold, italic)]

    def open(self, kind: str, open_tag: str, close_tag: str) -> None:
        self.open_tags.append((kind, open_tag, close_tag))
        self.parts.append(open_tag)

    def close(self, kind: str) -> None:
        for index in range(len(self.open_tags) - 1, -1, -1):
            if self.open_tags[index][0] == kind:
                # Close everything above it too, then reopen those: markup must nest.
                above = self.open_tags[index + 1 :]
                self.parts.extend(close for _, _, close in reversed(above))
                self.parts.append(self.open_tags[index][2])
                del self.open_tags[index]
                self.parts.extend(tag for _, tag, _ in above)
                return

    def raw(self, markup: str) -> None:
        self.parts.append(markup)

    def text(self, text: str) -> None:
        text = clean_text(text).replace("\t", " ").replace("\n", " ")
        if self.link_href is not None:
            self.link_text.append(text)
        while len(text) > self.limit - self.size:
            room = self.limit - self.size
            cut = text.rfind(" ", 0, room) if room > 0 else -1
            if cut <= 0:
                if self.size > 0:
                    self.cut()
                    continue
                cut = room  # one enormous word
            self._emit(text[:cut])
            text = text[cut:].lstrip(" ")
            self.cut()
        self._emit(text)

    def _emit(self, text: str) -> None:
        if text:
            self.parts.append(safe_markup(text, self.font(), multiline=False))
            self.size += len(text)

    def cut(self) -> None:
        """End the current chunk here."""
        closing = [close for _, _, close in reversed(self.open_tags)]
        self.chunks.append("".join([*self.parts, *closing]))
        self.parts = [tag for _, tag, _ in self.open_tags]
        self.size = 0

    def finish(self) -> list[str]:
        if self.size or not self.chunks:
            self.cut()
        return [chunk for chunk in self.chunks if chunk.strip()] or [""]

    def token(self, token: Token) -> None:
        kind = token.type
        if kind in ("text", "html_inline"):
            self.text(token.content)
        elif kind == "softbreak":
            self.raw(" ")
        elif kind == "hardbreak":
            self.raw("<br/>")
        elif kind in _SIMPLE_TAGS:
            name, tag = _SIMPLE_TAGS[kind]
            if kind.endswith("_open"):
                self.open(name, f"<{tag}>", f"</{tag}>")
            else:
                self.close(name)
        elif kind == "code_inline":
            self.open("code", f'<font name="{MONO}">', "</font>")
            self.text(token.content)
            self.close("code")
        elif kind == "link_open":
            self.link_open(str(token.attrs.get("href", "")))
        elif kind == "link_close":
            self.link_close()
        elif kind == "image":
            alt = token.content or str(token.attrs.get("src", ""))
            self.open("muted", f'<font color="{self.muted}">', "</font>")
            self.text(f"[image: {alt}]")
            self.close("muted")

    def link_open(self, href: str) -> None:
        self.link_href, self.link_text = href, []
        if href.lower().startswith(_LINKABLE):
            self.open("a", f'<a href="{escape(href)}" color="{self.link}">', "</a>")

    def link_close(self) -> None:
        href, shown = self.link_href or "", "".join(self.link_text).strip()
        self.link_href = None
        self.close("a")
        if href and href not in (shown, f"mailto:{shown}"):
            size = round(self.style.fontSize * 0.85, 1)
            self.open("muted", f'<font color="{self.muted}" size="{size}">', "</font>")
            self.text(f" ({href})")
            self.close("muted")


_SIMPLE_TAGS = {
    "strong_open": ("b", "b"),
    "strong_close": ("b", "b"),
    "em_open": ("i", "i"),
    "em_close": ("i", "i"),
    "s_open": ("s", "strike"),
    "s_close": ("s", "strike"),
}


def _code_columns(width: float, style: ParagraphStyle) -> int:
    # Courier advances 0.6 em per character.
    return max(8, math.floor(width / (0.6 * style.fontSize)))


def _wrap_code_line(line: str, columns: int) -> Iterator[str]:
    """``line`` cut to ``columns`` (wide East Asian characters count two)."""
    prefix = ""
    while True:
        used, cut = len(prefix), 0
        for cut, char in enumerate(line):  # noqa: B007
            used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
            if used > columns:
                break
        else:
            yield prefix + line
            return
        cut = max(cut, 1)
        yield prefix + line[:cut]
        line, prefix = line[cut:], _CONTINUATION


class _Renderer:
    """Walks markdown-it's token stream and collects flowables."""

    def __init__(self, theme: Theme, style: ParagraphStyle, heading_level: int) -> None:
        self.theme = theme
        self.style = style
        self.heading_level = heading_level
        self.out: list[Flowable] = []
        self.lists: list[list[Any]] = []  # [ordered, next number]
        self.quotes = 0
        self.pending_bullet: str | None = None
        self._styles: dict[tuple[Any, ...], ParagraphStyle] = {}
        palette = theme.palette
        self.muted = palette.muted.hexval().replace("0x", "#")
        self.link = palette.link.hexval().replace("0x", "#")

    # --- styles -----------------------------------------------------------------------------
    def derived(self, base: ParagraphStyle, **options: Any) -> ParagraphStyle:
        key = (base.name, *sorted(options.items()))
        style = self._styles.get(key)
        if style is None:
            name = f"{base.name}-{len(self._styles)}"
            style = self._styles[key] = ParagraphStyle(name, parent=base, **options)
        return style

    def indent(self) -> float:
        return len(self.lists) * LIST_INDENT + self.quotes * QUOTE_INDENT

    def block_style(self, base: ParagraphStyle) -> ParagraphStyle:
        if self.lists:
            indent, base = self.indent(), self.theme.styles["list"]
            if self.lists[-1][0]:  # numbers end at the same place, whatever their width
                return self.derived(
                    base, leftIndent=indent, bulletIndent=indent - 6, bulletAnchor="end"
                )
            return self.derived(base, leftIndent=indent, bulletIndent=indent - 12)
        if self.quotes:
            quote = self.theme.styles["quote"]
            return self.derived(quote, leftIndent=self.indent(), fontSize=base.fontSize)
        return base

    def bars(self) -> tuple[float, ...]:
        return tuple(QUOTE_INDENT * i + 3 for i in range(self.quotes))

    # --- blocks -----------------------------------------------------------------------------
    def paragraphs(self, chunks: Sequence[str], style: ParagraphStyle, source: str) -> None:
        if is_rtl_paragraph(source):
            style = self.derived(style, alignment=TA_RIGHT)
        last = len(chunks) - 1
        for index, chunk in enumerate(chunks):
            chunk_style = style if index == last else self.derived(style, spaceAfter=0)
            if index:
                chunk_style = self.derived(chunk_style, spaceBefore=0)
            bullet, self.pending_bullet = self.pending_bullet, None
            cls = _QuotedParagraph if self.quotes else Para
            paragraph = cls(chunk, chunk_style, bulletText=bullet)
            if self.quotes:
                paragraph.bars, paragraph.bar_colour = self.bars(), self.theme.palette.quote_bar
            self.out.append(paragraph)

    def inline(self, token: Token, style: ParagraphStyle) -> None:
        builder = _Inline(style, self.muted, self.link)
        for child in token.children or ():
            builder.token(child)
        self.paragraphs(builder.finish(), style, token.content)

    def end_block(self) -> None:
        """After a whole list or quote, leave a paragraph's space, not a list item's."""
        last = self.out[-1] if self.out and not (self.lists or self.quotes) else None
        if isinstance(last, Paragraph) and last.style.spaceAfter < self.style.spaceAfter:
            last.style = self.derived(last.style, spaceAfter=self.style.spaceAfter)

    def flush_bullet(self) -> None:
        """An item that starts with something other than a paragraph still shows its bullet."""
        if self.pending_bullet is not None:
            self.paragraphs([""], self.block_style(self.style), "")

    def code(self, content: str) -> None:
        self.flush_bullet()
        base = self.theme.styles["code"]
        indent = self.indent()
        width = self.theme.frame_width - indent - base.leftIndent - base.rightIndent
        columns = _code_columns(width, base)
        text = clean_text(content).expandtabs(4).rstrip("\n")
        lines = [piece for line in text.split("\n") for piece in _wrap_code_line(line, columns)]
        groups = [lines[i : i + CODE_LINES] for i in range(0, len(lines), CODE_LINES)]
        last = len(groups) - 1
        for index, group in enumerate(groups):
            top, bottom = (5 if index == 0 else 0), (5 if index == last else 0)
            style = self.derived(
                base,
                leftIndent=base.leftIndent + indent,
                borderPadding=(top, 6, bottom, 6),
                spaceBefore=top + 2 if index == 0 else 0,
                spaceAfter=bottom + 5 if index == last else 0,
            )
            markup = "\n".join(safe_markup(line, MONO, multiline=False) for line in group)
            cls = _QuotedCode if self.quotes else XPreformatted
            block = cls(markup, style)
            if self.quotes:
                block.bars, block.bar_colour = self.bars(), self.theme.palette.quote_bar
            self.out.append(block)

    def table(self, tokens: list[Token], start: int) -> int:
        """Render the table starting at ``tokens[start]``; return the index after it."""
        header: list[Flowable] = []
        rows: list[list[Flowable]] = []
        numeric: set[int] = set()
        row: list[Flowable] = []
        index = start
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type in ("th_open", "td_open"):
                column = len(row)
                if "right" in str(token.attrs.get("style", "")):
                    numeric.add(column)
                cell_name = "table_header" if token.type == "th_open" else "table_cell"
                if column in numeric:
                    cell_name += "_right"
                cell_style = self.theme.styles[cell_name]
                builder = _Inline(cell_style, self.muted, self.link, limit=10**9)
                for child in tokens[index + 1].children or ():
                    builder.token(child)
                row.append(Para(builder.finish()[0], cell_style))
            elif token.type == "tr_close":
                if header:
                    rows.append(row)
                else:
                    header = row
                row = []
            index += 1
        self.out.append(self.theme.table(rows, header=header, numeric_columns=numeric))
        return index + 1

    def render(self, tokens: list[Token]) -> list[Flowable]:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "inline":
                self.inline(token, self.block_style(self.style))
            elif kind == "heading_open":
                self.flush_bullet()
                level = min(4, self.heading_level + int(token.tag[1:]) - 1)
                self.inline(tokens[index + 1], self.theme.styles[f"h{level}"])
                index += 2
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.flush_bullet()
                start = token.attrs.get("start", 1)
                self.lists.append([kind == "ordered_list_open", int(start)])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
                self.end_block()
            elif kind == "list_item_open":
                ordered, number = self.lists[-1]
                if ordered:
                    self.pending_bullet = f"{number}."
                    self.lists[-1][1] = number + 1
                else:
                    self.pending_bullet = _BULLETS[(len(self.lists) - 1) % len(_BULLETS)]
            elif kind == "blockquote_open":
                self.flush_bullet()
                self.quotes += 1
            elif kind == "blockquote_close":
                self.quotes -= 1
                self.end_block()
            elif kind in ("fence", "code_block"):
                self.code(token.content)
            elif kind == "html_block":
                self.plain(token.content)
            elif kind == "hr":
                self.flush_bullet()
                self.out.append(
                    HRFlowable(
                        width="100%",
                        thickness=0.6,
                        color=self.theme.palette.rule,
                        spaceBefore=4,
                        spaceAfter=8,
                    )
                )
            elif kind == "table_open":
                self.flush_bullet()
                index = self.table(tokens, index)
                continue
            index += 1
        self.flush_bullet()
        return self.out

    def plain(self, text: str) -> None:
        style = self.block_style(self.style)
        for block in _PARAGRAPH_BREAK.split(clean_text(text).strip("\n")):
            if not block.strip():
                continue
            builder = _Inline(style, self.muted, self.link)
            for number, line in enumerate(block.split("\n")):
                if number:
                    builder.raw("<br/>")
                builder.text(line)
            self.paragraphs(builder.finish(), style, block)


def markdown_flowables(
    text: str,
    theme: Theme,
    *,
    style: str | ParagraphStyle = "body",
    heading_level: int = 3,
) -> list[Flowable]:
    """Markdown ``text`` as flowables in ``theme``.

    Args:
        text: Markdown (CommonMark, tables, ``~~strikethrough~~``); any size, any characters.
        theme: the document theme.
        style: the paragraph style for body text.
        heading_level: the theme heading a ``#`` heading becomes (``3`` is ``h3``; deeper levels
            follow, down to ``h4``). Markdown headings never enter the table of contents.
    """
    renderer = _Renderer(theme, theme.style(style), max(1, min(4, heading_level)))
    return renderer.render(_parser().parse(clean_text(text)))


def plain_paragraphs(
    text: str, theme: Theme, *, style: str | ParagraphStyle = "body"
) -> list[Flowable]:
    """Plain text as paragraphs: blank lines separate paragraphs, single newlines are kept.

    Nothing in ``text`` is interpreted: ``**``, ``#`` and ``<b>`` are shown as typed.
    """
    renderer = _Renderer(theme, theme.style(style), 3)
    renderer.plain(text)
    return renderer.out
