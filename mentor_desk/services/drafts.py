"""Drafts of unsaved edits, kept on disk so that a crash or a power cut loses nothing typed.

An editor writes what it holds every few seconds while it has unsaved changes, and removes the
draft once the edit is saved or discarded. A draft left behind is therefore a sign that the app
stopped with work in hand: the editor offers it back the next time it opens.

Each draft is one small JSON file in ``<data folder>/drafts/``, named by a key the editor chooses
(``session-42``, ``session-new``). Files are written to a temporary file and moved into place with
:func:`os.replace`, so a draft on disk is always complete: the old one or the new one, never half
of each. They are private (0600 in a 0700 folder on POSIX): drafts hold the same notes as the
database.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mentor_desk.paths import make_private_dir

DRAFTS_FOLDER = "drafts"
SUFFIX = ".json"
#: Draft keys become file names: lowercase letters, digits, "-" and "_" only.
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")
_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Draft:
    """One stored draft: its key, when it was written (aware, UTC) and the editor's data."""

    key: str
    saved_at: datetime
    data: dict[str, Any]


class DraftStore:
    """The drafts in one folder (see :meth:`for_data_folder`); the folder is made when needed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def for_data_folder(cls, root: Path) -> DraftStore:
        return cls(root / DRAFTS_FOLDER)

    def path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a draft key: {key!r}")
        return self.folder / f"{key}{SUFFIX}"

    def save(self, key: str, data: dict[str, Any], *, now: datetime | None = None) -> Draft:
        """Write (or replace) the draft ``key`` atomically; ``data`` must be JSON-serialisable."""
        target = self.path(key)
        draft = Draft(key, (now or datetime.now(UTC)).astimezone(UTC), dict(data))
        text = json.dumps(
            {"format": _FORMAT, "key": key, "saved_at": draft.saved_at.isoformat(), "data": data},
            ensure_ascii=False,
            indent=1,
        )
        make_private_dir(self.folder)
        # mkstemp creates the file 0600 already; the name starts with "." so listings skip it.
        handle, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return draft

    def load(self, key: str) -> Draft | None:
        """The draft ``key``, or None when there is none (or it cannot be read)."""
        return _read(self.path(key))

    def discard(self, key: str) -> None:
        """Remove the draft ``key`` if it exists."""
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()

    def all(self, prefix: str = "") -> list[Draft]:
        """Every readable draft whose key starts with ``prefix``, newest first."""
        if not self.folder.is_dir():
            return []
        found = [
            draft
            for path in self.folder.glob(f"{prefix}*{SUFFIX}")
            if not path.name.startswith(".") and (draft := _read(path)) is not None
        ]
        return sorted(found, key=lambda draft: draft.saved_at, reverse=True)


def _read(path: Path) -> Draft | None:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        saved_at = datetime.fromisoformat(content["saved_at"])
        data = content["data"]
        key = content["key"]
    except (OSError, ValueError, KeyError, TypeError):
        # A draft is a convenience: one that cannot be read is ignored, never an error.
        return None
    if not isinstance(data, dict) or not isinstance(key, str) or saved_at.tzinfo is None:
        return None
    return Draft(key, saved_at.astimezone(UTC), data)
