"""The ``mentor-desk`` command: the window by default, and the same services from a terminal.

Exit codes: 0 on success, 1 on an error the user can fix (one line on stderr, no traceback), 2 on
bad usage (argparse). Services are imported inside each command so ``--version`` and ``--help``
stay instant and no command pays for Qt.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mentor_desk import APP_NAME, __version__
from mentor_desk.errors import UserError

Handler = Callable[[argparse.Namespace], int]
# Modules adding commands through ``register(command)``, in --help order: the PDF documents,
# backups, the integrity check, encryption.
COMMAND_MODULES = (
    "mentor_desk.cli_documents",
    "mentor_desk.cli_backup",
    "mentor_desk.cli_check",
    "mentor_desk.cli_crypto",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", cmd_gui)
    try:
        if getattr(args, "writes", False):
            return _run_locked(handler, args)
        return handler(args)
    except UserError as exc:
        print(f"mentor-desk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("mentor-desk: interrupted; nothing further was changed.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``mentor-desk mentees | head``): not an error. Point stdout at
        # devnull so Python's flush at exit does not raise again (as the Python docs advise).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def build_parser() -> argparse.ArgumentParser:
    data_dir = argparse.ArgumentParser(add_help=False)
    data_dir.add_argument(
        "--data-dir",
        metavar="DIR",
        # SUPPRESS keeps a subcommand from overwriting a --data-dir given before the command.
        default=argparse.SUPPRESS,
        help="use this data folder instead of the default (also: MENTOR_DESK_DATA_DIR)",
    )
    parser = argparse.ArgumentParser(
        prog="mentor-desk",
        description=f"{APP_NAME}: private, offline notes for mentors and LMP sponsors. "
        "With no command, opens the window.",
        parents=[data_dir],
    )
    parser.add_argument(
        "--version",
        action=VersionAction,
        help="print the version, the Qt and SQLite versions and the data folder, then exit",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(
        name: str, handler: Handler, help_text: str, *, writes: bool = False
    ) -> argparse.ArgumentParser:
        """A subcommand; ``writes`` ones hold the data folder's lock while they run."""
        sub = commands.add_parser(name, parents=[data_dir], help=help_text, description=help_text)
        sub.set_defaults(handler=handler, writes=writes, command_name=name)
        return sub

    command("gui", cmd_gui, "open the window (the default)")

    demo = command(
        "demo", cmd_demo, "fill an empty data folder with the fictional demo program", writes=True
    )
    demo.add_argument(
        "--replace", action="store_true", help="delete the data already there and load the demo"
    )

    mentees = command("mentees", cmd_mentees, "list mentees with status, cadence and next session")
    mentees.add_argument("--json", action="store_true", help="print JSON instead of a table")
    mentees.add_argument(
        "--status",
        choices=["active", "paused", "completed", "archived"],
        help="only mentees with this status (archived ones are hidden otherwise)",
    )

    search = command("search", cmd_search, "full-text search over names, notes, goals, evidence")
    search.add_argument("query", help="words to find; a trailing * matches a prefix (arch*)")
    search.add_argument("--json", action="store_true", help="print JSON instead of text")
    search.add_argument("--limit", type=int, default=20, help="at most this many hits (20)")

    export = command("export-json", cmd_export_json, "export everything (or one mentee) to JSON")
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    export.add_argument("--mentee", metavar="NAME", help="only this mentee (name or id)")

    imp = command(
        "import-json", cmd_import_json, "import a JSON export, merging by stable ids", writes=True
    )
    imp.add_argument("file", metavar="FILE", help="a file written by export-json")

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(command)
    return parser


