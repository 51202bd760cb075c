"""Encryption at rest: converting a database both ways, opening it, and wrong passphrases."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mentor_desk.db import crypto
from mentor_desk.db.crypto import (
    PassphraseRequiredError,
    WrongPassphraseError,
    change_passphrase,
    decrypt_database,
    encrypt_database,
    is_encrypted,
)
from mentor_desk.db.engine import Database
from mentor_desk.errors import DatabaseError, ValidationError
from mentor_desk.paths import DataPaths
from mentor_desk.services.demo import load_demo
from mentor_desk.services.interchange import export_data
from mentor_desk.services.mentees import list_mentees
from mentor_desk.services.program import open_program, program_is_encrypted

PASS = "correct horse battery"
FIXED = datetime(2026, 1, 1, tzinfo=UTC)


def fingerprint(db: Database) -> str:
    return json.dumps(export_data(db, exported_at=FIXED), sort_keys=True)


_TEMPLATE: list[Path] = []


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """A low scrypt cost keeps conversions fast (the real cost is in docs/encryption.md)."""
    monkeypatch.setattr(crypto, "SCRYPT", {"n": 2**10, "r": 8, "p": 1})


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    """A data folder holding the demo program (built once per process, then copied)."""
    if not _TEMPLATE:
        folder = tmp_path_factory.mktemp("crypto-demo-template")
        db = open_program(folder)
        load_demo(db)
        db.dispose()
        _TEMPLATE.append(folder)
    copy = tmp_path_factory.mktemp("crypto-demo")
    shutil.copytree(_TEMPLATE[0], copy, dirs_exist_ok=True)
    return DataPaths(copy)


def snapshot(paths: DataPaths, passphrase: str | None = None) -> tuple[dict[str, int], str]:
    key = crypto.unlock(paths.database, passphrase) if passphrase else None
    db = Database(paths.database, key)
    try:
        connection = db.raw_connect()
        try:
            counts = crypto._table_counts(connection)
        finally:
            connection.close()
        return counts, fingerprint(db)
    finally:
        db.dispose()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_encrypting_keeps_every_row_and_leaves_no_plaintext(demo: DataPaths) -> None:
    before = snapshot(demo)
    assert "Zoë".encode() in demo.database.read_bytes()  # the check below can fail

    result = encrypt_database(demo, PASS, fingerprint=fingerprint)

    raw = demo.database.read_bytes()
    assert b"SQLite format 3" not in raw
    assert "Zoë".encode() not in raw
    assert b"Zo\xc3\xab" not in raw
    assert is_encrypted(demo.database)
    assert program_is_encrypted(demo)
    marker = json.loads(crypto.header_path(demo.database).read_text())
    assert marker["kdf"] == "scrypt"
    assert set(marker) == {"format", "kdf", "n", "r", "p"}
    assert snapshot(demo, PASS) == before
    assert result.rows == sum(before[0].values())
    assert result.tables == len(before[0])
    assert demo.database.stat().st_mode & 0o777 == 0o600
    leftovers = [p.name for p in demo.root.iterdir() if ".converting" in p.name]
    assert leftovers == []


def test_the_program_opens_with_the_right_passphrase_only(demo: DataPaths) -> None:
    encrypt_database(demo, PASS)
    db = open_program(demo, passphrase=PASS)
    try:
        assert db.encrypted
        assert any(row.name.startswith("Zoë") for row in list_mentees(db))
    finally:
        db.dispose()

    untouched = digest(demo.database)
    with pytest.raises(WrongPassphraseError, match="passphrase is not right"):
        open_program(demo, passphrase="not the passphrase")
    with pytest.raises(PassphraseRequiredError):
        open_program(demo)
    assert digest(demo.database) == untouched
    assert is_encrypted(demo.database)  # not moved aside as "damaged"


def test_changing_the_passphrase(demo: DataPaths) -> None:
    encrypt_database(demo, PASS)
    before = snapshot(demo, PASS)
    change_passphrase(demo, PASS, "a brand new phrase", fingerprint=fingerprint)
    with pytest.raises(WrongPassphraseError):
        crypto.unlock(demo.database, PASS)
    assert snapshot(demo, "a brand new phrase") == before
    with pytest.raises(WrongPassphraseError):
        change_passphrase(demo, PASS, "another new phrase")


def test_decrypting_gives_back_an_identical_plain_database(demo: DataPaths) -> None:
    before = snapshot(demo)
    encrypt_database(demo, PASS)
    with pytest.raises(WrongPassphraseError):
        decrypt_database(demo, "wrong passphrase")
    decrypt_database(demo, PASS, fingerprint=fingerprint)
    assert demo.database.read_bytes().startswith(b"SQLite format 3\x00")
    assert not crypto.header_path(demo.database).exists()
    assert snapshot(demo) == before


def test_refusals_change_nothing(demo: DataPaths) -> None:
    with pytest.raises(DatabaseError, match="not encrypted"):
        decrypt_database(demo, PASS)
    with pytest.raises(DatabaseError, match="not encrypted"):
        change_passphrase(demo, PASS, "whatever it is")
    with pytest.raises(ValidationError, match="at least 8"):
        encrypt_database(demo, "short")
    assert not is_encrypted(demo.database)
    encrypt_database(demo, PASS)
    untouched = digest(demo.database)
    with pytest.raises(DatabaseError, match="already encrypted"):
        encrypt_database(demo, PASS)
    with pytest.raises(ValidationError, match="same as the current"):
        change_passphrase(demo, PASS, PASS)
    assert digest(demo.database) == untouched


def test_no_database_yet(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no database"):
        encrypt_database(DataPaths(tmp_path), PASS)


def test_backups_follow_the_database(demo: DataPaths) -> None:
    db = open_program(demo)
    try:
        demo.backups.mkdir(exist_ok=True)
        old_backup = demo.backups / "mentor-desk-20260101T000000Z-manual.sqlite3"
        connection = db.raw_connect()
        target = db.raw_connect(old_backup)
        connection.backup(target)
        target.close()
        connection.close()
    finally:
        db.dispose()

    result = encrypt_database(demo, PASS)
    assert result.backups_converted == (old_backup,)
    assert "Zoë".encode() not in old_backup.read_bytes()

    # A backup made while encrypted, through raw_connect, is encrypted with the same key.
    db = open_program(demo, passphrase=PASS)
    try:
        fresh = demo.backups / "mentor-desk-20260102T000000Z-manual.sqlite3"
        source, target = db.raw_connect(), db.raw_connect(fresh)
        source.backup(target)
        target.close()
        source.close()
    finally:
        db.dispose()
    assert b"SQLite format 3" not in fresh.read_bytes()
    assert fresh.read_bytes()[:16] == demo.database.read_bytes()[:16]  # the same salt
    crypto.check_key(fresh, crypto.key_for_file(fresh, PASS, crypto.SCRYPT))

    change_passphrase(demo, PASS, "the second phrase")
    for backup in (old_backup, fresh):
        crypto.check_key(backup, crypto.key_for_file(backup, "the second phrase", crypto.SCRYPT))
    decrypt_database(demo, "the second phrase")
    assert old_backup.read_bytes().startswith(b"SQLite format 3\x00")
