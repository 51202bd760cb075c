"""A delegate that draws a cell as rich text, for highlighted search snippets and the like.

The model gives HTML in a role of its own. Whoever builds that HTML escapes the user's text
(:func:`highlighted_html` does), so a note containing ``<b>&`` shows exactly that.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from mentor_desk.services.search import split_highlights

Index = QModelIndex | QPersistentModelIndex


def highlighted_html(snippet: str) -> str:
    """A search snippet as HTML: user text escaped, matched words in bold."""
    return "".join(
        f"<b>{html.escape(text)}</b>" if matched else html.escape(text)
        for text, matched in split_highlights(" ".join(snippet.split()))
    )


class RichTextDelegate(QStyledItemDelegate):
    """Paints the HTML found in ``role`` on one line, in the palette's colours."""

    def __init__(self, role: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._role = role

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(2)
        document.setHtml(str(index.data(self._role) or ""))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        document = self._document(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        text_rect = style.subElementRect(
            QStyle.SubElement.SE_ItemViewItemText,
            option,
            option.widget,
        )
        painter.save()
        painter.translate(text_rect.topLeft())
        top = max(0.0, (text_rect.height() - document.size().height()) / 2)
        painter.translate(0, top)
        clip = QRectF(0, 0, text_rect.width(), text_rect.height())
        painter.setClipRect(clip)
        context.clip = clip
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        self.initStyleOption(option, index)
        document = self._document(option, index)
        return QSize(int(document.idealWidth()), int(document.size().height()))
