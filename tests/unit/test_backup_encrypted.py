"""Backups, restores, checks and damaged start-ups of an encrypted program."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentor_desk.db import crypto
from mentor_desk.db.backup import backup_now
from mentor_desk.db.digest import digest_path
from mentor_desk.db.engine import Database
from mentor_desk.db.integrity import DamagedDatabaseError, check_database, newest_good_backup
from mentor_desk.errors import UserError
from mentor_desk.paths import DataPaths
from mentor_desk.services.backups import (
    back_up,
    backup_before,
    check_backup,
    program_backups,
    restore_program,
)
from mentor_desk.services.mentees import MenteeInput, create_mentee, list_mentees
from mentor_desk.services.program import install_backup, open_program

PASS = "correct horse battery"
OTHER = "a different passphrase"
HEADER = b"SQLite format 3\x00"


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """A low scrypt cost keeps these tests fast; it is written to the side file anyway."""
    monkeypatch.setattr(crypto, "SCRYPT", {"n": 2**10, "r": 8, "p": 1})


@pytest.fixture
def paths(db: Database, data_dir: Path) -> DataPaths:
    """The conftest program with one mentee, encrypted with PASS (and closed)."""
    create_mentee(db, MenteeInput(name="Zoë 李"))
    db.dispose()
    folder = DataPaths(data_dir)
    crypto.encrypt_database(folder, PASS)
    return folder


@pytest.fixture
def enc(paths: DataPaths) -> Iterator[Database]:
    program = open_program(paths, passphrase=PASS)
    yield program
    program.dispose()


def names(db: Database) -> list[str]:
    return sorted(m.name for m in list_mentees(db, status="all"))


def add(db: Database, name: str) -> None:
    create_mentee(db, MenteeInput(name=name))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plain_copy(paths: DataPaths, target: Path) -> Path:
    """A plain backup of the same program (as if made before encrypting)."""
    target.write_bytes(paths.database.read_bytes())
    crypto.convert_file(target, crypto.unlock(paths.database, PASS), None)
    return target


def test_a_backup_is_encrypted_and_restores_the_data(enc: Database, paths: DataPaths) -> None:
    made = back_up(enc).backup
    assert made.path.read_bytes()[:16] != HEADER
    assert "Zoë".encode() not in made.path.read_bytes()
    assert made.path.stat().st_mode & 0o777 == 0o600
    add(enc, "Grace")
    assert names(enc) == ["Grace", "Zoë 李"]

    result = restore_program(enc, made.path)

    assert names(enc) == ["Zoë 李"]
    assert result.converted is None
    assert result.saved is not None
    assert result.saved.reason == "before-restore"
    assert result.saved.path.read_bytes()[:16] != HEADER
    assert crypto.is_encrypted(paths.database)
    add(enc, "After")  # still writable, with the same key
    enc.dispose()
    again = open_program(paths, passphrase=PASS)
    try:
        assert names(again) == ["After", "Zoë 李"]
        assert check_database(again).ok
    finally:
        again.dispose()


def test_an_identical_state_is_backed_up_once(enc: Database) -> None:
    first = backup_now(enc, reason="timer")
    assert first is not None
    assert backup_now(enc, reason="timer") is None  # SQLCipher's random IVs notwithstanding
    digest_path(first.path).unlink()  # a lost digest is recomputed through the key
    assert backup_now(enc, reason="timer") is None
    assert digest_path(first.path).read_text().startswith("content:")
    add(enc, "Grace")
    second = backup_now(enc, reason="timer")
    assert second is not None
    backup_before(enc, "timer")
    assert [b.path for b in program_backups(enc)] == [second.path, first.path]


def test_a_backup_with_another_passphrase_is_refused_and_nothing_changes(
    enc: Database, paths: DataPaths, tmp_path: Path
) -> None:
    stranger = tmp_path / "other.sqlite3"
    plain_copy(paths, stranger)
    crypto.convert_file(stranger, None, crypto.derive_key(OTHER, b"0123456789abcdef"))
    enc.dispose()
    before = digest(paths.database)

    with pytest.raises(UserError) as caught:
        check_backup(paths, stranger, PASS)
    assert "does not open with this passphrase" in str(caught.value)
    with pytest.raises(UserError) as caught:
        restore_program(enc, stranger, passphrase=PASS)
    assert "does not open with this passphrase" in str(caught.value)
    assert "Nothing was changed" in str(caught.value)
    # Without a passphrase the window cannot derive the other key: a clear message too.
    with pytest.raises(UserError, match="mentor-desk restore"):
        restore_program(enc, stranger)

    assert digest(paths.database) == before
    assert program_backups(enc) == []
    assert names(enc) == ["Zoë 李"]


def test_a_plain_backup_is_encrypted_when_restored_into_an_encrypted_program(
    enc: Database, paths: DataPaths, tmp_path: Path
) -> None:
    old = plain_copy(paths, tmp_path / "old plain.sqlite3")
    add(enc, "Grace")
    result = restore_program(enc, old)
    assert result.converted is not None
    assert "encrypted like before" in result.converted
    assert names(enc) == ["Zoë 李"]
    assert paths.database.read_bytes()[:16] != HEADER
    assert old.read_bytes()[:16] == HEADER  # the backup itself is left as it was


def test_an_encrypted_backup_is_decrypted_into_a_plain_program(db: Database) -> None:
    add(db, "Ada")
    made = back_up(db).backup
    # A backup from a time the program was encrypted (with its own salt).
    crypto.convert_file(made.path, None, crypto.derive_key(PASS, b"fedcba9876543210"))
    assert made.path.read_bytes()[:16] == b"fedcba9876543210"
    add(db, "Grace")
    with pytest.raises(crypto.PassphraseRequiredError, match="MENTOR_DESK_PASSPHRASE"):
        restore_program(db, made.path)
    with pytest.raises(UserError, match="does not open with this passphrase"):
        restore_program(db, made.path, passphrase=OTHER)
    assert names(db) == ["Ada", "Grace"]

    result = restore_program(db, made.path, passphrase=PASS)

    assert result.converted is not None
    assert "decrypted" in result.converted
    assert names(db) == ["Ada"]
    assert db.path is not None
    assert db.path.read_bytes()[:16] == HEADER
    assert not crypto.header_path(db.path).exists()


def test_check_reads_an_encrypted_file_through_its_key(enc: Database, paths: DataPaths) -> None:
    report = check_database(enc)
    assert report.ok, report.lines()
    assert len(report.checks) > 5
    enc.dispose()
    wrong = crypto.derive_key(OTHER, crypto.file_salt(paths.database))
    failed = check_database(Database(paths.database, wrong))
    assert not failed.ok
    assert failed.error is not None
    assert "not a database" in failed.error


def test_a_damaged_encrypted_database_offers_its_newest_encrypted_backup(
    enc: Database, paths: DataPaths
) -> None:
    made = back_up(enc).backup
    assert newest_good_backup(paths.backups) is None  # without a key it cannot be vouched for
    assert newest_good_backup(paths.backups, current=enc.key) == made.path
    enc.dispose()
    data = bytearray(paths.database.read_bytes())
    data[100:4000] = b"\x00" * 3900  # the first page: no key can read it any more
    paths.database.write_bytes(bytes(data))

    with pytest.raises(DamagedDatabaseError) as caught:
        open_program(paths, passphrase=PASS)
    assert caught.value.newest_backup == made.path
    assert not paths.database.exists()
    assert caught.value.moved_to.read_bytes() == bytes(data)  # moved aside untouched

    install_backup(paths, made.path, PASS)
    program = open_program(paths, passphrase=PASS)
    try:
        assert names(program) == ["Zoë 李"]
    finally:
        program.dispose()


def test_a_wrong_passphrase_on_a_healthy_file_is_still_a_wrong_passphrase(
    enc: Database, paths: DataPaths
) -> None:
    back_up(enc)
    enc.dispose()
    before = digest(paths.database)
    with pytest.raises(crypto.WrongPassphraseError):
        open_program(paths, passphrase=OTHER)
    assert digest(paths.database) == before
