"""Full-text search: what is found, how it ranks, hostile queries, and keeping the index in sync."""

from __future__ import annotations

import random
import sqlite3
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, text, update

from mentor_desk.db import search as fts
from mentor_desk.db.base import Base
from mentor_desk.db.engine import Database
from mentor_desk.db.migrate import _run_upgrade, alembic_config, upgrade
from mentor_desk.db.models import (
    Evidence,
    Feedback,
    Goal,
    LmpRecord,
    Mentee,
    MentoringSession,
    SessionType,
)
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.paths import DATABASE_NAME
from mentor_desk.services.program import open_program
from mentor_desk.services.search import (
    KINDS,
    MARK_END,
    MARK_START,
    check_search_index,
    mark,
    rebuild_search_index,
    search,
    split_highlights,
)

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A program migrated and seeded once, as the shared ``db`` fixture makes it."""
    folder = tmp_path_factory.mktemp("template")
    database = open_program(folder)
    database.dispose()
    return folder / DATABASE_NAME


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Iterator[Database]:
    """The conftest ``db``, copied from :func:`template`: same file, without migrating per test."""
    path = tmp_path / template.name
    source, target = sqlite3.connect(template), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    database = Database(path)
    yield database
    database.dispose()


def add_mentee(db: Database, name: str = "Ana Lima", **fields: Any) -> int:
    with db.write() as session:
        mentee = Mentee(name=name, **fields)
        session.add(mentee)
        session.flush()
        return mentee.id


def add_item(db: Database, kind: str, mentee_id: int, **fields: Any) -> int:
    """One row of ``kind`` for the mentee, with the required fields filled in."""
    with db.write() as session:
        if kind == "session":
            fields.setdefault("started_at", START)
            row: Any = MentoringSession(mentee_id=mentee_id, **fields)
        elif kind == "feedback":
            row = Feedback(mentee_id=mentee_id, given_on=date(2026, 3, 3), **fields)
        elif kind == "goal":
            fields.setdefault("title", "A goal")
            row = Goal(mentee_id=mentee_id, **fields)
        else:
            record_id = session.scalar(select(LmpRecord.id).where(LmpRecord.mentee_id == mentee_id))
            if record_id is None:
                record = LmpRecord(mentee_id=mentee_id, enrolled_on=date(2026, 1, 5))
                session.add(record)
                session.flush()
                record_id = record.id
            fields.setdefault("title", "An entry")
            row = Evidence(record_id=record_id, occurred_on=date(2026, 3, 4), **fields)
        session.add(row)
        session.flush()
        return int(row.id)


def found(db: Database, query: str, **options: Any) -> list[tuple[str, int]]:
    return [(hit.kind, hit.item_id) for hit in search(db, query, **options)]


# --- what is found ------------------------------------------------------------------------------


def test_every_indexed_column_is_searchable(db: Database) -> None:
    owner = add_mentee(db, "Bea Costa")
    add_item(db, "session", owner, notes="nothing relevant here")
    expected: dict[str, tuple[str, int, int]] = {}
    for index in fts.INDEXES.values():
        for column in index.columns:
            word = f"q{index.kind}{column.replace('_', '')}"  # a word found in this column only
            if index.kind == "mentee":
                item_id = add_mentee(db, **{"name": "Someone", column: f"Someone {word}"})
                expected[word] = ("mentee", item_id, item_id)
            else:
                item_id = add_item(db, index.kind, owner, **{column: f"about the {word} project"})
                expected[word] = (index.kind, item_id, owner)
    assert len(expected) == 16
    for word, hit in expected.items():
        hits = search(db, word)
        assert [(h.kind, h.item_id, h.mentee_id) for h in hits] == [hit], word
        assert f"{MARK_START}{word}{MARK_END}" in hits[0].snippet


def test_session_hit_has_title_snippet_and_mentee(db: Database) -> None:
    mentee_id = add_mentee(db, "Ana Lima")
    with db.read() as session:
        type_id, type_name = session.execute(select(SessionType.id, SessionType.name)).first()
    notes = "We talked about the career ladder and <b>&amp; how to grow into a staff role."
    item_id = add_item(
        db, "session", mentee_id, session_type_id=type_id, title="Ladder", notes=notes
    )
    [hit] = search(db, "ladder")
    assert (hit.kind, hit.item_id, hit.mentee_id, hit.mentee_name) == (
        "session",
        item_id,
        mentee_id,
        "Ana Lima",
    )
    local_day = START.astimezone().date()
    assert hit.title == f"{local_day.isoformat()} · {type_name} · Ladder"
    assert hit.when == local_day
    assert hit.score < 0
    hit = search(db, "grow")[0]
    assert "<b>&amp;" in hit.snippet  # user text comes back unescaped and unchanged
    assert mark(hit.snippet, "[", "]").count("[grow]") == 1


def test_titles_of_the_other_kinds(db: Database) -> None:
    mentee_id = add_mentee(db, "Ana Lima", role="Backend engineer", notes="zephyr")
    add_item(db, "feedback", mentee_id, observation="zephyr")
    add_item(db, "goal", mentee_id, title="Lead the zephyr migration")
    add_item(db, "evidence", mentee_id, title="Ran the zephyr retro")
    titles = {hit.kind: hit.title for hit in search(db, "zephyr")}
    assert titles == {
        "mentee": "Ana Lima · Backend engineer",
        "feedback": "2026-03-03 · Feedback",
        "goal": "Lead the zephyr migration",
        "evidence": "2026-03-04 · Ran the zephyr retro",
    }


def test_mentee_found_by_name_and_diacritics_are_ignored(db: Database) -> None:
    zoe = add_mentee(db, "Zoë Müller")
    add_mentee(db, "Zoltan Kiss")
    assert found(db, "zoe") == [("mentee", zoe)]
    assert found(db, "ZOË mueller") == []  # "ü" folds to "u", not "ue"
    assert found(db, "Muller") == [("mentee", zoe)]
    assert search(db, "zoe")[0].snippet == f"{MARK_START}Zoë{MARK_END} Müller"


def test_chinese_runs_match_whole_or_by_their_start(db: Database) -> None:
    """A run of CJK characters is one token: found whole or from its start, not from its middle."""
    li = add_mentee(db, "李明")
    session_id = add_item(db, "session", li, notes="导师笔记很好，下次讨论架构。")
    assert found(db, "李明") == [("mentee", li)]
    assert found(db, "李") == [("mentee", li)]
    assert found(db, "导师笔记很好") == [("session", session_id)]
    assert found(db, "导师") == [("session", session_id)]
    assert found(db, "下次") == [("session", session_id)]
    assert found(db, "笔记") == []  # the middle of a run is not a token
    assert f"{MARK_START}导师笔记很好{MARK_END}" in search(db, "导师")[0].snippet


def test_prefix_query(db: Database) -> None:
    mentee_id = add_mentee(db)
    first = add_item(db, "session", mentee_id, notes="Architecture review of the payment service")
    second = add_item(db, "goal", mentee_id, title="Become an architect")
    third = add_item(db, "session", mentee_id, notes="Arch rivals and monarchs")
    assert set(found(db, "arch*")) == {("session", first), ("goal", second), ("session", third)}
    assert set(found(db, "archi*")) == {("session", first), ("goal", second)}
    assert found(db, "archi") == []


def test_all_words_must_match(db: Database) -> None:
    mentee_id = add_mentee(db)
    both = add_item(db, "session", mentee_id, notes="testing strategy for the api")
    add_item(db, "session", mentee_id, notes="testing only")
    assert found(db, "testing api") == [("session", both)]


def test_more_occurrences_rank_higher(db: Database) -> None:
    mentee_id = add_mentee(db)
    once = add_item(db, "session", mentee_id, notes="delegation one two three four five")
    thrice = add_item(db, "session", mentee_id, notes="delegation and delegation and delegation")
    assert found(db, "delegation") == [("session", thrice), ("session", once)]
    scores = [hit.score for hit in search(db, "delegation")]
    assert scores == sorted(scores)


def test_hits_of_all_kinds_merge_by_score_and_respect_limit(db: Database) -> None:
    mentee_id = add_mentee(db, "Kai Sun", notes="kanban")
    for count in range(1, 6):
        add_item(db, "session", mentee_id, notes="kanban " * count + "filler words here")
        add_item(db, "goal", mentee_id, title="t", description="kanban " * count)
    hits = search(db, "kanban")
    assert len(hits) == 11
    assert [hit.score for hit in hits] == sorted(hit.score for hit in hits)
    assert {hit.kind for hit in hits} == {"mentee", "session", "goal"}
    assert search(db, "kanban", limit=3) == hits[:3]


def test_filters_by_kind_and_mentee(db: Database) -> None:
    ana = add_mentee(db, "Ana")
    bo = add_mentee(db, "Bo")
    ana_session = add_item(db, "session", ana, notes="roadmap")
    add_item(db, "session", bo, notes="roadmap")
    ana_goal = add_item(db, "goal", ana, title="roadmap")
    assert found(db, "roadmap", mentee_id=ana, kinds={"session"}) == [("session", ana_session)]
    assert set(found(db, "roadmap", mentee_id=ana)) == {
        ("session", ana_session),
        ("goal", ana_goal),
    }
    assert found(db, "roadmap", kinds=set()) == []


def test_bad_arguments_are_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="not a kind") as error:
        search(db, "x", kinds={"session", "notes"})
    assert error.value.field == "kinds"
    with pytest.raises(ValidationError) as error:
        search(db, "x", limit=0)
    assert error.value.field == "limit"
    with pytest.raises(ValidationError) as error:
        search(db, None)  # type: ignore[arg-type]
    assert error.value.field == "query"
    with pytest.raises(NotFoundError, match="no mentee with id 999"):
        search(db, "x", mentee_id=999)


# --- keeping the index in sync ------------------------------------------------------------------


def test_update_and_delete_keep_the_index_in_sync(db: Database) -> None:
    mentee_id = add_mentee(db)
    item_id = add_item(db, "session", mentee_id, notes="talked about hiring")
    with db.write() as session:
        session.get(MentoringSession, item_id).notes = "talked about onboarding"
    assert found(db, "hiring") == []
    assert found(db, "onboarding") == [("session", item_id)]
    with db.write() as session:  # an update of other columns leaves the index alone
        session.execute(update(MentoringSession).values(duration_minutes=30))
    assert found(db, "onboarding") == [("session", item_id)]
    with db.write() as session:
        session.delete(session.get(MentoringSession, item_id))
    assert found(db, "onboarding") == []
    assert check_search_index(db) == []


def test_deleting_a_mentee_removes_their_cascaded_rows(db: Database) -> None:
    mentee_id = add_mentee(db, "Gone Soon", notes="walrus")
    for kind, column in (
        ("session", "notes"),
        ("feedback", "request"),
        ("goal", "description"),
        ("evidence", "narrative"),
    ):
        add_item(db, kind, mentee_id, **{column: "walrus"})
    assert len(found(db, "walrus")) == 5
    with db.write() as session:
        session.execute(delete(Mentee).where(Mentee.id == mentee_id))
    assert found(db, "walrus") == []
    assert check_search_index(db) == []


def test_index_stays_sound_after_many_edits(db: Database) -> None:
    rng = random.Random(7)
    words = ["alpha", "beta", "gamma", "Zoë", "李明", "<b>&", "delta", "epsilon"]
    mentee_id = add_mentee(db)
    ids: list[int] = []
    for step in range(200):
        with db.write() as session:
            action = rng.random()
            if action < 0.5 or not ids:
                row = MentoringSession(
                    mentee_id=mentee_id, started_at=START, notes=" ".join(rng.choices(words, k=8))
                )
                session.add(row)
                session.flush()
                ids.append(row.id)
            elif action < 0.85:
                target = session.get(MentoringSession, rng.choice(ids))
                target.notes = " ".join(rng.choices(words, k=rng.randint(0, 12)))
                target.title = f"edit {step}"
            else:
                session.delete(session.get(MentoringSession, ids.pop(rng.randrange(len(ids)))))
    assert check_search_index(db) == []
    with db.read() as session:
        expected = {
            row_id
            for row_id, notes in session.execute(
                select(MentoringSession.id, MentoringSession.notes)
            )
            if "gamma" in notes
        }
    assert {item for kind, item in found(db, "gamma", limit=1000)} == expected


def test_check_finds_a_stale_index_and_rebuild_repairs_it(db: Database) -> None:
    mentee_id = add_mentee(db)
    goal_id = add_item(db, "goal", mentee_id, title="old words")
    with db.write() as session:
        session.execute(text("DROP TRIGGER goals_fts_au"))
        session.execute(update(Goal).values(title="new words"))
    assert check_search_index(db) == ["goal"]
    rebuild_search_index(db)
    assert check_search_index(db) == []
    assert found(db, "new") == [("goal", goal_id)]
    assert found(db, "old") == []


def test_indexes_match_the_migration(db: Database) -> None:
    with db.read() as session:
        for index in fts.INDEXES.values():
            columns = tuple(
                row[1] for row in session.execute(text(f"PRAGMA table_info({index.name})"))
            )
            assert columns == index.columns
            assert len(index.weights) == len(index.columns)
            triggers = session.scalars(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                {"t": index.source},
            ).all()
            assert sorted(triggers) == [f"{index.name}_{s}" for s in ("ad", "ai", "au")]
    assert set(fts.INDEXES) == set(KINDS)


def test_search_tables_can_be_left_out_of_schema_comparison(db: Database) -> None:
    def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
        return not (type_ == "table" and fts.is_search_table(name))

    with db.engine.connect() as conn:
        names = conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'table'")).all()
        context = MigrationContext.configure(
            conn, opts={"compare_type": False, "include_name": include_name}
        )
        assert compare_metadata(context, Base.metadata) == []
    assert {name for name in names if fts.is_search_table(name)} == {
        f"{index.name}{suffix}"
        for index in fts.INDEXES.values()
        for suffix in ("", "_data", "_idx", "_docsize", "_config")
    }
    assert not any(fts.is_search_table(name) for name in Base.metadata.tables)


def test_migration_indexes_rows_that_existed_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database(path)
    _run_upgrade(old, "0001")
    with old.read() as session:
        assert (
            session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name LIKE '%fts%'")) == 0
        )
    old.dispose()
    old = Database(path)
    mentee_id = add_mentee(old, "Zoë Old")
    session_id = add_item(old, "session", mentee_id, notes="legacy notes about mentoring")
    evidence_id = add_item(old, "evidence", mentee_id, narrative="legacy evidence")
    old.dispose()

    db = Database(path)
    try:
        assert upgrade(db).before == "0001"
        assert found(db, "zoe") == [("mentee", mentee_id)]
        assert set(found(db, "legacy")) == {("session", session_id), ("evidence", evidence_id)}
        assert check_search_index(db) == []
    finally:
        db.dispose()


def test_downgrade_drops_the_indexes_and_upgrade_restores_them(db: Database) -> None:
    mentee_id = add_mentee(db, notes="phoenix")
    config = alembic_config()
    with db.engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
        conn.commit()
        leftovers = conn.execute(
            text("SELECT name FROM sqlite_master WHERE name LIKE '%fts%'")
        ).all()
    assert leftovers == []
    add_item(db, "session", mentee_id, notes="phoenix rising")  # no trigger to fail now
    upgrade(db)
    assert len(found(db, "phoenix")) == 2


# --- hostile queries ----------------------------------------------------------------------------

# Queries that break or strain a raw MATCH (syntax errors, NUL, huge input); none may raise.
# fmt: off
HOSTILE = [
    '"', "'", 'a"b', "-x", "+", "AND", "OR NOT", "(", ")", "a:b", "*", "NEAR(", "^", "", "   \t\n ",
    "x" * 10_000, "word " * 2_000, "a\x00b", "\ud800", "title:secret", "NEAR(a b, 2)", "{a b}: c",
    '"unterminated', "**", "a*b*",
]
# fmt: on


@pytest.fixture(scope="module")
def rock_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, int]]:
    """One program, shared by the read-only tests below, with one mentee's notes to find."""
    database = open_program(tmp_path_factory.mktemp("rock"))
    mentee_id = add_mentee(database, "Rocky", notes="rock and roll, or not; a b c x")
    yield database, mentee_id
    database.dispose()


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_do_not_raise(rock_db: tuple[Database, int], query: str) -> None:
    db, mentee_id = rock_db
    hits = search(db, query)
    assert all(hit.mentee_id == mentee_id for hit in hits)
    if fts.match_expression(query) is None:
        assert hits == []


