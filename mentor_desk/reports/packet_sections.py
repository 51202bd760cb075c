"""The sections of a quarterly review packet about the quarter itself, and their building blocks.

:class:`PacketSections` lays out sessions, goals, skills, action items, evidence and feedback
from :class:`~mentor_desk.services.exports.PacketData` only; :mod:`mentor_desk.reports.packet`
adds the summary before them and the plan after. Whatever the privacy gate held back arrives as
``None`` and is shown as such ("(private item)"); nothing here reads the database.

Section headings are not glued to what follows with ``keepWithNext`` (ReportLab would push a
long table, heading and all, to the next page and leave a hole); the builder puts a page-break
guard before each one instead. Headings above charts, which cannot split, are kept with them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from mentor_desk.reports import fonts
from mentor_desk.reports.charts import (
    goal_progress_chart,
    skills_before_after_chart,
    suggested_height,
)
from mentor_desk.reports.document import format_date, heading
from mentor_desk.reports.markup import markdown_flowables
from mentor_desk.reports.theme import Theme
from mentor_desk.services.exports import ActionEntry, GoalProgress, PacketData, SessionHeld
from mentor_desk.services.skills import SkillChange

__all__ = ["PacketSections", "clip", "clipped_markdown", "number_text", "short_date"]

#: Summaries longer than this are printed in full after the sessions table, not inside a cell:
#: a cell several pages long is unreadable, and ReportLab splits it slowly.
LONG_SUMMARY = 1200
#: The most of one narrative (a session summary, the career aspiration) a packet prints.
MAX_NARRATIVE = 20_000
#: The most of a short text (a title, an action item) a table cell shows.
CELL_TEXT = 2_000
# A table whose rows may be taller than this (in points) lets rows split across pages.
_TALL_ROW = 300.0
#: How many goals get a progress chart (the ones with the most check-ins in the period).
CHARTED_GOALS = 4
#: Up to this many skills, the table and the chart sit side by side.
SIDE_BY_SIDE_SKILLS = 14
_GUTTER = 14.0

Cell = str | Flowable | list[Flowable]


def short_date(day: date | None) -> str:
    """``3 Mar 2026`` for table cells; ``—`` for no date."""
    if day is None:
        return "—"
    _, month, year = format_date(day).split(" ")
    return f"{day.day} {month[:3]} {year}"


def clip(text: str, limit: int) -> str:
    """``text`` cut to about ``limit`` characters at a paragraph, line or word end, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for boundary in ("\n\n", "\n", " "):
        end = cut.rfind(boundary)
        if end > limit * 0.8:
            cut = cut[:end]
            break
    return cut.rstrip() + " …"


def clipped_markdown(text: str, theme: Theme) -> list[Flowable]:
    """Markdown ``text`` as flowables, at most :data:`MAX_NARRATIVE` characters of it.

    A packet is a summary; a text of hundreds of pages would bury it (and take minutes to lay
    out), so the rest is left in Mentor Desk and a note says so.
    """
    story = markdown_flowables(clip(text, MAX_NARRATIVE), theme)
    if len(text) > MAX_NARRATIVE:
        rest = len(text) - MAX_NARRATIVE
        note = f"Shortened for this packet: about {rest:,} more characters are in Mentor Desk."
        story.append(theme.para(note, "muted"))
    return story


def number_text(value: int | None, unit: str = "%") -> str:
    """``60%`` (or with another unit), ``—`` for no value."""
    return "—" if value is None else f"{value}{unit}"


