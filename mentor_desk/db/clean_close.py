"""The clean-close record: how a start-up knows it may skip the full check of the database.

The promise of :func:`mentor_desk.services.program.open_program` is that a database that is not a
database, is truncated or fails its check is never written to. ``PRAGMA quick_check`` reads every
page (1-1.5 s for a 300 MB program), so it runs only when something could have damaged the file
since it last passed:

- every start runs the cheap checks of :func:`mentor_desk.db.integrity.find_damage`
  (``full=False``): the header, the page size, the file size against the page count in the
  header (truncation), and the schema read through SQLite;
- the full ``quick_check`` runs too unless this record says the previous session closed the
  database normally, the file is exactly as that session left it (size, modification and change
  times, inode: any write, copy, restore or truncation by anything changes one of them; the
  kernel sets the change time, no tool can put it back) with no write-ahead log left beside it,
  and the last full check passed less than :data:`FULL_CHECK_DAYS` days ago (damage that
  changes no file time, a failing disk, is still found within days).

The record (``<database>.state``, JSON) says ``open`` from the moment a session has checked the
file until :func:`note_clean_close`; a crash, a kill or a power cut leaves it ``open``, so the
next start checks fully. A missing or unreadable record means a full check as well.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mentor_desk.paths import make_private_file

STATE_SUFFIX = ".state"
FULL_CHECK_DAYS = 7
OPEN, CLOSED = "open", "closed"


def record_path(database: Path) -> Path:
    return database.with_name(database.name + STATE_SUFFIX)


def file_stamp(database: Path) -> list[int] | None:
    """What identifies the file's exact state, or None when it is not at rest (it has a
    non-empty write-ahead log, or it is missing)."""
    try:
        wal = database.with_name(database.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None
        info = database.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def read_record(target: Path) -> dict[str, object]:
    """A small JSON record (empty when missing or unreadable: the caller then trusts nothing)."""
    try:
        record = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def write_record(target: Path, record: dict[str, object]) -> bool:
    """Replace ``target`` with ``record`` in one rename (owner-only); False if it failed."""
    partial = target.with_name(target.name + ".tmp")
    try:
        partial.write_text(json.dumps(record), encoding="utf-8")
        make_private_file(partial)
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        return False
    return True


def _read(database: Path) -> dict[str, object]:
    return read_record(record_path(database))


def _write(database: Path, record: dict[str, object]) -> None:
    # Without a record the next start simply checks fully: never a reason to fail.
    write_record(record_path(database), record)


def _last_checked(record: dict[str, object]) -> datetime | None:
    try:
        checked = datetime.fromisoformat(str(record["checked"]))
    except (KeyError, ValueError):
        return None
    return checked if checked.tzinfo is not None else None


def full_check_due(database: Path, *, now: datetime | None = None) -> bool:
    """Whether this start must run the full check (see the module's policy)."""
    record = _read(database)
    checked = _last_checked(record)
    if record.get("state") != CLOSED or checked is None:
        return True
    stamp = file_stamp(database)
    if stamp is None or record.get("stamp") != stamp:
        return True
    age = (now or datetime.now(UTC)) - checked
    return not timedelta(0) <= age < timedelta(days=FULL_CHECK_DAYS)


def note_open(database: Path, *, fully_checked: bool, now: datetime | None = None) -> None:
    """Record that a session has the database open; ``fully_checked``: its full check passed
    now (otherwise the date of the previous full check is kept)."""
    previous = _last_checked(_read(database))
    checked = (now or datetime.now(UTC)) if fully_checked or previous is None else previous
    _write(database, {"state": OPEN, "checked": checked.isoformat()})


def note_clean_close(database: Path) -> None:
    """Record that the session closed normally: call once every connection is closed.

    Only a record that says ``open`` (this session's) becomes ``closed``, so nothing is trusted
    that no check has seen; a file still not at rest is left ``open``.
    """
    record = _read(database)
    stamp = file_stamp(database)
    if record.get("state") != OPEN or _last_checked(record) is None or stamp is None:
        return
    _write(database, {"state": CLOSED, "checked": record["checked"], "stamp": stamp})
