"""The plain data the PDF builders receive, already filtered by the privacy gate.

What is included, and what is always shown, is decided in
:mod:`mentor_desk.services.exports_privacy` and nowhere else. The documents are gathered by
:func:`mentor_desk.services.exports_dossier.dossier_data` and
:func:`mentor_desk.services.exports_packet.packet_batch`, each in one read of the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mentor_desk.services.periods import Period
from mentor_desk.services.skills import SkillChange

# --- shared pieces ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MenteeProfile:
    """The person a document is about. ``aspiration``/``learning_style``/``notes`` are None when
    the mentee's free text is not included (they may also be "" when included but empty)."""

    id: int
    name: str
    pronouns: str
    role: str
    team: str
    level: str  # stored value ("senior"), "" when unknown
    level_label: str  # "Senior", "" when unknown
    track_label: str  # "Individual contributor", "Management", ""
    status: str  # "active", "paused", "completed", "archived"
    status_label: str
    cadence: str  # "weekly", "biweekly", "monthly"
    cadence_label: str  # "Weekly", "Every two weeks", "Monthly"
    cadence_days: int
    started_on: date | None
    in_lmp: bool
    aspiration: str | None
    learning_style: str | None
    notes: str | None


@dataclass(frozen=True, slots=True)
class SkillsComparison:
    """Skills before and after: each skill's latest included level on or before each date.

    ``after_on`` is the latest assessment day in the period; ``before_on`` the latest day before
    the period (where the mentee stood coming in) or, without one, the earliest in the period.
    With no assessment in the period: the first and last day ever. Both None, and no rows, when
    never assessed. ``SkillChange.change`` is a difference of levels, None without a "before".
    """

    before_on: date | None
    after_on: date | None
    rows: tuple[SkillChange, ...]


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    on: date
    progress: int
    comment: str  # "" when the check-in has none


@dataclass(frozen=True, slots=True)
class MilestoneItem:
    title: str
    due_on: date | None
    done: bool
    done_on: date | None


