"""A Markdown editor with a rendered preview: write, side by side, or preview only.

The preview is a :class:`QTextBrowser` fed by :meth:`QTextDocument.setMarkdown` in GitHub's
dialect with raw HTML switched off, so a note that says ``<b>&`` shows exactly that and no tag in
a note can pull in an image or change the page. It re-renders shortly after typing stops.
"""

from __future__ import annotations

import re
from enum import Enum

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.ui.style import named

MARKDOWN = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)
#: How long after the last keystroke the preview catches up.
PREVIEW_DELAY_MS = 200


class View(Enum):
    WRITE = "write"
    SPLIT = "split"
    PREVIEW = "preview"


#: A list item with nothing in it yet ("- " in a template, waiting to be filled in).
_EMPTY_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]*")
_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])(?:[ \t]|$)")


def _fill_empty_items(text: str) -> str:
    # Qt folds an empty list item into the block before it (a heading turns into a bullet), so
    # each gets an invisible no-break space. A lone "-" under a paragraph underlines a heading
    # instead, and is left as it is.
    lines = text.split("\n")
    for number, line in enumerate(lines):
        before = lines[number - 1] if number else ""
        if _EMPTY_ITEM.fullmatch(line) and (not before.strip() or _ITEM.match(before)):
            lines[number] = f"{line.rstrip()} \u00a0"
    return "\n".join(lines)


def render_markdown(document: QTextDocument, text: str) -> None:
    """Put ``text`` into ``document`` as rendered Markdown (no raw HTML); the text is unchanged."""
    document.setMarkdown(_fill_empty_items(text), MARKDOWN)


class MarkdownEditor(QWidget):
    """Notes in Markdown with a preview beside or instead of the text.

    Signals:
        text_changed(): the user (or :meth:`set_text`) changed the text.
    """

    text_changed = Signal()

    def __init__(self, name: str = "Notes", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = named(QPlainTextEdit(), name, "Markdown: # heading, - list, **bold**")
        self.editor.setTabChangesFocus(True)
        self.editor.setPlaceholderText("Write in Markdown: # Heading, - list item, **bold**")
        self.preview = named(QTextBrowser(), f"{name} preview", "The notes as they will read")
        self.preview.setOpenExternalLinks(True)
        self.preview.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab goes on to the next field
        lines = QFontMetrics(self.editor.font()).lineSpacing()
        for box in (self.editor, self.preview):
            box.setMinimumHeight(lines * 10)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.preview)
        self.splitter.setChildrenCollapsible(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.render_now)
        self.editor.textChanged.connect(self._typed)
        self.buttons = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(f"{name} (Markdown)")
        bar.addWidget(self.label)
        bar.addStretch(1)
        for view, text in (
            (View.WRITE, "Write"),
            (View.SPLIT, "Side by side"),
            (View.PREVIEW, "Preview"),
        ):
            button = named(QToolButton(), f"{text} view of the notes")
            button.setText(text)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setProperty("view", view.value)
            self.buttons.addButton(button)
            bar.addWidget(button)
        self.buttons.buttonClicked.connect(lambda b: self.set_view(View(b.property("view"))))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        # The buttons sit above the text, so Tab reaches them first.
        QWidget.setTabOrder(self.buttons.buttons()[-1], self.editor)
        self.view = View.SPLIT
        self.set_view(View.SPLIT)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Replace the text (not an undoable edit) and render it at once, from the top."""
        if text == self.editor.toPlainText():
            return  # unchanged (a reload): keep the cursor and the reader's place
        self.editor.setPlainText(text)
        self.render_now()
        # Another note was shown: read it from the top (the cursor decides where a resize scrolls).
        self.preview.moveCursor(QTextCursor.MoveOperation.Start)
        self.preview.verticalScrollBar().setValue(0)

    def set_view(self, view: View) -> None:
        """Show the text, the preview, or both side by side."""
        self.view = view
        self.editor.setVisible(view is not View.PREVIEW)
        self.preview.setVisible(view is not View.WRITE)
        for button in self.buttons.buttons():
            button.setChecked(button.property("view") == view.value)
        if view is not View.WRITE:
            self.render_now()

    def render_now(self) -> None:
        self._timer.stop()
        bar = self.preview.verticalScrollBar()
        position = bar.value()
        render_markdown(self.preview.document(), self.editor.toPlainText())
        bar.setValue(position)  # keep the reader's place while the text grows

    def _typed(self) -> None:
        if self.view is not View.WRITE:
            self._timer.start()
        self.text_changed.emit()
