"""Action items: editing, ticking off, and carrying unfinished ones forward."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mentor_desk.db.base import ItemOwner, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import Mentee
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services import actions, sessions
from mentor_desk.services.actions import ActionItemInput
from mentor_desk.services.sessions import SessionInput

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def add_mentee(db: Database, name: str = "Ada Lovelace") -> int:
    with db.write() as session:
        mentee = Mentee(name=name)
        session.add(mentee)
        session.flush()
        return mentee.id


def add_session(db: Database, mentee_id: int, week: int) -> int:
    when = START + timedelta(weeks=week)
    return sessions.create_session(db, SessionInput(mentee_id=mentee_id, started_at=when)).id


def local_day(db: Database, session_id: int) -> date:
    return sessions.get_session(db, session_id).started_at.astimezone().date()


@pytest.fixture
def mentee(db: Database) -> int:
    return add_mentee(db)


def test_unfinished_items_carry_forward_until_done(db: Database, mentee: int) -> None:
    first, second, third, fourth = (add_session(db, mentee, week) for week in range(4))
    item = actions.add_action_item(db, first, ActionItemInput("Read <Team Topologies> & 😀"))
    own = actions.add_action_item(db, third, ActionItemInput("Draft the plan"))

    carried_2 = sessions.get_session(db, second).carried_forward
    carried_3 = sessions.get_session(db, third).carried_forward

    assert [i.id for i in carried_2] == [item.id]
    assert [i.id for i in carried_3] == [item.id]
    assert carried_2[0].carried is True
    assert carried_2[0].session_id == first
    assert carried_2[0].session_started_at == START
    assert [i.id for i in sessions.get_session(db, third).action_items] == [own.id]
    assert sessions.get_session(db, first).carried_forward == ()

    actions.set_done(db, item.id, True, on=local_day(db, third))

    # Ticked off in session 3: gone from session 4, still visible (as done) in 2 and 3.
    assert [i.id for i in sessions.get_session(db, fourth).carried_forward] == [own.id]
    shown_in_3 = sessions.get_session(db, third).carried_forward
    assert [(i.id, i.done) for i in shown_in_3] == [(item.id, True)]
    assert [i.id for i in actions.carried_forward(db, second)] == [item.id]


def test_items_never_carry_to_another_mentee_or_backwards(db: Database, mentee: int) -> None:
    other = add_mentee(db, "Grace Hopper")
    mine_early, mine_late = add_session(db, mentee, 0), add_session(db, mentee, 2)
    theirs = add_session(db, other, 1)
    actions.add_action_item(db, theirs, ActionItemInput("Their item"))
    actions.add_action_item(db, mine_late, ActionItemInput("Later item"))

    assert actions.carried_forward(db, mine_late) == []
    assert actions.carried_forward(db, mine_early) == []
    with pytest.raises(NotFoundError, match="session"):
        actions.carried_forward(db, 9999)


def test_sessions_at_the_same_moment_are_ordered_by_creation(db: Database, mentee: int) -> None:
    first, second = add_session(db, mentee, 0), add_session(db, mentee, 0)
    item = actions.add_action_item(db, first, ActionItemInput("First"))

    assert [i.id for i in actions.carried_forward(db, second)] == [item.id]
    assert actions.carried_forward(db, first) == []


def test_add_item_defaults_and_hostile_text(db: Database, mentee: int) -> None:
    held = add_session(db, mentee, 0)
    text = "<b>&amp; 李小龙 مرحبا بالعالم 👩‍👩‍👧"

    item = actions.add_action_item(db, held, ActionItemInput(text, due_on="2026-03-09"))

    assert actions.get_action_item(db, item.id) == item
    assert item.text == text
    assert item.owner is ItemOwner.MENTEE
    assert item.visibility is Visibility.SHARED_WITH_MENTEE
    assert item.due_on == date(2026, 3, 9)
    assert (item.done, item.done_on, item.carried) == (False, None, False)
    assert item.mentee_id == mentee


def test_items_keep_their_order_within_a_session(db: Database, mentee: int) -> None:
    held = add_session(db, mentee, 0)
    for text in ("c", "a", "b"):
        actions.add_action_item(db, held, ActionItemInput(text))

    assert [i.text for i in sessions.get_session(db, held).action_items] == ["c", "a", "b"]


def test_set_done_records_and_clears_the_date(db: Database, mentee: int) -> None:
    item = actions.add_action_item(db, add_session(db, mentee, 0), ActionItemInput("x"))

    done_today = actions.set_done(db, item.id, True)
    done_earlier = actions.set_done(db, item.id, True, on=date(2026, 3, 4))
    reopened = actions.set_done(db, item.id, False)

    assert (done_today.done, done_today.done_on) == (True, date.today())
    assert done_earlier.done_on == date(2026, 3, 4)
    assert (reopened.done, reopened.done_on) == (False, None)


def test_update_keeps_the_done_date_while_it_stays_done(db: Database, mentee: int) -> None:
    item = actions.add_action_item(db, add_session(db, mentee, 0), ActionItemInput("x"))
    actions.set_done(db, item.id, True, on=date(2026, 3, 4))

    edited = actions.update_action_item(
        db, item.id, ActionItemInput("x, edited", owner="mentor", done=True, visibility="private")
    )
    reopened = actions.update_action_item(db, item.id, ActionItemInput("x", done=False))
    redone = actions.update_action_item(
        db, item.id, ActionItemInput("x", done=True), today=date(2026, 3, 10)
    )

    assert (edited.text, edited.owner, edited.visibility) == (
        "x, edited",
        ItemOwner.MENTOR,
        Visibility.PRIVATE,
    )
    assert edited.done_on == date(2026, 3, 4)
    assert reopened.done_on is None
    assert redone.done_on == date(2026, 3, 10)


def test_reassign_changes_the_owner(db: Database, mentee: int) -> None:
    item = actions.add_action_item(db, add_session(db, mentee, 0), ActionItemInput("x"))

    assert actions.reassign(db, item.id, "mentor").owner is ItemOwner.MENTOR
    assert actions.reassign(db, item.id, ItemOwner.MENTEE).owner is ItemOwner.MENTEE
    with pytest.raises(ValidationError) as caught:
        actions.reassign(db, item.id, "sponsor")
    assert caught.value.field == "owner"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ActionItemInput(""), "text"),
        (ActionItemInput("   \n "), "text"),
        (ActionItemInput("x" * 2001), "text"),
        (ActionItemInput("x", owner="boss"), "owner"),
        (ActionItemInput("x", due_on="2026-02-30"), "due_on"),
        (ActionItemInput("x", visibility="everyone"), "visibility"),
        (ActionItemInput("x", done="yes"), "done"),  # type: ignore[arg-type]
    ],
)
def test_item_validation_names_the_field(
    db: Database, mentee: int, data: ActionItemInput, field: str
) -> None:
    held = add_session(db, mentee, 0)

    with pytest.raises(ValidationError) as caught:
        actions.add_action_item(db, held, data)

    assert caught.value.field == field
    assert sessions.get_session(db, held).action_items == ()


def test_missing_items_and_sessions_are_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError, match="session"):
        actions.add_action_item(db, 9999, ActionItemInput("x"))
    with pytest.raises(NotFoundError, match="action item"):
        actions.set_done(db, 9999, True)
    with pytest.raises(NotFoundError, match="action item"):
        actions.delete_action_item(db, 9999)


def test_delete_action_item(db: Database, mentee: int) -> None:
    held = add_session(db, mentee, 0)
    item = actions.add_action_item(db, held, ActionItemInput("x"))

    actions.delete_action_item(db, item.id)

    assert sessions.get_session(db, held).action_items == ()
    with pytest.raises(NotFoundError):
        actions.get_action_item(db, item.id)


def test_open_items_by_mentee_and_overdue(db: Database, mentee: int) -> None:
    other = add_mentee(db, "Grace Hopper")
    held, theirs = add_session(db, mentee, 0), add_session(db, other, 0)
    late = actions.add_action_item(db, held, ActionItemInput("late", due_on=date(2026, 3, 1)))
    undated = actions.add_action_item(db, held, ActionItemInput("undated"))
    soon = actions.add_action_item(db, held, ActionItemInput("soon", due_on=date(2026, 3, 20)))
    done = actions.add_action_item(db, held, ActionItemInput("done", due_on=date(2026, 2, 1)))
    actions.set_done(db, done.id, True)
    actions.add_action_item(db, theirs, ActionItemInput("theirs", due_on=date(2026, 2, 1)))

    mine = actions.open_action_items(db, mentee_id=mentee)
    overdue = actions.open_action_items(db, mentee_id=mentee, overdue_before=date(2026, 3, 10))

    assert [i.id for i in mine] == [late.id, soon.id, undated.id]
    assert [i.id for i in overdue] == [late.id]
    assert len(actions.open_action_items(db)) == 4
    assert [i.text for i in actions.open_action_items(db, overdue_before=date(2026, 3, 2))] == [
        "theirs",
        "late",
    ]


def test_actions_between_gives_opened_and_closed(db: Database, mentee: int) -> None:
    in_q1 = add_session(db, mentee, 0)  # 2 March
    in_q2 = add_session(db, mentee, 5)  # 6 April
    old = actions.add_action_item(db, in_q1, ActionItemInput("old"))
    new = actions.add_action_item(db, in_q2, ActionItemInput("new"))
    actions.set_done(db, old.id, True, on=date(2026, 4, 2))
    actions.set_done(db, new.id, True, on=date(2026, 6, 30))

    q1_opened, q1_closed = actions.actions_between(db, mentee, date(2026, 1, 1), date(2026, 3, 31))
    q2_opened, q2_closed = actions.actions_between(db, mentee, date(2026, 4, 1), date(2026, 6, 30))

    assert ([i.text for i in q1_opened], q1_closed) == (["old"], [])
    assert [i.text for i in q2_opened] == ["new"]
    assert [i.text for i in q2_closed] == ["old", "new"]
    with pytest.raises(ValidationError) as caught:
        actions.actions_between(db, mentee, date(2026, 4, 1), date(2026, 3, 1))
    assert caught.value.field == "end"
