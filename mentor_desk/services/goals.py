"""Goals with milestones and check-ins.

A goal's progress is either set by hand (``progress_mode`` manual) or worked out from its
milestones (done / total, rounded half up). Check-ins are dated progress readings: their run is the
progress-over-time chart. :func:`build_goal` is the building block for callers that create goals
inside their own unit of work (the LMP's "further targeted actions").
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from mentor_desk.db import models
from mentor_desk.db.base import Base, GoalCategory, GoalStatus, ProgressMode, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services.mentee_names import mentee_not_found
from mentor_desk.services.trash import move_to_trash
from mentor_desk.services.validation import (
    check_range,
    clean_text,
    date_warning,
    parse_date,
    parse_enum,
    require_date,
    require_text,
)

_M = TypeVar("_M", bound=Base)
_D = TypeVar("_D")

#: Statuses after which a goal no longer needs attention.
CLOSED_STATUSES = frozenset({GoalStatus.DONE, GoalStatus.DROPPED})


# --- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoalInput:
    """What the user enters for a goal; validated by :func:`create_goal`/:func:`update_goal`."""

    mentee_id: int
    title: str
    description: str = ""
    category: GoalCategory | str = GoalCategory.CAREER
    target_date: date | str | None = None
    status: GoalStatus | str = GoalStatus.NOT_STARTED
    progress_mode: ProgressMode | str = ProgressMode.MANUAL
    progress: int = 0
    visibility: Visibility | str = Visibility.SHARED_WITH_MENTEE
    presentation_id: int | None = None


@dataclass(frozen=True, slots=True)
class MilestoneInput:
    """A milestone as entered. ``done_on`` defaults to today when ``done`` is set without it."""

    title: str
    due_on: date | str | None = None
    done: bool = False
    done_on: date | str | None = None


@dataclass(frozen=True, slots=True)
class CheckinInput:
    checked_on: date | str
    progress: int
    comment: str = ""
    visibility: Visibility | str = Visibility.SHARED_WITH_MENTEE


# --- outputs ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Milestone:
    id: int
    uid: str
    goal_id: int
    title: str
    due_on: date | None
    done: bool
    done_on: date | None
    position: int


@dataclass(frozen=True, slots=True)
class Checkin:
    id: int
    uid: str
    goal_id: int
    checked_on: date
    progress: int
    comment: str
    visibility: Visibility


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal with everything on it.

    ``progress`` is the effective progress (from the milestones in milestones mode);
    ``manual_progress`` is the stored hand-set value, for the editor.
    """

    id: int
    uid: str
    mentee_id: int
    mentee_name: str
    title: str
    description: str
    category: GoalCategory
    target_date: date | None
    status: GoalStatus
    progress_mode: ProgressMode
    manual_progress: int
    progress: int
    visibility: Visibility
    presentation_id: int | None
    milestones: tuple[Milestone, ...]
    checkins: tuple[Checkin, ...]
    date_warnings: tuple[str, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


# --- rules --------------------------------------------------------------------------------------


def check_progress(value: Any, field: str = "progress") -> int:
    """A progress percentage: a whole number from 0 to 100."""
    try:
        return check_range(value, field, 0, 100)
    except (ValidationError, OverflowError):
        # One wording whatever was wrong (not a number, a fraction, out of range, infinite).
        raise ValidationError(
            f"must be a whole number from 0 to 100, not {value!r}", field
        ) from None


def milestone_progress(done: int, total: int) -> int:
    """Percentage of milestones done, rounded half up; 0 when there are none."""
    if total <= 0:
        return 0
    return (done * 200 + total) // (total * 2)


def effective_progress(mode: ProgressMode, manual: int, done: int, total: int) -> int:
    return milestone_progress(done, total) if mode == ProgressMode.MILESTONES else manual


def _goal_fields(session: Session, data: GoalInput) -> dict[str, Any]:
    """The one place goal input is checked; returns the column values."""
    if session.get(models.Mentee, data.mentee_id) is None:
        raise mentee_not_found(data.mentee_id)
    presentation_id = data.presentation_id
    if presentation_id is not None and session.get(models.LmpPresentation, presentation_id) is None:
        raise NotFoundError("The LMP presentation this goal belongs to was not found.")
    return {
        "mentee_id": data.mentee_id,
        "title": require_text(data.title, "title"),
        "description": clean_text(data.description, "description"),
        "category": parse_enum(GoalCategory, data.category, "category"),
        "target_date": parse_date(data.target_date, "target date", optional=True),
        "status": parse_enum(GoalStatus, data.status, "status"),
        "progress_mode": parse_enum(ProgressMode, data.progress_mode, "progress mode"),
        "progress": check_progress(data.progress),
        "visibility": parse_enum(Visibility, data.visibility, "visibility"),
        "presentation_id": presentation_id,
    }


def build_goal(
    session: Session,
    *,
    mentee_id: int,
    title: str,
    description: str = "",
    category: GoalCategory | str = GoalCategory.CAREER,
    target_date: date | str | None = None,
    status: GoalStatus | str = GoalStatus.NOT_STARTED,
    visibility: Visibility | str = Visibility.SHARED_WITH_MENTEE,
    presentation_id: int | None = None,
) -> models.Goal:
    """Validate a new goal and add it to the caller's session (flushed, not committed).

    For services that create goals as part of a larger unit of work; the goal commits or rolls
    back with the caller's work. Progress starts at 0, set by hand.
    """
    data = GoalInput(
        mentee_id=mentee_id,
        title=title,
        description=description,
        category=category,
        target_date=target_date,
        status=status,
        visibility=visibility,
        presentation_id=presentation_id,
    )
    return _add_goal(session, data)


def _add_goal(session: Session, data: GoalInput) -> models.Goal:
    goal = models.Goal(**_goal_fields(session, data))
    session.add(goal)
    session.flush()
    return goal


def _milestone_fields(data: MilestoneInput, *, done_on_default: date) -> dict[str, Any]:
    done = bool(data.done)
    done_on = parse_date(data.done_on, "done on", optional=True) if done else None
    return {
        "title": require_text(data.title, "title"),
        "due_on": parse_date(data.due_on, "due date", optional=True),
        "done": done,
        "done_on": (done_on or done_on_default) if done else None,
    }


def _checkin_fields(data: CheckinInput) -> dict[str, Any]:
    return {
        "checked_on": require_date(data.checked_on, "check-in date"),
        "progress": check_progress(data.progress),
        "comment": clean_text(data.comment, "comment"),
        "visibility": parse_enum(Visibility, data.visibility, "visibility"),
    }


# --- loading ------------------------------------------------------------------------------------


def _missing(what: str) -> NotFoundError:
    return NotFoundError(f"That {what} was not found; it may have been deleted.")


def _load(session: Session, model: type[_M], record_id: int, what: str) -> _M:
    row = session.get(model, record_id)
    if row is None:
        raise _missing(what)
    return row


def _load_goal(session: Session, goal_id: int) -> models.Goal:
    return _load(session, models.Goal, goal_id, "goal")


def _dto(cls: type[_D], row: Any, **values: Any) -> _D:
    """``cls`` filled from the same-named attributes of ``row``, except those given."""
    names = (f.name for f in fields(cls))  # type: ignore[arg-type]
    return cls(**{name: values[name] if name in values else getattr(row, name) for name in names})


def _goal_dto(session: Session, goal_id: int) -> Goal:
    row = session.execute(
        select(models.Goal, models.Mentee.name)
        .join(models.Mentee, models.Mentee.id == models.Goal.mentee_id)
        .where(models.Goal.id == goal_id)
        .options(selectinload(models.Goal.milestones), selectinload(models.Goal.checkins))
        .execution_options(populate_existing=True)
    ).one_or_none()
    if row is None:
        raise _missing("goal")
    goal, mentee_name = row
    milestones = tuple(_dto(Milestone, m) for m in goal.milestones)
    checkins = sorted(goal.checkins, key=lambda c: (c.checked_on, c.id))
    warnings = [date_warning(goal.target_date, "Target date")]
    warnings += [date_warning(m.due_on, f"Milestone “{m.title}” due date") for m in milestones]
    done = sum(1 for m in milestones if m.done)
    return _dto(
        Goal,
        goal,
        mentee_name=mentee_name,
        manual_progress=goal.progress,
        progress=effective_progress(goal.progress_mode, goal.progress, done, len(milestones)),
        milestones=milestones,
        checkins=tuple(_dto(Checkin, c) for c in checkins),
        date_warnings=tuple(w for w in warnings if w),
    )


# --- goals --------------------------------------------------------------------------------------


def create_goal(db: Database, data: GoalInput) -> Goal:
    with db.write() as session:
        return _goal_dto(session, _add_goal(session, data).id)


def get_goal(db: Database, goal_id: int) -> Goal:
    with db.read() as session:
        return _goal_dto(session, goal_id)


def update_goal(db: Database, goal_id: int, data: GoalInput) -> Goal:
    with db.write() as session:
        goal = _load_goal(session, goal_id)
        for name, value in _goal_fields(session, data).items():
            setattr(goal, name, value)
        session.flush()
        return _goal_dto(session, goal_id)


def set_goal_status(db: Database, goal_id: int, status: GoalStatus | str) -> Goal:
    with db.write() as session:
        goal = _load_goal(session, goal_id)
        goal.status = parse_enum(GoalStatus, status, "status")
        session.flush()
        return _goal_dto(session, goal_id)


def delete_goal(db: Database, goal_id: int) -> None:
    """Delete a goal with its milestones and check-ins (sessions that touched it stay)."""
    with db.write() as session:
        goal = _load_goal(session, goal_id)
        move_to_trash(session, "goals", goal_id)
        session.delete(goal)


# --- milestones ---------------------------------------------------------------------------------


def add_milestone(
    db: Database, goal_id: int, data: MilestoneInput, *, today: date | None = None
) -> Milestone:
    """Add a milestone at the end of the goal's list."""
    with db.write() as session:
        _load_goal(session, goal_id)
        last = session.scalar(
            select(func.max(models.Milestone.position)).where(models.Milestone.goal_id == goal_id)
        )
        milestone = models.Milestone(
            goal_id=goal_id,
            position=0 if last is None else last + 1,
            **_milestone_fields(data, done_on_default=today or date.today()),
        )
        session.add(milestone)
        session.flush()
        return _dto(Milestone, milestone)


def update_milestone(
    db: Database, milestone_id: int, data: MilestoneInput, *, today: date | None = None
) -> Milestone:
    with db.write() as session:
        milestone = _load(session, models.Milestone, milestone_id, "milestone")
        # A milestone that stays done keeps the day it was done on, unless a new one is given.
        default = (milestone.done_on if milestone.done else None) or today or date.today()
        for name, value in _milestone_fields(data, done_on_default=default).items():
            setattr(milestone, name, value)
        session.flush()
        return _dto(Milestone, milestone)


def toggle_milestone(db: Database, milestone_id: int, *, today: date | None = None) -> Milestone:
    """Mark a milestone done (dated ``today``) or not done again."""
    with db.write() as session:
        milestone = _load(session, models.Milestone, milestone_id, "milestone")
        milestone.done = not milestone.done
        milestone.done_on = (today or date.today()) if milestone.done else None
        session.flush()
        return _dto(Milestone, milestone)


def delete_milestone(db: Database, milestone_id: int) -> None:
    """Delete a milestone, to the trash (a goal worked out from milestones moves with it)."""
    with db.write() as session:
        milestone = _load(session, models.Milestone, milestone_id, "milestone")
        move_to_trash(session, "milestones", milestone_id)
        session.delete(milestone)


# --- check-ins ----------------------------------------------------------------------------------


def _sync_manual_progress(session: Session, checkin: models.GoalCheckin) -> None:
    """A manual goal takes its progress from its newest check-in, if this is that check-in."""
    goal = _load_goal(session, checkin.goal_id)
    if goal.progress_mode != ProgressMode.MANUAL:
        return
    newer = session.scalar(
        select(func.count())
        .select_from(models.GoalCheckin)
        .where(
            models.GoalCheckin.goal_id == checkin.goal_id,
            models.GoalCheckin.id != checkin.id,
            models.GoalCheckin.checked_on > checkin.checked_on,
        )
    )
    if not newer:
        goal.progress = checkin.progress


def add_checkin(db: Database, goal_id: int, data: CheckinInput) -> Checkin:
    """Record a progress reading; the newest one also sets a manual goal's progress."""
    with db.write() as session:
        _load_goal(session, goal_id)
        checkin = models.GoalCheckin(goal_id=goal_id, **_checkin_fields(data))
        session.add(checkin)
        session.flush()
        _sync_manual_progress(session, checkin)
        return _dto(Checkin, checkin)


def update_checkin(db: Database, checkin_id: int, data: CheckinInput) -> Checkin:
    with db.write() as session:
        checkin = _load(session, models.GoalCheckin, checkin_id, "check-in")
        for name, value in _checkin_fields(data).items():
            setattr(checkin, name, value)
        session.flush()
        _sync_manual_progress(session, checkin)
        return _dto(Checkin, checkin)


def delete_checkin(db: Database, checkin_id: int) -> None:
    """Delete a check-in, to the trash. The goal's progress stays as it is."""
    with db.write() as session:
        checkin = _load(session, models.GoalCheckin, checkin_id, "check-in")
        move_to_trash(session, "goal_checkins", checkin_id)
        session.delete(checkin)


def progress_history(db: Database, goal_id: int) -> list[tuple[date, int]]:
    """The goal's check-ins as (date, progress), oldest first: the progress chart's data."""
    with db.read() as session:
        _load_goal(session, goal_id)
        rows = session.execute(
            select(models.GoalCheckin.checked_on, models.GoalCheckin.progress)
            .where(models.GoalCheckin.goal_id == goal_id)
            .order_by(models.GoalCheckin.checked_on, models.GoalCheckin.id)
        ).all()
    return [(checked_on, progress) for checked_on, progress in rows]
