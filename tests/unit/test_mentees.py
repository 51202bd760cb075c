"""Mentees: editing, validation, lists, finding by name, cadence rules, deletion and timeline."""

from __future__ import annotations

import dataclasses
import shutil
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mentor_desk.db import models
from mentor_desk.db.base import (
    Cadence,
    GoalStatus,
    Level,
    MenteeStatus,
    ProgressMode,
    Track,
    Visibility,
)
from mentor_desk.db.engine import Database
from mentor_desk.errors import (
    AmbiguousError,
    ConfirmationRequiredError,
    NotFoundError,
    ValidationError,
)
from mentor_desk.services import mentees
from mentor_desk.services.mentees import MenteeInput
from mentor_desk.services.program import open_program

TODAY = date(2026, 3, 16)
HOSTILE_NAMES = [
    "李小龍",
    "مريم الحسن",
    "Zoë 😀 Émile",
    "<b>&amp; AT&T</b> 'x' \"y\"",
    "Łukasz Żółć",
]


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, seeded program file, made once per module: migrating per test is slow."""
    database = open_program(tmp_path_factory.mktemp("template"))
    assert database.path is not None
    database.dispose()
    return database.path


@pytest.fixture
def db(template_db: Path, data_dir: Path) -> Iterator[Database]:
    """Like conftest's ``db`` (a real SQLite file in tmp_path), but copied from the template."""
    path = data_dir / template_db.name
    shutil.copyfile(template_db, path)
    database = Database(path)
    yield database
    database.dispose()


def _local(day: date, hour: int = 10) -> datetime:
    """A moment on the user's wall clock, as the session editor would store it."""
    return datetime(day.year, day.month, day.day, hour).astimezone()


def _make(db: Database, name: str = "Ada Lovelace", **changes: object) -> mentees.Mentee:
    return mentees.create_mentee(db, MenteeInput(name=name, **changes))  # type: ignore[arg-type]


def _add(db: Database, *rows: object) -> list[int]:
    """Insert ORM rows directly (the other services are written concurrently)."""
    with db.write() as s:
        s.add_all(rows)
        s.flush()
        return [row.id for row in rows]  # type: ignore[attr-defined]


def _session(
    mentee_id: int, day: date, title: str = "", notes: str = ""
) -> models.MentoringSession:
    return models.MentoringSession(
        mentee_id=mentee_id, started_at=_local(day), title=title, notes=notes
    )


def _count(db: Database, model: type, mentee_id: int) -> int:
    with db.read() as s:
        return s.scalar(
            select(func.count()).select_from(model).where(model.mentee_id == mentee_id)  # type: ignore[attr-defined]
        )


def _row(rows: list[mentees.MenteeRow], name: str) -> mentees.MenteeRow:
    return next(row for row in rows if row.name == name)


# --- create, read, update -----------------------------------------------------------------------


def test_create_and_get_round_trip_every_field(db: Database) -> None:
    created = _make(
        db,
        name="  Zoë   Martin ",
        pronouns="she/her",
        role="Backend engineer",
        team="Payments",
        level="senior",
        email="zoe@example.org",
        started_on="2026-01-05",
        status="paused",
        in_general=True,
        in_lmp=True,
        career_aspiration="Staff engineer\n<b>&</b>",
        learning_style="Pairing",
        notes="# Notes\n\nlikes **detail**",
        visibility="shared_with_mentee",
        cadence="biweekly",
        tags=("frontend", " Mentoring ", "FRONTEND", ""),
    )
    fetched = mentees.get_mentee(db, created.id)
    assert fetched == created
    assert fetched.name == "Zoë Martin"
    assert fetched.level is Level.SENIOR
    assert fetched.track is Track.IC
    assert fetched.started_on == date(2026, 1, 5)
    assert fetched.status is MenteeStatus.PAUSED
    assert fetched.visibility is Visibility.SHARED_WITH_MENTEE
    assert fetched.cadence is Cadence.BIWEEKLY
    assert fetched.career_aspiration == "Staff engineer\n<b>&</b>"
    assert fetched.notes == "# Notes\n\nlikes **detail**"
    assert fetched.tags == ("frontend", "Mentoring")
    assert len(fetched.uid) == 32
    assert fetched.created_at.tzinfo is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        fetched.name = "x"  # type: ignore[misc]


