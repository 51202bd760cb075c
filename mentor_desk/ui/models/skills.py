"""The Skills panel's tables: a mentee's assessments over time, and the before/after comparison.

Changes are differences of levels ("+5"), never percentages: a percentage of a zero baseline
means nothing.
"""

from __future__ import annotations

from typing import Any

from mentor_desk.services.skills import SkillAssessment, SkillChange
from mentor_desk.services.types import Assessor
from mentor_desk.ui.models.table import Column, RowTableModel, date_key

_ASSESSORS = list(Assessor)
#: What a comparison cell says where a skill had no level yet.
NOT_RATED = "not rated"
#: Sorts "no level" and "no change" below every real one.
NO_VALUE = -1000


def _level_text(level: int | None) -> str:
    return NOT_RATED if level is None else str(level)


def _change_tooltip(change: SkillChange) -> str:
    if change.change is None:
        return "No change to show: the skill had no level on the first date."
    return f"{change.before} to {change.after}: {change.change_text} levels"


ASSESSMENT_COLUMNS: tuple[Column[SkillAssessment], ...] = (
    Column("Date", lambda a: a.assessed_on.isoformat(), lambda a: date_key(a.assessed_on)),
    Column("Skill", lambda a: a.skill, lambda a: a.skill.casefold(), tooltip=lambda a: a.note),
    Column("Level", lambda a: str(a.level), lambda a: a.level, numeric=True),
    Column("Assessor", lambda a: a.assessor.label, lambda a: _ASSESSORS.index(a.assessor)),
)

CHANGE_COLUMNS: tuple[Column[SkillChange], ...] = (
    Column("Skill", lambda c: c.skill, lambda c: c.skill.casefold()),
    Column(
        "Before",
        lambda c: _level_text(c.before),
        lambda c: NO_VALUE if c.before is None else c.before,
        numeric=True,
    ),
    Column(
        "After",
        lambda c: _level_text(c.after),
        lambda c: NO_VALUE if c.after is None else c.after,
        numeric=True,
    ),
    Column(
        "Change",
        lambda c: c.change_text,
        lambda c: NO_VALUE if c.change is None else c.change,
        numeric=True,
        tooltip=_change_tooltip,
    ),
)


class AssessmentTableModel(RowTableModel[SkillAssessment]):
    """A mentee's assessments. Use the column constants, never bare numbers."""

    DATE, SKILL, LEVEL, ASSESSOR = range(4)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(ASSESSMENT_COLUMNS, parent)


class SkillChangeTableModel(RowTableModel[SkillChange]):
    """The before/after table: one row per skill."""

    SKILL, BEFORE, AFTER, CHANGE = range(4)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(CHANGE_COLUMNS, parent, id_of=lambda c: c.skill_area_id)
