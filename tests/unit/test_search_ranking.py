"""Search ranks before it labels: the order is bm25's, and filters apply before the limit."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from mentor_desk.db import search as fts
from mentor_desk.db.engine import Database
from mentor_desk.db.models import Evidence, Goal, LmpRecord, Mentee, MentoringSession
from mentor_desk.services.program import open_program
from mentor_desk.services.search import MARK_START, search

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WORDS = ["kite", "river", "lantern", "meadow", "copper", "harbor"]


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, dict[str, int]]]:
    """Three mentees with sessions, goals and evidence of varied wording; read-only for the tests.

    "Ada" has many sessions that mention "kite" often; "Bo" has a few that mention it once, in
    long notes, so every one of Bo's sessions ranks below all of Ada's.
    """
    db = open_program(Path(tmp_path_factory.mktemp("ranking")))
    chance = random.Random(7)
    with db.write() as session:
        ada, bo, cy = Mentee(name="Ada Kite"), Mentee(name="Bo"), Mentee(name="Cy")
        session.add_all([ada, bo, cy])
        session.flush()
        for number in range(40):
            filler = " ".join(chance.choice(WORDS) for _ in range(chance.randint(5, 60)))
            session.add(
                MentoringSession(
                    mentee_id=ada.id,
                    started_at=START + timedelta(days=number),
                    title=f"kite {'kite ' * (number % 5)}talk {number}",
                    notes=filler,
                )
            )
        for number in range(4):
            session.add(
                MentoringSession(
                    mentee_id=bo.id,
                    started_at=START + timedelta(days=number),
                    title=f"chat {number}",
                    notes="kite " + "meadow " * (80 + number * 10),
                )
            )
        session.add(Goal(mentee_id=ada.id, title="Fly a kite"))
        session.add(Goal(mentee_id=cy.id, title="Read about kite design", description="kite"))
        for owner in (ada, cy):
            record = LmpRecord(mentee_id=owner.id, enrolled_on=date(2026, 1, 5))
            session.add(record)
            session.flush()
            for number in range(3):
                session.add(
                    Evidence(
                        record_id=record.id,
                        occurred_on=date(2026, 3, 4),
                        title=f"Kite workshop {number}",
                        narrative="kite " * number,
                    )
                )
        ids = {"ada": ada.id, "bo": bo.id, "cy": cy.id}
    yield db, ids
    db.dispose()


def reference(db: Database, kind: str, expression: str, limit: int) -> list[tuple[int, float]]:
    """(rowid, score) of the best ``limit`` matches, straight from FTS5 with plain SQL."""
    index = fts.INDEXES[kind]
    weights = ", ".join(str(weight) for weight in index.weights)
    statement = (
        f"SELECT rowid, bm25({index.name}, {weights}) AS score FROM {index.name} "
        f"WHERE {index.name} MATCH :expression ORDER BY score LIMIT :limit"
    )
    with db.read() as session:
        rows = session.execute(text(statement), {"expression": expression, "limit": limit})
        return [(row[0], row[1]) for row in rows]


@pytest.mark.parametrize("query", ["kite", "kite talk", "meadow", "lan*", "kite meadow"])
@pytest.mark.parametrize("limit", [1, 7, 50])
def test_order_and_scores_are_bm25s(
    program: tuple[Database, dict[str, int]], query: str, limit: int
) -> None:
    db, _ids = program
    expression = fts.match_expression(query)
    assert expression is not None
    for kind in fts.INDEXES:
        with db.read() as session:
            hits = fts.query_index(session, kind, expression, limit=limit)
        expected = reference(db, kind, expression, limit)
        assert [(hit.item_id, hit.score) for hit in hits] == expected, (kind, query)
        assert all(MARK_START in hit.snippet for hit in hits)


def test_hits_carry_their_labels(program: tuple[Database, dict[str, int]]) -> None:
    db, _ids = program
    hits = search(db, "kite", limit=100)
    kinds = {hit.kind for hit in hits}
    assert kinds == {"mentee", "session", "goal", "evidence"}
    owners: dict[str, set[str]] = {kind: set() for kind in kinds}
    for hit in hits:
        owners[hit.kind].add(hit.mentee_name)
        assert hit.title
    assert owners["session"] == {"Ada Kite", "Bo"}
    assert owners["evidence"] == {"Ada Kite", "Cy"}
    session_hit = next(hit for hit in hits if hit.kind == "session")
    assert session_hit.when is not None
    assert session_hit.title.startswith(session_hit.when.isoformat())
    assert [hit.score for hit in hits] == sorted(hit.score for hit in hits)


@pytest.mark.parametrize(
    ("kind", "owner", "count"),
    [("session", "bo", 4), ("session", "ada", 40), ("evidence", "cy", 3), ("goal", "cy", 1)],
)
def test_mentee_filter_applies_before_the_limit(
    program: tuple[Database, dict[str, int]], kind: str, owner: str, count: int
) -> None:
    """Bo's sessions all rank below Ada's: a limit taken before the filter would find none."""
    db, ids = program
    everyone = search(db, "kite", limit=1000, kinds={kind})
    theirs = [hit for hit in everyone if hit.mentee_id == ids[owner]]
    assert len(theirs) == count
    for limit in (1, 2, 1000):
        hits = search(db, "kite", limit=limit, kinds={kind}, mentee_id=ids[owner])
        assert [hit.item_id for hit in hits] == [hit.item_id for hit in theirs[:limit]]


def test_mentee_filter_on_mentees(program: tuple[Database, dict[str, int]]) -> None:
    db, ids = program
    assert [hit.item_id for hit in search(db, "kite", kinds={"mentee"})] == [ids["ada"]]
    assert search(db, "kite", kinds={"mentee"}, mentee_id=ids["bo"]) == []
    hits = search(db, "kite", kinds={"mentee"}, mentee_id=ids["ada"])
    assert [(hit.item_id, hit.mentee_name) for hit in hits] == [(ids["ada"], "Ada Kite")]


def test_statements_are_built_once(program: tuple[Database, dict[str, int]]) -> None:
    db, _ids = program
    search(db, "kite")
    first: dict[str, Any] = {kind: fts._ranked(kind, False) for kind in fts.INDEXES}
    search(db, "river")
    assert all(fts._ranked(kind, False) is first[kind] for kind in fts.INDEXES)
