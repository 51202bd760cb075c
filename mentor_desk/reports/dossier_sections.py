"""The content sections of the LMP dossier (recommendation to skills), each a list of flowables
made from plain :class:`DossierData`, and the styles and blocks all sections share.

:mod:`mentor_desk.reports.dossier` adds the review sections (history, sign-off) and puts them all
in order behind the cover and the contents. Every
section starts with a level-1 :func:`~mentor_desk.reports.document.heading` (so it is listed in
the contents and the outline) and says so in a sentence when it has nothing to show, rather than
leaving an empty heading.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from mentor_desk.reports import fonts
from mentor_desk.reports.charts import (
    cadence_chart,
    coverage_chart,
    skills_before_after_chart,
    suggested_height,
)
from mentor_desk.reports.document import format_date, heading
from mentor_desk.reports.flowables import Para
from mentor_desk.reports.markup import markdown_flowables
from mentor_desk.reports.theme import Theme, safe_markup
from mentor_desk.services.exports import (
    CadenceSummary,
    CoverageRow,
    DossierData,
    DossierGoal,
    EvidenceGroup,
    EvidenceItem,
)

#: The level-1 headings of the dossier body, in order (the cover and the contents come first).
SECTION_TITLES = (
    "Recommendation",
    "Evidence coverage",
    "Evidence by area",
    "One-on-one cadence",
    "Goals and targeted actions",
    "Skills before and after",
    "Presentations and decisions",
    "Reviewer sign-off",
)
#: The tint behind "Gap" in the coverage matrix: a mid-light grey in greyscale, well apart from
#: the zebra rows, with the word itself in bold dark red (near black in greyscale).
GAP_FILL = HexColor("#efc9c9")
NOT_RECORDED = "Not recorded"
_SKILLS_PER_CHART = 20


def date_text(day: date | None, missing: str = "") -> str:
    return format_date(day) if day is not None else missing


def span_text(start: date, end: date) -> str:
    return f"{format_date(start)} – {format_date(end)}"


def gap_summary(rows: Sequence[CoverageRow]) -> str:
    """``All required areas have evidence`` or ``1 gap: C Company leadership training``."""
    gaps = [f"{row.code} {row.title}".strip() for row in rows if row.gap]
    if not gaps:
        return "All required areas have evidence"
    return f"{len(gaps)} gap{'s' if len(gaps) > 1 else ''}: {'; '.join(gaps)}"


class Sheet:
    """Derived styles and the small building blocks every section shares (one per section)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        styles, palette = theme.styles, theme.palette
        cell = styles["table_cell"]
        self.cell_bold = ParagraphStyle("dossier-cell-bold", parent=cell, fontName=fonts.BOLD)
        self.cell_sub = ParagraphStyle("dossier-cell-sub", parent=cell, leftIndent=10)
        self.cell_note = ParagraphStyle(
            "dossier-cell-note", parent=cell, fontSize=7.5, leading=9.5, textColor=palette.muted
        )
        self.gap = ParagraphStyle(
            "dossier-gap", parent=cell, fontName=fonts.BOLD, textColor=palette.confidential
        )
        self.flag = ParagraphStyle(
            "dossier-flag", parent=self.cell_note, fontName=fonts.BOLD, textColor=palette.accent
        )
        self.entry_title = ParagraphStyle(
            "dossier-entry", parent=styles["h3"], spaceBefore=4, spaceAfter=1
        )
        self.meta = ParagraphStyle(
            "dossier-meta", parent=styles["muted"], keepWithNext=1, spaceAfter=4
        )
        self.label = ParagraphStyle(
            "dossier-label", parent=styles["label"], keepWithNext=1, spaceBefore=4, spaceAfter=2
        )
        self.note = ParagraphStyle("dossier-note", parent=styles["body"], textColor=palette.muted)
        self.callout_style = ParagraphStyle(
            "dossier-callout", parent=styles["body"], fontName=fonts.BOLD, spaceAfter=0
        )

    def note_para(self, text: str) -> Para:
        """A muted sentence standing in for an empty section or list."""
        return self.theme.para(text, self.note)

    def cell(
        self, text: str, style: ParagraphStyle, *notes: tuple[str, ParagraphStyle]
    ) -> Flowable:
        """A table cell with ``text`` and, below it, small extra lines (``(text, style)``)."""
        markup = safe_markup(text, style.fontName)
        for note, note_style in notes:
            size = note_style.fontSize
            colour = note_style.textColor.hexval().replace("0x", "#")
            inner = safe_markup(note, note_style.fontName)
            markup += f'<br/><font name="{note_style.fontName}" size="{size}" color="{colour}">'
            markup += f"{inner}</font>"
        return Para(markup, style)

    def facts(self, rows: Sequence[tuple[str, str | Flowable]]) -> Table:
        """A borderless label/value block (key figures, a presentation's details)."""
        theme = self.theme
        data = [
            [
                theme.para(label, "label"),
                value if isinstance(value, Flowable) else theme.para(value),
            ]
            for label, value in rows
        ]
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ("LINEBELOW", (0, 0), (-1, -2), 0.35, theme.palette.rule),
        ]
        table = Table(data, theme.column_widths([0.28, 0.72], 2), style=style, hAlign="LEFT")
        table.spaceAfter = 10
        return table

    def callout(self, text: str, fill: Color, border: Color) -> Table:
        """One bold line in a tinted, ruled box the width of the text column."""
        style = [
            ("BACKGROUND", (0, 0), (-1, -1), fill),
            ("BOX", (0, 0), (-1, -1), 0.8, border),
            ("LINEBEFORE", (0, 0), (0, -1), 3, border),
            ("LEFTPADDING", (0, 0), (-1, -1), 9),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
        table = Table([[self.theme.para(text, self.callout_style)]], [self.theme.frame_width])
        table.setStyle(style)
        table.spaceBefore, table.spaceAfter = 2, 8
        return table

    def chart(self, drawing: Flowable, caption: str) -> KeepTogether:
        return KeepTogether([Spacer(1, 4), drawing, self.theme.para(caption, "caption")])


# --- 2. the recommendation ---------------------------------------------------------------------


def recommendation_section(data: DossierData, theme: Theme) -> list[Flowable]:
    sheet = Sheet(theme)
    story: list[Flowable] = [heading(SECTION_TITLES[0], 1, theme)]
    text = data.recommendation
    if text is None:
        story.append(sheet.note_para("The recommendation was not included in this export."))
    elif not text.strip():
        story.append(sheet.note_para("The sponsor has not written a recommendation yet."))
    else:
        story += markdown_flowables(text, theme, heading_level=3)
    return story


# --- 3. coverage -------------------------------------------------------------------------------


def coverage_section(data: DossierData, theme: Theme) -> list[Flowable]:
    sheet, palette = Sheet(theme), theme.palette
    rows = data.coverage
    story: list[Flowable] = [heading(SECTION_TITLES[1], 1, theme, page_break_before=True)]
    if not rows:
        return [*story, sheet.note_para("No evidence areas are defined in the framework.")]
    summary = gap_summary(rows)
    if any(row.gap for row in rows):
        story.append(sheet.callout(summary, GAP_FILL, palette.confidential))
    else:
        story.append(sheet.callout(summary, palette.zebra, palette.accent))
    scpa = data.scpa
    explain = (
        "Only evidence shared for leadership review is counted. An area counts its own entries "
        "and its sub-areas', each once; optional areas are never gaps."
    )
    if scpa.weeks_with_update:
        explain += (
            f" E4 counts {scpa.weeks_with_update} weekly SCPA updates (longest unbroken run: "
            f"{scpa.longest_run} weeks)."
        )
    story.append(theme.para(explain, "muted"))
    body, tints = [], []
    for index, row in enumerate(rows, start=1):
        notes = []
        if row.scpa_weeks:
            plural = "s" if row.scpa_weeks > 1 else ""
            notes.append((f"includes {row.scpa_weeks} weekly SCPA update{plural}", sheet.cell_note))
        title_style = sheet.cell_sub if row.is_sub else sheet.cell_bold
        code_style = theme.styles["table_cell"] if row.is_sub else sheet.cell_bold
        if row.gap:
            status: Flowable | str = theme.para("Gap", sheet.gap)
            tints.append(("BACKGROUND", (4, index), (4, index), GAP_FILL))
        elif row.optional:
            status = theme.para("Optional", sheet.cell_note)
        else:
            status = "Covered"
        body.append(
            [
                theme.para(row.code, code_style),
                sheet.cell(row.title, title_style, *notes),
                str(row.count),
                date_text(row.latest, "–"),
                status,
            ]
        )
    header = ["Code", "Area", "Entries", "Latest entry", "Status"]
    widths = [0.075, 0.525, 0.1, 0.2, 0.1]
    tight = [("TOPPADDING", (0, 1), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 1), (-1, -1), 3)]
    tight += tints
    table = theme.table(body, widths, header=header, numeric_columns=(2,), extra_style=tight)
    story.append(table)
    top = [row for row in rows if not row.is_sub]
    # Short enough that the matrix and the chart share a page for the default framework; a big
    # framework gets the height it needs, up to most of a page.
    height = suggested_height(len(top), theme.chart_style())
    height = min(125, height) if len(top) <= 8 else min(height, theme.frame_height * 0.8)
    style = theme.chart_style(height)
    counts = [(row.code, row.count, row.gap) for row in top]
    chart = coverage_chart(counts, count_label="Evidence entries", style=style)
    caption = "Evidence entries per area, sub-areas included. Hatched bars mark gaps."
    story.append(sheet.chart(chart, caption))
    return story


