"""Flowables that keep long documents fast: :class:`Para`, :class:`TextFrame`, :class:`Deferred`.

:class:`Para` is the paragraph every Mentor Desk PDF uses: ReportLab's ``Paragraph``, lined up
once per width.

Platypus asks a paragraph for its size several times at the same width before drawing it: a
``KeepTogether`` (an evidence entry's title, dates and first paragraph) measures its content, then
the frame measures each piece again as it places it; keep-with-next groups do the same. Each
``Paragraph.wrap`` breaks every line anew, which was most of the layout time of a long dossier.
:class:`Para` keeps the broken lines while the width is the same and nothing has replaced or
dropped them (``split`` drops them when the paragraph cannot start on the page), so the result is
exactly what a plain ``Paragraph`` gives, only sooner.

Text with no markup at all (no tag, no entity: most titles, dates and table cells) also skips
ReportLab's markup parser, an HTML parser run per paragraph: its one fragment is the fragment the
parser made for the style once, holding the text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import copy, deepcopy
from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Frame, Paragraph
from reportlab.platypus.paragraph import textTransformFrags
from reportlab.platypus.paraparser import ParaFrag, ParaParser

__all__ = ["Deferred", "Para", "TextFrame"]


# The fragment ReportLab's parser makes for plain text in each style, the text aside.
_PLAIN: WeakKeyDictionary[ParagraphStyle, ParaFrag | None] = WeakKeyDictionary()


def _plain_fragment(style: ParagraphStyle) -> ParaFrag | None:
    try:
        return _PLAIN[style]
    except KeyError:
        pass
    _, frags, bullets = ParaParser().parse("x", style)
    frag = frags[0] if frags and len(frags) == 1 and not bullets else None
    if frag is not None and (frag.link or frag.us_lines or frag.text != "x"):
        frag = None  # not the plain fragment this shortcut knows how to copy
    _PLAIN[style] = frag
    return frag


class Para(Paragraph):
    """A ``Paragraph`` that breaks its lines once per width (see the module docstring)."""

    def _setup(
        self,
        text: str | None,
        style: ParagraphStyle,
        bulletText: Any,  # noqa: N803
        frags: list[Any] | None,
        cleaner: Callable[[str], str],
    ) -> None:
        if frags is None and text and "<" not in text and "&" not in text:
            cleaned = cleaner(text)
            template = _plain_fragment(style) if cleaned else None
            if template is not None:
                frag = copy(template)
                frag.text, frag.link, frag.us_lines = cleaned, [], []
                frags, text = [frag], cleaned
                textTransformFrags(frags, style)
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        state = self.__dict__
        wrapped = state.get("_wrapped")
        if wrapped is not None and wrapped[0] == availWidth and state.get("blPara") is wrapped[1]:
            self.width, self.height = availWidth, wrapped[2]
            return availWidth, wrapped[2]
        size = super().wrap(availWidth, availHeight)
        lines = state.get("blPara")
        self._wrapped = None if lines is None else (availWidth, lines, self.height)
        return size

    def draw(self) -> None:
        # Drawing may reorder a line's words in place (right-to-left styles): measure afresh if
        # the same flowable is laid out again (a second pass for the contents).
        self._wrapped = None
        super().draw()


class TextFrame(Frame):
    """The text frame, copied quickly: a ``KeepTogether`` measures its content on a deep copy
    of the frame, once per kept block (thousands in a long dossier). The copy is the same as
    ``copy.deepcopy`` gives; only the generic machinery for the frame's own numbers is skipped.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> TextFrame:
        twin = self.__class__.__new__(self.__class__)
        memo[id(self)] = twin
        # Frame.__setattr__ stores every name in __dict__, "__dict__" included: fill it in place.
        vars(twin).update(
            (name, value if type(value) in _IMMUTABLE else deepcopy(value, memo))
            for name, value in vars(self).items()
        )
        return twin


_IMMUTABLE = frozenset({int, float, str, bool, type(None)})


class Deferred(Flowable):
    """Stands for flowables that are made only when layout reaches them.

    A batch of packets puts one per mentee after the mentee's heading: each section is made
    just before its first page is laid out, so pages (and progress reports) start at once
    rather than after every section of every mentee has been made, and only one section's
    flowables are alive at a time. Headings listed in the contents must stay outside (the
    contents page is planned before layout); outline-only headings may be inside.
    """

    def __init__(self, make: Callable[[], Sequence[Flowable]]) -> None:
        super().__init__()
        self.make = make

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0  # never laid out itself: the document replaces it first

    def draw(self) -> None:
        return None