def test_defaults_are_private_weekly_active_general(db: Database) -> None:
    mentee = _make(db)
    assert mentee.status is MenteeStatus.ACTIVE
    assert mentee.cadence is Cadence.WEEKLY
    assert mentee.visibility is Visibility.PRIVATE
    assert (mentee.in_general, mentee.in_lmp) == (True, False)
    assert (mentee.level, mentee.track, mentee.started_on, mentee.tags) == (None, None, None, ())


def test_management_level_sets_the_management_track(db: Database) -> None:
    assert _make(db, level=Level.ENGINEERING_MANAGER).track is Track.MANAGEMENT
    assert _make(db, level="Team_Lead", track="management").track is Track.MANAGEMENT
    assert _make(db, track="management").track is Track.MANAGEMENT


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_names_in_any_script_round_trip(db: Database, name: str) -> None:
    created = _make(db, name=name, role=name, tags=(name,))
    assert mentees.get_mentee(db, created.id).name == name
    assert mentees.get_mentee(db, created.id).tags == (name,)
    assert [row.name for row in mentees.list_mentees(db)] == [name]
    assert mentees.resolve_mentee(db, name).id == created.id


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.characters(categories=["L", "M", "N", "P", "S"]), min_size=1, max_size=60
    ).filter(lambda text: unicodedata.normalize("NFC", text).strip() != "")
)
def test_any_printable_name_round_trips_in_nfc(db: Database, name: str) -> None:
    created = _make(db, name=name)
    assert mentees.get_mentee(db, created.id).name == unicodedata.normalize("NFC", name)


def test_update_replaces_fields_and_tags(db: Database) -> None:
    mentee = _make(db, tags=("a", "b"), role="Engineer")
    changed = dataclasses.replace(
        mentee.to_input(), name="Ada King", role="", level="staff", tags=("b", "c")
    )
    updated = mentees.update_mentee(db, mentee.id, changed)
    assert (updated.name, updated.role, updated.level, updated.track) == (
        "Ada King",
        "",
        Level.STAFF,
        Track.IC,
    )
    assert updated.tags == ("b", "c")
    assert updated.created_at == mentee.created_at
    assert updated.updated_at >= mentee.updated_at
    assert mentees.get_mentee(db, mentee.id) == updated


def test_to_input_round_trips_unchanged(db: Database) -> None:
    mentee = _make(db, level="mid", email="a@b.co", started_on=date(2025, 1, 1), tags=("x",))
    again = mentees.update_mentee(db, mentee.id, mentee.to_input())
    assert dataclasses.replace(again, updated_at=mentee.updated_at) == mentee


def test_tags_are_shared_by_name_and_outlive_mentees(db: Database) -> None:
    first = _make(db, "One", tags=("Frontend", "lmp"))
    second = _make(db, "Two", tags=("frontend", "new"))
    assert second.tags == ("Frontend", "new")  # reuses the existing spelling
    with db.read() as s:
        assert sorted(s.scalars(select(models.Tag.name))) == ["Frontend", "lmp", "new"]
    mentees.delete_mentee(db, first.id, confirm=True)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(models.Tag)) == 3
    assert mentees.get_mentee(db, second.id).tags == ("Frontend", "new")


def test_set_status_archives_and_reactivates(db: Database) -> None:
    mentee = _make(db)
    assert mentees.set_status(db, mentee.id, "archived").status is MenteeStatus.ARCHIVED
    assert mentees.get_mentee(db, mentee.id).status is MenteeStatus.ARCHIVED
    assert mentees.set_status(db, mentee.id, MenteeStatus.ACTIVE).status is MenteeStatus.ACTIVE
    with pytest.raises(ValidationError) as err:
        mentees.set_status(db, mentee.id, "retired")
    assert err.value.field == "status"