@dataclass
class PacketSections:
    """Lays out the sections of one packet; ``level`` is the heading level of a section.

    :meth:`record` gives the sections about the quarter itself; the builder adds the summary
    before them and the plan after (:mod:`mentor_desk.reports.packet`) with the building blocks
    here.
    """

    data: PacketData
    theme: Theme
    level: int

    def __post_init__(self) -> None:
        base = self.theme.styles["table_cell"]
        self.private_style = ParagraphStyle(
            "private_cell", parent=base, fontName=fonts.OBLIQUE, textColor=self.theme.palette.muted
        )
        self.bold_cell = ParagraphStyle("bold_cell", parent=base, fontName=fonts.BOLD)
        self.label = self.data.period.label

    # --- building blocks ------------------------------------------------------------------------

    def heading(self, title: str, *, sub: bool = False) -> list[Flowable]:
        """A section heading (``sub``: one level down), as a list to splice into a story."""
        level = min(self.level + (1 if sub else 0), 3)
        flowable = heading(title, level, self.theme, toc=False)
        flowable.keepWithNext = 0  # the builder's page-break guard keeps it company instead
        return [flowable]

    def table(
        self,
        rows: Sequence[Sequence[Cell]],
        widths: Sequence[float],
        header: Sequence[str],
        numeric: Collection[int] = (),
    ) -> Table:
        """:meth:`Theme.table`, whose cells may also be lists of flowables (a title over a
        Markdown summary)."""
        theme = self.theme

        def cell(value: Cell, column: int, kind: str) -> Flowable | list[Flowable]:
            if isinstance(value, (Flowable, list)):
                return value
            style = f"{kind}_right" if column in numeric else kind
            return theme.para(value, style)

        points = theme.column_widths(widths, len(header))
        data = [[cell(title, i, "table_header") for i, title in enumerate(header)]]
        data += [[cell(value, i, "table_cell") for i, value in enumerate(row)] for row in rows]
        # Rows split across pages only when one might not fit on a page at all: a row of a few
        # lines cut in two at the foot of a page reads badly.
        tall = any(
            isinstance(value, str) and _height_guess(value, width) > _TALL_ROW
            for row in rows
            for value, width in zip(row, points, strict=False)
        )
        return Table(
            data,
            colWidths=points,
            repeatRows=1,
            splitInRow=1 if tall else 0,
            style=theme.table_style(),
            hAlign="LEFT",
            spaceBefore=3,
            spaceAfter=9,
        )

    @staticmethod
    def keep(title: list[Flowable], *first: Flowable) -> list[Flowable]:
        """``title`` (from :meth:`heading`) kept on one page with ``first``, which cannot split
        (charts): the heading moves to the next page with them rather than stay behind."""
        return [KeepTogether([title[-1], *first])]

    def note(self, text: str) -> Flowable:
        return self.theme.para(text, "muted")

    def private(self, text: str = "(private item)") -> Flowable:
        return self.theme.para(text, self.private_style)

    def text_or_private(self, text: str | None) -> str | Flowable:
        return self.private() if text is None else clip(text, CELL_TEXT)

    # --- the sections ---------------------------------------------------------------------------

    def record(self) -> list[Flowable]:
        """Sessions, goals, skills, action items, evidence and feedback, in the packet's order."""
        story: list[Flowable] = []
        for part in (
            self.sessions,
            self.goals,
            self.skills,
            self.actions,
            self.evidence,
            self.feedback,
        ):
            story += part()
        return story

    def sessions(self) -> list[Flowable]:
        theme, sessions = self.theme, self.data.sessions
        story = self.heading("Sessions held")
        if not sessions:
            return [*story, theme.para(f"No sessions were held in {self.label}.")]
        rows, long_ones = [], []
        for held in sessions:
            kind = held.session_type or "No type"
            length = f"{held.duration_minutes} min" if held.duration_minutes else "—"
            rows.append([short_date(held.held_on), kind, length, self._session_text(held)])
            if _is_long(held.summary):
                long_ones.append(held)
        widths = [0.15, 0.22, 0.1, 0.53]
        header = ["Date", "Type", "Length", "Title and summary"]
        story.append(self.table(rows, widths, header, numeric=(2,)))
        hidden = sum(1 for held in sessions if held.title is None)
        if hidden:
            some = "One session is" if hidden == 1 else f"{hidden} sessions are"
            story.append(
                self.note(
                    f"{some} private: only the date, type and length are shown. "
                    "Private notes are not included in this packet."
                )
            )
        for held in long_ones:
            title = clip(held.title or held.session_type or "Session", CELL_TEXT)
            story += self.heading(f"{title} ({format_date(held.held_on)})", sub=True)
            story += clipped_markdown(held.summary or "", theme)
        return story

    def _session_text(self, held: SessionHeld) -> list[Flowable] | Flowable:
        theme = self.theme
        if held.title is None:
            return self.private("Private: notes not included")
        cell: list[Flowable] = []
        if held.title.strip():
            cell.append(theme.para(clip(held.title, CELL_TEXT), self.bold_cell))
        summary = held.summary or ""
        if _is_long(summary):
            cell.append(self.note("The full summary follows this table."))
        elif summary.strip():
            cell += markdown_flowables(summary, theme, style="table_cell")
        return cell or self.private("No summary written")

    def goals(self) -> list[Flowable]:
        theme, goals = self.theme, self.data.goals
        story = self.heading("Goal progress")
        if not goals:
            return [*story, theme.para("No goals are shared in this packet.")]
        rows = [
            [
                [theme.para(g.title, "table_cell"), theme.para(g.category_label, "muted")],
                g.status_label,
                f"{number_text(g.progress_at_start)} → {number_text(g.progress_at_end)}",
                short_date(g.target_date),
            ]
            for g in goals
        ]
        header = ["Goal", "Status", "Start → end", "Target date"]
        story.append(self.table(rows, [0.5, 0.16, 0.17, 0.17], header, numeric=(2,)))
        story.append(
            self.note(
                "Progress at the start and end of the period, from the latest check-in on or "
                "before each day; — where there was none yet."
            )
        )
        story += self._goal_charts()
        story += self._milestones()
        return story

    def _goal_charts(self) -> list[Flowable]:
        charted = sorted(
            (g for g in self.data.goals if g.points),
            key=lambda g: (
                -len(g.points),
                -abs((g.progress_at_end or 0) - (g.progress_at_start or 0)),
            ),
        )[:CHARTED_GOALS]
        story = self.heading("Progress over the period", sub=True)
        if not charted:
            return [*story, self.note("No progress check-ins were recorded in this period.")]
        width = (self.theme.frame_width - _GUTTER) / 2
        cells = [self._goal_chart(goal, width) for goal in charted]
        style = TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *[(f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT")],
                ("RIGHTPADDING", (0, 0), (0, 0), _GUTTER),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
        rows: list[Flowable] = []
        for start in range(0, len(cells), 2):
            pair: list[list[Flowable] | str] = [*cells[start : start + 2]]
            pair += [""] * (2 - len(pair))
            rows.append(Table([pair], [width + _GUTTER, width], style=style, hAlign="LEFT"))
        story = [*self.keep(story, rows[0]), *rows[1:]]
        note = (
            "Progress at each check-in, from where the goal stood at the start of the period "
            "to where it stood at the end."
        )
        if len(charted) < sum(1 for g in self.data.goals if g.points):
            note += f" The {len(charted)} goals with the most check-ins are shown."
        story.append(self.note(note))
        return story

    def _goal_chart(self, goal: GoalProgress, width: float) -> list[Flowable]:
        # Charts side by side compare at a glance when each spans the whole period: the line
        # starts where the goal stood on the first day (when known) and runs on to the last.
        period = self.data.period
        last_day = min(period.end, max(self.data.generated_on, period.start))
        points = [(p.on, p.progress) for p in goal.points]
        if goal.progress_at_start is not None and points[0][0] > period.start:
            points.insert(0, (period.start, goal.progress_at_start))
        if points[-1][0] < last_day:
            points.append((last_day, points[-1][1]))
        target = goal.target_date
        if target is not None and not period.contains(target):
            target = None  # beyond the period it would squash the quarter to one side
        drawing = goal_progress_chart(
            points, target_date=target, style=self.theme.chart_style(128, width)
        )
        caption = f"{goal.status_label} · {number_text(goal.progress_at_end)} at the end"
        size = self.bold_cell.fontSize
        return [
            # One line each, so the charts of a row stay level; the table above has it in full.
            self.theme.para(fonts.fit_text(goal.title, width, fonts.BOLD, size), self.bold_cell),
            self.theme.para(caption, "muted"),
            drawing,
        ]

    def _milestones(self) -> list[Flowable]:
        period = self.data.period
        reached = sorted(
            (
                (milestone.done_on, milestone.title, goal.title)
                for goal in self.data.goals
                for milestone in goal.milestones
                if milestone.done and milestone.done_on and period.contains(milestone.done_on)
            ),
            key=lambda row: row[0],
        )
        story = self.heading("Milestones reached", sub=True)
        if not reached:
            return [*story, self.theme.para("No milestones were reached in this period.")]
        rows = [[short_date(on), title, goal] for on, title, goal in reached]
        header = ["Reached", "Milestone", "Goal"]
        return [*story, self.table(rows, [0.15, 0.45, 0.4], header)]

    def skills(self) -> list[Flowable]:
        theme, skills = self.theme, self.data.skills
        title = self.heading("Skills before and after")
        if not skills.rows:
            return [*title, theme.para("No skills have been assessed yet.")]
        before, after = short_date(skills.before_on), short_date(skills.after_on)
        if skills.after_on and self.data.period.contains(skills.after_on):
            lead = f"Levels from 0 to 10, as assessed on {before} and on {after}."
        else:
            lead = (
                f"No skill was assessed in {self.label}, so this compares the first assessment "
                f"({before}) with the latest ({after}). Levels run from 0 to 10."
            )
        rows = [
            [r.skill, number_text(r.before, ""), number_text(r.after, ""), r.change_text or "—"]
            for r in skills.rows
        ]
        header, numbers = ["Skill", "Before", "After", "Change"], (1, 2, 3)
        shares = (0.4, 0.2, 0.2, 0.2)
        if len(rows) > SIDE_BY_SIDE_SKILLS:
            # Too tall to sit beside each other: the table splits across pages, and the chart
            # comes in even parts small enough for a page each.
            story = [*title, theme.para(lead), self.table(rows, shares, header, numbers)]
            parts = -(-len(rows) // SIDE_BY_SIDE_SKILLS)
            size = -(-len(rows) // parts)
            for start in range(0, len(rows), size):
                part = skills.rows[start : start + size]
                story.append(self._skills_chart(part, theme.frame_width))
            return story
        table_width = theme.frame_width * 0.5
        table = self.table(rows, [table_width * s for s in shares], header, numbers)
        chart = self._skills_chart(skills.rows, theme.frame_width - table_width - _GUTTER)
        layout = TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *[(f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT", "TOP")],
                ("LEFTPADDING", (1, 0), (1, 0), _GUTTER),
            ]
        )
        widths = [table_width, theme.frame_width - table_width]
        block = Table([[table, chart]], widths, style=layout, hAlign="LEFT", spaceAfter=8)
        return self.keep(title, theme.para(lead), block)

    def _skills_chart(self, rows: Sequence[SkillChange], width: float) -> Flowable:
        skills = self.data.skills
        height = suggested_height(len(rows), self.theme.chart_style(), bars_per_category=2)
        return skills_before_after_chart(
            [(r.skill, r.before, r.after) for r in rows],
            before_label=f"Before ({short_date(skills.before_on)})",
            after_label=f"After ({short_date(skills.after_on)})",
            style=self.theme.chart_style(height, width),
        )

    def actions(self) -> list[Flowable]:
        data, label = self.data, self.label
        return [
            *self.heading("Action items"),
            *self.heading("Opened in the period", sub=True),
            self.action_table(data.actions_opened, ("Opened", "Owner", "Due", "Status"))
            or self.theme.para(f"No action items were opened in {label}."),
            *self.heading("Closed in the period", sub=True),
            self.action_table(data.actions_closed, ("Closed", "Owner", "Opened"))
            or self.theme.para(f"No action items were closed in {label}."),
        ]

    def action_table(self, items: Sequence[ActionEntry], columns: Sequence[str]) -> Table | None:
        """The items with the text first, then ``columns``; None when there are none."""
        if not items:
            return None
        cells = {
            "Opened": (0.14, lambda a: short_date(a.opened_on)),
            "Closed": (0.14, lambda a: short_date(a.done_on)),
            "Owner": (0.11, lambda a: a.owner_label),
            "Due": (0.19, lambda a: self.due(a.due_on, a.done)),
            "Status": (0.2, _state),
        }
        rows = [[self.text_or_private(a.text), *(cells[c][1](a) for c in columns)] for a in items]
        widths = [cells[c][0] for c in columns]
        return self.table(rows, [1 - sum(widths), *widths], ["Action item", *columns])

    def evidence(self) -> list[Flowable]:
        theme, data = self.theme, self.data
        if not data.mentee.in_lmp and not data.evidence:
            return []  # evidence belongs to the Lead Mentorship Program only
        story = self.heading("Evidence added")
        if not data.evidence:
            return [*story, theme.para("No evidence was recorded in this period.")]
        rows = []
        for entry in data.evidence:
            if entry.title is None:
                text: list[Flowable] | Flowable = self.private("(private entry)")
            else:
                text = [theme.para(entry.title or "Untitled", self.bold_cell)]
                if entry.source and entry.source.strip():
                    source = clip(entry.source, CELL_TEXT)
                    text.append(theme.para(f"Source: {source}", "muted"))
            rows.append([short_date(entry.occurred_on), ", ".join(entry.area_codes) or "—", text])
        header = ["Date", "Areas", "Entry"]
        story.append(self.table(rows, [0.15, 0.13, 0.72], header))
        return story

    def feedback(self) -> list[Flowable]:
        entries = self.data.feedback
        if not entries:
            return []
        story = self.heading("Feedback given")
        rows = [
            [
                short_date(f.given_on),
                *(clip(t, CELL_TEXT) for t in (f.observation, f.impact, f.request)),
            ]
            for f in entries
        ]
        header = ["Date", "Observed", "Impact", "Request"]
        story.append(self.table(rows, [0.13, 0.29, 0.29, 0.29], header))
        return story

    def due(self, day: date | None, done: bool = False) -> str:
        """A due or target date, marked "(overdue)" when it passed unfinished before the
        packet was made."""
        if day is not None and not done and day < self.data.generated_on:
            return f"{short_date(day)} (overdue)"
        return short_date(day)


def _is_long(summary: str | None) -> bool:
    """Whether a session summary is printed after the table rather than in its cell."""
    return summary is not None and (len(summary) > LONG_SUMMARY or summary.count("\n") > 20)


def _height_guess(text: str, width: float) -> float:
    """A generous guess of the height of ``text`` in a table cell ``width`` points wide."""
    per_line = max(1, int((width - 10) / 4.0))  # 8.5 pt DejaVu Sans averages about 5 pt
    lines = sum(len(line) // per_line + 1 for line in text.split("\n"))
    return lines * 11.0


def _state(action: ActionEntry) -> str:
    if action.done:
        return f"Done {short_date(action.done_on)}" if action.done_on else "Done"
    return "Open"
