"""The LMP dossier as a print-ready PDF, for the leadership group's review of a candidate.

The builder receives :class:`~mentor_desk.services.exports.DossierData`, already filtered by the
privacy gate (:func:`mentor_desk.services.exports_dossier.dossier_data`), and never reads the
database. The document is a cover, a table of contents, then the sections of
:data:`SECTION_TITLES` in the order DOMAIN.md gives: the content sections are made in
:mod:`mentor_desk.reports.dossier_sections`, the review sections (the history of presentations and
the reviewers' sign-off) here. Every body page carries the running header
("LMP dossier" and the candidate's name); every page, the cover included, the footer with the
confidentiality text, the generated date and "Page X of Y".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from reportlab.platypus import Flowable, KeepTogether, Spacer

from mentor_desk.reports.document import (
    BuildResult,
    DocumentSpec,
    build_pdf,
    cover_page,
    eased_collector,
    format_date,
    heading,
)
from mentor_desk.reports.dossier_sections import (
    NOT_RECORDED,
    SECTION_TITLES,
    Sheet,
    cadence_section,
    coverage_section,
    evidence_section,
    goals_section,
    recommendation_section,
    skills_section,
    span_text,
)
from mentor_desk.reports.markup import plain_paragraphs
from mentor_desk.reports.theme import PaperSize, Theme
from mentor_desk.services.exports import DossierData, PresentationEntry
from mentor_desk.services.periods import Period

__all__ = ["HEADER_TITLE", "SECTION_TITLES", "build_dossier", "dossier_spec", "dossier_story"]

HEADER_TITLE = "LMP dossier"
_BLANK_SIGNOFF_ROWS = 2
_BOX = "\u2610"  # ☐, in DejaVu Sans
_COVER_NOTE = (
    "This dossier collects the evidence gathered in the Lead Mentorship Program for the "
    "leadership group's review. It holds only what was shared for that review. Please do not "
    "forward it."
)


def build_dossier(
    data: DossierData,
    target: Path | BinaryIO,
    *,
    paper: PaperSize | str = "a4",
    deterministic: bool = False,
    on_page: Callable[[int], None] | None = None,
) -> BuildResult:
    """Write the dossier of ``data`` as a PDF.

    Args:
        data: the candidate's dossier, already filtered for leadership.
        target: a file path (written atomically) or a writable binary buffer.
        paper: ``"a4"`` or ``"letter"``.
        deterministic: the same data gives byte-identical files (the creation date is derived
            from the generated date).
        on_page: called with each page number as it is laid out; raise from it to cancel, and
            nothing is written.

    Raises:
        ValidationError: ``paper`` is not a known paper size.
        UserError: the target folder cannot be written to.
    """
    theme = Theme.for_paper(paper)
    spec = dossier_spec(data, theme.paper, deterministic=deterministic)
    with eased_collector():  # making the story makes as many objects as laying it out
        story = dossier_story(data, theme)
        cover = _cover(data, spec, theme)
        return build_pdf(spec, story, target, toc=True, cover=cover, theme=theme, on_page=on_page)


def dossier_spec(
    data: DossierData, paper: PaperSize | str = "a4", *, deterministic: bool = False
) -> DocumentSpec:
    """Metadata, running header and footer of the dossier of ``data``."""
    name = data.cover.candidate.name
    return DocumentSpec(
        title=f"{HEADER_TITLE}: {name}",
        kind="dossier",
        subject=f"Lead Mentorship Program dossier for {name}",
        author=data.cover.author,
        paper=PaperSize.parse(paper),
        generated=data.cover.generated_on,
        deterministic=deterministic,
        header_title=HEADER_TITLE,
        header_subject=name,
    )


def dossier_story(data: DossierData, theme: Theme) -> list[Flowable]:
    """The body of the dossier (everything after the contents), in section order."""
    sections = (
        recommendation_section,
        coverage_section,
        evidence_section,
        cadence_section,
        goals_section,
        skills_section,
        history_section,
        signoff_section,
    )
    story: list[Flowable] = []
    for section in sections:
        story += section(data, theme)
    return glue_headings(story)


def glue_headings(story: list[Flowable]) -> list[Flowable]:
    """Pull the keep-with-next flowables (headings) before a ``KeepTogether`` into it.

    ReportLab's keepWithNext never joins a container such as ``KeepTogether``, so a heading
    followed by a kept block (a chart with its caption, an evidence entry) could be left alone at
    the foot of a page.
    """
    out: list[Flowable] = []
    for flowable in story:
        if isinstance(flowable, KeepTogether):
            lead: list[Flowable] = []
            while out and out[-1].getKeepWithNext() and not isinstance(out[-1], KeepTogether):
                lead.insert(0, out.pop())
            if lead:
                flowable = KeepTogether([*lead, *flowable._content])
        out.append(flowable)
    return out


def period_text(period: Period) -> str:
    """``24 June 2026 – 21 November 2026``, led by the label of a named period (``2026-Q3``)."""
    dates = span_text(period.start, period.end)
    return dates if "–" in period.label or not period.label.strip() else f"{period.label}: {dates}"


def _cover(data: DossierData, spec: DocumentSpec, theme: Theme) -> list[Flowable]:
    cover, candidate = data.cover, data.cover.candidate
    role_team = ", ".join(part for part in (candidate.role, candidate.team) if part.strip())
    level = " · ".join(p for p in (candidate.level_label, candidate.track_label) if p.strip())
    name = candidate.name
    if candidate.pronouns.strip():
        name = f"{candidate.name} ({candidate.pronouns})"
    details = [
        ("Candidate", _or_missing(name)),
        ("Role", _or_missing(candidate.role)),
        ("Team", _or_missing(candidate.team)),
        ("Level", _or_missing(level)),
        ("Sponsor", _or_missing(cover.sponsor)),
        ("Period", period_text(cover.period)),
        ("Program stage", f"{cover.state_label}, enrolled {format_date(cover.enrolled_on)}"),
        ("Generated", format_date(cover.generated_on)),
    ]
    if cover.author.strip():
        details.append(("Prepared by", cover.author))
    # The cover shows the candidate as its title; the document's own title stays for metadata.
    title = candidate.name if candidate.name.strip() else "Unnamed candidate"
    look = replace(spec, title=title, header_subject=role_team)
    return cover_page(look, theme, details=details, note=_COVER_NOTE)


def _or_missing(text: str) -> str:
    return text if text.strip() else NOT_RECORDED


# --- 8. history --------------------------------------------------------------------------------


def history_section(data: DossierData, theme: Theme) -> list[Flowable]:
    sheet = Sheet(theme)
    story: list[Flowable] = [heading(SECTION_TITLES[6], 1, theme)]
    if not data.history:
        note = "The candidate has not been presented to a leadership group yet."
        return [*story, sheet.note_para(note)]
    count = len(data.history)
    for number, entry in enumerate(data.history, start=1):
        story += _presentation(entry, f"Presentation {number} of {count}", sheet)
    return story


def _presentation(entry: PresentationEntry, label: str, sheet: Sheet) -> list[Flowable]:
    theme = sheet.theme
    names = list(entry.reviewers)
    if entry.decision:
        decision = entry.decision_label or entry.decision
        if entry.decided_on:
            decision += f", {format_date(entry.decided_on)}"
    else:
        decision = "Pending"
    goals = "\n".join(f"• {title}" for title in entry.requested_goals) or "None"
    facts = sheet.facts(
        [
            ("Reviewers", "\n".join(names) or NOT_RECORDED),
            ("Decision", decision),
            ("Goals requested", goals),
        ]
    )
    title = theme.para(f"{label}: {format_date(entry.presented_on)}", sheet.entry_title)
    if entry.decision_notes is None:
        notes: list[Flowable] = [sheet.note_para("Not included in this export.")]
    elif not entry.decision_notes.strip():
        notes = [sheet.note_para("None recorded.")]
    else:
        notes = plain_paragraphs(entry.decision_notes, theme)
    head = [title, facts, theme.para("Decision notes", sheet.label), notes[0]]
    return [KeepTogether(head), *notes[1:], Spacer(1, 6)]


# --- 9. sign-off -------------------------------------------------------------------------------


def signoff_section(data: DossierData, theme: Theme) -> list[Flowable]:
    """The reviewers' sign-off table, on one page: a row per reviewer and blank rows to spare."""
    names = list(data.reviewers)
    blank = _BLANK_SIGNOFF_ROWS if names else 2 * _BLANK_SIGNOFF_ROWS
    choice = f"{_BOX} Accept\n{_BOX} Further actions"
    rows = [[name, choice, None, None] for name in [*names, *[""] * blank]]
    padding = [("TOPPADDING", (0, 1), (-1, -1), 8), ("BOTTOMPADDING", (0, 1), (-1, -1), 14)]
    table = theme.table(
        rows,
        [0.32, 0.24, 0.28, 0.16],
        header=["Reviewer", "Decision", "Signature", "Date"],
        zebra=False,
        extra_style=padding,
    )
    intro = (
        "Each reviewer marks their decision on the candidate's readiness, signs and dates. "
        "Further actions requested are recorded as goals and reviewed at the next presentation."
    )
    for_whom = f"Candidate: {data.cover.candidate.name}  ·  Sponsor: {data.cover.sponsor}"
    block = [
        heading(SECTION_TITLES[7], 1, theme),
        theme.para(intro),
        theme.para(for_whom, "muted"),
        Spacer(1, 4),
        table,
    ]
    return [KeepTogether(block)]
