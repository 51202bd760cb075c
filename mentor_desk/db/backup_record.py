"""Knowing without a copy that the database still holds the state of the newest backup.

Deciding "nothing changed" by digest costs a full copy of the database and a hash of it (seconds
for a large program). So each backup (or digest match) also records which state of the source
file it holds: the file's size, modification time and inode, and those of a non-empty
write-ahead log (``backups/.source-state.json``). Every commit changes one of them: it appends to
the log, overwrites the log's start (a new modification time) or, on a checkpoint, writes the
file itself. When the newest backup is the recorded one and the stamp is unchanged, the backup is
skipped without reading the database.

Two cautions keep that sound. A stamp is taken before the copy, so the backup holds that state or
a newer one (a redundant backup later, never a missed one). And it is recorded only when neither
file was modified in the last :data:`QUIET_NS`: file times are coarse (a few milliseconds), so a
commit right after the stamp could otherwise leave it unchanged. When the program closes,
:func:`carry_over` re-stamps the file after the final checkpoint if nothing was written since the
record, so the next start finds it unchanged too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from mentor_desk.db.clean_close import read_record, write_record

RECORD_NAME = ".source-state.json"
QUIET_NS = 2_000_000_000


def source_stamp(database: Path) -> list[int] | None:
    """The database file's state as the file system shows it (None: it cannot be read)."""
    try:
        info = database.stat()
        stamp = [info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev]
        wal = database.with_name(database.name + "-wal")
        if wal.exists() and (log := wal.stat()).st_size > 0:
            stamp += [log.st_size, log.st_mtime_ns, log.st_ino]
    except OSError:
        return None
    return stamp


def quiet_stamp(database: Path) -> list[int] | None:
    """:func:`source_stamp`, or None when the file or its log was modified too recently."""
    stamp = source_stamp(database)
    if stamp is None:
        return None
    newest_change = max(stamp[1], stamp[5] if len(stamp) > 4 else 0)
    return stamp if time.time_ns() - newest_change >= QUIET_NS else None


def _record_file(folder: Path) -> Path:
    return folder / RECORD_NAME


def _read(folder: Path) -> dict[str, object]:
    return read_record(_record_file(folder))


def remember(folder: Path, database: Path, backup_name: str, stamp: list[int] | None) -> None:
    """Record that the backup ``backup_name`` in ``folder`` holds the state ``stamp`` (a
    :func:`quiet_stamp`); None forgets any record, so the next check copies and compares."""
    target = _record_file(folder)
    if stamp is None:
        target.unlink(missing_ok=True)
        return
    record: dict[str, object] = {"source": str(database), "backup": backup_name, "stamp": stamp}
    if not write_record(target, record):
        target.unlink(missing_ok=True)  # an old record must not outlive a failed update


def unchanged_since(folder: Path, database: Path, newest_backup: str) -> bool:
    """Whether ``database`` is exactly in the state recorded for ``newest_backup``."""
    record = _read(folder)
    return (
        record.get("source") == str(database)
        and record.get("backup") == newest_backup
        and record.get("stamp") == source_stamp(database)
    )


def carry_over(folder: Path, database: Path, close: Callable[[], None]) -> None:
    """Run ``close`` (which closes every connection, checkpointing the log into the file) and
    keep the record valid across it when nothing was written since it was made."""
    record = _read(folder)
    backup = record.get("backup")
    still = isinstance(backup, str) and unchanged_since(folder, database, backup)
    close()
    if still and isinstance(backup, str):
        # Nothing else writes now (the caller holds the data folder's lock, every connection is
        # closed), so this stamp needs no quiet time.
        remember(folder, database, backup, source_stamp(database))
