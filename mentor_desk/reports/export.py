"""The one export path: the privacy gate, then the PDF builders, for the CLI and the window alike.

``mentor-desk dossier``/``mentor-desk packet`` and the window's export dialog (its preview, save
and print) all call :func:`export_dossier` or :func:`export_packets`. Each asks the gate in
:mod:`mentor_desk.services.exports` for the filtered data, hands it to the builder, and reports
back an :class:`ExportResult`. Nothing here talks to the user: progress goes to a callback, a
cancel request is polled after every laid-out page, and problems are :class:`UserError` sentences.

Files are written atomically by the document engine: a failed or cancelled build never leaves
half a PDF, nor replaces a good one.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

from mentor_desk.errors import UserError
from mentor_desk.reports.document import BuildResult
from mentor_desk.reports.dossier import build_dossier
from mentor_desk.reports.packet import build_packet, build_packet_batch
from mentor_desk.reports.theme import PaperSize
from mentor_desk.services.exports import PacketData
from mentor_desk.services.exports_dossier import dossier_data
from mentor_desk.services.exports_packet import packet_batch, packet_preview
from mentor_desk.services.exports_privacy import (
    DEFAULT_CHOICES,
    ExportChoices,
    ExportPreview,
    PreviewItem,
    SectionCount,
)
from mentor_desk.services.lmp import list_records, record_for_mentee
from mentor_desk.services.mentees import list_mentees, resolve_mentee
from mentor_desk.services.periods import Period, resolve_period
from mentor_desk.services.settings import PAPER_SIZE, get_setting
from mentor_desk.services.types import Database

__all__ = [
    "CANCELLED",
    "ExportCancelledError",
    "ExportResult",
    "Progress",
    "batch_preview",
    "default_paper",
    "dossier_record",
    "export_dossier",
    "export_packets",
    "packet_file_name",
    "pdf_file_name",
    "private_counts",
    "private_summary",
]

Progress = Callable[[int], None]
Cancel = Callable[[], bool]
Target = Path | BinaryIO

CANCELLED = "Export cancelled; nothing was written."

# Characters no file system takes (Windows is the strictest), and control characters.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?$", re.IGNORECASE)
_KIND_WORDS = {
    "session": ("session", "sessions"),
    "evidence": ("evidence entry", "evidence entries"),
    "feedback": ("feedback record", "feedback records"),
    "goal": ("goal", "goals"),
    "checkin": ("goal check-in", "goal check-ins"),
    "assessment": ("skill assessment", "skill assessments"),
    "action_item": ("action item", "action items"),
    "mentee": ("mentee profile (aspiration, style, notes)", "mentee profiles"),
    "lmp_record": ("recommendation narrative", "recommendation narratives"),
    "scpa": ("SCPA update", "SCPA updates"),
}


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote.

    Attributes:
        paths: the files written (empty when the PDF went to a buffer).
        pages: the pages of all of them together.
        seconds: how long gathering and building took.
    """

    paths: tuple[Path, ...]
    pages: int
    seconds: float

    def describe(self) -> str:
        """One line for the user: ``Wrote d.pdf: 14 pages in 1.2 s``."""
        pages = f"{self.pages} page{'s' * (self.pages != 1)} in {self.seconds:.1f} s"
        if len(self.paths) == 1:
            return f"Wrote {self.paths[0]}: {pages}"
        if not self.paths:
            return f"Built the PDF: {pages}"
        return f"Wrote {len(self.paths)} files to {self.paths[0].parent}: {pages}"


class ExportCancelledError(UserError):
    """The user cancelled an export.

    Attributes:
        paths: files already finished when the cancel came (one file per mentee only); they are
            complete and were kept. Empty for a single document: nothing was written.
    """

    def __init__(self, paths: Sequence[Path] = ()) -> None:
        self.paths = tuple(paths)
        if not self.paths:
            message = CANCELLED
        else:
            names = ", ".join(path.name for path in self.paths)
            files = f"{len(self.paths)} finished file{'s' * (len(self.paths) != 1)}"
            message = (
                f"Export cancelled; the {files} in {self.paths[0].parent} were kept ({names}); "
                "no other file was written."
            )
        super().__init__(message)


class _Stop(Exception):  # noqa: N818 (a signal, not an error)
    """Raised from ``on_page`` to stop the build. ReportLab re-raises what escapes a page hook
    as ``type(error)(annotated message)``, so this carries nothing and is turned into a clean
    :class:`ExportCancelledError` once out of the builder."""


class _Watch:
    """Counts laid-out pages across passes and files, reports them, and polls for a cancel."""

    def __init__(self, progress: Progress | None, cancel: Cancel | None) -> None:
        self.progress = progress
        self.cancel = cancel
        self.pages = 0
        self.finished: list[Path] = []

    def check(self) -> None:
        if self.cancel is not None and self.cancel():
            raise ExportCancelledError(self.finished)

    @contextmanager
    def building(self) -> Iterator[None]:
        """Around a builder call: its stop becomes :class:`ExportCancelledError`."""
        try:
            yield
        except _Stop:
            raise ExportCancelledError(self.finished) from None

    def on_page(self, _page: int) -> None:
        self.pages += 1
        if self.progress is not None:
            self.progress(self.pages)
        if self.cancel is not None and self.cancel():
            raise _Stop


