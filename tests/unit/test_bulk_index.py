"""Bulk imports index once at the end instead of row by row, and lose nothing on failure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, text

from mentor_desk.db.engine import Database
from mentor_desk.db.models import Mentee
from mentor_desk.paths import data_paths
from mentor_desk.services.bulk_index import index_after, worth_deferring
from mentor_desk.services.demo import load_demo
from mentor_desk.services.interchange import export_data, import_data
from mentor_desk.services.program import open_program
from mentor_desk.services.search import check_search_index, search


def _triggers(db: Database) -> list[tuple[str, str]]:
    with db.read() as session:
        found = session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        )
        return [(name, sql) for name, sql in found]


@pytest.fixture
def demo_data(db: Database) -> dict[str, Any]:
    load_demo(db)
    return export_data(db)


def test_importing_a_program_into_an_empty_one_indexes_every_row(
    demo_data: dict[str, Any], tmp_path: Path
) -> None:
    target = open_program(data_paths(tmp_path / "empty"))
    try:
        before = _triggers(target)
        summary = import_data(target, demo_data)
        assert summary.counts["sessions"].created == len(demo_data["sessions"]) > 300
        # The triggers are back exactly as they were, and the index holds every imported row.
        assert _triggers(target) == before
        assert check_search_index(target) == []
        word = demo_data["sessions"][0]["notes"].split()[-1].strip(".,;:!?*#")
        assert search(target, word)
        with target.write() as session:  # a row added after the import is indexed as usual
            session.execute(insert(Mentee).values(name="Quillon Farrowby", uid="q" * 32))
        assert [hit.title for hit in search(target, "Farrowby")] == ["Quillon Farrowby"]
    finally:
        target.dispose()


def test_a_failure_inside_rolls_back_the_triggers_with_the_rows(db: Database) -> None:
    before = _triggers(db)

    def fail_half_way() -> None:
        with db.write() as session, index_after(session, "mentees"):
            session.execute(insert(Mentee).values(name="Never Kept", uid="n" * 32))
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        fail_half_way()
    assert _triggers(db) == before
    assert check_search_index(db) == []
    assert not search(db, "Never Kept")


@pytest.mark.parametrize(
    ("new_rows", "existing", "expected"),
    [(10, 0, False), (600, 0, True), (600, 600, False), (2000, 1000, True)],
)
def test_deferring_only_pays_when_new_rows_outnumber_the_old(
    db: Database,
    new_rows: int,
    existing: int,
    expected: bool,
    make_rows: Callable[[Database, int], None],
) -> None:
    make_rows(db, existing)
    with db.read() as session:
        assert worth_deferring(session, "mentees", new_rows) is expected


@pytest.fixture
def make_rows() -> Callable[[Database, int], None]:
    def make(db: Database, count: int) -> None:
        if count:
            rows = [{"name": f"Person {n}", "uid": f"{n:032x}"} for n in range(count)]
            with db.write() as session:
                session.execute(insert(Mentee), rows)

    return make