@pytest.mark.parametrize(
    "call",
    [
        lambda db: mentees.get_mentee(db, 999),
        lambda db: mentees.update_mentee(db, 999, MenteeInput(name="x")),
        lambda db: mentees.set_status(db, 999, "paused"),
        lambda db: mentees.deletion_summary(db, 999),
        lambda db: mentees.delete_mentee(db, 999, confirm=True),
        lambda db: mentees.mentee_timeline(db, 999),
    ],
)
def test_unknown_mentee_is_not_found(db: Database, call: object) -> None:
    with pytest.raises(NotFoundError, match="no mentee with id 999"):
        call(db)  # type: ignore[operator]


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   \t\n "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"level": "wizard"}, "level"),
        ({"track": "solo"}, "track"),
        ({"level": "junior", "track": "management"}, "track"),
        ({"status": "gone"}, "status"),
        ({"status": ""}, "status"),
        ({"cadence": "daily"}, "cadence"),
        ({"visibility": "public"}, "visibility"),
        ({"started_on": "2026-02-30"}, "started_on"),
        ({"started_on": "next week"}, "started_on"),
        ({"pronouns": "x" * 41}, "pronouns"),
        ({"in_general": False, "in_lmp": False}, "in_general"),
        ({"tags": "frontend"}, "tags"),
        ({"tags": ("x" * 81,)}, "tags"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    db: Database, changes: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"name": "Ada"} | changes
    with pytest.raises(ValidationError) as err:
        mentees.create_mentee(db, MenteeInput(**values))  # type: ignore[arg-type]
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")
    assert mentees.count_mentees(db, "all") == 0


def test_failed_update_changes_nothing(db: Database) -> None:
    mentee = _make(db, email="ada@example.org")
    bad = dataclasses.replace(mentee.to_input(), name="New", email="broken")
    with pytest.raises(ValidationError):
        mentees.update_mentee(db, mentee.id, bad)
    assert mentees.get_mentee(db, mentee.id) == mentee


def test_started_on_accepts_a_date_or_iso_text_and_empty(db: Database) -> None:
    assert _make(db, started_on=date(2024, 2, 29)).started_on == date(2024, 2, 29)
    assert _make(db, started_on=" 2024-02-29 ").started_on == date(2024, 2, 29)
    assert _make(db, started_on="").started_on is None


# --- cadence rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "cadence", "started", "expected"),
    [
        (date(2026, 3, 10), Cadence.WEEKLY, None, date(2026, 3, 17)),
        (date(2026, 3, 10), Cadence.BIWEEKLY, date(2020, 1, 1), date(2026, 3, 24)),
        (date(2026, 1, 31), Cadence.MONTHLY, None, date(2026, 3, 2)),
        (None, Cadence.WEEKLY, date(2026, 3, 1), date(2026, 3, 8)),
        (None, Cadence.MONTHLY, None, TODAY),
    ],
)
def test_next_due(
    last: date | None, cadence: Cadence, started: date | None, expected: date
) -> None:
    assert mentees.next_due(last, cadence, started, TODAY) == expected


@pytest.mark.parametrize(
    ("last", "cadence", "started", "expected"),
    [
        (TODAY - timedelta(days=14), Cadence.WEEKLY, None, False),  # exactly two cadences
        (TODAY - timedelta(days=15), Cadence.WEEKLY, None, True),
        (TODAY - timedelta(days=28), Cadence.BIWEEKLY, None, False),
        (TODAY - timedelta(days=29), Cadence.BIWEEKLY, None, True),
        (TODAY - timedelta(days=61), Cadence.MONTHLY, None, True),
        (None, Cadence.WEEKLY, TODAY - timedelta(days=20), True),
        (None, Cadence.WEEKLY, TODAY - timedelta(days=3), False),
        (TODAY - timedelta(days=2), Cadence.WEEKLY, TODAY - timedelta(days=300), False),
        (None, Cadence.WEEKLY, None, False),
    ],
)
def test_is_stalled(
    last: date | None, cadence: Cadence, started: date | None, expected: bool
) -> None:
    assert mentees.is_stalled(last, cadence, started, TODAY) is expected


def test_contact_cutoff_for_an_injected_day_is_its_end() -> None:
    day, cutoff = mentees.contact_cutoff(TODAY)
    assert day == TODAY
    assert cutoff == _local(TODAY + timedelta(days=1), hour=0)
    real_day, real_cutoff = mentees.contact_cutoff(None)
    assert real_day == date.today()
    assert abs((datetime.now().astimezone() - real_cutoff).total_seconds()) < 5


