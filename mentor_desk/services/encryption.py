"""Encryption at rest for the window: the conversions of `mentor-desk encrypt`, on an open program.

The conversions are :mod:`mentor_desk.db.crypto`'s, the same the CLI commands call, checked with
the same whole-program JSON fingerprint. The window keeps one :class:`Database` object that every
tab and widget holds, so after a conversion :func:`reopen_program` points that same object at the
converted file (with the new key, or none) instead of handing out a new one.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from mentor_desk.db import crypto
from mentor_desk.db.crypto import MIN_PASSPHRASE, ConversionResult, WrongPassphraseError
from mentor_desk.db.engine import Database
from mentor_desk.paths import DataPaths
from mentor_desk.services.interchange import export_data

__all__ = [
    "MIN_PASSPHRASE",
    "ConversionResult",
    "WrongPassphraseError",
    "change_program_passphrase",
    "decrypt_program",
    "encrypt_program",
    "program_fingerprint",
    "reopen_program",
    "validate_new_passphrase",
]

_FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def program_fingerprint(db: Database) -> str:
    """The whole program as JSON with a fixed time: equal text means equal contents."""
    return json.dumps(export_data(db, exported_at=_FIXED_TIME), sort_keys=True)


def validate_new_passphrase(passphrase: str, field_name: str = "passphrase") -> str:
    """The rule a new passphrase must meet (ValidationError naming ``field_name`` otherwise)."""
    return crypto.validate_passphrase(passphrase, field_name)


# Each conversion first closes ``db``'s pooled connections: the file is replaced under them.
# Afterwards call :func:`reopen_program` (the new passphrase, or None after decrypting).


def encrypt_program(db: Database, paths: DataPaths, passphrase: str) -> ConversionResult:
    """Encrypt the program's database and its backups with ``passphrase``."""
    db.dispose()
    return crypto.encrypt_database(paths, passphrase, fingerprint=program_fingerprint)


def decrypt_program(db: Database, paths: DataPaths, passphrase: str) -> ConversionResult:
    """Make the program's database (and the backups the passphrase opens) plain again."""
    db.dispose()
    return crypto.decrypt_database(paths, passphrase, fingerprint=program_fingerprint)


def change_program_passphrase(
    db: Database, paths: DataPaths, old: str, new: str
) -> ConversionResult:
    """Re-encrypt the program's database (and the backups ``old`` opens) with ``new``."""
    db.dispose()
    return crypto.change_passphrase(paths, old, new, fingerprint=program_fingerprint)


def reopen_program(db: Database, passphrase: str | None) -> None:
    """Point the open ``db`` at its file again, keyed with ``passphrase`` when it is encrypted.

    Raises:
        WrongPassphraseError: the file is encrypted and ``passphrase`` does not open it (``db``
            is left as it was).
    """
    if db.path is None:
        return
    key = None
    if crypto.is_encrypted(db.path):
        if passphrase is None:
            raise crypto.PassphraseRequiredError()
        key = crypto.unlock(db.path, passphrase)
    db.dispose()
    # Every widget holds this very object; re-initialising it in place keeps them all valid.
    Database.__init__(db, db.path, key)
