"""Take the screenshots of the README: the window on the demo program, one PNG per tab.

Run from the repository: ``python docs/screenshots.py [--out docs/screenshots]``. It needs no
display (Qt's offscreen platform) and never touches your own data or settings: the program and
the window settings live in a temporary folder that is deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

SIZE = (1280, 800)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "screenshots")
    parser.add_argument("--search", default="career", help="the query shown in search.png")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="mentor-desk-shots-") as temp:
        # Before Qt or platformdirs look: window settings go to the temporary folder too.
        os.environ["XDG_CONFIG_HOME"] = str(Path(temp, "config"))
        return shoot(Path(temp, "data"), args.out, args.search)


def shoot(data_dir: Path, out: Path, query: str) -> int:
    from datetime import date

    from PySide6.QtWidgets import QApplication

    from mentor_desk.app import create_main_window
    from mentor_desk.paths import DataPaths
    from mentor_desk.services.demo import load_demo
    from mentor_desk.services.mentees import list_mentees
    from mentor_desk.services.program import open_program

    app = QApplication.instance() or QApplication(sys.argv[:1])
    paths = DataPaths(data_dir)
    db = open_program(paths)
    try:
        load_demo(db, today=date.today())
        window = create_main_window(db, paths, welcome=False)
        window.resize(*SIZE)
        window.show()
        out.mkdir(parents=True, exist_ok=True)
        # The Mentees tab with someone selected, so the editor shows a filled form.
        rows = list_mentees(db)
        if rows:
            window.ctx.selector.select(rows[0].id)
        for key in window.pages:
            window.show_tab(key)
            settle(app)
            path = out / f"{key}.png"
            window.grab().save(str(path))
            print(path)
        window.show_tab("overview")
        window.search_box.setText(query)
        window.search_box.run_search()
        settle(app)
        window.grab().save(str(out / "search.png"))
        print(out / "search.png")
        window.close()
    finally:
        db.dispose()
    return 0


def settle(app: object) -> None:
    """Let deferred reloads and layouts run before a picture is taken."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    for _ in range(5):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


if __name__ == "__main__":
    sys.exit(main())
