"""Optional encryption at rest with SQLCipher: keys, opening, and converting a database.

The passphrase is stretched ONCE with scrypt into a raw 256-bit key; every connection then gives
SQLCipher that raw key (``PRAGMA key = "x'…'"``) so it skips its own per-connection PBKDF2. The
scrypt salt is the 16-byte salt SQLCipher keeps at the start of every encrypted file (we choose it
when the file is written), so each file, backups included, carries its own salt and a crash while
converting can never leave a file whose salt is somewhere else. The side file
``<database>.crypto.json`` holds only the scrypt cost parameters: it says encryption is on, and
nothing more.

A file counts as encrypted when the side file exists and the file has no SQLite header.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mentor_desk.errors import DatabaseError, ValidationError
from mentor_desk.paths import DataPaths, make_private_file

if TYPE_CHECKING:
    from mentor_desk.db.engine import Database

#: Something that reads a whole database into comparable text (a JSON export).
Fingerprint = Callable[["Database"], str]

SQLITE_HEADER = b"SQLite format 3\x00"
SALT_BYTES = 16
KEY_BYTES = 32
MIN_PASSPHRASE = 8
HEADER_SUFFIX = ".crypto.json"
# scrypt cost: about 100 ms and 32 MiB on a 2020s laptop; stored, so it can be raised later.
SCRYPT = {"n": 2**15, "r": 8, "p": 1}


class WrongPassphraseError(DatabaseError):
    """The passphrase does not open the encrypted database (nothing was changed)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or "The passphrase is not right. Try again; nothing was changed.")


class PassphraseRequiredError(DatabaseError):
    """The database is encrypted and no passphrase was given."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "The database is encrypted. Give its passphrase (in a terminal: the prompt, or "
            "the MENTOR_DESK_PASSPHRASE environment variable)."
        )


@dataclass(frozen=True, slots=True)
class DatabaseKey:
    """A raw SQLCipher key and the file salt it was derived with (never shown in a repr)."""

    raw: bytes = field(repr=False)
    salt: bytes

    def pragma_value(self) -> str:
        """The literal for ``PRAGMA key``: raw key plus salt, so SQLCipher derives nothing."""
        return f"\"x'{self.raw.hex()}{self.salt.hex()}'\""


@dataclass(frozen=True, slots=True)
class ConversionResult:
    """What a conversion did: rows checked in the database, backups converted or left alone."""

    tables: int
    rows: int
    backups_converted: tuple[Path, ...]
    backups_skipped: tuple[Path, ...]

    def describe(self) -> str:
        text = f"{self.rows} rows in {self.tables} tables checked identical before and after"
        if self.backups_converted:
            text += f"; {len(self.backups_converted)} backups converted"
        if self.backups_skipped:
            text += (
                f"; {len(self.backups_skipped)} backups left as they were (they do not open with "
                "this passphrase)"
            )
        return text + "."


# --- detecting and keying ----------------------------------------------------------------------


def header_path(database: Path) -> Path:
    return database.with_name(database.name + HEADER_SUFFIX)


def _file_header(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return b""


def is_encrypted(database: Path) -> bool:
    """True when ``database`` is an encrypted Mentor Desk database (side file, no SQLite header)."""
    header = _file_header(database)
    return (
        len(header) == len(SQLITE_HEADER)
        and header != SQLITE_HEADER
        and (header_path(database).exists())
    )


def _kdf_params(database: Path) -> dict[str, int]:
    try:
        data = json.loads(header_path(database).read_text(encoding="utf-8"))
        if data.get("kdf") != "scrypt":
            raise ValueError("unknown kdf")
        return {name: int(data[name]) for name in ("n", "r", "p")}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DatabaseError(
            f"The encryption settings file {header_path(database).name} is missing or damaged "
            f"({exc}); without it the passphrase cannot be turned into the key."
        ) from exc


def looks_encrypted(path: Path) -> bool:
    """True when ``path`` has a full header that is not SQLite's: an encrypted file (a backup
    has no side file) or something that is no database at all; only a key can tell which."""
    header = _file_header(path)
    return len(header) == len(SQLITE_HEADER) and header != SQLITE_HEADER


def file_salt(path: Path) -> bytes:
    """The salt an encrypted file starts with (for a plain file: the start of SQLite's header)."""
    return _file_header(path)[:SALT_BYTES]


def kdf_params(database: Path) -> dict[str, int]:
    """The scrypt cost of ``database``'s program: its side file's, or the default when plain."""
    return _kdf_params(database) if header_path(database).exists() else dict(SCRYPT)


def key_for_backup(
    backup: Path,
    database: Path | None,
    passphrase: str | None,
    current: DatabaseKey | None = None,
) -> DatabaseKey | None:
    """The key that opens ``backup`` (a backup of ``database``'s program); None when it is plain.

    A backup made while encrypted shares the database's salt, so the open database's key
    (``current``) opens it without the passphrase; any other salt needs ``passphrase`` (stretched
    at ``database``'s scrypt cost; the default one without a database).

    Raises:
        PassphraseRequiredError: the backup is encrypted, with another salt, and no passphrase
            was given.
    """
    if not looks_encrypted(backup):
        return None
    salt = _file_header(backup)[:SALT_BYTES]
    if current is not None and current.salt == salt:
        return current
    if passphrase is None:
        raise PassphraseRequiredError(
            f"{backup.name} is not a Mentor Desk database, or it is a backup encrypted with "
            "another passphrase: restore it with `mentor-desk restore` in a terminal, which asks "
            "for its passphrase (or reads MENTOR_DESK_PASSPHRASE). Nothing was changed."
        )
    return derive_key(passphrase, salt, kdf_params(database) if database else None)


def driver_errors() -> tuple[type[Exception], ...]:
    """The DB-API error classes of both drivers: SQLCipher's do not derive from sqlite3's."""
    import sqlite3

    try:
        return (sqlite3.Error, driver().Error)
    except ImportError:  # pragma: no cover - sqlcipher3 is a dependency
        return (sqlite3.Error,)


def derive_key(passphrase: str, salt: bytes, params: dict[str, int] | None = None) -> DatabaseKey:
    """Stretch ``passphrase`` with scrypt into a :class:`DatabaseKey` (about 100 ms)."""
    cost = params or SCRYPT
    raw = hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=salt,
        n=cost["n"],
        r=cost["r"],
        p=cost["p"],
        maxmem=256 * 1024 * 1024,
        dklen=KEY_BYTES,
    )
    return DatabaseKey(raw, salt)


