"""Feedback in the observe / impact / request form, with an optional Radical Candor quadrant.

The quadrant (care personally x challenge directly) is the mentor's own reflection on how the
feedback was given. Feedback starts private, like session notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from mentor_desk.db.base import CandorQuadrant, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import Feedback, Mentee, MentoringSession
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services.trash import move_to_trash
from mentor_desk.services.validation import clean_text, parse_date, parse_enum


@dataclass(frozen=True, slots=True)
class FeedbackInput:
    """What the user enters; ``given_on`` defaults to today, ``session_id`` links a session."""

    mentee_id: int
    observation: str = ""
    impact: str = ""
    request: str = ""
    given_on: date | str | None = None
    quadrant: CandorQuadrant | str | None = None
    visibility: Visibility | str = Visibility.PRIVATE
    session_id: int | None = None


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    id: int
    uid: str
    mentee_id: int
    mentee_name: str
    session_id: int | None
    session_started_at: datetime | None
    given_on: date
    observation: str
    impact: str
    request: str
    quadrant: CandorQuadrant | None
    visibility: Visibility


def create_feedback(db: Database, data: FeedbackInput) -> FeedbackRecord:
    with db.write() as session:
        row = Feedback()
        _apply(session, row, data)
        session.add(row)
        session.flush()
        return _load(session, row.id)


def update_feedback(db: Database, feedback_id: int, data: FeedbackInput) -> FeedbackRecord:
    with db.write() as session:
        _apply(session, _require(session, feedback_id), data)
        session.flush()
        return _load(session, feedback_id)


def delete_feedback(db: Database, feedback_id: int) -> None:
    with db.write() as session:
        record = _require(session, feedback_id)
        move_to_trash(session, "feedback", feedback_id)
        session.delete(record)


def get_feedback(db: Database, feedback_id: int) -> FeedbackRecord:
    with db.read() as session:
        return _load(session, feedback_id)


def list_feedback(
    db: Database, *, mentee_id: int | None = None, session_id: int | None = None
) -> list[FeedbackRecord]:
    """Feedback, newest first, for one mentee and/or one session (or all of it)."""
    query = _query().order_by(Feedback.given_on.desc(), Feedback.id.desc())
    if mentee_id is not None:
        query = query.where(Feedback.mentee_id == mentee_id)
    if session_id is not None:
        query = query.where(Feedback.session_id == session_id)
    with db.read() as session:
        return [_dto(*row) for row in session.execute(query)]


def _apply(session: Session, row: Feedback, data: FeedbackInput) -> None:
    if session.scalar(select(Mentee.id).where(Mentee.id == data.mentee_id)) is None:
        raise ValidationError("refers to a mentee who does not exist", "mentee_id")
    if data.session_id is not None:
        owner = session.scalar(
            select(MentoringSession.mentee_id).where(MentoringSession.id == data.session_id)
        )
        if owner is None:
            raise ValidationError("refers to a session that does not exist", "session_id")
        if owner != data.mentee_id:
            raise ValidationError("is a session with another mentee", "session_id")
    observation = clean_text(data.observation, "observation")
    impact = clean_text(data.impact, "impact")
    request = clean_text(data.request, "request")
    if not (observation or impact or request):
        raise ValidationError(
            "write at least one of what you observed, its impact, or your request", "observation"
        )
    row.mentee_id = data.mentee_id
    row.session_id = data.session_id
    row.given_on = parse_date(data.given_on, "given_on", optional=True) or date.today()
    row.observation, row.impact, row.request = observation, impact, request
    row.quadrant = parse_enum(CandorQuadrant, data.quadrant, "quadrant", optional=True)
    row.visibility = parse_enum(Visibility, data.visibility, "visibility")


def _query() -> Select[tuple[Feedback, str, datetime | None]]:
    return (
        select(Feedback, Mentee.name, MentoringSession.started_at)
        .join(Mentee, Mentee.id == Feedback.mentee_id)
        .outerjoin(MentoringSession, MentoringSession.id == Feedback.session_id)
    )


def _load(session: Session, feedback_id: int) -> FeedbackRecord:
    found = session.execute(_query().where(Feedback.id == feedback_id)).first()
    if found is None:
        raise _missing()
    return _dto(*found)


def _require(session: Session, feedback_id: int) -> Feedback:
    row = session.get(Feedback, feedback_id)
    if row is None:
        raise _missing()
    return row


def _missing() -> NotFoundError:
    return NotFoundError("That feedback no longer exists. It may have been deleted.")


def _dto(row: Feedback, mentee_name: str, started_at: datetime | None) -> FeedbackRecord:
    return FeedbackRecord(
        id=row.id,
        uid=row.uid,
        mentee_id=row.mentee_id,
        mentee_name=mentee_name,
        session_id=row.session_id,
        session_started_at=started_at,
        given_on=row.given_on,
        observation=row.observation,
        impact=row.impact,
        request=row.request,
        quadrant=row.quadrant,
        visibility=row.visibility,
    )
