"""The encrypt, decrypt and change-passphrase commands; other commands on an encrypted database."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

from mentor_desk.cli import main
from mentor_desk.db import crypto

_TEMPLATE: list[Path] = []


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """A low scrypt cost keeps these tests fast; the cost is read from the side file anyway."""
    monkeypatch.setattr(crypto, "SCRYPT", {"n": 2**10, "r": 8, "p": 1})


@pytest.fixture
def folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    if not _TEMPLATE:
        template = tmp_path_factory.mktemp("cli-crypto-template")
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["--data-dir", str(template), "demo"]) == 0
        _TEMPLATE.append(template)
    copy = tmp_path_factory.mktemp("cli-crypto")
    shutil.copytree(_TEMPLATE[0], copy, dirs_exist_ok=True)
    monkeypatch.delenv("MENTOR_DESK_PASSPHRASE", raising=False)
    monkeypatch.delenv("MENTOR_DESK_NEW_PASSPHRASE", raising=False)
    return copy


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def mentees(capsys: pytest.CaptureFixture[str], folder: Path) -> list[str]:
    code, out, err = run(capsys, "--data-dir", str(folder), "mentees", "--json")
    assert code == 0, err
    return sorted(row["name"] for row in json.loads(out))


def test_round_trip_through_environment_variables(
    capsys: pytest.CaptureFixture[str], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = mentees(capsys, folder)
    assert any(name.startswith("Zoë") for name in names)
    monkeypatch.setenv("MENTOR_DESK_PASSPHRASE", "first secret phrase")
    code, out, err = run(capsys, "--data-dir", str(folder), "encrypt")
    assert code == 0, err
    assert "checked identical" in out
    database = folder / "mentor-desk.sqlite3"
    assert "Zoë".encode() not in database.read_bytes()
    assert mentees(capsys, folder) == names  # every command works with the variable set

    monkeypatch.setenv("MENTOR_DESK_NEW_PASSPHRASE", "second secret phrase")
    code, _out, err = run(capsys, "--data-dir", str(folder), "change-passphrase")
    assert code == 0, err
    code, out, err = run(capsys, "--data-dir", str(folder), "mentees")
    assert code == 1
    assert out == ""
    assert (
        err.strip() == "mentor-desk: The passphrase is not right. Try again; nothing was changed."
    )

    monkeypatch.setenv("MENTOR_DESK_PASSPHRASE", "second secret phrase")
    assert mentees(capsys, folder) == names
    code, _out, err = run(capsys, "--data-dir", str(folder), "decrypt")
    assert code == 0, err
    monkeypatch.delenv("MENTOR_DESK_PASSPHRASE")
    assert database.read_bytes().startswith(b"SQLite format 3\x00")
    assert mentees(capsys, folder) == names


def test_no_passphrase_without_a_terminal_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTOR_DESK_PASSPHRASE", "first secret phrase")
    assert run(capsys, "--data-dir", str(folder), "encrypt")[0] == 0
    monkeypatch.delenv("MENTOR_DESK_PASSPHRASE")
    code, out, err = run(capsys, "--data-dir", str(folder), "search", "Zoe")
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "MENTOR_DESK_PASSPHRASE" in err


def test_encrypting_twice_is_refused(
    capsys: pytest.CaptureFixture[str], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTOR_DESK_PASSPHRASE", "first secret phrase")
    assert run(capsys, "--data-dir", str(folder), "encrypt")[0] == 0
    code, _out, err = run(capsys, "--data-dir", str(folder), "encrypt")
    assert code == 1
    assert "already encrypted" in err


def test_the_prompt_asks_twice_and_refuses_a_mismatch(
    capsys: pytest.CaptureFixture[str], folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["first secret phrase", "first secret phrasE"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(answers))
    code, _out, err = run(capsys, "--data-dir", str(folder), "encrypt")
    assert code == 1
    assert "differ" in err
    assert not crypto.is_encrypted(folder / "mentor-desk.sqlite3")
