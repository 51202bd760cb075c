"""The trash: every delete is undoable, exactly, until the trash is emptied."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mentor_desk.db.engine import Database
from mentor_desk.db.migrate import _run_upgrade, current_revision, head_revision, upgrade
from mentor_desk.db.models import (
    ActionItem,
    Evidence,
    Feedback,
    Goal,
    GoalCheckin,
    Mentee,
    MentoringSession,
    Milestone,
    ScpaUpdate,
    SkillArea,
    SkillAssessment,
    TrashItem,
    session_goals,
)
from mentor_desk.errors import NotFoundError, UserError, ValidationError
from mentor_desk.services import trash
from mentor_desk.services.actions import delete_action_item
from mentor_desk.services.demo import load_demo
from mentor_desk.services.evidence import delete_evidence
from mentor_desk.services.feedback import delete_feedback
from mentor_desk.services.goals import delete_checkin, delete_goal, delete_milestone, get_goal
from mentor_desk.services.interchange import export_data, import_data, to_json_text
from mentor_desk.services.interchange_schema import check_table_coverage
from mentor_desk.services.mentees import delete_mentee
from mentor_desk.services.program import open_program
from mentor_desk.services.scpa import delete_scpa
from mentor_desk.services.search import search
from mentor_desk.services.sessions import delete_session
from mentor_desk.services.settings import set_setting
from mentor_desk.services.skills import delete_assessment, delete_skill_area

AT = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo program, built once and copied for each test."""
    folder = tmp_path_factory.mktemp("demo")
    db = open_program(folder)
    load_demo(db, today=date(2026, 3, 1))
    db.dispose()  # closing the last connection checkpoints the WAL away
    return folder / "mentor-desk.sqlite3"


@pytest.fixture
def demo(data_dir: Path, demo_database: Path) -> Iterator[Database]:
    shutil.copyfile(demo_database, data_dir / demo_database.name)
    db = open_program(data_dir)
    yield db
    db.dispose()


def snapshot(db: Database) -> str:
    return to_json_text(export_data(db, exported_at=AT))


def ids(db: Database, model: type) -> list[int]:
    with db.read() as session:
        return list(session.scalars(select(model.id).order_by(model.id)))


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def richest_mentee(db: Database) -> int:
    with db.read() as session:
        stmt = (
            select(Mentee.id)
            .where(Mentee.in_lmp.is_(True))
            .order_by(
                select(func.count())
                .where(MentoringSession.mentee_id == Mentee.id)
                .scalar_subquery()
                .desc()
            )
        )
        return int(session.scalars(stmt).first())  # type: ignore[arg-type]


def test_deleting_a_mentee_then_restoring_gives_back_exactly_the_same_program(
    demo: Database,
) -> None:
    before = snapshot(demo)
    mentee_id = richest_mentee(demo)
    before_ids = {m: ids(demo, m) for m in (Mentee, MentoringSession, Goal, Evidence, Milestone)}
    summary = delete_mentee(demo, mentee_id, confirm=True)
    assert summary.sessions > 5
    assert summary.evidence > 0
    assert summary.goals > 0
    assert snapshot(demo) != before

    entries = trash.list_trash(demo)
    assert [(e.kind, e.mentee_id) for e in entries] == [("mentee", mentee_id)]
    assert entries[0].label == f"mentee {summary.name}"
    assert entries[0].mentee_name == summary.name

    restored = trash.restore(demo, entries[0].id)
    assert restored.label == entries[0].label
    assert snapshot(demo) == before  # same uids, timestamps, links, order
    assert {m: ids(demo, m) for m in before_ids} == before_ids  # and the same ids
    assert trash.list_trash(demo) == []


def test_a_deleted_session_is_undone_with_its_items_feedback_and_goal_links(
    demo: Database,
) -> None:
    with demo.read() as session:
        session_id = session.scalar(
            select(Feedback.session_id).where(Feedback.session_id.is_not(None)).limit(1)
        )
        linked = session.scalar(
            select(func.count()).where(session_goals.c.session_id == session_id)
        )
        started = session.scalar(
            select(MentoringSession.started_at).where(MentoringSession.id == session_id)
        )
    assert session_id is not None
    before = snapshot(demo)
    delete_session(demo, session_id)
    assert session_id not in ids(demo, MentoringSession)
    assert trash.last_deleted(demo) is not None
    assert trash.last_deleted(demo).label.startswith(
        f"session {started.astimezone().date().isoformat()}"
    )  # type: ignore[union-attr]

    trash.undo_last(demo)
    assert snapshot(demo) == before
    with demo.read() as session:
        assert session.scalar(select(func.count()).where(Feedback.session_id == session_id)) > 0
        assert (
            session.scalar(select(func.count()).where(session_goals.c.session_id == session_id))
            == linked
        )