def key_for_file(path: Path, passphrase: str, params: dict[str, int]) -> DatabaseKey:
    """The key for the encrypted file ``path``: its own salt is its first 16 bytes."""
    return derive_key(passphrase, _file_header(path)[:SALT_BYTES], params)


def apply_key(connection: Any, key: DatabaseKey) -> None:
    """Key a fresh SQLCipher connection; must run before any other statement."""
    # SQLCipher logs a failed HMAC check to stderr; a wrong passphrase is reported by us instead.
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = {key.pragma_value()}")


def driver() -> Any:
    """The SQLCipher DB-API module (imported only when encryption is used)."""
    import sqlcipher3

    return sqlcipher3


def connect(
    path: Path, key: DatabaseKey | None, *, timeout: float = 5.0, readonly: bool = False
) -> Any:
    """A DB-API connection through SQLCipher, keyed when ``key`` is given (plaintext otherwise)."""
    target = f"{path.resolve().as_uri()}?mode=ro" if readonly else str(path)
    connection = driver().connect(target, timeout=timeout, uri=readonly)
    connection.isolation_level = None
    if key is not None:
        apply_key(connection, key)
    return connection


def check_key(path: Path, key: DatabaseKey) -> None:
    """Read ``path`` with ``key`` read-only; raises :class:`WrongPassphraseError` if it fails."""
    connection = connect(path, key, readonly=True)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except driver().DatabaseError as exc:
        raise WrongPassphraseError() from exc
    finally:
        connection.close()


