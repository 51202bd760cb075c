"""Quarterly review packets as PDFs: sections, privacy, batches, hostile text, determinism."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm

from mentor_desk.db.engine import Database
from mentor_desk.reports import fonts
from mentor_desk.reports.document import BuildResult
from mentor_desk.reports.packet import build_packet, build_packet_batch, period_text
from mentor_desk.reports.packet_sections import MAX_NARRATIVE
from mentor_desk.services.demo import load_demo
from mentor_desk.services.exports import (
    ActionEntry,
    FeedbackEntry,
    GoalProgress,
    MenteeProfile,
    MilestoneItem,
    NextQuarterPlan,
    PacketData,
    PacketEvidence,
    PacketSummary,
    PlannedGoal,
    ProgressPoint,
    SessionHeld,
    SkillsComparison,
)
from mentor_desk.services.exports_packet import packet_batch, packet_data
from mentor_desk.services.exports_privacy import ExportChoices
from mentor_desk.services.periods import Period, parse_quarter
from mentor_desk.services.skills import SkillChange

TODAY = date(2026, 11, 21)
Q3 = "2026-Q3"
Q3_LABEL = "2026-Q3 (1 July – 30 September 2026)"
ARABIC = "ليلى حداد"
HOSTILE = "<b>& <script>alert(1)</script> AT&T 🎉 李伟 张伟 Zoë"
LITERALS = ("<b>&", "<script>alert(1)</script>", "AT&T", "李伟 张伟", "Zoë")
SECTIONS = (
    "Summary",
    "Sessions held",
    "Goal progress",
    "Milestones reached",
    "Skills before and after",
    "Action items",
    "Opened in the period",
    "Closed in the period",
    "Evidence added",
    "Feedback given",
    "Plan for next quarter (2026-Q4)",
)


# --- reading the PDFs ----------------------------------------------------------------------------


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*?)</word>')


@dataclass
class Pdf:
    result: BuildResult
    data: bytes
    reader: PdfReader
    _lines: list[list[tuple[float, str]]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return len(self.reader.pages)

    def flat(self, index: int | None = None) -> str:
        """The text of one page (or all) in drawing order (a table cell's lines stay together),
        whitespace collapsed."""
        pages = self.reader.pages if index is None else [self.reader.pages[index]]
        return " ".join(" ".join(page.extract_text().split()) for page in pages)

    def lines(self, index: int) -> list[tuple[float, str]]:
        """The page's lines, top to bottom, as (distance from the top, text): pdftotext reads
        the whole file in a fraction of the time pypdf takes."""
        if not self._lines:
            command = ["pdftotext", "-bbox", "-", "-"]
            out = subprocess.run(command, input=self.data, capture_output=True, check=True)
            for page in out.stdout.decode().split("<page ")[1:]:
                rows: dict[float, list[tuple[float, str]]] = {}
                for x, y, word in _WORD.findall(page):
                    rows.setdefault(round(float(y)), []).append((float(x), unescape(word)))
                self._lines.append(
                    [(y, " ".join(w for _, w in sorted(row))) for y, row in sorted(rows.items())]
                )
        return self._lines[index]

    def region(self, index: int, where: str) -> list[str]:
        """The lines of the running header, the body or the footer of a page."""
        height = float(self.reader.pages[index].mediabox.height)
        top, bottom = 25 * mm, height - 22 * mm
        inside = {
            "header": lambda y: y < top,
            "body": lambda y: top <= y <= bottom,
            "footer": lambda y: y > bottom,
        }[where]
        return [text for y, text in self.lines(index) if inside(y)]

    def header(self, index: int) -> str:
        return " ".join(self.region(index, "header"))


def build(builder: Callable[..., BuildResult], data: object, **options: object) -> Pdf:
    buffer = io.BytesIO()
    options.setdefault("deterministic", True)
    result = builder(data, buffer, **options)
    raw = buffer.getvalue()
    assert result.pages > 0
    assert result.size == len(raw)
    return Pdf(result, raw, PdfReader(io.BytesIO(raw)))


def shown(name: str) -> set[str]:
    """How ``name`` may come out of a text extractor: Arabic is drawn in visual order, and
    extractors differ on the order of the words and of the letters within them."""
    forms = set()
    for text in (name, fonts.visual_rtl(name)):
        for words in (text.split(), text.split()[::-1]):
            forms |= {" ".join(words), " ".join(word[::-1] for word in words)}
    return forms


def has(text: str, name: str) -> bool:
    return any(form in text for form in shown(name))


def inked_pixels(pdf: Path, tmp_path: Path) -> int:
    """Dark pixels on the first page, rendered in grey by pdftoppm."""
    prefix = tmp_path / "first"
    command = ["pdftoppm", "-gray", "-r", "30", "-f", "1", "-l", "1", str(pdf), str(prefix)]
    subprocess.run(command, check=True, capture_output=True)
    (image,) = tmp_path.glob("first*.pgm")
    raw = image.read_bytes()
    _magic, _width, _height, _depth, pixels = raw.split(maxsplit=4)
    return sum(1 for value in pixels if value < 200)


# --- data ----------------------------------------------------------------------------------------


@pytest.fixture
def demo(db: Database) -> Database:
    load_demo(db, today=TODAY)
    return db


def day(month: int, number: int) -> date:
    return date(2026, month, number)


def by_name(packets: Sequence[PacketData], name: str) -> PacketData:
    return next(p for p in packets if p.mentee.name == name)


def profile(name: str = HOSTILE, **changes: object) -> MenteeProfile:
    values: dict[str, object] = {
        "id": 1,
        "name": name,
        "pronouns": "they/them",
        "role": f"Engineer {HOSTILE}",
        "team": ARABIC,
        "level": "senior",
        "level_label": "Senior",
        "track_label": "Individual contributor",
        "status": "active",
        "status_label": "Active",
        "cadence": "weekly",
        "cadence_label": "Weekly",
        "cadence_days": 7,
        "started_on": date(2025, 1, 6),
        "in_lmp": True,
        "aspiration": f"Lead a team **one day** {HOSTILE}",
        "learning_style": None,
        "notes": None,
    }
    values.update(changes)
    return MenteeProfile(**values)  # type: ignore[arg-type]


def hostile_packet(
    *, session_summary: str = f"Talked about {HOSTILE}", **changes: object
) -> PacketData:
    """A packet made by hand, with hostile text in every field that prints text."""
    period = parse_quarter(Q3)
    shared = SessionHeld(1, day(7, 2), "One-on-one", 60, f"Title {HOSTILE}", session_summary, "")
    private = SessionHeld(2, day(8, 4), "Career planning", 45, None, None, None)
    action = ActionEntry(
        1, f"Do {HOSTILE}", "mentee", "Mentee", day(7, 2), day(7, 9), True, day(7, 8)
    )
    hidden = ActionEntry(2, None, "mentor", "Mentor", day(8, 4), None, False, None)
    goal = GoalProgress(
        *(1, f"Goal {HOSTILE}", "", "career", "Career", "on_track", "On track", day(9, 1)),
        *(60, 20, 60),
        (ProgressPoint(day(7, 15), 40, ""), ProgressPoint(day(9, 1), 60, "")),
        (MilestoneItem(f"Milestone {ARABIC}", day(8, 1), True, day(8, 2)),),
        False,
    )
    skills = SkillsComparison(
        day(7, 1),
        day(9, 1),
        (SkillChange(1, f"Skill {HOSTILE}", 2, 7, 5), SkillChange(2, "Testing", None, 4, None)),
    )
    values: dict[str, object] = {
        "mentee": profile(),
        "period": period,
        "generated_on": day(10, 2),
        "author": f"Mentor {ARABIC}",
        "summary": PacketSummary(2, 2, 1, 1, 1),
        "sessions": (shared, private),
        "goals": (goal,),
        "skills": skills,
        "actions_opened": (action, hidden),
        "actions_closed": (action,),
        "evidence": (PacketEvidence(1, day(7, 3), ("B1",), f"Evidence {HOSTILE}", "n", "link"),),
        "feedback": (FeedbackEntry(1, day(7, 4), f"Saw {HOSTILE}", "Impact", "Ask"),),
        "plan": NextQuarterPlan(
            period.next(),
            (PlannedGoal(1, f"Goal {HOSTILE}", "on_track", "On track", 60, day(12, 1)),),
            (hidden,),
            day(10, 9),
        ),
    }
    values.update(changes)
    return PacketData(**values)  # type: ignore[arg-type]


# --- one packet ----------------------------------------------------------------------------------


def test_demo_packets_for_a_busy_and_a_quiet_quarter(demo: Database, tmp_path: Path) -> None:
    zoe = by_name(packet_batch(demo, Q3, today=TODAY), "Zoë Müller")
    assert zoe.evidence  # the demo gives her every section
    assert zoe.feedback
    pdf = build(build_packet, packet_data(demo, zoe.mentee.id, Q3, today=TODAY))
    text = pdf.flat()
    positions = [text.find(title) for title in SECTIONS]
    assert -1 not in positions, dict(zip(SECTIONS, positions, strict=True))
    assert positions == sorted(positions)
    assert Q3_LABEL in pdf.flat(0)
    summary = zoe.summary
    for count, label in (
        (summary.sessions_held, "sessions held"),
        (summary.actions_opened, "action items opened"),
        (summary.actions_closed, "action items closed"),
        (summary.goals_progressed, "goals progressed"),
        (summary.evidence_added, "evidence entries added"),
    ):
        assert count > 1
        assert f"{count} {label}" in pdf.flat(0)
    for detail in ("Senior Software Engineer", "Payments Platform", "Weekly", "Alex Morgan"):
        assert detail in pdf.flat(0)
    for index in range(pdf.pages):
        assert pdf.header(index) == "Quarterly review Zoë Müller"
        footer = f"Confidential Generated 21 November 2026 Page {index + 1} of {pdf.pages}"
        assert pdf.region(index, "footer") == [footer]
    assert pdf.reader.metadata is not None
    assert pdf.reader.metadata.author == "Alex Morgan"
    assert pdf.reader.metadata.title == "Quarterly review · Zoë Müller · 2026-Q3"

    # A quarter before the mentorship began: no sessions, and a packet that says so.
    quiet = packet_data(demo, zoe.mentee.id, "2025-Q1", today=TODAY)
    assert not quiet.sessions
    path = tmp_path / "quiet.pdf"
    result = build_packet(quiet, path)
    assert result.path == path
    assert result.pages >= 1
    assert inked_pixels(path, tmp_path) > 400
    text = " ".join(PdfReader(path).pages[0].extract_text().split())
    for sentence in (
        "2025-Q1 (1 January – 31 March 2025)",
        "0 sessions held",
        "No sessions were held in 2025-Q1.",
    ):
        assert sentence in text
    text = " ".join(PdfReader(path).pages[-1].extract_text().split())
    assert "No action items were closed in 2025-Q1." in text
    assert "Plan for next quarter (2025-Q2)" in text


def test_private_session_text_only_when_included(demo: Database) -> None:
    mentee = by_name(packet_batch(demo, Q3, today=TODAY), "Arjun Raghunathan").mentee
    shared = packet_data(demo, mentee.id, Q3, today=TODAY)
    everything = packet_data(demo, mentee.id, Q3, ExportChoices(include_private=True), today=TODAY)
    hidden_ids = {s.id for s in shared.sessions if s.title is None}
    assert hidden_ids
    assert all(s.title is not None for s in everything.sessions)
    shown_titles = {s.title for s in shared.sessions}
    secrets = [
        s.title
        for s in everything.sessions
        if s.id in hidden_ids and s.title and s.title not in shown_titles
    ]
    assert secrets
    default_text = build(build_packet, shared).flat()
    private_text = build(build_packet, everything).flat()
    for secret in secrets:
        assert secret not in default_text
        assert secret in private_text
    note = "private: only the date, type and length are shown"
    assert note in default_text
    assert note not in private_text
    assert "(private item)" in default_text
    assert "(private item)" not in private_text
    for held in shared.sessions:  # the facts of every session are there either way
        assert f"{held.duration_minutes} min" in default_text


# --- a batch -------------------------------------------------------------------------------------


def test_batch_contents_and_one_section_per_mentee(demo: Database) -> None:
    packets = packet_batch(demo, Q3, today=TODAY)
    names = [p.mentee.name for p in packets]
    assert len(names) >= 10
    assert {ARABIC, "李伟", "Zoë Müller"} <= set(names)
    pdf = build(build_packet_batch, packets, period_label=Q3)
    cover = pdf.flat(0)
    assert "Quarterly review packets · 2026-Q3" in cover
    assert f"{len(names)} mentees" in cover
    assert "Alex Morgan" in cover
    # The contents page: each name, and the page number printed on the same line.
    contents = pdf.region(1, "body")
    starts = []
    for name in names:
        (line,) = [line for line in contents if has(line, name)]
        starts.append(int(line.rsplit(" ", 1)[1]))
    assert starts[0] == 3
    assert starts == sorted(set(starts))
    ends = [*starts[1:], pdf.pages + 1]
    for index, (name, start, end) in enumerate(zip(names, starts, ends, strict=True)):
        assert has(pdf.region(start - 1, "body")[0], name)  # the section opens its page
        previous = names[index - 1] if index else "1 July – 30 September 2026"
        assert has(pdf.header(start - 2), previous)
        for page in range(start - 1, end - 1):
            assert has(pdf.header(page), name), (name, page)
            body = " ".join(pdf.region(page, "body"))
            assert not any(has(body, other) for other in names[:index]), (name, page)
    for page in range(pdf.pages):
        footer = " ".join(pdf.region(page, "footer"))
        assert footer.startswith("Confidential")
        assert f"Page {page + 1} of {pdf.pages}" in footer
    # No page of a section ends with a heading whose content went on to the next page.
    headings = {*SECTIONS, "Progress over the period", "Open goals", "Open action items"}
    for page in range(2, pdf.pages):
        last = pdf.region(page, "body")[-1]
        assert last not in headings, (page, last)


def test_empty_batch_is_a_cover_and_a_sentence() -> None:
    pdf = build(build_packet_batch, [], period_label="2026-Q4")
    assert pdf.pages == 2
    assert "Quarterly review packets · 2026-Q4" in pdf.flat(0)
    assert "There were no mentees to include." in pdf.flat(1)


# --- hostile text, paper, determinism ------------------------------------------------------------


def test_hostile_text_is_printed_literally() -> None:
    data = hostile_packet()
    for pdf in (build(build_packet, data), build(build_packet_batch, [data], period_label=Q3)):
        text = pdf.flat()
        for literal in LITERALS:
            for prefix in ("Title", "Do", "Goal", "Skill", "Evidence", "Saw", "Engineer"):
                assert f"{prefix} {literal}" in text or literal in text
            assert text.count(literal) >= 8, literal
        assert has(text, ARABIC)
        assert "(private item)" in text
        assert "Private: notes not included" in text
        assert "+5" in text
        assert "Talked about <b>&" in text
        assert "one day" in text
        assert "**" not in text  # the aspiration is Markdown


def test_a_megabyte_summary_is_shortened_with_a_note() -> None:
    huge = (f"Start {HOSTILE}\n\n" + "words in a very long summary " * 40 + "\n\n") * 900
    assert len(huge) > 1_000_000
    long_line = "x" * 9 + " word" * 200_000  # no paragraph breaks at all
    data = hostile_packet(
        session_summary=huge,
        feedback=(FeedbackEntry(1, date(2026, 7, 4), long_line, long_line, long_line),),
        evidence=(PacketEvidence(1, date(2026, 7, 3), ("B1",), "Evidence", "", long_line),),
        actions_closed=(dataclasses.replace(hostile_packet().actions_closed[0], text=long_line),),
    )
    pdf = build(build_packet, data)  # how long it takes is a benchmark's business
    text = pdf.flat()
    assert "Start <b>& <script>alert(1)</script> AT&T" in text  # 🎉 has no glyph
    more = f"{len(huge) - MAX_NARRATIVE:,}"
    assert f"Shortened for this packet: about {more} more characters are in Mentor Desk." in text
    assert "The full summary follows this table." in text
    assert text.count("xxxxxxxxx word word") == 5  # feedback, the action item and evidence
    assert "word word …" in text
    assert pdf.pages < 25


def test_same_data_gives_identical_bytes() -> None:
    data = hostile_packet()
    assert build(build_packet, data).data == build(build_packet, data).data
    batch = [data, hostile_packet(mentee=profile("Second"))]
    first = build(build_packet_batch, batch, period_label=Q3)
    assert first.data == build(build_packet_batch, batch, period_label=Q3).data
    info = first.reader.metadata
    assert info is not None
    assert info["/CreationDate"].startswith("D:20261002")


@pytest.mark.parametrize(("paper", "size"), [("a4", A4), ("Letter", LETTER)])
def test_paper_sizes(paper: str, size: tuple[float, float]) -> None:
    for pdf in (
        build(build_packet, hostile_packet(), paper=paper),
        build(build_packet_batch, [hostile_packet()], period_label=Q3, paper=paper),
    ):
        for page in pdf.reader.pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size)


def test_first_page_is_not_blank_and_cancel_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "packet.pdf"
    build_packet(hostile_packet(), target)
    assert inked_pixels(target, tmp_path) > 400

    def cancel(page: int) -> None:
        if page == 2:
            raise KeyboardInterrupt

    cancelled = tmp_path / "cancelled.pdf"
    with pytest.raises(KeyboardInterrupt):
        build_packet_batch([hostile_packet()], cancelled, period_label=Q3, on_page=cancel)
    assert not cancelled.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["first-1.pgm", "packet.pdf"]


def test_quiet_sections_say_so() -> None:
    empty = SkillsComparison(None, None, ())
    data = hostile_packet(
        mentee=profile(
            "Quiet", in_lmp=False, aspiration=None, status="paused", status_label="Paused"
        ),
        sessions=(),
        goals=(),
        skills=empty,
        actions_opened=(),
        actions_closed=(),
        evidence=(),
        feedback=(),
        summary=PacketSummary(0, 0, 0, 0, 0),
        plan=NextQuarterPlan(parse_quarter("2026-Q4"), (), (), None),
    )
    text = build(build_packet, data).flat()
    for sentence in (
        "No sessions were held in 2026-Q3.",
        "No goals are shared in this packet.",
        "No skills have been assessed yet.",
        "No action items are open.",
        "No next session is due while the mentorship is paused.",
        "Status Paused",
    ):
        assert sentence in text
    for absent in ("Evidence added", "Feedback given", "Career aspiration", "evidence entries"):
        assert absent not in text


def test_period_text() -> None:
    assert period_text(parse_quarter(Q3)) == Q3_LABEL
    span = Period.from_dates(date(2025, 11, 15), date(2026, 2, 14))
    assert period_text(span) == "15 November 2025 – 14 February 2026"
    named = Period.from_dates(date(2026, 3, 1), date(2026, 3, 31), label="March")
    assert period_text(named) == "March (1 – 31 March 2026)"
    assert period_text(Period.from_dates(date(2026, 3, 2), date(2026, 3, 2))) == "2 March 2026"


def test_many_skills_and_goals_stay_readable() -> None:
    rows = tuple(SkillChange(i, f"Skill {i}", i % 11, (i + 3) % 11, 3) for i in range(30))
    skills = SkillsComparison(day(7, 1), day(9, 1), rows)
    base = hostile_packet().goals[0]
    goals = tuple(dataclasses.replace(base, id=i, title=f"Goal number {i}") for i in range(6))
    text = build(build_packet, hostile_packet(skills=skills, goals=goals)).flat()
    assert text.count("Skill 29") == 2  # the table, and the last part of the chart
    assert "The 4 goals with the most check-ins are shown." in text
    # Each goal is in the goal table and the milestones; only the first four have a chart.
    assert text.count("Goal number 3") == 3
    assert text.count("Goal number 4") == 2