# --- the two documents --------------------------------------------------------------------------


def export_dossier(
    db: Database,
    record_id: int,
    target: Target,
    *,
    choices: ExportChoices = DEFAULT_CHOICES,
    paper: PaperSize | str = "a4",
    period: Period | None = None,
    deterministic: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    today: date | None = None,
) -> ExportResult:
    """Write the LMP dossier of one record to ``target`` (a file path or a binary buffer).

    Args:
        record_id: the candidate's LMP record (see :func:`dossier_record` for a name).
        choices: what the user included beyond what leadership may see.
        paper: ``"a4"`` or ``"letter"``.
        period: the span covered; None for the record's whole candidacy.
        deterministic: a fixed creation date, so the same data gives the same bytes.
        progress: called with the number of pages laid out so far.
        cancel: polled after each page; True stops the export and nothing is written.
        today: the day the dossier is generated (default: today).

    Raises:
        ExportCancelledError: ``cancel`` said so.
        UserError: the record does not exist, the period is wrong, the file cannot be written.
    """
    started = time.perf_counter()
    paper = PaperSize.parse(paper)
    _check_file_target(target)
    watch = _Watch(progress, cancel)
    watch.check()
    data = dossier_data(db, record_id, choices, period=period, today=today)
    watch.check()
    with watch.building():
        built = build_dossier(
            data, target, paper=paper, deterministic=deterministic, on_page=watch.on_page
        )
    return _result([built], started)


def export_packets(
    db: Database,
    period: Period | str | None,
    target: Target,
    *,
    mentee_ids: Sequence[int] | None = None,
    split: bool = False,
    choices: ExportChoices = DEFAULT_CHOICES,
    paper: PaperSize | str = "a4",
    deterministic: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    today: date | None = None,
) -> ExportResult:
    """Write quarterly review packets: one PDF for everyone, or one file per mentee.

    Args:
        period: a :class:`Period`, quarter text like ``"2026-Q3"``, or None for the quarter
            containing ``today``.
        target: the PDF (a path or a binary buffer); with ``split``, the folder to write into
            (made if missing), one file per mentee named like ``2026-Q3 - Zoë Müller.pdf``.
        mentee_ids: whom to include; None means every active mentee.
        split: one file per mentee instead of one PDF with a contents page.
        choices, paper, deterministic, progress, cancel, today: as for :func:`export_dossier`.

    Raises:
        ExportCancelledError: ``cancel`` said so; with ``split``, the files finished before it are
            kept and listed in it.
        UserError: nobody to export, a bad period, a target that cannot be written.
    """
    started = time.perf_counter()
    paper = PaperSize.parse(paper)
    period = resolve_period(period, today or date.today())
    if split:
        folder = _folder_target(target)
    else:
        _check_file_target(target)
    watch = _Watch(progress, cancel)
    watch.check()
    packets = packet_batch(db, period, mentee_ids, choices, today=today)
    if not packets:
        raise UserError(
            "There is nobody to export: no active mentees. Choose mentees by name instead."
            if mentee_ids is None
            else "There is nobody to export: choose at least one mentee."
        )
    watch.check()
    if split:
        _make_folder(folder)
        return _write_split(packets, folder, period, paper, deterministic, watch, started)
    with watch.building():
        built = _build_packets(packets, target, period, paper, deterministic, watch.on_page)
    return _result([built], started)


def _build_packets(
    packets: Sequence[PacketData],
    target: Target,
    period: Period,
    paper: PaperSize,
    deterministic: bool,
    on_page: Progress,
) -> BuildResult:
    if len(packets) == 1:
        return build_packet(
            packets[0], target, paper=paper, deterministic=deterministic, on_page=on_page
        )
    return build_packet_batch(
        packets,
        target,
        period_label=period.label,
        paper=paper,
        deterministic=deterministic,
        on_page=on_page,
    )


def _write_split(
    packets: Sequence[PacketData],
    folder: Path,
    period: Period,
    paper: PaperSize,
    deterministic: bool,
    watch: _Watch,
    started: float,
) -> ExportResult:
    built: list[BuildResult] = []
    taken: set[str] = set()
    for data in packets:
        watch.check()  # between files: the finished ones stay
        path = folder / packet_file_name(period, data.mentee.name, taken)
        with watch.building():
            built.append(_build_packets([data], path, period, paper, deterministic, watch.on_page))
        watch.finished.append(path)
    return _result(built, started)


def _result(built: Sequence[BuildResult], started: float) -> ExportResult:
    paths = tuple(b.path for b in built if b.path is not None)
    return ExportResult(paths, sum(b.pages for b in built), time.perf_counter() - started)


