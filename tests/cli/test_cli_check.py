"""``mentor-desk check``, and the data folder lock as the CLI meets it."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mentor_desk.cli import main
from mentor_desk.db.integrity import CONSISTENCY_CHECKS
from mentor_desk.paths import DataPaths
from mentor_desk.services.mentees import MenteeInput, create_mentee
from mentor_desk.services.program import open_program

HOLD = """
import sys, time
from pathlib import Path
from mentor_desk.lock import DataFolderLock
from mentor_desk.paths import DataPaths
lock = DataFolderLock(DataPaths(Path(sys.argv[1])), "the window").acquire()
print("held", flush=True)
time.sleep(60)
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def program(data_dir: Path, template_database: Path) -> Path:
    shutil.copyfile(template_database, data_dir / template_database.name)
    db = open_program(data_dir)
    create_mentee(db, MenteeInput(name="Zoë <b>&"))
    db.dispose()
    return data_dir


def test_check_reports_every_check_ok_and_exits_0(
    capsys: pytest.CaptureFixture[str], program: Path
) -> None:
    code, out, err = run(capsys, "check", "--data-dir", str(program))
    assert code == 0, out
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == f"Checking {program / 'mentor-desk.sqlite3'}"
    assert len(lines) == 2 + 3 + len(CONSISTENCY_CHECKS)
    assert lines[-1].startswith("All ")
    assert lines[-1].endswith("checks passed.")


def test_check_lists_the_problems_and_exits_1(
    capsys: pytest.CaptureFixture[str], program: Path
) -> None:
    connection = sqlite3.connect(program / "mentor-desk.sqlite3", isolation_level=None)
    connection.execute("UPDATE mentees SET in_lmp = 0")
    connection.execute(
        "INSERT INTO session_goals (session_id, goal_id, created_at, updated_at)"
        " VALUES (4242, 4343, '2026-01-01', '2026-01-01')"
    )
    connection.close()
    code, out, _ = run(capsys, "check", "--data-dir", str(program))
    assert code == 1
    assert "session_goals row (session_id=4242, goal_id=4343) points at a missing row" in out
    assert "SQLite foreign_key_check" in out
    assert "checks failed" in out.splitlines()[-1]


@pytest.mark.parametrize("content", [b"garbage " * 500, b""])
def test_check_on_a_damaged_file_reports_instead_of_crashing(
    capsys: pytest.CaptureFixture[str], data_dir: Path, content: bytes
) -> None:
    database = data_dir / "mentor-desk.sqlite3"
    database.write_bytes(content)
    code, out, err = run(capsys, "check", "--data-dir", str(data_dir))
    assert code == 1
    assert "FAILED" in out
    assert "mentor-desk restore" in out
    assert "Traceback" not in out + err
    assert database.read_bytes() == content  # check never moves or repairs


def test_check_on_a_folder_without_a_database_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "check", "--data-dir", str(tmp_path / "empty"))
    assert code == 1
    assert out == ""
    assert "no database" in err
    assert len(err.strip().splitlines()) == 1


def test_a_damaged_file_at_start_up_names_mentor_desk_restore(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    (data_dir / "mentor-desk.sqlite3").write_bytes(b"\x00" * 1000)
    code, _, err = run(capsys, "mentees", "--data-dir", str(data_dir))
    assert code == 1
    assert "damaged" in err
    assert "moved aside" in err
    assert len(err.strip().splitlines()) == 1
    (moved,) = data_dir.glob("mentor-desk.sqlite3.damaged-*")
    assert moved.read_bytes() == b"\x00" * 1000


def test_read_only_commands_run_beside_the_window_and_writing_ones_are_refused(
    capsys: pytest.CaptureFixture[str], program: Path, tmp_path: Path
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(program)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "held"
        for argv in (
            ["mentees"],
            ["search", "Zoë"],
            ["export-json", "-o", str(tmp_path / "out.json")],
            ["check"],
        ):
            code, out, err = run(capsys, *argv, "--data-dir", str(program))
            assert code == 0, (argv, err)
        assert "Zoë <b>&" in run(capsys, "mentees", "--data-dir", str(program))[1]

        for argv in (["demo"], ["import-json", str(tmp_path / "out.json")]):
            code, out, err = run(capsys, *argv, "--data-dir", str(program))
            assert code == 1
            assert out == ""
            assert len(err.strip().splitlines()) == 1
            assert f"(process {holder.pid}, the window, since " in err
            assert "Close it first" in err
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    # Once the window is gone, writing works again.
    code, out, _ = run(
        capsys, "import-json", str(tmp_path / "out.json"), "--data-dir", str(program)
    )
    assert code == 0
    assert "Imported" in out
    assert DataPaths(program).lock_file.read_text(encoding="utf-8") == ""
