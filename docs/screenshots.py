"""Take the screenshots of the README and the user guide from the demo program.

One PNG per tab, then the dialogs and documents the guide walks through: the welcome panel, a new
session from a template, the export dialog with its privacy options and its QtPdf preview, the
backups and encryption dialogs, pages of a dossier and a packet (rendered with ``pdftoppm`` from
poppler-utils), and, on an encrypted copy of the demo, the start-up passphrase prompt and the
locked window.

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
PAGE_TIMEOUT = 10.0  # seconds for QtPdf to paint a page it was asked for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "screenshots",
        help="the folder the PNGs go to (docs/screenshots)",
    )
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
        shoot_encrypted(app, paths, star, out, Path(data_dir.parent, "encrypted"))
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
    from mentor_desk.services.goal_lists import list_goals
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
    shoot_export(app, window, out)
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


def shoot_export(app: Any, window: Any, out: Path) -> None:
    """File > Export dossier…: the choices, what will be included, and the preview."""
    dialog = window.export_actions.open("dossier")
    dialog.resize(*DIALOG_SIZE)
    wait_until(app, dialog.summary_ready)
    show_preview(app, dialog)
    save(dialog, out / "export.png")
    # A second PDF in the same preview can stay blank (see show_preview): the packets get the
    # dialog as a fresh File > Export quarterly packets… shows it.
    dialog.close()
    dialog.deleteLater()
    window.export_actions.dialog = None
    # The packets of one quarter: the mentees to include, one PDF or one file each.
    dialog = window.export_actions.open("packet")
    dialog.resize(*DIALOG_SIZE)
    dialog.options.tick_only({window.ctx.selector.current_id})
    wait_until(app, dialog.summary_ready)
    show_preview(app, dialog)
    save(dialog, out / "export-packets.png")
    dialog.close()


def show_preview(app: Any, dialog: Any) -> None:
    """Press the dialog's Preview button and wait until QtPdf has painted the visible pages.

    QPdfView renders pages on a thread (QPdfPageRenderer). A request that reaches the thread
    while the document is being replaced is never answered, and later requests for the same
    page and size wait for it forever: the page stays white. Rather than save such a picture,
    this fails after ``PAGE_TIMEOUT`` seconds.
    """
    from PySide6.QtPdf import QPdfPageRenderer

    preview = dialog.preview
    loaded: list[int] = []
    rendered: list[int] = []

    def new_document(pages: int) -> None:
        loaded.append(pages)
        rendered.clear()  # pages of the previous document no longer count

    renderer = preview.view.findChild(QPdfPageRenderer)
    preview.loaded.connect(new_document)
    renderer.pageRendered.connect(lambda page, *_rest: rendered.append(page))
    try:
        dialog.preview_button.click()
        wait_until(app, lambda: bool(loaded) and not dialog.jobs.busy)
        # Painting the view asks for the visible pages (offscreen, only a grab paints) and they
        # arrive one by one: wait for the first, then until no more arrive.
        preview.view.viewport().grab()
        wait_until(app, lambda: 0 in rendered, PAGE_TIMEOUT, "QtPdf did not render the preview")
        seen = -1
        while seen != len(rendered):
            seen = len(rendered)
            preview.view.viewport().grab()
            settle(app)
    finally:
        preview.loaded.disconnect(new_document)
        renderer.pageRendered.disconnect()


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


def shoot_encrypted(app: Any, plain: Any, star: int, out: Path, folder: Path) -> None:
    """An encrypted copy of the demo: the passphrase asked at start-up, then File > Lock now."""
    import sqlite3

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from mentor_desk.app import create_main_window
    from mentor_desk.db import crypto
    from mentor_desk.paths import DataPaths
    from mentor_desk.services.program import open_program
    from mentor_desk.ui.dialogs.passphrase import PassphraseDialog

    crypto.SCRYPT = {"n": 2**10, "r": 8, "p": 1}  # a cheap key: the pictures need no strength
    folder.mkdir()
    paths = DataPaths(folder)
    with sqlite3.connect(plain.database) as source, sqlite3.connect(paths.database) as copy:
        source.backup(copy)  # a consistent copy of the open demo
    source.close()
    copy.close()
    passphrase = "correct horse battery staple"
    crypto.encrypt_database(paths, passphrase)
    # The start-up prompt, as app.run_app shows it, with the passphrase typed.
    prompt: PassphraseDialog[Any] = PassphraseDialog(
        lambda phrase: open_program(paths, passphrase=phrase)
    )
    prompt.show()
    prompt.field.setText(passphrase)
    settle(app)
    save(prompt, out / "passphrase.png")
    prompt.try_unlock()
    db = prompt.result_value
    if db is None:
        raise RuntimeError(f"the passphrase did not open the copy: {prompt.error.text()}")
    try:
        window = create_main_window(db, paths, welcome=False)
        window.resize(*SIZE)
        window.show()
        window.ctx.selector.choose(star)
        window.show_tab("sessions")
        settle(app)
        QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        settle(app)
        if not window.autolock.locked:
            raise RuntimeError("Ctrl+L did not lock the encrypted program")
        save(window, out / "locked.png")
        window.autolock.unlock()  # a locked window refuses to close
        window.close()
    finally:
        db.dispose()


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


def wait_until(
    app: Any,
    condition: Callable[[], bool],
    timeout: float = 30.0,
    problem: str = "the window did not finish its background work",
) -> None:
    """Process events until ``condition`` holds (background work in the export dialog)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{problem} within {timeout:.0f} s")
        settle(app)
    settle(app)


def settle(app: object) -> None:
    """Let deferred reloads and layouts run before a picture is taken."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    for _ in range(5):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


if __name__ == "__main__":
    sys.exit(main())
