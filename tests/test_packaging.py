"""The built wheel carries everything the app needs at run time."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "mentor_desk").rglob("__init__.py")
    }
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("mentor_desk-*.whl")
    return found


@pytest.mark.parametrize(
    "member",
    [
        "mentor_desk/resources/lmp_framework.json",
        "mentor_desk/resources/session_types.json",
        "mentor_desk/resources/skill_areas.json",
        "mentor_desk/resources/fonts/DejaVuSans.ttf",
        "mentor_desk/resources/fonts/DejaVuSans-Bold.ttf",
        "mentor_desk/resources/fonts/DroidSansFallbackFull.ttf",
        "mentor_desk/db/migrations/env.py",
        "mentor_desk/db/migrations/script.py.mako",
        "mentor_desk/db/migrations/versions/0001_initial_schema.py",
        # Help > User Guide reads docs/ from inside the package.
        "mentor_desk/docs/guide.md",
        "mentor_desk/docs/encryption.md",
        "mentor_desk/docs/screenshots/export.png",
    ],
)
def test_wheel_contains(wheel: Path, member: str) -> None:
    assert member in zipfile.ZipFile(wheel).namelist()


def test_installed_wheel_works_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    """A plain install of the wheel, run from elsewhere, finds its resources and migrations."""
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    data = tmp_path / "data with spaces ü"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import mentor_desk.paths as p; assert p.__file__.startswith(sys.argv[1]), p.__file__;"
        "from mentor_desk.services.program import open_program;"
        "from mentor_desk.services.settings import get_setting;"
        "db = open_program(sys.argv[2]); print(get_setting(db, 'defaults_seeded'));"
        "from mentor_desk.ui.dialogs.guide import guide_folder;"
        "assert str(guide_folder()).startswith(sys.argv[1]), guide_folder()"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code, str(target), str(data)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"
    assert (data / "mentor-desk.sqlite3").is_file()
