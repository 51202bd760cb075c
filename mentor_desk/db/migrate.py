"""Bringing a database to the schema this version of the app expects.

An outdated database is first backed up (into the backups folder, named with its old revision),
then upgraded with foreign keys off (Alembic batch mode rebuilds tables, and with foreign keys on
the drop of the old table would cascade-delete child rows). A database written by a newer app is
refused untouched.

Alembic (about half a second of imports) is loaded only when the schema really changes: the
common start-up, a database already at the newest revision, is recognised by reading
``alembic_version`` with plain SQL and the revision ids from the migration files' text
(:func:`head_revision`, :func:`known_revisions`; tests prove they agree with Alembic's).
"""

from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from mentor_desk.db.engine import Database, translate_errors
from mentor_desk.errors import DatabaseError, NewerDatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

    from mentor_desk.db.crypto import DatabaseKey

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
# ``revision: str = "0003"`` and ``down_revision: ... = "0002"`` (or None) in a migration file.
_REVISION_LINE = re.compile(
    r"^(down_revision|revision)\s*(?::[^=\n]*)?=\s*(?:[\"']([^\"'\n]+)[\"']|None)\s*$", re.M
)


@dataclass(frozen=True, slots=True)
class MigrationResult:
    """What :func:`upgrade` did: the revisions before and after, and the backup it made."""

    before: str | None
    after: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@functools.cache
def _revision_graph() -> dict[str, str | None]:
    """Each shipped revision and the one it revises, read from the migration files' text.

    What Alembic would find, without importing it: every ``versions/*.py`` (Alembic's own
    ``sourceless`` option is off, so these are the files it reads) declares ``revision`` and
    ``down_revision`` as plain string literals (``tests/unit/test_migrate_fast.py`` checks it).
    """
    graph: dict[str, str | None] = {}
    for script in sorted(VERSIONS_DIR.glob("*.py")):
        found = dict(
            (name, value or None)
            for name, value in _REVISION_LINE.findall(script.read_text(encoding="utf-8"))
        )
        if "revision" in found and found["revision"] is not None:
            graph[found["revision"]] = found.get("down_revision")
    return graph


def known_revisions() -> frozenset[str]:
    """Every schema revision this version of the app knows (can upgrade from)."""
    return frozenset(_revision_graph())


def head_revision() -> str:
    """The newest schema revision: the one no other revision revises."""
    graph = _revision_graph()
    heads = set(graph) - {down for down in graph.values() if down is not None}
    if len(heads) == 1:
        return heads.pop()
    # A layout the text reading does not follow (a merge revision): ask Alembic itself.
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def current_revision(db: Database) -> str | None:
    """The revision stored in the database (None: it has no ``alembic_version`` table yet)."""
    with translate_errors(), db.engine.connect() as conn:
        has_table = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if has_table is None:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(db: Database, *, backup: bool = True) -> MigrationResult:
    """Upgrade ``db`` to the newest schema, backing it up first when it holds data.

    Raises:
        NewerDatabaseError: the database comes from a newer Mentor Desk (left untouched).
        DatabaseError: the file is not a Mentor Desk database, or is damaged.
    """
    before = current_revision(db)
    head = head_revision()
    if before == head:
        return MigrationResult(before, head, None)
    if before is not None and before not in known_revisions():
        raise _newer_database(before)
    if before is None and _has_foreign_tables(db):
        raise _foreign_database()
    copy = backup_before_upgrade(db, before) if backup and before is not None else None
    _run_upgrade(db, head)
    return MigrationResult(before, head, copy)


def backup_before_upgrade(db: Database, revision: str) -> Path | None:
    """Back up the database into its backups folder (reason ``before-upgrade-<revision>``).

    Returns the backup holding the state before the upgrade: the new one, or the newest existing
    one when the database is identical to it.
    """
    from mentor_desk.db.backup import automatic_backup, backup_folder, list_backups

    if db.path is None:
        return None
    made = automatic_backup(db, reason=f"before-upgrade-{revision}")
    return made.path if made is not None else list_backups(backup_folder(db.path))[0].path


SQLITE_HEADER = b"SQLite format 3\x00"


def preflight(path: Path, key: DatabaseKey | None = None) -> None:
    """Look at an existing file read-only and refuse it before anything writes to it.

    Connecting through the engine switches the file to WAL mode, which rewrites its header; a file
    that is damaged, foreign or from a newer app must be left exactly as it was.

    Raises:
        DatabaseError: not an SQLite file, or an SQLite file that is not Mentor Desk's.
        NewerDatabaseError: a Mentor Desk database from a newer version.
    """
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        from mentor_desk.db import crypto

        if not crypto.is_encrypted(path):
            raise DatabaseError(
                f"{path} is damaged or is not a Mentor Desk database. Run `mentor-desk check`, "
                "then restore the newest backup with `mentor-desk restore`; the file was not "
                "changed."
            )
        if key is None:
            raise crypto.PassphraseRequiredError()
        crypto.check_key(path, key)
    try:
        if key is not None:
            from mentor_desk.db import crypto

            con = crypto.connect(path, key, readonly=True)
        else:
            con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
            version = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                version = row[0] if row else None
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"{path} is damaged ({exc}). Run `mentor-desk check`, then restore the newest backup "
            "with `mentor-desk restore`; the file was not changed."
        ) from exc
    if version is None and tables:
        raise _foreign_database()
    if version is not None and version not in known_revisions():
        raise _newer_database(version)


def _newer_database(version: str) -> NewerDatabaseError:
    return NewerDatabaseError(
        f"This database was written by a newer version of Mentor Desk (schema {version}). "
        "Install the newer version to open it; the file was not changed."
    )


def _foreign_database() -> DatabaseError:
    return DatabaseError(
        "This file is an SQLite database, but not one of Mentor Desk's. Choose another data "
        "folder; the file was not changed."
    )


def _has_foreign_tables(db: Database) -> bool:
    with translate_errors():
        return bool(inspect(db.engine).get_table_names())


def _run_upgrade(db: Database, target: str) -> None:
    from alembic import command

    config = alembic_config()
    with translate_errors(), db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        # Must be set outside any transaction, or SQLite ignores it.
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            config.attributes["connection"] = conn
            command.upgrade(config, target)
            conn.commit()
            problems = raw.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise DatabaseError(
                    f"The upgrade left {len(problems)} broken references. Restore the backup made "
                    "before the upgrade (`mentor-desk backups`) and report this bug."
                )
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
