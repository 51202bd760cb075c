"""Take the screenshots of the README and the user guide from the demo program.

One PNG per tab, then the dialogs and documents the guide walks through: the welcome panel, a new
session from a template, the export dialog with its privacy options, the backups and encryption
dialogs, and pages of a dossier and a packet (rendered with ``pdftoppm`` from poppler-utils).

Run from the repository: ``python docs/screenshots.py [--out docs/screenshots]``. It needs no
display (Qt's offscreen platform) and never touches your own data or settings: the program and
the window settings live in a temporary folder that is deleted afterwards. The PNGs are reduced
to 256 colours, which keeps them small in the repository and sharp (the window has few colours).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZE = (1280, 800)
DIALOG_SIZE = (1180, 760)


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
        out.mkdir(parents=True, exist_ok=True)
        # First start: the welcome panel of an empty program.
        first = create_main_window(db, paths)
        first.resize(*SIZE)
        first.show()
        settle(app)
        save(first, out / "welcome.png")
        first.close()
        load_demo(db, today=date.today())
        window = create_main_window(db, paths, welcome=False)
        window.resize(*SIZE)
        window.show()
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
            save(window, out / f"{key}.png")
        window.show_tab("overview")
        window.search_box.setText(query)
        window.search_box.run_search()
        settle(app)
        save(window, out / "search.png")
        window.search_box.clear()
        window.search_box.popup.hide()
        shoot_guide(app, window, db, star, out, Path(data_dir.parent))
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


def shoot_guide(app: Any, window: Any, db: Any, star: int, out: Path, temp: Path) -> None:
    """The pictures only the user guide shows."""
    shoot_sub_tabs(app, window, db, star, out)
    shoot_new_session(app, window, out)
    shoot_export(app, window, out, temp)
    shoot_backups(app, window, db, out)
    shoot_encryption(app, window, out)
    shoot_documents(db, star, out, temp)


def shoot_sub_tabs(app: Any, window: Any, db: Any, star: int, out: Path) -> None:
    """The evidence log with an entry open, the SCPA updates, and the skills comparison."""
    from mentor_desk.services.evidence import list_evidence
    from mentor_desk.services.lmp import record_for_mentee

    record = record_for_mentee(db, star)
    if record is not None:
        entries = list_evidence(db, record.id)
        if entries:
            window.show_tab("evidence")
            window.ctx.bus.navigate("evidence", entries[-1].id, star)
            settle(app)
            save(window, out / "evidence-log.png")
        evidence = window.page("evidence")
        evidence.sub_tabs.setCurrentWidget(evidence.scpa)
        settle(app)
        save(window, out / "scpa.png")
    window.show_tab("goals")
    goals = window.page("goals")
    goals.sections.setCurrentWidget(goals.skills)
    settle(app)
    save(window, out / "skills.png")
    goals.sections.setCurrentIndex(0)


def shoot_new_session(app: Any, window: Any, out: Path) -> None:
    """File > New on the Sessions tab: the template chooser, then the editor it fills."""
    from PySide6.QtCore import Qt

    window.show_tab("sessions")
    sessions = window.page("sessions")
    sessions.new_session()
    chooser = sessions.chooser
    settle(app)
    weekly = chooser.template.findItems("Weekly one-on-one", Qt.MatchFlag.MatchStartsWith)
    if weekly:
        chooser.template.setCurrentItem(weekly[0])
    settle(app)
    save(chooser, out / "session-template.png")
    chooser.accept()
    settle(app)
    save(window, out / "session-new.png")
    sessions.revert()  # leave nothing unsaved behind
    settle(app)


def shoot_export(app: Any, window: Any, out: Path, temp: Path) -> None:
    """File > Export dossier…: the choices, what will be included, and the preview."""
    dialog = window.export_actions.open("dossier")
    dialog.resize(*DIALOG_SIZE)
    wait_until(app, dialog.summary_ready)
    show_preview(app, dialog, temp)
    save(dialog, out / "export.png")
    # The packets of one quarter: the mentees to include, one PDF or one file each.
    dialog = window.export_actions.open("packet")
    dialog.options.tick_only({window.ctx.selector.current_id})
    wait_until(app, dialog.summary_ready)
    show_preview(app, dialog, temp)
    save(dialog, out / "export-packets.png")
    dialog.close()


def show_preview(app: Any, dialog: Any, temp: Path) -> None:
    """What the dialog's Preview button shows: the first page at the preview's width.

    The page is drawn by pdftoppm into the preview's label rather than by QtPdf, which aborts
    this script ("none_dealloc") a moment after it renders a page with PySide6 6.12 here.
    """
    import io

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPixmap

    request = dialog.request()
    buffer = io.BytesIO()
    result = request.export(dialog.db, buffer, split=False)
    pdf = temp / "preview.pdf"
    pdf.write_bytes(buffer.getvalue())
    preview = dialog.preview
    width, height = preview.pages.width() - 40, preview.pages.height() - 16
    options = ["-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to-x", str(width)]
    subprocess.run(["pdftoppm", *options, "-scale-to-y", "-1", str(pdf), str(pdf)], check=True)
    preview.placeholder.setEnabled(True)
    preview.placeholder.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
    page = QPixmap(str(pdf.with_suffix(".pdf.png")))
    preview.placeholder.setPixmap(page.copy(0, 0, width, height))  # the top, as if scrolled
    preview.zoom.setEnabled(True)
    preview.page_label.setText(f"{result.pages} pages · showing page 1")
    pages = f"{result.pages} pages, {result.seconds:.1f} s"
    dialog.status.setText(f"Preview of {request.title}: {pages}.")
    settle(app)


def shoot_backups(app: Any, window: Any, db: Any, out: Path) -> None:
    """File > Backups… after a start-up backup and a manual one."""
    from mentor_desk.services.backups import back_up
    from mentor_desk.services.settings import set_setting
    from mentor_desk.ui.dialogs.backups import BackupsDialog

    back_up(db, reason="start-up")
    set_setting(db, "screenshots_taken", "1")  # a change, or the second backup is skipped
    back_up(db, reason="manual")
    dialog = BackupsDialog(window, window.ctx)
    dialog.reload()
    dialog.table.selectRow(0)
    dialog.show()
    settle(app)
    save(dialog, out / "backups.png")
    dialog.close()


def shoot_encryption(app: Any, window: Any, out: Path) -> None:
    """File > Encryption… on the (unencrypted) demo: the passphrase fields and auto-lock."""
    from mentor_desk.ui.dialogs.encryption import EncryptionDialog

    dialog = EncryptionDialog(window, window.ctx, lambda: None)
    dialog.show()
    settle(app)
    save(dialog, out / "encryption.png")
    dialog.close()


def shoot_documents(db: Any, star: int, out: Path, temp: Path) -> None:
    """A dossier's cover and coverage matrix, and a packet's first pages, side by side."""
    from mentor_desk.reports.export import export_dossier, export_packets
    from mentor_desk.services.lmp import record_for_mentee

    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found (poppler-utils): the document pages were not taken")
        return
    record = record_for_mentee(db, star)
    if record is not None:
        export_dossier(db, record.id, temp / "dossier.pdf")
        pages_side_by_side(temp / "dossier.pdf", [1, 4], out / "dossier-pages.png")
    export_packets(db, None, temp / "packet.pdf", mentee_ids=[star])
    pages_side_by_side(temp / "packet.pdf", [1, 2], out / "packet-pages.png")


def pages_side_by_side(pdf: Path, pages: list[int], target: Path) -> None:
    """Render ``pages`` of ``pdf`` and put them next to each other on a grey background."""
    from PIL import Image

    images = []
    for page in pages:
        stem = pdf.with_name(f"{pdf.stem}-{page}")
        options = ["-png", "-r", "72", "-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run(["pdftoppm", *options, str(pdf), str(stem)], check=True)
        images.append(Image.open(stem.with_suffix(".png")).convert("RGB"))
    gap = 24
    width = sum(image.width for image in images) + gap * (len(images) + 1)
    height = max(image.height for image in images) + 2 * gap
    sheet = Image.new("RGB", (width, height), (200, 200, 200))
    left = gap
    for image in images:
        sheet.paste(image, (left, gap))
        left += image.width + gap
    sheet.save(target)
    optimize(target)


def save(widget: Any, path: Path) -> None:
    """Grab ``widget`` into ``path``, optimized, and say so."""
    widget.grab().save(str(path))
    optimize(path)


def optimize(path: Path) -> None:
    """Reduce to 256 colours without dithering: UI text stays crisp, files shrink about 3x."""
    from PIL import Image

    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(
            256, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    reduced.save(path, optimize=True)
    print(f"{path} ({path.stat().st_size // 1024} KB)")


def wait_until(app: Any, condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Process events until ``condition`` holds (background work in the export dialog)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not finish its background work in time")
        settle(app)
    settle(app)


def settle(app: object) -> None:
    """Let deferred reloads and layouts run before a picture is taken."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    for _ in range(5):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    # Skip Python's shutdown: after an export preview ran in the background, PySide6 aborts
    # while collecting objects at exit ("none_dealloc"), turning a good run into exit code 134.
    os._exit(status)
