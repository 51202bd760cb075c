"""The toolbar's mentee picker: "All mentees" or one mentee, bound to the shared selector."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QSizePolicy

from mentor_desk.services.mentees import find_mentees
from mentor_desk.services.types import MenteeStatus
from mentor_desk.ui.context import AppContext
from mentor_desk.ui.style import named

ALL_MENTEES = "All mentees"


class MenteePicker(QComboBox):
    """Shows the selector's mentee and changes it when the user picks another."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self._ctx = ctx
        named(self, "Mentee in focus", "The mentee the tabs show; All mentees shows everyone")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumContentsLength(18)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.activated.connect(self._picked)
        ctx.selector.changed.connect(self._show)
        ctx.bus.data_changed.connect(self.reload)
        self.reload()

    def reload(self, _what: str = "") -> None:
        self._fill()
        self._show(self._ctx.selector.current_id)

    def _fill(self) -> None:
        refs = find_mentees(self._ctx.db, "")
        self.blockSignals(True)
        self.clear()
        self.addItem(ALL_MENTEES, None)
        for ref in refs:
            archived = " (archived)" if ref.status is MenteeStatus.ARCHIVED else ""
            self.addItem(f"{ref.name}{archived}", ref.id)
        self.blockSignals(False)

    def _picked(self, index: int) -> None:
        if not self._ctx.selector.choose(self.itemData(index)):
            self._show(self._ctx.selector.current_id)

    def _show(self, mentee_id: int | None) -> None:
        index = self.findData(mentee_id) if mentee_id is not None else 0
        if index < 0:  # a mentee added since the list was filled
            self._fill()
            index = self.findData(mentee_id)
        self.blockSignals(True)
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)
