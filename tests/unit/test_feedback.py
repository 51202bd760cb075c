"""Observe / impact / request feedback with an optional Radical Candor quadrant."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from mentor_desk.db.base import CandorQuadrant, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import Mentee
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services import feedback, sessions
from mentor_desk.services.feedback import FeedbackInput
from mentor_desk.services.sessions import SessionInput

HOSTILE = "<b>&amp; AT&T 😀 李小龙 مرحبا بالعالم Zoë"


def add_mentee(db: Database, name: str = "Ada Lovelace") -> int:
    with db.write() as session:
        mentee = Mentee(name=name)
        session.add(mentee)
        session.flush()
        return mentee.id


def add_session(db: Database, mentee_id: int) -> int:
    when = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    return sessions.create_session(db, SessionInput(mentee_id=mentee_id, started_at=when)).id


@pytest.fixture
def mentee(db: Database) -> int:
    return add_mentee(db)


def test_feedback_starts_private_and_dated_today(db: Database, mentee: int) -> None:
    record = feedback.create_feedback(db, FeedbackInput(mentee_id=mentee, request="Ask earlier"))

    assert record.visibility is Visibility.PRIVATE
    assert record.given_on == date.today()
    assert record.quadrant is None
    assert (record.observation, record.impact, record.request) == ("", "", "Ask earlier")
    assert record.mentee_name == "Ada Lovelace"
    assert feedback.get_feedback(db, record.id) == record


def test_hostile_text_and_quadrant_round_trip(db: Database, mentee: int) -> None:
    held = add_session(db, mentee)
    created = feedback.create_feedback(
        db,
        FeedbackInput(
            mentee_id=mentee,
            observation=HOSTILE,
            impact=HOSTILE + "\nline two",
            request="<i>more</i>",
            given_on="2026-03-02",
            quadrant="RUINOUS_EMPATHY",
            visibility="shared_with_mentee",
            session_id=held,
        ),
    )

    fetched = feedback.get_feedback(db, created.id)

    assert fetched.observation == HOSTILE
    assert fetched.impact == HOSTILE + "\nline two"
    assert fetched.request == "<i>more</i>"
    assert fetched.quadrant is CandorQuadrant.RUINOUS_EMPATHY
    assert fetched.visibility is Visibility.SHARED_WITH_MENTEE
    assert fetched.given_on == date(2026, 3, 2)
    assert fetched.session_id == held
    assert fetched.session_started_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("blank", ["", "   ", "\n\t "])
def test_at_least_one_part_must_be_written(db: Database, mentee: int, blank: str) -> None:
    with pytest.raises(ValidationError, match="at least one") as caught:
        feedback.create_feedback(
            db, FeedbackInput(mentee_id=mentee, observation=blank, impact=blank, request=blank)
        )

    assert caught.value.field == "observation"
    assert feedback.list_feedback(db) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quadrant": "brutal honesty"}, "quadrant"),
        ({"visibility": "public"}, "visibility"),
        ({"given_on": "2026-13-01"}, "given_on"),
        ({"mentee_id": 9999}, "mentee_id"),
        ({"session_id": 9999}, "session_id"),
    ],
)
def test_validation_names_the_field(
    db: Database, mentee: int, changes: dict[str, object], field: str
) -> None:
    data = dataclasses.replace(FeedbackInput(mentee_id=mentee, observation="seen"), **changes)

    with pytest.raises(ValidationError) as caught:
        feedback.create_feedback(db, data)

    assert caught.value.field == field


def test_session_must_be_with_the_same_mentee(db: Database, mentee: int) -> None:
    theirs = add_session(db, add_mentee(db, "Grace Hopper"))

    with pytest.raises(ValidationError, match="another mentee") as caught:
        feedback.create_feedback(
            db, FeedbackInput(mentee_id=mentee, observation="x", session_id=theirs)
        )

    assert caught.value.field == "session_id"


def test_list_filters_by_mentee_and_session_newest_first(db: Database, mentee: int) -> None:
    other = add_mentee(db, "Grace Hopper")
    held = add_session(db, mentee)
    for given_on, who, session_id in [
        ("2026-01-05", mentee, None),
        ("2026-03-02", mentee, held),
        ("2026-02-01", other, None),
    ]:
        feedback.create_feedback(
            db,
            FeedbackInput(mentee_id=who, impact=given_on, given_on=given_on, session_id=session_id),
        )

    assert [r.impact for r in feedback.list_feedback(db)] == [
        "2026-03-02",
        "2026-02-01",
        "2026-01-05",
    ]
    assert [r.impact for r in feedback.list_feedback(db, mentee_id=mentee)] == [
        "2026-03-02",
        "2026-01-05",
    ]
    assert [r.impact for r in feedback.list_feedback(db, session_id=held)] == ["2026-03-02"]


def test_update_and_delete(db: Database, mentee: int) -> None:
    record = feedback.create_feedback(db, FeedbackInput(mentee_id=mentee, observation="a"))

    updated = feedback.update_feedback(
        db,
        record.id,
        FeedbackInput(mentee_id=mentee, impact="b", quadrant=CandorQuadrant.RADICAL_CANDOR),
    )
    feedback.delete_feedback(db, record.id)

    assert (updated.observation, updated.impact) == ("", "b")
    assert updated.quadrant is CandorQuadrant.RADICAL_CANDOR
    assert updated.uid == record.uid
    with pytest.raises(NotFoundError, match="feedback"):
        feedback.get_feedback(db, record.id)
    with pytest.raises(NotFoundError):
        feedback.update_feedback(db, record.id, FeedbackInput(mentee_id=mentee, impact="c"))
