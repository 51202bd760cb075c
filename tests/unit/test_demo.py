"""The demo program: what it contains, that it is deterministic, and how it treats existing data."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from mentor_desk.db.base import Decision, GoalCategory, GoalStatus, MenteeStatus, Track, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import (
    ActionItem,
    Evidence,
    Feedback,
    Goal,
    GoalCheckin,
    LmpArea,
    LmpPresentation,
    LmpRecord,
    Mentee,
    MentoringSession,
    Milestone,
    ScpaUpdate,
    SessionTemplate,
    SessionType,
    Setting,
    SkillArea,
    SkillAssessment,
    Tag,
    evidence_areas,
)
from mentor_desk.errors import ConfirmationRequiredError, UserError
from mentor_desk.paths import data_paths, resource_path
from mentor_desk.services import demo_content
from mentor_desk.services.demo import DemoSummary, is_empty, load_demo
from mentor_desk.services.program import open_program
from mentor_desk.services.settings import MENTOR_NAME

TODAY = date(2026, 3, 10)
REFERENCE_TABLES = ("lmp_areas", "session_types", "session_templates", "skill_areas")
SEEDED_TYPES = {
    "One-on-one coaching",
    "Technical review",
    "Career planning",
    "Practice interview",
    "LMP check-in",
    "Quarterly development review",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    """One demo program shared by the read-only tests of this module."""
    database = open_program(tmp_path_factory.mktemp("demo") / "data")
    summary = load_demo(database, today=TODAY)
    yield database, summary
    database.dispose()


@pytest.fixture
def demo_db(demo: tuple[Database, DemoSummary]) -> Database:
    return demo[0]


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (schema included), in a canonical order."""
    with db.engine.connect() as conn:
        names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = ["sqlite_master", *sorted(names.scalars())]
        return {
            name: sorted(
                (tuple(row) for row in conn.exec_driver_sql(f'SELECT * FROM "{name}"')), key=repr
            )
            for name in tables
        }


def fresh_copy(source: Path, folder: Path) -> Database:
    """A second program that starts byte-for-byte like ``source`` (same seeded uids and times)."""
    target = data_paths(folder).ensure().database
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return open_program(folder)


def without(tables: dict[str, Any], names: set[str]) -> dict[str, Any]:
    return {name: rows for name, rows in tables.items() if name not in names}


def fts_tables(db: Database) -> list[str]:
    """The full-text indexes (FTS5 virtual tables) the schema has, if any."""
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
        )
        return sorted(rows.scalars())


