"""Backups of the database: made online, kept by a retention rule, validated and restored.

A backup is a complete SQLite file in the data folder's ``backups/`` folder, named with a sortable
UTC timestamp and the reason it was made (``mentor-desk-20261121T144512Z-startup.sqlite3``), 0600.
It is made with SQLite's online backup API in one step (``pages=-1``: a stepwise backup restarts on
every write and may never finish while the app writes), into a temporary file that is renamed
only once it is complete, so a crash never leaves a half-written backup under a backup's name.

"Identical to the newest backup" is decided by a digest of the fresh backup file, compared with
the digest stored beside the newest backup (``<name>.sha256``; see :mod:`mentor_desk.db.digest`):
the SHA-256 of the file for a plain database, of its plaintext content for an encrypted one
(SQLCipher gives every page a fresh IV, so encrypted copies of one state never share bytes). The
backup API copies pages through the pager, so the same committed state gives the same bytes
whether or not the WAL was checkpointed in between; a change that is undone (insert then delete)
may move pages and cost one redundant backup, but two different states can never compare equal.
The price is a copy of the database per check (150 MB in about half a second); it is paid only
when the file has changed since the newest backup was made, which :mod:`mentor_desk.db.
backup_record` tells from the file's size, times and inode without reading it.

A backup of an encrypted database is encrypted with the same key (and salt), so the open
database's key opens it. :func:`restore` puts a backup in the program's current encryption state:
a plain backup restored into an encrypted program is encrypted with the program's key, an
encrypted one restored into a plain program is decrypted.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from mentor_desk.db import backup_record, crypto
from mentor_desk.db.digest import digest_of, digest_path, file_digest, stored_digest, write_digest
from mentor_desk.db.engine import Database
from mentor_desk.errors import DatabaseError, NewerDatabaseError, UserError
from mentor_desk.paths import make_private_dir, make_private_file

if TYPE_CHECKING:
    from mentor_desk.db.crypto import DatabaseKey

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
PREFIX = "mentor-desk-"
SUFFIX = ".sqlite3"
_STAMP = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^mentor-desk-(\d{8}T\d{6}Z)-([a-z0-9-]+?)(?:\.(\d+))?\.sqlite3$")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """One backup file: where it is, when it was made (UTC), why, and its size in bytes."""

    path: Path
    created: datetime
    reason: str
    size: int

    @property
    def sequence(self) -> int:
        """Orders backups made within the same second (0 for the first)."""
        match = _NAME.match(self.path.name)
        return int(match.group(3) or 0) if match else 0


@dataclass(frozen=True, slots=True)
class Retention:
    """How many backups :func:`prune` keeps: the newest ``keep_last``, plus the newest one of
    each of the last ``daily`` days, ``weekly`` ISO weeks and ``monthly`` months (UTC)."""

    keep_last: int = 10
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


def backup_folder(db_path: Path) -> Path:
    """The backups folder of the data folder that holds ``db_path`` (``DataPaths.backups``)."""
    return db_path.parent / "backups"


def _now(clock: Clock) -> datetime:
    moment = clock()
    # A naive time (datetime.now) is local time; astimezone() reads it as such.
    return moment.astimezone(UTC)


def _clean_reason(reason: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    return cleaned or "manual"


# --- making backups -----------------------------------------------------------------------------


def backup_now(
    db: Database,
    *,
    reason: str,
    folder: Path | None = None,
    clock: Clock = datetime.now,
) -> BackupInfo | None:
    """Back up ``db`` into ``folder`` (default: its data folder's ``backups/``).

    Returns:
        The new backup, or None when the database is identical to the newest backup (or is
        in memory, which has no file to back up).

    Raises:
        DatabaseError: the backup could not be written (disk full, read-only folder...) or the
            database could not be read; no partial backup is left behind.
    """
    if db.path is None:
        return None
    target_dir = folder if folder is not None else backup_folder(db.path)
    return _backup_file(db, target_dir, reason=reason, clock=clock)


def _backup_file(
    source_db: Database, target_dir: Path, *, reason: str, clock: Clock
) -> BackupInfo | None:
    try:
        make_private_dir(target_dir)
        handle, temp_name = tempfile.mkstemp(prefix=".backup-", suffix=".tmp", dir=target_dir)
        os.close(handle)
    except OSError as exc:
        raise _write_error(target_dir, exc) from exc
    temp = Path(temp_name)
    source = source_db.path
    assert source is not None
    try:
        newest = list_backups(target_dir)
        if newest and backup_record.unchanged_since(target_dir, source, newest[0].path.name):
            return None  # the file is as it was when the newest backup was made: no copy
        stamp = backup_record.quiet_stamp(source)  # before the copy: it holds this or newer
        make_private_file(temp)
        _copy_online(source_db, temp)
        digest = digest_of(temp, source_db.key)
        newest = list_backups(target_dir)
        if newest and stored_digest(newest[0].path, source_db.key) == digest:
            backup_record.remember(target_dir, source, newest[0].path.name, stamp)
            return None
        final = _free_name(target_dir, _now(clock), _clean_reason(reason))
        os.replace(temp, final)
        write_digest(final, digest)
        _sync_dir(target_dir)
        backup_record.remember(target_dir, source, final.name, stamp)
        return info_for(final)
    except OSError as exc:
        raise _write_error(target_dir, exc) from exc
    finally:
        temp.unlink(missing_ok=True)


def _copy_online(source_db: Database, temp: Path) -> None:
    """One-step online backup of ``source_db`` into the (empty) file ``temp``."""
    try:
        source = source_db.raw_connect()
        try:
            dest = source_db.raw_connect(temp)
            try:
                source.backup(dest, pages=-1)
                # A self-contained file: no -wal beside a backup, whatever the source's mode.
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
        finally:
            source.close()
    except crypto.driver_errors() as exc:
        text = str(exc).lower()
        if "full" in text:
            raise DatabaseError(
                "The disk is full, so no backup could be made. Free some space and try again."
            ) from exc
        raise DatabaseError(f"The database could not be backed up: {exc}.") from exc
    with temp.open("rb+") as handle:
        os.fsync(handle.fileno())


def _free_name(folder: Path, created: datetime, reason: str) -> Path:
    stem = f"{PREFIX}{created.strftime(_STAMP)}-{reason}"
    candidate = folder / f"{stem}{SUFFIX}"
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = folder / f"{stem}.{counter}{SUFFIX}"
    return candidate


def _sync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_error(folder: Path, exc: OSError) -> DatabaseError:
    return DatabaseError(
        f"No backup could be written to {folder} ({exc.strerror or exc}). Check that the disk "
        "has space and the folder is writable."
    )


# --- listing and pruning ------------------------------------------------------------------------


def info_for(path: Path) -> BackupInfo:
    match = _NAME.match(path.name)
    if match is None:
        raise ValueError(f"{path.name} is not named like a Mentor Desk backup")
    created = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
    return BackupInfo(path, created, match.group(2), path.stat().st_size)


def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups in ``folder``, newest first (other files there are ignored)."""
    if not folder.is_dir():
        return []
    found: list[BackupInfo] = []
    for path in folder.iterdir():
        if _NAME.match(path.name) and path.is_file():
            try:
                found.append(info_for(path))
            except OSError:  # removed meanwhile
                continue
    found.sort(key=lambda b: (b.created, b.sequence, b.path.name), reverse=True)
    return found


def survivors(
    created: Iterable[datetime], now: datetime, retention: Retention = Retention()
) -> set[datetime]:
    """Which of the ``created`` times the retention rule keeps at ``now`` (pure arithmetic).

    The newest ``keep_last`` are kept; then, for each of the last ``daily`` calendar days
    (today included), ``weekly`` ISO weeks and ``monthly`` calendar months, the newest backup
    made in it. Anything dated after ``now`` (a clock that jumped back) is kept.
    """
    ordered = sorted(set(created), reverse=True)
    keep = {t for t in ordered if t > now}
    keep.update(ordered[: max(retention.keep_last, 1)])
    today = now.date()
    year, month = today.year, today.month
    rules: list[tuple[set[object], Callable[[date], object]]] = [
        ({today - timedelta(days=i) for i in range(retention.daily)}, lambda d: d),
        ({_week_start(today) - timedelta(weeks=i) for i in range(retention.weekly)}, _week_start),
        (
            {
                ((year * 12 + month - 1 - i) // 12, (month - 1 - i) % 12 + 1)
                for i in range(retention.monthly)
            },
            lambda d: (d.year, d.month),
        ),
    ]
    for recent, bucket_of in rules:
        seen: set[object] = set()
        for moment in ordered:  # newest first: the first one met in a bucket is its newest
            bucket = bucket_of(moment.date())
            if moment <= now and bucket in recent and bucket not in seen:
                seen.add(bucket)
                keep.add(moment)
    return keep


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def prune(
    folder: Path,
    *,
    clock: Clock = datetime.now,
    keep_last: int = 10,
    daily: int = 7,
    weekly: int = 4,
    monthly: int = 12,
) -> list[Path]:
    """Delete the backups in ``folder`` that the retention rule does not keep; returns them."""
    backups = list_backups(folder)
    # Backups made within one second share a timestamp; their sequence keeps them apart.
    by_key = {b.created + timedelta(microseconds=b.sequence): b for b in backups}
    keep = survivors(by_key, _now(clock), Retention(keep_last, daily, weekly, monthly))
    removed: list[Path] = []
    for key, backup in by_key.items():
        if key in keep:
            continue
        backup.path.unlink(missing_ok=True)
        digest_path(backup.path).unlink(missing_ok=True)
        removed.append(backup.path)
    return removed


def automatic_backup(
    db: Database, *, reason: str, clock: Clock = datetime.now, retention: Retention = Retention()
) -> BackupInfo | None:
    """An automatic backup (skipped when identical or in memory), then pruning."""
    made = backup_now(db, reason=reason, clock=clock)
    if made is not None and db.path is not None:
        folder = backup_folder(db.path)
        removed = prune(
            folder,
            clock=clock,
            keep_last=retention.keep_last,
            daily=retention.daily,
            weekly=retention.weekly,
            monthly=retention.monthly,
        )
        log.info("Backed up to %s (%s); pruned %d old backups", made.path, reason, len(removed))
    return made


# --- validating and restoring -------------------------------------------------------------------


def validate_backup(path: Path, key: DatabaseKey | None = None) -> None:
    """Check that ``path`` is a Mentor Desk database this version can open (with ``key`` if
    it is encrypted).

    Raises:
        UserError: it is missing, not an SQLite database, not Mentor Desk's, damaged, or from a
            newer Mentor Desk (NewerDatabaseError).
    """
    _validate(path, path.name, key)


def _validate(path: Path, shown: str, key: DatabaseKey | None) -> None:
    from mentor_desk.db.migrate import known_revisions  # migrate imports this module

    if not path.is_file():
        raise UserError(f"{shown} does not exist or is not a file.")
    refused = f"{shown} is not a Mentor Desk database"
    if path.stat().st_size == 0:
        raise UserError(f"{refused}: it is empty.")
    try:
        con = Database(path, key).raw_connect()
        try:
            try:
                tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
            except crypto.driver_errors() as exc:
                if key is not None:  # the first read is where a wrong key shows
                    raise UserError(
                        f"{shown} does not open with this passphrase: it was encrypted with "
                        "another one, or it is not a Mentor Desk database. Nothing was changed."
                    ) from exc
                raise
            if "alembic_version" not in tables:
                raise UserError(f"{refused}: it has none of Mentor Desk's tables.")
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            if row is None:
                raise UserError(f"{refused}: it has no schema version.")
            if row[0] not in known_revisions():
                raise NewerDatabaseError(
                    f"{shown} was written by a newer version of Mentor Desk (schema {row[0]}). "
                    "Install the newer version to restore it."
                )
            problems = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        finally:
            con.close()
    except crypto.driver_errors() as exc:
        raise UserError(f"{refused} (or it is damaged): {exc}.") from exc
    if problems != ["ok"]:
        raise UserError(f"{shown} is damaged: {problems[0]}.")


def restore(
    db_path: Path,
    backup_path: Path,
    *,
    clock: Clock = datetime.now,
    key: DatabaseKey | None = None,
    backup_key: DatabaseKey | None = None,
) -> BackupInfo | None:
    """Replace the database at ``db_path`` with the backup at ``backup_path``.

    The caller disposes of every engine on ``db_path`` first. The backup is copied beside the
    database and the copy validated, so exactly the validated bytes go in; then the current
    database is backed up (reason ``before-restore``) and replaced with one ``os.replace``.
    ``key`` is the database's key when it is encrypted, ``backup_key`` the backup's (None:
    plain; see :func:`mentor_desk.db.crypto.key_for_backup`). When they differ the validated
    copy is converted to ``key`` first, so the program keeps its encryption state and key.

    Returns:
        Where the state before the restore is saved (the newest backup, if it was identical), or
        None when there was no database yet.

    Raises:
        UserError: the file is not a Mentor Desk database this version can open, or something
            could not be written; the current database is then untouched.
    """
    folder = backup_folder(db_path)
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{db_path.name}.restore-", suffix=".tmp", dir=db_path.parent
        )
        os.close(handle)
    except OSError as exc:
        raise _write_error(db_path.parent, exc) from exc
    temp = Path(temp_name)
    try:
        try:
            make_private_file(temp)
            shutil.copyfile(backup_path, temp)
        except OSError as exc:
            raise UserError(f"Could not read {backup_path}: {exc.strerror or exc}.") from exc
        _validate(temp, backup_path.name, backup_key)
        if backup_key != key:
            try:
                crypto.convert_file(temp, backup_key, key)
            except crypto.driver_errors() as exc:
                raise UserError(f"{backup_path.name} could not be converted: {exc}.") from exc
        with temp.open("rb+") as copy:
            os.fsync(copy.fileno())
        saved = _save_current(db_path, folder, clock, key) if db_path.exists() else None
        for companion in ("-wal", "-shm", "-journal"):
            db_path.with_name(db_path.name + companion).unlink(missing_ok=True)
        os.replace(temp, db_path)
        _sync_dir(db_path.parent)
        return saved
    finally:
        temp.unlink(missing_ok=True)
        for companion in ("-wal", "-shm", "-journal", ".converting.tmp"):
            temp.with_name(temp.name + companion).unlink(missing_ok=True)


def _save_current(
    db_path: Path, folder: Path, clock: Clock, key: DatabaseKey | None
) -> BackupInfo | None:
    current = Database(db_path, key)
    try:
        try:
            made = _backup_file(current, folder, reason="before-restore", clock=clock)
        except DatabaseError:
            # A damaged database cannot be read page by page: keep its bytes as they are.
            final = _free_name(folder, _now(clock), "before-restore")
            shutil.copyfile(db_path, final)
            make_private_file(final)
            write_digest(final, file_digest(final))
            return info_for(final)
        # Fold the WAL into the file so removing it before the replace loses nothing unsaved.
        con = current.raw_connect()
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except crypto.driver_errors():
            pass
        finally:
            con.close()
    finally:
        current.dispose()
    return made if made is not None else list_backups(folder)[0]
