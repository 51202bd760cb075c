"""The export dialog on the demo program: summary, preview, save, cancel, print, the File menu."""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QSettings, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QCheckBox, QFileDialog, QRadioButton, QWidget
from pytestqt.qtbot import QtBot
from ui_helpers import DialogAnswerer, close_window, open_window

from mentor_desk.paths import DataPaths
from mentor_desk.reports import export
from mentor_desk.services.demo import load_demo
from mentor_desk.services.lmp import list_records
from mentor_desk.services.mentees import list_mentees
from mentor_desk.services.program import open_program
from mentor_desk.services.types import Database
from mentor_desk.ui.dialogs.export import ExportDialog
from mentor_desk.ui.dialogs.export_jobs import JobRunner
from mentor_desk.ui.tasks import wait_for_background_work
from mentor_desk.ui.widgets.pdf_preview import PrintCancelledError, print_pdf

pytestmark = pytest.mark.gui

DEMO_DAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo program, loaded once for the module; each test gets a copy."""
    folder = tmp_path_factory.mktemp("demo")
    database = open_program(folder)
    load_demo(database, today=DEMO_DAY)
    database.dispose()
    return DataPaths(folder).database


@pytest.fixture
def demo_db(data_dir: Path, demo_file: Path) -> Iterator[Database]:
    shutil.copyfile(demo_file, data_dir / demo_file.name)
    database = open_program(data_dir)
    yield database
    database.dispose()


@pytest.fixture
def dialog(
    qtbot: QtBot, demo_db: Database, tmp_path: Path, dialogs: DialogAnswerer
) -> Iterator[ExportDialog]:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    shown = ExportDialog(demo_db, settings=settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    qtbot.waitUntil(shown.summary_ready)
    yield shown
    qtbot.waitUntil(lambda: not shown.jobs.busy, timeout=10_000)
    wait_for_background_work()  # a summary still being counted reports before the dialog goes
    QCoreApplication.processEvents()


def candidate(db: Database, first_name: str) -> int:
    """The mentee id of the LMP candidate called ``first_name`` ...."""
    return next(r.mentee_id for r in list_records(db) if r.candidate_name.startswith(first_name))


def click(qtbot: QtBot, widget: QWidget) -> None:
    """Click a button; a check or radio box on its indicator (the box may be wider)."""
    box = isinstance(widget, QCheckBox | QRadioButton)
    at = QPoint(8, widget.height() // 2) if box else widget.rect().center()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=at)


def settle(qtbot: QtBot, dialog: ExportDialog) -> None:
    """Wait for the summary to show the current choices."""
    qtbot.waitUntil(dialog.summary_ready)


def finish(qtbot: QtBot, dialog: ExportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.jobs.busy, timeout=15_000)


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


# --- the summary --------------------------------------------------------------------------------


def test_summary_counts_follow_the_private_choices(
    qtbot: QtBot, dialog: ExportDialog, demo_db: Database
) -> None:
    dialog.prepare("dossier", candidate(demo_db, "Zoë"))
    settle(qtbot, dialog)
    assert dialog.options.candidate.currentText().startswith("Zoë Müller")
    before = dialog.privacy.summary_counts()
    assert before["Skill assessments"][1] > 0  # shared with her only: held back from leadership
    assert dialog.privacy.private_note.text() == "No private item is included."
    held_back = dialog.privacy.held_back
    assert held_back.count() == sum(back for _in, back in before.values())

    click(qtbot, dialog.privacy.include_private)
    settle(qtbot, dialog)
    after = dialog.privacy.summary_counts()
    assert after != before
    for section, (included, back) in before.items():
        assert after[section] == (included + back, 0)
    assert "skill assessments" in dialog.privacy.private_note.text()
    assert not held_back.isEnabled()

    # Untick everything, then include one held-back item by hand.
    click(qtbot, dialog.privacy.include_private)
    settle(qtbot, dialog)
    assert dialog.privacy.summary_counts() == before
    first = held_back.item(0)
    first.setCheckState(Qt.CheckState.Checked)  # what a click on its box does
    settle(qtbot, dialog)
    counts = dialog.privacy.summary_counts()
    changed = {s for s in counts if counts[s] != before[s]}
    assert len(changed) == 1
    (section,) = changed
    assert counts[section] == (before[section][0] + 1, before[section][1] - 1)
    assert dialog.request().choices.include_items == {tuple(first.data(Qt.ItemDataRole.UserRole))}
    assert held_back.item(0).checkState() is Qt.CheckState.Checked


def test_choices_that_make_no_document_say_why(qtbot: QtBot, dialog: ExportDialog) -> None:
    dialog.prepare("packet")
    settle(qtbot, dialog)
    active = [m.id for m in list_mentees(dialog.db, status="active")]
    assert dialog.options.ticked_ids() == active  # the default batch: every active mentee
    click(qtbot, dialog.options.no_one)
    assert dialog.options.problem_label.text() == "Choose at least one mentee."
    assert not dialog.save_button.isEnabled()
    assert not dialog.preview_button.isEnabled()
    click(qtbot, dialog.options.all_active)
    assert dialog.save_button.isEnabled()

    click(qtbot, dialog.options.by_dates)
    dialog.options.end.setDate(dialog.options.start.date().addDays(-1))
    assert dialog.options.problem_label.text() == "The end date is before the start date."
    assert not dialog.print_button.isEnabled()
    dialog.options.end.setDate(dialog.options.start.date().addDays(30))
    assert dialog.options.problem_label.isHidden()
    settle(qtbot, dialog)


# --- preview, save, cancel, print ---------------------------------------------------------------


def test_preview_shows_every_page(qtbot: QtBot, dialog: ExportDialog, demo_db: Database) -> None:
    dialog.prepare("dossier", candidate(demo_db, "Chiamaka"))
    settle(qtbot, dialog)
    click(qtbot, dialog.preview_button)
    finish(qtbot, dialog)
    shown = dialog.preview.document.pageCount()
    pages, text = pdf_text(dialog.preview.data)
    assert shown == pages >= 5
    assert "Chiamaka Okonkwo" in text
    assert f"{pages} pages" in dialog.preview.page_label.text()
    assert f"{pages} pages" in dialog.status.text()
    assert dialog.preview.notice.isHidden()

    dialog.options.paper.setCurrentIndex(dialog.options.paper.findData("letter"))
    assert dialog.preview.notice.isVisible()  # the pages on show no longer match the choices
    settle(qtbot, dialog)


def has_ink(dialog: ExportDialog) -> bool:
    """Whether the preview shows dark (text) pixels: a page still being drawn is plain white."""
    image = dialog.preview.view.viewport().grab().toImage()
    samples = [
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    ]
    return sum(lightness < 110 for lightness in samples) > len(samples) // 500


def test_packets_previewed_after_a_dossier_are_painted(
    qtbot: QtBot, dialog: ExportDialog, demo_db: Database
) -> None:
    dialog.prepare("dossier", candidate(demo_db, "Zoë"))
    settle(qtbot, dialog)
    click(qtbot, dialog.preview_button)
    finish(qtbot, dialog)
    qtbot.waitUntil(lambda: has_ink(dialog), timeout=5000)
    dossier_view = dialog.preview.view

    dialog.prepare("packet")
    click(qtbot, dialog.options.no_one)
    name = list_mentees(dialog.db, status="active")[0].name
    (item,) = dialog.options.mentees.findItems(name, Qt.MatchFlag.MatchExactly)
    item.setCheckState(Qt.CheckState.Checked)  # what a click on its box does
    settle(qtbot, dialog)
    assert dialog.preview.notice.isVisible()
    click(qtbot, dialog.preview_button)
    finish(qtbot, dialog)
    assert dialog.preview.notice.isHidden()
    assert dialog.preview.view is not dossier_view  # a fresh view for every PDF
    pages, text = pdf_text(dialog.preview.data)
    assert dialog.preview.document.pageCount() == pages
    assert "REVIEW PACKET" in text
    assert name in text
    qtbot.waitUntil(lambda: has_ink(dialog), timeout=5000)


def test_save_writes_the_pdf_through_the_export_path(
    qtbot: QtBot,
    dialog: ExportDialog,
    demo_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "out" / "zoe dossier.pdf"
    target.parent.mkdir()
    asked: list[str] = []

    def save_as(_parent: object, _title: str, proposed: str, _filter: str) -> tuple[str, str]:
        asked.append(proposed)
        return str(target.with_suffix("")), "PDF files (*.pdf)"  # ".pdf" is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    dialog.prepare("dossier", candidate(demo_db, "Zoë"))
    settle(qtbot, dialog)
    with qtbot.waitSignal(dialog.exported, timeout=15_000) as saved:
        click(qtbot, dialog.save_button)
    assert Path(asked[0]).name == "LMP dossier - Zoë Müller.pdf"
    pages, text = pdf_text(target.read_bytes())
    assert "Zoë Müller" in text
    assert saved.args == [f"Wrote {target}: {pages} pages in {dialog.last_result.seconds:.1f} s"]
    assert dialog.status.text().startswith(f"Wrote {target}")


@dataclass
class Holder:
    """Whose Cancel releases the held builder."""

    jobs: JobRunner | None = None


@pytest.fixture
def held_batch(monkeypatch: pytest.MonkeyPatch) -> Holder:
    """The real packet builder, holding after its first page until the user presses Cancel
    (so a test can cancel mid-build, whatever the machine's speed)."""
    real_batch = export.build_packet_batch
    holder = Holder()

    def cancelled() -> bool:
        return holder.jobs is not None and holder.jobs.cancel_requested()

    def slow_batch(*args: Any, on_page: Callable[[int], None], **kwargs: Any) -> Any:
        give_up = time.time() + 10

        def hold(page: int) -> None:
            on_page(page)  # reports the page, and stops the build once Cancel was pressed
            while page == 1 and not cancelled() and time.time() < give_up:
                time.sleep(0.01)

        return real_batch(*args, on_page=hold, **kwargs)

    monkeypatch.setattr(export, "build_packet_batch", slow_batch)
    return holder


def start_batch_save(
    qtbot: QtBot, dialog: ExportDialog, target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Save every active mentee's packet in one file, and wait until pages are laid out."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    dialog.prepare("packet")
    settle(qtbot, dialog)
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: "laid out" in dialog.status.text())


def test_cancel_during_a_batch_export_writes_nothing(
    qtbot: QtBot,
    dialog: ExportDialog,
    held_batch: Holder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held_batch.jobs = dialog.jobs
    folder = tmp_path / "out"
    folder.mkdir()
    start_batch_save(qtbot, dialog, folder / "batch.pdf", monkeypatch)
    assert dialog.cancel_button.isVisible()
    assert dialog.progress.isVisible()
    assert not dialog.save_button.isEnabled()
    click(qtbot, dialog.cancel_button)
    finish(qtbot, dialog)
    assert dialog.status.text() == "Export cancelled; nothing was written."
    assert list(folder.iterdir()) == []  # no PDF and no temporary file
    assert not dialog.cancel_button.isVisible()
    assert dialog.save_button.isEnabled()


def test_closing_during_an_export_asks_first(
    qtbot: QtBot,
    dialog: ExportDialog,
    held_batch: Holder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogAnswerer,
) -> None:
    held_batch.jobs = dialog.jobs
    start_batch_save(qtbot, dialog, tmp_path / "batch.pdf", monkeypatch)
    dialogs.answer("Cancel")
    dialog.close()
    assert dialog.isVisible()  # kept open, still exporting
    assert dialog.jobs.busy
    dialogs.answer("Stop and close")
    dialog.close()
    assert not dialog.isVisible()
    assert not dialog.jobs.busy
    assert [shown.title for shown in dialogs.shown] == ["Stop the export? — Mentor Desk"] * 2
    assert not (tmp_path / "batch.pdf").exists()


def test_print_rasterises_at_most_300_dpi_onto_the_printer(
    qtbot: QtBot, dialog: ExportDialog, demo_db: Database, tmp_path: Path
) -> None:
    printed = tmp_path / "printed.pdf"
    offered: list[int] = []

    def to_file(printer: QPrinter, pages: int) -> bool:
        """The print dialog, answered with "print to a PDF file"."""
        offered.append(pages)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    dialog.choose_printer = to_file  # type: ignore[method-assign]
    dialog.prepare("dossier", candidate(demo_db, "Zoë"))
    settle(qtbot, dialog)
    click(qtbot, dialog.print_button)  # no preview yet: built first, then printed
    qtbot.waitUntil(lambda: dialog.last_print is not None, timeout=20_000)
    pages = dialog.preview.page_count()
    assert offered == [pages]
    assert dialog.last_print is not None
    assert dialog.last_print.pages == pages
    assert dialog.last_print.dpi <= 300
    assert dialog.printer is not None
    assert dialog.printer.resolution() <= 300
    assert len(pypdf.PdfReader(printed).pages) == pages
    assert f"Sent {pages} pages to the printer" in dialog.status.text()


def test_split_save_writes_one_file_per_ticked_mentee(
    qtbot: QtBot, dialog: ExportDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "packets"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(folder))
    dialog.prepare("packet")
    people = list_mentees(dialog.db, status="active")[:2]
    dialog.options.tick_only({m.id for m in people})
    click(qtbot, dialog.options.per_mentee)
    click(qtbot, dialog.options.by_quarter)
    dialog.options.year.setValue(2026)
    dialog.options.quarter.setCurrentIndex(2)
    settle(qtbot, dialog)
    with qtbot.waitSignal(dialog.exported, timeout=15_000):
        click(qtbot, dialog.save_button)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"2026-Q3 - {m.name}.pdf" for m in people
    )


# --- the File menu ------------------------------------------------------------------------------


def test_file_menu_opens_the_dialog_on_the_mentee_in_focus(
    qtbot: QtBot, demo_db: Database, data_dir: Path, dialogs: DialogAnswerer
) -> None:
    window = open_window(qtbot, demo_db, DataPaths(data_dir), welcome=False)
    actions = window.export_actions
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts[4:7] == ["Export &dossier…", "Export quarterly &packets…", "&Print…"]
    assert actions.dossier.isEnabled()

    window.ctx.selector.choose(candidate(demo_db, "Chiamaka"))
    actions.dossier.trigger()
    shown = actions.dialog
    assert shown is not None
    assert shown.isVisible()
    qtbot.waitUntil(shown.summary_ready)
    assert shown.options.candidate.currentText().startswith("Chiamaka Okonkwo")

    actions.packets.trigger()
    assert actions.dialog is shown  # one dialog, reused
    assert shown.options.current_kind() == "packet"
    qtbot.waitUntil(shown.summary_ready)

    someone = next(m for m in list_mentees(demo_db, status="active") if not m.in_lmp)
    window.ctx.selector.choose(someone.id)
    window.activateWindow()  # back from the dialog, as a click on the window does
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert shown.options.current_kind() == "packet"
    assert shown.options.ticked_ids() == [someone.id]
    assert shown.print_button.isDefault()
    qtbot.waitUntil(shown.summary_ready)
    shown.close()
    wait_for_background_work()
    QCoreApplication.processEvents()
    close_window(window)


def test_closing_the_window_during_an_export_stops_it_first(
    qtbot: QtBot,
    demo_db: Database,
    data_dir: Path,
    held_batch: Holder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogAnswerer,
) -> None:
    window = open_window(qtbot, demo_db, DataPaths(data_dir), welcome=False)
    shown = window.export_actions.open("packet")
    held_batch.jobs = shown.jobs
    start_batch_save(qtbot, shown, tmp_path / "batch.pdf", monkeypatch)
    dialogs.answer("Cancel")
    window.close()
    assert window.isVisible()  # the user chose to let the export go on
    assert shown.jobs.busy
    dialogs.answer("Stop and close")
    close_window(window)
    assert not shown.jobs.busy
    assert not (tmp_path / "batch.pdf").exists()


def test_dossier_entry_is_disabled_without_candidates(
    qtbot: QtBot, db: Database, data_dir: Path, dialogs: DialogAnswerer
) -> None:
    window = open_window(qtbot, db, DataPaths(data_dir), welcome=False)
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.aboutToShow.emit()  # worked out when the menu opens, not at start-up
    assert not window.export_actions.dossier.isEnabled()
    assert not window.export_actions.packets.isEnabled()  # nobody yet
    close_window(window)


def test_print_shortcut_before_the_menu_was_shown_checks_first(
    qtbot: QtBot, db: Database, data_dir: Path, dialogs: DialogAnswerer
) -> None:
    window = open_window(qtbot, db, DataPaths(data_dir), welcome=False)
    actions = window.export_actions
    actions.print.trigger()  # as Ctrl+P does, before anyone opened the File menu
    assert actions.dialog is None  # nothing to print: no dialog
    assert not actions.print.isEnabled()
    window.ctx.bus.data_changed.emit("mentees")
    assert actions.print.isEnabled()  # unknown again until the next look
    close_window(window)


@pytest.mark.usefixtures("qapp")  # printers and PDF documents need the application
def test_print_pdf_prints_the_chosen_pages_and_stops_on_cancel(
    demo_db: Database, tmp_path: Path
) -> None:
    buffer = io.BytesIO()
    record = list_records(demo_db)[0].id
    pages = export.export_dossier(demo_db, record, buffer).pages
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "range.pdf"))
    printer.setFullPage(True)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    sent: list[int] = []
    result = print_pdf(buffer.getvalue(), printer, progress=sent.append)
    assert (result.pages, sent) == (2, [1, 2])
    assert result.dpi == printer.resolution() <= 300
    assert len(pypdf.PdfReader(tmp_path / "range.pdf").pages) == 2
    assert pages > 3

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "cancelled.pdf"))
    done: list[int] = []
    with pytest.raises(PrintCancelledError, match="after 1 page"):
        print_pdf(buffer.getvalue(), printer, cancel=lambda: bool(done), progress=done.append)
