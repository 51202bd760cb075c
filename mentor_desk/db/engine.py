"""Opening the database: engine, pragmas, transactions and units of work.

The pysqlite driver's own transaction handling is switched off (``isolation_level = None``) and
SQLAlchemy emits ``BEGIN`` itself, as the SQLAlchemy SQLite dialect docs advise. Write units use
``BEGIN IMMEDIATE`` so two writers queue on the busy timeout instead of failing halfway through.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from mentor_desk.errors import DatabaseError, DatabaseLockedError, NotFoundError
from mentor_desk.paths import make_private_file

if TYPE_CHECKING:
    from mentor_desk.db.crypto import DatabaseKey

BUSY_TIMEOUT_MS = 5000
_BEGIN_OPTION = "mentor_desk_begin"
# What SQLite says about a file that is damaged, truncated or not a database at all.
_DAMAGED = ("malformed", "not a database", "file is encrypted")


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (see _on_begin)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _on_begin(conn: Any) -> None:
    options = conn.get_execution_options()
    # VACUUM INTO and backups need a connection with no open transaction.
    if options.get("isolation_level") == "AUTOCOMMIT":
        return
    conn.exec_driver_sql(options.get(_BEGIN_OPTION, "BEGIN"))


def make_engine(path: Path | None, key: DatabaseKey | None = None) -> Engine:
    """A configured engine for the file at ``path``, or a private in-memory database.

    With ``key`` the file is opened through SQLCipher and keyed before anything else runs.
    """
    if path is None:
        engine = create_engine(
            "sqlite://",
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
        )
    elif key is not None:
        from mentor_desk.db import crypto

        engine = create_engine(
            f"sqlite:///{path}",
            module=crypto.driver(),
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        )
        # Registered first, so the key precedes the pragmas of _on_connect.
        event.listen(engine, "connect", lambda conn, _record: crypto.apply_key(conn, key))
    else:
        engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


class Database:
    """One SQLite database: an engine plus short-lived sessions for units of work.

    Use :meth:`read` for queries and :meth:`write` for changes; each is one transaction. Objects
    leave a unit of work detached and unexpired, but services hand out plain dataclasses anyway.
    """

    def __init__(self, path: Path | None, key: DatabaseKey | None = None) -> None:
        self.path = path
        self.key = key
        self.engine = make_engine(path, key)
        self._reader = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            bind=self.engine.execution_options(**{_BEGIN_OPTION: "BEGIN IMMEDIATE"}),
            expire_on_commit=False,
        )

    @property
    def in_memory(self) -> bool:
        return self.path is None

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work; anything written in it is rolled back."""
        with translate_errors(), self._reader() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that commits as one when the block ends, or rolls back on error."""
        with translate_errors(), self._writer() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def raw_connect(self, path: Path | None = None) -> sqlite3.Connection:
        """A plain DB-API connection to ``path`` (default: this database's file) opened the way
        the engine opens its own (same driver, and the same key once encryption is on).

        Backups, restores and integrity checks use this instead of calling ``sqlite3.connect``,
        so they keep working on an encrypted database.
        """
        target = path if path is not None else self.path
        if target is None:
            raise ValueError("an in-memory database has no file to connect to")
        if self.key is not None:
            from mentor_desk.db import crypto

            return crypto.connect(target, self.key, timeout=BUSY_TIMEOUT_MS / 1000)  # type: ignore[no-any-return]
        connection = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
        connection.isolation_level = None
        return connection

    def dispose(self) -> None:
        """Close every pooled connection (before moving or replacing the file)."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({str(self.path) if self.path else ':memory:'})"


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turn the SQLite faults a user can meet into :class:`DatabaseError` with advice."""
    try:
        yield
    except OperationalError as exc:
        raise _user_error(exc) from exc
    except DBAPIError as exc:
        text = str(exc.orig).lower()
        # SQLCipher's driver has its own exception classes, named like sqlite3's.
        is_database_error = any(c.__name__ == "DatabaseError" for c in type(exc.orig).__mro__)
        if is_database_error and any(m in text for m in _DAMAGED):
            raise _user_error(exc) from exc
        raise
    except OverflowError as exc:
        # An id or number beyond SQLite's 64-bit integers (typed on the command line, say)
        # cannot match anything stored: a plain "not found", not a traceback.
        if "sqlite integer" not in str(exc).lower():
            raise
        raise NotFoundError("There is no record with that number (it is far too large).") from exc


def _user_error(exc: DBAPIError) -> DatabaseError:
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text:
        return DatabaseLockedError(
            "The database is busy in another program or window. Close the other Mentor Desk "
            "and try again; nothing was changed."
        )
    if "full" in text:
        return DatabaseError(
            "The disk is full, so the change could not be saved. Free some space and try again; "
            "what was saved before is intact."
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseError(
            "The data folder is read-only, so the change could not be saved. Check its "
            "permissions and try again."
        )
    if any(marker in text for marker in _DAMAGED):
        return DatabaseError(
            "The database file is damaged. Run `mentor-desk check`, then restore the newest "
            "backup with `mentor-desk restore`."
        )
    if "disk i/o" in text:
        return DatabaseError(
            "The disk reported an input/output error while saving. Check the drive, then try again."
        )
    return DatabaseError(f"The database could not be used: {exc.orig}")


def secure_database_file(path: Path) -> None:
    """Owner-only permissions on the database and its WAL/SHM companions."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        make_private_file(candidate)


def open_database(
    path: Path | None, *, migrate: bool = True, key: DatabaseKey | None = None
) -> Database:
    """Open (creating if needed) the database at ``path``, or in memory when ``path`` is None.

    With ``migrate`` the schema is brought up to date first (see :mod:`mentor_desk.db.migrate`).
    ``key`` opens an encrypted database (see :func:`mentor_desk.db.crypto.unlock`).
    """
    from mentor_desk.db.migrate import preflight, upgrade  # migrate imports this module

    if path is not None:
        from mentor_desk.paths import make_private_dir

        make_private_dir(path.parent)
        if migrate:
            preflight(path, key)
    db = Database(path, key)
    try:
        if migrate:
            upgrade(db)
        if path is not None:
            secure_database_file(path)
    except BaseException:
        db.dispose()
        raise
    return db
