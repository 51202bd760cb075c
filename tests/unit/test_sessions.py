"""Sessions: drafts from templates, notes of any size and script, validation, lists and paging."""

from __future__ import annotations

import dataclasses
import os
import time
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mentor_desk.db.base import Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import ActionItem as ActionItemRow
from mentor_desk.db.models import Goal, Mentee, session_goals
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services import actions, feedback, sessions, templates
from mentor_desk.services.program import open_program
from mentor_desk.services.sessions import SessionInput, SessionRow
from mentor_desk.services.validation import MAX_TEXT

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
HOSTILE = "<b>&amp; AT&T 😀👩‍👩‍👧 李小龙 مرحبا بالعالم Zoë\n\n* `code` </notes>"


def add_mentee(db: Database, name: str = "Ada Lovelace") -> int:
    with db.write() as session:
        mentee = Mentee(name=name)
        session.add(mentee)
        session.flush()
        return mentee.id


def add_goal(db: Database, mentee_id: int, title: str) -> int:
    with db.write() as session:
        goal = Goal(mentee_id=mentee_id, title=title)
        session.add(goal)
        session.flush()
        return goal.id


def new(mentee_id: int, when: datetime = START, **fields: object) -> SessionInput:
    return SessionInput(mentee_id=mentee_id, started_at=when, **fields)  # type: ignore[arg-type]


@pytest.fixture
def mentee(db: Database) -> int:
    return add_mentee(db)


@pytest.fixture(scope="module")
def refusing_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, int]]:
    """One program shared by tests whose every write is refused, so nothing leaks between them.

    Opening a migrated program takes a quarter of a second; these tests only need one.
    """
    database = open_program(tmp_path_factory.mktemp("refusing"))
    try:
        yield database, add_mentee(database)
    finally:
        database.dispose()


