"""The quarterly review packet as a PDF: one mentee's, or a batch of them in one file.

Both builders take only the plain data the privacy gate produced
(:func:`mentor_desk.services.exports_packet.packet_data` / ``packet_batch``) and never read the
database. The sections themselves are laid out in :mod:`mentor_desk.reports.packet_sections`.

- :func:`build_packet`: one mentee. Page 1 opens with a compact title block rather than a
  cover page: a packet of a few pages handed to a mentee reads better starting straight away.
- :func:`build_packet_batch`: a cover, a contents page listing each mentee with their page
  number, then one section per mentee, each starting on a new page, with the running header
  naming the mentee on every page of their section.

Every body page carries the running header ("Quarterly review" and the mentee's name) and the
footer ("Confidential", the generated date and "Page X of Y").
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from typing import BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, Table, TableStyle

from mentor_desk.reports.document import (
    KIND_LABEL,
    BuildResult,
    Deferred,
    DocumentSpec,
    Heading,
    build_pdf,
    cover_page,
    format_date,
    heading,
    new_section,
)
from mentor_desk.reports.packet_sections import (
    PacketSections,
    clipped_markdown,
    number_text,
)
from mentor_desk.reports.theme import PaperSize, Theme
from mentor_desk.services.exports import PacketData
from mentor_desk.services.periods import Period

__all__ = ["HEADER_TITLE", "build_packet", "build_packet_batch", "period_text"]

HEADER_TITLE = "Quarterly review"
# How much of a following paragraph (points) a heading wants on its page: about three lines.
_FEW_LINES = 40.0

Target = str | os.PathLike[str] | BinaryIO


def build_packet(
    data: PacketData,
    target: Target,
    *,
    paper: PaperSize | str = "a4",
    deterministic: bool = False,
    on_page: Callable[[int], None] | None = None,
) -> BuildResult:
    """Write one mentee's quarterly review packet.

    Args:
        data: the packet, already filtered by the privacy gate.
        target: a file path (written atomically) or a writable binary buffer.
        paper: ``"a4"`` or ``"letter"`` (or a :class:`PaperSize`).
        deterministic: the same data gives a byte-identical file (the creation date is derived
            from ``data.generated_on``).
        on_page: called after each page is laid out; raise from it to cancel (nothing is
            written).
    """
    name = data.mentee.name
    spec = DocumentSpec(
        title=f"Quarterly review · {name} · {data.period.label}",
        kind="packet",
        subject=name,
        author=data.author,
        paper=paper,
        generated=data.generated_on,
        deterministic=deterministic,
        header_title=HEADER_TITLE,
    )
    theme = Theme.for_paper(spec.paper)
    story = [*_title_block(data, theme), *_packet_story(data, theme, 1)]
    return build_pdf(spec, story, target, toc=False, cover=(), theme=theme, on_page=on_page)


def build_packet_batch(
    packets: Sequence[PacketData],
    target: Target,
    *,
    period_label: str,
    paper: PaperSize | str = "a4",
    deterministic: bool = False,
    on_page: Callable[[int], None] | None = None,
) -> BuildResult:
    """Write several mentees' packets as one PDF: cover, contents, one section per mentee.

    Args:
        packets: the packets in the order to print them (``packet_batch`` sorts by name).
        target: a file path (written atomically) or a writable binary buffer.
        period_label: the period as the cover names it, e.g. ``"2026-Q3"``.
        paper, deterministic, on_page: as for :func:`build_packet`; the creation date of a
            deterministic batch comes from the first packet's generated date.
    """
    first = packets[0] if packets else None
    span = period_text(first.period) if first else ""
    if first and span.startswith(f"{period_label} ("):
        span = span[len(period_label) + 2 : -1]  # the title already names the quarter
    spec = DocumentSpec(
        title=f"Quarterly review packets · {period_label}",
        kind="packet",
        subject=span,
        author=first.author if first else "",
        paper=paper,
        generated=first.generated_on if first else date.today(),
        deterministic=deterministic,
        header_title=HEADER_TITLE,
    )
    theme = Theme.for_paper(spec.paper)
    count = len(packets)
    details = [("Mentees", f"{count} mentee{'' if count == 1 else 's'}")]
    if spec.author:
        details.append(("Prepared by", spec.author))
    details.append(("Generated", format_date(spec.generated)))
    note = (
        "One packet per mentee, each starting on a new page. Private notes are included only "
        "where the mentor chose to include them for this export."
    )
    cover = cover_page(spec, theme, details=details, note=note)
    story: list[Flowable] = []
    for data in packets:
        story += _batch_section(data, theme)
    if not packets:
        story.append(theme.para("There were no mentees to include."))
    toc = bool(packets)
    return build_pdf(spec, story, target, toc=toc, cover=cover, theme=theme, on_page=on_page)


def _title_block(data: PacketData, theme: Theme) -> list[Flowable]:
    """The top of a single packet's first page: what it is, whom it is about, for when."""
    return [
        theme.para(KIND_LABEL["packet"].upper(), "kicker"),
        theme.para(data.mentee.name, "title"),
        theme.para(period_text(data.period), "subtitle"),
        HRFlowable(
            width="100%", thickness=1.2, color=theme.palette.accent, spaceBefore=6, spaceAfter=4
        ),
    ]


