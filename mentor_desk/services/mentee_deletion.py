"""Deleting a mentee, and saying first what would go with them.

Part of the mentee service; import it from :mod:`mentor_desk.services.mentees`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from mentor_desk.db.backup import automatic_backup
from mentor_desk.db.engine import Database
from mentor_desk.db.models import (
    ActionItem,
    Evidence,
    Feedback,
    Goal,
    LmpRecord,
    Mentee,
    MentoringSession,
    SkillAssessment,
)
from mentor_desk.errors import ConfirmationRequiredError
from mentor_desk.services.mentee_names import mentee_not_found
from mentor_desk.services.trash import move_to_trash


@dataclass(frozen=True, slots=True)
class DeletionSummary:
    """What deleting a mentee removes with them (tags stay: they are shared)."""

    mentee_id: int
    name: str
    sessions: int
    action_items: int
    feedback: int
    goals: int
    assessments: int
    evidence: int

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in _SUMMARY_NOUNS)

    def describe(self) -> str:
        """ "3 sessions, 1 goal and 2 action items", or "no other records"."""
        parts = [
            _plural(getattr(self, name), noun)
            for name, noun in _SUMMARY_NOUNS.items()
            if getattr(self, name)
        ]
        if not parts:
            return "no other records"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


_SUMMARY_NOUNS = {
    "sessions": "session",
    "action_items": "action item",
    "feedback": "feedback record",
    "goals": "goal",
    "assessments": "skill assessment",
    "evidence": "LMP evidence entry",
}


def _plural(count: int, noun: str) -> str:
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1]}ies" if noun.endswith("y") else f"{count} {noun}s"


def _summary(session: Session, mentee_id: int) -> DeletionSummary:
    name = session.scalar(select(Mentee.name).where(Mentee.id == mentee_id))
    if name is None:
        raise mentee_not_found(mentee_id)

    def count(model: type, *where: ColumnElement[bool]) -> ColumnElement[int]:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    evidence = count(
        Evidence,
        Evidence.record_id.in_(select(LmpRecord.id).where(LmpRecord.mentee_id == mentee_id)),
    )
    counts = session.execute(
        select(
            count(MentoringSession, MentoringSession.mentee_id == mentee_id),
            count(ActionItem, ActionItem.mentee_id == mentee_id),
            count(Feedback, Feedback.mentee_id == mentee_id),
            count(Goal, Goal.mentee_id == mentee_id),
            count(SkillAssessment, SkillAssessment.mentee_id == mentee_id),
            evidence,
        )
    ).one()
    return DeletionSummary(mentee_id, name, *counts)


def deletion_summary(db: Database, mentee_id: int) -> DeletionSummary:
    """What :func:`delete_mentee` would remove, for the confirmation dialog."""
    with db.read() as session:
        return _summary(session, mentee_id)


def delete_mentee(db: Database, mentee_id: int, *, confirm: bool) -> DeletionSummary:
    """Delete a mentee and everything that is theirs; returns what went.

    Raises:
        ConfirmationRequiredError: unless ``confirm`` is true; the message says what would go.
    """
    if not confirm:
        summary = deletion_summary(db, mentee_id)
        raise ConfirmationRequiredError(
            f"Deleting {summary.name} also deletes {summary.describe()}. It all goes to the "
            "trash, where it can be restored until the trash is emptied; confirm to go ahead, or "
            "archive the mentee instead to keep their history."
        )
    automatic_backup(db, reason="before-delete")  # no backup, no delete: it raises
    with db.write() as session:
        summary = _summary(session, mentee_id)
        move_to_trash(session, "mentees", mentee_id)
        # The foreign keys cascade in the database, without loading every child row.
        session.execute(delete(Mentee).where(Mentee.id == mentee_id))
    return summary
