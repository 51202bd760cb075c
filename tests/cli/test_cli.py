"""Every command of ``mentor-desk``, run the way a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mentor_desk import __version__
from mentor_desk.cli import build_parser, display_width, main

COMMANDS = ["gui", "demo", "mentees", "search", "export-json", "import-json"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding the demo program (loaded once per test process, then copied)."""
    return _demo_template(tmp_path_factory)


_TEMPLATE: list[Path] = []


def _demo_template(factory: pytest.TempPathFactory) -> Path:
    if not _TEMPLATE:
        folder = factory.mktemp("demo-template")
        assert main(["--data-dir", str(folder), "demo"]) == 0
        _TEMPLATE.append(folder)
    copy = factory.mktemp("demo")
    for item in _TEMPLATE[0].iterdir():
        if item.is_file():
            (copy / item.name).write_bytes(item.read_bytes())
    return copy


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_data_dir(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "--data-dir" in capsys.readouterr().out


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["export-json"])  # -o is required
    assert exit_info.value.code == 2
    assert "required" in capsys.readouterr().err


def test_data_dir_before_or_after_the_command(tmp_path: Path) -> None:
    parser = build_parser()
    assert parser.parse_args(["--data-dir", "A", "mentees"]).data_dir == "A"
    assert parser.parse_args(["mentees", "--data-dir", "B"]).data_dir == "B"


def test_demo_then_mentees_lists_them(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "mentees", "--data-dir", str(demo_dir))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["Name", "Status"]
    assert len(lines) >= 2 + 8
    assert any("李" in line for line in lines)


def test_mentees_json(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "mentees", "--json", "--data-dir", str(demo_dir))
    assert code == 0
    rows = json.loads(out)
    assert len(rows) >= 8
    assert {"name", "status", "cadence", "next_due_on", "last_session_at"} <= set(rows[0])


def test_mentees_on_an_empty_folder_says_so(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "mentees")
    assert code == 0
    assert "No mentees yet" in out


def test_demo_refuses_a_folder_with_data(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "demo", "--data-dir", str(demo_dir))
    assert code == 1
    assert "--replace" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "demo", "--replace", "--data-dir", str(demo_dir))
    assert code == 0
    code, out, _ = run(capsys, "mentees", "--json", "--data-dir", str(demo_dir))
    names = [row["name"] for row in json.loads(out)]
    assert len(names) == len(set(names)), "replace must not duplicate mentees"


def test_search_finds_demo_notes(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "--json", "--data-dir", str(demo_dir), "promotion")
    assert code == 0
    hits = json.loads(out)
    assert hits, "the demo notes talk about promotions"
    assert {"kind", "title", "snippet", "mentee_name"} <= set(hits[0])
    code, text, _ = run(capsys, "search", "--data-dir", str(demo_dir), "promotion")
    assert code == 0
    assert "[" in text  # matches are marked when not on a terminal


@pytest.mark.parametrize("query", ['"', "AND", "-x", "(", "*", "NEAR(", "a:b", "   "])
def test_search_survives_hostile_queries(
    query: str, demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "--" ends the options, as usual, so a query may start with "-".
    code, _, err = run(capsys, "search", "--data-dir", str(demo_dir), "--", query)
    assert code == 0, err
    assert "Traceback" not in err


def test_export_import_round_trip_is_exact(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    fresh = tmp_path / "fresh"
    assert run(capsys, "export-json", "-o", str(first), "--data-dir", str(demo_dir))[0] == 0
    code, out, _ = run(capsys, "import-json", str(first), "--data-dir", str(fresh))
    assert code == 0
    assert "new" in out
    assert run(capsys, "export-json", "-o", str(second), "--data-dir", str(fresh))[0] == 0
    strip = lambda p: {k: v for k, v in json.loads(p.read_text()).items() if k != "exported_at"}  # noqa: E731
    assert strip(first) == strip(second)
    # Importing the same file again changes nothing.
    code, out, _ = run(capsys, "import-json", str(first), "--data-dir", str(fresh))
    assert code == 0
    assert " 0 new" in out


def test_export_one_mentee(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "one.json"
    code, _, err = run(
        capsys, "export-json", "-o", str(target), "--mentee", "李伟", "--data-dir", str(demo_dir)
    )
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [m["name"] for m in data["mentees"]] == ["李伟"]


def test_unknown_mentee_is_one_line_with_suggestions(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "export-json",
        "-o",
        str(tmp_path / "x.json"),
        "--mentee",
        "Zoe Mueler",
        "--data-dir",
        str(demo_dir),
    )
    assert code == 1
    assert err.startswith("mentor-desk: ")
    assert "Zoë" in err
    assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "JSON"),
        ("[1, 2]", "object"),
        ('{"format": "mentor-desk", "format_version": 999}', "newer"),
    ],
)
def test_bad_import_file_is_a_clear_error(
    content: str, expected: str, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "import-json", str(bad), "--data-dir", str(data_dir))
    assert code == 1
    assert expected in err
    assert "Traceback" not in err


def test_missing_import_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "import-json", str(tmp_path / "nope.json"), "--data-dir", str(data_dir)
    )
    assert code == 1
    assert "nope.json" in err


def test_newer_database_is_refused_by_every_command(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    assert run(capsys, "mentees", "--data-dir", str(data_dir))[0] == 0
    con = sqlite3.connect(data_dir / "mentor-desk.sqlite3")
    con.execute("UPDATE alembic_version SET version_num = 'ffff'")
    con.commit()
    con.close()
    code, _, err = run(capsys, "mentees", "--data-dir", str(data_dir))
    assert code == 1
    assert "newer version" in err


def test_display_width_counts_wide_characters() -> None:
    assert display_width("abc") == 3
    assert display_width("李伟") == 4
    assert display_width("Zoë") == 3


def test_installed_entry_point_and_module_run(tmp_path: Path) -> None:
    env = {**os.environ, "MENTOR_DESK_DATA_DIR": str(tmp_path / "env-data")}
    scripts = Path(sys.executable).parent
    entry = scripts / "mentor-desk"
    commands = [[sys.executable, "-m", "mentor_desk", "--version"]]
    if entry.exists():
        commands.append([str(entry), "--version"])
    for command in commands:
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        assert result.returncode == 0, result.stderr
        assert __version__ in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "mentor_desk", "mentees"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env-data" / "mentor-desk.sqlite3").exists()


def test_output_piped_into_a_closed_reader_exits_quietly(demo_dir: Path) -> None:
    """``mentor-desk mentees | head -1`` must not print a BrokenPipeError traceback."""
    env = {**os.environ, "MENTOR_DESK_DATA_DIR": str(demo_dir)}
    command = f"{sys.executable} -m mentor_desk mentees | head -1"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, env=env)
    assert result.stdout.startswith("Name")
    assert "Traceback" not in result.stderr
    assert "BrokenPipe" not in result.stderr


def test_a_writing_command_closes_cleanly_so_the_window_skips_the_full_check(
    tmp_path: Path,
) -> None:
    from mentor_desk.db import clean_close

    folder = tmp_path / "program"
    assert main(["demo", "--data-dir", str(folder)]) == 0
    database = folder / "mentor-desk.sqlite3"
    assert main(["backup", "--data-dir", str(folder)]) == 0  # opens the existing file
    assert not clean_close.full_check_due(database)
    # A read-only command may run beside the window: it leaves the record alone.
    before = clean_close.record_path(database).read_bytes()
    assert main(["mentees", "--data-dir", str(folder)]) == 0
    assert clean_close.record_path(database).read_bytes() == before