def _batch_section(data: PacketData, theme: Theme) -> list[Flowable]:
    """One mentee in a batch: a heading on a new page (listed in the contents), then the
    packet's sections one level down, made when layout reaches them (see ``Deferred``)."""
    name = data.mentee.name
    return [
        new_section(name, theme, running_subject=name),
        Deferred(partial(_batch_body, data, theme)),
    ]


def _batch_body(data: PacketData, theme: Theme) -> list[Flowable]:
    return [
        theme.para(period_text(data.period), "subtitle"),
        HRFlowable(
            width="100%", thickness=1.2, color=theme.palette.accent, spaceBefore=4, spaceAfter=2
        ),
        *_packet_story(data, theme, 2),
    ]


def period_text(period: Period) -> str:
    """``2026-Q3 (1 July – 30 September 2026)``, or just the span for a plain date range."""
    start, end = period.start, period.end
    if start == end:
        span = format_date(start)
    elif (start.year, start.month) == (end.year, end.month):
        span = f"{start.day} – {format_date(end)}"
    elif start.year == end.year:
        first = format_date(start).rsplit(" ", 1)[0]
        span = f"{first} – {format_date(end)}"
    else:
        span = f"{format_date(start)} – {format_date(end)}"
    if period.label == f"{start.isoformat()} – {end.isoformat()}":
        return span
    return f"{period.label} ({span})"


def _packet_story(data: PacketData, theme: Theme, level: int) -> list[Flowable]:
    """Summary first (these figures are what a reader looks for), then every other section."""
    story = [heading("Summary", level, theme, toc=False), _key_figures(data, theme)]
    rows = _details(data)
    if rows:
        story.append(_details_table(rows, theme))
    aspiration = data.mentee.aspiration
    if aspiration and aspiration.strip():
        story += [theme.para("Career aspiration", "h4"), *clipped_markdown(aspiration, theme)]
    sections = PacketSections(data, theme, level)
    return _guard_headings([*story, *sections.record(), *_plan(sections)])


def _details(data: PacketData) -> list[tuple[str, str]]:
    """The mentee's profile as ``(label, value)`` pairs, empty values left out."""
    mentee = data.mentee
    level = mentee.level_label
    if level and mentee.track_label:
        level = f"{level} ({mentee.track_label.lower()} track)"
    pairs = [
        ("Role", mentee.role),
        ("Team", mentee.team),
        ("Level", level),
        ("Cadence", mentee.cadence_label),
        ("Pronouns", mentee.pronouns),
        ("Mentee since", format_date(mentee.started_on) if mentee.started_on else ""),
        ("Status", mentee.status_label if mentee.status != "active" else ""),
        ("Mentor", data.author),
    ]
    return [(label, value) for label, value in pairs if value and value.strip()]


def _details_table(rows: list[tuple[str, str]], theme: Theme) -> Table:
    """Label/value pairs in two columns, filled down the left one first."""
    half = (len(rows) + 1) // 2
    cells: list[list[Flowable | str]] = []
    for index in range(half):
        line: list[Flowable | str] = []
        for label, value in (rows[index], *rows[index + half : index + half + 1]):
            line += [theme.para(label, "label"), theme.para(value, "table_cell")]
        cells.append(line)
    widths = theme.column_widths([0.14, 0.36, 0.14, 0.36], 4)
    style = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LINEBELOW", (0, 0), (-1, -1), 0.35, theme.palette.rule),
        ]
    )
    return Table(cells, widths, style=style, hAlign="LEFT", spaceAfter=10)