# --- lists --------------------------------------------------------------------------------------


def test_list_rows_aggregate_sessions_actions_and_goals(db: Database) -> None:
    ada = _make(db, "Ada", cadence="weekly", started_on=TODAY - timedelta(days=90)).id
    bob = _make(db, "Bob", cadence="monthly").id
    _add(
        db,
        _session(ada, TODAY - timedelta(days=20)),
        _session(ada, TODAY - timedelta(days=9), title="latest real"),
        _session(ada, TODAY + timedelta(days=1), title="planned"),  # future: not contact yet
        models.ActionItem(mentee_id=ada, text="open 1"),
        models.ActionItem(mentee_id=ada, text="open 2", due_on=TODAY),
        models.ActionItem(mentee_id=ada, text="done", done=True),
        models.Goal(mentee_id=ada, title="g1", status=GoalStatus.ON_TRACK),
        models.Goal(mentee_id=ada, title="g2", status=GoalStatus.DONE),
        models.Goal(mentee_id=ada, title="g3", status=GoalStatus.AT_RISK),
        models.Goal(mentee_id=ada, title="g4", status=GoalStatus.DROPPED),
    )
    rows = mentees.list_mentees(db, today=TODAY)
    row = _row(rows, "Ada")
    assert row.last_session_at == _local(TODAY - timedelta(days=9))
    assert row.last_contact_on == TODAY - timedelta(days=9)
    assert row.next_due_on == TODAY - timedelta(days=2)
    assert (row.overdue, row.stalled) == (True, False)
    assert (row.open_actions, row.goals_on_track, row.goals_total) == (2, 2, 3)
    empty = _row(rows, "Bob")
    assert empty.id == bob
    assert (empty.last_session_at, empty.last_contact_on) == (None, None)
    assert empty.next_due_on == TODAY  # no session, no start date: due now
    assert (empty.overdue, empty.stalled, empty.open_actions, empty.goals_total) == (
        False,
        False,
        0,
        0,
    )


def test_stalled_and_inactive_rows(db: Database) -> None:
    quiet = _make(db, "Quiet", cadence="weekly").id
    paused = _make(db, "Paused", status="paused").id
    _add(
        db,
        _session(quiet, TODAY - timedelta(days=15)),
        _session(paused, TODAY - timedelta(days=99)),
    )
    rows = mentees.list_mentees(db, today=TODAY)
    assert (_row(rows, "Quiet").stalled, _row(rows, "Quiet").overdue) == (True, True)
    paused_row = _row(rows, "Paused")
    assert (paused_row.next_due_on, paused_row.overdue, paused_row.stalled) == (None, False, False)
    assert paused_row.last_contact_on == TODAY - timedelta(days=99)


def test_list_hides_archived_unless_asked(db: Database) -> None:
    _make(db, "Active")
    _make(db, "Gone", status="archived")
    _make(db, "Done", status="completed")
    assert [r.name for r in mentees.list_mentees(db)] == ["Active", "Done"]
    assert [r.name for r in mentees.list_mentees(db, status="archived")] == ["Gone"]
    assert [r.name for r in mentees.list_mentees(db, status=MenteeStatus.COMPLETED)] == ["Done"]
    assert len(mentees.list_mentees(db, status="all")) == 3
    assert mentees.count_mentees(db) == 2
    assert mentees.count_mentees(db, "all") == 3
    assert mentees.count_mentees(db, "archived") == 1
    assert mentees.count_mentees(db, MenteeStatus.ACTIVE) == 1


def test_text_filter_ignores_case_and_accents_in_any_script(db: Database) -> None:
    _make(db, "Zoë Martin", role="Designer", team="Checkout")
    _make(db, "李小龍", role="SRE", team="Платформа")
    _make(db, "Émile", role="Backend", team="Payments")

    def names(text: str) -> list[str]:
        return [row.name for row in mentees.list_mentees(db, text=text)]

    assert names("ZOË") == ["Zoë Martin"]
    assert names("zoe") == ["Zoë Martin"]
    assert names("小龍") == ["李小龍"]
    assert names("ПЛАТФОРМА") == ["李小龍"]
    assert names("design") == ["Zoë Martin"]
    assert names("pay") == ["Émile"]
    assert names("  ") == ["Émile", "Zoë Martin", "李小龍"]
    assert names("nobody") == []


