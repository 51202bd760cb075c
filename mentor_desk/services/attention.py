"""The Overview tab's "what needs attention today". Only active mentees count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from mentor_desk.db.base import GoalStatus, ItemOwner, LmpState, MenteeStatus
from mentor_desk.db.engine import Database
from mentor_desk.db.models import (
    ActionItem,
    Goal,
    LmpRecord,
    Mentee,
    Milestone,
)
from mentor_desk.services.evidence import coverage_by_record, gap_counts
from mentor_desk.services.goals import effective_progress
from mentor_desk.services.mentees import MenteeRow, contact_cutoff, mentee_rows

#: A session due within this many days already shows as "due".
DUE_SOON_DAYS = 2
#: LMP states in which missing evidence is worth pointing out.
_GATHERING = (
    LmpState.ENROLLED,
    LmpState.GATHERING_EVIDENCE,
    LmpState.READY_FOR_REVIEW,
    LmpState.FURTHER_ACTIONS,
)


@dataclass(frozen=True, slots=True)
class DueMentee:
    """A mentee whose next session is due; ``days_overdue`` < 0 means due in that many days."""

    mentee: MenteeRow
    due_on: date
    days_overdue: int


@dataclass(frozen=True, slots=True)
class OverdueAction:
    id: int
    text: str
    owner: ItemOwner
    due_on: date
    mentee_id: int
    mentee_name: str
    days_overdue: int


@dataclass(frozen=True, slots=True)
class GoalAtRisk:
    """A goal flagged at risk or off track, or past its target date and not done."""

    id: int
    title: str
    mentee_id: int
    mentee_name: str
    status: GoalStatus
    progress: int
    target_date: date | None
    past_target: bool


@dataclass(frozen=True, slots=True)
class LmpAttention:
    """An LMP candidate with evidence gaps or ready for review.

    ``gaps`` are the codes of required areas and sub-areas with no evidence entry, in framework
    order ("B3", "E"...); a top-level area counts the entries of its sub-areas too.
    """

    record_id: int
    mentee_id: int
    mentee_name: str
    state: LmpState
    gaps: tuple[str, ...]

    @property
    def ready_for_review(self) -> bool:
        return self.state is LmpState.READY_FOR_REVIEW


@dataclass(frozen=True, slots=True)
class Attention:
    today: date
    due_or_overdue: tuple[DueMentee, ...]
    stalled: tuple[MenteeRow, ...]
    overdue_action_items: tuple[OverdueAction, ...]
    goals_at_risk: tuple[GoalAtRisk, ...]
    lmp_attention: tuple[LmpAttention, ...]

    @property
    def count(self) -> int:
        return (
            len(self.due_or_overdue)
            + len(self.stalled)
            + len(self.overdue_action_items)
            + len(self.goals_at_risk)
            + len(self.lmp_attention)
        )


def attention(db: Database, *, today: date | None = None) -> Attention:
    """Everything that needs the mentor today, each list most urgent first."""
    today, _ = contact_cutoff(today)
    with db.read() as session:
        rows = mentee_rows(session, status=MenteeStatus.ACTIVE, today=today)
        actions = _overdue_actions(session, today)
        goals = _goals_at_risk(session, today)
        lmp = _lmp_attention(session)
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    due = sorted(
        (
            DueMentee(row, row.next_due_on, (today - row.next_due_on).days)
            for row in rows
            if row.next_due_on is not None and row.next_due_on <= horizon
        ),
        key=lambda item: (-item.days_overdue, item.mentee.name.casefold(), item.mentee.id),
    )
    stalled = sorted(
        (row for row in rows if row.stalled),
        key=lambda row: (row.last_session_at is not None, row.last_session_at, row.id),
    )
    return Attention(today, tuple(due), tuple(stalled), actions, goals, lmp)


def _active() -> ColumnElement[bool]:
    return Mentee.status == MenteeStatus.ACTIVE


def _overdue_actions(session: Session, today: date) -> tuple[OverdueAction, ...]:
    stmt = (
        select(
            ActionItem.id,
            ActionItem.text,
            ActionItem.owner,
            ActionItem.due_on,
            Mentee.id,
            Mentee.name,
        )
        .join(Mentee, Mentee.id == ActionItem.mentee_id)
        .where(ActionItem.done.is_(False), ActionItem.due_on < today, _active())
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    return tuple(
        OverdueAction(id_, text, owner, due_on, mentee_id, name, (today - due_on).days)
        for id_, text, owner, due_on, mentee_id, name in session.execute(stmt)
    )


def _goals_at_risk(session: Session, today: date) -> tuple[GoalAtRisk, ...]:
    milestones = (
        select(
            Milestone.goal_id.label("goal_id"),
            func.count().label("total"),
            func.sum(case((Milestone.done.is_(True), 1), else_=0)).label("done"),
        )
        .group_by(Milestone.goal_id)
        .subquery()
    )
    flagged = Goal.status.in_([GoalStatus.AT_RISK, GoalStatus.OFF_TRACK])
    past = and_(Goal.target_date < today, Goal.status.not_in([GoalStatus.DONE, GoalStatus.DROPPED]))
    stmt = (
        select(
            Goal.id,
            Goal.title,
            Mentee.id,
            Mentee.name,
            Goal.status,
            Goal.progress_mode,
            Goal.progress,
            milestones.c.total,
            milestones.c.done,
            Goal.target_date,
        )
        .join(Mentee, Mentee.id == Goal.mentee_id)
        .outerjoin(milestones, milestones.c.goal_id == Goal.id)
        .where(_active(), or_(flagged, past))
        .order_by(Goal.target_date.is_(None), Goal.target_date, Goal.id)
    )
    result = []
    for id_, title, mentee_id, name, status, mode, progress, total, done, target in session.execute(
        stmt
    ):
        progress = effective_progress(mode, progress, done or 0, total or 0)
        past_target = target is not None and target < today
        result.append(
            GoalAtRisk(id_, title, mentee_id, name, status, progress, target, past_target)
        )
    return tuple(result)


def _lmp_attention(session: Session) -> tuple[LmpAttention, ...]:
    """Candidates with coverage gaps (the evidence service's rule) or ready for review."""
    records = session.execute(
        select(LmpRecord.id, Mentee.id, Mentee.name, LmpRecord.state)
        .join(Mentee, Mentee.id == LmpRecord.mentee_id)
        .where(_active(), LmpRecord.state.in_(_GATHERING))
    ).all()
    # Most candidates have no gap: count gaps cheaply first, and work out the full coverage (two
    # aggregates over every entry) only for those with some, to name the areas.
    counts = gap_counts(session, [record[0] for record in records])
    gapped = [id_ for id_, gaps in counts.items() if gaps]
    coverage = coverage_by_record(session, gapped) if gapped else {}
    result = []
    for record_id, mentee_id, name, state in sorted(records, key=lambda r: (r[2].casefold(), r[0])):
        gaps = tuple(area.code for area in coverage.get(record_id, []) if area.gap)
        if gaps or state is LmpState.READY_FOR_REVIEW:
            result.append(LmpAttention(record_id, mentee_id, name, state, gaps))
    return tuple(result)
