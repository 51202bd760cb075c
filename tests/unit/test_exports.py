"""The export gate: what the dossier and the packets include, and the proof that privacy holds."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from mentor_desk.db.base import Decision, LmpState, MenteeStatus, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import SessionType, SkillArea
from mentor_desk.errors import NotFoundError
from mentor_desk.services import actions, evidence, feedback, goals, lmp, mentees, sessions, skills
from mentor_desk.services.demo import load_demo
from mentor_desk.services.exports_dossier import dossier_data, dossier_preview
from mentor_desk.services.exports_packet import packet_batch, packet_data, packet_preview
from mentor_desk.services.exports_privacy import Audience, ExportChoices, ItemKind, is_included
from mentor_desk.services.periods import Period, parse_quarter
from mentor_desk.services.program import open_program
from mentor_desk.services.scpa import create_scpa

Q3 = parse_quarter("2026-Q3")
TODAY = date(2026, 11, 21)
HOSTILE = "<b>Zoë</b> & AT&T — 李小龙, محمد 🚀"
PRIVATE = "PRIVATE-MARKER-7f3a"
SHARED = "SHARED-MARKER-2b9c"
LEAD = "LEAD-MARKER-5d1e"
ALL = ExportChoices(include_private=True)


@dataclass
class World:
    """One LMP candidate with an item of every kind at every visibility, in 2026-Q3."""

    mentee_id: int
    record_id: int
    ids: dict[str, int] = field(default_factory=dict)


def _dump(value: Any) -> str:
    """Everything a builder could reach: every field, nested, plus the repr."""
    return repr(dataclasses.asdict(value)) + repr(value)


def _lookup(db: Database, model: Any, name: str) -> int:
    with db.read() as session:
        return session.scalar(select(model.id).where(model.name == name))


def _mentee(db: Database, name: str, **values: Any) -> int:
    return mentees.create_mentee(db, mentees.MenteeInput(name=name, **values)).id


def _session(db: Database, mentee_id: int, when: str, visibility: Visibility, text: str) -> int:
    data = sessions.SessionInput(
        mentee_id=mentee_id,
        started_at=when,
        session_type_id=_lookup(db, SessionType, "One-on-one coaching"),
        title=f"title {text}",
        summary=f"summary {text}",
        notes=f"notes {text}",
        visibility=visibility,
    )
    return sessions.create_session(db, data).id


def _goal(db: Database, mentee_id: int, text: str, visibility: Visibility) -> int:
    data = goals.GoalInput(
        mentee_id, f"goal {text}", description=f"why {text}", visibility=visibility
    )
    return goals.create_goal(db, data).id


def _evidence(
    db: Database, record_id: int, day: str, text: str, vis: Visibility, *areas: str
) -> int:
    data = evidence.EvidenceInput(day, areas, f"evidence {text}", f"story {text}", visibility=vis)
    return evidence.create_evidence(db, record_id, data).id


def _template(
    factory: pytest.TempPathFactory, seeded: Path, fill: Callable[[Database], Any]
) -> Any:
    """Fill a copy of the seeded database once; tests get copies of the result."""
    folder = factory.mktemp("template")
    shutil.copyfile(seeded, folder / seeded.name)
    database = open_program(folder)
    try:
        return folder / seeded.name, fill(database)
    finally:
        database.dispose()  # checkpoints the WAL into the file


@pytest.fixture(scope="module")
def world_template(
    tmp_path_factory: pytest.TempPathFactory, template_database: Path
) -> tuple[Path, World]:
    """The world, built once through the services."""
    return _template(tmp_path_factory, template_database, _build_world)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory, template_database: Path) -> Path:
    path, _summary = _template(tmp_path_factory, template_database, _load_demo)
    return path  # type: ignore[no-any-return]


def _load_demo(db: Database) -> object:
    return load_demo(db, today=TODAY)


@pytest.fixture
def db(
    request: pytest.FixtureRequest,
    data_dir: Path,
    template_database: Path,
    world_template: tuple[Path, World],
    demo_template: Path,
) -> Iterator[Database]:
    """The conftest ``db``, holding the world or the demo when the test asks for it."""
    source = template_database
    if "world" in request.fixturenames:
        source = world_template[0]
    elif "demo" in request.fixturenames:
        source = demo_template
    shutil.copyfile(source, data_dir / template_database.name)
    database = open_program(data_dir)
    yield database
    database.dispose()


@pytest.fixture
def world(world_template: tuple[Path, World]) -> World:
    return world_template[1]


def _build_world(db: Database) -> World:
    mentee_id = _mentee(
        db, HOSTILE, started_on="2026-01-05", notes=f"notes {PRIVATE}", career_aspiration=PRIVATE
    )
    record = lmp.enroll(
        db, mentee_id, sponsor_name="Sam Sponsor", enrolled_on="2026-01-05",
        recommendation=f"{HOSTILE}\n\n**recommended** {LEAD}",
    )  # fmt: skip
    w = World(mentee_id, record.id)
    ids = w.ids
    ids["private_session"] = _session(
        db, mentee_id, "2026-07-06 10:00", Visibility.PRIVATE, PRIVATE
    )
    ids["shared_session"] = _session(
        db, mentee_id, "2026-08-03 10:00", Visibility.SHARED_WITH_MENTEE, SHARED
    )
    item = actions.ActionItemInput(f"do {PRIVATE}", visibility=Visibility.PRIVATE)
    ids["private_action"] = actions.add_action_item(db, ids["private_session"], item).id
    item = actions.ActionItemInput(f"do {SHARED}", due_on="2026-08-10")
    ids["shared_action"] = actions.add_action_item(db, ids["shared_session"], item).id
    actions.set_done(db, ids["shared_action"], True, on="2026-09-30")
    for text, vis, day in ((PRIVATE, Visibility.PRIVATE, "2026-07-10"),
                           (SHARED, Visibility.SHARED_WITH_MENTEE, "2026-08-10")):  # fmt: skip
        data = feedback.FeedbackInput(
            mentee_id, f"saw {text}", f"impact {text}", f"ask {text}", day, visibility=vis
        )
        ids[f"feedback_{vis.value}"] = feedback.create_feedback(db, data).id
    ids["private_goal"] = _goal(db, mentee_id, PRIVATE, Visibility.PRIVATE)
    ids["shared_goal"] = _goal(db, mentee_id, SHARED, Visibility.SHARED_WITH_MENTEE)
    ids["lead_goal"] = _goal(db, mentee_id, LEAD, Visibility.LEADERSHIP)
    for day, progress, comment, vis in (
        ("2026-06-15", 10, "baseline", Visibility.LEADERSHIP),
        ("2026-07-20", 40, f"comment {PRIVATE}", Visibility.PRIVATE),
        ("2026-09-01", 60, f"comment {LEAD}", Visibility.LEADERSHIP),
    ):
        data = goals.CheckinInput(day, progress, comment, visibility=vis)
        ids[f"checkin_{progress}"] = goals.add_checkin(db, ids["lead_goal"], data).id
    testing = _lookup(db, SkillArea, "Testing")
    for day, level, vis in (
        ("2026-06-01", 2, Visibility.LEADERSHIP),
        ("2026-09-15", 7, Visibility.LEADERSHIP),
        ("2026-09-20", 9, Visibility.PRIVATE),
    ):
        data = skills.AssessmentInput(mentee_id, testing, level, day, note=PRIVATE, visibility=vis)
        ids[f"assessment_{level}"] = skills.add_assessment(db, data).id
    ids["private_evidence"] = _evidence(
        db, record.id, "2026-07-15", PRIVATE, Visibility.PRIVATE, "B1"
    )
    ids["shared_evidence"] = _evidence(
        db, record.id, "2026-08-15", SHARED, Visibility.SHARED_WITH_MENTEE, "B1"
    )
    ids["lead_evidence"] = _evidence(
        db, record.id, "2026-09-30", LEAD, Visibility.LEADERSHIP, "B1", "D2"
    )
    return w


def _documents(db: Database, w: World, choices: ExportChoices) -> dict[str, str]:
    period = Period.from_dates("2026-01-05", TODAY)
    return {
        "packet": _dump(packet_data(db, w.mentee_id, Q3, choices, today=TODAY)),
        "packet preview": _dump(packet_preview(db, w.mentee_id, Q3, choices, today=TODAY)),
        "dossier": _dump(dossier_data(db, w.record_id, choices, period=period, today=TODAY)),
        "dossier preview": _dump(dossier_preview(db, w.record_id, choices, today=TODAY)),
    }


# --- the rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audience", "visibility", "expected"),
    [
        (Audience.LEADERSHIP, Visibility.PRIVATE, False),
        (Audience.LEADERSHIP, Visibility.SHARED_WITH_MENTEE, False),
        (Audience.LEADERSHIP, Visibility.LEADERSHIP, True),
        (Audience.MENTEE, Visibility.PRIVATE, False),
        (Audience.MENTEE, Visibility.SHARED_WITH_MENTEE, True),
        (Audience.MENTEE, "leadership", True),
    ],
)
def test_is_included_by_default(audience: Audience, visibility: Visibility, expected: bool) -> None:
    assert is_included(audience, ItemKind.SESSION, 1, visibility, ExportChoices()) is expected
    assert is_included(audience, ItemKind.SESSION, 1, visibility, ALL) is True


def test_include_items_admits_exactly_that_item() -> None:
    choices = ExportChoices().including(ItemKind.EVIDENCE, 4).including("session", 9)
    assert ("evidence", 4) in choices.include_items
    assert is_included(Audience.LEADERSHIP, "evidence", 4, Visibility.PRIVATE, choices)
    assert is_included(Audience.LEADERSHIP, ItemKind.SESSION, 9, Visibility.PRIVATE, choices)
    assert not is_included(Audience.LEADERSHIP, ItemKind.EVIDENCE, 9, Visibility.PRIVATE, choices)
    assert not is_included(Audience.LEADERSHIP, ItemKind.GOAL, 4, Visibility.PRIVATE, choices)


# --- the privacy proof --------------------------------------------------------------------------


def test_nothing_private_reaches_any_document_by_default(db: Database, world: World) -> None:
    for name, text in _documents(db, world, ExportChoices()).items():
        assert PRIVATE not in text, name
    assert SHARED in _documents(db, world, ExportChoices())["packet"]


def test_include_private_brings_everything_in(db: Database, world: World) -> None:
    docs = _documents(db, world, ALL)
    packet, dossier = docs["packet"], docs["dossier"]
    for needle in ("notes", "title", "summary", "do", "saw", "impact", "ask", "goal", "why",
                   "comment", "evidence", "story"):  # fmt: skip
        assert f"{needle} {PRIVATE}" in packet, needle
    for needle in ("notes", "goal", "why", "comment", "evidence", "story"):
        assert f"{needle} {PRIVATE}" in dossier, needle
    # An assessment's note is never exported, whatever the choices.
    assert f"note {PRIVATE}" not in packet + dossier


@pytest.mark.parametrize(
    ("kind", "key", "document", "revealed"),
    [
        ("session", "private_session", "packet", ("notes", "title", "summary")),
        ("action_item", "private_action", "packet", ("do",)),
        ("feedback", "feedback_private", "packet", ("saw", "impact", "ask")),
        ("goal", "private_goal", "packet", ("goal", "why")),
        ("checkin", "checkin_40", "packet", ("comment",)),
        ("evidence", "private_evidence", "packet", ("evidence", "story")),
        ("goal", "private_goal", "dossier", ("goal", "why")),
        ("checkin", "checkin_40", "dossier", ("comment",)),
        ("evidence", "private_evidence", "dossier", ("evidence", "story")),
    ],
)
def test_one_included_item_reveals_only_itself(
    db: Database, world: World, kind: str, key: str, document: str, revealed: tuple[str, ...]
) -> None:
    choices = ExportChoices(include_items=frozenset({(kind, world.ids[key])}))
    text = _documents(db, world, choices)[document]
    shown = {f"{needle} {PRIVATE}" for needle in revealed}
    assert all(needle in text for needle in shown)
    assert text.count(PRIVATE) == sum(text.count(needle) for needle in shown)


def test_mentee_notes_follow_the_mentee(db: Database, world: World) -> None:
    choices = ExportChoices().including(ItemKind.MENTEE, world.mentee_id)
    packet = packet_data(db, world.mentee_id, Q3, choices, today=TODAY)
    assert packet.mentee.notes == f"notes {PRIVATE}"
    assert packet.mentee.aspiration == PRIVATE
    default = packet_data(db, world.mentee_id, Q3, today=TODAY).mentee
    assert (default.notes, default.aspiration, default.learning_style) == (None, None, None)
    assert default.name == HOSTILE


def test_shared_items_reach_the_packet_but_not_the_dossier(db: Database, world: World) -> None:
    docs = _documents(db, world, ExportChoices())
    assert f"summary {SHARED}" in docs["packet"]
    assert f"evidence {SHARED}" in docs["packet"]
    assert f"goal {SHARED}" in docs["packet"]
    assert SHARED not in docs["dossier"]
    assert f"evidence {LEAD}" in docs["dossier"]
    assert f"goal {LEAD}" in docs["dossier"]


def test_preview_lists_what_is_held_back_without_its_text(db: Database, world: World) -> None:
    preview = packet_preview(db, world.mentee_id, Q3, today=TODAY)
    held = {(item.kind, item.id): item for item in preview.held_back}
    ids = world.ids
    expected = {
        ("session", ids["private_session"]), ("action_item", ids["private_action"]),
        ("feedback", ids["feedback_private"]), ("goal", ids["private_goal"]),
        ("checkin", ids["checkin_40"]), ("assessment", ids["assessment_9"]),
        ("evidence", ids["private_evidence"]), ("mentee", world.mentee_id),
    }  # fmt: skip
    assert set(held) == expected
    session = held[("session", ids["private_session"])]
    assert session.label == "Session 2026-07-06 · One-on-one coaching (private)"
    assert session.on == date(2026, 7, 6)
    assert not session.included
    sections = {s.section: (s.included, s.held_back) for s in preview.sections}
    assert sections["Sessions"] == (1, 1)
    assert sections["Feedback"] == (1, 1)
    # Ticking an item moves it from held back to included.
    choices = ExportChoices().including("session", ids["private_session"])
    again = packet_preview(db, world.mentee_id, Q3, choices, today=TODAY)
    assert ("session", ids["private_session"]) not in {(i.kind, i.id) for i in again.held_back}
    assert any(i.included and i.kind == "session" for i in again.choosable)
    assert {s.section: s.included for s in again.sections}["Sessions"] == 2


def test_dossier_preview_holds_back_shared_items(db: Database, world: World) -> None:
    preview = dossier_preview(db, world.record_id, today=TODAY)
    held = {(item.kind, item.id): item.label for item in preview.held_back}
    assert held[("evidence", world.ids["shared_evidence"])] == (
        "Evidence 2026-08-15 · B1 (shared with mentee)"
    )
    assert ("goal", world.ids["shared_goal"]) in held
    assert ("evidence", world.ids["lead_evidence"]) not in held
    assert preview.document == "dossier"
    assert preview.subject == HOSTILE


# --- what the documents say ---------------------------------------------------------------------


def test_private_sessions_count_but_show_only_date_and_type(db: Database, world: World) -> None:
    packet = packet_data(db, world.mentee_id, Q3, today=TODAY)
    private, shared = packet.sessions
    assert (private.held_on, private.session_type, private.duration_minutes) == (
        date(2026, 7, 6), "One-on-one coaching", 60
    )  # fmt: skip
    assert (private.title, private.summary, private.notes) == (None, None, None)
    assert shared.summary == f"summary {SHARED}"
    assert packet.summary.sessions_held == 2
    dossier = dossier_data(db, world.record_id, today=TODAY)
    assert dossier.cadence.sessions_held == 2
    assert dossier.cadence.longest_gap_days == 28
    assert (dossier.cadence.longest_gap_from, dossier.cadence.longest_gap_to) == (
        date(2026, 7, 6), date(2026, 8, 3)
    )  # fmt: skip
    months = {m.month: m.count for m in dossier.cadence.per_month}
    assert months["2026-01"] == 0
    assert months["2026-07"] == 1
    assert months["2026-11"] == 0
    assert dossier.cadence.expected_per_month == 4.3


def test_packet_sections(db: Database, world: World) -> None:
    packet = packet_data(db, world.mentee_id, Q3, today=TODAY)
    assert packet.period == Q3
    assert [a.text for a in packet.actions_opened] == [None, f"do {SHARED}"]
    assert [a.text for a in packet.actions_closed] == [f"do {SHARED}"]
    assert [a.text for a in packet.plan.open_actions] == [None]
    assert [e.title for e in packet.evidence] == [None, f"evidence {SHARED}", f"evidence {LEAD}"]
    assert packet.evidence[2].area_codes == ("B1", "D2")
    assert [f.observation for f in packet.feedback] == [f"saw {SHARED}"]
    lead = next(g for g in packet.goals if g.id == world.ids["lead_goal"])
    assert (lead.progress_at_start, lead.progress_at_end, lead.progress) == (10, 60, 60)
    assert [(p.on, p.progress) for p in lead.points] == [(date(2026, 9, 1), 60)]
    assert packet.summary == dataclasses.replace(
        packet.summary, sessions_held=2, actions_opened=2, actions_closed=1, evidence_added=3
    )
    assert packet.summary.goals_progressed == 1
    (testing,) = packet.skills.rows
    assert (testing.before, testing.after, testing.change) == (2, 7, 5)
    assert packet.skills.before_on == date(2026, 6, 1)
    private = packet_data(db, world.mentee_id, Q3, ALL, today=TODAY)
    assert private.skills.rows[0].after == 9
    assert packet.plan.period.label == "2026-Q4"
    assert packet.plan.next_session_due == date(2026, 8, 10)  # weekly, after the last session
    assert {g.id for g in packet.plan.open_goals} == {
        world.ids["shared_goal"],
        world.ids["lead_goal"],
    }


def test_coverage_counts_only_included_evidence(db: Database, world: World) -> None:
    def counts(choices: ExportChoices) -> dict[str, int]:
        data = dossier_data(db, world.record_id, choices, today=TODAY)
        return {row.code: row.count for row in data.coverage}

    assert counts(ExportChoices())["B1"] == 1
    assert counts(ExportChoices())["B"] == 1
    assert counts(ALL)["B1"] == 3
    one = ExportChoices().including("evidence", world.ids["shared_evidence"])
    assert counts(one)["B1"] == 2
    data = dossier_data(db, world.record_id, today=TODAY)
    gaps = {row.code for row in data.coverage if row.gap}
    assert "B1" not in gaps
    assert "D2" not in gaps
    assert "A" in gaps
    assert [(g.code, [e.title for e in g.entries]) for g in data.evidence] == [
        ("B", [f"evidence {LEAD}"]),
        ("D", [f"evidence {LEAD}"]),
    ]


def test_dossier_cover_history_and_requested_goals(db: Database, world: World) -> None:
    lmp.set_state(db, world.record_id, LmpState.GATHERING_EVIDENCE)
    lmp.set_state(db, world.record_id, LmpState.READY_FOR_REVIEW)
    shown = lmp.record_presentation(
        db, world.record_id, presented_on="2026-10-01", reviewers=["Ana Ávila", "李 Wei"]
    )
    lmp.record_decision(
        db, shown.id, decision=Decision.FURTHER_ACTIONS, decided_on="2026-10-02",
        notes=f"notes {LEAD}", requested_actions=[lmp.RequestedAction("Run a retro")],
    )  # fmt: skip
    data = dossier_data(db, world.record_id, today=TODAY)
    assert data.cover.sponsor == "Sam Sponsor"
    assert data.cover.candidate.name == HOSTILE
    assert data.cover.period == Period.from_dates("2026-01-05", TODAY)
    assert data.recommendation == f"{HOSTILE}\n\n**recommended** {LEAD}"
    (entry,) = data.history
    assert entry.reviewers == ("Ana Ávila", "李 Wei") == data.reviewers
    assert entry.decision_label == "Further actions requested"
    assert entry.decision_notes == f"notes {LEAD}"
    assert entry.requested_goals == ("Run a retro",)
    retro = next(g for g in data.goals if g.title == "Run a retro")
    assert retro.from_request
    assert retro.requested_on == date(2026, 10, 1)
    # A private record keeps its recommendation and decision notes out.
    lmp.update_record(db, world.record_id, visibility=Visibility.PRIVATE)
    hidden = dossier_data(db, world.record_id, today=TODAY)
    assert hidden.recommendation is None
    assert hidden.history[0].decision_notes is None
    assert LEAD not in repr(hidden.history)
    assert hidden.reviewers == data.reviewers


def test_period_boundaries_are_inclusive(db: Database) -> None:
    mentee_id = _mentee(db, "Edge")
    for when in ("2026-06-30 23:59", "2026-07-01 00:00", "2026-09-30 23:59", "2026-10-01 00:00"):
        _session(db, mentee_id, when, Visibility.SHARED_WITH_MENTEE, when)
    packet = packet_data(db, mentee_id, "2026-Q3", today=TODAY)
    assert [s.held_on for s in packet.sessions] == [date(2026, 7, 1), date(2026, 9, 30)]
    record = lmp.enroll(db, mentee_id, sponsor_name="S", enrolled_on="2026-07-01")
    for day in ("2026-06-30", "2026-07-01", "2026-09-30", "2026-10-01"):
        _evidence(db, record.id, day, day, Visibility.LEADERSHIP, "A")
    dossier = dossier_data(db, record.id, period=Q3, today=TODAY)
    assert [e.occurred_on for e in dossier.evidence[0].entries] == [Q3.start, Q3.end]


def test_candidate_without_evidence_has_every_area_a_gap(db: Database) -> None:
    mentee_id = _mentee(db, "New Candidate")
    record = lmp.enroll(db, mentee_id, sponsor_name="S", enrolled_on="2026-11-01")
    data = dossier_data(db, record.id, today=TODAY)
    assert data.evidence == ()
    assert data.history == ()
    assert data.reviewers == ()
    assert all(row.gap != row.optional for row in data.coverage)
    assert sum(row.gap for row in data.coverage) >= 19
    assert data.cadence.sessions_held == 0
    assert data.cadence.average_days_between is None
    assert data.scpa.weeks_with_update == 0
    assert data.skills.rows == ()
    assert data.recommendation == ""


def test_scpa_weeks_count_for_e4(db: Database, world: World) -> None:
    for week in ("2026-08-03", "2026-08-10", "2026-08-24"):
        create_scpa(db, world.record_id, week_of=week, success="ok")
    create_scpa(db, world.record_id, week_of="2026-08-17", success="x", visibility="private")
    data = dossier_data(db, world.record_id, today=TODAY)
    rows = {row.code: row for row in data.coverage}
    assert (rows["E4"].count, rows["E4"].scpa_weeks, rows["E4"].gap) == (3, 3, False)
    assert rows["E"].count == 3
    assert rows["E4"].latest == date(2026, 8, 24)
    assert (data.scpa.weeks_with_update, data.scpa.longest_run) == (3, 2)
    assert dossier_data(db, world.record_id, ALL, today=TODAY).scpa.longest_run == 4


def test_empty_packet_is_valid(db: Database) -> None:
    mentee_id = _mentee(db, "Quiet", started_on="2026-05-01", cadence="monthly")
    packet = packet_data(db, mentee_id, "2026-Q3", today=TODAY)
    assert packet.sessions == ()
    assert packet.goals == ()
    assert packet.evidence == ()
    assert packet.summary == dataclasses.replace(packet.summary, sessions_held=0, actions_opened=0,
                                                 actions_closed=0, goals_progressed=0,
                                                 evidence_added=0)  # fmt: skip
    assert packet.skills.rows == ()
    assert packet.skills.before_on is None
    assert packet.plan.next_session_due == date(2026, 5, 31)
    assert packet.mentee.cadence_label == "Monthly"


def test_batch_defaults_to_active_mentees_by_name(db: Database) -> None:
    for name, status in (("zoë", "active"), ("Ana", "active"), ("Émile", "active"),
                         ("Paused", "paused"), ("Gone", "archived")):  # fmt: skip
        _mentee(db, name, status=status)
    batch = packet_batch(db, "2026-Q3", today=TODAY)
    assert [p.mentee.name for p in batch] == ["Ana", "zoë", "Émile"]
    paused = next(m.id for m in mentees.list_mentees(db, status="paused"))
    (only,) = packet_batch(db, "2026-Q3", [paused], today=TODAY)
    assert only.mentee.status == MenteeStatus.PAUSED
    assert only.plan.next_session_due is None


def test_unknown_ids_are_reported(db: Database) -> None:
    with pytest.raises(NotFoundError):
        packet_data(db, 999, "2026-Q3")
    with pytest.raises(NotFoundError):
        dossier_data(db, 999)


# --- the demo program: consistency and cost -----------------------------------------------------


@contextmanager
def _counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture
def demo(db: Database) -> Database:
    """The demo program (the ``db`` fixture above copies it in when a test asks for ``demo``)."""
    return db


def test_batch_query_count_is_bounded(demo: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = 0
    original = demo.read

    @contextmanager
    def counted_read() -> Iterator[Any]:
        nonlocal reads
        reads += 1
        with original() as session:
            yield session

    monkeypatch.setattr(demo, "read", counted_read)
    with _counting(demo) as one:
        packet_data(demo, 1, "2026-Q4", today=TODAY)
    with _counting(demo) as batch:
        packets = packet_batch(demo, "2026-Q4", today=TODAY)
    assert len(packets) >= 8
    assert reads == 2  # one snapshot per call
    assert len(batch) <= 30
    assert len(batch) <= len(one) + 2  # the count does not grow with the number of mentees


def test_demo_dossier_matches_the_evidence_service(demo: Database) -> None:
    for row in lmp.list_records(demo):
        everything = Period.from_dates("2000-01-01", TODAY)
        with _counting(demo) as statements:
            data = dossier_data(demo, row.id, period=everything, today=TODAY)
        assert len(statements) <= 25
        expected = evidence.coverage(demo, row.id, visibilities=[Visibility.LEADERSHIP])
        assert [(c.code, c.count, c.latest, c.gap) for c in data.coverage] == [
            (c.code, c.count, c.latest, c.gap) for c in expected
        ]
        assert data.cover.author == "Alex Morgan"
        assert data.cadence.sessions_held > 0
        preview = dossier_preview(demo, row.id, today=TODAY)
        assert all(item.label.endswith(")") for item in preview.choosable)


def test_reviewers_on_one_line_are_split_into_names() -> None:
    from mentor_desk.services.exports_dossier import _names

    assert _names("Ana Silva; Bo Chen\nLi Wei") == ("Ana Silva", "Bo Chen", "Li Wei")
    assert _names("  ;\n") == ()
