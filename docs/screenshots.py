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
        # Each tab shows the same LMP candidate with an item open, the way a user would see it.
        star = showcase_mentee(db)
        window.ctx.selector.choose(star)
        opened = items_to_open(db, star)
        for key in window.pages:
            window.show_tab(key)
            settle(app)
            if key in opened:
                kind, item_id = opened[key]
                window.ctx.bus.navigate(kind, item_id, star)
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


def showcase_mentee(db: object) -> int:
    """Zoë Müller in the demo: an LMP candidate with one gap, goals at risk, a year of sessions."""
    from mentor_desk.services.lmp import list_records
    from mentor_desk.services.mentees import list_mentees

    records = list_records(db)  # type: ignore[arg-type]
    with_gaps = [r for r in records if r.gap_count] or records
    if with_gaps:
        return with_gaps[0].mentee_id
    return list_mentees(db)[0].id  # type: ignore[arg-type]


def items_to_open(db: object, mentee_id: int) -> dict[str, tuple[str, int]]:
    """Per tab, the (kind, id) of the item to open: the newest session, a goal with check-ins,
    the LMP record."""
    from mentor_desk.services.goals import list_goals
    from mentor_desk.services.lmp import record_for_mentee
    from mentor_desk.services.sessions import list_sessions

    opened: dict[str, tuple[str, int]] = {}
    sessions = list_sessions(db, mentee_id=mentee_id, limit=1)  # type: ignore[arg-type]
    if sessions:
        opened["sessions"] = ("session", sessions[0].id)
    goals = [g for g in list_goals(db, mentee_id=mentee_id) if g.last_checkin_on]  # type: ignore[arg-type]
    if goals:
        opened["goals"] = ("goal", max(goals, key=lambda g: g.milestones_total).id)
    record = record_for_mentee(db, mentee_id)  # type: ignore[arg-type]
    if record is not None:
        opened["evidence"] = ("lmp_record", record.id)
    return opened


def settle(app: object) -> None:
    """Let deferred reloads and layouts run before a picture is taken."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    for _ in range(5):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


if __name__ == "__main__":
    sys.exit(main())
