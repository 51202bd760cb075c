"""Reading what both documents share, for many mentees at once, through the privacy gate.

Each function runs inside the caller's one ``db.read()`` unit (a consistent snapshot) and costs a
fixed number of queries whatever the number of mentees: one for the facts of every mentee's items
(ids, dates, visibility), then, for the items the gate admits, one for their text. Text that is
not included is never even loaded.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Row, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from mentor_desk.db.base import (
    GoalCategory,
    GoalStatus,
    Level,
    Track,
    Visibility,
)
from mentor_desk.db.models import (
    Goal,
    GoalCheckin,
    LmpArea,
    Mentee,
    MentoringSession,
    Milestone,
    SessionType,
    Setting,
    SkillArea,
    SkillAssessment,
    evidence_areas,
)
from mentor_desk.services.actions import local_day_bounds
from mentor_desk.services.exports import (
    GoalProgress,
    MenteeProfile,
    MilestoneItem,
    ProgressPoint,
    SkillsComparison,
)
from mentor_desk.services.exports_privacy import Gate, ItemKind
from mentor_desk.services.goals import CLOSED_STATUSES, effective_progress
from mentor_desk.services.mentee_names import mentee_not_found
from mentor_desk.services.mentees import contact_cutoff, local_date
from mentor_desk.services.periods import Period
from mentor_desk.services.settings import MENTOR_NAME
from mentor_desk.services.skills import SkillChange

#: Ids per ``IN (...)`` when loading text, well under SQLite's limit on bound parameters.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Window:
    """A period as the queries need it: local-day bounds, capped at "now" for sessions held."""

    period: Period
    today: date
    low: datetime
    high: datetime
    held_before: datetime  # sessions planned later than now have not been held

    @classmethod
    def of(cls, period: Period, today: date) -> Window:
        low, high = local_day_bounds(period.start, period.end)
        _, cutoff = contact_cutoff(today)
        return cls(period, today, low, high, min(high, cutoff))


def texts_by_id(
    session: Session,
    key: InstrumentedAttribute[int],
    columns: Sequence[InstrumentedAttribute[Any]],
    ids: Iterable[int],
) -> dict[int, Row[Any]]:
    """``columns`` of the rows whose ``key`` is in ``ids``: the text of admitted items only."""
    wanted = sorted(set(ids))
    found: dict[int, Row[Any]] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = select(key, *columns).where(key.in_(wanted[start : start + _CHUNK]))
        found.update((row[0], row) for row in session.execute(query))
    return found


def author_name(session: Session) -> str:
    return session.scalar(select(Setting.value).where(Setting.key == MENTOR_NAME)) or ""


def profiles(
    session: Session, gates: Mapping[int, Gate], mentee_ids: Collection[int]
) -> dict[int, MenteeProfile]:
    """Each mentee's profile; the free text only where the mentee's visibility admits it."""
    columns = (Mentee.id, Mentee.name, Mentee.pronouns, Mentee.role, Mentee.team, Mentee.level)
    more = (Mentee.track, Mentee.status, Mentee.cadence, Mentee.started_on, Mentee.in_lmp)
    query = select(*columns, *more, Mentee.visibility).where(Mentee.id.in_(mentee_ids))
    facts = session.execute(query).all()
    missing = set(mentee_ids) - {m.id for m in facts}
    if missing:
        raise mentee_not_found(min(missing))
    label = "Mentee notes · career aspiration, learning style and notes"
    admitted = {
        m.id
        for m in facts
        if gates[m.id].admit("Mentee notes", ItemKind.MENTEE, m.id, m.visibility, None, label)
    }
    free_text = (Mentee.career_aspiration, Mentee.learning_style, Mentee.notes)
    texts = texts_by_id(session, Mentee.id, free_text, admitted)
    result = {}
    for m in facts:
        text = texts.get(m.id)
        result[m.id] = MenteeProfile(
            id=m.id,
            name=m.name,
            pronouns=m.pronouns,
            role=m.role,
            team=m.team,
            level=m.level.value if m.level else "",
            level_label=m.level.label if m.level else "",
            track_label=_track(m.track, m.level),
            status=m.status.value,
            status_label=m.status.label,
            cadence=m.cadence.value,
            cadence_label=m.cadence.label,
            cadence_days=m.cadence.days,
            started_on=m.started_on,
            in_lmp=m.in_lmp,
            aspiration=text.career_aspiration if text else None,
            learning_style=text.learning_style if text else None,
            notes=text.notes if text else None,
        )
    return result


def _track(track: Track | None, level: Level | None) -> str:
    found = track or (level.track if level else None)
    return found.label if found else ""


class SessionFact(NamedTuple):
    """What is never private about a session: that it was held, when, of which type, how long."""

    id: int
    mentee_id: int
    held_on: date
    session_type: str
    duration_minutes: int
    visibility: Visibility


def session_facts(
    session: Session, mentee_ids: Collection[int], window: Window
) -> list[SessionFact]:
    """The sessions held in the window, oldest first."""
    rows = session.execute(
        select(
            MentoringSession.id,
            MentoringSession.mentee_id,
            MentoringSession.started_at,
            func.coalesce(SessionType.name, ""),
            MentoringSession.duration_minutes,
            MentoringSession.visibility,
        )
        .outerjoin(SessionType, SessionType.id == MentoringSession.session_type_id)
        .where(
            MentoringSession.mentee_id.in_(mentee_ids),
            MentoringSession.started_at >= window.low,
            MentoringSession.started_at < window.held_before,
        )
        .order_by(MentoringSession.started_at, MentoringSession.id)
    ).all()
    return [
        SessionFact(sid, mentee_id, local_date(started), kind, minutes, visibility)
        for sid, mentee_id, started, kind, minutes, visibility in rows
    ]


@dataclass(frozen=True, slots=True)
class GoalFacts:
    """An admitted goal with its admitted check-ins, for either document."""

    goal: GoalProgress
    mentee_id: int
    presentation_id: int | None


def goal_facts(
    session: Session, gates: Mapping[int, Gate], mentee_ids: Collection[int], window: Window
) -> list[GoalFacts]:
    """The admitted goals that matter to the window: open ones, and closed ones that were due,
    edited or checked in within it."""
    facts = session.execute(
        select(
            Goal.id,
            Goal.mentee_id,
            Goal.visibility,
            Goal.category,
            Goal.status,
            Goal.target_date,
            Goal.progress_mode,
            Goal.progress,
            Goal.presentation_id,
            Goal.updated_at,
        )
        .where(Goal.mentee_id.in_(mentee_ids))
        .order_by(Goal.target_date.is_(None), Goal.target_date, Goal.id)
    ).all()
    checkins: dict[int, list[Row[Any]]] = {}
    for row in session.execute(
        select(
            GoalCheckin.id,
            GoalCheckin.goal_id,
            GoalCheckin.checked_on,
            GoalCheckin.progress,
            GoalCheckin.visibility,
        )
        .join(Goal, Goal.id == GoalCheckin.goal_id)
        .where(Goal.mentee_id.in_(mentee_ids), GoalCheckin.checked_on <= window.period.end)
        .order_by(GoalCheckin.checked_on, GoalCheckin.id)
    ):
        checkins.setdefault(row.goal_id, []).append(row)
    start = window.period.start

    def relevant(goal: Row[Any]) -> bool:
        # Goals are often entered after the fact, so creation dates prove nothing either way.
        if goal.status not in CLOSED_STATUSES:
            return True
        due_in = goal.target_date is not None and window.period.contains(goal.target_date)
        edited_in = window.low <= goal.updated_at < window.high
        return due_in or edited_in or any(c.checked_on >= start for c in checkins.get(goal.id, ()))

    def admit(goal: Row[Any]) -> bool:
        category = GoalCategory(goal.category).label
        when = f", target {goal.target_date.isoformat()}" if goal.target_date else ""
        label = f"Goal · {category}{when}"
        return gates[goal.mentee_id].admit(
            "Goals", ItemKind.GOAL, goal.id, goal.visibility, goal.target_date, label
        )

    goals = [goal for goal in facts if relevant(goal) and admit(goal)]
    ids = [goal.id for goal in goals]
    texts = texts_by_id(session, Goal.id, (Goal.title, Goal.description), ids)
    milestones: dict[int, list[MilestoneItem]] = {}
    for goal_id, *values in session.execute(
        select(
            Milestone.goal_id, Milestone.title, Milestone.due_on, Milestone.done, Milestone.done_on
        )
        .where(Milestone.goal_id.in_(ids))
        .order_by(Milestone.goal_id, Milestone.position, Milestone.id)
    ):
        milestones.setdefault(goal_id, []).append(MilestoneItem(*values))
    readings = {
        goal.id: [
            c
            for c in checkins.get(goal.id, ())
            if gates[goal.mentee_id].admit(
                "Check-ins",
                ItemKind.CHECKIN,
                c.id,
                c.visibility,
                c.checked_on,
                f"Check-in {c.checked_on.isoformat()} · {c.progress} %",
            )
        ]
        for goal in goals
    }
    comments = texts_by_id(
        session,
        GoalCheckin.id,
        (GoalCheckin.comment,),
        (c.id for rows in readings.values() for c in rows),
    )
    return [
        GoalFacts(
            _goal_progress(
                goal,
                texts[goal.id],
                milestones.get(goal.id, []),
                readings[goal.id],
                comments,
                window.period,
            ),
            goal.mentee_id,
            goal.presentation_id,
        )
        for goal in goals
    ]


def _goal_progress(
    goal: Row[Any],
    text: Row[Any],
    milestones: list[MilestoneItem],
    readings: list[Row[Any]],
    comments: Mapping[int, Row[Any]],
    period: Period,
) -> GoalProgress:
    done = sum(1 for m in milestones if m.done)
    status, category = GoalStatus(goal.status), GoalCategory(goal.category)
    return GoalProgress(
        id=goal.id,
        title=text.title,
        description=text.description,
        category=category.value,
        category_label=category.label,
        status=status.value,
        status_label=status.label,
        target_date=goal.target_date,
        progress=effective_progress(goal.progress_mode, goal.progress, done, len(milestones)),
        progress_at_start=_latest(readings, period.start),
        progress_at_end=_latest(readings, period.end),
        points=tuple(
            ProgressPoint(c.checked_on, c.progress, comments[c.id].comment)
            for c in readings
            if c.checked_on >= period.start
        ),
        milestones=tuple(milestones),
        from_request=goal.presentation_id is not None,
    )


def _latest(readings: list[Row[Any]], day: date) -> int | None:
    """Progress of the latest reading on or before ``day`` (readings are oldest first)."""
    before = [c.progress for c in readings if c.checked_on <= day]
    return before[-1] if before else None


def skill_comparisons(
    session: Session, gates: Mapping[int, Gate], mentee_ids: Collection[int], period: Period
) -> dict[int, SkillsComparison]:
    """Skills before and after for each mentee, from admitted assessments (see SkillsComparison).

    The rule is :func:`mentor_desk.services.skills.compare_skills`'s: each skill's latest level
    on or before each date; a skill without a level by the first date has no change.
    """
    rows = session.execute(
        select(
            SkillAssessment.id,
            SkillAssessment.mentee_id,
            SkillAssessment.skill_area_id,
            SkillArea.name,
            SkillAssessment.assessed_on,
            SkillAssessment.level,
            SkillAssessment.visibility,
        )
        .join(SkillArea, SkillArea.id == SkillAssessment.skill_area_id)
        .where(SkillAssessment.mentee_id.in_(mentee_ids), SkillAssessment.assessed_on <= period.end)
        .order_by(SkillAssessment.assessed_on, SkillAssessment.id)
    ).all()
    by_mentee: dict[int, list[Row[Any]]] = {mentee_id: [] for mentee_id in mentee_ids}
    for row in rows:
        label = f"Skill assessment {row.assessed_on.isoformat()} · {row.name}"
        gate = gates[row.mentee_id]
        if gate.admit(
            "Skill assessments", ItemKind.ASSESSMENT, row.id, row.visibility, row.assessed_on, label
        ):
            by_mentee[row.mentee_id].append(row)
    return {mentee_id: _compare(found, period) for mentee_id, found in by_mentee.items()}


def _compare(rows: list[Row[Any]], period: Period) -> SkillsComparison:
    if not rows:
        return SkillsComparison(None, None, ())
    within = [row.assessed_on for row in rows if row.assessed_on >= period.start]
    earlier = [row.assessed_on for row in rows if row.assessed_on < period.start]
    if within:
        # The baseline is where the mentee stood coming into the period, if known.
        first, last = max(earlier, default=min(within)), max(within)
    else:  # nothing assessed in the period: all time
        first, last = min(earlier), max(earlier)
    names: dict[int, str] = {}
    before: dict[int, int] = {}
    after: dict[int, int] = {}
    for row in rows:
        if row.assessed_on > last:
            continue
        names[row.skill_area_id] = row.name
        after[row.skill_area_id] = row.level  # oldest first, so the latest wins
        if row.assessed_on <= first:
            before[row.skill_area_id] = row.level
    changes = []
    for area_id, name in names.items():
        old, new = before.get(area_id), after.get(area_id)
        changes.append(SkillChange(area_id, name, old, new, None if old is None else new - old))
    changes.sort(key=lambda change: (change.skill.casefold(), change.skill_area_id))
    return SkillsComparison(first, last, tuple(changes))


def area_codes(session: Session, evidence_ids: Collection[int]) -> dict[int, tuple[str, ...]]:
    """Area codes of each entry in framework order (parents by position, then their children)."""
    parent = LmpArea.__table__.alias("parent_area")
    rows = session.execute(
        select(evidence_areas.c.evidence_id, LmpArea.code)
        .join(LmpArea, LmpArea.id == evidence_areas.c.area_id)
        .outerjoin(parent, parent.c.id == LmpArea.parent_id)
        .where(evidence_areas.c.evidence_id.in_(evidence_ids))
        .order_by(
            func.coalesce(parent.c.position, LmpArea.position),
            func.coalesce(parent.c.id, LmpArea.id),
            LmpArea.parent_id.is_not(None),
            LmpArea.position,
            LmpArea.id,
        )
    )
    codes: dict[int, list[str]] = {}
    for evidence_id, code in rows:
        codes.setdefault(evidence_id, []).append(code)
    return {key: tuple(value) for key, value in codes.items()}


def evidence_label(occurred_on: date, codes: tuple[str, ...]) -> str:
    return f"Evidence {occurred_on.isoformat()} · {', '.join(codes) or 'no area'}"
