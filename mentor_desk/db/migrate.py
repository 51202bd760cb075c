"""Bringing a database to the schema this version of the app expects.

An outdated database is first backed up (into the backups folder, named with its old revision),
then upgraded with foreign keys off (Alembic batch mode rebuilds tables, and with foreign keys on
the drop of the old table would cascade-delete child rows). A database written by a newer app is
refused untouched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from mentor_desk.db.engine import Database, translate_errors

if TYPE_CHECKING:
    from mentor_desk.db.crypto import DatabaseKey
from mentor_desk.errors import DatabaseError, NewerDatabaseError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


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
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def current_revision(db: Database) -> str | None:
    with translate_errors(), db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


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
    if before is not None and before not in _known_revisions():
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
    if version is not None and version not in _known_revisions():
        raise _newer_database(version)


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


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
