"""Skill areas and skill assessments, and the before/after comparison reports are built from.

A level runs from 0 to 10. Changes between two dates are differences of levels, never
percentages: a percentage of a zero baseline means nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from mentor_desk.db import models
from mentor_desk.db.base import Assessor, Base, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.errors import ConfirmationRequiredError, NotFoundError, ValidationError
from mentor_desk.services.mentee_names import mentee_not_found
from mentor_desk.services.trash import move_to_trash
from mentor_desk.services.validation import (
    check_order,
    check_range,
    clean_text,
    parse_enum,
    require_date,
    require_text,
)

_M = TypeVar("_M", bound=Base)

MIN_LEVEL = 0
MAX_LEVEL = 10


# --- data ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SkillArea:
    id: int
    uid: str
    name: str
    description: str
    assessment_count: int


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    """What the user enters for one assessment; validated by the services below."""

    mentee_id: int
    skill_area_id: int
    level: int
    assessed_on: date | str
    assessor: Assessor | str = Assessor.MENTOR
    note: str = ""
    visibility: Visibility | str = Visibility.SHARED_WITH_MENTEE


@dataclass(frozen=True, slots=True)
class SkillAssessment:
    id: int
    uid: str
    mentee_id: int
    skill_area_id: int
    skill: str
    level: int
    assessed_on: date
    assessor: Assessor
    note: str
    visibility: Visibility


@dataclass(frozen=True, slots=True)
class SkillChange:
    """One row of the before/after table; ``change`` is ``after - before`` in levels."""

    skill_area_id: int
    skill: str
    before: int | None
    after: int | None
    change: int | None

    @property
    def change_text(self) -> str:
        """``"+5"``, ``"0"``, ``"−2"`` (a real minus sign), or ``""`` when there is no change."""
        if self.change is None:
            return ""
        if self.change > 0:
            return f"+{self.change}"
        return f"−{-self.change}" if self.change < 0 else "0"


# --- skill areas --------------------------------------------------------------------------------


def _missing(what: str) -> NotFoundError:
    return NotFoundError(f"That {what} was not found; it may have been deleted.")


def _load(session: Session, model: type[_M], record_id: int, what: str) -> _M:
    row = session.get(model, record_id)
    if row is None:
        raise _missing(what)
    return row


def _area_query() -> Select[Any]:
    counts = (
        select(
            models.SkillAssessment.skill_area_id.label("area_id"),
            func.count().label("n"),
        )
        .group_by(models.SkillAssessment.skill_area_id)
        .subquery()
    )
    return select(models.SkillArea, func.coalesce(counts.c.n, 0)).outerjoin(
        counts, counts.c.area_id == models.SkillArea.id
    )


def _area_dto(area: models.SkillArea, count: int) -> SkillArea:
    return SkillArea(area.id, area.uid, area.name, area.description, count)


def _area_fields(
    session: Session, name: str, description: str, area_id: int | None
) -> dict[str, str]:
    clean = require_text(name, "name", max_length=120)
    # Case-insensitive in every script (SQLite's lower() only folds ASCII), so compare here.
    folded = clean.casefold()
    for other_id, other_name in session.execute(select(models.SkillArea.id, models.SkillArea.name)):
        if other_id != area_id and other_name.casefold() == folded:
            raise ValidationError(
                f"a skill area named “{other_name}” already exists; choose another name", "name"
            )
    return {"name": clean, "description": clean_text(description, "description")}


def list_skill_areas(db: Database) -> list[SkillArea]:
    """Every skill area with how many assessments use it, by name."""
    with db.read() as session:
        # DTOs inside the unit: its closing rollback expires the ORM rows.
        areas = [_area_dto(area, count) for area, count in session.execute(_area_query())]
    return sorted(areas, key=lambda a: (a.name.casefold(), a.id))


def get_skill_area(db: Database, area_id: int) -> SkillArea:
    with db.read() as session:
        row = session.execute(_area_query().where(models.SkillArea.id == area_id)).one_or_none()
        if row is None:
            raise _missing("skill area")
        return _area_dto(*row)


def create_skill_area(db: Database, name: str, description: str = "") -> SkillArea:
    with db.write() as session:
        area = models.SkillArea(**_area_fields(session, name, description, None))
        session.add(area)
        session.flush()
        return _area_dto(area, 0)


def update_skill_area(db: Database, area_id: int, *, name: str, description: str = "") -> SkillArea:
    """Rename or redescribe a skill area; its assessments follow it."""
    with db.write() as session:
        area = _load(session, models.SkillArea, area_id, "skill area")
        for key, value in _area_fields(session, name, description, area_id).items():
            setattr(area, key, value)
        session.flush()
        row = session.execute(_area_query().where(models.SkillArea.id == area_id)).one()
        return _area_dto(*row)


def delete_skill_area(db: Database, area_id: int, *, confirm: bool = False) -> int:
    """Delete a skill area and its assessments, to the trash; returns how many assessments went.

    Raises:
        ConfirmationRequiredError: the area has assessments and ``confirm`` is not set.
    """
    with db.write() as session:
        area = _load(session, models.SkillArea, area_id, "skill area")
        count = session.scalar(
            select(func.count())
            .select_from(models.SkillAssessment)
            .where(models.SkillAssessment.skill_area_id == area_id)
        )
        if count and not confirm:
            raise ConfirmationRequiredError(
                f"“{area.name}” has {count} assessment{'s' * (count != 1)}. Deleting the skill "
                "area deletes them too; confirm to go ahead."
            )
        move_to_trash(session, "skill_areas", area_id)
        session.delete(area)  # the assessments go by ON DELETE CASCADE
        return count or 0


# --- assessments --------------------------------------------------------------------------------


def check_level(value: Any, field: str = "level") -> int:
    """A skill level: a whole number from 0 to 10."""
    try:
        return check_range(value, field, MIN_LEVEL, MAX_LEVEL)
    except OverflowError:  # check_range lets int(inf) escape
        raise ValidationError(
            f"must be a whole number from {MIN_LEVEL} to {MAX_LEVEL}, not {value}", field
        ) from None


def _assessment_fields(session: Session, data: AssessmentInput) -> dict[str, Any]:
    if session.get(models.Mentee, data.mentee_id) is None:
        raise mentee_not_found(data.mentee_id)
    _load(session, models.SkillArea, data.skill_area_id, "skill area")
    return {
        "mentee_id": data.mentee_id,
        "skill_area_id": data.skill_area_id,
        "level": check_level(data.level),
        "assessed_on": require_date(data.assessed_on, "assessed on"),
        "assessor": parse_enum(Assessor, data.assessor, "assessor"),
        "note": clean_text(data.note, "note"),
        "visibility": parse_enum(Visibility, data.visibility, "visibility"),
    }


def _assessment_query() -> Select[Any]:
    return select(models.SkillAssessment, models.SkillArea.name).join(
        models.SkillArea, models.SkillArea.id == models.SkillAssessment.skill_area_id
    )


def _assessment_dto(row: models.SkillAssessment, skill: str) -> SkillAssessment:
    return SkillAssessment(
        id=row.id,
        uid=row.uid,
        mentee_id=row.mentee_id,
        skill_area_id=row.skill_area_id,
        skill=skill,
        level=row.level,
        assessed_on=row.assessed_on,
        assessor=row.assessor,
        note=row.note,
        visibility=row.visibility,
    )


def _fetch_assessment(session: Session, assessment_id: int) -> SkillAssessment:
    row = session.execute(
        _assessment_query().where(models.SkillAssessment.id == assessment_id)
    ).one_or_none()
    if row is None:
        raise _missing("skill assessment")
    return _assessment_dto(*row)


def add_assessment(db: Database, data: AssessmentInput) -> SkillAssessment:
    with db.write() as session:
        row = models.SkillAssessment(**_assessment_fields(session, data))
        session.add(row)
        session.flush()
        return _fetch_assessment(session, row.id)


def get_assessment(db: Database, assessment_id: int) -> SkillAssessment:
    with db.read() as session:
        return _fetch_assessment(session, assessment_id)


def update_assessment(db: Database, assessment_id: int, data: AssessmentInput) -> SkillAssessment:
    with db.write() as session:
        row = _load(session, models.SkillAssessment, assessment_id, "skill assessment")
        for key, value in _assessment_fields(session, data).items():
            setattr(row, key, value)
        session.flush()
        return _fetch_assessment(session, assessment_id)


def delete_assessment(db: Database, assessment_id: int) -> None:
    with db.write() as session:
        row = _load(session, models.SkillAssessment, assessment_id, "skill assessment")
        move_to_trash(session, "skill_assessments", assessment_id)
        session.delete(row)


def _filters(
    mentee_id: int, skill_area_id: int | None, assessor: Assessor | str | None
) -> list[Any]:
    wanted = parse_enum(Assessor, assessor, "assessor", optional=True)
    conditions: list[Any] = [models.SkillAssessment.mentee_id == mentee_id]
    if skill_area_id is not None:
        conditions.append(models.SkillAssessment.skill_area_id == skill_area_id)
    if wanted is not None:
        conditions.append(models.SkillAssessment.assessor == wanted)
    return conditions


def list_assessments(
    db: Database,
    mentee_id: int,
    *,
    skill_area_id: int | None = None,
    assessor: Assessor | str | None = None,
) -> list[SkillAssessment]:
    """A mentee's assessments, oldest first, then by skill."""
    query = (
        _assessment_query()
        .where(*_filters(mentee_id, skill_area_id, assessor))
        .order_by(models.SkillAssessment.assessed_on, models.SkillArea.name)
        .order_by(models.SkillAssessment.id)
    )
    with db.read() as session:
        return [_assessment_dto(*row) for row in session.execute(query)]


