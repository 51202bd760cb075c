"""Checking a database: SQLite's own checks, the search indexes and the app's consistency rules.

:func:`check_database` runs every check and returns an :class:`IntegrityReport` (``mentor-desk
check`` prints it). :func:`find_damage` is the start-up test (header, size, schema and, unless
:mod:`mentor_desk.db.clean_close` says the file is as a clean close left it, ``quick_check``)
that tells a damaged file from a healthy one without writing to it; :func:`move_aside` renames a
damaged file (and its WAL/SHM companions) so nothing ever overwrites it.

Every connection comes from :meth:`Database.raw_connect`, so the checks keep working once the
database is encrypted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine

from mentor_desk.db import crypto
from mentor_desk.db.engine import Database
from mentor_desk.errors import DatabaseError, UserError

SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's words for a file that is damaged, truncated or not a database at all.
_DAMAGE_MARKERS = ("malformed", "not a database", "file is encrypted", "disk image")
# At most this many problems are listed per check; the rest are counted.
MAX_LISTED = 20

Connect = Callable[[Path], sqlite3.Connection]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One named check and the problems it found (none: the check passed)."""

    name: str
    problems: tuple[str, ...] = ()
    more: int = 0  # problems found beyond those listed

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class IntegrityReport:
    """Everything :func:`check_database` found.

    Attributes:
        path: the database file checked.
        checks: each check in the order it ran.
        error: set when the file could not be read at all (the checks are then empty).
    """

    path: Path | None
    checks: tuple[CheckResult, ...]
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and all(check.ok for check in self.checks)

    @property
    def problem_count(self) -> int:
        return sum(len(check.problems) + check.more for check in self.checks)

    def lines(self) -> list[str]:
        """The report as text lines: one per check (``OK`` or its problems), then a summary."""
        lines = [f"Checking {self.path}" if self.path else "Checking the in-memory database"]
        if self.error is not None:
            lines.append(f"  FAILED: {self.error}")
            lines.append(
                "The database cannot be read. Restore the newest backup with "
                "`mentor-desk restore` (list them with `mentor-desk backups`)."
            )
            return lines
        width = max(len(check.name) for check in self.checks)
        for check in self.checks:
            if check.ok:
                lines.append(f"  {check.name:<{width}}  OK")
                continue
            total = len(check.problems) + check.more
            lines.append(f"  {check.name:<{width}}  {total} problem{'s' if total != 1 else ''}")
            lines.extend(f"      - {problem}" for problem in check.problems)
            if check.more:
                lines.append(f"      ... and {check.more} more")
        if self.ok:
            lines.append(f"All {len(self.checks)} checks passed.")
        else:
            failed = sum(not check.ok for check in self.checks)
            lines.append(
                f"{failed} of {len(self.checks)} checks failed ({self.problem_count} problems). "
                "Keep a copy of the file, then restore the newest good backup with "
                "`mentor-desk restore`."
            )
        return lines


# --- the app's own rules: (name, SQL returning one descriptive text column per problem) --------

_LINKS = (
    ("session_goals", "session_id", "sessions", "goal_id", "goals"),
    ("evidence_areas", "evidence_id", "evidence", "area_id", "lmp_areas"),
    ("mentee_tags", "mentee_id", "mentees", "tag_id", "tags"),
    ("session_tags", "session_id", "sessions", "tag_id", "tags"),
)


def _link_sql(table: str, left_col: str, left: str, right_col: str, right: str) -> str:
    """Rows of an association table whose either end is gone (foreign keys may have been off)."""
    return (
        f"SELECT '{table} row ({left_col}=' || x.{left_col} || ', {right_col}=' || x.{right_col}"
        f" || ') points at a missing row' FROM {table} x"
        f" WHERE NOT EXISTS (SELECT 1 FROM {left} WHERE id = x.{left_col})"
        f" OR NOT EXISTS (SELECT 1 FROM {right} WHERE id = x.{right_col})"
    )


