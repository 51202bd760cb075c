"""Help > User Guide (F1): ``docs/guide.md`` shown offline, with its screenshots.

The guide has one source of truth, ``docs/guide.md`` in the repository. The wheel carries the
``docs`` folder as ``mentor_desk/docs`` (see pyproject.toml) and a frozen build as
``<bundle>/mentor_desk/docs``, so :func:`guide_folder` looks in those places and, from a source
checkout, next to the package. The Markdown is rendered with markdown-it-py (GitHub-style heading
anchors, so the same ``#links`` work on GitHub and here). Links inside the guide scroll, links to
the other documents in ``docs/`` open here too, and web links go to the system browser.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

from markdown_it import MarkdownIt
from PySide6.QtCore import QObject, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QImage,
    QResizeEvent,
    QShowEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import mentor_desk
from mentor_desk import APP_NAME
from mentor_desk.ui.style import named

GUIDE = "guide.md"
MISSING = f"""# The user guide is missing

This installation of {APP_NAME} does not include its user guide. It is the file `docs/guide.md`
of the source code; everything in it also works from the command line (`mentor-desk --help`).
"""
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_IMAGE = re.compile(r'<img src="([^"]+)"')
_TAGS = re.compile(r"<[^>]+>")


def guide_folder() -> Path | None:
    """The folder holding ``guide.md`` and its screenshots, or None when it was not installed."""
    package = Path(mentor_desk.__file__).resolve().parent
    candidates = [package / "docs", package.parent / "docs"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen, "mentor_desk", "docs"))
    return next((folder for folder in candidates if (folder / GUIDE).is_file()), None)


def slug(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return text.replace(" ", "-")


def render(markdown: str) -> str:
    """The guide's Markdown as HTML for a QTextBrowser, each heading an anchor."""
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")

    def anchored(match: re.Match[str]) -> str:
        level, inner = match.group(1), match.group(2)
        name = slug(html.unescape(_TAGS.sub("", inner)))
        return f'<h{level}><a name="{name}"></a>{inner}</h{level}>'

    page = _HEADING.sub(anchored, parser.render(markdown))
    # Qt draws HTML tables without rules or padding unless asked.
    return page.replace("<table>", '<table border="1" cellspacing="0" cellpadding="4">')


class GuideBrowser(QTextBrowser):
    """A browser over the Markdown files of one folder, showing screenshots at the page width.

    Each image gets its size in the HTML and is scaled smoothly beforehand (the document's own
    scaling makes the text in screenshots unreadable); resizing the window lays the page out
    again at the new width, keeping the place.
    """

    def __init__(self, folder: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.current: Path | None = None
        self.history: list[Path] = []
        self.missing_images: list[str] = []
        self._html = ""
        self._originals: dict[str, QImage] = {}  # by source, as loaded
        self._laid_out_for = 0  # the page width the images were scaled for
        self.setOpenLinks(False)
        self.anchorClicked.connect(self.follow)
        # Resizing lays the page out again once the user stops dragging.
        self._fit_timer = QTimer(self, singleShot=True, interval=150)
        self._fit_timer.timeout.connect(self.fit_images)

    def show_file(self, path: Path | None, anchor: str = "") -> None:
        """Render ``path`` (a Markdown file), or the "missing" page when there is none."""
        self.current = path
        text = path.read_text(encoding="utf-8") if path is not None and path.is_file() else MISSING
        self._html = render(text)
        self._originals = {}
        self._lay_out()
        if anchor:
            self.scrollToAnchor(anchor)
        else:
            self.verticalScrollBar().setValue(0)

    def _lay_out(self) -> None:
        self.missing_images = []
        self._laid_out_for = self._room()
        self.setHtml(_IMAGE.sub(self._sized, self._html))

    def _sized(self, match: re.Match[str]) -> str:
        """An ``<img>`` tag with the width and height the image is shown at."""
        source = html.unescape(match.group(1))
        image = self._image(source)
        if image.isNull():
            self.missing_images.append(source)
            return match.group(0)
        shown = self._fitted(image)
        return f'<img width="{shown.width()}" height="{shown.height()}" src="{match.group(1)}"'

    def _image(self, source: str) -> QImage:
        if source not in self._originals:
            base = self.current.parent if self.current is not None else Path.cwd()
            self._originals[source] = QImage(str(base / QUrl(source).path()))
        return self._originals[source]

    def _room(self) -> int:
        margin = 2 * int(self.document().documentMargin()) + 8
        return max(200, self.viewport().width() - margin)

    def _fitted(self, image: QImage) -> QImage:
        room = self._room()
        if image.width() <= room:
            return image
        return image.scaledToWidth(room, Qt.TransformationMode.SmoothTransformation)

    def loadResource(self, kind: int, url: QUrl) -> object:
        """Images come scaled from :meth:`_image`; anything else the usual way."""
        if kind != QTextDocument.ResourceType.ImageResource or self.current is None:
            return super().loadResource(kind, url)
        image = self._image(url.toString())
        return image if image.isNull() else self._fitted(image)

    def fit_images(self) -> None:
        """Lay the page out again if its width changed, staying at the same place."""
        if self._room() == self._laid_out_for or not self._html:
            return
        bar = self.verticalScrollBar()
        place = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self._lay_out()
        bar.setValue(round(place * bar.maximum()))

    def follow(self, url: QUrl) -> None:
        """Where a clicked link goes: an anchor here, another guide page, or the browser."""
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        target = url.path()
        if not target:
            self.scrollToAnchor(url.fragment())
            return
        base = self.current.parent if self.current else self.folder or Path.cwd()
        path = (base / target).resolve()
        if path.suffix == ".md" and path.is_file():
            if self.current is not None:
                self.history.append(self.current)
            self.show_file(path, url.fragment())
        elif path.exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def back(self) -> None:
        if self.history:
            self.show_file(self.history.pop())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_images()  # the page has its real width only now

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_timer.start()

    def image_names(self) -> list[str]:
        """The image sources of the page, in order (for tests and diagnostics)."""
        return _IMAGE.findall(self.toHtml())


class GuideDialog(QDialog):
    """The user guide in a window of its own, beside the main window (not modal)."""

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("user_guide")
        self.setWindowTitle(f"{APP_NAME} User Guide")
        folder = folder if folder is not None else guide_folder()
        self.browser = named(GuideBrowser(folder, self), "User guide")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        self.back_button = named(QPushButton("&Back"), "Back")
        self.back_button.clicked.connect(self.browser.back)
        self.contents_button = named(QPushButton("&Contents"), "Contents")
        self.contents_button.clicked.connect(self.home)
        buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.contents_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(1000, 760)
        self.home()

    def home(self) -> None:
        """The guide's first page, from the top."""
        folder = self.browser.folder
        self.browser.history.clear()
        self.browser.show_file(folder / GUIDE if folder is not None else None)


def show_guide(parent: QObject) -> GuideDialog:
    """Open the guide beside ``parent``; a second F1 brings the same window back."""
    dialog = parent.findChild(GuideDialog)
    if dialog is None:
        dialog = GuideDialog(parent if isinstance(parent, QWidget) else None)
    dialog.show()
    if QGuiApplication.platformName() != "offscreen":  # which cannot raise windows
        dialog.raise_()
    dialog.activateWindow()
    return dialog
