"""The tables. Every table has ``created_at``/``updated_at``; records also have ``id`` and ``uid``.

Free text always sits next to a ``visibility`` column, except in children that take their parent's
visibility (milestones follow their goal). Deleting a mentee cascades to everything that is theirs.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentor_desk.db.base import (
    Assessor,
    Base,
    Cadence,
    CandorQuadrant,
    Decision,
    GoalCategory,
    GoalStatus,
    ItemOwner,
    Level,
    LmpState,
    MenteeStatus,
    ProgressMode,
    RecordedBy,
    RecordMixin,
    TimestampMixin,
    Track,
    UTCDateTime,
    Visibility,
    enum_column,
    utcnow,
)


def _timestamps() -> list[Column[datetime]]:
    return [
        Column("created_at", UTCDateTime(), default=utcnow, nullable=False),
        Column("updated_at", UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False),
    ]


def _fk(target: str) -> ForeignKey:
    return ForeignKey(target, ondelete="CASCADE")


# --- association tables -------------------------------------------------------------------------

session_goals = Table(
    "session_goals",
    Base.metadata,
    Column("session_id", _fk("sessions.id"), primary_key=True),
    Column("goal_id", _fk("goals.id"), primary_key=True, index=True),
    *_timestamps(),
)

evidence_areas = Table(
    "evidence_areas",
    Base.metadata,
    Column("evidence_id", _fk("evidence.id"), primary_key=True),
    Column("area_id", _fk("lmp_areas.id"), primary_key=True, index=True),
    *_timestamps(),
)

mentee_tags = Table(
    "mentee_tags",
    Base.metadata,
    Column("mentee_id", _fk("mentees.id"), primary_key=True),
    Column("tag_id", _fk("tags.id"), primary_key=True, index=True),
    *_timestamps(),
)

session_tags = Table(
    "session_tags",
    Base.metadata,
    Column("session_id", _fk("sessions.id"), primary_key=True),
    Column("tag_id", _fk("tags.id"), primary_key=True, index=True),
    *_timestamps(),
)


# --- settings and reference data ----------------------------------------------------------------


class Setting(TimestampMixin, Base):
    """Program-wide settings kept with the data (the mentor's name, paper size...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False, default="")


class Tag(RecordMixin, Base):
    __tablename__ = "tags"

    name: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)


class SessionType(RecordMixin, Base):
    """A kind of session ("one-on-one coaching"), editable by the mentor."""

    __tablename__ = "session_types"

    name: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    # None means "as needed": no rhythm to be late for.
    cadence_days: Mapped[int | None] = mapped_column(Integer)
    default_minutes: Mapped[int] = mapped_column(Integer, default=60, nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("session_templates.id", ondelete="SET NULL")
    )


class SessionTemplate(RecordMixin, Base):
    """Markdown that prefills a new session's notes, editable by the mentor."""

    __tablename__ = "session_templates"

    name: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    body: Mapped[str] = mapped_column(Text, default="", nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class SkillArea(RecordMixin, Base):
    __tablename__ = "skill_areas"

    name: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)


class LmpArea(RecordMixin, Base):
    """An evidence area ("B") or sub-area ("B1") of the LMP framework."""

    __tablename__ = "lmp_areas"

    code: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    parent_id: Mapped[int | None] = mapped_column(_fk("lmp_areas.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    optional: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    parent: Mapped[LmpArea | None] = relationship(
        remote_side="LmpArea.id", back_populates="children"
    )
    children: Mapped[list[LmpArea]] = relationship(
        back_populates="parent", order_by="LmpArea.position"
    )


# --- mentees ------------------------------------------------------------------------------------


class Mentee(RecordMixin, Base):
    __tablename__ = "mentees"

    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    pronouns: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    role: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    team: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    level: Mapped[Level | None] = mapped_column(enum_column(Level))
    track: Mapped[Track | None] = mapped_column(enum_column(Track))
    email: Mapped[str] = mapped_column(String(320), default="", nullable=False)
    started_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[MenteeStatus] = mapped_column(
        enum_column(MenteeStatus), default=MenteeStatus.ACTIVE, nullable=False, index=True
    )
    in_general: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    in_lmp: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    career_aspiration: Mapped[str] = mapped_column(Text, default="", nullable=False)
    learning_style: Mapped[str] = mapped_column(Text, default="", nullable=False)
    notes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # Visibility of the free-text fields above (aspiration, learning style, notes).
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.PRIVATE, nullable=False
    )
    cadence: Mapped[Cadence] = mapped_column(
        enum_column(Cadence), default=Cadence.WEEKLY, nullable=False
    )

    tags: Mapped[list[Tag]] = relationship(secondary=mentee_tags)