def unlock(database: Path, passphrase: str) -> DatabaseKey:
    """Derive the key of the encrypted ``database`` and check it opens the file."""
    key = key_for_file(database, passphrase, _kdf_params(database))
    check_key(database, key)
    return key


# --- converting ----------------------------------------------------------------------------------


def validate_passphrase(passphrase: str, field_name: str = "passphrase") -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(
            f"must be at least {MIN_PASSPHRASE} characters; a longer phrase of several words is "
            "both safer and easier to remember",
            field_name,
        )
    return passphrase


def encrypt_database(
    paths: DataPaths, passphrase: str, *, fingerprint: Fingerprint | None = None
) -> ConversionResult:
    """Encrypt the plaintext database (and its backups) with ``passphrase``.

    Every conversion checks the row count of every table before and after; ``fingerprint`` (the
    services pass a JSON export with a fixed time) is compared too. The db layer cannot import
    services, hence the parameter.
    """
    database = paths.database
    _require_database(database)
    if is_encrypted(database):
        raise DatabaseError("The database is already encrypted; nothing was changed.")
    validate_passphrase(passphrase)
    new_key = derive_key(passphrase, os.urandom(SALT_BYTES))
    return _convert(paths, None, new_key, lambda _path: None, fingerprint)


def decrypt_database(
    paths: DataPaths, passphrase: str, *, fingerprint: Fingerprint | None = None
) -> ConversionResult:
    """Turn the encrypted database (and the backups it opens) back into plain SQLite."""
    database = paths.database
    _require_database(database)
    if not is_encrypted(database):
        raise DatabaseError("The database is not encrypted; nothing was changed.")
    old_key = unlock(database, passphrase)
    keys = file_keys(passphrase, _kdf_params(database))
    return _convert(paths, old_key, None, keys, fingerprint)


def change_passphrase(
    paths: DataPaths, old: str, new: str, *, fingerprint: Fingerprint | None = None
) -> ConversionResult:
    """Re-encrypt the database (and the backups the old passphrase opens) with ``new``."""
    database = paths.database
    _require_database(database)
    if not is_encrypted(database):
        raise DatabaseError(
            "The database is not encrypted, so it has no passphrase to change; use "
            "`mentor-desk encrypt`."
        )
    validate_passphrase(new, "new passphrase")
    old_key = unlock(database, old)
    if new == old:
        raise ValidationError(
            "is the same as the current one; nothing was changed", "new passphrase"
        )
    new_key = derive_key(new, os.urandom(SALT_BYTES))
    keys = file_keys(old, _kdf_params(database))
    return _convert(paths, old_key, new_key, keys, fingerprint)


def file_keys(passphrase: str, params: dict[str, int]) -> Callable[[Path], DatabaseKey | None]:
    """A key-for-path function (None for a plain file) that derives once per distinct salt."""
    cache: dict[bytes, DatabaseKey] = {}

    def key_of(path: Path) -> DatabaseKey | None:
        if _file_header(path) == SQLITE_HEADER:
            return None
        salt = _file_header(path)[:SALT_BYTES]
        if salt not in cache:
            cache[salt] = derive_key(passphrase, salt, params)
        return cache[salt]

    return key_of


def _require_database(database: Path) -> None:
    if not database.exists() or database.stat().st_size == 0:
        raise DatabaseError(f"There is no database in {database.parent} yet; nothing was changed.")


def _convert(
    paths: DataPaths,
    old_key: DatabaseKey | None,
    new_key: DatabaseKey | None,
    backup_key: Callable[[Path], DatabaseKey | None],
    fingerprint: Fingerprint | None,
) -> ConversionResult:
    database = paths.database
    counts = _convert_file(database, old_key, new_key, fingerprint=fingerprint, marker=True)
    converted: list[Path] = []
    skipped: list[Path] = []
    for backup in _backup_files(paths):
        source_key = backup_key(backup)
        if source_key is None and old_key is not None:
            continue  # a plaintext backup stays plaintext when changing passphrase or decrypting
        try:
            _convert_file(backup, source_key, new_key)
        except DatabaseError:
            skipped.append(backup)
        else:
            converted.append(backup)
            # backup.py's "identical to the newest backup" digest; it is recomputed when missing.
            backup.with_name(backup.name + ".sha256").unlink(missing_ok=True)
    # The side file goes last on decrypt, first on encrypt: in between, the file decides.
    marker = header_path(database)
    if new_key is None:
        marker.unlink(missing_ok=True)
    return ConversionResult(len(counts), sum(counts.values()), tuple(converted), tuple(skipped))