# --- 4. evidence -------------------------------------------------------------------------------


def evidence_section(data: DossierData, theme: Theme) -> list[Flowable]:
    sheet = Sheet(theme)
    # A new page for the entries; an empty section stays on the coverage page.
    fresh_page = bool(data.evidence)
    story: list[Flowable] = [heading(SECTION_TITLES[2], 1, theme, page_break_before=fresh_page)]
    if not data.evidence:
        return [*story, sheet.note_para("No evidence was recorded in this period.")]
    intro = (
        "Entries appear under each area they are tagged with, oldest first. "
        f"Period: {span_text(data.cover.period.start, data.cover.period.end)}."
    )
    story.append(theme.para(intro, "muted"))
    for group in data.evidence:
        story += _evidence_group(group, sheet)
    shown = {group.code for group in data.evidence}
    missing = [row for row in data.coverage if not row.is_sub and row.code not in shown]
    if missing:
        names = "; ".join(f"{row.code} {row.title}{_gap_note(row)}" for row in missing)
        story += [Spacer(1, 6), sheet.note_para(f"No evidence entries in this period for {names}.")]
    return story


def _gap_note(row: CoverageRow) -> str:
    return " (a gap)" if row.gap else " (optional)" if row.optional else ""


def _evidence_group(group: EvidenceGroup, sheet: Sheet) -> list[Flowable]:
    theme = sheet.theme
    title = f"{group.code} · {group.title}" if group.title else group.code
    count = len(group.entries)
    # The count keeps with next, so the heading travels with the first entry (see dossier.py).
    story: list[Flowable] = [
        heading(title, 2, theme),
        theme.para(f"{count} entr{'ies' if count != 1 else 'y'}", sheet.meta),
    ]
    # Oldest first, as the gatherer delivers them; sorted again so hand-made data reads the same.
    for entry in sorted(group.entries, key=lambda entry: (entry.occurred_on, entry.id)):
        story += _evidence_entry(entry, sheet)
    return story