def version_text(data_dir: str | os.PathLike[str] | None = None) -> str:
    """What ``--version`` and Help > About print: versions of the app, Qt and SQLite, and the
    data folder (``data_dir``, else MENTOR_DESK_DATA_DIR, else the default), one per line.

    Fast on purpose: QtCore answers the Qt version without a QApplication, and nothing opens the
    database or creates the folder.
    """
    import sqlite3

    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from mentor_desk.paths import resolve_data_dir

    python = sys.version.split()[0]
    return "\n".join(
        [
            f"{APP_NAME} {__version__}",
            f"Qt {qVersion()} (PySide6 {pyside_version}), Python {python}",
            f"SQLite {sqlite3.sqlite_version}{_sqlcipher_text()}",
            f"Data folder: {resolve_data_dir(data_dir)}",
        ]
    )


def _sqlcipher_text() -> str:
    """`` (SQLCipher 4.x for encrypted databases)``, or why encryption is unavailable."""
    try:
        from mentor_desk.db.crypto import driver

        connection = driver().connect(":memory:")
        try:
            (version,) = connection.execute("PRAGMA cipher_version").fetchone()
        finally:
            connection.close()
    except Exception:  # any failure only means encryption is unavailable: say so, never crash
        return " (SQLCipher not available: encryption is off)"
    return f" (SQLCipher {str(version).split()[0]} for encrypted databases)"


class VersionAction(argparse.Action):
    """``--version``: like argparse's own, but the text is built when asked for (so ``--help``
    never loads Qt) and shows the ``--data-dir`` given before it."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        print(version_text(getattr(namespace, "data_dir", None)))
        parser.exit()


# --- commands -----------------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from mentor_desk.app import run_app
    except ModuleNotFoundError as exc:
        if exc.name != "mentor_desk.app":
            raise
        print(
            "The Mentor Desk window is not part of this version yet. Every command is available "
            "from the terminal: run `mentor-desk --help`."
        )
        return 1
    return run_app(getattr(args, "data_dir", None))


def cmd_demo(args: argparse.Namespace) -> int:
    from mentor_desk.services.demo import load_demo

    db = _open(args)
    summary = load_demo(db, replace=args.replace)
    print(f"Loaded the demo program into {_folder(args)}:")
    for kind, count in _summary_items(summary):
        print(f"  {count:>6}  {kind}")
    print("Open it with `mentor-desk`, or list the mentees with `mentor-desk mentees`.")
    return 0


def cmd_mentees(args: argparse.Namespace) -> int:
    from mentor_desk.services.mentees import list_mentees

    db = _open(args)
    rows = list_mentees(db, status=args.status)
    if args.json:
        _print_json([_plain(row) for row in rows])
        return 0
    if not rows:
        if args.status:
            print(f"No {args.status} mentees.")
        else:
            print("No mentees yet. Add one in the window, or try `mentor-desk demo`.")
        return 0
    today = date.today()
    table = [
        [
            row.name,
            row.status.label,
            row.cadence.label,
            row.last_session_at.astimezone().strftime("%Y-%m-%d") if row.last_session_at else "-",
            _due_text(row.next_due_on, today, row.stalled),
        ]
        for row in rows
    ]
    _print_table(["Name", "Status", "Cadence", "Last session", "Next due"], table)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from mentor_desk.db.search import MARK_END, MARK_START
    from mentor_desk.services.search import search

    if args.limit < 1:
        raise UserError("--limit must be at least 1.")
    db = _open(args)
    hits = search(db, args.query, limit=args.limit)
    if args.json:
        _print_json([_plain(hit) for hit in hits])
        return 0
    if not hits:
        print(f"Nothing found for {args.query!r}.")
        return 0
    bold, plain = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("[", "]")
    for hit in hits:
        who = f" · {hit.mentee_name}" if hit.mentee_name and hit.kind != "mentee" else ""
        print(f"{hit.kind:<9} {hit.title}{who}")
        snippet = hit.snippet.replace(MARK_START, bold).replace(MARK_END, plain)
        print(f"          {' '.join(snippet.split())}")
    return 0


def cmd_export_json(args: argparse.Namespace) -> int:
    from mentor_desk.services.interchange import export_json
    from mentor_desk.services.mentees import resolve_mentee

    db = _open(args)
    mentee_id = resolve_mentee(db, args.mentee).id if args.mentee else None
    summary = export_json(db, Path(args.output), mentee_id=mentee_id)
    print(f"Wrote {summary.total} records to {args.output}.")
    return 0


def cmd_import_json(args: argparse.Namespace) -> int:
    from mentor_desk.services.interchange import import_json

    db = _open(args)
    summary = import_json(db, Path(args.file))
    print(
        f"Imported {args.file}: {summary.created} new, {summary.updated} updated, "
        f"{summary.unchanged} unchanged."
    )
    return 0


# --- helpers ------------------------------------------------------------------------------------


def _run_locked(handler: Handler, args: argparse.Namespace) -> int:
    """Run a writing command holding the data folder's lock (one writer per folder)."""
    from mentor_desk.lock import DataFolderLock
    from mentor_desk.paths import data_paths

    name = getattr(args, "command_name", "a command")
    paths = data_paths(getattr(args, "data_dir", None))
    with DataFolderLock(paths, f"`mentor-desk {name}`"):
        try:
            if getattr(args, _BACKUP_FIRST.get(name, "-"), False) and paths.database.exists():
                _backup_first(args, name)
            code = handler(args)
        except BaseException:
            _close(args, clean=False)
            raise
        # Holding the lock, nothing else has the file open: a clean close lets the window's next
        # start skip the full damage check. (Read-only commands beside the window must not.)
        _close(args, clean=code == 0)
        return code