CONSISTENCY_CHECKS: tuple[tuple[str, str], ...] = (
    (
        "action items belong to their session's mentee",
        "SELECT 'action item ' || a.id || ' is for mentee ' || a.mentee_id || ' but its session '"
        " || s.id || ' is with mentee ' || s.mentee_id"
        " FROM action_items a JOIN sessions s ON s.id = a.session_id"
        " WHERE a.mentee_id != s.mentee_id",
    ),
    (
        "feedback belongs to its session's mentee",
        "SELECT 'feedback ' || f.id || ' is for mentee ' || f.mentee_id || ' but its session '"
        " || s.id || ' is with mentee ' || s.mentee_id"
        " FROM feedback f JOIN sessions s ON s.id = f.session_id WHERE f.mentee_id != s.mentee_id",
    ),
    (
        "sessions and their goals share a mentee",
        "SELECT 'session ' || s.id || ' (mentee ' || s.mentee_id || ') is linked to goal '"
        " || g.id || ' of mentee ' || g.mentee_id"
        " FROM session_goals sg JOIN sessions s ON s.id = sg.session_id"
        " JOIN goals g ON g.id = sg.goal_id WHERE s.mentee_id != g.mentee_id",
    ),
    (
        "goal progress is 0-100",
        "SELECT 'goal ' || id || ' has progress ' || quote(progress) FROM goals"
        " WHERE typeof(progress) != 'integer' OR progress < 0 OR progress > 100"
        " UNION ALL SELECT 'check-in ' || id || ' of goal ' || goal_id || ' has progress '"
        " || quote(progress) FROM goal_checkins"
        " WHERE typeof(progress) != 'integer' OR progress < 0 OR progress > 100",
    ),
    (
        "skill levels are 0-10",
        "SELECT 'skill assessment ' || id || ' has level ' || quote(level)"
        " FROM skill_assessments WHERE typeof(level) != 'integer' OR level < 0 OR level > 10",
    ),
    (
        "evidence has at least one LMP area",
        "SELECT 'evidence ' || e.id || ' (' || quote(e.title) || ') has no LMP area'"
        " FROM evidence e WHERE NOT EXISTS"
        " (SELECT 1 FROM evidence_areas ea WHERE ea.evidence_id = e.id)",
    ),
    (
        "LMP candidates are marked as in the LMP",
        "SELECT 'LMP record ' || r.id || ' belongs to mentee ' || m.id || ' (' || quote(m.name)"
        " || '), who is not marked as in the LMP'"
        " FROM lmp_records r JOIN mentees m ON m.id = r.mentee_id WHERE NOT m.in_lmp",
    ),
    ("link tables point at existing rows", " UNION ALL ".join(_link_sql(*link) for link in _LINKS)),
)


def check_database(target: Database | Path, *, connect: Connect | None = None) -> IntegrityReport:
    """Run every check on ``target`` (an open :class:`Database` or a database file's path).

    A path is checked without migrating or otherwise changing the file, so a damaged or outdated
    database can be examined too. Nothing here raises for a bad file: an unreadable one comes back
    as a report with :attr:`IntegrityReport.error` set.

    Args:
        connect: how to open the file (default: :meth:`Database.raw_connect`).
    """
    if isinstance(target, Database):
        if target.path is None:
            return _check_memory(target)
        path, opener = target.path, connect or target.raw_connect
    else:
        path, opener = Path(target), connect or _default_connect
    if not path.exists():
        return IntegrityReport(path, (), f"there is no database file at {path}")
    if path.stat().st_size == 0:
        return IntegrityReport(path, (), "the database file is empty (0 bytes)")
    try:
        connection = opener(path)
    except crypto.driver_errors() as exc:
        return IntegrityReport(path, (), f"the file cannot be opened ({exc})")
    try:
        return IntegrityReport(path, tuple(_run_checks(connection)))
    except crypto.driver_errors() as exc:
        return IntegrityReport(path, (), _describe_failure(exc))
    finally:
        connection.close()


