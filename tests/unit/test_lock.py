"""One Mentor Desk per data folder: the lock, its message, and taking over after a crash."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mentor_desk.errors import DatabaseLockedError
from mentor_desk.lock import DataFolderLock
from mentor_desk.paths import DataPaths

HOLD = """
import sys, time
from pathlib import Path
from mentor_desk.lock import DataFolderLock
from mentor_desk.paths import DataPaths
lock = DataFolderLock(DataPaths(Path(sys.argv[1])), "the window").acquire()
print("held", flush=True)
time.sleep(60)
"""


def hold_in_child(root: Path) -> subprocess.Popen[str]:
    """Another process holding the folder's lock (say "held" once it has it)."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(root)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    return child


def test_a_second_holder_is_refused_with_who_holds_it(data_dir: Path) -> None:
    paths = DataPaths(data_dir)
    with DataFolderLock(paths, "the window") as first:
        assert first.held
        details = json.loads(paths.lock_file.read_text(encoding="utf-8"))
        assert details["pid"] == os.getpid()
        assert details["holder"] == "the window"
        with pytest.raises(DatabaseLockedError) as caught:
            DataFolderLock(paths, "`mentor-desk demo`").acquire()
    message = str(caught.value)
    assert message.startswith("Mentor Desk is already open on this data folder")
    assert f"(process {os.getpid()}, the window, since " in message
    assert "Close it first, or use --data-dir for another folder." in message
    # Released: the next one gets it, and the details of the old holder are gone.
    with DataFolderLock(paths) as again:
        assert again.held
    assert paths.lock_file.read_text(encoding="utf-8") == ""


def test_acquire_and_release_are_idempotent(data_dir: Path) -> None:
    lock = DataFolderLock(DataPaths(data_dir))
    assert lock.acquire() is lock.acquire()
    lock.release()
    lock.release()
    assert not lock.held


def test_a_lock_held_by_another_process_is_refused(data_dir: Path) -> None:
    child = hold_in_child(data_dir)
    try:
        with pytest.raises(DatabaseLockedError, match=f"process {child.pid}, the window"):
            DataFolderLock(DataPaths(data_dir)).acquire()
    finally:
        child.kill()
        child.wait()
        assert child.stdout is not None
        child.stdout.close()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX; CI runs on Linux")
def test_the_lock_of_a_killed_process_is_taken_over(data_dir: Path) -> None:
    child = hold_in_child(data_dir)
    assert child.stdout is not None
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    # The dead holder's details are still in the file, but the OS released its lock.
    assert str(child.pid) in DataPaths(data_dir).lock_file.read_text(encoding="utf-8")
    with DataFolderLock(DataPaths(data_dir), "the window") as lock:
        assert lock.held
        details = json.loads(DataPaths(data_dir).lock_file.read_text(encoding="utf-8"))
        assert details["pid"] == os.getpid()


def test_unreadable_holder_details_still_give_a_clear_message(data_dir: Path) -> None:
    paths = DataPaths(data_dir)
    with DataFolderLock(paths):
        paths.lock_file.write_text("garbage", encoding="utf-8")
        with pytest.raises(DatabaseLockedError, match=r"already open .*\(another process\)"):
            DataFolderLock(paths).acquire()