@pytest.fixture
def kolkata() -> Iterator[None]:
    """Local time five and a half hours ahead of UTC, so local/UTC mix-ups show."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Kolkata"
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()


# --- drafts and templates -----------------------------------------------------------------------


def test_draft_from_a_type_is_prefilled_from_its_template_and_unsaved(
    db: Database, mentee: int
) -> None:
    review = next(t for t in templates.list_session_types(db) if t.name == "Technical review")
    template = templates.template_for_type(db, review.id)
    assert template is not None
    now = datetime(2026, 3, 2, 9, 41, 27, 5000, tzinfo=UTC)

    draft = sessions.new_session_draft(db, mentee, session_type_id=review.id, now=now)

    assert draft.notes == template.body
    assert "## Hands-on practice (about 30 min)" in draft.notes
    assert draft.duration_minutes == 90
    assert draft.session_type_id == review.id
    assert draft.started_at == datetime(2026, 3, 2, 9, 41, tzinfo=UTC)
    assert sessions.count_sessions(db) == 0

    saved = sessions.create_session(db, draft)
    assert saved.notes == template.body.rstrip()
    assert saved.session_type_name == "Technical review"


def test_an_explicit_template_wins_over_the_types_own(db: Database, mentee: int) -> None:
    coaching = next(t for t in templates.list_templates(db) if t.name == "Coaching questions")
    one_on_one = templates.list_session_types(db)[0]

    draft = sessions.new_session_draft(
        db, mentee, session_type_id=one_on_one.id, template_id=coaching.id
    )
    blank = sessions.new_session_draft(db, mentee)

    assert draft.notes == coaching.body
    assert draft.duration_minutes == 60
    assert (blank.notes, blank.session_type_id, blank.duration_minutes) == ("", None, 60)
    assert blank.started_at.tzinfo is not None  # type: ignore[union-attr]


def test_draft_for_a_missing_mentee_or_type_is_not_found(db: Database, mentee: int) -> None:
    with pytest.raises(NotFoundError, match="mentee"):
        sessions.new_session_draft(db, 9999)
    with pytest.raises(NotFoundError, match="session type"):
        sessions.new_session_draft(db, mentee, session_type_id=9999)
    with pytest.raises(NotFoundError, match="template"):
        sessions.new_session_draft(db, mentee, template_id=9999)


# --- round trips --------------------------------------------------------------------------------


def test_a_one_megabyte_note_saves_and_reads_back_exactly(db: Database, mentee: int) -> None:
    line = "## Notes — Zoë 李 😀 <b>&amp;</b>\n- item with `code`\n"
    notes = (line * (1_000_000 // len(line) + 1))[:1_000_000].rstrip() + "\nend"
    assert len(notes) >= 999_000

    created = sessions.create_session(db, new(mentee, notes=notes))
    fetched = sessions.get_session(db, created.id)

    assert fetched.notes == notes
    assert fetched == created


def test_hostile_text_round_trips_unchanged(db: Database, mentee: int) -> None:
    goal = add_goal(db, mentee, "Lead 😀 <b>&")
    created = sessions.create_session(
        db,
        new(
            mentee,
            title="<b>& 李 مرحبا 😀",
            summary=HOSTILE,
            notes=HOSTILE,
            goal_ids=(goal,),
            tags=("<i>&", "中文", "عربي", "🚀"),
        ),
    )

    fetched = sessions.get_session(db, created.id)
    row = sessions.list_sessions(db)[0]

    assert fetched.title == "<b>& 李 مرحبا 😀"
    assert fetched.summary == fetched.notes == HOSTILE
    assert set(fetched.tags) == {"<i>&", "中文", "عربي", "🚀"}
    assert fetched.goals == (sessions.GoalRef(goal, "Lead 😀 <b>&"),)
    assert fetched.goal_ids == (goal,)
    assert (row.title, row.summary) == ("<b>& 李 مرحبا 😀", HOSTILE)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(notes=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200))
def test_any_printable_note_round_trips(db: Database, notes: str) -> None:
    mentee = add_mentee(db, "Hypothesis")
    # The only changes allowed: NFC normalisation and trailing whitespace trimmed.
    expected = unicodedata.normalize("NFC", notes).rstrip()

    created = sessions.create_session(db, new(mentee, notes=notes))

    assert sessions.get_session(db, created.id).notes == expected


def test_naive_times_are_local_and_results_are_aware(
    db: Database, mentee: int, kolkata: None
) -> None:
    created = sessions.create_session(db, new(mentee, when="2026-03-02 10:00"))  # type: ignore[arg-type]

    fetched = sessions.get_session(db, created.id)

    assert fetched.started_at == datetime(2026, 3, 2, 4, 30, tzinfo=UTC)
    assert fetched.started_at.tzinfo is not None
    # A plain date filter means the local day, so 00:15 Kolkata (18:45 UTC the day before)
    # belongs to 3 March.
    sessions.create_session(db, new(mentee, when="2026-03-03 00:15"))  # type: ignore[arg-type]
    on_third = sessions.list_sessions(db, since=date(2026, 3, 3), until=date(2026, 3, 3))
    assert [row.started_at for row in on_third] == [datetime(2026, 3, 2, 18, 45, tzinfo=UTC)]


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"duration_minutes": 1.5}, "duration_minutes"),
        ({"started_at": "2026-02-30 10:00"}, "started_at"),
        ({"started_at": "next tuesday"}, "started_at"),
        ({"started_at": ""}, "started_at"),
        ({"visibility": "public"}, "visibility"),
        ({"mentee_id": 9999}, "mentee_id"),
        ({"session_type_id": 9999}, "session_type_id"),
        ({"goal_ids": (9999,)}, "goal_ids"),
        ({"tags": ("ok", "   ")}, "tags"),
        ({"title": "x" * 301}, "title"),
        ({"notes": "x" * (MAX_TEXT + 1)}, "notes"),
    ],
)
def test_validation_errors_name_the_field(
    refusing_db: tuple[Database, int], changes: dict[str, object], field: str
) -> None:
    db, mentee = refusing_db
    data = dataclasses.replace(new(mentee), **changes)

    with pytest.raises(ValidationError) as caught:
        sessions.create_session(db, data)

    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert sessions.count_sessions(db) == 0


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(minutes=st.integers().filter(lambda n: not 1 <= n <= 600))
def test_any_duration_outside_the_range_is_refused(db: Database, mentee: int, minutes: int) -> None:
    with pytest.raises(ValidationError) as caught:
        sessions.create_session(db, new(mentee, duration_minutes=minutes))

    assert caught.value.field == "duration_minutes"


def test_goals_must_belong_to_the_same_mentee(db: Database, mentee: int) -> None:
    other = add_mentee(db, "Grace Hopper")
    theirs = add_goal(db, other, "Compilers")

    with pytest.raises(ValidationError, match="another mentee's goal") as caught:
        sessions.create_session(db, new(mentee, goal_ids=(theirs,)))

    assert caught.value.field == "goal_ids"


def test_visibility_defaults_to_private_and_accepts_values(db: Database, mentee: int) -> None:
    private = sessions.create_session(db, new(mentee))
    shared = sessions.create_session(db, new(mentee, visibility="shared_with_mentee"))

    assert private.visibility is Visibility.PRIVATE
    assert shared.visibility is Visibility.SHARED_WITH_MENTEE


# --- lists and paging ---------------------------------------------------------------------------


def test_list_rows_have_no_notes_field() -> None:
    names = {f.name for f in dataclasses.fields(SessionRow)}

    assert "notes" not in names
    assert {"summary", "mentee_name", "actions_open", "actions_total"} <= names


def test_paging_with_limit_offset_and_count(db: Database, mentee: int) -> None:
    other = add_mentee(db, "Grace Hopper")
    for day in range(25):
        sessions.create_session(db, new(mentee, START + timedelta(days=day), title=f"s{day}"))
    sessions.create_session(db, new(other, START, title="other"))

    pages = [
        sessions.list_sessions(db, mentee_id=mentee, limit=10, offset=offset)
        for offset in (0, 10, 20)
    ]

    assert [len(page) for page in pages] == [10, 10, 5]
    titles = [row.title for page in pages for row in page]
    assert titles == [f"s{day}" for day in range(24, -1, -1)]
    assert sessions.count_sessions(db, mentee) == 25
    assert sessions.count_sessions(db) == 26
    assert len(sessions.list_sessions(db)) == 26
    assert sessions.list_sessions(db, mentee_id=mentee, limit=10, offset=30) == []
    with pytest.raises(ValidationError) as caught:
        sessions.list_sessions(db, limit=-1)
    assert caught.value.field == "limit"


def test_filters_by_dates_and_text(db: Database, mentee: int) -> None:
    notes = ["alpha beta", "100% done with Zoë", "架构评审 OR NOT", "ALPHA gamma"]
    for day, text in enumerate(notes):
        sessions.create_session(db, new(mentee, START + timedelta(days=day), notes=text))

    def days(**filters: object) -> list[int]:
        rows = sessions.list_sessions(db, **filters)  # type: ignore[arg-type]
        assert sessions.count_sessions(db, **filters) == len(rows)  # type: ignore[arg-type]
        return [row.started_at.day for row in rows]

    assert days(text="alpha") == [5, 2]
    assert days(text="alpha gamma") == [5]
    assert days(text="zoe 100%") == [3]
    assert days(text="架构") == [4]
    assert days(text='NOT "or') == [4]
    assert days(text="alp*") == [5, 2]
    assert days(text="%  ") == [5, 4, 3, 2]
    assert days(since=START + timedelta(days=1), until=START + timedelta(days=3)) == [4, 3]
    assert days(since="2026-03-04", text="alpha") == [5]
    assert days(until=date(2026, 3, 3)) == [3, 2]
    with pytest.raises(ValidationError) as caught:
        sessions.list_sessions(db, since="2026-02-30")
    assert caught.value.field == "since"


def test_list_rows_truncate_the_summary_and_count_actions(db: Database, mentee: int) -> None:
    created = sessions.create_session(db, new(mentee, summary="word " * 100))
    first = actions.add_action_item(db, created.id, actions.ActionItemInput("one"))
    actions.add_action_item(db, created.id, actions.ActionItemInput("two"))
    actions.set_done(db, first.id, True)

    (row,) = sessions.list_sessions(db)

    assert len(row.summary) <= sessions.SUMMARY_PREVIEW
    assert row.summary.endswith("…")
    assert row.summary.startswith("word word")
    assert (row.actions_total, row.actions_open) == (2, 1)
    assert row.mentee_name == "Ada Lovelace"


def test_last_session_at(db: Database, mentee: int) -> None:
    assert sessions.last_session_at(db, mentee) is None

    sessions.create_session(db, new(mentee, START + timedelta(days=7)))
    sessions.create_session(db, new(mentee, START))

    assert sessions.last_session_at(db, mentee) == START + timedelta(days=7)


# --- update and delete --------------------------------------------------------------------------


def test_update_replaces_fields_goals_and_tags(db: Database, mentee: int) -> None:
    first, second = add_goal(db, mentee, "B goal"), add_goal(db, mentee, "A goal")
    created = sessions.create_session(db, new(mentee, goal_ids=(first,), tags=("x",)))

    updated = sessions.update_session(
        db,
        created.id,
        dataclasses.replace(
            created.to_input(), goal_ids=(first, second), tags=("y",), duration_minutes=30
        ),
    )

    assert [goal.title for goal in updated.goals] == ["A goal", "B goal"]
    assert updated.tags == ("y",)
    assert updated.duration_minutes == 30
    assert sessions.get_session(db, created.id) == updated


def test_moving_a_session_to_another_mentee_moves_its_items(db: Database, mentee: int) -> None:
    other = add_mentee(db, "Grace Hopper")
    created = sessions.create_session(db, new(mentee))
    item = actions.add_action_item(db, created.id, actions.ActionItemInput("read"))

    sessions.update_session(
        db, created.id, dataclasses.replace(created.to_input(), mentee_id=other)
    )

    assert actions.get_action_item(db, item.id).mentee_id == other
    assert sessions.get_session(db, created.id).mentee_name == "Grace Hopper"


def test_deleting_a_session_cascades_its_action_items(db: Database, mentee: int) -> None:
    goal = add_goal(db, mentee, "Goal")
    doomed = sessions.create_session(db, new(mentee, goal_ids=(goal,)))
    kept = sessions.create_session(db, new(mentee, START + timedelta(days=1)))
    actions.add_action_item(db, doomed.id, actions.ActionItemInput("gone"))
    survivor = actions.add_action_item(db, kept.id, actions.ActionItemInput("stays"))
    note = feedback.create_feedback(
        db, feedback.FeedbackInput(mentee_id=mentee, observation="seen", session_id=doomed.id)
    )

    sessions.delete_session(db, doomed.id)

    with db.read() as session:
        items = session.scalars(select(ActionItemRow.text)).all()
        links = session.scalar(select(func.count()).select_from(session_goals))
    assert items == ["stays"]
    assert links == 0
    assert actions.get_action_item(db, survivor.id).text == "stays"
    assert feedback.get_feedback(db, note.id).session_id is None
    with pytest.raises(NotFoundError):
        sessions.get_session(db, doomed.id)
    with pytest.raises(NotFoundError):
        sessions.delete_session(db, doomed.id)


def test_deleting_a_session_type_keeps_its_sessions(db: Database, mentee: int) -> None:
    kind = templates.list_session_types(db)[0]
    created = sessions.create_session(db, new(mentee, session_type_id=kind.id))

    templates.delete_session_type(db, kind.id)

    fetched = sessions.get_session(db, created.id)
    assert (fetched.session_type_id, fetched.session_type_name) == (None, None)
    assert sessions.list_sessions(db)[0].session_type_name is None