def test_program_filter(db: Database) -> None:
    _make(db, "General")
    _make(db, "Candidate", in_general=False, in_lmp=True)
    _make(db, "Both", in_lmp=True)
    assert [r.name for r in mentees.list_mentees(db, program="lmp")] == ["Both", "Candidate"]
    assert [r.name for r in mentees.list_mentees(db, program="general")] == ["Both", "General"]
    with pytest.raises(ValidationError) as err:
        mentees.list_mentees(db, program="manager")
    assert err.value.field == "program"


def test_sort_keys(db: Database) -> None:
    bob = _make(db, "bob", cadence="weekly", status="paused").id
    emile = _make(db, "Émile", cadence="monthly").id
    adam = _make(db, "Adam", cadence="weekly").id
    _make(db, "Zed", cadence="weekly")
    _add(
        db,
        _session(bob, TODAY - timedelta(days=1)),
        _session(emile, TODAY - timedelta(days=3)),
        _session(adam, TODAY - timedelta(days=5)),
    )

    def order(sort: str) -> list[str]:
        return [row.name for row in mentees.list_mentees(db, sort=sort, today=TODAY)]

    assert order("name") == ["Adam", "bob", "Émile", "Zed"]
    assert order("status") == ["Adam", "Émile", "Zed", "bob"]
    # Adam is due in 2 days, Zed (never met, no start) today, Émile in 27; paused has no date.
    assert order("next_due") == ["Zed", "Adam", "Émile", "bob"]
    assert order("last_session") == ["bob", "Émile", "Adam", "Zed"]
    with pytest.raises(ValidationError) as err:
        order("age")
    assert err.value.field == "sort"


# --- finding by name ----------------------------------------------------------------------------


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    names = ["Zoë Martin", "Sam Lee", "Samira Haddad", "李小龍", "Omar Farouk"]
    return {name: _make(db, name, role="Engineer").id for name in names}


def test_resolve_by_id_uid_and_exact_name(db: Database, people: dict[str, int]) -> None:
    zoe = mentees.get_mentee(db, people["Zoë Martin"])
    assert mentees.resolve_mentee(db, str(zoe.id)) == zoe
    assert mentees.resolve_mentee(db, zoe.uid) == zoe
    assert mentees.resolve_mentee(db, zoe.uid.upper()) == zoe
    assert mentees.resolve_mentee(db, "  zoË   MARTIN ") == zoe
    decomposed = unicodedata.normalize("NFD", "Zoë Martin")
    assert decomposed != "Zoë Martin"
    assert mentees.resolve_mentee(db, decomposed) == zoe


def test_resolve_unique_partial_name(db: Database, people: dict[str, int]) -> None:
    assert mentees.resolve_mentee(db, "Zoë").id == people["Zoë Martin"]
    assert mentees.resolve_mentee(db, "zoe").id == people["Zoë Martin"]
    assert mentees.resolve_mentee(db, "小龍").id == people["李小龍"]
    # An exact name wins over the longer names that contain it.
    assert mentees.resolve_mentee(db, "sam lee").id == people["Sam Lee"]


def test_resolve_ambiguous_lists_the_candidates(db: Database, people: dict[str, int]) -> None:
    with pytest.raises(AmbiguousError) as err:
        mentees.resolve_mentee(db, "Sam")
    message = str(err.value)
    assert '"Sam" matches 2 mentees' in message
    assert f"Sam Lee (id {people['Sam Lee']}, Engineer)" in message
    assert f"Samira Haddad (id {people['Samira Haddad']}, Engineer)" in message
    assert "Zoë" not in message