def _evidence_entry(entry: EvidenceItem, sheet: Sheet) -> list[Flowable]:
    theme = sheet.theme
    areas = ", ".join(entry.area_codes) or "none"
    meta = f"{format_date(entry.occurred_on)}  ·  Areas: {areas}"
    meta += f"  ·  Recorded by: {entry.recorded_by_label or NOT_RECORDED}"
    lines = [meta, f"Source: {entry.source.strip()}" if entry.source.strip() else ""]
    narrative = (
        markdown_flowables(entry.narrative, theme, heading_level=4)
        if entry.narrative.strip()
        else [sheet.note_para("No narrative was written for this entry.")]
    )
    head = [
        theme.para(entry.title.strip() or "Untitled entry", sheet.entry_title),
        theme.para("\n".join(line for line in lines if line), sheet.meta),
    ]
    # Title, dates and the first paragraph stay together: never a title alone at a page foot.
    return [KeepTogether([*head, narrative[0]]), *narrative[1:], Spacer(1, 6)]


# --- 5. cadence --------------------------------------------------------------------------------


def cadence_section(data: DossierData, theme: Theme) -> list[Flowable]:
    sheet, cadence = Sheet(theme), data.cadence
    fresh_page = bool(cadence.sessions_held)
    story: list[Flowable] = [heading(SECTION_TITLES[3], 1, theme, page_break_before=fresh_page)]
    rate = f"about {cadence.expected_per_month:g} a month"
    expected = f"{cadence.cadence_label or 'Not set'} ({rate})"
    if not cadence.sessions_held:
        story.append(sheet.note_para("No one-on-one sessions were recorded in this period."))
        return [*story, sheet.facts([("Agreed cadence", expected)])]
    held = f"{cadence.sessions_held}"
    if cadence.first_on and cadence.last_on:
        held += f" ({span_text(cadence.first_on, cadence.last_on)})"
    average = "Only one session"
    if cadence.average_days_between is not None:
        average = f"{cadence.average_days_between:g} days"
    story.append(
        sheet.facts(
            [
                ("Sessions held", held),
                ("Agreed cadence", expected),
                ("Average days between sessions", average),
                ("Longest gap", _longest_gap(cadence)),
            ]
        )
    )
    story.append(heading("Sessions by type", 3, theme, toc=False))
    total = cadence.sessions_held
    rows = [
        [kind.session_type or "No type", str(kind.count), f"{round(100 * kind.count / total)}%"]
        for kind in cadence.by_type
    ]
    header = ["Session type", "Sessions", "Share"]
    story.append(theme.table(rows, [0.64, 0.18, 0.18], header=header, numeric_columns=(1, 2)))
    months = [(_month_start(month.month), month.count) for month in cadence.per_month]
    if months:
        style = theme.chart_style(170)
        chart = cadence_chart(months, expected_per_month=cadence.expected_per_month, style=style)
        period = data.cover.period
        caption = (
            f"Sessions per month, {span_text(period.start, period.end)}, against the "
            f"{expected.lower()} expected. The first and last months may be partial."
        )
        story.append(sheet.chart(chart, caption))
    return story


