"""The LMP dossier PDF: sections and contents, page furniture, privacy, hostile text, paper."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from mentor_desk.db.engine import Database
from mentor_desk.db.models import LmpRecord, Mentee
from mentor_desk.reports import fonts
from mentor_desk.reports.document import FOOTER_TEXT, BuildResult
from mentor_desk.reports.dossier import SECTION_TITLES, build_dossier
from mentor_desk.reports.dossier_sections import gap_summary
from mentor_desk.services.demo import load_demo
from mentor_desk.services.evidence import EvidenceInput, create_evidence
from mentor_desk.services.exports import (
    CadenceSummary,
    CoverageRow,
    DossierCover,
    DossierData,
    DossierGoal,
    EvidenceGroup,
    EvidenceItem,
    MenteeProfile,
    MilestoneItem,
    MonthCount,
    PresentationEntry,
    ScpaSummary,
    SkillsComparison,
    TypeCount,
)
from mentor_desk.services.exports_dossier import dossier_data
from mentor_desk.services.exports_privacy import ExportChoices
from mentor_desk.services.lmp import enroll
from mentor_desk.services.mentees import MenteeInput, create_mentee
from mentor_desk.services.periods import Period
from mentor_desk.services.skills import SkillChange

TODAY = date(2026, 11, 21)
FOOTER = FOOTER_TEXT["dossier"]
HOSTILE = "<b>& <script>alert(1)</script> AT&T 🎉 李伟 ليلى حداد Zoë"
# What extraction must give back exactly: everything but the right-to-left run, whose letters
# come out joined in visual order (checked with has_arabic).
LITERAL = ("<b>&", "<script>alert(1)</script>", "AT&T", "李伟", "Zoë")


# --- helpers --------------------------------------------------------------------------------------


def build(data: DossierData, **options: object) -> tuple[BuildResult, bytes]:
    buffer = io.BytesIO()
    result = build_dossier(data, buffer, deterministic=True, **options)  # type: ignore[arg-type]
    return result, buffer.getvalue()


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces as one space (wrapped lines join)."""
    return " ".join(text.split())


def has_arabic(text: str) -> bool:
    shaped = fonts.visual_rtl("ليلى حداد")
    return shaped in text or shaped[::-1] in text


