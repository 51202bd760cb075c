"""Combo boxes of enum members, as every form shows them.

Item data holds each member's stored value (a plain string): Qt would turn a str-based enum member
into plain text on the way in anyway, so :func:`chosen` converts back. The same helpers select an
item by an id, for combos of records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar, overload

from PySide6.QtWidgets import QComboBox

from mentor_desk.services.types import StrEnumBase
from mentor_desk.ui.style import named

E = TypeVar("E", bound=StrEnumBase)


def enum_combo(
    name: str,
    members: Iterable[StrEnumBase],
    *,
    labels: Mapping[StrEnumBase, str] | None = None,
    any_label: str = "",
) -> QComboBox:
    """A combo of enum members, by their label (or ``labels``); ``any_label`` first adds a
    "no choice" item (data None)."""
    combo = named(QComboBox(), name)
    if any_label:
        combo.addItem(any_label, None)
    for member in members:
        combo.addItem((labels or {}).get(member, member.label), member.value)
    return combo


@overload
def chosen(combo: QComboBox, enum_cls: type[E]) -> E | None: ...
@overload
def chosen(combo: QComboBox, enum_cls: type[E], default: E) -> E: ...
def chosen(combo: QComboBox, enum_cls: type[E], default: E | None = None) -> E | None:
    """The member chosen, or ``default`` on the "no choice" item (or none at all)."""
    value = combo.currentData()
    return default if value is None else enum_cls(value)


def set_choice(combo: QComboBox, value: object) -> None:
    """Select the item whose data is ``value`` (an enum member, its value, or an id); the first
    item when ``value`` is None or not there."""
    index = -1
    if value is not None:
        index = combo.findData(str(value) if isinstance(value, StrEnumBase) else value)
    combo.setCurrentIndex(max(index, 0))
