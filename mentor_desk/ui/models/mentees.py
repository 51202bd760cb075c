"""The mentee list: a table model over :class:`MenteeRow` and the proxy that filters it.

All mentees (archived ones too) are loaded at once: a mentor has at most a few hundred, and
filtering them in the proxy keeps typing in the filter box instant.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtGui import QColor

from mentor_desk.services.mentees import MenteeRow, fold
from mentor_desk.services.types import Level, MenteeStatus
from mentor_desk.ui.models.table import Column, ModelSortProxy, RowTableModel, date_key
from mentor_desk.ui.style import OVERDUE_TINT, STALLED_TINT

_LEVELS = list(Level)
_STATUSES = list(MenteeStatus)


def level_text(row: MenteeRow) -> str:
    """The level (which implies its track), or the track alone when no level is set."""
    if row.level is not None:
        return row.level.label
    return f"{row.track.label} track" if row.track is not None else ""


def level_tooltip(row: MenteeRow) -> str:
    if row.level is not None:
        return f"{row.level.label}, {row.level.track.label.lower()} track"
    return f"{row.track.label} track" if row.track is not None else "No level or track set."


def role_tooltip(row: MenteeRow) -> str:
    return ", ".join(part for part in (row.role, f"team {row.team}" if row.team else "") if part)


def due_text(row: MenteeRow) -> str:
    """The due date, with "overdue" or "stalled" in words (the tint is not the only sign)."""
    if row.next_due_on is None:
        return ""
    text = row.next_due_on.isoformat()
    if row.stalled:
        return f"{text} · stalled"
    return f"{text} · overdue" if row.overdue else text


def due_tooltip(row: MenteeRow, today: date | None = None) -> str:
    late = ((today or date.today()) - row.next_due_on).days if row.next_due_on else 0
    if row.stalled:
        return f"Stalled: {late} days overdue, more than two cadence periods without a session."
    if row.overdue:
        return f"The next session is {late} days overdue."
    if row.next_due_on is None:
        return "Only active mentorships have a next session due."
    return ""


def goals_text(row: MenteeRow) -> str:
    return f"{row.goals_on_track} of {row.goals_total}" if row.goals_total else ""


def _last_session_key(row: MenteeRow) -> float:
    return row.last_session_at.timestamp() if row.last_session_at else -1.0


MENTEE_COLUMNS: tuple[Column[MenteeRow], ...] = (
    Column("Name", lambda r: r.name, lambda r: fold(r.name)),
    Column("Role", lambda r: r.role, lambda r: fold(r.role), tooltip=role_tooltip),
    Column(
        "Level / track",
        level_text,
        lambda r: _LEVELS.index(r.level) if r.level is not None else len(_LEVELS),
        tooltip=level_tooltip,
    ),
    Column("Status", lambda r: r.status.label, lambda r: _STATUSES.index(r.status)),
    Column("Cadence", lambda r: r.cadence.label, lambda r: r.cadence.days),
    Column(
        "Last\nsession",
        lambda r: r.last_contact_on.isoformat() if r.last_contact_on else "never",
        _last_session_key,
    ),
    Column("Next due", due_text, lambda r: date_key(r.next_due_on), tooltip=due_tooltip),
    Column("Open\nactions", lambda r: str(r.open_actions), lambda r: r.open_actions, numeric=True),
    Column(
        "Goals on\ntrack",
        goals_text,
        lambda r: r.goals_on_track * 100_000 + r.goals_total,
        numeric=True,
        tooltip=lambda r: "On track or done, of the goals not dropped." if r.goals_total else "",
    ),
)


class MenteeTableModel(RowTableModel[MenteeRow]):
    """The mentee list. Use the column constants, never bare numbers."""

    NAME, ROLE, LEVEL, STATUS, CADENCE, LAST_SESSION, NEXT_DUE, OPEN_ACTIONS, GOALS = range(9)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(MENTEE_COLUMNS, parent)

    def background(self, row: MenteeRow) -> QColor | None:
        if row.stalled:
            return STALLED_TINT
        if row.overdue:
            return OVERDUE_TINT
        return None


#: The status filter's choices: (label, value for the filter).
STATUS_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("All but archived", None),
    ("All statuses", "all"),
    *((status.label, status.value) for status in MenteeStatus),
)
#: The program filter's choices.
PROGRAM_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("All programs", None),
    ("General mentorship", "general"),
    ("LMP candidacy", "lmp"),
)


class MenteeFilterProxy(ModelSortProxy):
    """Filters by text (name, role, team; ignoring case and accents), status and program."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._status: str | None = None
        self._program: str | None = None

    def set_text(self, text: str) -> None:
        self._change_filter("_needle", fold(" ".join(text.split())))

    def set_status(self, status: str | None) -> None:
        """None hides archived mentees, "all" shows everyone, else one status value."""
        self._change_filter("_status", status)

    def set_program(self, program: str | None) -> None:
        """None for everyone, "general" or "lmp"."""
        self._change_filter("_program", program)

    def _change_filter(self, attribute: str, value: str | None) -> None:
        # Qt 6.9 brought begin/endFilterChange and deprecated invalidateFilter; 6.7 and 6.8
        # (which pyproject allows) only have the latter.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            setattr(self, attribute, value)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            setattr(self, attribute, value)
            self.invalidateFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if not isinstance(model, MenteeTableModel) or source_parent.isValid():
            return True
        row = model.row_at(source_row)
        return self._status_ok(row) and self._program_ok(row) and self._text_ok(row)

    def _status_ok(self, row: MenteeRow) -> bool:
        if self._status == "all":
            return True
        if self._status is None:
            return row.status is not MenteeStatus.ARCHIVED
        return row.status.value == self._status

    def _program_ok(self, row: MenteeRow) -> bool:
        if self._program == "lmp":
            return row.in_lmp
        if self._program == "general":
            return row.in_general
        return True

    def _text_ok(self, row: MenteeRow) -> bool:
        return not self._needle or any(
            self._needle in fold(value) for value in (row.name, row.role, row.team)
        )