def search(db: Database, index: str, term: str) -> list[int]:
    """Row ids matching ``term``, after FTS5's integrity check of ``index`` passes."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
        found = conn.exec_driver_sql(f"SELECT rowid FROM {index} WHERE {index} MATCH ?", (term,))
        return sorted(found.scalars())


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# --- what the demo holds --------------------------------------------------------------------


def test_summary_matches_the_tables(demo: tuple[Database, DemoSummary]) -> None:
    db, summary = demo
    models = {
        "mentees": Mentee, "sessions": MentoringSession, "action_items": ActionItem,
        "feedback": Feedback, "goals": Goal, "milestones": Milestone, "goal_checkins": GoalCheckin,
        "skill_assessments": SkillAssessment, "lmp_records": LmpRecord,
        "presentations": LmpPresentation, "evidence": Evidence, "scpa_updates": ScpaUpdate,
        "tags": Tag,
    }  # fmt: skip
    assert summary.counts() == {name: count(db, model) for name, model in models.items()}
    assert summary.mentees >= 8
    assert summary.sessions > 250
    assert summary.feedback > 0
    assert summary.scpa_updates > 0


def test_mentees_span_levels_tracks_statuses_and_scripts(demo_db: Database) -> None:
    with demo_db.read() as session:
        mentees = session.scalars(select(Mentee)).all()
        session.expunge_all()  # keep the loaded values after the unit of work ends
    names = [m.name for m in mentees]
    assert len(names) == len(set(names)) >= 8
    assert {m.track for m in mentees} == {Track.IC, Track.MANAGEMENT}
    assert all(m.track == m.level.track for m in mentees if m.level)
    assert len({m.level for m in mentees}) >= 5
    statuses = [m.status for m in mentees]
    assert statuses.count(MenteeStatus.PAUSED) == statuses.count(MenteeStatus.COMPLETED) == 1
    assert statuses.count(MenteeStatus.ACTIVE) >= len(mentees) - 2
    assert {m.cadence.value for m in mentees} == {"weekly", "biweekly", "monthly"}
    assert {"李伟", "ليلى حداد", "Zoë Müller", "Nguyễn Thị Lan"} <= set(names)
    assert any(re.search("[\u4e00-\u9fff]", n) for n in names)
    assert any(re.search("[\u0600-\u06ff]", n) for n in names)
    accented = [n for n in names if any(unicodedata.decomposition(c) for c in n if c.isalpha())]
    assert len(accented) >= 3
    assert all(n == unicodedata.normalize("NFC", n) for n in names)
    assert all(m.email.endswith("@example.org") and m.pronouns and m.role for m in mentees)
    assert all(m.career_aspiration and m.learning_style and m.notes for m in mentees)
    assert sum(m.in_lmp for m in mentees) == 2


def test_each_active_mentee_has_a_year_of_sessions(demo_db: Database) -> None:
    with demo_db.read() as session:
        rows = session.execute(
            select(
                Mentee.name,
                Mentee.cadence,
                func.count(MentoringSession.id),
                func.min(MentoringSession.started_at),
                func.max(MentoringSession.started_at),
            )
            .join(MentoringSession, MentoringSession.mentee_id == Mentee.id)
            .where(Mentee.status == MenteeStatus.ACTIVE)
            .group_by(Mentee.id)
        ).all()
        used_types = set(
            session.scalars(select(SessionType.name).join(MentoringSession).distinct())
        )
    assert len(rows) >= 8
    for name, cadence, sessions, first, last in rows:
        span = (last - first).days
        assert span >= 330, f"{name}: sessions span only {span} days"
        assert sessions >= 0.75 * span / cadence.days, f"{name}: {sessions} sessions"
    assert used_types == SEEDED_TYPES


def test_one_mentee_has_stalled_and_one_is_overdue(demo_db: Database) -> None:
    with demo_db.read() as session:
        rows = session.execute(
            select(Mentee.name, Mentee.cadence, func.max(MentoringSession.started_at))
            .join(MentoringSession, MentoringSession.mentee_id == Mentee.id)
            .where(Mentee.status == MenteeStatus.ACTIVE)
            .group_by(Mentee.id)
        ).all()
    silence = {name: ((TODAY - last.date()).days, cadence.days) for name, cadence, last in rows}
    stalled = [n for n, (days, every) in silence.items() if days > max(60, 3 * every)]
    overdue = [n for n, (days, every) in silence.items() if every < days <= 3 * every]
    assert stalled == ["Kwame Mensah"]
    assert overdue == ["Arjun Raghunathan"]


def test_notes_follow_the_templates_and_mix_visibilities(demo_db: Database) -> None:
    with demo_db.read() as session:
        templates = {
            type_id: body
            for type_id, body in session.execute(
                select(SessionType.id, SessionTemplate.body).join(
                    SessionTemplate, SessionType.template_id == SessionTemplate.id
                )
            )
        }
        sessions = session.execute(
            select(
                MentoringSession.session_type_id,
                MentoringSession.notes,
                MentoringSession.summary,
                MentoringSession.visibility,
            )
        ).all()
    for type_id, notes, summary, _ in sessions:
        assert summary.strip()
        assert "{" not in notes + summary
        headings = [
            line for line in templates.get(type_id, "").splitlines() if line.startswith("#")
        ]
        assert all(heading in notes for heading in headings)
    visibilities = [row.visibility for row in sessions]
    private = visibilities.count(Visibility.PRIVATE) / len(visibilities)
    assert 0.5 <= private <= 0.7
    assert visibilities.count(Visibility.SHARED_WITH_MENTEE) > 0.2 * len(visibilities)
    assert 0 < visibilities.count(Visibility.LEADERSHIP) < 0.15 * len(visibilities)
    assert len({notes for _, notes, _, _ in sessions}) == len(sessions)


def test_action_items_feedback_and_goal_links(demo_db: Database) -> None:
    with demo_db.read() as session:
        items = session.execute(select(ActionItem.owner, ActionItem.due_on, ActionItem.done)).all()
        feedback = session.scalars(select(Feedback)).all()
        session.expunge_all()
        linked = session.scalar(text("SELECT count(DISTINCT session_id) FROM session_goals"))
        total = count(demo_db, MentoringSession)
    assert {owner.value for owner, _, _ in items} == {"mentor", "mentee"}
    done = sum(d for _, _, d in items)
    overdue = sum(1 for _, due, d in items if not d and due < TODAY)
    assert done > 0.8 * len(items)
    assert 5 <= overdue < 0.15 * len(items)
    assert any(not d and due >= TODAY for _, due, d in items)
    assert all(f.observation and f.impact and f.request and f.session_id for f in feedback)
    quadrants = [f.quadrant for f in feedback]
    assert 0 < sum(q is not None for q in quadrants) < len(quadrants)
    assert linked > 0.8 * total


def test_goals_have_believable_progress(demo_db: Database) -> None:
    with demo_db.read() as session:
        goals = session.scalars(select(Goal)).all()
        per_mentee = session.execute(select(Goal.mentee_id, func.count()).group_by(Goal.mentee_id))
        per_mentee_counts = [n for _, n in per_mentee]
        readings: dict[int, list[tuple[date, int]]] = defaultdict(list)
        for goal_id, day, progress in session.execute(
            select(GoalCheckin.goal_id, GoalCheckin.checked_on, GoalCheckin.progress).order_by(
                GoalCheckin.goal_id, GoalCheckin.checked_on
            )
        ):
            readings[goal_id].append((day, progress))
        milestones_done = session.scalar(select(func.count()).where(Milestone.done))
        session.expunge_all()
    assert all(3 <= n <= 6 for n in per_mentee_counts)
    assert {GoalStatus.AT_RISK, GoalStatus.OFF_TRACK, GoalStatus.DONE} <= {g.status for g in goals}
    assert {g.category for g in goals} == set(GoalCategory)
    assert all(0 <= g.progress <= 100 for g in goals)
    assert milestones_done > 0
    for goal in goals:
        values = [p for _, p in readings[goal.id]]
        assert values == sorted(values), goal.title
        if values:
            assert values[-1] == goal.progress
        if goal.status == GoalStatus.DONE:
            assert goal.progress == 100
    assert sum(len(r) >= 6 for r in readings.values()) >= 10


def test_skills_are_assessed_at_three_dates_and_rise(demo_db: Database) -> None:
    with demo_db.read() as session:
        rows = session.execute(
            select(
                SkillAssessment.mentee_id,
                SkillAssessment.assessed_on,
                func.avg(SkillAssessment.level),
            )
            .where(SkillAssessment.assessor == "mentor")
            .group_by(SkillAssessment.mentee_id, SkillAssessment.assessed_on)
            .order_by(SkillAssessment.mentee_id, SkillAssessment.assessed_on)
        ).all()
        assessors = set(session.scalars(select(SkillAssessment.assessor).distinct()))
        levels = set(session.scalars(select(SkillAssessment.level).distinct()))
        areas = count(demo_db, SkillArea)
        mentor_rows = session.scalar(
            select(func.count()).where(SkillAssessment.assessor == "mentor")
        )
    by_mentee: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for mentee_id, day, average in rows:
        by_mentee[mentee_id].append((day, average))
    assert len(by_mentee) == count(demo_db, Mentee)
    for history in by_mentee.values():
        assert len(history) >= 3
        assert history[-1][1] > history[0][1]
    assert any((TODAY - history[0][0]).days >= 330 for history in by_mentee.values())
    assert {a.value for a in assessors} == {"mentor", "self", "peer"}
    assert levels <= set(range(11))
    assert mentor_rows == 3 * areas * len(by_mentee)


# --- the Lead Mentorship Program ------------------------------------------------------------


def coverage_gaps(db: Database) -> dict[str, list[str]]:
    """Per candidate, the non-optional areas with no evidence (an area counts its sub-areas)."""
    with db.read() as session:
        areas = session.execute(
            select(LmpArea.id, LmpArea.code, LmpArea.parent_id, LmpArea.optional)
        ).all()
        tagged = session.execute(
            select(Mentee.name, evidence_areas.c.area_id)
            .join(LmpRecord, LmpRecord.mentee_id == Mentee.id)
            .join(Evidence, Evidence.record_id == LmpRecord.id)
            .join(evidence_areas, evidence_areas.c.evidence_id == Evidence.id)
        ).all()
        names = session.scalars(select(Mentee.name).join(LmpRecord)).all()
    covered: dict[str, set[int]] = {name: set() for name in names}
    for name, area_id in tagged:
        covered[name].add(area_id)
    parents = {area.id: area.parent_id for area in areas}
    for ids in covered.values():
        ids |= {parents[i] for i in ids if parents[i] is not None}
    required = [(area.id, area.code) for area in areas if not area.optional]
    return {name: [code for i, code in required if i not in ids] for name, ids in covered.items()}


def test_one_candidate_has_exactly_one_gap_the_other_none(demo_db: Database) -> None:
    gaps = coverage_gaps(demo_db)
    assert gaps == {"Zoë Müller": ["C"], "Chiamaka Okonkwo": []}
    with demo_db.read() as session:
        records = session.scalars(select(LmpRecord)).all()
        parents_tagged = session.scalar(
            select(func.count())
            .select_from(evidence_areas)
            .where(
                evidence_areas.c.area_id.in_(
                    select(LmpArea.parent_id).where(LmpArea.parent_id.is_not(None))
                )
            )
        )
        sources = session.scalars(select(Evidence.source)).all()
        recorded_by = {e.value for e in session.scalars(select(Evidence.recorded_by).distinct())}
        session.expunge_all()
    assert len(records) == 2
    assert all(r.sponsor_name and r.state.value == "gathering_evidence" for r in records)
    assert all(len(r.recommendation) > 400 for r in records)
    assert parents_tagged == 0  # evidence names the sub-area wherever there is one
    assert all(sources)
    assert any("https://wiki.example.org/" in s for s in sources)
    assert recorded_by == {"sponsor", "candidate", "peer"}


def test_further_actions_became_goals_with_new_evidence_since(demo_db: Database) -> None:
    with demo_db.read() as session:
        presentation = session.scalars(select(LmpPresentation)).one()
        goals = session.scalars(select(Goal).where(Goal.presentation_id == presentation.id)).all()
        record = session.get(LmpRecord, presentation.record_id)
        assert record is not None
        since = session.scalar(
            select(func.count()).where(
                Evidence.record_id == record.id, Evidence.occurred_on > presentation.decided_on
            )
        )
        session.expunge_all()
    assert presentation.decision == Decision.FURTHER_ACTIONS
    assert 45 <= (TODAY - presentation.presented_on).days <= 75
    assert presentation.reviewers
    assert presentation.decision_notes
    assert 2 <= len(goals) <= 3
    assert {g.category for g in goals} <= {GoalCategory.SOFT_SKILLS, GoalCategory.CAREER}
    assert all(g.mentee_id == record.mentee_id for g in goals)
    assert since >= 3


def test_scpa_updates_are_weekly_with_a_few_gaps(demo_db: Database) -> None:
    with demo_db.read() as session:
        records = session.scalars(select(LmpRecord)).all()
        weeks = {
            r.id: session.scalars(
                select(ScpaUpdate.week_of).where(ScpaUpdate.record_id == r.id)
            ).all()
            for r in records
        }
        texts = session.execute(
            select(
                ScpaUpdate.success,
                ScpaUpdate.challenges,
                ScpaUpdate.priorities,
                ScpaUpdate.appreciation,
            )
        ).all()
        session.expunge_all()
    for record in records:
        # Weeks from the one of enrolment to the last whose Friday has passed.
        monday = record.enrolled_on - timedelta(days=record.enrolled_on.weekday())
        possible = (TODAY - timedelta(days=4) - monday).days // 7 + 1
        assert all(w.weekday() == 0 and monday <= w <= TODAY for w in weeks[record.id])
        assert 0.6 * possible <= len(weeks[record.id]) <= possible - 2
    assert all(all(row) for row in texts)


# --- integrity, determinism and existing data ----------------------------------------------


def test_database_is_consistent_and_dated_up_to_today(demo_db: Database) -> None:
    with demo_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        latest = conn.exec_driver_sql(
            "SELECT max(d) FROM (SELECT max(occurred_on) AS d FROM evidence"
            " UNION SELECT max(checked_on) FROM goal_checkins"
            " UNION SELECT max(assessed_on) FROM skill_assessments"
            " UNION SELECT max(done_on) FROM action_items"
            " UNION SELECT max(date(started_at)) FROM sessions)"
        ).scalar()
        uids = (
            conn.exec_driver_sql("SELECT uid FROM sessions UNION ALL SELECT uid FROM goals")
            .scalars()
            .all()
        )
    assert date.fromisoformat(latest) <= TODAY
    assert all(re.fullmatch("[0-9a-f]{32}", uid) for uid in uids)
    with demo_db.read() as session:
        last = session.scalar(select(func.max(MentoringSession.started_at)))
        stamps = session.scalar(select(func.max(MentoringSession.updated_at)))
        assert (
            session.scalar(select(Setting.value).where(Setting.key == MENTOR_NAME)) == "Alex Morgan"
        )
    assert last is not None
    assert stamps is not None
    assert TODAY - timedelta(days=7) <= last.date() < TODAY
    assert stamps.date() <= TODAY


def test_same_seed_and_day_give_identical_databases(tmp_path: Path) -> None:
    # The reference data is seeded with random uids and the clock, outside load_demo, so the
    # second and third programs start as copies of the first; everything after that is compared.
    first = open_program(tmp_path / "a")
    try:
        second = fresh_copy(data_paths(tmp_path / "a").database, tmp_path / "b")
        other = fresh_copy(data_paths(tmp_path / "a").database, tmp_path / "c")
        try:
            assert dump(first) == dump(second) == dump(other)  # the seeded starting point
            load_demo(first, today=TODAY, seed=11)
            load_demo(second, today=TODAY, seed=11)
            load_demo(other, today=TODAY, seed=12)
            assert dump(first) == dump(second)
            assert dump(first)["sessions"] != dump(other)["sessions"]
            # Replacing a demo gives what a fresh load gives. Full-text indexes hold the same
            # entries, but FTS5 lays out its segments differently after deletes, so those two
            # shadow tables are checked with FTS5's own integrity check and a search instead.
            load_demo(other, replace=True, today=TODAY, seed=11)
            indexes = fts_tables(other)
            shadows = {f"{name}_{part}" for name in indexes for part in ("data", "idx")}
            assert without(dump(other), shadows) == without(dump(first), shadows)
            for name in indexes:
                assert search(other, name, "review") == search(first, name, "review")
            assert not indexes or any(search(first, name, "review") for name in indexes)
        finally:
            second.dispose()
            other.dispose()
    finally:
        first.dispose()


def test_refuses_existing_data_and_replace_keeps_reference_data(db: Database) -> None:
    assert is_empty(db)
    before = {name: rows for name, rows in dump(db).items() if name in REFERENCE_TABLES}
    with db.write() as session:
        session.add(Mentee(name="Existing <b>& person"))
        session.add(Setting(key=MENTOR_NAME, value="Sam Rivera"))
    assert not is_empty(db)

    with pytest.raises(ConfirmationRequiredError, match="already holds 1 mentee; use --replace"):
        load_demo(db, today=TODAY)
    assert issubclass(ConfirmationRequiredError, UserError)
    assert count(db, Mentee) == 1

    summary = load_demo(db, replace=True, today=TODAY)
    again = load_demo(db, replace=True, today=TODAY, seed=99)
    assert summary.mentees == again.mentees == count(db, Mentee)
    with db.read() as session:
        names = session.scalars(select(Mentee.name)).all()
        assert (
            session.scalar(select(Setting.value).where(Setting.key == MENTOR_NAME)) == "Sam Rivera"
        )
    assert "Existing <b>& person" not in names
    assert len(names) == len(set(names))
    assert {name: rows for name, rows in dump(db).items() if name in REFERENCE_TABLES} == before
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_is_empty_counts_tags_but_not_reference_data(db: Database, demo_db: Database) -> None:
    assert count(db, LmpArea) > 0
    assert count(db, SessionType) > 0
    assert is_empty(db)
    with db.write() as session:
        session.add(Tag(name="follow up"))
    assert not is_empty(db)
    assert not is_empty(demo_db)
    with pytest.raises(ConfirmationRequiredError, match="records of your own"):
        load_demo(db, today=TODAY)


# --- the text files the demo is written from ------------------------------------------------


def test_parse_blocks_reads_heads_keys_items_continuations_and_comments() -> None:
    source = """# a comment before any block
