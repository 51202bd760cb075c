"""``mentor-desk --version``: app, Qt and SQLite versions and the data folder, fast."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion

from mentor_desk import __version__
from mentor_desk.cli import main, version_text


def run_version(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--version"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out.splitlines()


def test_version_names_app_qt_sqlite_and_data_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = run_version(capsys, "--data-dir", str(tmp_path / "här"))
    assert lines[0] == f"Mentor Desk {__version__}"
    assert lines[1].startswith(f"Qt {qVersion()} (PySide6 {pyside_version})")
    assert lines[2].startswith(f"SQLite {sqlite3.sqlite_version} (SQLCipher 4.")
    assert lines[3] == f"Data folder: {(tmp_path / 'här').resolve()}"
    assert len(lines) == 4
    assert not (tmp_path / "här").exists(), "--version must not create the data folder"


def test_version_honours_the_environment_variable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTOR_DESK_DATA_DIR", str(tmp_path / "from-env"))
    assert run_version(capsys)[-1] == f"Data folder: {(tmp_path / 'from-env').resolve()}"
    # An explicit --data-dir wins over the environment, as for every command.
    explicit = run_version(capsys, "--data-dir", str(tmp_path / "explicit"))
    assert explicit[-1] == f"Data folder: {(tmp_path / 'explicit').resolve()}"


def test_version_text_is_what_the_cli_prints(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run_version(capsys, "--data-dir", str(tmp_path)) == version_text(tmp_path).splitlines()


def test_help_and_parser_load_no_qt() -> None:
    """Only --version itself pays for QtCore; building the parser and --help do not."""
    code = (
        "import sys; from mentor_desk.cli import build_parser;"
        "build_parser().format_help();"
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
