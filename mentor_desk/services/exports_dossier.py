"""The LMP dossier for leadership review, read in one snapshot through the privacy gate.

See :mod:`mentor_desk.services.exports_privacy` for what is included. Two rules particular to the
dossier:
- its period runs from enrolment (or the earliest evidence, if the sponsor logged some from before
  enrolment: it would otherwise drop out silently) to today, unless one is given;
- coverage counts exactly the evidence the dossier lists (and the SCPA weeks it includes), using
  the framework rules of :mod:`mentor_desk.services.evidence`, so the matrix never claims an entry
  that leadership cannot read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import pairwise

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentor_desk.db.base import Cadence, Decision, LmpState, RecordedBy
from mentor_desk.db.engine import Database
from mentor_desk.db.models import Evidence, LmpPresentation, LmpRecord, ScpaUpdate
from mentor_desk.services.evidence import SCPA_AREA_CODE, require_record
from mentor_desk.services.exports import (
    CadenceSummary,
    CoverageRow,
    DossierCover,
    DossierData,
    DossierGoal,
    EvidenceGroup,
    EvidenceItem,
    MonthCount,
    PresentationEntry,
    ScpaSummary,
    TypeCount,
)
from mentor_desk.services.exports_gather import (
    GoalFacts,
    SessionFact,
    Window,
    area_codes,
    author_name,
    evidence_label,
    goal_facts,
    profiles,
    session_facts,
    skill_comparisons,
    texts_by_id,
)
from mentor_desk.services.exports_privacy import (
    DEFAULT_CHOICES,
    Audience,
    ExportChoices,
    ExportPreview,
    Gate,
    ItemKind,
)
from mentor_desk.services.framework import AreaInfo, load_areas
from mentor_desk.services.periods import Period

#: The preview's sections, in the dossier's order.
SECTIONS = (
    "Recommendation",
    "Mentee notes",
    "Evidence",
    "SCPA updates",
    "Goals",
    "Check-ins",
    "Skill assessments",
)
_AVERAGE_MONTH_DAYS = 365.25 / 12


def dossier_data(
    db: Database,
    record_id: int,
    choices: ExportChoices = DEFAULT_CHOICES,
    *,
    period: Period | None = None,
    today: date | None = None,
) -> DossierData:
    """The dossier of one LMP record.

    Args:
        record_id: the candidate's LMP record.
        choices: what the user included beyond what leadership may see by default.
        period: the span the dossier covers (default: see the module docstring).
        today: the day the dossier is generated (default: today).

    Raises:
        NotFoundError: the record does not exist.
        ValidationError: the default period would end before it starts (enrolment in the future).
    """
    return _gather(db, record_id, choices, period, today)[0]


def dossier_preview(
    db: Database,
    record_id: int,
    choices: ExportChoices = DEFAULT_CHOICES,
    *,
    period: Period | None = None,
    today: date | None = None,
) -> ExportPreview:
    """What :func:`dossier_data` includes with ``choices``, and what the user may still tick."""
    data, gate = _gather(db, record_id, choices, period, today)
    name = data.cover.candidate.name
    return ExportPreview("dossier", name, data.cover.period, gate.sections(), gate.choosable())


def _gather(
    db: Database,
    record_id: int,
    choices: ExportChoices,
    period: Period | None,
    today: date | None,
) -> tuple[DossierData, Gate]:
    today = today or date.today()
    gate = Gate(Audience.LEADERSHIP, choices)
    for name in SECTIONS:
        gate.section(name)
    with db.read() as session:
        record = session.execute(
            select(
                LmpRecord.id,
                LmpRecord.mentee_id,
                LmpRecord.sponsor_name,
                LmpRecord.state,
                LmpRecord.enrolled_on,
                LmpRecord.visibility,
            ).where(LmpRecord.id == record_id)
        ).one_or_none()
        if record is None:
            require_record(session, record_id)  # raises the usual NotFoundError
            raise AssertionError("unreachable")
        period = period or _default_period(session, record.id, record.enrolled_on, today)
        window = Window.of(period, today)
        gates = {record.mentee_id: gate}
        candidate = profiles(session, gates, [record.mentee_id])[record.mentee_id]
        label = "Recommendation narrative and decision notes"
        shown = gate.admit(
            "Recommendation", ItemKind.LMP_RECORD, record.id, record.visibility, None, label
        )
        recommendation = None
        if shown:
            texts = texts_by_id(session, LmpRecord.id, (LmpRecord.recommendation,), [record.id])
            recommendation = texts[record.id].recommendation
        areas = load_areas(session)
        evidence = _evidence(session, gate, record.id, period)
        scpa_weeks = _scpa_weeks(session, gate, record.id, period)
        goals = goal_facts(session, gates, [record.mentee_id], window)
        history = _history(session, record.id, goals, with_notes=shown)
        held = session_facts(session, [record.mentee_id], window)
        skills = skill_comparisons(session, gates, [record.mentee_id], period)
        author = author_name(session)
    state = LmpState(record.state)
    data = DossierData(
        record_id=record.id,
        cover=DossierCover(
            candidate=candidate,
            sponsor=record.sponsor_name,
            state=state.value,
            state_label=state.label,
            enrolled_on=record.enrolled_on,
            period=period,
            generated_on=today,
            author=author,
        ),
        recommendation=recommendation,
        coverage=_coverage(areas, evidence, scpa_weeks),
        evidence=_groups(areas, evidence),
        cadence=_cadence(held, period, Cadence(candidate.cadence), candidate.cadence_label),
        goals=tuple(_goal(facts, history) for facts in goals),
        skills=skills[record.mentee_id],
        history=history,
        reviewers=history[-1].reviewers if history else (),
        scpa=_scpa_summary(scpa_weeks),
    )
    return data, gate


def _default_period(session: Session, record_id: int, enrolled_on: date, today: date) -> Period:
    earliest = session.scalar(
        select(func.min(Evidence.occurred_on)).where(Evidence.record_id == record_id)
    )
    start = min(enrolled_on, earliest) if earliest else enrolled_on
    return Period.from_dates(start, today)


def _evidence(session: Session, gate: Gate, record_id: int, period: Period) -> list[EvidenceItem]:
    """The admitted entries of the period, oldest first."""
    rows = session.execute(
        select(Evidence.id, Evidence.occurred_on, Evidence.recorded_by, Evidence.visibility)
        .where(
            Evidence.record_id == record_id,
            Evidence.occurred_on.between(period.start, period.end),
        )
        .order_by(Evidence.occurred_on, Evidence.id)
    ).all()
    codes = area_codes(session, [row.id for row in rows])
    admitted = [
        row
        for row in rows
        if gate.admit(
            "Evidence",
            ItemKind.EVIDENCE,
            row.id,
            row.visibility,
            row.occurred_on,
            evidence_label(row.occurred_on, codes.get(row.id, ())),
        )
    ]
    columns = (Evidence.title, Evidence.narrative, Evidence.source)
    texts = texts_by_id(session, Evidence.id, columns, (row.id for row in admitted))
    items = []
    for row in admitted:
        text, by = texts[row.id], RecordedBy(row.recorded_by)
        items.append(
            EvidenceItem(
                id=row.id,
                occurred_on=row.occurred_on,
                area_codes=codes.get(row.id, ()),
                title=text.title,
                narrative=text.narrative,
                source=text.source,
                recorded_by=by.value,
                recorded_by_label=by.label,
            )
        )
    return items


def _scpa_weeks(session: Session, gate: Gate, record_id: int, period: Period) -> list[date]:
    """The Mondays of the admitted SCPA updates for weeks that overlap the period, oldest first."""
    rows = session.execute(
        select(ScpaUpdate.id, ScpaUpdate.week_of, ScpaUpdate.visibility)
        .where(
            ScpaUpdate.record_id == record_id,
            ScpaUpdate.week_of.between(period.start - timedelta(days=6), period.end),
        )
        .order_by(ScpaUpdate.week_of)
    ).all()
    return [
        week
        for update_id, week, visibility in rows
        if gate.admit(
            "SCPA updates",
            ItemKind.SCPA,
            update_id,
            visibility,
            week,
            f"SCPA update, week of {week.isoformat()}",
        )
    ]


def _coverage(
    areas: Sequence[AreaInfo], entries: Sequence[EvidenceItem], scpa_weeks: Sequence[date]
) -> tuple[CoverageRow, ...]:
    """The coverage matrix, by the rules of :func:`evidence.coverage_by_record`: a top-level area
    counts its own and its sub-areas' entries, each once; optional areas (and their sub-areas) are
    never gaps; the SCPA weeks count for :data:`SCPA_AREA_CODE` and its parent."""
    optional_codes = {area.code for area in areas if area.optional}
    scpa_area = next((area for area in areas if area.code == SCPA_AREA_CODE), None)
    scpa_codes = {scpa_area.code, scpa_area.parent_code} if scpa_area else set()
    rows = []
    for area in areas:
        wanted = {area.code, *area.children}
        dates = [e.occurred_on for e in entries if wanted.intersection(e.area_codes)]
        weeks = scpa_weeks if area.code in scpa_codes else ()
        count = len(dates) + len(weeks)
        optional = area.optional or area.parent_code in optional_codes
        rows.append(
            CoverageRow(
                code=area.code,
                title=area.title,
                is_sub=area.is_sub,
                optional=optional,
                count=count,
                latest=max([*dates, *weeks], default=None),
                gap=count == 0 and not optional,
                scpa_weeks=len(weeks),
            )
        )
    return tuple(rows)


def _groups(
    areas: Sequence[AreaInfo], entries: Sequence[EvidenceItem]
) -> tuple[EvidenceGroup, ...]:
    groups = []
    for area in areas:
        if area.is_sub:
            continue
        wanted = {area.code, *area.children}
        found = tuple(e for e in entries if wanted.intersection(e.area_codes))
        if found:
            groups.append(EvidenceGroup(area.code, area.title, found))
    return tuple(groups)


def _cadence(
    held: Sequence[SessionFact], period: Period, cadence: Cadence, cadence_label: str
) -> CadenceSummary:
    days = [fact.held_on for fact in held]
    gaps = [((later - earlier).days, earlier, later) for earlier, later in pairwise(days)]
    longest = max(gaps, key=lambda gap: gap[0], default=(None, None, None))
    average = round((days[-1] - days[0]).days / (len(days) - 1), 1) if len(days) > 1 else None
    per_month = Counter(day.strftime("%Y-%m") for day in days)
    types = Counter(fact.session_type for fact in held)
    return CadenceSummary(
        sessions_held=len(days),
        first_on=days[0] if days else None,
        last_on=days[-1] if days else None,
        average_days_between=average,
        longest_gap_days=longest[0],
        longest_gap_from=longest[1],
        longest_gap_to=longest[2],
        per_month=tuple(MonthCount(month, per_month[month]) for month in _months(period)),
        expected_per_month=round(_AVERAGE_MONTH_DAYS / cadence.days, 1),
        cadence_label=cadence_label,
        by_type=tuple(
            TypeCount(name, count)
            for name, count in sorted(types.items(), key=lambda item: (-item[1], item[0]))
        ),
    )


def _months(period: Period) -> list[str]:
    months = []
    day = period.start.replace(day=1)
    while day <= period.end:
        months.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _history(
    session: Session, record_id: int, goals: Sequence[GoalFacts], *, with_notes: bool
) -> tuple[PresentationEntry, ...]:
    rows = session.execute(
        select(
            LmpPresentation.id,
            LmpPresentation.presented_on,
            LmpPresentation.reviewers,
            LmpPresentation.decision,
            LmpPresentation.decided_on,
        )
        .where(LmpPresentation.record_id == record_id)
        .order_by(LmpPresentation.presented_on, LmpPresentation.id)
    ).all()
    notes = {}
    if with_notes:
        columns = (LmpPresentation.decision_notes,)
        found = texts_by_id(session, LmpPresentation.id, columns, (row.id for row in rows))
        notes = {key: row.decision_notes for key, row in found.items()}
    entries = []
    for row in rows:
        decision = Decision(row.decision) if row.decision else None
        entries.append(
            PresentationEntry(
                id=row.id,
                presented_on=row.presented_on,
                reviewers=_names(row.reviewers),
                decision=decision.value if decision else None,
                decision_label=decision.label if decision else "",
                decided_on=row.decided_on,
                decision_notes=notes.get(row.id),
                requested_goals=tuple(
                    facts.goal.title for facts in goals if facts.presentation_id == row.id
                ),
            )
        )
    return tuple(entries)


def _names(reviewers: str) -> tuple[str, ...]:
    """One name per line, as :mod:`lmp` stores them; "; " also separates (one-line lists)."""
    names = (name.strip() for line in reviewers.splitlines() for name in line.split(";"))
    return tuple(name for name in names if name)


def _goal(facts: GoalFacts, history: Sequence[PresentationEntry]) -> DossierGoal:
    goal = facts.goal
    requested = next((p.presented_on for p in history if p.id == facts.presentation_id), None)
    return DossierGoal(
        id=goal.id,
        title=goal.title,
        description=goal.description,
        category=goal.category,
        category_label=goal.category_label,
        status=goal.status,
        status_label=goal.status_label,
        progress=goal.progress,
        target_date=goal.target_date,
        from_request=goal.from_request,
        requested_on=requested,
        presentation_id=facts.presentation_id,
        milestones=goal.milestones,
        points=goal.points,
    )


def _scpa_summary(weeks: Sequence[date]) -> ScpaSummary:
    """Weeks with an update and the longest run of consecutive ones (as ``scpa.scpa_streak``)."""
    longest = run = 0
    for index, week in enumerate(weeks):
        consecutive = index > 0 and week - weeks[index - 1] == timedelta(weeks=1)
        run = run + 1 if consecutive else 1
        longest = max(longest, run)
    return ScpaSummary(
        weeks_with_update=len(weeks),
        longest_run=longest,
        first_week=weeks[0] if weeks else None,
        last_week=weeks[-1] if weeks else None,
    )
