"""Opening a user's program: the data folder, the database (migrated) and its defaults."""

from __future__ import annotations

import os

from mentor_desk.db.engine import Database, open_database
from mentor_desk.paths import DataPaths, data_paths
from mentor_desk.services.defaults import ensure_defaults


def open_program(data_dir: str | os.PathLike[str] | DataPaths | None = None) -> Database:
    """Open the database in ``data_dir`` (default folder if None), creating it on first use."""
    paths = data_dir if isinstance(data_dir, DataPaths) else data_paths(data_dir)
    paths.ensure()
    db = open_database(paths.database)
    try:
        ensure_defaults(db)
    except BaseException:
        db.dispose()
        raise
    return db


def open_memory_program() -> Database:
    """A fresh in-memory program with the default reference data (tests, previews)."""
    db = open_database(None)
    ensure_defaults(db)
    return db