def _longest_gap(cadence: CadenceSummary) -> str:
    if cadence.longest_gap_days is None:
        return "Only one session"
    text = f"{cadence.longest_gap_days} days"
    if cadence.longest_gap_from and cadence.longest_gap_to:
        text += f", {span_text(cadence.longest_gap_from, cadence.longest_gap_to)}"
    return text


def _month_start(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)


# --- 6. goals ----------------------------------------------------------------------------------


def goals_section(data: DossierData, theme: Theme) -> list[Flowable]:
    sheet = Sheet(theme)
    story: list[Flowable] = [heading(SECTION_TITLES[4], 1, theme)]
    if not data.goals:
        return [*story, sheet.note_para("No goals were included for this period.")]
    rows = []
    for goal in data.goals:
        notes = [(_requested(goal), sheet.flag)] if goal.from_request else []
        rows.append(
            [
                sheet.cell(goal.title, theme.styles["table_cell"], *notes),
                goal.category_label,
                goal.status_label,
                ProgressBar(goal.progress, theme),
                date_text(goal.target_date, "–"),
            ]
        )
    header = ["Goal", "Category", "Status", "Progress", "Target date"]
    story.append(theme.table(rows, [0.33, 0.2, 0.12, 0.15, 0.2], header=header))
    requested = [goal for goal in data.goals if goal.from_request]
    if requested:
        story.append(heading("Targeted actions requested by the leadership group", 2, theme))
        for goal in requested:
            story += _requested_action(goal, sheet)
    return story


def _requested(goal: DossierGoal) -> str:
    return f"Requested {format_date(goal.requested_on)}" if goal.requested_on else "Requested"