# --- targets ------------------------------------------------------------------------------------


def packet_file_name(period: Period, mentee_name: str, taken: set[str] | None = None) -> str:
    """``2026-Q3 - Zoë Müller.pdf``, safe on every file system; unique within ``taken``.

    Characters no file system accepts become ``_``; a name already in ``taken`` (compared
    ignoring case, as macOS and Windows do) gets `` (2)``, `` (3)``... The chosen name is added
    to ``taken``.
    """
    stem = _safe(f"{period.label} - {mentee_name}")
    name = f"{stem}.pdf"
    taken = set() if taken is None else taken
    number = 2
    while name.casefold() in taken:
        name = f"{stem} ({number}).pdf"
        number += 1
    taken.add(name.casefold())
    return name


def pdf_file_name(stem: str) -> str:
    """``stem`` made safe as a file name on every file system, with ``.pdf`` added."""
    return f"{_safe(stem)}.pdf"


def _safe(text: str) -> str:
    cleaned = _UNSAFE.sub("_", " ".join(text.split())).strip(" .")
    if _RESERVED.match(cleaned):
        cleaned = f"_{cleaned}"
    # Leave room for " (99).pdf" within the usual 255-byte limit of a file name.
    while len(cleaned.encode("utf-8")) > 230:
        cleaned = cleaned[:-1]
    return cleaned or "packet"


def _check_file_target(target: Target) -> None:
    if not isinstance(target, Path):
        return
    if target.is_dir():
        raise UserError(f"{target} is a folder; give the name of the PDF file to write.")
    if not target.parent.is_dir():
        raise UserError(f"Cannot write {target.name}: the folder {target.parent} does not exist.")


def _folder_target(target: Target) -> Path:
    if not isinstance(target, Path):
        raise TypeError("one file per mentee needs a folder to write into")
    if target.exists() and not target.is_dir():
        raise UserError(f"Cannot write the packets into {target}: it is a file, not a folder.")
    return target


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(
            f"Cannot make the folder {folder}: {error.strerror or error}. Choose another folder."
        ) from error


# --- choosing what to export --------------------------------------------------------------------


def default_paper(db: Database) -> PaperSize:
    """The paper size from the program settings, A4 when unset or unreadable."""
    try:
        return PaperSize.parse(get_setting(db, PAPER_SIZE, "a4") or "a4")
    except UserError:
        return PaperSize.A4


def dossier_record(db: Database, mentee: str) -> int:
    """The LMP record of a mentee named as on the command line (name, partial name or id).

    Raises:
        AmbiguousError, NotFoundError: the name does not single out one mentee.
        UserError: the mentee is not an LMP candidate (the message names the candidates).
    """
    person = resolve_mentee(db, mentee)
    record = record_for_mentee(db, person.id)
    if record is not None:
        return record.id
    names = ", ".join(row.candidate_name for row in list_records(db))
    hint = f"LMP candidates: {names}." if names else "There are no LMP candidates yet."
    raise UserError(f"{person.name} is not an LMP candidate, so has no dossier. {hint}")


def batch_preview(
    db: Database,
    period: Period | str | None,
    mentee_ids: Sequence[int] | None = None,
    choices: ExportChoices = DEFAULT_CHOICES,
    *,
    today: date | None = None,
) -> ExportPreview:
    """The preview of several packets as one: section counts added up, every choosable item
    labelled with its mentee's name (item keys are unique across mentees)."""
    today = today or date.today()
    period = resolve_period(period, today)
    if mentee_ids is None:
        mentee_ids = [row.id for row in list_mentees(db, status="active")]
    previews = [packet_preview(db, i, period, choices, today=today) for i in mentee_ids]
    if len(previews) == 1:
        return previews[0]
    totals: dict[str, list[int]] = {}
    items: list[PreviewItem] = []
    for preview in previews:
        for count in preview.sections:
            pair = totals.setdefault(count.section, [0, 0])
            pair[0] += count.included
            pair[1] += count.held_back
        items.extend(replace(i, label=f"{preview.subject}: {i.label}") for i in preview.choosable)
    sections = tuple(SectionCount(name, *pair) for name, pair in totals.items())
    subject = f"{len(previews)} mentees"
    return ExportPreview("packet", subject, period, sections, tuple(items))


def private_counts(preview: ExportPreview) -> dict[str, int]:
    """How many items below the audience's threshold the choices include, per kind."""
    return dict(Counter(item.kind for item in preview.choosable if item.included))


def private_summary(preview: ExportPreview) -> str:
    """``"3 sessions, 1 goal"``; "" when nothing private is included."""
    parts = []
    counts = private_counts(preview)
    rank = {kind: n for n, kind in enumerate(_KIND_WORDS)}
    for kind in sorted(counts, key=lambda k: (rank.get(k, len(rank)), k)):
        count = counts[kind]
        one, many = _KIND_WORDS.get(kind, (kind.replace("_", " "), kind.replace("_", " ")))
        parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts)
