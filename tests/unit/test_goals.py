"""Goals, milestones, check-ins and the building block the LMP service uses."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from mentor_desk.db import models
from mentor_desk.db.base import GoalCategory, GoalStatus, ProgressMode, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import Mentee
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services import goal_lists, goals
from mentor_desk.services.goals import CheckinInput, GoalInput, MilestoneInput

HOSTILE = "Zoë 李小龍 مرحبا 😀 <b>&amp; AT&T</b>"
TODAY = date(2026, 3, 15)


def _add_mentee(db: Database, name: str) -> int:
    with db.write() as s:
        mentee = Mentee(name=name)
        s.add(mentee)
        s.flush()
        return mentee.id


@pytest.fixture
def mentee_id(db: Database) -> int:
    return _add_mentee(db, "Ada Lovelace")


@pytest.fixture
def other_mentee_id(db: Database) -> int:
    return _add_mentee(db, "Grace Hopper")


def _goal(db: Database, mentee_id: int, **changes: object) -> goals.Goal:
    values: dict[str, object] = {"mentee_id": mentee_id, "title": "Lead a design review"}
    values.update(changes)
    return goals.create_goal(db, GoalInput(**values))  # type: ignore[arg-type]


# --- create, read, update, delete ---------------------------------------------------------------


def test_create_goal_round_trips_every_field(db: Database, mentee_id: int) -> None:
    goal = _goal(
        db,
        mentee_id,
        title=HOSTILE,
        description=f"# Plan\n\n{HOSTILE}\nline two",
        category="technical",
        target_date="2026-06-30",
        status=GoalStatus.ON_TRACK,
        progress=40,
        visibility=Visibility.PRIVATE,
    )
    again = goals.get_goal(db, goal.id)
    assert again == goal
    assert again.title == HOSTILE
    assert again.description == f"# Plan\n\n{HOSTILE}\nline two"
    assert again.mentee_name == "Ada Lovelace"
    assert again.category is GoalCategory.TECHNICAL
    assert again.target_date == date(2026, 6, 30)
    assert again.status is GoalStatus.ON_TRACK
    assert again.progress_mode is ProgressMode.MANUAL
    assert (again.progress, again.manual_progress) == (40, 40)
    assert again.visibility is Visibility.PRIVATE
    assert again.milestones == ()
    assert again.checkins == ()
    assert again.date_warnings == ()
    assert len(again.uid) == 32


def test_new_goal_defaults(db: Database, mentee_id: int) -> None:
    goal = _goal(db, mentee_id)
    assert goal.visibility is Visibility.SHARED_WITH_MENTEE
    assert goal.status is GoalStatus.NOT_STARTED
    assert goal.category is GoalCategory.CAREER
    assert goal.progress == 0
    assert goal.presentation_id is None


def test_update_goal_changes_fields(db: Database, mentee_id: int, other_mentee_id: int) -> None:
    goal = _goal(db, mentee_id)
    updated = goals.update_goal(
        db,
        goal.id,
        GoalInput(
            mentee_id=other_mentee_id,
            title="  Run   the retro  ",
            category="DOMAIN",
            status="at_risk",
            progress=75,
        ),
    )
    assert updated.title == "Run the retro"
    assert updated.mentee_name == "Grace Hopper"
    assert updated.category is GoalCategory.DOMAIN
    assert updated.status is GoalStatus.AT_RISK
    assert updated.progress == 75
    assert goals.get_goal(db, goal.id) == updated


def test_set_goal_status(db: Database, mentee_id: int) -> None:
    goal = _goal(db, mentee_id)
    assert goals.set_goal_status(db, goal.id, "done").status is GoalStatus.DONE
    assert goals.get_goal(db, goal.id).status is GoalStatus.DONE
    with pytest.raises(ValidationError, match="not one of") as err:
        goals.set_goal_status(db, goal.id, "finished")
    assert err.value.field == "status"


def test_delete_goal_removes_milestones_and_checkins(db: Database, mentee_id: int) -> None:
    goal = _goal(db, mentee_id)
    goals.add_milestone(db, goal.id, MilestoneInput("Draft"))
    goals.add_checkin(db, goal.id, CheckinInput(TODAY, 10))
    goals.delete_goal(db, goal.id)
    with pytest.raises(NotFoundError, match="goal was not found"):
        goals.get_goal(db, goal.id)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(models.Milestone)) == 0
        assert s.scalar(select(func.count()).select_from(models.GoalCheckin)) == 0


def test_missing_records_raise_not_found(db: Database, mentee_id: int) -> None:
    with pytest.raises(NotFoundError):
        goals.get_goal(db, 9999)
    with pytest.raises(NotFoundError):
        goals.delete_goal(db, 9999)
    with pytest.raises(NotFoundError, match="mentee"):
        _goal(db, 9999)
    with pytest.raises(NotFoundError, match="milestone"):
        goals.toggle_milestone(db, 9999)
    with pytest.raises(NotFoundError, match="check-in"):
        goals.delete_checkin(db, 9999)
    with pytest.raises(NotFoundError, match="presentation"):
        _goal(db, mentee_id, presentation_id=9999)


# --- validation ---------------------------------------------------------------------------------


BAD_GOAL_INPUT: list[tuple[dict[str, object], str]] = [
    ({"title": "   "}, "title"),
    ({"progress": 101}, "progress"),
    ({"progress": -1}, "progress"),
    ({"progress": 12.5}, "progress"),
    ({"progress": None}, "progress"),
    ({"category": "hobby"}, "category"),
    ({"status": "paused"}, "status"),
    ({"progress_mode": "auto"}, "progress mode"),
    ({"visibility": "public"}, "visibility"),
    ({"target_date": "next spring"}, "target date"),
    ({"target_date": "2026-02-30"}, "target date"),
]


def test_bad_goal_input_is_refused_naming_the_field(db: Database, mentee_id: int) -> None:
    goal = _goal(db, mentee_id, title="Unchanged")
    for changes, field in BAD_GOAL_INPUT:
        with pytest.raises(ValidationError) as err:
            _goal(db, mentee_id, **changes)
        assert err.value.field == field, changes
        data = GoalInput(**{"mentee_id": mentee_id, "title": "t", **changes})  # type: ignore[arg-type]
        with pytest.raises(ValidationError):
            goals.update_goal(db, goal.id, data)
    assert [g.title for g in goal_lists.list_goals(db)] == ["Unchanged"]


def test_progress_message_is_the_same_for_every_mistake(db: Database, mentee_id: int) -> None:
    for bad in (150, "abc", 3.5):
        with pytest.raises(ValidationError, match="must be a whole number from 0 to 100"):
            _goal(db, mentee_id, progress=bad)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.one_of(st.integers(-1000, 1000), st.floats(allow_nan=True), st.text(max_size=3)))
def test_progress_accepts_exactly_whole_numbers_0_to_100(
    db: Database, mentee_id: int, value: object
) -> None:
    valid = (
        isinstance(value, int | float)
        and math.isfinite(value)
        and value == int(value)
        and 0 <= value <= 100
    )
    if valid:
        goal = _goal(db, mentee_id, progress=value)
        assert goals.get_goal(db, goal.id).progress == int(value)  # type: ignore[call-overload]
    else:
        with pytest.raises(ValidationError, match="whole number from 0 to 100"):
            _goal(db, mentee_id, progress=value)


@given(value=st.integers(-50, 150))
def test_check_progress_matches_the_range(value: int) -> None:
    if 0 <= value <= 100:
        assert goals.check_progress(value) == value
    else:
        with pytest.raises(ValidationError):
            goals.check_progress(value)


def test_far_target_date_is_allowed_with_a_warning(db: Database, mentee_id: int) -> None:
    far = date.today() + timedelta(days=365 * 10)
    goal = _goal(db, mentee_id, target_date=far)
    assert goal.target_date == far
    assert len(goal.date_warnings) == 1
    assert far.isoformat() in goal.date_warnings[0]
    assert "future" in goal.date_warnings[0]
    near = _goal(db, mentee_id, target_date=date.today() + timedelta(days=90))
    assert near.date_warnings == ()


def test_far_milestone_date_is_warned_about(db: Database, mentee_id: int) -> None:
    goal = _goal(db, mentee_id)
    goals.add_milestone(db, goal.id, MilestoneInput("Old typo", due_on=date(1926, 1, 1)))
    warnings = goals.get_goal(db, goal.id).date_warnings
    assert len(warnings) == 1
    assert "Old typo" in warnings[0]
    assert "past" in warnings[0]


# --- milestones and derived progress ------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "total", "expected"),
    [(0, 0, 0), (0, 3, 0), (1, 3, 33), (2, 3, 67), (1, 8, 13), (1, 2, 50), (4, 4, 100)],
)
def test_milestone_progress_rounds_half_up(done: int, total: int, expected: int) -> None:
    assert goals.milestone_progress(done, total) == expected


@given(total=st.integers(1, 500), data=st.data())
def test_milestone_progress_stays_in_range_and_grows(total: int, data: st.DataObject) -> None:
    done = data.draw(st.integers(0, total))
    value = goals.milestone_progress(done, total)
    assert 0 <= value <= 100
    # Within half a point of the exact share, compared in integers (23/40 is 57.5 exactly,
    # which a float computes as 57.49999999999999).
    assert abs(value * total - done * 100) * 2 <= total
    if done < total:
        assert goals.milestone_progress(done + 1, total) >= value


def test_progress_from_milestones(db: Database, mentee_id: int) -> None:
    goal = _goal(db, mentee_id, progress_mode="milestones", progress=90)
    assert goals.get_goal(db, goal.id).progress == 0  # no milestones yet: nothing done
    ids = [goals.add_milestone(db, goal.id, MilestoneInput(f"Step {n}")).id for n in range(3)]
    goals.toggle_milestone(db, ids[0], today=TODAY)
    got = goals.get_goal(db, goal.id)
    assert (got.progress, got.manual_progress) == (33, 90)
    goals.toggle_milestone(db, ids[1], today=TODAY)
    assert goals.get_goal(db, goal.id).progress == 67
    [row] = goal_lists.list_goals(db)
    assert (row.progress, row.milestones_done, row.milestones_total) == (67, 2, 3)
    goals.delete_milestone(db, ids[2])
    assert goals.get_goal(db, goal.id).progress == 100
    manual = goals.update_goal(
        db, goal.id, GoalInput(mentee_id=mentee_id, title="t", progress_mode="manual", progress=90)
    )
    assert manual.progress == 90


def test_milestones_keep_order_and_toggle_sets_done_on(db: Database, mentee_id: int) -> None:
    goal = _goal(db, mentee_id)
    first = goals.add_milestone(db, goal.id, MilestoneInput(HOSTILE, due_on="2026-04-01"))
    second = goals.add_milestone(db, goal.id, MilestoneInput("Second"))
    assert (first.position, second.position) == (0, 1)
    assert first.title == HOSTILE
    assert first.due_on == date(2026, 4, 1)
    assert (first.done, first.done_on) == (False, None)

    toggled = goals.toggle_milestone(db, first.id, today=TODAY)
    assert (toggled.done, toggled.done_on) == (True, TODAY)
    untoggled = goals.toggle_milestone(db, first.id, today=TODAY)
    assert (untoggled.done, untoggled.done_on) == (False, None)
    titles = [m.title for m in goals.get_goal(db, goal.id).milestones]
    assert titles == [HOSTILE, "Second"]


def test_update_milestone(db: Database, mentee_id: int) -> None:
    goal = _goal(db, mentee_id)
    milestone = goals.add_milestone(db, goal.id, MilestoneInput("Draft", done=True), today=TODAY)
    assert milestone.done_on == TODAY
    later = TODAY + timedelta(days=3)
    # Still done and no new date: the original day stays.
    kept = goals.update_milestone(
        db, milestone.id, MilestoneInput("Draft v2", done=True), today=later
    )
    assert (kept.title, kept.done_on) == ("Draft v2", TODAY)
    undone = goals.update_milestone(db, milestone.id, MilestoneInput("Draft v2", done=False))
    assert (undone.done, undone.done_on) == (False, None)
    with pytest.raises(ValidationError) as err:
        goals.update_milestone(db, milestone.id, MilestoneInput(""))
    assert err.value.field == "title"


# --- check-ins and the progress chart ----------------------------------------------------------


def test_progress_history_is_ordered_by_date(db: Database, mentee_id: int) -> None:
    goal = _goal(db, mentee_id)
    goals.add_checkin(db, goal.id, CheckinInput("2026-03-01", 50, comment=HOSTILE))
    goals.add_checkin(db, goal.id, CheckinInput(date(2026, 1, 1), 10))
    goals.add_checkin(db, goal.id, CheckinInput(date(2026, 2, 1), 30))
    assert goals.progress_history(db, goal.id) == [
        (date(2026, 1, 1), 10),
        (date(2026, 2, 1), 30),
        (date(2026, 3, 1), 50),
    ]
    full = goals.get_goal(db, goal.id)
    assert [c.checked_on for c in full.checkins] == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert full.checkins[-1].comment == HOSTILE
    assert full.checkins[-1].visibility is Visibility.SHARED_WITH_MENTEE
    with pytest.raises(NotFoundError):
        goals.progress_history(db, 9999)


def test_newest_checkin_sets_manual_progress(db: Database, mentee_id: int) -> None:
    goal = _goal(db, mentee_id, progress=5)
    newest = goals.add_checkin(db, goal.id, CheckinInput(date(2026, 3, 1), 60))
    assert goals.get_goal(db, goal.id).progress == 60
    goals.add_checkin(db, goal.id, CheckinInput(date(2026, 1, 1), 20))  # back-filled, older
    assert goals.get_goal(db, goal.id).progress == 60
    goals.update_checkin(db, newest.id, CheckinInput(date(2026, 3, 1), 65, comment="fixed"))
    assert goals.get_goal(db, goal.id).progress == 65
    goals.delete_checkin(db, newest.id)
    assert goals.progress_history(db, goal.id) == [(date(2026, 1, 1), 20)]


def test_bad_checkin_is_refused_naming_the_field(db: Database, mentee_id: int) -> None:
    goal = _goal(db, mentee_id)
    cases = [
        (CheckinInput(TODAY, 101), "progress"),
        (CheckinInput(TODAY, -1), "progress"),
        (CheckinInput("", 10), "check-in date"),
        (CheckinInput("yesterday", 10), "check-in date"),
        (CheckinInput(TODAY, 10, visibility="everyone"), "visibility"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as err:
            goals.add_checkin(db, goal.id, data)
        assert err.value.field == field, data
    assert goals.progress_history(db, goal.id) == []


# --- lists and risk -----------------------------------------------------------------------------


def test_list_goals_filters(db: Database, mentee_id: int, other_mentee_id: int) -> None:
    a = _goal(db, mentee_id, title="A", category="technical", target_date="2026-05-01")
    b = _goal(db, mentee_id, title="B", status="done", target_date="2026-04-01")
    c = _goal(db, other_mentee_id, title="C", category="technical")
    # Ada's goals by date, then Grace's.
    assert [g.id for g in goal_lists.list_goals(db)] == [b.id, a.id, c.id]
    assert [g.id for g in goal_lists.list_goals(db, mentee_id=other_mentee_id)] == [c.id]
    assert [g.id for g in goal_lists.list_goals(db, status="done")] == [b.id]
    assert [g.id for g in goal_lists.list_goals(db, category="technical")] == [a.id, c.id]
    assert [g.id for g in goal_lists.list_goals(db, include_closed=False)] == [a.id, c.id]
    with pytest.raises(ValidationError):
        goal_lists.list_goals(db, status="nope")


def test_list_rows_carry_a_short_excerpt(db: Database, mentee_id: int) -> None:
    _goal(db, mentee_id, title="Long", description="word\n" * 10_000)
    _goal(db, mentee_id, title="Short", description=HOSTILE)
    long_row, short_row = goal_lists.list_goals(db)
    assert len(long_row.excerpt) <= goal_lists.EXCERPT_LENGTH
    assert long_row.excerpt.endswith("…")
    assert "\n" not in long_row.excerpt
    assert short_row.excerpt == HOSTILE


def test_list_goals_runs_one_query_however_many_goals(db: Database, mentee_id: int) -> None:
    for n in range(10):
        goal = _goal(db, mentee_id, title=f"Goal {n}", progress_mode="milestones")
        goals.add_milestone(db, goal.id, MilestoneInput("m", done=n % 2 == 0))
        goals.add_checkin(db, goal.id, CheckinInput(TODAY, n))
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        rows = goal_lists.list_goals(db)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1
    assert len(rows) == 10
    assert {r.progress for r in rows} == {0, 100}
    assert all(r.last_checkin_on == TODAY for r in rows)


def test_goals_at_risk(db: Database, mentee_id: int) -> None:
    flagged = _goal(db, mentee_id, title="flagged", status="off_track")
    overdue = _goal(db, mentee_id, title="overdue", target_date=TODAY - timedelta(days=1))
    soon_behind = _goal(db, mentee_id, title="soon", target_date=TODAY + timedelta(days=5))
    _goal(db, mentee_id, title="soon but ahead", target_date=TODAY, progress=80)
    _goal(db, mentee_id, title="far", target_date=TODAY + timedelta(days=200))
    _goal(db, mentee_id, title="closed", status="dropped", target_date=TODAY - timedelta(days=9))
    found = goal_lists.goals_at_risk(db, today=TODAY)
    assert [item.goal.id for item in found] == [overdue.id, soon_behind.id, flagged.id]
    reasons = {item.goal.title: item.reasons for item in found}
    assert reasons["flagged"] == ("marked off track",)
    assert reasons["overdue"] == (f"overdue since {(TODAY - timedelta(days=1)).isoformat()}",)
    assert reasons["soon"] == ("due in 5 days at 0 %",)


# --- build_goal inside someone else's unit of work ---------------------------------------------


def test_build_goal_commits_with_the_callers_unit(db: Database, mentee_id: int) -> None:
    with db.write() as s:
        row = goals.build_goal(
            s, mentee_id=mentee_id, title=HOSTILE, category="soft_skills", target_date="2026-09-01"
        )
        assert isinstance(row, models.Goal)
        assert row.id is not None  # flushed, so the caller can link to it
        goal_id = row.id
    goal = goals.get_goal(db, goal_id)
    assert goal.title == HOSTILE
    assert goal.category is GoalCategory.SOFT_SKILLS
    assert goal.visibility is Visibility.SHARED_WITH_MENTEE
    assert goal.progress_mode is ProgressMode.MANUAL
    assert goal.progress == 0


def test_build_goal_rolls_back_when_the_caller_fails(db: Database, mentee_id: int) -> None:
    def lmp_decision() -> None:
        with db.write() as s:
            goals.build_goal(s, mentee_id=mentee_id, title="First action")
            goals.build_goal(s, mentee_id=mentee_id, title="Second action")
            assert s.scalar(select(func.count()).select_from(models.Goal)) == 2
            raise RuntimeError("caller failed")

    with pytest.raises(RuntimeError, match="caller failed"):
        lmp_decision()
    assert goal_lists.list_goals(db) == []


def test_build_goal_validates_like_create_goal(db: Database, mentee_id: int) -> None:
    def two_goals(second_title: str) -> None:
        with db.write() as s:
            goals.build_goal(s, mentee_id=mentee_id, title="ok")
            goals.build_goal(s, mentee_id=mentee_id, title=second_title, category="technical")

    with pytest.raises(ValidationError) as err:
        two_goals(" ")
    assert err.value.field == "title"
    assert goal_lists.list_goals(db) == []  # the whole unit rolled back, the first goal too
    with db.write() as s, pytest.raises(ValidationError) as err:
        goals.build_goal(s, mentee_id=mentee_id, title="x", status="later")
    assert err.value.field == "status"


def test_build_goal_links_a_presentation(db: Database, mentee_id: int) -> None:
    with db.write() as s:
        record = models.LmpRecord(mentee_id=mentee_id, enrolled_on=TODAY)
        s.add(record)
        s.flush()
        presentation = models.LmpPresentation(record_id=record.id, presented_on=TODAY)
        s.add(presentation)
        s.flush()
        goal_id = goals.build_goal(
            s, mentee_id=mentee_id, title="Run a retro", presentation_id=presentation.id
        ).id
        presentation_id = presentation.id
    assert goals.get_goal(db, goal_id).presentation_id == presentation_id
    assert goal_lists.list_goals(db)[0].presentation_id == presentation_id
