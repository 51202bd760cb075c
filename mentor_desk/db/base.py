"""Declarative base, shared column types and the enums stored in the database."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so Alembic batch migrations on SQLite can find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, in UTC, as an aware datetime."""
    return datetime.now(UTC)


def new_uid() -> str:
    """A new stable identifier (32 hex characters) used to merge records across databases."""
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC and gives them back aware.

    SQLite has no time zones; without this a round trip silently drops them and comparisons
    between aware and naive values raise.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is UTC:  # the usual case, and bulk imports bind hundreds of thousands
            return value.replace(tzinfo=None)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class StrEnumBase(enum.StrEnum):
    """Enums whose stored value is their lowercase string value."""

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]

    @property
    def label(self) -> str:
        """Human-readable label ("shared_with_mentee" -> "Shared with mentee")."""
        return LABELS.get(self.value, self.value.replace("_", " ").capitalize())


# Labels that the plain "replace underscores" rule gets wrong.
LABELS: dict[str, str] = {
    "ic": "Individual contributor",
    "shared_with_mentee": "Shared with mentee",
    "leadership": "Leadership documents",
    "biweekly": "Every two weeks",
    "self": "Mentee (self)",
    "soft_skills": "Leadership & soft skills",
    "domain": "Domain & business",
    "further_actions": "Further actions requested",
}


class Visibility(StrEnumBase):
    """Who may see an item: ordered from most to least private."""

    PRIVATE = "private"
    SHARED_WITH_MENTEE = "shared_with_mentee"
    LEADERSHIP = "leadership"

    @property
    def rank(self) -> int:
        return _VISIBILITY_RANK[self]


_VISIBILITY_RANK = {
    Visibility.PRIVATE: 0,
    Visibility.SHARED_WITH_MENTEE: 1,
    Visibility.LEADERSHIP: 2,
}


class Track(StrEnumBase):
    IC = "ic"
    MANAGEMENT = "management"


class Level(StrEnumBase):
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    STAFF = "staff"
    PRINCIPAL = "principal"
    TEAM_LEAD = "team_lead"
    ENGINEERING_MANAGER = "engineering_manager"
    SENIOR_LEADER = "senior_leader"

    @property
    def track(self) -> Track:
        return Track.MANAGEMENT if self in _MANAGEMENT_LEVELS else Track.IC


_MANAGEMENT_LEVELS = {Level.TEAM_LEAD, Level.ENGINEERING_MANAGER, Level.SENIOR_LEADER}


class MenteeStatus(StrEnumBase):
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    ARCHIVED = "archived"


class Cadence(StrEnumBase):
    """How often a mentee and mentor meet; ``days`` drives "next due" and "stalled"."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"

    @property
    def days(self) -> int:
        return {Cadence.WEEKLY: 7, Cadence.BIWEEKLY: 14, Cadence.MONTHLY: 30}[self]


class ItemOwner(StrEnumBase):
    MENTOR = "mentor"
    MENTEE = "mentee"


class CandorQuadrant(StrEnumBase):
    RADICAL_CANDOR = "radical_candor"
    OBNOXIOUS_AGGRESSION = "obnoxious_aggression"
    RUINOUS_EMPATHY = "ruinous_empathy"
    MANIPULATIVE_INSINCERITY = "manipulative_insincerity"


class GoalCategory(StrEnumBase):
    TECHNICAL = "technical"
    SOFT_SKILLS = "soft_skills"
    CAREER = "career"
    DOMAIN = "domain"


class GoalStatus(StrEnumBase):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    DONE = "done"
    DROPPED = "dropped"


class ProgressMode(StrEnumBase):
    """Whether a goal's progress is set by hand or worked out from its milestones."""

    MANUAL = "manual"
    MILESTONES = "milestones"


class Assessor(StrEnumBase):
    MENTOR = "mentor"
    SELF = "self"
    PEER = "peer"


class RecordedBy(StrEnumBase):
    SPONSOR = "sponsor"
    CANDIDATE = "candidate"
    PEER = "peer"


class LmpState(StrEnumBase):
    ENROLLED = "enrolled"
    GATHERING_EVIDENCE = "gathering_evidence"
    READY_FOR_REVIEW = "ready_for_review"
    PRESENTED = "presented"
    ACCEPTED = "accepted"
    FURTHER_ACTIONS = "further_actions"


class Decision(StrEnumBase):
    ACCEPTED = "accepted"
    FURTHER_ACTIONS = "further_actions"


def enum_column(enum_cls: type[enum.Enum]) -> Enum:
    """A VARCHAR column holding the enum's *values* (not names), with no CHECK constraint.

    No CHECK constraint, because adding a member later would otherwise need a table rebuild on
    SQLite; the services validate values instead.
    """
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    """``created_at`` and ``updated_at`` on every row."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


class RecordMixin(TimestampMixin):
    """An integer primary key for joins and FTS, plus a stable ``uid`` for interchange."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), default=new_uid, unique=True, nullable=False)