def _check_memory(db: Database) -> IntegrityReport:
    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        return IntegrityReport(None, tuple(_run_checks(driver)))
    finally:
        raw.close()


def _default_connect(path: Path) -> sqlite3.Connection:
    db = Database(path)
    try:
        return db.raw_connect()
    finally:
        db.dispose()


def _run_checks(connection: sqlite3.Connection) -> list[CheckResult]:
    results = [_integrity_check(connection), _foreign_key_check(connection)]
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if "mentees" not in tables:
        results.append(
            CheckResult("Mentor Desk tables", ("this is not a Mentor Desk database (no tables)",))
        )
        return results
    results.append(_search_index_check(connection))
    for name, sql in CONSISTENCY_CHECKS:
        results.append(_rows_check(name, connection.execute(sql)))
    return results


def _integrity_check(connection: sqlite3.Connection) -> CheckResult:
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    return CheckResult("SQLite integrity_check", () if rows == ["ok"] else _limit(rows)[0])


def _foreign_key_check(connection: sqlite3.Connection) -> CheckResult:
    problems = [
        f"{table} row {rowid} points at a missing {parent} row (reference #{fkid})"
        for table, rowid, parent, fkid in connection.execute("PRAGMA foreign_key_check")
    ]
    return _result("SQLite foreign_key_check", problems)


def _search_index_check(connection: sqlite3.Connection) -> CheckResult:
    from mentor_desk.db.search import check_index

    # check_index needs an SQLAlchemy connection; borrow this one, inside a transaction that is
    # rolled back (the FTS5 integrity-check writes nothing but is planned as a write).
    engine = create_engine("sqlite://", creator=lambda: connection)
    try:
        with engine.connect() as conn:
            broken = check_index(conn)
            conn.rollback()
    finally:
        engine.dispose(close=False)
    return _result(
        "search indexes",
        [f"the {kind} search index disagrees with its table" for kind in broken],
    )


def _rows_check(name: str, cursor: sqlite3.Cursor) -> CheckResult:
    return _result(name, [str(row[0]) for row in cursor])


def _result(name: str, problems: list[str]) -> CheckResult:
    listed, more = _limit(problems)
    return CheckResult(name, listed, more)


def _limit(problems: list[str]) -> tuple[tuple[str, ...], int]:
    return tuple(problems[:MAX_LISTED]), max(0, len(problems) - MAX_LISTED)


def _describe_failure(exc: Exception) -> str:
    text = str(exc)
    if any(marker in text.lower() for marker in _DAMAGE_MARKERS):
        return f"the file is damaged or is not a database ({text})"
    return f"the database could not be read ({text})"


# --- start-up: is the file damaged? --------------------------------------------------------------