def test_resolve_two_people_with_the_same_name_is_ambiguous(db: Database) -> None:
    first, second = _make(db, "Sam Lee").id, _make(db, "sam lee").id
    with pytest.raises(AmbiguousError, match=rf"id {first}\).*id {second}\)"):
        mentees.resolve_mentee(db, "Sam Lee")
    assert mentees.resolve_mentee(db, str(second)).id == second


def test_resolve_unknown_suggests_close_names(db: Database, people: dict[str, int]) -> None:
    with pytest.raises(NotFoundError) as err:
        mentees.resolve_mentee(db, "Zoey")
    assert 'No mentee is called "Zoey"' in str(err.value)
    assert "Did you mean: Zoë Martin" in str(err.value)
    with pytest.raises(NotFoundError, match="Did you mean: Omar Farouk"):
        mentees.resolve_mentee(db, "Omar Faruk")
    with pytest.raises(NotFoundError, match="use the mentee's id") as err:
        mentees.resolve_mentee(db, "Xavier")
    assert "Did you mean" not in str(err.value)
    with pytest.raises(NotFoundError):
        mentees.resolve_mentee(db, "98765")
    with pytest.raises(ValidationError):
        mentees.resolve_mentee(db, "   ")


def test_find_mentees_ranks_exact_then_prefix_then_substring(
    db: Database, people: dict[str, int]
) -> None:
    _make(db, "Isam", status="archived")
    found = mentees.find_mentees(db, "sam")
    assert [ref.name for ref in found] == ["Sam Lee", "Samira Haddad", "Isam"]
    assert found[0].id == people["Sam Lee"]
    assert found[2].status is MenteeStatus.ARCHIVED
    assert found[0].display == f"Sam Lee (id {people['Sam Lee']}, Engineer)"
    assert mentees.find_mentees(db, "nobody") == []


# --- deletion -----------------------------------------------------------------------------------


def _history(db: Database, mentee_id: int) -> None:
    """Two sessions, an action item, feedback, a goal with milestone and check-in, an assessment
    and an LMP record with evidence and an SCPA update."""
    with db.write() as s:
        area = s.scalar(select(models.LmpArea).where(models.LmpArea.code == "A"))
        skill = s.scalar(select(models.SkillArea))
        first = _session(mentee_id, TODAY - timedelta(days=7))
        goal = models.Goal(mentee_id=mentee_id, title="Goal", progress_mode=ProgressMode.MANUAL)
        goal.milestones.append(models.Milestone(title="m"))
        goal.checkins.append(models.GoalCheckin(checked_on=TODAY, progress=10))
        first.goals.append(goal)
        record = models.LmpRecord(mentee_id=mentee_id, enrolled_on=TODAY)
        s.add_all([first, _session(mentee_id, TODAY), goal, record])
        s.flush()
        s.add_all(
            [
                models.ActionItem(mentee_id=mentee_id, session_id=first.id, text="do"),
                models.Feedback(mentee_id=mentee_id, given_on=TODAY, observation="o"),
                models.SkillAssessment(
                    mentee_id=mentee_id, skill_area_id=skill.id, level=3, assessed_on=TODAY
                ),
                models.Evidence(record_id=record.id, occurred_on=TODAY, title="e", areas=[area]),
                models.ScpaUpdate(record_id=record.id, week_of=TODAY),
            ]
        )


def test_delete_needs_confirmation_and_says_what_goes(db: Database) -> None:
    zoe = _make(db, "Zoë <b>&</b>")
    _history(db, zoe.id)
    summary = mentees.deletion_summary(db, zoe.id)
    assert (summary.name, summary.sessions, summary.action_items, summary.feedback) == (
        "Zoë <b>&</b>",
        2,
        1,
        1,
    )
    assert (summary.goals, summary.assessments, summary.evidence, summary.total) == (1, 1, 1, 7)
    with pytest.raises(ConfirmationRequiredError) as err:
        mentees.delete_mentee(db, zoe.id, confirm=False)
    message = str(err.value)
    assert "Zoë <b>&</b>" in message
    assert "2 sessions, 1 action item, 1 feedback record, 1 goal" in message
    assert "1 skill assessment and 1 LMP evidence entry" in message
    assert mentees.get_mentee(db, zoe.id) == zoe
    assert _count(db, models.MentoringSession, zoe.id) == 2