# --- the LMP dossier ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DossierCover:
    candidate: MenteeProfile
    sponsor: str
    state: str  # LmpState value
    state_label: str
    enrolled_on: date
    period: Period
    generated_on: date
    author: str  # the mentor's name from settings, "" when not set
    confidential_mark: str = "Confidential"


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One area or sub-area of the framework, counting included evidence only."""

    code: str
    title: str
    is_sub: bool
    optional: bool
    count: int
    latest: date | None
    gap: bool
    scpa_weeks: int = 0  # included SCPA updates counted for E4


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    id: int
    occurred_on: date
    area_codes: tuple[str, ...]
    title: str
    narrative: str  # Markdown
    source: str
    recorded_by: str  # "sponsor", "candidate", "peer"
    recorded_by_label: str


@dataclass(frozen=True, slots=True)
class EvidenceGroup:
    """A top-level area with the included entries tagged with it or its sub-areas, oldest first.

    An entry tagged in two areas appears in both groups. Areas without entries have no group
    (the coverage matrix shows them as gaps).
    """

    code: str
    title: str
    entries: tuple[EvidenceItem, ...]


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: str  # "2026-03"
    count: int


@dataclass(frozen=True, slots=True)
class TypeCount:
    session_type: str  # "" for sessions without a type
    count: int


@dataclass(frozen=True, slots=True)
class CadenceSummary:
    """Sessions held in the period (every session counts: dates and types are not private)."""

    sessions_held: int
    first_on: date | None
    last_on: date | None
    average_days_between: float | None  # None with fewer than two sessions
    longest_gap_days: int | None
    longest_gap_from: date | None
    longest_gap_to: date | None
    per_month: tuple[MonthCount, ...]  # every month of the period, zeros included
    expected_per_month: float  # from the mentee's cadence (weekly: 30/7)
    cadence_label: str
    by_type: tuple[TypeCount, ...]


@dataclass(frozen=True, slots=True)
class DossierGoal:
    id: int
    title: str
    description: str  # Markdown
    category: str
    category_label: str
    status: str
    status_label: str
    progress: int  # effective progress (by hand or from milestones), 0-100
    target_date: date | None
    from_request: bool  # created from a leadership group's "further targeted actions"
    requested_on: date | None  # the date of that presentation
    presentation_id: int | None
    milestones: tuple[MilestoneItem, ...]
    points: tuple[ProgressPoint, ...]  # included check-ins within the period, oldest first


@dataclass(frozen=True, slots=True)
class PresentationEntry:
    id: int
    presented_on: date
    reviewers: tuple[str, ...]
    decision: str | None  # "accepted", "further_actions", None while pending
    decision_label: str  # "" while pending
    decided_on: date | None
    decision_notes: str | None  # None when the record's text is not included
    requested_goals: tuple[str, ...]  # titles of the included goals this decision asked for


@dataclass(frozen=True, slots=True)
class ScpaSummary:
    weeks_with_update: int
    longest_run: int  # consecutive weeks
    first_week: date | None
    last_week: date | None


@dataclass(frozen=True, slots=True)
class DossierData:
    """Everything the dossier builder may print, already filtered."""

    record_id: int
    cover: DossierCover
    recommendation: str | None  # Markdown; None when not included, "" when not yet written
    coverage: tuple[CoverageRow, ...]  # framework order
    evidence: tuple[EvidenceGroup, ...]  # framework order
    cadence: CadenceSummary
    goals: tuple[DossierGoal, ...]
    skills: SkillsComparison
    history: tuple[PresentationEntry, ...]  # oldest first
    reviewers: tuple[str, ...]  # for the sign-off block: the latest presentation's, or ()
    scpa: ScpaSummary


# --- the quarterly review packet ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PacketSummary:
    sessions_held: int
    actions_opened: int
    actions_closed: int
    goals_progressed: int  # included goals whose progress rose within the period
    evidence_added: int


@dataclass(frozen=True, slots=True)
class SessionHeld:
    """A session in the period; the text fields are None unless the session is included."""

    id: int
    held_on: date
    session_type: str  # "" when the session has no type
    duration_minutes: int
    title: str | None
    summary: str | None  # the shareable summary (Markdown)
    notes: str | None  # the full notes (Markdown)


@dataclass(frozen=True, slots=True)
class GoalProgress:
    id: int
    title: str
    description: str
    category: str
    category_label: str
    status: str
    status_label: str
    target_date: date | None
    progress: int  # effective progress now
    progress_at_start: int | None  # latest included check-in on or before the period start
    progress_at_end: int | None  # latest included check-in on or before the period end
    points: tuple[ProgressPoint, ...]  # included check-ins within the period, oldest first
    milestones: tuple[MilestoneItem, ...]
    from_request: bool


@dataclass(frozen=True, slots=True)
class ActionEntry:
    """An action item; ``text`` is None unless the item is included."""

    id: int
    text: str | None
    owner: str  # "mentor" or "mentee"
    owner_label: str
    opened_on: date | None  # the day of its session (or of its creation)
    due_on: date | None
    done: bool
    done_on: date | None


@dataclass(frozen=True, slots=True)
class PacketEvidence:
    """LMP evidence added in the period; text fields are None unless the entry is included."""

    id: int
    occurred_on: date
    area_codes: tuple[str, ...]
    title: str | None
    narrative: str | None
    source: str | None


@dataclass(frozen=True, slots=True)
class FeedbackEntry:
    """Observe / impact / request feedback given in the period (only included feedback)."""

    id: int
    given_on: date
    observation: str
    impact: str
    request: str


@dataclass(frozen=True, slots=True)
class PlannedGoal:
    id: int
    title: str
    status: str
    status_label: str
    progress: int
    target_date: date | None


@dataclass(frozen=True, slots=True)
class NextQuarterPlan:
    period: Period  # the quarter after the packet's period
    open_goals: tuple[PlannedGoal, ...]  # included goals not done or dropped, by target date
    open_actions: tuple[ActionEntry, ...]  # items still open at the end of the period
    next_session_due: date | None  # mentees.next_due from the last session; None if not active


@dataclass(frozen=True, slots=True)
class PacketData:
    """Everything one mentee's packet may print, already filtered."""

    mentee: MenteeProfile
    period: Period
    generated_on: date
    author: str
    summary: PacketSummary
    sessions: tuple[SessionHeld, ...]  # oldest first
    goals: tuple[GoalProgress, ...]
    skills: SkillsComparison
    actions_opened: tuple[ActionEntry, ...]
    actions_closed: tuple[ActionEntry, ...]
    evidence: tuple[PacketEvidence, ...]  # empty for mentees outside the LMP
    feedback: tuple[FeedbackEntry, ...]
    plan: NextQuarterPlan
