"""Backups as the window and the CLI see them: list, back up now, restore a program.

The work is done by :mod:`mentor_desk.db.backup`; this module gives it to the upper layers (the
window may not import ``mentor_desk.db``) in terms of an open :class:`Database`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mentor_desk.db import crypto
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
from mentor_desk.paths import DataPaths

__all__ = [
    "BackupInfo",
    "BackupResult",
    "RestoreResult",
    "back_up",
    "backup_before",
    "backup_is_encrypted",
    "check_backup",
    "program_backups",
    "restore_into_empty",
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
        converted: a sentence for the user when the backup's encryption differed from the
            program's and the restored copy was converted to the program's (None otherwise).
    """

    restored: Path
    saved: BackupInfo | None
    converted: str | None = None


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


def backup_is_encrypted(backup_path: Path) -> bool:
    """True when the file is no plain SQLite file: an encrypted backup, or no database at all."""
    return crypto.looks_encrypted(backup_path)


def check_backup(paths: DataPaths, backup_path: Path, passphrase: str | None = None) -> None:
    """Validate a backup of the program in ``paths`` without opening the program.

    ``passphrase`` is the program's when it is encrypted, else the backup's own (if it has one).

    Raises:
        UserError: the file is not a usable Mentor Desk backup, the passphrase does not open the
            program or the backup, or the backup is encrypted and no passphrase was given.
    """
    current = None
    if crypto.is_encrypted(paths.database):
        if passphrase is None:
            raise crypto.PassphraseRequiredError()
        current = crypto.unlock(paths.database, passphrase)
    key = crypto.key_for_backup(backup_path, paths.database, passphrase, current)
    validate_backup(backup_path, key)


def restore_program(
    db: Database,
    backup_path: Path,
    *,
    passphrase: str | None = None,
    clock: Clock = datetime.now,
) -> RestoreResult:
    """Replace the program in ``db`` with a backup, saving the current state first.

    ``db`` stays usable: its connections are closed before the file is replaced and reopen on
    the restored file, which is brought to the current schema (an older backup is upgraded,
    with its own before-upgrade backup). The program keeps its encryption state: a plain backup
    is encrypted with the program's key, an encrypted one is decrypted into a plain program
    (``RestoreResult.converted`` says so). An encrypted backup made with the program's key needs
    no ``passphrase``; any other needs its own.

    Raises:
        UserError: the file is not a Mentor Desk database this version can open, or does not
            open with the passphrase (the current database is then untouched), or the program is
            in memory.
    """
    from mentor_desk.db.migrate import upgrade  # Alembic only when restoring

    if db.path is None:
        raise UserError("This program is not stored in a file, so it cannot be restored.")
    backup_key = crypto.key_for_backup(backup_path, db.path, passphrase, db.key)
    db.dispose()
    saved = restore(db.path, backup_path, clock=clock, key=db.key, backup_key=backup_key)
    upgrade(db)
    secure_database_file(db.path)
    return RestoreResult(db.path, saved, _conversion(backup_key, db.key))


def restore_into_empty(
    paths: DataPaths,
    backup_path: Path,
    passphrase: str | None = None,
    *,
    clock: Clock = datetime.now,
) -> RestoreResult:
    """Restore into a data folder without a database (a damaged one was moved aside, say).

    With no program to keep the state of, the database takes the backup as it is: an encrypted
    backup (opened with ``passphrase``) makes an encrypted program, a plain one a plain program.
    The caller opens the program afterwards, which brings it to the current schema.

    Raises:
        UserError: the backup is unusable or does not open with ``passphrase``; nothing changed.
    """
    if paths.database.exists():
        raise UserError(f"There is a database in {paths.root} already; restore into it instead.")
    key = crypto.key_for_backup(backup_path, paths.database, passphrase)
    validate_backup(backup_path, key)
    paths.ensure()
    if key is not None:
        crypto.write_marker(paths.database)  # first: from then on the file decides
    restore(paths.database, backup_path, clock=clock, key=key, backup_key=key)
    if key is None:
        crypto.header_path(paths.database).unlink(missing_ok=True)
    secure_database_file(paths.database)
    return RestoreResult(paths.database, None)


def _conversion(
    backup_key: crypto.DatabaseKey | None, key: crypto.DatabaseKey | None
) -> str | None:
    if (backup_key is None) == (key is None):
        return None
    if key is not None:
        return "The backup was not encrypted; the restored program is encrypted like before."
    return "The backup was encrypted; the program is not, so it was restored decrypted."