def test_delete_cascades_and_leaves_other_mentees_alone(db: Database) -> None:
    gone, kept = _make(db, "Gone", tags=("shared",)), _make(db, "Kept", tags=("shared",))
    _history(db, gone.id)
    _history(db, kept.id)
    summary = mentees.delete_mentee(db, gone.id, confirm=True)
    assert summary.total == 7
    with pytest.raises(NotFoundError):
        mentees.get_mentee(db, gone.id)
    owned = [
        models.MentoringSession,
        models.ActionItem,
        models.Feedback,
        models.Goal,
        models.SkillAssessment,
        models.LmpRecord,
    ]
    assert [_count(db, model, gone.id) for model in owned] == [0] * 6
    assert [_count(db, model, kept.id) for model in owned] == [2, 1, 1, 1, 1, 1]
    with db.read() as s:
        for model in (models.Milestone, models.GoalCheckin, models.Evidence, models.ScpaUpdate):
            assert s.scalar(select(func.count()).select_from(model)) == 1, model
        assert s.scalar(select(func.count()).select_from(models.session_goals)) == 1
    assert mentees.get_mentee(db, kept.id).tags == ("shared",)


def test_describe_with_nothing_attached(db: Database) -> None:
    lonely = _make(db, "Lonely")
    with pytest.raises(ConfirmationRequiredError, match="Lonely also deletes no other records"):
        mentees.delete_mentee(db, lonely.id, confirm=False)
    assert mentees.delete_mentee(db, lonely.id, confirm=True).total == 0
    assert mentees.count_mentees(db, "all") == 0


# --- timeline -----------------------------------------------------------------------------------


def test_timeline_lists_every_kind_newest_first_without_note_bodies(db: Database) -> None:
    ada = _make(db, "Ada").id
    _history(db, ada)
    long_text = "Observation " + "word " * 100
    _add(
        db,
        _session(ada, TODAY - timedelta(days=30), notes="SECRET NOTE BODY"),
        models.Feedback(mentee_id=ada, given_on=TODAY - timedelta(days=2), observation=long_text),
        models.ActionItem(mentee_id=ada, text="Read\nthe book", done=True, done_on=TODAY),
        models.ActionItem(mentee_id=ada, text="open, not on the timeline"),
    )
    entries = mentees.mentee_timeline(db, ada)
    assert [entry.on for entry in entries] == sorted((e.on for e in entries), reverse=True)
    kinds = {entry.kind for entry in entries}
    assert kinds == set(mentees.TIMELINE_KINDS)
    assert all("SECRET" not in entry.title for entry in entries)
    assert all(len(entry.title) <= 120 for entry in entries)
    feedback = next(e for e in entries if e.on == TODAY - timedelta(days=2))
    assert feedback.kind == "feedback"
    assert feedback.title.endswith("…")
    assert feedback.title.startswith("Observation word word")
    done = next(e for e in entries if e.kind == "action_done")
    assert done.title == "Read the book"
    assert "open, not on the timeline" not in {e.title for e in entries}
    session_titles = {e.title for e in entries if e.kind == "session"}
    assert session_titles == {"Session"}  # no title and no type
    assert next(e for e in entries if e.kind == "checkin").title == "Goal: 10 %"
    assert next(e for e in entries if e.kind == "evidence").title == "e"
    assert entries[-1].on == TODAY - timedelta(days=30)


def test_timeline_uses_the_session_type_and_respects_limit(db: Database) -> None:
    ada = _make(db, "Ada").id
    with db.write() as s:
        kind = s.scalar(select(models.SessionType).order_by(models.SessionType.position))
        for offset in range(5):
            s.add(
                models.MentoringSession(
                    mentee_id=ada,
                    started_at=_local(TODAY - timedelta(days=offset)),
                    session_type_id=kind.id,
                )
            )
        type_name = kind.name
    entries = mentees.mentee_timeline(db, ada, limit=3)
    assert [e.on for e in entries] == [TODAY - timedelta(days=d) for d in range(3)]
    assert {e.title for e in entries} == {type_name}
    assert mentees.mentee_timeline(db, _make(db, "New").id) == []
