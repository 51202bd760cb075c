"""``mentor-desk encrypt`` / ``decrypt`` / ``change-passphrase``, and how commands get a passphrase.

A passphrase never comes from a command-line argument (it would stay in the shell history and be
visible in ``ps``): it comes from ``MENTOR_DESK_PASSPHRASE`` (``MENTOR_DESK_NEW_PASSPHRASE`` for a
new one) or, when stdin is a terminal, from a prompt that does not echo.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from mentor_desk.errors import UserError

ENV_PASSPHRASE = "MENTOR_DESK_PASSPHRASE"
ENV_NEW_PASSPHRASE = "MENTOR_DESK_NEW_PASSPHRASE"
_FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the commands through cli.build_parser's ``command`` helper (they hold the lock)."""
    command(
        "encrypt",
        cmd_encrypt,
        "encrypt the database and its backups with a passphrase",
        writes=True,
    )
    command(
        "decrypt", cmd_decrypt, "turn the encrypted database back into a plain one", writes=True
    )
    command(
        "change-passphrase", cmd_change_passphrase, "re-encrypt with a new passphrase", writes=True
    )


def passphrase_for(data_dir: Any) -> str | None:
    """The passphrase to open ``data_dir``'s database: None when it is not encrypted.

    Raises:
        UserError: it is encrypted and no passphrase is available (no variable, no terminal).
    """
    from mentor_desk.services.program import program_is_encrypted

    if not program_is_encrypted(data_dir):
        return None
    return ask(ENV_PASSPHRASE, "Passphrase: ", confirm=False)


def ask(variable: str, prompt: str, *, confirm: bool) -> str:
    value = os.environ.get(variable)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError(
            f"The database is encrypted: set {variable} or run this command in a terminal to be "
            "asked for the passphrase."
        )
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again, to be sure: ") != value:
        raise UserError("The two passphrases differ; nothing was changed.")
    return value


def export_fingerprint(db: Any) -> str:
    """The whole program as JSON with a fixed time: equal text means equal contents."""
    from mentor_desk.services.interchange import export_data

    return json.dumps(export_data(db, exported_at=_FIXED_TIME), sort_keys=True)


def _paths(args: argparse.Namespace) -> Any:
    from mentor_desk.paths import data_paths

    return data_paths(getattr(args, "data_dir", None))


def cmd_encrypt(args: argparse.Namespace) -> int:
    from mentor_desk.db.crypto import encrypt_database

    paths = _paths(args)
    passphrase = ask(ENV_PASSPHRASE, "New passphrase: ", confirm=True)
    result = encrypt_database(paths, passphrase, fingerprint=export_fingerprint)
    print(f"Encrypted {paths.database}: {result.describe()}")
    print("Keep the passphrase safe: without it the data cannot be recovered by anyone.")
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    from mentor_desk.db.crypto import decrypt_database

    paths = _paths(args)
    passphrase = ask(ENV_PASSPHRASE, "Passphrase: ", confirm=False)
    result = decrypt_database(paths, passphrase, fingerprint=export_fingerprint)
    print(f"Decrypted {paths.database}: {result.describe()}")
    return 0


def cmd_change_passphrase(args: argparse.Namespace) -> int:
    from mentor_desk.db.crypto import change_passphrase

    paths = _paths(args)
    old = ask(ENV_PASSPHRASE, "Current passphrase: ", confirm=False)
    new = ask(ENV_NEW_PASSPHRASE, "New passphrase: ", confirm=True)
    result = change_passphrase(paths, old, new, fingerprint=export_fingerprint)
    print(f"Changed the passphrase of {paths.database}: {result.describe()}")
    return 0
