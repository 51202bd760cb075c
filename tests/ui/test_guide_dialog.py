"""Help > User Guide (F1): docs/guide.md rendered offline, with its screenshots and links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser
from pytestqt.qtbot import QtBot

from mentor_desk.ui.dialogs import guide
from mentor_desk.ui.dialogs.guide import GuideDialog, guide_folder, render, slug
from mentor_desk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE_TEXT = (DOCS / "guide.md").read_text(encoding="utf-8")


@pytest.fixture
def dialog(qtbot: QtBot) -> GuideDialog:
    shown = GuideDialog()
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def click_link(qtbot: QtBot, browser: QTextBrowser, text: str) -> None:
    """Click the middle of the first occurrence of ``text`` (a link) as a person would."""
    found = browser.document().find(text)
    assert not found.isNull(), text
    browser.setTextCursor(found)
    browser.ensureCursorVisible()
    found.setPosition(found.selectionStart() + len(text) // 2)
    qtbot.mouseClick(
        browser.viewport(), Qt.MouseButton.LeftButton, pos=browser.cursorRect(found).center()
    )


def test_the_guide_ships_from_one_source(dialog: GuideDialog) -> None:
    assert guide_folder() == DOCS
    assert dialog.browser.current == DOCS / "guide.md"


def test_headings_and_every_screenshot_are_shown(dialog: GuideDialog) -> None:
    browser = dialog.browser
    text = browser.toPlainText()
    for heading in (
        "Mentor Desk user guide",
        "Getting started",
        "For the mentor",
        "For the sponsoring manager",
        "Printing quarterly review packets",
        "Keeping your data safe",
        "Command line",
        "Troubleshooting",
    ):
        assert heading in text
    images = browser.image_names()
    expected = re.findall(r"!\[[^\]]*\]\((screenshots/[^)]+)\)", GUIDE_TEXT)
    assert images == expected
    assert len(images) >= 15
    for name in images:
        image = browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        assert isinstance(image, QImage), name
        assert not image.isNull(), name
    assert browser.missing_images == []


def test_screenshots_fit_the_page_width(qtbot: QtBot, dialog: GuideDialog) -> None:
    browser = dialog.browser
    dialog.resize(700, 600)
    qtbot.waitUntil(lambda: _widest_image(browser) <= browser.viewport().width())
    assert 0 < _widest_image(browser) <= browser.viewport().width()


def _widest_image(browser: QTextBrowser) -> float:
    widths = [0.0]
    block = browser.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fmt = iterator.fragment().charFormat()
            if fmt.isImageFormat():
                widths.append(fmt.toImageFormat().width())
            iterator += 1
        block = block.next()
    return max(widths)


def test_clicking_a_contents_link_scrolls_to_its_section(qtbot: QtBot, dialog: GuideDialog) -> None:
    browser = dialog.browser
    assert browser.verticalScrollBar().value() == 0
    clicks: list[QUrl] = []
    browser.anchorClicked.connect(clicks.append)
    click_link(qtbot, browser, "Keeping your data safe")
    assert [url.toString() for url in clicks] == ["#keeping-your-data-safe"]
    browser.verticalScrollBar().setValue(0)
    browser.follow(clicks[0])
    assert browser.verticalScrollBar().value() > browser.viewport().height()


def test_internal_links_all_have_a_target() -> None:
    """Every #link in the guide names a heading (same anchors as on GitHub)."""
    headings = {slug(title) for title in re.findall(r"^#+ (.+)$", GUIDE_TEXT, flags=re.M)}
    links = set(re.findall(r"\]\(#([^)]+)\)", GUIDE_TEXT))
    assert links
    assert links <= headings
    assert 'name="keeping-your-data-safe"' in render(GUIDE_TEXT)


def test_other_documents_open_inside_and_web_links_outside(
    qtbot: QtBot, dialog: GuideDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    browser = dialog.browser
    browser.follow(QUrl("encryption.md"))
    assert browser.current == DOCS / "encryption.md"
    assert "What is protected" in browser.toPlainText()
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    assert browser.current == DOCS / "guide.md"
    browser.follow(QUrl("https://pypi.org/project/platformdirs/"))
    assert [url.toString() for url in opened] == ["https://pypi.org/project/platformdirs/"]
    assert browser.current == DOCS / "guide.md"


def test_a_missing_guide_says_so(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guide, "guide_folder", lambda: None)
    shown = GuideDialog()
    qtbot.addWidget(shown)
    assert "The user guide is missing" in shown.browser.toPlainText()


def test_f1_opens_the_guide_and_again_brings_back_the_same(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    first = window.findChild(GuideDialog)
    assert first is not None
    assert first.isVisible()
    first.close()
    window.guide_action.trigger()
    assert window.findChildren(GuideDialog) == [first]
    assert first.isVisible()
    assert "Getting started" in first.browser.toPlainText()
    first.close()
