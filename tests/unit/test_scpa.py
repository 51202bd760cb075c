"""Weekly SCPA updates: one per week, filed under its Monday, and the run of them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentor_desk.db.base import Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import LmpRecord, Mentee
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services import scpa

HOSTILE = "<b>Zoë</b> & AT&T — 李小龙, محمد 🚀\n\n- **shipped** `v2`"


def make_record(db: Database, name: str) -> int:
    with db.write() as session:
        mentee = Mentee(name=name)
        session.add(mentee)
        session.flush()
        record = LmpRecord(mentee_id=mentee.id, enrolled_on=date(2024, 1, 8))
        session.add(record)
        session.flush()
        return record.id


@pytest.fixture
def record_id(db: Database) -> int:
    return make_record(db, "Ana")


@given(st.dates())
def test_week_start_is_the_monday_of_the_same_week(day: date) -> None:
    monday = scpa.week_start(day)
    assert monday.weekday() == 0
    assert timedelta(0) <= day - monday <= timedelta(days=6)


def test_week_of_is_normalised_to_monday(db: Database, record_id: int) -> None:
    wednesday = scpa.create_scpa(db, record_id, week_of="2024-03-06", success="Demo went well")
    assert wednesday.week_of == date(2024, 3, 4)
    sunday = scpa.create_scpa(db, record_id, week_of=date(2024, 3, 17), priorities="Hiring")
    assert sunday.week_of == date(2024, 3, 11)
    assert wednesday.visibility == Visibility.LEADERSHIP
    assert scpa.get_scpa(db, wednesday.id) == wednesday


def test_a_second_update_for_the_same_week_is_refused(db: Database, record_id: int) -> None:
    scpa.create_scpa(db, record_id, week_of="2024-03-04", success="First")
    with pytest.raises(ValidationError, match="week of 2024-03-04") as caught:
        scpa.create_scpa(db, record_id, week_of="2024-03-08", success="Second")
    assert caught.value.field == "week_of"
    assert [update.success for update in scpa.list_scpa(db, record_id)] == ["First"]


def test_the_same_week_is_fine_for_another_record(db: Database, record_id: int) -> None:
    other_id = make_record(db, "Bo")
    scpa.create_scpa(db, record_id, week_of="2024-03-04", success="Mine")
    theirs = scpa.create_scpa(db, other_id, week_of="2024-03-04", success="Theirs")
    assert [update.id for update in scpa.list_scpa(db, other_id)] == [theirs.id]


def test_at_least_one_text_is_required(db: Database, record_id: int) -> None:
    with pytest.raises(ValidationError, match="at least one"):
        scpa.create_scpa(db, record_id, week_of="2024-03-04")
    with pytest.raises(ValidationError, match="at least one"):
        scpa.create_scpa(db, record_id, week_of="2024-03-04", success=" \n ", appreciation="\t")
    only_thanks = scpa.create_scpa(db, record_id, week_of="2024-03-04", appreciation="Thanks Kim")
    assert (only_thanks.success, only_thanks.appreciation) == ("", "Thanks Kim")


def test_bad_input_names_the_field(db: Database, record_id: int) -> None:
    with pytest.raises(ValidationError) as caught:
        scpa.create_scpa(db, record_id, week_of="March", success="x")
    assert caught.value.field == "week_of"
    with pytest.raises(ValidationError) as caught:
        scpa.create_scpa(db, record_id, week_of="2024-03-04", success="x", visibility="all")
    assert caught.value.field == "visibility"
    with pytest.raises(NotFoundError, match="LMP record"):
        scpa.create_scpa(db, 4242, week_of="2024-03-04", success="x")
    assert scpa.list_scpa(db, record_id) == []


def test_hostile_text_round_trips(db: Database, record_id: int) -> None:
    created = scpa.create_scpa(
        db,
        record_id,
        week_of="2024-03-04",
        success=HOSTILE,
        challenges=HOSTILE,
        priorities=HOSTILE,
        appreciation=HOSTILE,
    )
    fetched = scpa.get_scpa(db, created.id)
    assert (fetched.success, fetched.challenges) == (HOSTILE, HOSTILE)
    assert (fetched.priorities, fetched.appreciation) == (HOSTILE, HOSTILE)


def test_update_changes_only_given_fields(db: Database, record_id: int) -> None:
    created = scpa.create_scpa(
        db, record_id, week_of="2024-03-04", success="Shipped", challenges="Flaky CI"
    )
    updated = scpa.update_scpa(db, created.id, challenges="", priorities="Fix CI")
    assert (updated.success, updated.challenges, updated.priorities) == ("Shipped", "", "Fix CI")
    moved = scpa.update_scpa(db, created.id, week_of="2024-03-13", visibility="private")
    assert moved.week_of == date(2024, 3, 11)
    assert moved.visibility == Visibility.PRIVATE
    assert moved.success == "Shipped"
    assert scpa.get_scpa(db, created.id) == moved
    # Moving within its own week is not a clash with itself.
    assert scpa.update_scpa(db, created.id, week_of="2024-03-15").week_of == date(2024, 3, 11)


def test_update_refuses_an_occupied_week_or_emptying_it(db: Database, record_id: int) -> None:
    first = scpa.create_scpa(db, record_id, week_of="2024-03-04", success="One")
    scpa.create_scpa(db, record_id, week_of="2024-03-11", success="Two")
    with pytest.raises(ValidationError) as caught:
        scpa.update_scpa(db, first.id, week_of="2024-03-12", success="Changed")
    assert caught.value.field == "week_of"
    with pytest.raises(ValidationError, match="at least one"):
        scpa.update_scpa(db, first.id, success="")
    assert scpa.get_scpa(db, first.id) == first


def test_list_is_newest_first_and_delete_removes(db: Database, record_id: int) -> None:
    old = scpa.create_scpa(db, record_id, week_of="2024-01-08", success="Old")
    new = scpa.create_scpa(db, record_id, week_of="2024-02-05", success="New")
    mid = scpa.create_scpa(db, record_id, week_of="2024-01-22", success="Mid")
    assert [u.id for u in scpa.list_scpa(db, record_id)] == [new.id, mid.id, old.id]
    scpa.delete_scpa(db, mid.id)
    assert [u.id for u in scpa.list_scpa(db, record_id)] == [new.id, old.id]
    with pytest.raises(NotFoundError, match="SCPA"):
        scpa.get_scpa(db, mid.id)
    with pytest.raises(NotFoundError):
        scpa.delete_scpa(db, mid.id)


def test_streak_counts_weeks_and_the_longest_run(db: Database, record_id: int) -> None:
    assert scpa.scpa_streak(db, record_id) == (0, 0)
    start = date(2024, 1, 1)  # a Monday
    for week in (0, 1, 2, 4, 5, 9):
        scpa.create_scpa(db, record_id, week_of=start + timedelta(weeks=week, days=2), success="x")
    streak = scpa.scpa_streak(db, record_id)
    assert streak == (6, 3)
    assert streak.weeks_with_update == 6
    assert streak.longest_run == 3
    with pytest.raises(NotFoundError):
        scpa.scpa_streak(db, 4242)
