"""JSON text exactly as ``json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)``
writes it, several times faster.

The standard library only uses its C encoder when ``indent`` is None; with an indent every value
goes through Python generators, which was half the time of exporting a large program. Here each
string still goes through the C ``encode_basestring`` and the layout is built with joins. The
interchange format's canonical text is indented, and its tests compare this with ``json.dumps``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

__all__ = ["INDENT", "dumps", "list_lines", "object_lines"]

#: Spaces per level, as ``indent=2``.
INDENT = "  "


def dumps(value: Any, level: int = 0) -> str:
    """``value`` as indented JSON text, its first line unindented and nested lines starting at
    ``level`` (so a table row can be written inside a list at level 2).

    Raises:
        ValueError: NaN or infinity (JSON has neither), as ``allow_nan=False`` does.
        TypeError: a value JSON cannot hold, or a key that is not text.
    """
    if isinstance(value, str):
        return encode_basestring(value)  # type: ignore[no-any-return]
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        return float.__repr__(value)
    if isinstance(value, Mapping):
        return _container("{", "}", _members(value, level + 1), level)
    if isinstance(value, list | tuple):
        return _container("[", "]", (dumps(item, level + 1) for item in value), level)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def object_lines(items: Iterable[tuple[str, str | Iterable[str]]], level: int) -> Iterator[str]:
    """The text of an object whose members are given already encoded, as pieces to write.

    ``items`` are (key, encoded value) pairs, produced lazily if need be; a value may itself be
    an iterable of pieces (:func:`list_lines`): a file writer can so stream an object of several
    huge lists without ever holding one of them as text.
    """
    inner = "\n" + INDENT * (level + 1)
    first = True
    for key, value in items:
        yield ("{" if first else ",") + inner + encode_basestring(key) + ": "
        if isinstance(value, str):
            yield value
        else:
            yield from value
        first = False
    yield "{}" if first else "\n" + INDENT * level + "}"


def list_lines(encoded: Iterable[str], level: int) -> Iterator[str]:
    """Like :func:`object_lines`, for a list whose items are given encoded (at ``level + 1``)."""
    inner = "\n" + INDENT * (level + 1)
    first = True
    for text in encoded:
        yield ("[" if first else ",") + inner + text
        first = False
    yield "[]" if first else "\n" + INDENT * level + "]"


def _members(value: Mapping[Any, Any], level: int) -> Iterator[str]:
    for key, item in value.items():
        if not isinstance(key, str):
            raise TypeError(f"keys must be str, not {type(key).__name__}")
        yield encode_basestring(key) + ": " + dumps(item, level)


def _container(opening: str, closing: str, parts: Iterable[str], level: int) -> str:
    inner = "\n" + INDENT * (level + 1)
    body = ("," + inner).join(parts)
    if not body:
        return opening + closing
    return opening + inner + body + "\n" + INDENT * level + closing
