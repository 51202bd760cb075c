"""Backups as the window and the CLI see them: list, back up now, restore a program.

The work is done by :mod:`mentor_desk.db.backup`; this module gives it to the upper layers (the
window may not import ``mentor_desk.db``) in terms of an open :class:`Database`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mentor_desk.db.backup import (
    BackupInfo,
    Clock,
    automatic_backup,
    backup_folder,
    list_backups,
    restore,
    validate_backup,
)
from mentor_desk.db.engine import Database, secure_database_file
from mentor_desk.errors import UserError

__all__ = [
    "BackupInfo",
    "BackupResult",
    "RestoreResult",
    "back_up",
    "backup_before",
    "program_backups",
    "restore_program",
    "validate_backup",
]


@dataclass(frozen=True, slots=True)
class BackupResult:
    """What :func:`back_up` did: the backup holding the current state, and whether it is new."""

    backup: BackupInfo
    new: bool


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What :func:`restore_program` did.

    Attributes:
        restored: the file that is now the database.
        saved: where the state before the restore is kept (None: there was no database).
    """

    restored: Path
    saved: BackupInfo | None


def program_backups(db: Database) -> list[BackupInfo]:
    """The backups of the program in ``db``, newest first (none for an in-memory program)."""
    return [] if db.path is None else list_backups(backup_folder(db.path))


def backup_before(db: Database, reason: str, *, clock: Clock = datetime.now) -> None:
    """The automatic backup before a risky change; skipped in memory and when nothing changed.

    Raises:
        DatabaseError: no backup could be made; the caller must not go ahead with the change.
    """
    automatic_backup(db, reason=reason, clock=clock)


def back_up(
    db: Database,
    *,
    reason: str = "manual",
    copy_to: Path | None = None,
    clock: Clock = datetime.now,
) -> BackupResult:
    """Back up now; with ``copy_to`` also write a copy of the backup there.

    Raises:
        UserError: the program is in memory, or the backup or the copy could not be written.
    """
    if db.path is None:
        raise UserError("This program is not stored in a file, so there is nothing to back up.")
    made = automatic_backup(db, reason=reason, clock=clock)
    backup = made if made is not None else program_backups(db)[0]
    if copy_to is not None:
        try:
            shutil.copyfile(backup.path, copy_to)
        except OSError as exc:
            raise UserError(f"Could not write {copy_to}: {exc.strerror or exc}.") from exc
    return BackupResult(backup, made is not None)


def restore_program(
    db: Database, backup_path: Path, *, clock: Clock = datetime.now
) -> RestoreResult:
    """Replace the program in ``db`` with a backup, saving the current state first.

    ``db`` stays usable: its connections are closed before the file is replaced and reopen on
    the restored file, which is brought to the current schema (an older backup is upgraded,
    with its own before-upgrade backup).

    Raises:
        UserError: the file is not a Mentor Desk database this version can open (the current
            database is then untouched), or the program is in memory.
    """
    from mentor_desk.db.migrate import upgrade  # Alembic only when restoring

    if db.path is None:
        raise UserError("This program is not stored in a file, so it cannot be restored.")
    db.dispose()
    saved = restore(db.path, backup_path, clock=clock, key=db.key)
    upgrade(db)
    secure_database_file(db.path)
    return RestoreResult(db.path, saved)
