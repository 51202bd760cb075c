"""One Mentor Desk per data folder: an OS-level lock on the folder's lock file.

The lock is ``fcntl.flock`` on POSIX and ``msvcrt.locking`` on Windows, both held by an open file
handle, so the operating system releases it when the holder exits, crashes or is killed: a lock
left by a dead process is simply taken over, with no stale-PID guessing. The holder writes its
PID, what it is (the window, a command) and when it started into the file, so a refused second
instance can say who holds the folder.

The window and every writing CLI command take this lock; read-only commands do not, so they can
run beside the window.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from mentor_desk import APP_NAME
from mentor_desk.errors import DatabaseLockedError
from mentor_desk.paths import DataPaths, make_private_file


class DataFolderLock:
    """The lock on one data folder (a context manager, or :meth:`acquire` / :meth:`release`).

    Args:
        paths: the data folder.
        holder: who takes it, for the message a second instance shows ("the window",
            "`mentor-desk import-json`").
    """

    def __init__(self, paths: DataPaths, holder: str = "a command") -> None:
        self.paths = paths
        self.holder = holder
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> DataFolderLock:
        """Take the lock, or raise :class:`DatabaseLockedError` naming the current holder."""
        if self._handle is not None:
            return self
        self.paths.ensure()
        path = self.paths.lock_file
        # "a+" neither truncates (the holder's details stay readable) nor fails if missing.
        handle = path.open("a+", encoding="utf-8")
        make_private_file(path)
        try:
            _lock(handle)
        except OSError:
            handle.seek(0)
            details = handle.read()
            handle.close()
            raise DatabaseLockedError(_locked_message(details, self.paths.root)) from None
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "holder": self.holder,
                    "since": datetime.now().astimezone().isoformat(timespec="seconds"),
                }
            )
        )
        handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        """Give the lock up (the file stays; its contents no longer mean anything)."""
        handle, self._handle = self._handle, None
        if handle is None:
            return
        try:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            _unlock(handle)
        finally:
            handle.close()

    def __enter__(self) -> DataFolderLock:
        return self.acquire()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()


def _locked_message(details: str, root: Path) -> str:
    who = "another process"
    try:
        info: Any = json.loads(details)
        since = datetime.fromisoformat(info["since"]).strftime("%H:%M")
        who = f"process {int(info['pid'])}, {info['holder']}, since {since}"
    except (ValueError, KeyError, TypeError):
        pass  # the holder is still writing its details, or wrote something else
    return (
        f"{APP_NAME} is already open on this data folder {root} ({who}). Close it first, or "
        "use --data-dir for another folder."
    )


if sys.platform == "win32":
    import msvcrt

    # Windows locks are mandatory: lock one byte far past the holder's details (allowed beyond
    # the end of the file) so a refused instance can still read them.
    _LOCK_OFFSET = 1 << 20

    def _lock(handle: IO[str]) -> None:
        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
