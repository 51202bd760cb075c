"""The bundled fonts for PDFs and charts, and per-character font fallback for ReportLab.

ReportLab draws every character of a string in one font and silently draws a box for glyphs that
font lacks. Mentor Desk ships DejaVu Sans (Latin, Greek, Cyrillic, Hebrew, Arabic, symbols) and
Droid Sans Fallback (CJK), so text is split into *runs*, each drawn in the first font of a fallback
chain that has its glyphs. :func:`font_runs` does the splitting, :func:`markup_with_fallback` turns
runs into ``<font>`` markup for a ``Paragraph``, and :func:`fit_text`/:func:`text_width` measure
text the same way the charts draw it.

Characters no bundled font has (colour emoji, rare scripts) stay in the base font's run, where
they show as a missing-glyph box instead of raising; :func:`missing_glyphs` lists them.

Right-to-left text is best-effort: :func:`visual_rtl` puts Arabic and Hebrew into visual order
when the optional ``python-bidi`` and ``arabic-reshaper`` packages are importable.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Mapping
from html import escape, unescape
from types import MappingProxyType
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from mentor_desk.paths import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
OBLIQUE = "DejaVuSans-Oblique"
BOLD_OBLIQUE = "DejaVuSans-BoldOblique"
CJK = "DroidSansFallback"
ELLIPSIS = "…"

_FONT_FILES: Mapping[str, str] = MappingProxyType(
    {
        REGULAR: "DejaVuSans.ttf",
        BOLD: "DejaVuSans-Bold.ttf",
        OBLIQUE: "DejaVuSans-Oblique.ttf",
        BOLD_OBLIQUE: "DejaVuSans-BoldOblique.ttf",
        CJK: "DroidSansFallbackFull.ttf",
    }
)

# What a toolkit (Qt, a browser) calls each registered face: the TTF's family name plus the CSS
# weight and style. SVG written by ReportLab names the ReportLab font instead.
FONT_FACES: Mapping[str, tuple[str, str, str]] = MappingProxyType(
    {
        REGULAR: ("DejaVu Sans", "normal", "normal"),
        BOLD: ("DejaVu Sans", "bold", "normal"),
        OBLIQUE: ("DejaVu Sans", "normal", "italic"),
        BOLD_OBLIQUE: ("DejaVu Sans", "bold", "italic"),
        CJK: ("Droid Sans Fallback", "normal", "normal"),
    }
)

_lock = threading.Lock()
_registered = False

# Characters that should not break a run when the current font can draw them: "李伟 张伟" is one
# CJK run, not three.
_NEUTRAL_CATEGORIES = ("Z", "P", "Mn", "Me", "Cf")
_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|\w+);)")


class _MeasuredFont(TTFont):
    """A TrueType font that remembers the widths it has measured.

    Laying out a paragraph measures it word by word, and ReportLab's measuring is a Python loop
    over the characters unless its optional C accelerator is installed. Words repeat (a long
    dossier has a few thousand distinct ones), so each width is computed once per size; the
    cache is cleared when it grows past :data:`_WIDTH_CACHE` entries.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._widths: dict[tuple[str, float], float] = {}

    def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:
        if isinstance(text, bytes):
            text = text.decode(encoding or "utf8")
        key = (text, size)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) >= _WIDTH_CACHE:
                self._widths.clear()
            width = self._widths[key] = super().stringWidth(text, size)
        return width


_WIDTH_CACHE = 50_000


def font_files() -> dict[str, str]:
    """The bundled TTF file of each ReportLab font name, as absolute paths."""
    return {name: str(resource_path("fonts", file)) for name, file in _FONT_FILES.items()}


def register_fonts() -> None:
    """Register the bundled fonts with ReportLab once; later calls do nothing.

    DejaVu Sans is registered as a family (regular, bold, oblique, bold-oblique) so ``<b>`` and
    ``<i>`` in Paragraph markup pick the right face.
    """
    global _registered
    with _lock:
        if _registered:
            return
        known = set(pdfmetrics.getRegisteredFontNames())
        for name, path in font_files().items():
            if name not in known:
                pdfmetrics.registerFont(_MeasuredFont(name, path))
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=OBLIQUE, boldItalic=BOLD_OBLIQUE
        )
        _registered = True


@functools.cache
def _cmap(font_name: str) -> Mapping[int, int] | None:
    register_fonts()
    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    return getattr(face, "charToGlyph", None)


def has_glyph(font_name: str, char: str) -> bool:
    """Whether the registered TrueType font ``font_name`` maps ``char`` in its character map."""
    cmap = _cmap(font_name)
    if cmap is None:  # a standard Type 1 font: Latin-1 at best
        return ord(char) < 0x100
    return ord(char) in cmap


