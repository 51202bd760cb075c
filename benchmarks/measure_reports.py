"""PDFs: the richest candidate's dossier and every active mentee's quarterly packet, against plain
ReportLab.

Both documents go through :mod:`mentor_desk.reports.export`, the path the CLI and the window
share, into files in the scratch folder; their pages are counted again with pypdf. The baseline
builds the same number of pages with plain ReportLab and no database: per page a heading, four
paragraphs and a table, in the same bundled TTF font (DejaVu Sans) the app embeds. The packet
batch also records when the first progress report came and how long a cancel takes to stop it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from benchmarks.measure_common import Measurement, Subjects, timed
from mentor_desk.paths import resource_path

_WORDS = (
    "The mentee led the planning review with care and asked for feedback on the rollout plan; "
    "we agreed on two next steps, a written proposal and a check-in with the team lead. "
)
CANCEL_AFTER_PAGES = 3


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def plain_reportlab(pages: int, target: Path) -> int:
    """Build ``pages`` pages of paragraphs and tables with plain ReportLab; the pages written."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    if "BenchSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("BenchSans", str(resource_path("fonts", "DejaVuSans.ttf"))))
    styles = getSampleStyleSheet()
    body = styles["BodyText"].clone("bench_body", fontName="BenchSans")
    heading = styles["Heading2"].clone("bench_heading", fontName="BenchSans")
    grid = TableStyle(
        [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("FONT", (0, 0), (-1, -1), "BenchSans", 9)]
    )
    story: list[Any] = []
    for page in range(pages):
        story.append(Paragraph(f"Section {page + 1}", heading))
        story += [Paragraph(_WORDS * 3, body) for _ in range(4)]
        cells = [[f"Row {r}", "2026-03-02", "One-on-one", f"{r * 7} min"] for r in range(8)]
        story.append(Table(cells, style=grid))
        if page < pages - 1:
            story.append(PageBreak())
    document = SimpleDocTemplate(str(target), pagesize=A4)
    document.build(story)
    return pdf_pages(target)


def measure_reports(
    db: Any, scratch: Path, subjects: Subjects, runs: int, batch_runs: int
) -> list[Measurement]:
    """Dossier ``runs`` times, the packet batch ``batch_runs`` times, and their baselines."""
    from mentor_desk.reports.export import export_dossier, export_packets

    out = scratch / "pdf"
    out.mkdir(parents=True, exist_ok=True)
    results: list[Measurement] = []
    if subjects.record_id is not None:
        record_id = subjects.record_id
        dossier = [export_dossier(db, record_id, out / "dossier.pdf") for _ in range(runs)]
        pages = pdf_pages(out / "dossier.pdf")
        results += _with_baseline(
            "reports.dossier",
            f"Dossier of {subjects.candidate_name}",
            [r.seconds for r in dossier],
            pages,
            out,
            runs,
            {"evidence": subjects.evidence},
        )
    progress: list[float] = []
    batch = []
    for _ in range(batch_runs):
        started = time.perf_counter()
        first: list[float] = []

        def report(_pages: int, first: list[float] = first, started: float = started) -> None:
            if not first:
                first.append(time.perf_counter() - started)

        batch.append(export_packets(db, subjects.quarter, out / "packets.pdf", progress=report))
        progress += first
    pages = pdf_pages(out / "packets.pdf")
    facts = {
        "quarter": subjects.quarter,
        "mentees": subjects.counts.get("active_mentees", 0),
        "first_progress_s": round(min(progress, default=0.0), 3),
        "cancel_s": _cancel_seconds(db, subjects, out),
    }
    results += _with_baseline(
        "reports.packets",
        f"Packets {subjects.quarter}, all active",
        [r.seconds for r in batch],
        pages,
        out,
        batch_runs,
        facts,
    )
    return results


def _with_baseline(
    key: str,
    label: str,
    seconds: list[float],
    pages: int,
    out: Path,
    runs: int,
    facts: dict[str, Any],
) -> list[Measurement]:
    """The document's row, its seconds-per-page row and the plain-ReportLab rows."""
    base = [timed(lambda: plain_reportlab(pages, out / "plain.pdf"))[0] for _ in range(runs)]
    note = f"{pages} pages"
    facts = {**facts, "pages": pages}
    return [
        Measurement(key, label, tuple(seconds), "s", note, facts),
        Measurement(
            f"{key}_per_page",
            "  per page",
            tuple(s / pages * 1000 for s in seconds),
            "ms",
        ),
        Measurement(
            f"{key}_plain_per_page",
            "  baseline per page: plain ReportLab",
            tuple(s / pages * 1000 for s in base),
            "ms",
            note,
        ),
    ]


def _cancel_seconds(db: Any, subjects: Subjects, out: Path) -> float | None:
    """Seconds from asking the batch to cancel (after a few pages) to it having stopped."""
    from mentor_desk.reports.export import ExportCancelledError, export_packets

    asked: list[float] = []

    def progress(pages: int) -> None:
        if pages >= CANCEL_AFTER_PAGES and not asked:
            asked.append(time.perf_counter())

    try:
        export_packets(
            db,
            subjects.quarter,
            out / "cancelled.pdf",
            progress=progress,
            cancel=lambda: bool(asked),
        )
    except ExportCancelledError:
        return round(time.perf_counter() - asked[0], 4)
    return None  # finished before the cancel: too few pages to tell