def contents(pdf: bytes) -> list[tuple[str, int]]:
    """The contents page's entries as (title, page), paired by their baseline."""
    lines: dict[float, list[str]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            y = round(tm[4] * cm[1] + tm[5] * cm[3] + cm[5], 1)
            lines.setdefault(y, []).append(text.strip())

    PdfReader(io.BytesIO(pdf)).pages[1].extract_text(visitor_text=visit)
    entries = []
    for _, parts in sorted(lines.items(), reverse=True):
        numbers = [part for part in parts if part.isdigit()]
        titles = [part for part in parts if not part.isdigit() and set(part) - {".", " "}]
        if numbers and titles:
            entries.append((" ".join(titles), int(numbers[-1])))
    return entries


def first_page_with_line(texts: list[str], line: str, start: int = 2) -> int:
    """The 1-based number of the first page (from ``start``, 0-based) where ``line`` starts a
    line and ends one (a heading may wrap onto the next lines)."""
    for index in range(start, len(texts)):
        lines = [part.strip() for part in texts[index].splitlines()]
        for at in range(len(lines)):
            if any(" ".join(lines[at : at + n]) == line for n in (1, 2, 3)):
                return index + 1
    raise AssertionError(f"no page has the line {line!r}")


def assert_furniture(texts: list[str], header: str) -> None:
    """Footer and page numbers on every page; the running header (``header`` is the start of the
    candidate's name: a long one is cut to fit) on every page after the cover."""
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text, number
        assert FOOTER in text, number
        assert "Generated 21 November 2026" in text, number
        if number > 1:  # the running header, on every page after the cover
            assert "LMP dossier" in text, number
            assert header in flat(text), number


def demo_records(db: Database) -> dict[str, int]:
    load_demo(db, today=TODAY)
    with db.read() as session:
        rows = session.execute(
            select(Mentee.name, LmpRecord.id).join(LmpRecord, LmpRecord.mentee_id == Mentee.id)
        ).all()
    return {name: record_id for name, record_id in rows}


# --- hand-made data -------------------------------------------------------------------------------

PERIOD = Period.from_dates(date(2026, 1, 5), date(2026, 11, 20))


def profile(name: str = "Ada Lovelace", **changes: object) -> MenteeProfile:
    base = MenteeProfile(
        id=1,
        name=name,
        pronouns="she/her",
        role="Staff Engineer",
        team="Analytics",
        level="staff",
        level_label="Staff",
        track_label="Individual contributor",
        status="active",
        status_label="Active",
        cadence="weekly",
        cadence_label="Weekly",
        cadence_days=7,
        started_on=date(2025, 1, 6),
        in_lmp=True,
        aspiration=None,
        learning_style=None,
        notes=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def entry(entry_id: int, day: date, codes: tuple[str, ...], title: str, **changes: object):
    base = EvidenceItem(
        id=entry_id,
        occurred_on=day,
        area_codes=codes,
        title=title,
        narrative=f"Narrative of {title}.",
        source="Team wiki",
        recorded_by="sponsor",
        recorded_by_label="Sponsor",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def coverage(counts: dict[str, int]) -> tuple[CoverageRow, ...]:
    titles = {"A": "Performance reviews", "B": "One-on-ones", "B1": "Build trust"}
    titles |= {"C": "Company leadership training", "OPT": "Optional: an intern"}
    return tuple(
        CoverageRow(
            code=code,
            title=title,
            is_sub=code == "B1",
            optional=code == "OPT",
            count=counts.get(code, 0),
            latest=date(2026, 6, 1) if counts.get(code) else None,
            gap=not counts.get(code) and code != "OPT",
        )
        for code, title in titles.items()
    )


def make_data(**changes: object) -> DossierData:
    """A small, complete dossier; keyword arguments replace its fields."""
    groups = (
        EvidenceGroup("A", "Performance reviews", (entry(1, date(2026, 3, 2), ("A",), "Review"),)),
        EvidenceGroup("B", "One-on-ones", (entry(2, date(2026, 4, 6), ("B1",), "Trust"),)),
    )
    goal = DossierGoal(
        id=1,
        title="Run the next PI planning",
        description="Prepare the board and facilitate.",
        category="leadership",
        category_label="Leadership & soft skills",
        status="on_track",
        status_label="On track",
        progress=40,
        target_date=date(2026, 12, 1),
        from_request=True,
        requested_on=date(2026, 9, 22),
        presentation_id=1,
        milestones=(
            MilestoneItem("Prepare the board", date(2026, 10, 1), True, date(2026, 9, 30)),
        ),
        points=(),
    )
    data = DossierData(
        record_id=1,
        cover=DossierCover(
            candidate=profile(),
            sponsor="Grace Hopper",
            state="gathering_evidence",
            state_label="Gathering evidence",
            enrolled_on=PERIOD.start,
            period=PERIOD,
            generated_on=TODAY,
            author="Alan Turing",
        ),
        recommendation="**Ready.** She leads well.",
        coverage=coverage({"A": 1, "B": 1, "B1": 1}),
        evidence=groups,
        cadence=CadenceSummary(
            sessions_held=3,
            first_on=date(2026, 2, 2),
            last_on=date(2026, 3, 30),
            average_days_between=28.0,
            longest_gap_days=35,
            longest_gap_from=date(2026, 2, 23),
            longest_gap_to=date(2026, 3, 30),
            per_month=tuple(MonthCount(f"2026-{m:02d}", m % 3) for m in range(1, 12)),
            expected_per_month=4.3,
            cadence_label="Weekly",
            by_type=(TypeCount("One-on-one", 2), TypeCount("", 1)),
        ),
        goals=(goal,),
        skills=SkillsComparison(
            date(2026, 1, 10),
            date(2026, 11, 1),
            (SkillChange(1, "Testing", 2, 7, 5), SkillChange(2, "Coaching", None, 4, None)),
        ),
        history=(
            PresentationEntry(
                id=1,
                presented_on=date(2026, 9, 22),
                reviewers=("Rafael Ortiz; Mei Chen",),
                decision="further_actions",
                decision_label="Further actions requested",
                decided_on=date(2026, 9, 24),
                decision_notes="Run one PI planning first.",
                requested_goals=("Run the next PI planning",),
            ),
        ),
        reviewers=("Rafael Ortiz; Mei Chen",),
        scpa=ScpaSummary(0, 0, None, None),
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def empty_cadence() -> CadenceSummary:
    return CadenceSummary(0, None, None, None, None, None, None, (), 4.3, "Weekly", ())


# --- the demo dossiers ----------------------------------------------------------------------------


def test_demo_dossiers(db: Database) -> None:
    """Both demo candidates: sections in order, contents with the right pages, cover, page
    furniture; Zoë's gap in C; Chiamaka's evidence order, history and sign-off."""
    records = demo_records(db)
    built = {}
    for name, gap_line in (
        ("Zoë Müller", "1 gap: C Company leadership training"),
        ("Chiamaka Okonkwo", "All required areas have evidence"),
    ):
        data = dossier_data(db, records[name], today=TODAY)
        result, pdf = build(data)
        texts = page_texts(pdf)
        built[name] = data, texts
        assert result.pages == len(texts) >= 10

        # Every section, as a line of its own, in the order DOMAIN.md gives, after the contents.
        pages = [first_page_with_line(texts, title) for title in SECTION_TITLES]
        assert pages == sorted(pages)
        assert pages[0] == 3
        body = flat("\n".join(texts[2:]))
        positions = [body.index(title) for title in SECTION_TITLES]
        assert positions == sorted(positions)

        # The contents lists each section (and each evidence area) with the page it is on.
        toc = contents(pdf)
        assert [title for title, _ in toc if title in SECTION_TITLES] == list(SECTION_TITLES)
        assert len(toc) > len(SECTION_TITLES)  # the evidence areas are listed too
        for title, page in toc:
            assert first_page_with_line(texts, title) == page, title

        # The cover: candidate, role, team, level, sponsor, period, dates, author, the mark.
        cover = flat(texts[0])
        for text in (name, data.cover.candidate.role, data.cover.candidate.team, "Senior"):
            assert text in cover
        assert data.cover.sponsor in cover
        assert "CONFIDENTIAL" in cover
        period = data.cover.period
        assert f"{period.start.day} " in cover
        assert "21 November 2026" in cover
        assert "Alex Morgan" in cover  # the demo mentor, the author
        assert PdfReader(io.BytesIO(pdf)).metadata.author == "Alex Morgan"

        assert_furniture(texts, name)
        assert gap_line in flat(texts[first_page_with_line(texts, SECTION_TITLES[1]) - 1])

    # Zoë's gap: C is marked "Gap" in the matrix; the cadence and skills are there.
    _, texts = built["Zoë Müller"]
    matrix = texts[first_page_with_line(texts, SECTION_TITLES[1]) - 1]
    assert re.search(r"C\s+Company leadership training\s+0\s+–\s+Gap", matrix)
    assert "includes 20 weekly SCPA updates" in matrix
    cadence = flat(texts[first_page_with_line(texts, SECTION_TITLES[3]) - 1])
    assert "Sessions held 18" in cadence
    assert "20 days, 4 August 2026 – 24 August 2026" in cadence
    history = flat(texts[first_page_with_line(texts, SECTION_TITLES[6]) - 1])
    assert "The candidate has not been presented to a leadership group yet." in history
    assert "+2" in flat("\n".join(texts))  # a skill change as a difference of levels

    check_evidence_and_review(*built["Chiamaka Okonkwo"])


def check_evidence_and_review(data: DossierData, texts: list[str]) -> None:
    """Chiamaka's dossier: evidence by area (B before C...), oldest first; history; sign-off."""
    body = flat("\n".join(texts[2:]))
    start = body.index(SECTION_TITLES[2])
    headings = [f"{group.code} · {group.title}" for group in data.evidence]
    assert [group.code for group in data.evidence][:4] == ["A", "B", "C", "D"]
    at = [body.index(heading, start) for heading in headings]
    assert at == sorted(at)
    for group, begin, end in zip(data.evidence, at, [*at[1:], len(body)], strict=True):
        dates = [item.occurred_on for item in group.entries]
        assert dates == sorted(dates)
        assert len(dates) >= 1
        cursor = begin
        for item in group.entries:  # each title in turn, inside its own group
            cursor = body.index(" ".join(item.title.split()), cursor)
            assert cursor < end, item.title
            assert f"Areas: {', '.join(item.area_codes)}" in body[cursor : cursor + 300]

    history = flat(texts[first_page_with_line(texts, SECTION_TITLES[6]) - 1])
    assert "Presentation 1 of 1: 22 September 2026" in history
    assert "Further actions requested, 24 September 2026" in history
    assert "Facilitate PI planning for the Mobile team" in history
    goals = flat("\n".join(texts))
    assert goals.count("Requested 22 September 2026") >= 3
    signoff = texts[first_page_with_line(texts, SECTION_TITLES[7]) - 1]
    signoff = signoff[signoff.index(SECTION_TITLES[7]) :]
    for reviewer in ("Hannah Becker (sponsor)", "Rafael Ortiz, VP Engineering", "Mei Chen"):
        assert reviewer in flat(signoff)
    assert signoff.count("Accept") == 4 + 2  # a row per reviewer, two blank rows
    assert signoff.count("Further actions") >= 6


def test_private_evidence_appears_only_when_included_explicitly(db: Database) -> None:
    mentee = create_mentee(db, MenteeInput(name="李伟 <b>&", role="Engineer", in_lmp=True))
    record = enroll(db, mentee.id, sponsor_name="Grace Hopper", enrolled_on=date(2026, 2, 2)).id
    secret = "Private reflection: the refund incident shook her confidence"
    for title, narrative, visibility in (
        ("Shared entry", "Ran the retro.", "leadership"),
        ("Sponsor's private note", secret, "private"),
    ):
        day = date(2026, 10, 1)
        data = EvidenceInput(day, ["C"], title, narrative, visibility=visibility)
        create_evidence(db, record, data)

    shared = flat("\n".join(page_texts(build(dossier_data(db, record, today=TODAY))[1])))
    assert "Shared entry" in shared
    assert "李伟 <b>&" in shared
    assert secret not in shared
    assert "Sponsor's private note" not in shared

    choices = ExportChoices(include_private=True)
    pdf = build(dossier_data(db, record, choices, today=TODAY))[1]
    everything = flat("\n".join(page_texts(pdf)))
    assert secret in everything
    assert "Sponsor's private note" in everything


# --- hand-made and hostile data -------------------------------------------------------------------


def test_hostile_text_everywhere_is_shown_literally() -> None:
    data = make_data(
        cover=replace(
            make_data().cover,
            candidate=profile(HOSTILE, role=HOSTILE, team="李伟 team"),
            sponsor=HOSTILE,
            author=HOSTILE,
        ),
        recommendation=f"# {HOSTILE}\n\n{HOSTILE} **bold** <i>not italic</i>",
        evidence=(
            EvidenceGroup(
                "A",
                HOSTILE,
                (entry(1, date(2026, 3, 2), ("A",), HOSTILE, narrative=HOSTILE, source=HOSTILE),),
            ),
        ),
        goals=(replace(make_data().goals[0], title=HOSTILE, description=HOSTILE),),
        skills=SkillsComparison(None, date(2026, 11, 1), (SkillChange(1, HOSTILE, None, 7, None),)),
        history=(replace(make_data().history[0], reviewers=(HOSTILE,), decision_notes=HOSTILE),),
        reviewers=(HOSTILE,),
    )
    result, pdf = build(data)
    texts = page_texts(pdf)
    whole = flat("\n".join(texts))
    for piece in LITERAL:
        assert piece in whole, piece
    assert "<i>not italic</i>" in whole
    assert "&amp;" not in whole
    assert "AT&T;" not in whole
    assert has_arabic("\n".join(texts))
    assert result.pages == len(texts)
    assert_furniture(texts, "<b>& <script>alert(1)</script> AT&T")
    # Each section says something: nothing is empty or missing.
    for title in SECTION_TITLES:
        first_page_with_line(texts, title)


def test_a_candidate_with_nothing_recorded_builds_and_says_so() -> None:
    data = make_data(
        recommendation="",
        coverage=coverage({}),
        evidence=(),
        cadence=empty_cadence(),
        goals=(),
        skills=SkillsComparison(None, None, ()),
        history=(),
        reviewers=(),
    )
    result, pdf = build(data)
    texts = page_texts(pdf)
    whole = flat("\n".join(texts))
    expected = "4 gaps: A Performance reviews; B One-on-ones; B1 Build trust; C Company"
    assert gap_summary(data.coverage) == f"{expected} leadership training"
    assert gap_summary(data.coverage) in whole
    assert whole.count("Gap") >= 4
    for sentence in (
        "The sponsor has not written a recommendation yet.",
        "No evidence was recorded in this period.",
        "No one-on-one sessions were recorded in this period.",
        "No goals were included for this period.",
        "No skill assessments were included for this period.",
        "The candidate has not been presented to a leadership group yet.",
    ):
        assert sentence in whole, sentence
    signoff = texts[first_page_with_line(texts, SECTION_TITLES[7]) - 1]
    assert signoff.count("Accept") == 4  # no reviewers yet: blank rows to fill in
    assert [first_page_with_line(texts, t) for t in SECTION_TITLES] == sorted(
        first_page_with_line(texts, t) for t in SECTION_TITLES
    )
    assert result.pages == len(texts)
    assert_furniture(texts, "Ada Lovelace")


def test_withheld_text_is_stated_not_invented() -> None:
    history = (replace(make_data().history[0], decision_notes=None, decision=None),)
    texts = page_texts(build(make_data(recommendation=None, history=history))[1])
    whole = flat("\n".join(texts))
    assert "The recommendation was not included in this export." in whole
    assert "Not included in this export." in whole
    assert "Decision Pending" in whole
    assert "The sponsor has not written" not in whole


def test_evidence_within_an_area_is_printed_oldest_first_whatever_the_input_order() -> None:
    late = entry(1, date(2026, 9, 1), ("B",), "Late entry")
    early = entry(2, date(2026, 2, 1), ("B1",), "Early entry")
    other = entry(3, date(2026, 1, 1), ("C",), "Training entry")
    groups = (
        EvidenceGroup("B", "One-on-ones", (late, early)),
        EvidenceGroup("C", "Company leadership training", (other,)),
    )
    text = flat("\n".join(page_texts(build(make_data(evidence=groups))[1])))
    order = [text.index(word) for word in ("Early entry", "Late entry", "Training entry")]
    assert order == sorted(order)
    assert text.index("B · One-on-ones", text.index("Evidence by area")) < order[0]


def test_a_one_megabyte_narrative_builds_in_full() -> None:
    paragraph = "She grew the team, and the team grew with her over the year. " * 20 + "\n\n"
    filler = (paragraph * (1_000_000 // len(paragraph) + 1))[:1_000_000]
    narrative = f"{HOSTILE}\n\n{filler}\n\nTHE-END-MARK"
    big = entry(1, date(2026, 3, 2), ("A",), "A long story", narrative=narrative)
    data = make_data(evidence=(EvidenceGroup("A", "Performance reviews", (big,)),))
    result, pdf = build(data)
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert result.pages == total > 150
    # Only a few pages are read back: extracting all 200 would take seconds.
    start = flat("\n".join(reader.pages[index].extract_text() for index in range(4, 7)))
    assert "A long story" in start
    for piece in LITERAL:
        assert piece in start, piece
    end = "\n".join(reader.pages[index].extract_text() for index in range(total - 5, total))
    assert "THE-END-MARK" in end
    assert f"Page {total} of {total}" in end
    assert FOOTER in end
    middle = reader.pages[total // 2].extract_text()
    assert "the team grew with her" in middle
    assert f"Page {total // 2 + 1} of {total}" in middle


def test_a_big_framework_many_skills_and_many_reviewers_fit_on_pages() -> None:
    areas = tuple(
        CoverageRow(f"X{i}", f"Area {i}", False, False, i % 3, None, i % 3 == 0) for i in range(40)
    )
    changes = tuple(SkillChange(i, f"Skill {i}", i % 11, (i * 3) % 11, 1) for i in range(45))
    data = make_data(
        coverage=areas,
        skills=SkillsComparison(date(2026, 1, 1), date(2026, 11, 1), changes),
        reviewers=tuple(f"Reviewer {i}" for i in range(30)),
    )
    result, pdf = build(data)  # a chart taller than a page would fail the build
    texts = page_texts(pdf)
    whole = flat("\n".join(texts))
    assert result.pages == len(texts)
    assert gap_summary(areas).startswith("14 gaps: X0 Area 0; X3 Area 3")
    assert "Skill 44" in whole
    assert "Reviewer 29" in whole
    assert whole.count("☐ Accept") == 32


def test_deterministic_builds_are_byte_identical_and_paper_sizes_differ(tmp_path: Path) -> None:
    data = make_data()
    first, second = build(data)[1], build(data)[1]
    assert first == second
    a4 = PdfReader(io.BytesIO(first)).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    target = tmp_path / "dossier.pdf"
    result = build_dossier(data, target, paper="letter", deterministic=True)
    assert result.path == target
    assert result.size == target.stat().st_size
    for page in PdfReader(target).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    later = replace(data, cover=replace(data.cover, generated_on=TODAY + timedelta(days=1)))
    assert build(later)[1] != first  # the date shows, so the bytes change


def test_on_page_can_cancel_and_nothing_is_written(tmp_path: Path) -> None:
    seen: list[int] = []

    def cancel(page: int) -> None:
        seen.append(page)
        if page == 3:
            raise KeyboardInterrupt

    target = tmp_path / "dossier.pdf"
    with pytest.raises(KeyboardInterrupt):
        build_dossier(make_data(), target, on_page=cancel)
    assert seen == [1, 2, 3]
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_first_page_renders_with_ink(tmp_path: Path) -> None:
    target = tmp_path / "dossier.pdf"
    build_dossier(make_data(), target, deterministic=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(target), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    (image_path,) = tmp_path.glob("p*.png")
    with Image.open(image_path) as image:
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
        assert dark > 500  # title, details, the confidential box
        assert grey.getextrema()[0] < 60
