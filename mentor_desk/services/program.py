"""Opening a user's program: the data folder, the database (migrated) and its defaults.

Before anything writes to it the file is checked for damage; the full page-by-page check runs
only when the file may have changed since one last passed (policy: :mod:`mentor_desk.db.
clean_close`), so :func:`close_program` after a normal session is what keeps later starts fast.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

from mentor_desk.db import backup_record, clean_close, crypto
from mentor_desk.db.backup import backup_folder, list_backups
from mentor_desk.db.engine import Database, open_database
from mentor_desk.db.integrity import (
    DamagedDatabaseError,
    find_damage,
    move_aside,
    newest_good_backup,
)
from mentor_desk.errors import DatabaseError
from mentor_desk.paths import DataPaths, data_paths, make_private_file
from mentor_desk.services.defaults import ensure_defaults

__all__ = [
    "DamagedDatabaseError",
    "close_program",
    "install_backup",
    "open_memory_program",
    "open_program",
]


def open_program(
    data_dir: str | os.PathLike[str] | DataPaths | None = None,
    passphrase: str | None = None,
    *,
    owner: bool = True,
) -> Database:
    """Open the database in ``data_dir`` (default folder if None), creating it on first use.

    ``passphrase`` opens an encrypted database (it is ignored for a plain one). ``owner``: this
    process holds the data folder's lock (the window, a writing command), so it records the
    session for the clean-close policy; a reader beside the window (False) leaves that alone.

    Raises:
        DamagedDatabaseError: the file was damaged (not a database, truncated, empty, failing
            its quick check); it has been moved aside untouched and nothing was opened.
        NewerDatabaseError: the file comes from a newer Mentor Desk (left untouched).
        PassphraseRequiredError, WrongPassphraseError: encrypted, and no or a wrong passphrase.
    """
    paths = data_dir if isinstance(data_dir, DataPaths) else data_paths(data_dir)
    paths.ensure()
    key = None
    if crypto.is_encrypted(paths.database):
        if passphrase is None:
            raise crypto.PassphraseRequiredError()
        key = _unlock(paths, passphrase)
    _set_aside_if_damaged(paths, key, passphrase, owner=owner)
    db = open_database(paths.database, key=key)
    try:
        ensure_defaults(db)
    except BaseException:
        db.dispose()
        raise
    return db


def _unlock(paths: DataPaths, passphrase: str) -> crypto.DatabaseKey:
    """The database's key. A file whose first page cannot be read says "wrong passphrase"; when
    the same key opens a backup made with the database's salt, the file is damaged instead."""
    try:
        return crypto.unlock(paths.database, passphrase)
    except crypto.WrongPassphraseError:
        params = crypto.kdf_params(paths.database)
        key = crypto.key_for_file(paths.database, passphrase, params)
        if not _opens_a_backup(paths, passphrase, params, key):
            raise
        _damaged(paths, "it cannot be read even with the right passphrase", key, passphrase)


def _opens_a_backup(
    paths: DataPaths, passphrase: str, params: dict[str, int], key: crypto.DatabaseKey
) -> bool:
    """Whether the passphrase opens one of the newest encrypted backups: then it is right and the
    database itself is damaged. A backup sharing the file's salt is tried with the same key; as a
    damaged first page may have lost the salt too, the newest few are also tried with their own
    (one key stretch each, so only a few)."""
    backups = [b.path for b in list_backups(paths.backups) if crypto.looks_encrypted(b.path)]
    twins = [b for b in backups if crypto.file_salt(b) == key.salt]
    tries = [(b, key) for b in twins[:1]]
    tries += [(b, None) for b in backups[:3] if b not in twins]
    for backup, backup_key in tries:
        try:
            crypto.check_key(backup, backup_key or crypto.key_for_file(backup, passphrase, params))
        except crypto.WrongPassphraseError:
            continue
        return True
    return False


def _set_aside_if_damaged(
    paths: DataPaths, key: crypto.DatabaseKey | None, passphrase: str | None, *, owner: bool
) -> None:
    # An encrypted file has no SQLite header: it is checked through a keyed connection.
    connect = Database(paths.database, key).raw_connect if key is not None else None
    full = clean_close.full_check_due(paths.database)
    reason = find_damage(paths.database, connect=connect, full=full)
    if reason is not None:
        _damaged(paths, reason, key, passphrase)
    if owner and paths.database.exists():
        clean_close.note_open(paths.database, fully_checked=full)


def close_program(db: Database, *, clean: bool = True) -> None:
    """Close every connection of ``db``; ``clean``: the session ended normally, so the next
    start may skip the full damage check if the file is left exactly as it is now."""
    if not clean or db.path is None:
        db.dispose()
        return
    # The last connection's close checkpoints the log into the file, changing its times; when
    # nothing was written since the newest backup, the next start still finds it backed up.
    backup_record.carry_over(backup_folder(db.path), db.path, db.dispose)
    clean_close.note_clean_close(db.path)


def _damaged(
    paths: DataPaths, reason: str, key: crypto.DatabaseKey | None, passphrase: str | None
) -> NoReturn:
    moved_to = move_aside(paths.database)
    # Encrypted backups count when the database's key or the passphrase opens them.
    newest = newest_good_backup(
        paths.backups, database=paths.database, passphrase=passphrase, current=key
    )
    raise DamagedDatabaseError(paths.database, moved_to, newest, reason)


def install_backup(paths: DataPaths, backup: Path, passphrase: str | None = None) -> None:
    """Put a copy of ``backup`` where the database goes, when there is no database there.

    For starting again after a damaged file was moved aside; ``mentor-desk restore`` is the
    full restore (it checks the file and backs up the current state first). An encrypted backup
    is checked with ``passphrase``; without one, by the keyed open that has to follow anyway.
    """
    if paths.database.exists():
        raise FileExistsError(paths.database)
    reason = None
    if not (crypto.looks_encrypted(backup) and crypto.header_path(paths.database).exists()):
        reason = find_damage(backup)
    elif passphrase is not None:
        key = crypto.key_for_backup(backup, paths.database, passphrase)
        reason = find_damage(backup, connect=Database(backup, key).raw_connect)
    if reason is not None:
        raise DatabaseError(f"The backup {backup} cannot be used: {reason}.")
    partial = paths.database.with_name(paths.database.name + ".restoring")
    shutil.copyfile(backup, partial)
    make_private_file(partial)
    os.replace(partial, paths.database)


def open_memory_program() -> Database:
    """A fresh in-memory program with the default reference data (tests, previews)."""
    db = open_database(None)
    ensure_defaults(db)
    return db


def program_is_encrypted(data_dir: str | os.PathLike[str] | DataPaths | None = None) -> bool:
    """True when the program's database is encrypted, so opening it needs the passphrase."""
    paths = data_dir if isinstance(data_dir, DataPaths) else data_paths(data_dir)
    return crypto.is_encrypted(paths.database)


def check_passphrase(data_dir: DataPaths, passphrase: str) -> None:
    """Raise WrongPassphraseError unless ``passphrase`` opens the encrypted program (auto-lock)."""
    crypto.unlock(data_dir.database, passphrase)
