"""The Overview's "what needs attention today", on a hand-built program."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentor_desk.db import models
from mentor_desk.db.base import Cadence, GoalStatus, ItemOwner, LmpState, MenteeStatus
from mentor_desk.db.base import ProgressMode as Mode
from mentor_desk.db.engine import Database
from mentor_desk.services.attention import Attention, attention

TODAY = date(2026, 3, 16)


def _days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def _met(mentee: models.Mentee, days_ago: int) -> models.MentoringSession:
    day = _days_ago(days_ago)
    started = datetime(day.year, day.month, day.day, 10).astimezone()
    return models.MentoringSession(mentee_id=mentee.id, started_at=started)


def _goal(mentee: models.Mentee, title: str, status: GoalStatus, **values: object) -> models.Goal:
    return models.Goal(mentee_id=mentee.id, title=title, status=status, **values)


def _record(s: Session, mentee: models.Mentee, state: LmpState, codes: list[str]) -> None:
    """An LMP record with one evidence entry tagged with ``codes`` (none if empty)."""
    record = models.LmpRecord(mentee_id=mentee.id, state=state, enrolled_on=_days_ago(100))
    s.add(record)
    s.flush()
    if codes:
        areas = s.scalars(select(models.LmpArea).where(models.LmpArea.code.in_(codes))).all()
        assert len(areas) == len(codes)
        s.add(models.Evidence(record_id=record.id, occurred_on=TODAY, title="e", areas=areas))


ALL_REQUIRED = [
    *("A", "B1", "B2", "B3", "B4", "C"),
    *("D1", "D2", "D3", "D4", "D5", "E1", "E2", "E3", "E4", "E5"),
]


@pytest.fixture
def program(db: Database) -> dict[str, int]:
    """Active Ann (overdue), Ben (due in 2 days), Cat (due in 3), Dan (stalled); paused Eve."""
    with db.write() as s:
        people = {
            name: models.Mentee(name=name, cadence=cadence, status=status)
            for name, cadence, status in [
                ("Ann", Cadence.WEEKLY, MenteeStatus.ACTIVE),
                ("Ben", Cadence.WEEKLY, MenteeStatus.ACTIVE),
                ("Cat", Cadence.WEEKLY, MenteeStatus.ACTIVE),
                ("Dan", Cadence.MONTHLY, MenteeStatus.ACTIVE),
                ("Eve", Cadence.WEEKLY, MenteeStatus.PAUSED),
            ]
        }
        s.add_all(people.values())
        s.flush()
        ann, ben, cat, dan, eve = people.values()
        s.add_all(
            [
                _met(ann, 20),
                _met(ann, 9),
                _met(ben, 5),
                _met(cat, 4),
                _met(cat, -3),  # planned: does not move Cat's due date
                _met(dan, 61),
                _met(eve, 100),
                models.ActionItem(mentee_id=ann.id, text="Overdue <b>&</b>", due_on=_days_ago(3)),
                models.ActionItem(
                    mentee_id=dan.id, text="Older", due_on=_days_ago(10), owner=ItemOwner.MENTOR
                ),
                models.ActionItem(mentee_id=ann.id, text="done", due_on=_days_ago(5), done=True),
                models.ActionItem(mentee_id=ann.id, text="due today", due_on=TODAY),
                models.ActionItem(mentee_id=ann.id, text="no date"),
                models.ActionItem(mentee_id=eve.id, text="paused", due_on=_days_ago(30)),
                _goal(ann, "At risk", GoalStatus.AT_RISK, progress=30),
                _goal(ben, "Off track", GoalStatus.OFF_TRACK, target_date=TODAY + timedelta(9)),
                _goal(cat, "Late", GoalStatus.ON_TRACK, target_date=_days_ago(1), progress=80),
                _goal(cat, "Late done", GoalStatus.DONE, target_date=_days_ago(1)),
                _goal(cat, "Late dropped", GoalStatus.DROPPED, target_date=_days_ago(1)),
                _goal(cat, "Fine", GoalStatus.ON_TRACK, target_date=TODAY),
                _goal(eve, "Paused risk", GoalStatus.AT_RISK),
            ]
        )
        by_milestones = _goal(
            dan, "Milestones", GoalStatus.AT_RISK, progress_mode=Mode.MILESTONES, progress=0
        )
        by_milestones.milestones.extend(
            [models.Milestone(title=str(n), done=n == 0, position=n) for n in range(4)]
        )
        s.add(by_milestones)
        _record(s, ann, LmpState.GATHERING_EVIDENCE, ["A", "B1", "B2", "D1"])
        _record(s, ben, LmpState.READY_FOR_REVIEW, ALL_REQUIRED)
        _record(s, cat, LmpState.GATHERING_EVIDENCE, ALL_REQUIRED)
        _record(s, dan, LmpState.ACCEPTED, [])
        _record(s, eve, LmpState.ENROLLED, [])
        return {name: mentee.id for name, mentee in people.items()}


@pytest.fixture
def overview(db: Database, program: dict[str, int]) -> Attention:
    return attention(db, today=TODAY)


def test_due_or_overdue_within_two_days_most_overdue_first(
    overview: Attention, program: dict[str, int]
) -> None:
    due = [(item.mentee.name, item.due_on, item.days_overdue) for item in overview.due_or_overdue]
    assert due == [
        ("Dan", _days_ago(31), 31),
        ("Ann", _days_ago(2), 2),
        ("Ben", TODAY + timedelta(days=2), -2),
    ]
    assert overview.due_or_overdue[0].mentee.id == program["Dan"]
    assert overview.today == TODAY


def test_stalled_only_counts_active_mentees(overview: Attention, program: dict[str, int]) -> None:
    assert [row.id for row in overview.stalled] == [program["Dan"]]
    assert overview.stalled[0].last_contact_on == _days_ago(61)


def test_overdue_action_items_oldest_first(overview: Attention, program: dict[str, int]) -> None:
    items = [
        (a.text, a.owner, a.due_on, a.mentee_name, a.days_overdue)
        for a in overview.overdue_action_items
    ]
    assert items == [
        ("Older", ItemOwner.MENTOR, _days_ago(10), "Dan", 10),
        ("Overdue <b>&</b>", ItemOwner.MENTEE, _days_ago(3), "Ann", 3),
    ]
    assert overview.overdue_action_items[1].mentee_id == program["Ann"]


def test_goals_at_risk(overview: Attention) -> None:
    goals = {goal.title: goal for goal in overview.goals_at_risk}
    assert set(goals) == {"At risk", "Off track", "Late", "Milestones"}
    assert (goals["Late"].status, goals["Late"].progress, goals["Late"].past_target) == (
        GoalStatus.ON_TRACK,
        80,
        True,
    )
    assert (goals["At risk"].progress, goals["At risk"].past_target) == (30, False)
    assert goals["At risk"].mentee_name == "Ann"
    assert goals["Off track"].target_date == TODAY + timedelta(days=9)
    assert goals["Milestones"].progress == 25  # one of four milestones done
    # Dated goals first, soonest target first.
    assert [g.title for g in overview.goals_at_risk][:2] == ["Late", "Off track"]


def test_lmp_attention_lists_gaps_and_ready_for_review(
    overview: Attention, program: dict[str, int]
) -> None:
    by_name = {item.mentee_name: item for item in overview.lmp_attention}
    assert set(by_name) == {"Ann", "Ben"}  # Cat is covered, Dan accepted, Eve paused
    ann = by_name["Ann"]
    assert ann.mentee_id == program["Ann"]
    assert ann.state is LmpState.GATHERING_EVIDENCE
    assert not ann.ready_for_review
    assert {"B3", "B4", "C", "D2", "E", "E1", "E5"} <= set(ann.gaps)
    assert not {"A", "B", "B1", "B2", "D", "D1", "OPT"} & set(ann.gaps)
    assert (by_name["Ben"].ready_for_review, by_name["Ben"].gaps) == (True, ())


def test_count_adds_every_list(overview: Attention) -> None:
    assert overview.count == 3 + 1 + 2 + 4 + 2


def test_empty_program_needs_nothing(db: Database) -> None:
    empty = attention(db, today=TODAY)
    assert empty.count == 0
    assert empty == Attention(TODAY, (), (), (), (), ())


def test_new_mentee_without_start_is_due_today(db: Database) -> None:
    with db.write() as s:
        s.add(models.Mentee(name="李小龍 😀", started_on=None))
    due = attention(db, today=TODAY).due_or_overdue
    assert [(d.mentee.name, d.days_overdue) for d in due] == [("李小龍 😀", 0)]
