"""Where the data lives, and finding bundled resources."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mentor_desk import paths


def test_explicit_folder_wins_over_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert paths.resolve_data_dir(tmp_path / "explicit") == (tmp_path / "explicit").resolve()


def test_environment_variable_used_when_no_explicit_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert paths.resolve_data_dir() == (tmp_path / "from-env").resolve()


def test_default_is_platformdirs_user_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.ENV_DATA_DIR)
    folder = paths.resolve_data_dir()
    assert folder.name == "mentor-desk"
    # conftest points XDG_DATA_HOME at a temp home: the default must follow it.
    assert str(folder).startswith(os.environ["XDG_DATA_HOME"])


def test_default_folder_logs_to_the_user_log_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.ENV_DATA_DIR)
    data = paths.data_paths()
    assert data.logs.name in ("log", "logs", "mentor-desk")
    assert not str(data.logs).startswith(str(data.root))
    assert str(data.logs).startswith(os.environ["HOME"])


def test_resolving_creates_nothing(tmp_path: Path) -> None:
    paths.data_paths(tmp_path / "later")
    assert not (tmp_path / "later").exists()


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX-only")
def test_data_folder_is_private(tmp_path: Path) -> None:
    folder = paths.data_paths(tmp_path / "a" / "b").ensure().root
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_data_paths_layout(tmp_path: Path) -> None:
    data = paths.data_paths(tmp_path)
    assert data.database == tmp_path.resolve() / "mentor-desk.sqlite3"
    assert data.backups.parent == data.root
    assert data.logs.parent == data.root


@pytest.mark.parametrize(
    "parts",
    [
        ("lmp_framework.json",),
        ("session_types.json",),
        ("skill_areas.json",),
        ("fonts", "DejaVuSans.ttf"),
        ("fonts", "DejaVuSans-Bold.ttf"),
        ("fonts", "DroidSansFallbackFull.ttf"),
    ],
)
def test_bundled_resources_are_found(parts: tuple[str, ...]) -> None:
    found = paths.resource_path(*parts)
    assert found.is_file()
    assert found.stat().st_size > 0