def _levels(
    db: Database,
    mentee_id: int,
    assessor: Assessor | str | None,
    *,
    up_to: date | None = None,
) -> Sequence[Any]:
    """(skill_area_id, skill, assessed_on, level) rows, oldest first; ties in entry order."""
    query = (
        select(
            models.SkillAssessment.skill_area_id,
            models.SkillArea.name,
            models.SkillAssessment.assessed_on,
            models.SkillAssessment.level,
        )
        .join(models.SkillArea, models.SkillArea.id == models.SkillAssessment.skill_area_id)
        .where(*_filters(mentee_id, None, assessor))
        .order_by(models.SkillAssessment.assessed_on, models.SkillAssessment.id)
    )
    if up_to is not None:
        query = query.where(models.SkillAssessment.assessed_on <= up_to)
    with db.read() as session:
        return session.execute(query).all()


def skill_history(
    db: Database, mentee_id: int, *, assessor: Assessor | str | None = None
) -> dict[str, list[tuple[date, int]]]:
    """Each assessed skill's (date, level) readings, oldest first; skills by name.

    With ``assessor`` only that assessor's readings count (the mentor's and the mentee's own
    view of a skill are often worth charting apart).
    """
    history: dict[str, list[tuple[date, int]]] = {}
    for _area_id, skill, assessed_on, level in _levels(db, mentee_id, assessor):
        history.setdefault(skill, []).append((assessed_on, level))
    return {skill: history[skill] for skill in sorted(history, key=str.casefold)}


