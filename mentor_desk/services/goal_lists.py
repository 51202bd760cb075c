"""Goals in lists: the rows of the goal list (no descriptions, milestone counts instead of
milestones) and the goals at risk that the Overview shows.

Reading only; creating and changing goals, milestones and check-ins is in
:mod:`mentor_desk.services.goals`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, func, select, type_coerce

from mentor_desk.db import models
from mentor_desk.db.base import GoalCategory, GoalStatus, ProgressMode, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.services.goals import CLOSED_STATUSES, milestone_progress
from mentor_desk.services.validation import parse_enum

#: A goal due within this many days and under :data:`DUE_SOON_MIN_PROGRESS` % is at risk.
DUE_SOON_DAYS = 14
DUE_SOON_MIN_PROGRESS = 50
#: How much of a description a list row carries.
EXCERPT_LENGTH = 160


@dataclass(frozen=True, slots=True)
class GoalRow:
    """A goal in a list: no full description, milestone counts instead of milestones."""

    id: int
    uid: str
    mentee_id: int
    mentee_name: str
    title: str
    excerpt: str
    category: GoalCategory
    target_date: date | None
    status: GoalStatus
    progress_mode: ProgressMode
    progress: int
    milestones_done: int
    milestones_total: int
    last_checkin_on: date | None
    visibility: Visibility
    presentation_id: int | None

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


@dataclass(frozen=True, slots=True)
class AtRiskGoal:
    """A goal that needs attention, with the reasons in words (``"overdue since 2026-03-01"``)."""

    goal: GoalRow
    reasons: tuple[str, ...]


def list_goals(
    db: Database,
    *,
    mentee_id: int | None = None,
    status: GoalStatus | str | None = None,
    category: GoalCategory | str | None = None,
    include_closed: bool = True,
) -> list[GoalRow]:
    """Goals for a list view, in one query: by mentee, then target date (undated last)."""
    wanted_status = parse_enum(GoalStatus, status, "status", optional=True)
    wanted_category = parse_enum(GoalCategory, category, "category", optional=True)
    goal = models.Goal
    milestone, checkin = models.Milestone, models.GoalCheckin
    # Correlated per goal (each an index lookup) rather than joined aggregates over every goal:
    # one mentee's goals then cost what they hold, not what the whole program holds.
    milestones_total = select(func.count()).where(milestone.goal_id == goal.id).scalar_subquery()
    milestones_done = (
        select(func.count())
        .where(milestone.goal_id == goal.id, milestone.done.is_(True))
        .scalar_subquery()
    )
    last_checkin_on = (
        select(func.max(checkin.checked_on)).where(checkin.goal_id == goal.id).scalar_subquery()
    )
    query = (
        select(
            goal.id,
            goal.uid,
            goal.mentee_id,
            models.Mentee.name.label("mentee_name"),
            goal.title,
            # Only the start of the description: list views must not load whole bodies.
            func.substr(goal.description, 1, EXCERPT_LENGTH + 1).label("description_start"),
            # The enums as their stored strings, turned into members by _goal_row: SQLAlchemy's
            # per-value enum processing was a fifth of listing thousands of goals.
            type_coerce(goal.category, String),
            goal.target_date,
            type_coerce(goal.status, String),
            type_coerce(goal.progress_mode, String),
            goal.progress.label("manual_progress"),
            milestones_done.label("milestones_done"),
            milestones_total.label("milestones_total"),
            last_checkin_on.label("last_checkin_on"),
            type_coerce(goal.visibility, String),
            goal.presentation_id,
        )
        .join(models.Mentee, models.Mentee.id == goal.mentee_id)
        .order_by(
            models.Mentee.name, models.Mentee.id, goal.target_date.is_(None), goal.target_date
        )
        .order_by(goal.id)
    )
    if mentee_id is not None:
        query = query.where(goal.mentee_id == mentee_id)
    if wanted_status is not None:
        query = query.where(goal.status == wanted_status)
    if wanted_category is not None:
        query = query.where(goal.category == wanted_category)
    if not include_closed:
        query = query.where(goal.status.not_in(CLOSED_STATUSES))
    with db.read() as session:
        rows = session.execute(query).all()
    return [_goal_row(row) for row in rows]


def count_goals(db: Database, *, mentee_id: int | None = None) -> int:
    """How many goals there are (of one mentee, or everyone's), closed ones included."""
    query = select(func.count()).select_from(models.Goal)
    if mentee_id is not None:
        query = query.where(models.Goal.mentee_id == mentee_id)
    with db.read() as session:
        return int(session.scalar(query) or 0)


def _goal_row(row: Any) -> GoalRow:
    # Unpacked by position (the order of list_goals' select): building a dict per row was half
    # the time of listing thousands of goals.
    (
        goal_id,
        uid,
        mentee_id,
        mentee_name,
        title,
        start,
        category,
        target_date,
        status,
        mode,
        manual,
        done,
        total,
        last_checkin_on,
        visibility,
        presentation_id,
    ) = row
    excerpt = " ".join(start.split())
    if len(start) > EXCERPT_LENGTH:
        excerpt = excerpt[: EXCERPT_LENGTH - 1].rstrip() + "…"
    progress_mode = _MODES[mode]
    return GoalRow(
        id=goal_id,
        uid=uid,
        mentee_id=mentee_id,
        mentee_name=mentee_name,
        title=title,
        excerpt=excerpt,
        category=_CATEGORIES[category],
        target_date=target_date,
        status=_STATUSES[status],
        progress_mode=progress_mode,
        # effective_progress, inlined: called per row, the enum comparison alone was a tenth.
        progress=milestone_progress(done, total) if mode == _MILESTONES_VALUE else manual,
        milestones_done=done,
        milestones_total=total,
        last_checkin_on=last_checkin_on,
        visibility=_VISIBILITIES[visibility],
        presentation_id=presentation_id,
    )


# Stored value -> member, for the enums list_goals reads as plain strings.
_CATEGORIES = {member.value: member for member in GoalCategory}
_STATUSES = {member.value: member for member in GoalStatus}
_MODES = {member.value: member for member in ProgressMode}
_VISIBILITIES = {member.value: member for member in Visibility}
_MILESTONES_VALUE = ProgressMode.MILESTONES.value


def goals_at_risk(db: Database, *, today: date, mentee_id: int | None = None) -> list[AtRiskGoal]:
    """Open goals that need attention, each with its reasons.

    A goal is at risk when its status says so (at risk, off track), when its target date has
    passed, or when it is due within :data:`DUE_SOON_DAYS` days with less than
    :data:`DUE_SOON_MIN_PROGRESS` % progress. Overdue goals come first, then by target date.
    """
    found: list[AtRiskGoal] = []
    for row in list_goals(db, mentee_id=mentee_id, include_closed=False):
        reasons: list[str] = []
        if row.status in (GoalStatus.AT_RISK, GoalStatus.OFF_TRACK):
            reasons.append(f"marked {row.status.label.lower()}")
        if row.target_date is not None:
            days_left = (row.target_date - today).days
            if days_left < 0:
                reasons.append(f"overdue since {row.target_date.isoformat()}")
            elif days_left <= DUE_SOON_DAYS and row.progress < DUE_SOON_MIN_PROGRESS:
                when = "today" if days_left == 0 else f"in {days_left} day{'s' * (days_left > 1)}"
                reasons.append(f"due {when} at {row.progress} %")
        if reasons:
            found.append(AtRiskGoal(goal=row, reasons=tuple(reasons)))
    found.sort(key=lambda item: (item.goal.target_date or date.max, item.goal.id))
    return found
