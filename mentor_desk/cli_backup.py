"""``mentor-desk backup``, ``backups`` and ``restore``: the backups of a data folder."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    from mentor_desk.cli import _open
    from mentor_desk.services.backups import restore_program, validate_backup

    source = Path(args.file)
    if not source.is_absolute() and not source.exists():
        # A bare name from `mentor-desk backups` means the file in the backups folder.
        from mentor_desk.paths import data_paths

        candidate = data_paths(getattr(args, "data_dir", None)).backups / source
        source = candidate if candidate.exists() else source
    validate_backup(source)  # before opening anything: a wrong file changes nothing
    db = _open(args)
    try:
        result = restore_program(db, source)
    finally:
        db.dispose()
    print(f"Restored {source} into {result.restored}.")
    if result.saved is not None:
        print(f"The state before the restore is saved in {result.saved.path}.")
    return 0