# --- sessions, action items, feedback -----------------------------------------------------------


class MentoringSession(RecordMixin, Base):
    """One meeting with a mentee (called MentoringSession to keep clear of the ORM Session)."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_mentee_started", "mentee_id", "started_at"),)

    mentee_id: Mapped[int] = mapped_column(_fk("mentees.id"), nullable=False)
    session_type_id: Mapped[int | None] = mapped_column(
        ForeignKey("session_types.id", ondelete="SET NULL"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60, nullable=False)
    title: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    # A short, shareable summary: what packets show when the notes themselves stay private.
    summary: Mapped[str] = mapped_column(Text, default="", nullable=False)
    notes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.PRIVATE, nullable=False
    )

    goals: Mapped[list[Goal]] = relationship(secondary=session_goals)
    tags: Mapped[list[Tag]] = relationship(secondary=session_tags)


class ActionItem(RecordMixin, Base):
    """A to-do agreed in a session. Unfinished items carry forward to the mentee's next session."""

    __tablename__ = "action_items"
    __table_args__ = (Index("ix_action_items_mentee_done", "mentee_id", "done"),)

    mentee_id: Mapped[int] = mapped_column(_fk("mentees.id"), nullable=False)
    session_id: Mapped[int | None] = mapped_column(_fk("sessions.id"), index=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    owner: Mapped[ItemOwner] = mapped_column(
        enum_column(ItemOwner), default=ItemOwner.MENTEE, nullable=False
    )
    due_on: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    done_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.SHARED_WITH_MENTEE, nullable=False
    )


class Feedback(RecordMixin, Base):
    """Observe / impact / request feedback, with an optional Radical Candor reflection."""

    __tablename__ = "feedback"

    mentee_id: Mapped[int] = mapped_column(_fk("mentees.id"), nullable=False, index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL"), index=True
    )
    given_on: Mapped[date] = mapped_column(Date, nullable=False)
    observation: Mapped[str] = mapped_column(Text, default="", nullable=False)
    impact: Mapped[str] = mapped_column(Text, default="", nullable=False)
    request: Mapped[str] = mapped_column(Text, default="", nullable=False)
    quadrant: Mapped[CandorQuadrant | None] = mapped_column(enum_column(CandorQuadrant))
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.PRIVATE, nullable=False
    )


# --- goals and skills ---------------------------------------------------------------------------


class Goal(RecordMixin, Base):
    __tablename__ = "goals"

    mentee_id: Mapped[int] = mapped_column(_fk("mentees.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    category: Mapped[GoalCategory] = mapped_column(
        enum_column(GoalCategory), default=GoalCategory.TECHNICAL, nullable=False
    )
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[GoalStatus] = mapped_column(
        enum_column(GoalStatus), default=GoalStatus.NOT_STARTED, nullable=False
    )
    progress_mode: Mapped[ProgressMode] = mapped_column(
        enum_column(ProgressMode), default=ProgressMode.MANUAL, nullable=False
    )
    # Used when progress_mode is manual; with milestones the services work it out.
    progress: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    # Set when the goal came from a leadership group's "further targeted actions".
    presentation_id: Mapped[int | None] = mapped_column(
        ForeignKey("lmp_presentations.id", ondelete="SET NULL"), index=True
    )
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.SHARED_WITH_MENTEE, nullable=False
    )

    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="Milestone.position"
    )
    checkins: Mapped[list[GoalCheckin]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="GoalCheckin.checked_on"
    )


class Milestone(RecordMixin, Base):
    __tablename__ = "milestones"
    # The goal list counts each goal's milestones and done ones from this index alone.
    __table_args__ = (Index("ix_milestones_goal_done", "goal_id", "done"),)

    goal_id: Mapped[int] = mapped_column(_fk("goals.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    due_on: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    done_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    goal: Mapped[Goal] = relationship(back_populates="milestones")


class GoalCheckin(RecordMixin, Base):
    """A dated progress reading; the run of them is the progress-over-time chart."""

    __tablename__ = "goal_checkins"
    __table_args__ = (Index("ix_goal_checkins_goal_date", "goal_id", "checked_on"),)

    goal_id: Mapped[int] = mapped_column(_fk("goals.id"), nullable=False)
    checked_on: Mapped[date] = mapped_column(Date, nullable=False)
    progress: Mapped[int] = mapped_column(Integer, nullable=False)
    comment: Mapped[str] = mapped_column(Text, default="", nullable=False)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.SHARED_WITH_MENTEE, nullable=False
    )

    goal: Mapped[Goal] = relationship(back_populates="checkins")


class SkillAssessment(RecordMixin, Base):
    __tablename__ = "skill_assessments"
    __table_args__ = (Index("ix_skill_assessments_mentee_date", "mentee_id", "assessed_on"),)

    mentee_id: Mapped[int] = mapped_column(_fk("mentees.id"), nullable=False)
    skill_area_id: Mapped[int] = mapped_column(_fk("skill_areas.id"), nullable=False, index=True)
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    assessed_on: Mapped[date] = mapped_column(Date, nullable=False)
    assessor: Mapped[Assessor] = mapped_column(
        enum_column(Assessor), default=Assessor.MENTOR, nullable=False
    )
    note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.SHARED_WITH_MENTEE, nullable=False
    )


