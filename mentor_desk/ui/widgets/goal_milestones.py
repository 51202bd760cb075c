"""A goal's milestones, edited in place: add by title, tick done, retitle, set or clear a due date.

Every change is saved at once through :mod:`mentor_desk.services.goals`; :attr:`changed` then
tells the Goals tab to reload the goal (its progress may follow the milestones).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLineEdit, QWidget

from mentor_desk.services.goals import (
    Goal,
    Milestone,
    MilestoneInput,
    add_milestone,
    delete_milestone,
    toggle_milestone,
    update_milestone,
)
from mentor_desk.services.types import Database
from mentor_desk.ui.models.table import date_key
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.goal_delegates import DateDelegate
from mentor_desk.ui.widgets.goal_inline import InlineColumn, InlineEditor, InlineRowModel


def _done_text(m: Milestone) -> str:
    return m.done_on.isoformat() if m.done and m.done_on else ""


MILESTONE_COLUMNS: tuple[InlineColumn[Milestone], ...] = (
    InlineColumn(
        "Done",
        _done_text,
        lambda m: date_key(m.done_on) if m.done else -1,
        checked=lambda m: m.done,
        tooltip=lambda m: f"Done on {m.done_on}" if m.done else "Not done: tick it when it is",
    ),
    InlineColumn(
        "Milestone", lambda m: m.title, lambda m: m.title.casefold(), edit=lambda m: m.title
    ),
    InlineColumn(
        "Due date",
        lambda m: m.due_on.isoformat() if m.due_on else "",
        lambda m: date_key(m.due_on),
        edit=lambda m: m.due_on,
        tooltip=lambda m: "" if m.due_on else "No due date; double-click to set one",
    ),
)


class MilestoneModel(InlineRowModel[Milestone]):
    DONE, TITLE, DUE = range(3)

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(MILESTONE_COLUMNS, self._commit, parent)
        self._db = db

    def _commit(self, milestone: Milestone, column: int, value: Any) -> Milestone:
        if column == self.DONE:
            return toggle_milestone(self._db, milestone.id)
        data = MilestoneInput(
            title=milestone.title,
            due_on=milestone.due_on,
            done=milestone.done,
            done_on=milestone.done_on,
        )
        data = replace(data, title=value) if column == self.TITLE else replace(data, due_on=value)
        return update_milestone(self._db, milestone.id, data)


class MilestonesEditor(InlineEditor):
    """The milestones of one saved goal; :attr:`changed` follows every saved change."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(MilestoneModel(db), "Milestones", parent)
        self.model.setParent(self)
        self._db = db
        view = self.table.view
        view.setItemDelegateForColumn(MilestoneModel.DUE, DateDelegate(optional=True, parent=self))
        date_width = self.fontMetrics().horizontalAdvance("2026-12-31") + 48
        view.setColumnWidth(MilestoneModel.DONE, date_width)
        view.setColumnWidth(MilestoneModel.DUE, date_width)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(MilestoneModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.new_title = named(QLineEdit(), "New milestone title")
        self.new_title.setPlaceholderText("New milestone: type a title, press Enter")
        self.new_title.returnPressed.connect(self.add)
        fields = QHBoxLayout()
        fields.addWidget(self.new_title)
        self.finish("milestone", [self.new_title], fields)
        self.set_goal(None)

    def rows_of(self, goal: Goal) -> Sequence[Milestone]:
        return goal.milestones

    def save_new(self, goal_id: int) -> None:
        add_milestone(self._db, goal_id, MilestoneInput(title=self.new_title.text()))
        self.new_title.clear()

    def remove(self, record_id: int) -> None:
        delete_milestone(self._db, record_id)

    def describe(self, row: Milestone) -> str:
        return f"the milestone “{row.title}”"
