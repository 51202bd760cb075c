"""``mentor-desk backup``, ``backups`` and ``restore``: the backups of a data folder."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mentor_desk.errors import UserError

# cli.build_parser's helper: command(name, handler, help, *, writes=False) -> subparser.
Command = Callable[..., argparse.ArgumentParser]


def register(command: Command) -> None:
    backup = command(
        "backup", cmd_backup, "back up the database now (into the backups folder)", writes=True
    )
    backup.add_argument("-o", "--output", metavar="FILE", help="also write a copy to this file")
    command("backups", cmd_backups, "list the backups, newest first, with dates and sizes")
    restore = command(
        "restore",
        cmd_restore,
        "replace the database with a backup (the current state is kept)",
        writes=True,
    )
    restore.add_argument("file", metavar="FILE", help="a backup (see `mentor-desk backups`)")


def human_size(size: int) -> str:
    """``512 B``, ``1.5 KB``, ``12.3 MB``."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _local(moment: Any) -> str:
    return str(moment.astimezone().strftime("%Y-%m-%d %H:%M:%S"))


def cmd_backup(args: argparse.Namespace) -> int:
    from mentor_desk.cli import _open
    from mentor_desk.services.backups import back_up

    db = _open(args)
    try:
        output = Path(args.output) if args.output else None
        result = back_up(db, copy_to=output)
    finally:
        db.dispose()
    backup = result.backup
    if result.new:
        print(f"Backed up to {backup.path} ({human_size(backup.size)}).")
    else:
        print(
            f"Nothing changed since the newest backup, {backup.path} "
            f"({human_size(backup.size)}, {_local(backup.created)})."
        )
    if output is not None:
        print(f"Wrote a copy to {output}.")
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    from mentor_desk.cli import _print_table
    from mentor_desk.db.backup import backup_folder, list_backups
    from mentor_desk.paths import data_paths

    # Read-only: the folder is listed without opening (or migrating) the database.
    paths = data_paths(getattr(args, "data_dir", None))
    backups = list_backups(backup_folder(paths.database))
    if not backups:
        print(f"No backups yet in {paths.backups}. Make one with `mentor-desk backup`.")
        return 0
    rows = [[_local(b.created), b.reason, human_size(b.size), b.path.name] for b in backups]
    _print_table(["Date", "Reason", "Size", "File"], rows)
    print(f"\n{len(backups)} backups in {paths.backups}.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from mentor_desk.cli_crypto import passphrase_for
    from mentor_desk.paths import data_paths
    from mentor_desk.services.backups import (
        backup_is_encrypted,
        check_backup,
        restore_into_empty,
        restore_program,
    )
    from mentor_desk.services.program import open_program

    paths = data_paths(getattr(args, "data_dir", None))
    source = Path(args.file)
    if not source.is_absolute() and not source.exists():
        # A bare name from `mentor-desk backups` means the file in the backups folder.
        candidate = paths.backups / source
        source = candidate if candidate.exists() else source
    # The program's passphrase opens its own backups; a plain program asks for the backup's.
    passphrase = passphrase_for(paths)
    if passphrase is None and source.is_file() and backup_is_encrypted(source):
        passphrase = _backup_passphrase(source)
    if not paths.database.exists():
        # After a damaged database was moved aside: the backup comes back as it is.
        result = restore_into_empty(paths, source, passphrase)
        open_program(paths, passphrase=passphrase).dispose()  # brings it to the current schema
    else:
        check_backup(paths, source, passphrase)  # before opening: a wrong file changes nothing
        db = open_program(paths, passphrase=passphrase)
        try:
            result = restore_program(db, source, passphrase=passphrase)
        finally:
            db.dispose()
    print(f"Restored {source} into {result.restored}.")
    if result.converted is not None:
        print(result.converted)
    if result.saved is not None:
        print(f"The state before the restore is saved in {result.saved.path}.")
    return 0


def _backup_passphrase(source: Path) -> str:
    from mentor_desk.cli_crypto import ENV_PASSPHRASE, ask

    if os.environ.get(ENV_PASSPHRASE) is None and not sys.stdin.isatty():
        raise UserError(
            f"{source.name} is not a Mentor Desk database, or it is an encrypted backup: to "
            f"restore an encrypted backup, set {ENV_PASSPHRASE} to its passphrase (or run this "
            "in a terminal to be asked). Nothing was changed."
        )
    return ask(ENV_PASSPHRASE, f"Passphrase of {source.name}: ", confirm=False)
