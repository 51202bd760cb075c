"""LMP records: enrolment, the state workflow, presentations, decisions and their history."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Row, func, select

from mentor_desk.db.base import Decision, GoalCategory, GoalStatus, LmpState, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import Goal, LmpPresentation, Mentee
from mentor_desk.errors import ConfirmationRequiredError, NotFoundError, ValidationError
from mentor_desk.services import lmp
from mentor_desk.services.evidence import EvidenceInput, create_evidence, list_evidence
from mentor_desk.services.framework import list_areas
from mentor_desk.services.lmp import RequestedAction
from mentor_desk.services.scpa import create_scpa

HOSTILE = "<b>Zoë</b> & AT&T — 李小龙, محمد 🚀\n\n- **markdown** `code`"


def make_mentee(db: Database, name: str) -> int:
    with db.write() as session:
        mentee = Mentee(name=name)
        session.add(mentee)
        session.flush()
        return mentee.id


def enrolled(db: Database, name: str = "Ana Lima") -> lmp.LmpRecordInfo:
    return lmp.enroll(
        db, make_mentee(db, name), sponsor_name="Sam Sponsor", enrolled_on="2024-01-08"
    )


def to_ready(db: Database, record_id: int) -> None:
    lmp.set_state(db, record_id, LmpState.GATHERING_EVIDENCE)
    lmp.set_state(db, record_id, "ready_for_review")


def goal_rows(db: Database) -> list[Row[Any]]:
    """Every goal as plain rows (ORM objects expire when the read rolls back)."""
    columns = [
        Goal.id,
        Goal.title,
        Goal.description,
        Goal.category,
        Goal.target_date,
        Goal.status,
        Goal.visibility,
        Goal.mentee_id,
        Goal.presentation_id,
    ]
    with db.read() as session:
        return list(session.execute(select(*columns).order_by(Goal.id)))


def in_lmp(db: Database, mentee_id: int) -> bool:
    with db.read() as session:
        return bool(session.scalar(select(Mentee.in_lmp).where(Mentee.id == mentee_id)))


# --- enrolment and records ----------------------------------------------------------------------


def test_enroll_creates_the_record_and_marks_the_mentee(db: Database) -> None:
    mentee_id = make_mentee(db, "李小龙")
    assert not in_lmp(db, mentee_id)
    record = lmp.enroll(
        db, mentee_id, sponsor_name="Sam", enrolled_on=date(2024, 1, 8), recommendation=HOSTILE
    )
    assert in_lmp(db, mentee_id)
    assert record.candidate_name == "李小龙"
    assert record.state == LmpState.ENROLLED
    assert record.enrolled_on == date(2024, 1, 8)
    assert record.recommendation == HOSTILE
    assert record.visibility == Visibility.LEADERSHIP
    assert record.evidence_count == 0
    assert record.gap_count == sum(1 for area in list_areas(db) if not area.optional)
    assert lmp.get_record(db, record.id) == record
    assert lmp.record_for_mentee(db, mentee_id) == record


def test_enrolling_twice_is_refused(db: Database) -> None:
    record = enrolled(db, "Ana Lima")
    with pytest.raises(ValidationError, match="already an LMP candidate") as caught:
        lmp.enroll(db, record.mentee_id, sponsor_name="Other", enrolled_on="2024-02-01")
    assert caught.value.field == "mentee"
    assert "Ana Lima" in str(caught.value)
    assert len(lmp.list_records(db)) == 1
    assert lmp.get_record(db, record.id).sponsor_name == "Sam Sponsor"


def test_enroll_refuses_bad_input(db: Database) -> None:
    mentee_id = make_mentee(db, "Bo")
    with pytest.raises(ValidationError) as caught:
        lmp.enroll(db, mentee_id, sponsor_name="  ", enrolled_on="2024-01-08")
    assert caught.value.field == "sponsor_name"
    with pytest.raises(ValidationError) as caught:
        lmp.enroll(db, mentee_id, sponsor_name="Sam", enrolled_on="next week")
    assert caught.value.field == "enrolled_on"
    with pytest.raises(NotFoundError, match="mentee"):
        lmp.enroll(db, 9_999, sponsor_name="Sam", enrolled_on="2024-01-08")
    assert lmp.record_for_mentee(db, mentee_id) is None
    assert not in_lmp(db, mentee_id)


def test_missing_record_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError, match="LMP record"):
        lmp.get_record(db, 4242)
    with pytest.raises(NotFoundError):
        lmp.set_state(db, 4242, "gathering_evidence")
    with pytest.raises(NotFoundError):
        lmp.history(db, 4242)


def test_list_records_sorted_by_name_with_counts(db: Database) -> None:
    zoe = enrolled(db, "zoë")
    ana = enrolled(db, "Ana")
    create_evidence(db, zoe.id, EvidenceInput(occurred_on="2024-02-01", areas=["A"], title="1"))
    create_evidence(
        db, zoe.id, EvidenceInput(occurred_on="2024-03-01", areas=["B1", "B2"], title="2")
    )
    lmp.set_state(db, zoe.id, "gathering_evidence")
    rows = lmp.list_records(db)
    assert [row.candidate_name for row in rows] == ["Ana", "zoë"]
    assert rows[1].evidence_count == 2
    assert rows[1].latest_evidence_on == date(2024, 3, 1)
    assert rows[0].evidence_count == 0
    assert rows[0].latest_evidence_on is None
    assert rows[0].gap_count - rows[1].gap_count == 4  # A, B, B1, B2
    assert rows[1].gap_count == lmp.get_record(db, zoe.id).gap_count
    assert [row.id for row in lmp.list_records(db, state="gathering_evidence")] == [zoe.id]
    assert [row.id for row in lmp.list_records(db, state=LmpState.ENROLLED)] == [ana.id]


def test_list_records_without_gaps_and_the_gaps_asked_for_later(db: Database) -> None:
    zoe = enrolled(db, "Zoë")
    ana = enrolled(db, "Ana")
    create_evidence(db, zoe.id, EvidenceInput(occurred_on="2024-02-01", areas=["B1"], title="1"))
    full = lmp.list_records(db)
    quick = lmp.list_records(db, with_gaps=False)
    assert [row.id for row in quick] == [row.id for row in full] == [ana.id, zoe.id]
    assert [row.gap_count for row in quick] == [None, None]
    assert [row.evidence_count for row in quick] == [0, 1]
    gaps = lmp.record_gap_counts(db, [ana.id, zoe.id, 999_999])  # a record that is gone
    assert gaps == {row.id: row.gap_count for row in full}
    assert gaps[ana.id] - gaps[zoe.id] == 2  # B1 and, rolled up, B


def test_update_record_changes_only_given_fields(db: Database) -> None:
    record = enrolled(db)
    updated = lmp.update_record(db, record.id, recommendation=HOSTILE)
    assert updated.recommendation == HOSTILE
    assert updated.sponsor_name == "Sam Sponsor"
    updated = lmp.update_record(db, record.id, sponsor_name="Łukasz", visibility="private")
    assert (updated.sponsor_name, updated.visibility) == ("Łukasz", Visibility.PRIVATE)
    assert updated.recommendation == HOSTILE
    assert lmp.get_record(db, record.id) == updated
    with pytest.raises(ValidationError) as caught:
        lmp.update_record(db, record.id, visibility="everyone")
    assert caught.value.field == "visibility"


def test_enrolment_date_cannot_move_after_a_presentation(db: Database) -> None:
    record = enrolled(db)
    to_ready(db, record.id)
    lmp.record_presentation(db, record.id, presented_on="2024-06-03", reviewers=["Kim"])
    with pytest.raises(ValidationError):
        lmp.update_record(db, record.id, enrolled_on="2024-07-01")
    assert lmp.update_record(db, record.id, enrolled_on="2024-02-01").enrolled_on == date(
        2024, 2, 1
    )


def test_delete_record_needs_confirmation_and_keeps_goals(db: Database) -> None:
    record = enrolled(db)
    create_evidence(db, record.id, EvidenceInput(occurred_on="2024-02-01", areas=["A"], title="x"))
    create_scpa(db, record.id, week_of="2024-02-05", success="Shipped")
    to_ready(db, record.id)
    shown = lmp.record_presentation(db, record.id, presented_on="2024-06-03", reviewers="Kim")
    lmp.record_decision(
        db,
        shown.id,
        decision="further_actions",
        decided_on="2024-06-03",
        requested_actions=[RequestedAction("Run a retro")],
    )
    with pytest.raises(ConfirmationRequiredError, match="1 evidence entries, 1 SCPA updates"):
        lmp.delete_record(db, record.id)
    assert lmp.get_record(db, record.id).evidence_count == 1

    lmp.delete_record(db, record.id, confirm=True)
    with pytest.raises(NotFoundError):
        lmp.get_record(db, record.id)
    assert not in_lmp(db, record.mentee_id)
    goals = goal_rows(db)
    assert [goal.title for goal in goals] == ["Run a retro"]
    assert goals[0].presentation_id is None


# --- the state workflow -------------------------------------------------------------------------


def test_legal_manual_moves(db: Database) -> None:
    record = enrolled(db)
    assert lmp.set_state(db, record.id, "gathering_evidence").state == LmpState.GATHERING_EVIDENCE
    assert lmp.set_state(db, record.id, "ready_for_review").state == LmpState.READY_FOR_REVIEW
    # Back a step when a gap turns up after all.
    assert lmp.set_state(db, record.id, "gathering_evidence").state == LmpState.GATHERING_EVIDENCE
    # Asking for the current state changes nothing.
    assert lmp.set_state(db, record.id, "gathering_evidence").state == LmpState.GATHERING_EVIDENCE


ILLEGAL_FROM_ENROLLED = [
    (LmpState.READY_FOR_REVIEW, "can move to: gathering evidence"),
    (LmpState.PRESENTED, "Record the presentation"),
    (LmpState.ACCEPTED, "decision"),
    (LmpState.FURTHER_ACTIONS, "decision"),
]


def test_illegal_moves_are_refused_with_a_hint(db: Database) -> None:
    record = enrolled(db)
    for target, hint in ILLEGAL_FROM_ENROLLED:
        with pytest.raises(ValidationError, match=hint) as caught:
            lmp.set_state(db, record.id, target)
        assert caught.value.field == "state"
        assert "cannot move from 'enrolled'" in str(caught.value)
    assert lmp.get_record(db, record.id).state == LmpState.ENROLLED
    with pytest.raises(ValidationError, match="not one of"):
        lmp.set_state(db, record.id, "promoted")


def test_presented_and_accepted_records_only_move_by_events(db: Database) -> None:
    record = enrolled(db)
    to_ready(db, record.id)
    shown = lmp.record_presentation(db, record.id, presented_on="2024-06-03", reviewers="Kim")
    with pytest.raises(ValidationError, match="decision on the presentation first"):
        lmp.set_state(db, record.id, "gathering_evidence")
    lmp.record_decision(db, shown.id, decision=Decision.ACCEPTED, decided_on="2024-06-04")
    for target in ("gathering_evidence", "ready_for_review", "enrolled"):
        with pytest.raises(ValidationError, match="complete"):
            lmp.set_state(db, record.id, target)
    assert lmp.get_record(db, record.id).state == LmpState.ACCEPTED


def test_next_states() -> None:
    assert lmp.next_states("enrolled") == (LmpState.GATHERING_EVIDENCE,)
    assert lmp.next_states(LmpState.FURTHER_ACTIONS) == (
        LmpState.GATHERING_EVIDENCE,
        LmpState.READY_FOR_REVIEW,
    )
    assert lmp.next_states(LmpState.ACCEPTED) == ()


# --- presentations and decisions ----------------------------------------------------------------


def test_presentation_needs_a_record_ready_for_review(db: Database) -> None:
    record = enrolled(db)
    lmp.set_state(db, record.id, "gathering_evidence")
    with pytest.raises(ValidationError, match="ready for review first"):
        lmp.record_presentation(db, record.id, presented_on="2024-06-03", reviewers="Kim")
    assert lmp.history(db, record.id) == []


def test_presentation_validates_its_date_and_reviewers(db: Database) -> None:
    record = enrolled(db)
    to_ready(db, record.id)
    with pytest.raises(ValidationError) as caught:
        lmp.record_presentation(db, record.id, presented_on="2024-06-03", reviewers=["", "  "])
    assert caught.value.field == "reviewers"
    with pytest.raises(ValidationError) as caught:
        lmp.record_presentation(db, record.id, presented_on="2023-12-01", reviewers="Kim")
    assert caught.value.field == "presented_on"
    shown = lmp.record_presentation(
        db, record.id, presented_on="2024-06-03", reviewers="Kim Park\n\nمحمد <CTO> & co\n"
    )
    assert shown.reviewers == ("Kim Park", "محمد <CTO> & co")
    assert shown.decision is None
    assert lmp.get_record(db, record.id).state == LmpState.PRESENTED
    assert lmp.history(db, record.id) == [shown]


def test_decision_with_three_actions_creates_three_linked_goals(db: Database) -> None:
    record = enrolled(db)
    to_ready(db, record.id)
    shown = lmp.record_presentation(
        db, record.id, presented_on="2024-06-03", reviewers=["Kim", "Lee"]
    )
    actions = [
        RequestedAction("Lead two retros", "With the platform team", date(2024, 9, 1)),
        RequestedAction("Run a hiring loop <b>&</b>", category=GoalCategory.CAREER),
        ("Write an 'I optimize for…' statement", "D4 gap", "2024-08-15", "soft_skills"),
    ]
    result = lmp.record_decision(
        db,
        shown.id,
        decision="further_actions",
        decided_on="2024-06-05",
        notes=HOSTILE,
        requested_actions=actions,
    )
    assert result.state == LmpState.FURTHER_ACTIONS
    assert len(result.goal_ids) == 3
    assert result.presentation.decision == Decision.FURTHER_ACTIONS
    assert result.presentation.decided_on == date(2024, 6, 5)
    assert result.presentation.decision_notes == HOSTILE
    assert [goal.id for goal in result.presentation.goals] == list(result.goal_ids)

    goals = goal_rows(db)
    assert [goal.id for goal in goals] == list(result.goal_ids)
    assert {goal.presentation_id for goal in goals} == {shown.id}
    assert {goal.mentee_id for goal in goals} == {record.mentee_id}
    assert goals[0].title == "Lead two retros"
    assert goals[0].description == "With the platform team"
    assert goals[0].target_date == date(2024, 9, 1)
    assert goals[1].title == "Run a hiring loop <b>&</b>"
    assert goals[1].category == GoalCategory.CAREER
    assert goals[2].target_date == date(2024, 8, 15)
    assert all(goal.status == GoalStatus.NOT_STARTED for goal in goals)
    assert all(goal.visibility == Visibility.LEADERSHIP for goal in goals)
    assert lmp.get_record(db, record.id).state == LmpState.FURTHER_ACTIONS


def test_a_bad_action_saves_nothing(db: Database) -> None:
    record = enrolled(db)
    to_ready(db, record.id)
    shown = lmp.record_presentation(db, record.id, presented_on="2024-06-03", reviewers="Kim")
    with pytest.raises(ValidationError) as caught:
        lmp.record_decision(
            db,
            shown.id,
            decision="further_actions",
            decided_on="2024-06-05",
            requested_actions=[RequestedAction("Fine"), RequestedAction("   ")],
        )
    assert caught.value.field is not None
    assert caught.value.field.startswith("requested_actions[1]")
    assert goal_rows(db) == []
    assert lmp.history(db, record.id)[0].decision is None
    assert lmp.get_record(db, record.id).state == LmpState.PRESENTED


def test_decision_rules(db: Database) -> None:
    record = enrolled(db)
    to_ready(db, record.id)
    shown = lmp.record_presentation(db, record.id, presented_on="2024-06-03", reviewers="Kim")
    with pytest.raises(ValidationError, match="no requested actions"):
        lmp.record_decision(
            db,
            shown.id,
            decision="accepted",
            decided_on="2024-06-05",
            requested_actions=[RequestedAction("More")],
        )
    with pytest.raises(ValidationError) as caught:
        lmp.record_decision(db, shown.id, decision="accepted", decided_on="2024-06-01")
    assert caught.value.field == "decided_on"
    with pytest.raises(ValidationError) as caught:
        lmp.record_decision(db, shown.id, decision="maybe", decided_on="2024-06-05")
    assert caught.value.field == "decision"
    with pytest.raises(NotFoundError, match="presentation"):
        lmp.record_decision(db, 9_999, decision="accepted", decided_on="2024-06-05")

    result = lmp.record_decision(db, shown.id, decision="accepted", decided_on="2024-06-05")
    assert result.state == LmpState.ACCEPTED
    assert result.goal_ids == ()
    with pytest.raises(ValidationError, match="already has a decision"):
        lmp.record_decision(db, shown.id, decision="further_actions", decided_on="2024-06-06")
    assert lmp.history(db, record.id)[0].decision == Decision.ACCEPTED


def test_presenting_again_keeps_the_whole_history(db: Database) -> None:
    record = enrolled(db)
    to_ready(db, record.id)
    first = lmp.record_presentation(db, record.id, presented_on="2024-06-03", reviewers="Kim")
    decided = lmp.record_decision(
        db,
        first.id,
        decision="further_actions",
        decided_on="2024-06-05",
        notes="Needs E4 evidence",
        requested_actions=[RequestedAction("Weekly SCPA"), RequestedAction("Lead stand-up")],
    )
    # Further actions: back to gathering evidence, then ready again.
    lmp.set_state(db, record.id, "gathering_evidence")
    lmp.set_state(db, record.id, "ready_for_review")
    with pytest.raises(ValidationError) as caught:
        lmp.record_presentation(db, record.id, presented_on="2024-06-04", reviewers="Kim")
    assert caught.value.field == "presented_on"
    second = lmp.record_presentation(
        db, record.id, presented_on="2024-10-07", reviewers=["Kim", "Lee"]
    )
    lmp.record_decision(db, second.id, decision="accepted", decided_on="2024-10-07")

    past = lmp.history(db, record.id)
    assert [p.id for p in past] == [first.id, second.id]
    assert past[0].decision == Decision.FURTHER_ACTIONS
    assert past[0].decision_notes == "Needs E4 evidence"
    assert [goal.title for goal in past[0].goals] == ["Weekly SCPA", "Lead stand-up"]
    assert [goal.id for goal in past[0].goals] == list(decided.goal_ids)
    assert past[1].decision == Decision.ACCEPTED
    assert past[1].reviewers == ("Kim", "Lee")
    assert past[1].goals == ()
    info = lmp.get_record(db, record.id)
    assert info.state == LmpState.ACCEPTED
    assert info.presentation_count == 2
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(LmpPresentation)) == 2


def test_further_actions_can_go_straight_back_to_ready(db: Database) -> None:
    record = enrolled(db)
    to_ready(db, record.id)
    shown = lmp.record_presentation(db, record.id, presented_on="2024-06-03", reviewers="Kim")
    lmp.record_decision(db, shown.id, decision="further_actions", decided_on="2024-06-03")
    with pytest.raises(ValidationError, match="ready for review first"):
        lmp.record_presentation(db, record.id, presented_on="2024-07-01", reviewers="Kim")
    assert lmp.set_state(db, record.id, "ready_for_review").state == LmpState.READY_FOR_REVIEW
    again = lmp.record_presentation(db, record.id, presented_on="2024-07-01", reviewers="Kim")
    assert [p.id for p in lmp.history(db, record.id)] == [shown.id, again.id]
    assert list_evidence(db, record.id) == []


def test_get_record_with_the_framework_given_reads_it_no_more(db: Database) -> None:
    """The Evidence tab passes the framework it loaded: the same record, gaps included, with
    no query on lmp_areas."""
    from sqlalchemy import event

    record = enrolled(db)
    create_evidence(db, record.id, EvidenceInput(occurred_on="2024-02-01", areas=["B1"], title="x"))
    areas = list_areas(db)
    statements: list[str] = []

    def note(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        given = lmp.get_record(db, record.id, areas=areas)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert given == lmp.get_record(db, record.id)
    assert given.gap_count == record.gap_count - 2  # B1, and B through its sub-area
    assert not any("FROM lmp_areas" in s.split("JOIN")[0] for s in statements)
