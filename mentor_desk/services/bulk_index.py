"""Filling a table with many rows without updating its search index row by row.

The search indexes (FTS5 with ``content=`` the source table) are kept in step by triggers. For a
bulk insert, such as importing a whole program into an empty one, indexing each row as it goes
costs about twice what rebuilding the index once afterwards does. :func:`index_after` drops a
table's insert triggers for the duration and rebuilds the indexes they fed, all inside the
caller's write transaction: SQLite's DDL is transactional, so a failure rolls the triggers back
with the rows and nothing is ever left unindexed.

The triggers are read from ``sqlite_master`` and recreated from their own SQL, so this follows
whatever the migrations defined.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = ["index_after", "worth_deferring"]

_INSERT_TRIGGER = re.compile(r"\bAFTER\s+INSERT\s+ON\b", re.IGNORECASE)
_INDEX_TARGET = re.compile(r"\bINSERT\s+INTO\s+\"?(\w+)\"?\s*\(", re.IGNORECASE)


def worth_deferring(session: Session, table: str, new_rows: int) -> bool:
    """Whether rebuilding beats indexing row by row: the rebuild reads every row of the table,
    so only when the new rows outnumber those already there (and are not a handful)."""
    if new_rows < 500:
        return False
    existing = session.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
    return new_rows > existing


@contextmanager
def index_after(session: Session, table: str) -> Iterator[None]:
    """Insert into ``table`` inside the block; its search indexes are rebuilt at the end."""
    triggers = [
        (name, sql)
        for name, sql in session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {"t": table},
        )
        if _INSERT_TRIGGER.search(sql) and _indexes(session, sql)
    ]
    indexes = sorted({index for _name, sql in triggers for index in _indexes(session, sql)})
    for name, _sql in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in triggers:
        session.execute(text(sql))
    for index in indexes:
        session.execute(text(f'INSERT INTO "{index}"("{index}") VALUES(\'rebuild\')'))


def _indexes(session: Session, trigger_sql: str) -> list[str]:
    """The FTS5 tables a trigger writes to."""
    found = []
    for name in _INDEX_TARGET.findall(trigger_sql):
        sql = session.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :n"), {"n": name}
        ).scalar()
        if sql and "USING FTS5" in sql.upper():
            found.append(name)
    return found
