"""A tab whose real content comes in a later version: a calm panel that says so.

The Sessions, Goals and LMP Evidence tabs start as subclasses of :class:`ComingSoonTab`; each
lives in its own module so that its real implementation replaces it without touching the others.
"""

from __future__ import annotations

import contextlib
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from mentor_desk.errors import NotFoundError
from mentor_desk.services.mentees import get_mentee
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.style import centre, heading, named
from mentor_desk.ui.tabs.base import TabPage


class ComingSoonTab(TabPage):
    """Says what the tab will hold, and which mentee it will show."""

    #: One or two sentences on what the tab will do.
    blurb: ClassVar[str] = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        title = heading(f"{self.title}: coming in the next version")
        text = named(QLabel(self.blurb), f"{self.title} plans")
        text.setWordWrap(True)
        self.focus_label = named(QLabel(), "Mentee in focus")
        self.focus_label.setWordWrap(True)
        column = QVBoxLayout()
        for widget in (title, text, self.focus_label):
            widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(widget)
        centre(column, self, width=600)
        ctx.selector.changed.connect(self._show_focus)
        self._show_focus(ctx.selector.current_id)

    def _show_focus(self, mentee_id: int | None) -> None:
        name = "all mentees"
        if mentee_id is not None:
            with contextlib.suppress(NotFoundError):  # deleted meanwhile: say "all mentees"
                name = get_mentee(self.ctx.db, mentee_id).name
        self.focus_label.setText(f"It will show {name}, as chosen in the toolbar.")

    def refresh(self) -> None:
        self._show_focus(self.ctx.selector.current_id)

    def open_item(self, kind: str, item_id: int) -> bool:
        self.ctx.bus.status_message.emit(
            f"Opening this {kind.replace('_', ' ')} comes with the {self.title} tab, "
            "in the next version."
        )
        return False