def convert_file(path: Path, old_key: DatabaseKey | None, new_key: DatabaseKey | None) -> None:
    """Rewrite one file from ``old_key`` to ``new_key`` (None: plain), verified, in place."""
    _convert_file(path, old_key, new_key)


def _backup_files(paths: DataPaths) -> list[Path]:
    found = sorted(paths.database.parent.glob(f"{paths.database.name}.before-*.bak"))
    if paths.backups.is_dir():
        found += sorted(p for p in paths.backups.glob("mentor-desk-*.sqlite3") if p.is_file())
    return found


def write_marker(database: Path) -> None:
    """Write ``database``'s side file: from now on an encrypted file there is opened with a key."""
    marker = header_path(database)
    temp = marker.with_name(marker.name + ".tmp")
    temp.write_text(json.dumps({"format": 1, "kdf": "scrypt", **SCRYPT}, indent=2) + "\n")
    make_private_file(temp)
    os.replace(temp, marker)


def _convert_file(
    path: Path,
    old_key: DatabaseKey | None,
    new_key: DatabaseKey | None,
    *,
    fingerprint: Fingerprint | None = None,
    marker: bool = False,
) -> dict[str, int]:
    """Rewrite ``path`` from ``old_key`` to ``new_key`` (None: plaintext) via a verified temp file.

    The original stays untouched until the copy has the same row count in every table (and, given
    a ``fingerprint``, the same fingerprint); then one atomic rename swaps them. With ``marker``
    the side file is written just before the swap (encrypting: from then on the file decides).
    """
    temp = path.with_name(path.name + ".converting.tmp")
    _remove_with_companions(temp)
    source = connect(path, old_key)
    try:
        try:
            before = _table_counts(source)
        except driver().DatabaseError as exc:
            raise WrongPassphraseError() from exc
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        spec = new_key.pragma_value() if new_key is not None else "''"
        source.execute(f"ATTACH DATABASE ? AS converted KEY {spec}", (str(temp),))
        try:
            # One transaction: in autocommit every copied table would be its own synced commit.
            source.execute("BEGIN")
            source.execute("SELECT sqlcipher_export('converted')")
            version = source.execute("PRAGMA user_version").fetchone()[0]
            source.execute(f"PRAGMA converted.user_version = {int(version)}")
            source.execute("COMMIT")
        finally:
            if source.in_transaction:
                source.execute("ROLLBACK")
            source.execute("DETACH DATABASE converted")
    finally:
        source.close()
    try:
        target = connect(temp, new_key)
        try:
            after = _table_counts(target)
        finally:
            target.close()
        if after != before:
            raise DatabaseError(
                f"Converting {path.name} changed row counts; the original was kept unchanged."
            )
        if fingerprint is not None and _fingerprint(path, old_key, fingerprint) != _fingerprint(
            temp, new_key, fingerprint
        ):
            raise DatabaseError(
                f"Converting {path.name} changed its contents; the original was kept unchanged."
            )
        make_private_file(temp)
        if new_key is not None and marker:
            write_marker(path)
        for companion in ("-wal", "-shm"):
            path.with_name(path.name + companion).unlink(missing_ok=True)
        os.replace(temp, path)
    except BaseException:
        _remove_with_companions(temp)
        raise
    return before


def _remove_with_companions(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _table_counts(connection: Any) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    return {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
    }


def _fingerprint(path: Path, key: DatabaseKey | None, fingerprint: Fingerprint) -> str:
    from mentor_desk.db.engine import Database  # engine imports this module

    db = Database(path, key=key)
    try:
        return fingerprint(db)
    finally:
        db.dispose()