def test_a_goal_with_milestones_and_checkins_is_restored(demo: Database) -> None:
    with demo.read() as session:
        goal_id = session.scalar(
            select(Goal.id)
            .where(Goal.id.in_(select(Milestone.goal_id)), Goal.id.in_(select(GoalCheckin.goal_id)))
            .limit(1)
        )
    assert goal_id is not None
    before = snapshot(demo)
    milestones, checkins = count(demo, Milestone), count(demo, GoalCheckin)
    delete_goal(demo, goal_id)
    assert count(demo, Milestone) < milestones
    assert count(demo, GoalCheckin) < checkins
    (entry,) = trash.list_trash(demo)
    assert entry.kind == "goal"
    trash.restore(demo, entry.id)
    assert snapshot(demo) == before
    assert goal_id in ids(demo, Goal)


DELETES: dict[str, tuple[type, Callable[[Database, int], None]]] = {
    "evidence": (Evidence, delete_evidence),
    "feedback": (Feedback, delete_feedback),
    "action_item": (ActionItem, delete_action_item),
    "skill_assessment": (SkillAssessment, delete_assessment),
    "scpa_update": (ScpaUpdate, delete_scpa),
    "milestone": (Milestone, delete_milestone),
    "goal_checkin": (GoalCheckin, delete_checkin),
}


@pytest.mark.parametrize("kind", sorted(DELETES))
def test_every_delete_goes_to_the_trash_and_comes_back(demo: Database, kind: str) -> None:
    model, delete = DELETES[kind]
    item_id = ids(demo, model)[0]
    before = snapshot(demo)
    delete(demo, item_id)
    assert item_id not in ids(demo, model)
    entry = trash.undo_last(demo)
    assert entry.kind == kind
    assert snapshot(demo) == before


def test_a_session_whose_mentee_was_deleted_since_is_refused_until_the_mentee_is_back(
    demo: Database,
) -> None:
    mentee_id = richest_mentee(demo)
    with demo.read() as session:
        session_id = session.scalar(
            select(MentoringSession.id).where(MentoringSession.mentee_id == mentee_id).limit(1)
        )
    before = snapshot(demo)
    delete_session(demo, session_id)  # type: ignore[arg-type]
    summary = delete_mentee(demo, mentee_id, confirm=True)
    lone = next(e for e in trash.list_trash(demo) if e.kind == "session")
    unchanged = snapshot(demo)

    with pytest.raises(UserError, match=f"Restore “mentee {summary.name}” from the trash first"):
        trash.restore(demo, lone.id)
    assert snapshot(demo) == unchanged
    assert len(trash.list_trash(demo)) == 2

    trash.undo_last(demo)  # the mentee
    trash.restore(demo, lone.id)
    assert snapshot(demo) == before


def test_an_item_that_is_already_back_is_not_restored_twice(demo: Database) -> None:
    item_id = ids(demo, Feedback)[0]
    exported = export_data(demo)
    delete_feedback(demo, item_id)
    import_data(demo, exported)  # the feedback comes back through an import
    with pytest.raises(UserError, match="already back"):
        trash.undo_last(demo)
    assert len(trash.list_trash(demo)) == 1


def test_search_does_not_find_what_is_in_the_trash(db: Database) -> None:
    from mentor_desk.services.mentees import MenteeInput, create_mentee

    mentee = create_mentee(db, MenteeInput(name="Zoë Quixotic"))
    assert [h.item_id for h in search(db, "quixotic")] == [mentee.id]
    delete_mentee(db, mentee.id, confirm=True)
    assert search(db, "quixotic") == []
    trash.undo_last(db)
    assert [h.item_id for h in search(db, "zoe quixotic")] == [mentee.id]


def test_emptying_and_purging_remove_the_snapshots_for_good(demo: Database) -> None:
    for item_id in ids(demo, Feedback)[:3]:
        delete_feedback(demo, item_id)
    entries = trash.list_trash(demo)
    assert len(entries) == 3
    trash.purge(demo, entries[0].id)
    assert [e.id for e in trash.list_trash(demo)] == [e.id for e in entries[1:]]
    with pytest.raises(NotFoundError):
        trash.restore(demo, entries[0].id)
    with pytest.raises(NotFoundError):
        trash.purge(demo, entries[0].id)

    assert trash.empty(demo, older_than=entries[-1].deleted_at) == 0
    assert trash.empty(demo, older_than=datetime.now(UTC) + timedelta(seconds=1)) == 2
    assert count(demo, TrashItem) == 0
    with pytest.raises(NotFoundError, match="trash is empty"):
        trash.undo_last(demo)
    assert trash.last_deleted(demo) is None


def test_the_trash_is_not_part_of_the_interchange_format(demo: Database) -> None:
    delete_feedback(demo, ids(demo, Feedback)[0])
    assert check_table_coverage() == set()
    assert "trash" not in export_data(demo)