def find_damage(path: Path, *, connect: Connect | None = None, full: bool = True) -> str | None:
    """Why the database file at ``path`` is damaged, or None when it is fine or absent.

    The header, then SQLite's ``PRAGMA quick_check`` of every page; without ``full`` the cheap
    tests instead: the header's page size, the file's size against the page count the header
    records (a truncated file) and the schema read through SQLite. When the full check may be
    skipped is decided by :mod:`mentor_desk.db.clean_close`. A zero-byte file is damage
    (something emptied the database), not a new database. Errors that are not damage (locked,
    permissions) return None, so the normal open reports them.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    if size == 0:
        return "the database file is empty (0 bytes)"
    with path.open("rb") as handle:
        header = handle.read(_HEADER_BYTES)
    if header[: len(SQLITE_HEADER)] != SQLITE_HEADER and connect is None:
        if not crypto.is_encrypted(path):
            return "the file is not an SQLite database (its header is wrong)"
        return None  # encrypted (see db/crypto.py): only a keyed connection can tell more
    if not full and connect is None and not _has_log(path):
        # In place of the page-by-page check: a truncated file shows in its size. With a log
        # beside it the file may be halfway through a checkpoint (or a rollback) that SQLite
        # completes on open, and only the full check can judge it.
        reason = _structure_damage(header, size)
        if reason is not None:
            return reason
    try:
        connection = (connect or _default_connect)(path)
        try:
            if full:
                rows = [row[0] for row in connection.execute("PRAGMA quick_check")]
            else:  # reading the schema parses sqlite_master: page 1 and its tree
                connection.execute("SELECT count(*) FROM sqlite_master").fetchall()
                rows = ["ok"]
        finally:
            connection.close()
    except crypto.driver_errors() as exc:
        if any(marker in str(exc).lower() for marker in _DAMAGE_MARKERS):
            return f"SQLite cannot read it ({exc})"
        return None
    if rows != ["ok"]:
        return f"it fails SQLite's quick_check ({'; '.join(rows[:3])})"
    return None


_HEADER_BYTES = 100


def _has_log(path: Path) -> bool:
    for suffix in ("-wal", "-journal"):
        log = path.with_name(path.name + suffix)
        try:
            if log.stat().st_size > 0:
                return True
        except OSError:
            continue
    return False


def _structure_damage(header: bytes, size: int) -> str | None:
    """What the 100-byte header of a plain database says is wrong with a file of ``size``."""
    if len(header) < _HEADER_BYTES:
        return f"the file is truncated ({size} bytes, shorter than an SQLite header)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"its header is damaged (page size {page_size})"
    pages = int.from_bytes(header[28:32], "big")
    # The page count is valid when the "version valid for" number matches the change counter.
    if header[92:96] == header[24:28] and pages * page_size > size:
        return (
            f"the file is truncated ({size} bytes, but its header counts {pages} pages of "
            f"{page_size} bytes)"
        )
    return None


def move_aside(path: Path, *, now: datetime | None = None) -> Path:
    """Rename ``path`` (and its -wal/-shm files) to ``<name>.damaged-<UTC timestamp>``.

    Returns the new path of the database file. An existing name is never overwritten.
    """
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.replace(target.with_name(target.name + suffix))
    path.replace(target)
    return target


class DamagedDatabaseError(DatabaseError):
    """The database file was damaged; it was moved aside, untouched, and nothing replaced it.

    Attributes:
        moved_to: where the damaged file is now.
        newest_backup: the newest backup that passes its check, if there is one.
        reason: what is wrong with the file.
    """

    def __init__(
        self, original: Path, moved_to: Path, newest_backup: Path | None, reason: str
    ) -> None:
        self.original = original
        self.moved_to = moved_to
        self.newest_backup = newest_backup
        self.reason = reason
        if newest_backup is not None:
            advice = (
                f"Restore the newest good backup ({newest_backup.name}) with "
                f'`mentor-desk restore "{newest_backup}"`, or start again with an empty database.'
            )
        else:
            advice = "There is no good backup to restore; the next start begins an empty database."
        super().__init__(
            f"The database {original} is damaged: {reason}. It was moved aside, unchanged, to "
            f"{moved_to.name} in the same folder. {advice}"
        )


def newest_good_backup(
    folder: Path,
    *,
    database: Path | None = None,
    passphrase: str | None = None,
    current: crypto.DatabaseKey | None = None,
) -> Path | None:
    """The newest backup in ``folder`` that passes :func:`~mentor_desk.db.backup.validate_backup`
    (None: there is none).

    An encrypted backup counts only when ``current`` (the database's key) or ``passphrase`` opens
    it (see :func:`mentor_desk.db.crypto.key_for_backup`); ``database`` gives the scrypt cost.
    """
    from mentor_desk.db.backup import list_backups, validate_backup

    for backup in list_backups(folder):
        try:
            key = crypto.key_for_backup(backup.path, database, passphrase, current)
            validate_backup(backup.path, key)
        except UserError:  # damaged, foreign, newer, or locked away: try the one before
            continue
        return backup.path
    return None