def _close(args: argparse.Namespace, *, clean: bool) -> None:
    from mentor_desk.services.program import close_program

    program = getattr(args, "program", None)
    if program is not None:
        args.program = None
        close_program(program, clean=clean)


# Writing commands that can destroy data, and the option that makes them do so. (Restore, import
# and deleting a mentee back up in their services.)
_BACKUP_FIRST = {"demo": "replace"}


def _backup_first(args: argparse.Namespace, name: str) -> None:
    """Back up a program that holds data before a command that may destroy it."""
    from mentor_desk.services.backups import backup_before
    from mentor_desk.services.demo import is_empty

    args.program = _open(args)  # kept for the command: one passphrase prompt, not two
    if not is_empty(args.program):
        backup_before(args.program, f"before-{name}")  # no backup, no command: it raises


def _open(args: argparse.Namespace) -> Any:
    from mentor_desk.cli_crypto import passphrase_for
    from mentor_desk.services.program import open_program

    if getattr(args, "program", None) is not None:
        return args.program
    # An encrypted database takes MENTOR_DESK_PASSPHRASE or a prompt, never an argument.
    data_dir = getattr(args, "data_dir", None)
    owner = getattr(args, "writes", False)  # read-only commands may run beside the window
    args.program = open_program(data_dir, passphrase=passphrase_for(data_dir), owner=owner)
    return args.program


def _folder(args: argparse.Namespace) -> Path:
    from mentor_desk.paths import resolve_data_dir

    return resolve_data_dir(getattr(args, "data_dir", None))


def _summary_items(summary: Any) -> list[tuple[str, int]]:
    counts = summary.counts() if callable(summary.counts) else summary.counts
    return [(str(kind).replace("_", " "), int(count)) for kind, count in counts.items()]


def _due_text(due: date | None, today: date, stalled: bool) -> str:
    if due is None:
        return "-"
    text = due.isoformat()
    if stalled:
        return f"{text} (stalled)"
    if due < today:
        return f"{text} (overdue {(today - due).days} d)"
    return text


def _plain(value: Any) -> Any:
    """A dataclass, enum or date turned into JSON-friendly data."""
    import dataclasses
    import enum

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: wide CJK characters take two, marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(display_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True)
        )

    print(line(header).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line([str(c) for c in row]).rstrip())