== zoe on_track 12 | Title <b>& 李伟
  continued
key: value with: a colon
  and more
- an item ليلى
# a comment inside a block
plain text 😀
== second
"""
    first, second = demo_content.parse_blocks(source)
    assert first.words == ("zoe", "on_track", "12")
    assert first.title == "Title <b>& 李伟 continued"
    assert first.entries == (
        ("key", "value with: a colon and more"),
        ("item", "an item ليلى"),
        ("text", "plain text 😀"),
    )
    assert (second.words, second.title, second.entries) == (("second",), "", ())
    assert first.need("key") == "value with: a colon and more"
    assert first.number("missing") is None
    with pytest.raises(ValueError, match="'zoe on_track 12' has no 'missing' entry"):
        first.need("missing")


def test_demo_text_files_ship_and_agree_with_each_other(demo_db: Database) -> None:
    assert all(resource_path("demo", name).is_file() for name in ("profiles.txt", "lmp.txt"))
    profiles = {p.key: p for p in demo_content.profiles()}
    themes = demo_content.themes()
    assert len(profiles) == 12
    assert all(set(p.themes) <= set(themes) for p in profiles.values())
    for block in (*demo_content.goal_blocks(), *demo_content.evidence_blocks()):
        assert block.words[0] in profiles, block.title
    for keys in demo_content.MENTEE_TAGS.values():
        assert set(keys) <= set(profiles)
    for keys in demo_content.SESSION_TAGS.values():
        assert set(keys) <= set(themes)
    with demo_db.read() as session:
        codes = set(session.scalars(select(LmpArea.code)))
        skills = set(session.scalars(select(SkillArea.name)))
        recommendations = set(session.scalars(select(LmpRecord.recommendation)))
    assert {code for b in demo_content.evidence_blocks() for code in b.words[3:]} <= codes
    assert {name for p in profiles.values() for name in p.focus} <= skills
    specs = demo_content.lmp_specs()
    assert [s.mentee for s in specs] == ["zoe", "chiamaka"]
    for spec in specs:
        # The Markdown recommendation keeps its paragraphs and line breaks as written.
        assert spec.recommendation.startswith("**Recommendation")
        assert "\n\n**" in spec.recommendation
        assert spec.recommendation.rstrip() in recommendations
    assert demo_content.presented_success().startswith("Presented my LMP case")
