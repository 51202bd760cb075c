"""``mentor-desk backup``, ``backups`` and ``restore``, run the way a user runs them."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from mentor_desk.cli import main
from mentor_desk.cli_backup import human_size
from mentor_desk.services.mentees import MenteeInput, create_mentee, list_mentees
from mentor_desk.services.program import open_program


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def add(folder: Path, name: str) -> None:
    db = open_program(folder)
    try:
        create_mentee(db, MenteeInput(name=name))
    finally:
        db.dispose()


def names(folder: Path) -> list[str]:
    db = open_program(folder)
    try:
        return sorted(m.name for m in list_mentees(db, status="all"))
    finally:
        db.dispose()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backups_lists_nothing_then_every_backup_newest_first(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "backups")
    assert code == 0
    assert "No backups yet" in out
    add(data_dir, "Ada")
    assert run(capsys, "--data-dir", str(data_dir), "backup")[0] == 0
    add(data_dir, "Zoë 李")
    assert run(capsys, "backup", "--data-dir", str(data_dir))[0] == 0
    code, out, _ = run(capsys, "backups", "--data-dir", str(data_dir))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Date", "Reason", "Size", "File"]
    rows = [line for line in lines[2:] if "manual" in line]
    assert len(rows) == 2
    newest, oldest = (data_dir / "backups" / row.split()[-1] for row in rows)
    for path, expected in ((newest, ["Ada", "Zoë 李"]), (oldest, ["Ada"])):
        con = sqlite3.connect(path)
        assert sorted(r[0] for r in con.execute("SELECT name FROM mentees")) == expected
        con.close()
    assert "2 backups in" in out


def test_backup_prints_path_and_size_and_writes_a_copy(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    add(data_dir, "Ada")
    copy = tmp_path / "my copy.sqlite3"
    code, out, err = run(capsys, "--data-dir", str(data_dir), "backup", "-o", str(copy))
    assert (code, err) == (0, "")
    made = sorted((data_dir / "backups").glob("*-manual.sqlite3"))
    assert len(made) == 1
    assert str(made[0]) in out
    assert human_size(made[0].stat().st_size) in out
    assert f"Wrote a copy to {copy}" in out
    assert digest(copy) == digest(made[0])
    # Again with nothing changed: no new file, and it says which backup holds this state.
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "backup")
    assert code == 0
    assert "Nothing changed" in out
    assert len(list((data_dir / "backups").glob("*-manual*.sqlite3"))) == 1


def test_restore_round_trip_by_file_name(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    add(data_dir, "Ada")
    run(capsys, "--data-dir", str(data_dir), "backup")
    backup = next((data_dir / "backups").glob("*-manual.sqlite3"))
    add(data_dir, "Grace")
    code, out, err = run(capsys, "--data-dir", str(data_dir), "restore", backup.name)
    assert (code, err) == (0, "")
    assert names(data_dir) == ["Ada"]
    assert f"Restored {backup}" in out
    saved = next((data_dir / "backups").glob("*-before-restore.sqlite3"))
    assert f"saved in {saved}" in out
    con = sqlite3.connect(saved)
    assert sorted(r[0] for r in con.execute("SELECT name FROM mentees")) == ["Ada", "Grace"]
    con.close()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"hello, this is text\n" * 100, "is not a Mentor Desk database"),
        (b"", "is not a Mentor Desk database: it is empty"),
        (None, "does not exist"),
    ],
)
def test_restore_refuses_other_files_with_one_line_and_touches_nothing(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    content: bytes | None,
    expected: str,
) -> None:
    add(data_dir, "Ada")
    database = data_dir / "mentor-desk.sqlite3"
    before = digest(database)
    bad = tmp_path / "notes.txt"
    if content is not None:
        bad.write_bytes(content)
    code, out, err = run(capsys, "--data-dir", str(data_dir), "restore", str(bad))
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("mentor-desk: ")
    assert expected in err
    assert digest(database) == before
    assert not (data_dir / "backups").exists() or not list((data_dir / "backups").iterdir())


def test_restore_refuses_a_database_of_another_program(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    add(data_dir, "Ada")
    database = data_dir / "mentor-desk.sqlite3"
    before = digest(database)
    foreign = tmp_path / "photos.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    code, _, err = run(capsys, "--data-dir", str(data_dir), "restore", str(foreign))
    assert code == 1
    assert "none of Mentor Desk's tables" in err
    assert digest(database) == before
    assert names(data_dir) == ["Ada"]


def test_human_size() -> None:
    assert human_size(0) == "0 B"
    assert human_size(1023) == "1023 B"
    assert human_size(1536) == "1.5 KB"
    assert human_size(5 * 1024 * 1024) == "5.0 MB"
