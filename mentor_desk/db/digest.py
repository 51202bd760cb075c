"""Digests that tell whether a backup holds the same state as another ("nothing changed").

A plain backup's digest is the SHA-256 of its bytes: the online backup API copies pages through
the pager, so one committed state always gives the same bytes. An encrypted file cannot be
compared that way: SQLCipher writes every page with a fresh random IV, so two copies of one
state never share a byte after the salt. Its digest is taken over the plaintext instead, through
a keyed connection: the schema, ``user_version`` and every row of every stored table, in the
order a full scan returns them (rowid or primary-key order, fixed for a given content). The two
kinds carry different prefixes, so they can never compare equal by accident.

The digest is kept beside the backup (``<name>.sha256``) and recomputed when that file is lost.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mentor_desk.db import crypto
from mentor_desk.paths import make_private_file

if TYPE_CHECKING:
    from mentor_desk.db.crypto import DatabaseKey

DIGEST_SUFFIX = ".sha256"
CONTENT_PREFIX = "content:"


def file_digest(path: Path) -> str:
    """SHA-256 of the file's bytes (plain backups)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_digest(connection: Any) -> str:
    """SHA-256 of a database's logical content, read through an open (keyed) connection."""
    digest = hashlib.sha256()
    digest.update(repr(connection.execute("PRAGMA user_version").fetchone()).encode())
    schema = connection.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()
    for entry in schema:
        digest.update(repr(entry).encode("utf-8", "surrogatepass"))
    for kind, name, _table, sql in schema:
        # A virtual table's rows live in its shadow tables, which are listed themselves.
        if kind != "table" or (sql or "").upper().startswith("CREATE VIRTUAL"):
            continue
        digest.update(f"\0table {name}\0".encode("utf-8", "surrogatepass"))
        cursor = connection.execute(f'SELECT * FROM "{name}"')
        while rows := cursor.fetchmany(1000):
            for row in rows:
                digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return CONTENT_PREFIX + digest.hexdigest()


def digest_of(path: Path, key: DatabaseKey | None) -> str:
    """The digest of the backup file ``path``: of its content with ``key``, else of its bytes.

    Raises:
        OSError: the file cannot be read.
        sqlite3.Error or SQLCipher's error: ``key`` does not open it.
    """
    if key is None:
        return file_digest(path)
    connection = crypto.connect(path, key, readonly=True)
    try:
        return content_digest(connection)
    finally:
        connection.close()


def digest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + DIGEST_SUFFIX)


def write_digest(backup: Path, digest: str) -> None:
    digest_path(backup).write_text(digest + "\n", encoding="ascii")
    make_private_file(digest_path(backup))


def stored_digest(backup: Path, key: DatabaseKey | None = None) -> str | None:
    """The digest recorded beside ``backup``; computed (with ``key`` if the backup is encrypted)
    and recorded when it is missing. None when it cannot be had (unreadable, another key)."""
    try:
        return digest_path(backup).read_text(encoding="ascii").strip()
    except OSError:
        pass
    try:
        digest = digest_of(backup, key if crypto.looks_encrypted(backup) else None)
        write_digest(backup, digest)
    except (OSError, *crypto.driver_errors()):
        return None
    return digest