# --- the Lead Mentorship Program ----------------------------------------------------------------


class LmpRecord(RecordMixin, Base):
    """One candidate's way through the LMP, from enrolment to decision."""

    __tablename__ = "lmp_records"

    mentee_id: Mapped[int] = mapped_column(_fk("mentees.id"), nullable=False, unique=True)
    sponsor_name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    state: Mapped[LmpState] = mapped_column(
        enum_column(LmpState), default=LmpState.ENROLLED, nullable=False
    )
    enrolled_on: Mapped[date] = mapped_column(Date, nullable=False)
    recommendation: Mapped[str] = mapped_column(Text, default="", nullable=False)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.LEADERSHIP, nullable=False
    )

    presentations: Mapped[list[LmpPresentation]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        order_by="LmpPresentation.presented_on",
    )


class LmpPresentation(RecordMixin, Base):
    """A presentation to the leadership group and, once made, its decision."""

    __tablename__ = "lmp_presentations"

    record_id: Mapped[int] = mapped_column(_fk("lmp_records.id"), nullable=False, index=True)
    presented_on: Mapped[date] = mapped_column(Date, nullable=False)
    reviewers: Mapped[str] = mapped_column(Text, default="", nullable=False)
    decision: Mapped[Decision | None] = mapped_column(enum_column(Decision))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_notes: Mapped[str] = mapped_column(Text, default="", nullable=False)

    record: Mapped[LmpRecord] = relationship(back_populates="presentations")


class Evidence(RecordMixin, Base):
    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_record_date", "record_id", "occurred_on"),)

    record_id: Mapped[int] = mapped_column(_fk("lmp_records.id"), nullable=False)
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    narrative: Mapped[str] = mapped_column(Text, default="", nullable=False)
    source: Mapped[str] = mapped_column(Text, default="", nullable=False)
    recorded_by: Mapped[RecordedBy] = mapped_column(
        enum_column(RecordedBy), default=RecordedBy.SPONSOR, nullable=False
    )
    # Evidence is written for the dossier, so it starts shareable with leadership.
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.LEADERSHIP, nullable=False
    )

    areas: Mapped[list[LmpArea]] = relationship(secondary=evidence_areas, order_by="LmpArea.code")


class ScpaUpdate(RecordMixin, Base):
    """A weekly Success / Challenges / Priorities / Appreciation update (evidence for E4)."""

    __tablename__ = "scpa_updates"
    __table_args__ = (UniqueConstraint("record_id", "week_of"),)

    record_id: Mapped[int] = mapped_column(_fk("lmp_records.id"), nullable=False)
    week_of: Mapped[date] = mapped_column(Date, nullable=False)
    success: Mapped[str] = mapped_column(Text, default="", nullable=False)
    challenges: Mapped[str] = mapped_column(Text, default="", nullable=False)
    priorities: Mapped[str] = mapped_column(Text, default="", nullable=False)
    appreciation: Mapped[str] = mapped_column(Text, default="", nullable=False)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.LEADERSHIP, nullable=False
    )


# --- the trash ----------------------------------------------------------------------------------


class TrashItem(RecordMixin, Base):
    """A deleted item and what went with it, as a JSON snapshot, until the trash is emptied.

    ``mentee_id`` has no foreign key on purpose: the entry must outlive its mentee. The payload
    holds private text and stays in the database, under the same protection as the rows it came
    from; emptying the trash removes it for good. The snapshot is never exported.
    """

    __tablename__ = "trash"

    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    label: Mapped[str] = mapped_column(String(300), nullable=False)
    mentee_id: Mapped[int | None] = mapped_column(Integer, index=True)
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)
    payload: Mapped[str] = mapped_column(Text, nullable=False)
