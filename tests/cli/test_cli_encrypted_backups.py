"""`check`, `backup` and `restore` on an encrypted program; the backup before `demo --replace`."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from mentor_desk.cli import main
from mentor_desk.db import crypto
from mentor_desk.db.engine import Database
from mentor_desk.paths import DataPaths
from mentor_desk.services.mentees import MenteeInput, create_mentee
from mentor_desk.services.program import open_program

PASS = "correct horse battery"
HEADER = b"SQLite format 3\x00"


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "SCRYPT", {"n": 2**10, "r": 8, "p": 1})
    monkeypatch.delenv("MENTOR_DESK_PASSPHRASE", raising=False)


@pytest.fixture
def folder(db: Database, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The conftest program with one mentee, encrypted; the passphrase is in the environment."""
    create_mentee(db, MenteeInput(name="Zoë 李"))
    db.dispose()
    monkeypatch.setenv("MENTOR_DESK_PASSPHRASE", PASS)
    crypto.encrypt_database(DataPaths(data_dir), PASS)
    return data_dir


def run(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(folder), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def names(capsys: pytest.CaptureFixture[str], folder: Path) -> list[str]:
    code, out, err = run(capsys, folder, "mentees", "--json")
    assert code == 0, err
    return sorted(row["name"] for row in json.loads(out))


def add(folder: Path, name: str, passphrase: str | None = PASS) -> None:
    db = open_program(folder, passphrase=passphrase)
    try:
        create_mentee(db, MenteeInput(name=name))
    finally:
        db.dispose()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_check_on_an_encrypted_program(
    capsys: pytest.CaptureFixture[str], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    capsys.readouterr()
    code, out, err = run(capsys, folder, "check")
    assert (code, err) == (0, "")
    assert re.search(r"^All \d+ checks passed\.$", out, re.MULTILINE)
    assert "search indexes" in out
    monkeypatch.setenv("MENTOR_DESK_PASSPHRASE", "not the passphrase")
    code, out, err = run(capsys, folder, "check")
    assert code == 1
    assert out == ""
    assert err.strip() == (
        "mentor-desk: The passphrase is not right. Try again; nothing was changed."
    )
    monkeypatch.delenv("MENTOR_DESK_PASSPHRASE")
    code, _out, err = run(capsys, folder, "check")
    assert code == 1
    assert "MENTOR_DESK_PASSPHRASE" in err


def test_backup_change_restore_round_trip(
    capsys: pytest.CaptureFixture[str], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    capsys.readouterr()
    code, out, err = run(capsys, folder, "backup")
    assert code == 0, err
    (made,) = sorted((folder / "backups").glob("*-manual.sqlite3"))
    assert made.read_bytes()[:16] != HEADER
    assert "Zoë".encode() not in made.read_bytes()
    assert run(capsys, folder, "backup")[1].startswith("Nothing changed since the newest backup")
    add(folder, "Grace")
    assert names(capsys, folder) == ["Grace", "Zoë 李"]

    # Another passphrase: a clear message, and nothing changes.
    database = folder / "mentor-desk.sqlite3"
    before = digest(database)
    monkeypatch.setenv("MENTOR_DESK_PASSPHRASE", "not the passphrase")
    code, out, err = run(capsys, folder, "restore", made.name)
    assert (code, out) == (1, "")
    assert "passphrase is not right" in err
    assert digest(database) == before

    monkeypatch.setenv("MENTOR_DESK_PASSPHRASE", PASS)
    code, out, err = run(capsys, folder, "restore", made.name)
    assert code == 0, err
    assert f"Restored {made}" in out
    assert "before-restore" in out
    assert names(capsys, folder) == ["Zoë 李"]
    assert crypto.is_encrypted(database)


def test_a_damaged_encrypted_program_names_its_backup_and_restore_brings_it_back(
    capsys: pytest.CaptureFixture[str], folder: Path
) -> None:
    assert run(capsys, folder, "backup")[0] == 0
    (made,) = sorted((folder / "backups").glob("*-manual.sqlite3"))
    database = folder / "mentor-desk.sqlite3"
    data = bytearray(database.read_bytes())
    data[100:4000] = b"\x00" * 3900  # the first page: it reads like a wrong passphrase
    database.write_bytes(bytes(data))
    code, out, err = run(capsys, folder, "mentees")
    assert (code, out) == (1, "")
    assert "is damaged" in err
    assert f'mentor-desk restore "{made}"' in err
    assert not database.exists()

    code, out, err = run(capsys, folder, "restore", str(made))
    assert code == 0, err
    assert crypto.is_encrypted(database)  # it comes back encrypted, as the backup is
    assert names(capsys, folder) == ["Zoë 李"]


def test_restoring_a_backup_under_another_passphrase_is_refused(
    capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
) -> None:
    stranger = tmp_path / "stranger.sqlite3"
    stranger.write_bytes((folder / "mentor-desk.sqlite3").read_bytes())
    key = crypto.unlock(folder / "mentor-desk.sqlite3", PASS)
    crypto.convert_file(stranger, key, crypto.derive_key("someone else's", b"0123456789abcdef"))
    before = digest(folder / "mentor-desk.sqlite3")
    capsys.readouterr()
    code, out, err = run(capsys, folder, "restore", str(stranger))
    assert (code, out) == (1, "")
    assert "stranger.sqlite3 does not open with this passphrase" in err
    assert len(err.strip().splitlines()) == 1
    assert digest(folder / "mentor-desk.sqlite3") == before
    assert not (folder / "backups").exists() or not list((folder / "backups").iterdir())


def test_an_encrypted_backup_into_a_plain_program_asks_for_its_passphrase(
    capsys: pytest.CaptureFixture[str], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, folder, "backup")[0] == 0
    (made,) = sorted((folder / "backups").glob("*-manual.sqlite3"))
    made.rename(folder / "old.sqlite3")  # kept out of decrypt's reach: it stays encrypted
    crypto.decrypt_database(DataPaths(folder), PASS)
    add(folder, "Grace", passphrase=None)
    monkeypatch.delenv("MENTOR_DESK_PASSPHRASE")
    code, out, err = run(capsys, folder, "restore", str(folder / "old.sqlite3"))
    assert (code, out) == (1, "")
    assert "old.sqlite3 is not a Mentor Desk database, or it is an encrypted backup" in err
    assert names(capsys, folder) == ["Grace", "Zoë 李"]

    monkeypatch.setenv("MENTOR_DESK_PASSPHRASE", PASS)
    code, out, err = run(capsys, folder, "restore", str(folder / "old.sqlite3"))
    assert code == 0, err
    assert "restored decrypted" in out
    monkeypatch.delenv("MENTOR_DESK_PASSPHRASE")
    assert names(capsys, folder) == ["Zoë 李"]
    assert (folder / "mentor-desk.sqlite3").read_bytes()[:16] == HEADER


def test_demo_replace_backs_up_a_program_with_data_first(
    capsys: pytest.CaptureFixture[str], db: Database, data_dir: Path
) -> None:
    create_mentee(db, MenteeInput(name="Ada"))
    db.dispose()
    code, _out, err = run(capsys, data_dir, "demo", "--replace")
    assert code == 0, err
    (saved,) = sorted((data_dir / "backups").glob("*.sqlite3"))
    assert saved.name.endswith("-before-demo.sqlite3")
    program = Database(saved)
    try:
        connection = program.raw_connect()
        assert [r[0] for r in connection.execute("SELECT name FROM mentees")] == ["Ada"]
        connection.close()
    finally:
        program.dispose()
    assert "Ada" not in names(capsys, data_dir)


def test_demo_replace_on_a_program_without_data_makes_no_backup(
    capsys: pytest.CaptureFixture[str], db: Database, data_dir: Path
) -> None:
    db.dispose()
    code, _out, err = run(capsys, data_dir, "demo", "--replace")
    assert code == 0, err
    assert sorted((data_dir / "backups").glob("*.sqlite3")) == []