def compare_skills(
    db: Database,
    mentee_id: int,
    before: date | str,
    after: date | str,
    *,
    assessor: Assessor | str | None = None,
) -> list[SkillChange]:
    """The before/after table: each skill's latest level on or before each date.

    A skill first assessed after ``before`` has no "before" level and so no change. Skills never
    assessed by ``after`` are left out. Without ``assessor``, the latest reading by anyone counts.
    """
    first = require_date(before, "first date")
    second = require_date(after, "second date")
    check_order(first, second, "the first date", "second date")
    names: dict[int, str] = {}
    levels_before: dict[int, int] = {}
    levels_after: dict[int, int] = {}
    for area_id, skill, assessed_on, level in _levels(db, mentee_id, assessor, up_to=second):
        names[area_id] = skill
        levels_after[area_id] = level  # rows come oldest first, so the latest wins
        if assessed_on <= first:
            levels_before[area_id] = level
    changes = []
    for area_id, skill in names.items():
        old, new = levels_before.get(area_id), levels_after.get(area_id)
        change = None if old is None or new is None else new - old
        changes.append(SkillChange(area_id, skill, old, new, change))
    return sorted(changes, key=lambda c: (c.skill.casefold(), c.skill_area_id))


def assessment_dates(
    db: Database, mentee_id: int, *, assessor: Assessor | str | None = None
) -> list[date]:
    """The distinct days the mentee was assessed, oldest first (choices for a comparison)."""
    query = (
        select(models.SkillAssessment.assessed_on)
        .where(*_filters(mentee_id, None, assessor))
        .distinct()
        .order_by(models.SkillAssessment.assessed_on)
    )
    with db.read() as session:
        return list(session.scalars(query))
