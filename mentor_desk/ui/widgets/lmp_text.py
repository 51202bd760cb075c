"""Text pieces of the LMP Evidence tab: a Markdown editor with a preview, a source link, and
the history of a record's presentations as HTML.

The preview renders Markdown with raw HTML switched off, so a narrative that contains ``<b>&``
shows exactly that. Links (in a preview or a source) open through :class:`QDesktopServices`, in
the user's browser or mail program; nothing is fetched by the app itself.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QFontMetrics, QKeySequence, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mentor_desk.services.lmp import PresentationInfo
from mentor_desk.ui.style import named

#: Markdown as GitHub writes it, with any HTML in the text shown as text.
MARKDOWN_FEATURES = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)
_LINK_SCHEMES = ("http", "https", "mailto", "file")


def link_url(source: str) -> QUrl | None:
    """The address in a source, when the source is a link ("www." counts); else None."""
    text = source.strip()
    if not text or any(space in text for space in (" ", "\t", "\n")):
        return None
    if text.lower().startswith("www."):
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme.lower() not in _LINK_SCHEMES:
        return None
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return None
    if parts.scheme.lower() == "mailto" and not parts.path:
        return None
    url = QUrl(text)
    return url if url.isValid() else None


def open_link(url: QUrl | str) -> bool:
    """Open a link in the program the user chose for it."""
    return bool(QDesktopServices.openUrl(QUrl(url) if isinstance(url, str) else url))


class SourceLink(QLabel):
    """Shows a source that is a link as a clickable link; hidden for any other source."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "Source link", "Opens the source in your browser")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.linkActivated.connect(open_link)
        self.url: QUrl | None = None
        self.hide()

    def set_source(self, source: str) -> None:
        self.url = link_url(source)
        if self.url is None:
            self.clear()
            self.hide()
            return
        address = self.url.toString()
        shown = address if len(address) <= 90 else address[:89] + "…"
        self.setText(f'<a href="{html.escape(address, quote=True)}">{html.escape(shown)}</a>')
        self.setToolTip(f"Open {address}")
        self.show()


class MarkdownEditor(QWidget):
    """A plain-text Markdown box with a Preview toggle (Ctrl+Shift+P while typing).

    Signals:
        edited(): the text changed.
    """

    edited = Signal()

    def __init__(self, name: str, label: str, *, lines: int = 6, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(label)
        self.editor = named(QPlainTextEdit(), name, "Markdown: **bold**, *italic*, - lists")
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(QFontMetrics(self.editor.font()).lineSpacing() * lines + 14)
        self.label.setBuddy(self.editor)
        self.preview = named(QTextBrowser(), f"{name} preview")
        self.preview.setOpenLinks(False)
        self.preview.anchorClicked.connect(open_link)
        self.toggle = named(QToolButton(), f"Preview {name.lower()}")
        self.toggle.setText("Preview")
        self.toggle.setCheckable(True)
        self.toggle.setToolTip("Show the Markdown as it will read (Ctrl+Shift+P)")
        self.toggle.toggled.connect(self.set_preview)
        # Only while focus is inside this editor: two editors may be in one window.
        shortcut = QAction(self)
        shortcut.setShortcut(QKeySequence("Ctrl+Shift+P"))
        shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.triggered.connect(self.toggle.toggle)
        self.addAction(shortcut)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.editor)
        self.stack.addWidget(self.preview)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.label)
        header.addStretch(1)
        header.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self.editor.textChanged.connect(self.edited)
        QWidget.setTabOrder(self.editor, self.toggle)  # the text first, then its toggle

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        self.editor.setPlainText(text)
        if self.toggle.isChecked():
            self._render()

    def set_preview(self, on: bool) -> None:
        if self.toggle.isChecked() != on:
            self.toggle.setChecked(on)  # comes back here through toggled
            return
        if on:
            self._render()
        self.stack.setCurrentWidget(self.preview if on else self.editor)
        self.toggle.setText("Edit" if on else "Preview")

    def _render(self) -> None:
        text = self.text()
        if text.strip():
            self.preview.document().setMarkdown(text, MARKDOWN_FEATURES)
        else:
            self.preview.setPlainText("Nothing written yet.")

    def focus_text(self) -> None:
        (self.preview if self.toggle.isChecked() else self.editor).setFocus()


def history_html(presentations: list[PresentationInfo]) -> str:
    """The presentations, newest first, as escaped HTML; goals link to ``goal:<id>``."""
    if not presentations:
        return "<p>No presentation yet.</p>"
    parts: list[str] = []
    for number, item in reversed(list(enumerate(presentations, start=1))):
        reviewers = html.escape(", ".join(item.reviewers))
        parts.append(f"<h4>Presentation {number}: {item.presented_on.isoformat()}</h4>")
        parts.append(f"<p><b>Reviewers:</b> {reviewers}<br>")
        if item.decision is None:
            parts.append("<b>Decision:</b> not recorded yet</p>")
        else:
            parts.append(
                f"<b>Decision:</b> {html.escape(item.decision.label)}"
                f" on {item.decided_on.isoformat() if item.decided_on else '?'}</p>"
            )
        if item.decision_notes:
            notes = "<br>".join(html.escape(line) for line in item.decision_notes.splitlines())
            parts.append(f"<p>{notes}</p>")
        if item.goals:
            parts.append("<p><b>Requested actions (goals):</b></p><ul>")
            for goal in item.goals:
                target = f", target {goal.target_date.isoformat()}" if goal.target_date else ""
                parts.append(
                    f'<li><a href="goal:{goal.id}">{html.escape(goal.title)}</a> — '
                    f"{html.escape(goal.status.label)}, {goal.progress}%{target}</li>"
                )
            parts.append("</ul>")
    return "".join(parts)
