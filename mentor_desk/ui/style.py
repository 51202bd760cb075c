"""Small shared pieces of look and feel.

The window follows the system palette. The only colours of its own are status tints: translucent,
so the palette's text stays readable on them in light and in dark themes alike.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)

#: Behind a row that is overdue (the next session was due in the past).
OVERDUE_TINT = QColor(230, 150, 0, 70)
#: Behind a row that has stalled (no contact for more than two cadences): the stronger warning.
STALLED_TINT = QColor(220, 50, 47, 70)
#: Text of error messages: a red that keeps enough contrast on white and on dark grey.
ERROR_TEXT = QColor(214, 48, 49)


def named(widget: W, name: str, description: str = "") -> W:
    """Give ``widget`` the name (and description) a screen reader announces; returns it."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def heading(text: str, *, scale: float = 1.3) -> QLabel:
    """A bold label, larger than body text, for the top of a panel or section."""
    label = QLabel(text)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def bold(font: QFont) -> QFont:
    result = QFont(font)
    result.setBold(True)
    return result


def error_label() -> QLabel:
    """A hidden label for a validation message, in the error colour, that wraps."""
    label = QLabel()
    label.setWordWrap(True)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, ERROR_TEXT)
    label.setPalette(palette)
    label.setVisible(False)
    return label


def centre(column: QLayout, parent: QWidget, *, width: int) -> None:
    """Lay ``column`` out in ``parent`` at a fixed width, centred, a little above the middle.

    A fixed-width box between stretches, because word-wrapped labels added to a layout with an
    alignment get too little height and are cut off.
    """
    box = QWidget()
    box.setFixedWidth(width)
    box.setLayout(column)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(box)
    row.addStretch(1)
    outer = QVBoxLayout(parent)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)


def separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line
