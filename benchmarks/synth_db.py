"""Bulk writing into a migrated program: one raw connection, big transactions, exact formats.

The ORM would spend minutes on half a million rows, so rows go in with ``executemany`` in the
formats SQLAlchemy itself stores (see :class:`mentor_desk.db.base.UTCDateTime`): naive UTC
``YYYY-MM-DD HH:MM:SS.ffffff`` for datetimes, ``YYYY-MM-DD`` for dates, 0/1 for booleans and the
enum *values*. Each insert names every column of its table, checked against the models, so that a
new column in the schema fails here with a clear message instead of leaving NULLs behind. The
full-text indexes are kept by the schema's own triggers, as in the app.
"""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from mentor_desk.db.base import Base
from mentor_desk.db.models import LmpArea, SessionTemplate, SessionType, Setting, SkillArea

# Reference data seeded with random uids and the clock; rewritten from the seed (see restamp).
_REFERENCE_TABLES = (LmpArea, SessionTemplate, SessionType, SkillArea)


def stamp(moment: datetime) -> str:
    """A naive-UTC datetime as SQLAlchemy stores it in SQLite."""
    return moment.isoformat(sep=" ", timespec="microseconds")


def day(value: date) -> str:
    return value.isoformat()


class BulkWriter:
    """Inserts rows into the database file at ``path`` over one fast, unsafe-until-closed link.

    Durability is off while it is open (``synchronous=OFF``, rollback journal in memory); closing
    it commits, checks the foreign keys and puts the database back in WAL mode with the app's
    settings, so a crash mid-way leaves a half-written file that the generator then refuses to
    reuse without ``--force``.
    """

    def __init__(self, path: Path, rng: random.Random) -> None:
        self.rng = rng
        self.counts: Counter[str] = Counter()
        self.connection = sqlite3.connect(path, isolation_level=None)
        for pragma in (
            "journal_mode = MEMORY",
            "synchronous = OFF",
            "foreign_keys = OFF",
            "cache_size = -400000",
            "temp_store = MEMORY",
        ):
            self.connection.execute(f"PRAGMA {pragma}")
        self.connection.execute("BEGIN")

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.finish()
        else:
            self.connection.execute("ROLLBACK")
            self.connection.close()

    def uid(self) -> str:
        """A uid drawn from the seed (32 hex characters, like :func:`new_uid`)."""
        return f"{self.rng.getrandbits(128):032x}"

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Insert ``rows`` (tuples in ``columns`` order) into ``table``; returns how many."""
        expected = {column.name for column in Base.metadata.tables[table].columns}
        if set(columns) != expected:
            missing, unknown = sorted(expected - set(columns)), sorted(set(columns) - expected)
            raise RuntimeError(
                f"The generator is out of step with the schema of {table!r}: "
                f"missing {missing}, unknown {unknown}. Update benchmarks/synth_*.py."
            )
        marks = ", ".join("?" for _ in columns)
        cursor = self.connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
        )
        self.counts[table] += cursor.rowcount
        return cursor.rowcount

    def commit(self) -> None:
        """Commit what is written so far and start the next transaction."""
        self.connection.execute("COMMIT")
        self.connection.execute("BEGIN")

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, params).fetchall()

    def restamp(self, moment: datetime, mentor: str) -> None:
        """Give the seeded reference data uids and timestamps drawn from the seed, not the clock,
        and set the mentor's name, so the same seed gives the same export byte for byte."""
        when = stamp(moment)
        for model in _REFERENCE_TABLES:
            table = model.__tablename__
            ids = [row[0] for row in self.query(f"SELECT id FROM {table} ORDER BY id")]
            self.connection.executemany(
                f"UPDATE {table} SET uid = ?, created_at = ?, updated_at = ? WHERE id = ?",
                [(self.uid(), when, when, row_id) for row_id in ids],
            )
        self.connection.execute(
            f"UPDATE {Setting.__tablename__} SET created_at = ?, updated_at = ?", (when, when)
        )
        from mentor_desk.services.settings import MENTOR_NAME

        self.insert(
            Setting.__tablename__,
            ("key", "value", "created_at", "updated_at"),
            [(MENTOR_NAME, mentor, when, when)],
        )

    def finish(self) -> None:
        """Commit, verify the links, and hand the file back in the app's journal mode."""
        connection = self.connection
        try:
            connection.execute("COMMIT")
            broken = connection.execute("PRAGMA foreign_key_check").fetchmany(5)
            if broken:
                raise RuntimeError(f"The generator wrote broken links: {broken}")
            connection.execute("PRAGMA journal_mode = WAL")
        finally:
            connection.close()
