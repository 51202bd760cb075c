"""Smoke test of the frozen build: does the executable in dist/ really work on this machine?

Run from the repository root after ``bash packaging/build.sh`` (any Python 3.11+ will do; this
script imports nothing from the app):

    python3 packaging/smoke_test.py [path/to/dist/mentor-desk/mentor-desk]

Each step runs the executable against a fresh temporary data folder, never the user's own:
``--version``, ``demo``, ``dossier`` and ``packet`` (checking the PDFs), ``check``, ``encrypt``
(SQLCipher) and ``mentees`` on the encrypted database, then the window, started offscreen and
closed by itself (``MENTOR_DESK_SMOKE_EXIT``). Exits 0 when every step passed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE_NAME = "mentor-desk.exe" if os.name == "nt" else "mentor-desk"
DEFAULT_EXE = ROOT / "dist" / "mentor-desk" / EXE_NAME
STEP_TIMEOUT = 120  # seconds; the window step waits for the app to close itself
PASSPHRASE = "smoke test passphrase"


class SmokeError(Exception):
    """A step did not do what it should."""


def run(exe: Path, env: dict[str, str], *args: str) -> str:
    """Run the executable; its stdout, or SmokeError with everything it printed."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [str(exe), *args],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=STEP_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SmokeError(f"`{' '.join(args)}` did not finish in {STEP_TIMEOUT} s") from exc
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SmokeError(
            f"`{' '.join(args)}` exited with {done.returncode}\n{done.stdout}\n{done.stderr}"
        )
    print(f"  ok  {' '.join(args)}  ({seconds:.1f} s)")
    return done.stdout


def expect_pdf(path: Path) -> None:
    if not path.is_file() or not path.read_bytes().startswith(b"%PDF-"):
        raise SmokeError(f"{path} is not a PDF")


def smoke(exe: Path) -> None:
    """Every step against one temporary data folder; raises SmokeError on the first failure."""
    for bundled in ("resources/fonts/DejaVuSans.ttf", "docs/guide.md", "db/migrations/env.py"):
        if not (exe.parent / "_internal" / "mentor_desk" / bundled).is_file():
            raise SmokeError(f"the build lacks mentor_desk/{bundled}")
    with tempfile.TemporaryDirectory(prefix="mentor-desk-smoke-") as tmp:
        folder = Path(tmp)
        data = folder / "data"
        env = dict(os.environ)
        env.pop("MENTOR_DESK_PASSPHRASE", None)
        env.update(
            MENTOR_DESK_DATA_DIR=str(data),
            QT_QPA_PLATFORM="offscreen",
            # platformdirs' settings and logs go into the temp folder too.
            HOME=str(folder),
            XDG_CONFIG_HOME=str(folder / "config"),
            XDG_STATE_HOME=str(folder / "state"),
            APPDATA=str(folder / "appdata"),
            LOCALAPPDATA=str(folder / "localappdata"),
        )
        version = run(exe, env, "--version")
        if "Mentor Desk" not in version:
            raise SmokeError(f"unexpected --version output: {version!r}")
        run(exe, env, "demo")
        run(exe, env, "dossier", "Zoë Müller", "-o", str(folder / "dossier.pdf"))
        expect_pdf(folder / "dossier.pdf")
        today = date.today()
        start = (today - timedelta(days=120)).isoformat()
        packet_args = ("packet", "--from", start, "--to", today.isoformat())
        run(exe, env, *packet_args, "-o", str(folder / "packets.pdf"))
        expect_pdf(folder / "packets.pdf")
        report = run(exe, env, "check")
        if "passed" not in report:
            raise SmokeError(f"check did not pass:\n{report}")
        run(exe, env, "gui")  # the window, offscreen; MENTOR_DESK_SMOKE_EXIT closes it
        log = (data / "logs" / "mentor-desk.log").read_text(encoding="utf-8", errors="replace")
        if "starting on" not in log or "Traceback" in log or " ERROR " in log:
            raise SmokeError(f"the window did not start and stop cleanly; its log:\n{log}")
        # The passphrase of `encrypt`, then of every command opening the encrypted database.
        encrypted = {**env, "MENTOR_DESK_PASSPHRASE": PASSPHRASE}
        run(exe, encrypted, "encrypt")
        mentees = run(exe, encrypted, "mentees")
        if "Zoë" not in mentees:
            raise SmokeError(f"the encrypted database lost its mentees:\n{mentees}")


def folder_size(path: Path) -> int:
    # lstat: PyInstaller links libraries into the top folder; count each file once.
    return sum(item.lstat().st_size for item in path.rglob("*") if not item.is_dir())


def main(argv: list[str]) -> int:
    exe = Path(argv[1]) if len(argv) > 1 else DEFAULT_EXE
    if not exe.is_file():
        print(f"No frozen build at {exe}: run `bash packaging/build.sh` first.", file=sys.stderr)
        return 1
    os.environ["MENTOR_DESK_SMOKE_EXIT"] = "1500"
    print(f"Smoke test of {exe}")
    started = time.perf_counter()
    try:
        smoke(exe)
    except SmokeError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    size = folder_size(exe.parent) / 1_000_000
    print(f"Smoke test passed in {time.perf_counter() - started:.0f} s; build size {size:.0f} MB.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
