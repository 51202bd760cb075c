"""Where Mentor Desk keeps things on disk, and where its bundled resources are.

The data folder comes from, in order: an explicit ``--data-dir``, the ``MENTOR_DESK_DATA_DIR``
environment variable, or platformdirs' user data folder for the app. Nothing here runs at import
time: every location is worked out when asked for.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import platformdirs

from mentor_desk import APP_ID

ENV_DATA_DIR = "MENTOR_DESK_DATA_DIR"
DATABASE_NAME = "mentor-desk.sqlite3"


@dataclass(frozen=True, slots=True)
class DataPaths:
    """The folders and files that belong to one data folder.

    Attributes:
        root: the data folder (database and backups).
        log_dir: where logs go; None keeps them in ``root/logs``.
    """

    root: Path
    log_dir: Path | None = None

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.log_dir if self.log_dir is not None else self.root / "logs"

    @property
    def lock_file(self) -> Path:
        return self.root / "mentor-desk.lock"

    def ensure(self) -> DataPaths:
        """Create the data folder (0700 on POSIX) if it does not exist yet."""
        make_private_dir(self.root)
        return self


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder to use, without creating it."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(ENV_DATA_DIR, "").strip()
    if from_env:
        return Path(from_env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def data_paths(explicit: str | os.PathLike[str] | None = None) -> DataPaths:
    """The :class:`DataPaths` for ``explicit`` or the default data folder.

    The default folder logs to platformdirs' user log folder; a folder chosen with ``--data-dir``
    or the environment keeps its logs inside it, so a test or a portable install never writes
    outside the folder it was given.
    """
    root = resolve_data_dir(explicit)
    if explicit or os.environ.get(ENV_DATA_DIR, "").strip():
        return DataPaths(root)
    return DataPaths(root, Path(platformdirs.user_log_dir(APP_ID, appauthor=False)))


def config_dir() -> Path:
    """platformdirs' user config folder for the app (settings that are not program data)."""
    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False))


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) readable by the owner only on POSIX."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        path.chmod(0o700)


def make_private_file(path: Path) -> None:
    """Restrict an existing file to its owner on POSIX (a no-op elsewhere)."""
    if os.name == "posix" and path.exists():
        path.chmod(0o600)


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource (``resource_path("fonts", "DejaVuSans.ttf")``).

    Works from a source checkout, an installed wheel and a PyInstaller bundle. The resources are
    plain files on disk in all three, so a real :class:`~pathlib.Path` is returned.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidate = Path(frozen_root, "mentor_desk", "resources", *parts)
        if candidate.exists():
            return candidate
    base = resources.files("mentor_desk.resources")
    return Path(str(base.joinpath(*parts)))
