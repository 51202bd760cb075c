"""Alembic owns the schema: creating it, upgrading with a backup, refusing newer databases."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from mentor_desk.db.base import Base
from mentor_desk.db.engine import Database, open_database
from mentor_desk.db.migrate import _run_upgrade, current_revision, head_revision, upgrade
from mentor_desk.db.models import Goal, GoalCheckin, Mentee, Milestone
from mentor_desk.db.search import is_search_table
from mentor_desk.errors import DatabaseError, NewerDatabaseError


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_empty_database_is_created_at_head(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite3")
    try:
        assert current_revision(db) == head_revision()
        tables = set(inspect(db.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
    finally:
        db.dispose()


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.sqlite3")
    try:
        with db.engine.connect() as conn:
            opts = {
                "compare_type": False,
                "include_name": lambda name, type_, _p: (
                    not (type_ == "table" and is_search_table(name))
                ),
            }
            context = MigrationContext.configure(conn, opts=opts)
            assert compare_metadata(context, Base.metadata) == []
    finally:
        db.dispose()


def test_up_to_date_database_is_not_backed_up_again(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    open_database(path).dispose()
    db = Database(path)
    try:
        result = upgrade(db)
    finally:
        db.dispose()
    assert not result.changed
    assert result.backup is None
    assert list(tmp_path.glob("*.bak")) == []


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    open_database(path).dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'f00d_from_the_future'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = _digest(path)
    with pytest.raises(NewerDatabaseError, match="newer version of Mentor Desk"):
        open_database(path)
    assert _digest(path) == before


def test_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    before = _digest(path)
    with pytest.raises(DatabaseError, match="not one of Mentor Desk's"):
        open_database(path)
    assert _digest(path) == before


def test_outdated_database_is_backed_up_and_upgraded_keeping_child_rows(tmp_path: Path) -> None:
    """An old database is copied (named with its revision), upgraded, and loses no rows.

    The child rows matter: a batch migration that rebuilds a parent table with foreign keys on
    would cascade-delete them.
    """
    assert head_revision() != "0001", "needs at least one migration after the first"
    path = tmp_path / "old.sqlite3"
    db = Database(path)
    _run_upgrade(db, "0001")
    with db.write() as session:
        mentee = Mentee(name="Zoë")
        session.add(mentee)
        session.flush()
        goal = Goal(mentee_id=mentee.id, title="Ship it")
        session.add(goal)
        session.flush()
        session.add(Milestone(goal_id=goal.id, title="First step"))
        session.add(GoalCheckin(goal_id=goal.id, checked_on=mentee.created_at.date(), progress=5))
    db.dispose()

    db = Database(path)
    try:
        result = upgrade(db)
        assert result.before == "0001"
        assert result.after == head_revision()
        assert result.backup is not None
        assert result.backup.parent == tmp_path / "backups"
        assert result.backup.name.endswith("-before-upgrade-0001.sqlite3")
        assert result.backup.stat().st_mode & 0o777 == 0o600
        with db.read() as session:
            assert session.scalar(select(Mentee.name)) == "Zoë"
            assert session.scalar(select(func.count()).select_from(Milestone)) == 1
            assert session.scalar(select(func.count()).select_from(GoalCheckin)) == 1
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.dispose()

    backup = sqlite3.connect(result.backup)
    try:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert backup.execute("SELECT name FROM mentees").fetchone() == ("Zoë",)
    finally:
        backup.close()


def _milestone_indexes(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return {index["name"] for index in inspect(conn).get_indexes("milestones")}


def test_milestone_done_index_upgrades_and_downgrades(tmp_path: Path) -> None:
    """0004 adds the goal list's (goal_id, done) index to a 0003 database and takes it away."""
    from alembic import command

    from mentor_desk.db.migrate import alembic_config

    db = Database(tmp_path / "p.sqlite3")
    try:
        _run_upgrade(db, "0003")
        assert "ix_milestones_goal_done" not in _milestone_indexes(db)
        _run_upgrade(db, "0004")
        assert "ix_milestones_goal_done" in _milestone_indexes(db)
        with db.engine.connect() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0003")
            conn.commit()
        assert "ix_milestones_goal_done" not in _milestone_indexes(db)
        assert current_revision(db) == "0003"
    finally:
        db.dispose()