@pytest.mark.parametrize(
    ("query", "hit"),
    [
        *[("AND", True), ("OR NOT", True), ("-roll", True), ("+rock", True), ("a:b", True)],
        *[("(", False), ('"', False), ("*", False), ("^", False), ("-", False), ("", False)],
    ],
)
def test_operators_are_plain_words_and_punctuation_finds_nothing(
    rock_db: tuple[Database, int], query: str, hit: bool
) -> None:
    assert bool(search(rock_db[0], query)) is hit


def test_match_expression_quotes_every_term() -> None:
    assert fts.match_expression('say "hi" arch* NOT') == '"say" AND """hi""" AND "arch"* AND "NOT"'
    assert fts.match_expression("- + ( ) * ^ :") is None
    assert fts.match_expression("导师") == '"导师"*'
    assert fts.match_expression("李明, a\x00b") == '"李明,"* AND "ab"'
    assert fts.match_expression(" ".join(["w"] * 100)).count("AND") == fts.MAX_QUERY_TERMS - 1


@settings(max_examples=60, deadline=None)
@given(query=st.text(max_size=60))
def test_any_text_query_is_safe(rock_db: tuple[Database, int], query: str) -> None:
    hits = search(rock_db[0], query)
    assert all(hit.mentee_id == rock_db[1] for hit in hits)


@settings(max_examples=200, deadline=None)
@given(query=st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_match_expression_is_valid_fts5(query: str) -> None:
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(
            "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
        )
        # Stored text is NFC without control characters (the validators see to that).
        stored = "".join(ch for ch in unicodedata.normalize("NFC", query) if ch.isprintable())
        connection.execute("INSERT INTO t VALUES (?)", (stored,))
        expression = fts.match_expression(stored)
        if expression is not None:  # every word of a text finds that text
            found = connection.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,))
            assert found.fetchone() == (1,)
    finally:
        connection.close()


# --- snippet helpers ----------------------------------------------------------------------------


def test_split_and_mark_highlights() -> None:
    snippet = f"…the {MARK_START}Zoë{MARK_END} <b>& {MARK_START}x{MARK_END}"
    assert split_highlights(snippet) == [
        ("…the ", False),
        ("Zoë", True),
        (" <b>& ", False),
        ("x", True),
    ]
    assert mark(snippet, "[", "]") == "…the [Zoë] <b>& [x]"
    assert split_highlights("") == []
    assert split_highlights("plain") == [("plain", False)]
