"""A goal's check-ins (date, progress, comment), added from a row of fields and edited in place.

Every change is saved at once; :attr:`CheckinsEditor.changed` tells the Goals tab to reload the
goal and its progress chart (the newest check-in also sets a hand-set goal's progress).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from mentor_desk.services.goals import (
    Checkin,
    CheckinInput,
    Goal,
    add_checkin,
    delete_checkin,
    update_checkin,
)
from mentor_desk.services.types import Database
from mentor_desk.ui.models.goals import PROGRESS_ROLE
from mentor_desk.ui.models.table import Index, date_key
from mentor_desk.ui.style import named
from mentor_desk.ui.widgets.goal_delegates import DATE_FORMAT, DateDelegate, ProgressBarDelegate
from mentor_desk.ui.widgets.goal_inline import InlineColumn, InlineEditor, InlineRowModel

CHECKIN_COLUMNS: tuple[InlineColumn[Checkin], ...] = (
    InlineColumn(
        "Date",
        lambda c: c.checked_on.isoformat(),
        lambda c: date_key(c.checked_on),
        edit=lambda c: c.checked_on,
    ),
    InlineColumn(
        "Progress",
        lambda c: f"{c.progress} %",
        lambda c: c.progress,
        numeric=True,
        edit=lambda c: c.progress,
    ),
    InlineColumn(
        "Comment", lambda c: c.comment, lambda c: c.comment.casefold(), edit=lambda c: c.comment
    ),
)


class CheckinModel(InlineRowModel[Checkin]):
    DATE, PROGRESS, COMMENT = range(3)

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(CHECKIN_COLUMNS, self._commit, parent)
        self._db = db

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == PROGRESS_ROLE and index.isValid() and index.column() == self.PROGRESS:
            return self.row_at(index.row()).progress
        return super().data(index, role)

    def _commit(self, checkin: Checkin, column: int, value: Any) -> Checkin:
        data = CheckinInput(
            checked_on=checkin.checked_on,
            progress=checkin.progress,
            comment=checkin.comment,
            visibility=checkin.visibility,
        )
        field = {self.DATE: "checked_on", self.PROGRESS: "progress", self.COMMENT: "comment"}
        return update_checkin(self._db, checkin.id, replace(data, **{field[column]: value}))


class CheckinsEditor(InlineEditor):
    """The check-ins of one saved goal, oldest first, with a row of fields to add one."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(CheckinModel(db), "Check-ins", parent)
        self.model.setParent(self)
        self._db = db
        view = self.table.view
        view.setItemDelegateForColumn(CheckinModel.DATE, DateDelegate(optional=False, parent=self))
        view.setItemDelegateForColumn(
            CheckinModel.PROGRESS, ProgressBarDelegate(PROGRESS_ROLE, self)
        )
        view.setColumnWidth(
            CheckinModel.DATE, self.fontMetrics().horizontalAdvance("2026-12-31") + 24
        )
        view.setColumnWidth(CheckinModel.PROGRESS, 90)
        self.new_date = named(QDateEdit(), "Check-in date")
        self.new_date.setDisplayFormat(DATE_FORMAT)
        self.new_date.setCalendarPopup(True)
        self.new_progress = named(QSpinBox(), "Check-in progress", "From 0 to 100 %")
        self.new_progress.setRange(0, 100)
        self.new_progress.setSuffix(" %")
        self.new_comment = named(QLineEdit(), "Check-in comment")
        self.new_comment.setPlaceholderText("Comment (optional)")
        self.new_comment.returnPressed.connect(self.add)
        fields = QHBoxLayout()
        fields.addWidget(self.new_date)
        fields.addWidget(self.new_progress)
        fields.addWidget(self.new_comment, 1)
        self.finish("check-in", [self.new_date, self.new_progress, self.new_comment], fields)
        self.set_goal(None)

    def set_goal(self, goal: Goal | None) -> bool:
        other = super().set_goal(goal)
        if other:
            # A fresh reading starts from today and the goal's progress as it stands.
            self.new_date.setDate(QDate.currentDate())
            self.new_progress.setValue(goal.progress if goal is not None else 0)
            self.new_comment.clear()
        return other

    def rows_of(self, goal: Goal) -> Sequence[Checkin]:
        return goal.checkins

    def save_new(self, goal_id: int) -> None:
        self.new_progress.interpretText()
        data = CheckinInput(
            checked_on=self.new_date.date().toPython(),
            progress=self.new_progress.value(),
            comment=self.new_comment.text(),
        )
        add_checkin(self._db, goal_id, data)
        self.new_comment.clear()

    def remove(self, record_id: int) -> None:
        delete_checkin(self._db, record_id)

    def describe(self, row: Checkin) -> str:
        return f"the check-in of {row.checked_on} ({row.progress} %)"