def _requested_action(goal: DossierGoal, sheet: Sheet) -> list[Flowable]:
    theme = sheet.theme
    meta = f"{_requested(goal)}  ·  {goal.status_label}  ·  {goal.progress}% done"
    if goal.target_date:
        meta += f"  ·  target {format_date(goal.target_date)}"
    head: list[Flowable] = [
        theme.para(goal.title, sheet.entry_title),
        theme.para(meta, sheet.meta),
    ]
    if goal.description.strip():
        head += markdown_flowables(goal.description, theme, heading_level=4)
    if goal.milestones:
        rows = [
            [
                milestone.title,
                date_text(milestone.due_on, "–"),
                f"Done {format_date(milestone.done_on)}"
                if milestone.done and milestone.done_on
                else ("Done" if milestone.done else "Open"),
            ]
            for milestone in goal.milestones
        ]
        header = ["Milestone", "Due", "Status"]
        head.append(theme.table(rows, [0.52, 0.2, 0.28], header=header))
    else:
        head.append(sheet.note_para("No milestones are set for this action."))
    return [KeepTogether(head[:3]), *head[3:]]


class ProgressBar(Flowable):
    """A goal's progress in a table cell: a thin bar and the percentage, legible in greyscale."""

    def __init__(self, progress: int, theme: Theme, width: float = 46) -> None:
        super().__init__()
        self.progress = max(0, min(100, int(progress)))
        self.bar_width, self.palette = width, theme.palette

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # Room for "100%" after the bar, whatever the column width.
        self.bar_width = max(12.0, min(self.bar_width, availWidth - 26))
        return min(availWidth, self.bar_width + 26), 11

    def draw(self) -> None:
        canvas, palette = self.canv, self.palette
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(palette.muted)
        canvas.setFillColor(palette.header_fill)
        canvas.rect(0, 2, self.bar_width, 6, stroke=1, fill=1)
        canvas.setFillColor(palette.accent)
        canvas.rect(0, 2, self.bar_width * self.progress / 100, 6, stroke=0, fill=1)
        canvas.setFillColor(palette.ink)
        canvas.setFont(fonts.REGULAR, 8)
        canvas.drawString(self.bar_width + 4, 1.5, f"{self.progress}%")


# --- 7. skills ---------------------------------------------------------------------------------


def skills_section(data: DossierData, theme: Theme) -> list[Flowable]:
    sheet, skills = Sheet(theme), data.skills
    story: list[Flowable] = [heading(SECTION_TITLES[5], 1, theme)]
    if not skills.rows:
        return [*story, sheet.note_para("No skill assessments were included for this period.")]
    before = f"Before ({date_text(skills.before_on)})" if skills.before_on else "Before"
    after = f"After ({date_text(skills.after_on)})" if skills.after_on else "After"
    values = [(row.skill, row.before, row.after) for row in skills.rows]
    # A chart never outgrows a page: many skills are drawn in several charts.
    charts = []
    for first in range(0, len(values), _SKILLS_PER_CHART):
        part = values[first : first + _SKILLS_PER_CHART]
        height = suggested_height(len(part), theme.chart_style(), bars_per_category=2)
        style = theme.chart_style(height)
        charts.append(
            skills_before_after_chart(part, before_label=before, after_label=after, style=style)
        )
    caption = "Levels from 0 to 10, the latest assessment on or before each date."
    if skills.before_on and skills.after_on:
        caption = (
            f"Levels from 0 to 10: before, as of {format_date(skills.before_on)}; after, as of "
            f"{format_date(skills.after_on)}. The change is a difference of levels."
        )
    rows = [
        [row.skill, _level(row.before), _level(row.after), row.change_text or "–"]
        for row in skills.rows
    ]
    header = ["Skill", "Before", "After", "Change"]
    table = theme.table(rows, [0.46, 0.18, 0.18, 0.18], header=header, numeric_columns=(1, 2, 3))
    *leading, last = charts
    return [*story, *leading, KeepTogether([last, theme.para(caption, "caption")]), table]


def _level(level: int | None) -> str:
    return "not rated" if level is None else str(level)