def _chain(base: str) -> tuple[str, ...]:
    return (base, *(name for name in (REGULAR, CJK) if name != base))


def _is_neutral(char: str) -> bool:
    return unicodedata.category(char).startswith(_NEUTRAL_CATEGORIES)


def font_runs(text: str, base: str = REGULAR) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font_name, run)`` pairs so each run's font has its glyphs.

    Each character goes to the first font of ``base``, DejaVu Sans, Droid Sans Fallback that has
    it. Spaces, punctuation and combining marks stay in the current run when its font has them.
    Characters no font has stay in the current run (or ``base``) and show as a missing glyph.
    """
    if not text:
        return []
    # Nearly all text is drawn in its base font: one lookup per distinct character instead of
    # the walk below, which gives the same single run (it keeps every character base has there).
    if all(has_glyph(base, char) for char in set(text)):
        return [(base, text)]
    chain = _chain(base)
    runs: list[tuple[str, str]] = []
    current = base
    buffer: list[str] = []
    for char in text:
        if buffer and _is_neutral(char) and has_glyph(current, char):
            font = current
        else:
            font = next((name for name in chain if has_glyph(name, char)), current)
        if font != current and buffer:
            runs.append((current, "".join(buffer)))
            buffer = []
        current = font
        buffer.append(char)
    if buffer:
        runs.append((current, "".join(buffer)))
    return runs


def missing_glyphs(text: str, base: str = REGULAR) -> set[str]:
    """Characters of ``text`` that no bundled font can draw (control characters aside)."""
    chain = _chain(base)
    return {
        char
        for char in set(text)
        if unicodedata.category(char) != "Cc" and not any(has_glyph(f, char) for f in chain)
    }


def markup_with_fallback(escaped_text: str, base: str = REGULAR) -> str:
    """Wrap the runs of ``escaped_text`` that need another font in ``<font name=...>``.

    The caller must escape user text first (``html.escape``), because a ``Paragraph`` parses
    markup: "AT&T" would otherwise turn into "AT&T;" and an unknown tag would vanish. The caller's
    own tags (``<b>``, ``<br/>``) pass through unchanged and end the current run, so the result
    nests properly. ``base`` must be the paragraph style's font: runs in ``base`` are left bare.
    """
    out: list[str] = []
    for piece in _TAG_OR_ENTITY.split(escaped_text):
        if not piece:
            continue
        if piece.startswith("<"):
            out.append(piece)
            continue
        # Entities are decoded only to pick the font; they go out escaped again.
        for font, run in font_runs(unescape(piece), base):
            text = escape(run, quote=False)
            out.append(text if font == base else f'<font name="{font}">{text}</font>')
    return "".join(out)


def text_width(text: str, font_name: str, size: float) -> float:
    """Width in points of ``text`` drawn run by run, as the charts draw it."""
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in font_runs(text, font_name))


def fit_text(text: str, max_width: float, font_name: str, size: float) -> str:
    """``text`` unchanged if it fits ``max_width``, else its longest prefix that fits plus "…".

    Works on the logical (reading) order, so apply :func:`visual_rtl` to the result, not before.
    """
    if text_width(text, font_name, size) <= max_width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix whose truncated form still fits
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + ELLIPSIS, font_name, size) <= max_width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS if low else ELLIPSIS


def has_rtl(text: str) -> bool:
    """Whether ``text`` has right-to-left (Hebrew, Arabic) characters."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


@functools.cache
def _arabic_reshaper() -> Any:
    """One reshaper for the process (building one takes about 5 ms), or None without the
    optional packages."""
    try:
        import arabic_reshaper
        import bidi  # noqa: F401  (checked here so visual_rtl can rely on it)
    except ImportError:
        return None
    # The word ligatures live in Presentation Forms-A, which DejaVu Sans lacks.
    return arabic_reshaper.ArabicReshaper(configuration={"ARABIC LIGATURE ALLAH": False})


def visual_rtl(text: str) -> str:
    """``text`` in visual (left-to-right drawing) order, with Arabic letters joined.

    Best-effort: needs the optional ``python-bidi`` and ``arabic-reshaper`` packages and returns
    ``text`` unchanged without them, or when it has no right-to-left characters. Joined Arabic
    forms are used only when DejaVu Sans has all of them.
    """
    if not has_rtl(text):
        return text
    reshaper = _arabic_reshaper()
    if reshaper is None:
        return text
    from bidi import get_display

    shaped = reshaper.reshape(text)
    if any(not has_glyph(REGULAR, char) for char in set(shaped) - set(text)):
        shaped = text
    return str(get_display(shaped))
