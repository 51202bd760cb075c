"""Cold start: a new process to the main window painted and idle, against bare PySide6.

Each run spawns ``measure_startup_child.py`` with ``QT_QPA_PLATFORM=offscreen`` and takes the
wall-clock time from just before the spawn to the child's ``READY`` (interpreter start, imports,
opening the program, the start-up backup check, building and painting the window). The baseline
runs the same way with a bare QMainWindow and QTabWidget, alternating with the app so that both
see the same machine load. The first app run is reported apart: it also writes the start-up
backup of a program that has none, which later starts skip (nothing changed).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.measure_common import Measurement

CHILD = Path(__file__).with_name("measure_startup_child.py")
TIMEOUT_S = 120


def child_env(scratch: Path) -> dict[str, str]:
    """The environment for a child: offscreen, and window settings kept in ``scratch``."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # The window's QSettings file follows XDG_CONFIG_HOME: never the user's own.
    env["XDG_CONFIG_HOME"] = str(scratch / "config")
    env.pop("MENTOR_DESK_DATA_DIR", None)
    return env


def start_once(args: list[str], env: dict[str, str], crashes: list[str]) -> float:
    """Seconds from before spawning the child with ``args`` to its READY line.

    A child that got READY but then died (a crash while quitting) still counts; the end of its
    stderr (a faulthandler traceback) is added to ``crashes``.
    """
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", str(CHILD), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_S,
        check=False,
    )
    ready = [line for line in done.stdout.splitlines() if line.startswith("READY ")]
    if not ready:
        raise RuntimeError(
            f"start-up child {args[0]} failed (exit {done.returncode}):\n{done.stderr[-2000:]}"
        )
    if done.returncode != 0:
        crashes.append(f"{args[0]} exit {done.returncode}: {done.stderr[-1500:]}")
    return float(ready[0].split()[1]) - started


def measure_startup(program: Path, scratch: Path, runs: int) -> list[Measurement]:
    """Cold starts of the app on ``program`` (a scratch copy) and of the bare baseline."""
    env = child_env(scratch)
    app_args = ["app", str(program)]
    crashes: list[str] = []
    first = start_once(app_args, env, crashes)  # also brings Qt's libraries into the file cache
    app: list[float] = []
    bare: list[float] = []
    for _ in range(runs):
        app.append(start_once(app_args, env, crashes))
        bare.append(start_once(["bare"], env, crashes))
    return [
        Measurement(
            "startup.cold",
            "Cold start to painted, idle window",
            tuple(app),
            "s",
            f"{len(crashes)} crashed while quitting" if crashes else "",
            {"crashes": crashes},
        ),
        Measurement("startup.bare", "  baseline: bare PySide6 window", tuple(bare), "s"),
        Measurement(
            "startup.first",
            "  first start (writes the start-up backup)",
            (first,),
            "s",
        ),
    ]