def test_a_0002_database_is_upgraded_with_its_data_and_an_empty_trash(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = Database(path)
    _run_upgrade(db, "0002")
    with db.write() as session:
        session.add(Mentee(name="Zoë 李 <b>&"))
    db.dispose()

    db = Database(path)
    try:
        result = upgrade(db)
        assert (result.before, result.after) == ("0002", head_revision())
        assert current_revision(db) == head_revision()
        with db.read() as session:
            mentee_id = session.scalar(select(Mentee.id).where(Mentee.name == "Zoë 李 <b>&"))
        assert mentee_id is not None
        assert trash.list_trash(db) == []
        delete_mentee(db, mentee_id, confirm=True)
        assert trash.undo_last(db).label == "mentee Zoë 李 <b>&"
        assert ids(db, Mentee) == [mentee_id]
    finally:
        db.dispose()


def test_a_milestone_and_a_checkin_are_named_with_their_goal_and_mentee(demo: Database) -> None:
    milestone_id = ids(demo, Milestone)[0]
    with demo.read() as session:
        milestone = session.get(Milestone, milestone_id)
        assert milestone is not None
        goal_id, title = milestone.goal_id, milestone.title
    goal = get_goal(demo, goal_id)
    delete_milestone(demo, milestone_id)
    assert len(get_goal(demo, goal_id).milestones) == len(goal.milestones) - 1
    checkin_id = (
        get_goal(demo, goal_id).checkins[0].id if goal.checkins else ids(demo, GoalCheckin)[0]
    )
    delete_checkin(demo, checkin_id)
    checkin_entry, milestone_entry = trash.list_trash(demo)
    assert milestone_entry.label == f"milestone “{title}”"
    assert (milestone_entry.mentee_id, milestone_entry.mentee_name) == (
        goal.mentee_id,
        goal.mentee_name,
    )
    assert checkin_entry.label.startswith("goal check-in 20")
    assert checkin_entry.mentee_name != ""
    trash.undo_last(demo)
    trash.undo_last(demo)
    assert get_goal(demo, goal_id) == goal  # progress, milestones and check-ins as they were


def test_a_skill_area_comes_back_with_every_assessment(demo: Database) -> None:
    with demo.read() as session:
        area_id, assessed = session.execute(
            select(SkillAssessment.skill_area_id, func.count())
            .group_by(SkillAssessment.skill_area_id)
            .order_by(func.count().desc())
        ).first()
    assert assessed >= 2
    before, areas = snapshot(demo), len(ids(demo, SkillArea))
    assert delete_skill_area(demo, area_id, confirm=True) == assessed
    assert area_id not in ids(demo, SkillArea)
    (entry,) = trash.list_trash(demo)
    assert entry.kind == "skill_area"
    assert entry.label.startswith("skill area “")
    assert entry.mentee_id is None  # everyone's assessments went with it
    trash.restore(demo, entry.id)
    assert snapshot(demo) == before  # the area, by name and uid, and every assessment of it
    assert len(ids(demo, SkillArea)) == areas


def test_entries_older_than_the_retention_are_purged_by_an_injected_clock(
    demo: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    feedback = ids(demo, Feedback)[:3]
    for days_ago, item_id in zip((40, 30, 2), feedback, strict=True):
        monkeypatch.setattr(trash, "utcnow", lambda days_ago=days_ago: AT - timedelta(days_ago))
        delete_feedback(demo, item_id)
    assert trash.retention_days(demo) == trash.DEFAULT_RETENTION_DAYS == 30
    # Exactly 30 days is not yet older than 30 days: only the 40-day-old one goes.
    assert trash.purge_expired(demo, now=AT) == 1
    assert [e.deleted_at for e in trash.list_trash(demo)] == [AT - timedelta(2), AT - timedelta(30)]
    assert trash.purge_expired(demo, now=AT + timedelta(seconds=1)) == 1
    assert trash.set_retention_days(demo, 0) == 0  # keep until emptied
    assert trash.purge_expired(demo, now=AT + timedelta(days=999)) == 0
    trash.set_retention_days(demo, 1)
    assert trash.purge_expired(demo, now=AT) == 1
    assert trash.list_trash(demo) == []


@pytest.mark.parametrize("bad", [-1, 3651, None, 2.5e9])
def test_a_retention_outside_0_to_3650_days_is_refused(demo: Database, bad: object) -> None:
    with pytest.raises(ValidationError, match="days"):
        trash.set_retention_days(demo, bad)  # type: ignore[arg-type]
    assert trash.retention_days(demo) == 30


@pytest.mark.parametrize("stored", ["", "soon", "-5", "99999"])
def test_a_retention_setting_edited_into_nonsense_falls_back_to_30_days(
    demo: Database, stored: str
) -> None:
    set_setting(demo, trash.RETENTION_SETTING, stored)
    assert trash.retention_days(demo) == 30