def _key_figures(data: PacketData, theme: Theme) -> Table:
    """The summary counts as a row of boxes: a large number over a short label."""
    summary = data.summary
    figures = [
        (summary.sessions_held, "session held", "sessions held"),
        (summary.actions_opened, "action item opened", "action items opened"),
        (summary.actions_closed, "action item closed", "action items closed"),
        (summary.goals_progressed, "goal progressed", "goals progressed"),
    ]
    if data.mentee.in_lmp or summary.evidence_added:
        figures.append((summary.evidence_added, "evidence entry added", "evidence entries added"))
    number = ParagraphStyle(
        "figure", parent=theme.styles["title"], fontSize=19, leading=22, spaceAfter=1
    )
    label = ParagraphStyle("figure_label", parent=theme.styles["label"], fontSize=7.5, leading=9.5)
    gap = 6.0
    width = (theme.frame_width - gap * (len(figures) - 1)) / len(figures)
    columns: list[list[Flowable] | str] = []
    widths: list[float] = []
    for value, one, many in figures:
        if columns:  # a blank column between boxes
            columns.append("")
            widths.append(gap)
        text = one if value == 1 else many
        columns.append([theme.para(str(value), number), theme.para(text, label)])
        widths.append(width)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for index in range(0, len(columns), 2):
        style += [
            ("BACKGROUND", (index, 0), (index, 0), theme.palette.zebra),
            ("LINEABOVE", (index, 0), (index, 0), 1.6, theme.palette.accent),
        ]
    return Table([columns], widths, style=TableStyle(style), hAlign="LEFT", spaceAfter=10)


def _plan(sections: PacketSections) -> list[Flowable]:
    """The plan for next quarter: when the next session is due, open goals and items."""
    theme, plan = sections.theme, sections.data.plan
    story = sections.heading(f"Plan for next quarter ({plan.period.label})")
    story.append(theme.para(_next_session(sections.data)))
    story += sections.heading("Open goals", sub=True)
    if plan.open_goals:
        rows = [
            [g.title, g.status_label, number_text(g.progress), sections.due(g.target_date)]
            for g in sorted(plan.open_goals, key=lambda g: (g.target_date or date.max, g.id))
        ]
        header = ["Goal", "Status", "Progress", "Target date"]
        story.append(sections.table(rows, [0.46, 0.15, 0.13, 0.26], header, numeric=(2,)))
    else:
        story.append(theme.para("No goals are open. Setting the next ones is a good start."))
    story += sections.heading("Open action items", sub=True)
    table = sections.action_table(plan.open_actions, ("Owner", "Due", "Opened"))
    return [*story, table or theme.para("No action items are open.")]


def _next_session(data: PacketData) -> str:
    due = data.plan.next_session_due
    if due is None:
        status = data.mentee.status_label.lower() or "not active"
        return f"No next session is due while the mentorship is {status}."
    cadence = data.mentee.cadence_label.lower()
    late = " (overdue)" if due < data.generated_on else ""
    return f"Next session due: {format_date(due)}{late}. Sessions are planned {cadence}."


class _Room(CondPageBreak):
    """Starts a new page unless the headings after it fit here with the start of what follows
    them: the header and first row of a table, or a few lines of anything else.

    :func:`_guard_headings` puts one before each section heading.
    """

    def __init__(self) -> None:
        super().__init__(0)
        self.headings: list[Flowable] = []
        self.following: Flowable | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        frame = self._doctemplateAttr("frame")
        if frame is not None and getattr(frame, "_atTop", False):
            return 0, 0  # a new page would not give more room
        need = sum(
            h.wrap(availWidth, availHeight)[1] + h.getSpaceBefore() + h.getSpaceAfter()
            for h in self.headings
        )
        after = self.following
        if isinstance(after, Table):
            room = availHeight - need
            height = after.wrap(availWidth, room)[1]
            # Splitting tells whether the header and a first row fit in the room.
            fits = height <= room or bool(after.split(availWidth, room))
            need = need + min(height, _FEW_LINES) if fits else availHeight + 1
        elif after is not None:
            need += _FEW_LINES
        self.height = need
        return super().wrap(availWidth, availHeight)


def _guard_headings(story: Sequence[Flowable]) -> list[Flowable]:
    """``story`` with a :class:`_Room` before each run of section headings (those not kept
    with what follows them by ReportLab), told which headings and which flowable follow."""
    out: list[Flowable] = []
    index = 0
    while index < len(story):
        flowable = story[index]
        if not (isinstance(flowable, Heading) and flowable.getKeepWithNext() == 0):
            out.append(flowable)
            index += 1
            continue
        room = _Room()
        while index < len(story) and isinstance(story[index], Heading):
            room.headings.append(story[index])
            index += 1
        room.following = story[index] if index < len(story) else None
        out += [room, *room.headings]
    return out
