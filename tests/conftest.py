"""Shared fixtures. Every test runs against its own data folder under tmp_path."""

from __future__ import annotations

import os
import shutil

# Before anything imports Qt: no display here, and none needed.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from mentor_desk.db.engine import Database
from mentor_desk.paths import ENV_DATA_DIR
from mentor_desk.services.program import open_program


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point every per-user folder at a temp dir, so no test can touch the user's real data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv(ENV_DATA_DIR, str(home / "mentor-desk-data"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data folder for this test."""
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, seeded database per test process, copied for each test (about 2 ms a copy
    instead of running the migrations again)."""
    folder = tmp_path_factory.mktemp("template")
    open_program(folder).dispose()  # closing the last connection checkpoints the WAL away
    return folder / "mentor-desk.sqlite3"


@pytest.fixture
def db(data_dir: Path, template_database: Path) -> Iterator[Database]:
    """A real SQLite program file in tmp_path, migrated and seeded with the defaults."""
    shutil.copyfile(template_database, data_dir / template_database.name)
    database = open_program(data_dir)
    yield database
    database.dispose()
