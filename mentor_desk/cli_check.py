"""``mentor-desk check``: SQLite's checks, the search indexes and the app's own rules, as a report.

The database is examined as it is, without opening the program (no migration, no lock, nothing
moved aside), so a damaged file is reported rather than handled, and the check can run beside the
window. An encrypted database is read through its key (``MENTOR_DESK_PASSPHRASE`` or a prompt).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from mentor_desk.errors import UserError


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    command("check", cmd_check, "check the database for damage and inconsistencies")


def cmd_check(args: argparse.Namespace) -> int:
    from mentor_desk.db.integrity import check_database
    from mentor_desk.paths import data_paths

    paths = data_paths(getattr(args, "data_dir", None))
    if not paths.database.exists():
        raise UserError(
            f"There is no database in {paths.root} yet, so there is nothing to check. "
            "Use --data-dir to check another folder."
        )
    report = check_database(_target(paths))
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1


def _target(paths: Any) -> Any:
    """The file, or for an encrypted one a keyed Database (MENTOR_DESK_PASSPHRASE or a prompt).

    A wrong passphrase is refused before anything is checked: a check that cannot read a single
    page would report the whole file as damaged.
    """
    from mentor_desk.cli_crypto import passphrase_for
    from mentor_desk.db.crypto import unlock
    from mentor_desk.db.engine import Database

    passphrase = passphrase_for(paths)
    if passphrase is None:
        return paths.database
    return Database(paths.database, unlock(paths.database, passphrase))
