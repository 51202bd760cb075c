"""Mentees: editing, listing, finding by name, the cadence rules, deletion and the timeline.

This is the mentee service's one public face. Finding by name (``mentee_names``), deletion
(``mentee_deletion``) and the timeline (``mentee_timeline``) live in sibling modules that never
import this one, and are re-exported here: import everything from ``services.mentees``.

The cadence rules ("when is the next session due", "has this mentorship stalled") live here and
only here; the overview, lists and reports all call :func:`next_due` and :func:`is_stalled`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, selectinload

from mentor_desk.db.base import Cadence, GoalStatus, Level, MenteeStatus, Track, Visibility, utcnow
from mentor_desk.db.engine import Database
from mentor_desk.db.models import ActionItem, Goal, MentoringSession, Tag
from mentor_desk.db.models import Mentee as MenteeModel
from mentor_desk.errors import ValidationError
from mentor_desk.services.mentee_deletion import (
    DeletionSummary,
    delete_mentee,
    deletion_summary,
)
from mentor_desk.services.mentee_names import (
    MenteeRef,
    find_refs,
    fold,
    match_mentee_id,
    mentee_not_found,
)
from mentor_desk.services.mentee_timeline import (
    TIMELINE_KINDS,
    TimelineEntry,
    TimelineKind,
    mentee_timeline,
)
from mentor_desk.services.validation import (
    check_email,
    clean_text,
    optional_line,
    parse_date,
    parse_enum,
    require_text,
)

__all__ = [
    "TIMELINE_KINDS",
    "DeletionSummary",
    "Mentee",
    "MenteeInput",
    "MenteeRef",
    "MenteeRow",
    "TimelineEntry",
    "TimelineKind",
    "contact_cutoff",
    "count_mentees",
    "create_mentee",
    "delete_mentee",
    "deletion_summary",
    "find_mentees",
    "fold",
    "get_mentee",
    "is_stalled",
    "list_mentees",
    "local_date",
    "mentee_rows",
    "mentee_timeline",
    "next_due",
    "resolve_mentee",
    "set_status",
    "update_mentee",
]

#: How many cadence periods without contact make an active mentorship "stalled".
STALLED_FACTOR = 2
SORT_KEYS = ("name", "status", "next_due", "last_session")
PROGRAMS = ("general", "lmp")


@dataclass(frozen=True, slots=True)
class MenteeInput:
    """Every editable field of a mentee, as a form or the CLI gives it (values not yet checked).

    ``track`` only matters without a ``level``: a level decides its track.
    """

    name: str
    pronouns: str = ""
    role: str = ""
    team: str = ""
    level: Level | str | None = None
    track: Track | str | None = None
    email: str = ""
    started_on: date | str | None = None
    status: MenteeStatus | str = MenteeStatus.ACTIVE
    in_general: bool = True
    in_lmp: bool = False
    career_aspiration: str = ""
    learning_style: str = ""
    notes: str = ""
    visibility: Visibility | str = Visibility.PRIVATE
    cadence: Cadence | str = Cadence.WEEKLY
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Mentee:
    id: int
    uid: str
    name: str
    pronouns: str
    role: str
    team: str
    level: Level | None
    track: Track | None
    email: str
    started_on: date | None
    status: MenteeStatus
    in_general: bool
    in_lmp: bool
    career_aspiration: str
    learning_style: str
    notes: str
    visibility: Visibility
    cadence: Cadence
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime

    def to_input(self) -> MenteeInput:
        """The editable fields, ready to change and pass to :func:`update_mentee`."""
        return MenteeInput(**{f.name: getattr(self, f.name) for f in fields(MenteeInput)})


@dataclass(frozen=True, slots=True)
class MenteeRow:
    """One line of the mentee list. ``overdue``/``stalled`` are only ever true for active mentees.

    ``goals_total`` leaves dropped goals out; ``goals_on_track`` counts goals on track or done.
    """

    id: int
    uid: str
    name: str
    role: str
    team: str
    level: Level | None
    track: Track | None
    status: MenteeStatus
    cadence: Cadence
    in_general: bool
    in_lmp: bool
    last_session_at: datetime | None
    next_due_on: date | None
    overdue: bool
    stalled: bool
    open_actions: int
    goals_on_track: int
    goals_total: int

    @property
    def last_contact_on(self) -> date | None:
        return local_date(self.last_session_at) if self.last_session_at else None


# --- cadence rules ------------------------------------------------------------------------------


def local_date(moment: datetime) -> date:
    """The date on the user's wall clock at ``moment``."""
    return moment.astimezone().date()


def next_due(
    last_contact: date | None, cadence: Cadence, started_on: date | None, today: date
) -> date:
    """When the next session is due: one cadence after the last contact.

    With no session yet it is one cadence after the mentorship started, or today when the start
    date is unknown too.
    """
    if last_contact is not None:
        return last_contact + timedelta(days=cadence.days)
    if started_on is not None:
        return started_on + timedelta(days=cadence.days)
    return today


def is_stalled(
    last_contact: date | None, cadence: Cadence, started_on: date | None, today: date
) -> bool:
    """Whether a mentorship has stalled: more than two cadences without contact.

    Counted from the last contact, or from the start date when there has been no session yet; with
    neither there is nothing to count from, so it is not stalled. Only meaningful for an *active*
    mentorship: callers pass paused, completed and archived mentees over.
    """
    since = last_contact or started_on
    if since is None:
        return False
    return (today - since).days > STALLED_FACTOR * cadence.days


def contact_cutoff(today: date | None) -> tuple[date, datetime]:
    """``today`` and the moment before which a session counts as contact.

    Sessions planned later than now are not contact yet. For an injected ``today`` other than the
    real one, all of that day counts.
    """
    now = datetime.now().astimezone()
    if today is None or today == now.date():
        return now.date(), now
    return today, datetime.combine(today + timedelta(days=1), time.min).astimezone()


# --- validation and writing ---------------------------------------------------------------------


def _validated(data: MenteeInput) -> dict[str, object]:
    level = parse_enum(Level, data.level, "level", optional=True)
    track = parse_enum(Track, data.track, "track", optional=True)
    if level is not None:
        if track is not None and track != level.track:
            raise ValidationError(
                f"the level '{level.label}' belongs to the {level.track.label.lower()} track",
                "track",
            )
        track = level.track
    in_general, in_lmp = bool(data.in_general), bool(data.in_lmp)
    if not (in_general or in_lmp):
        raise ValidationError("choose general mentorship, LMP candidacy or both", "in_general")
    return {
        "name": require_text(data.name, "name", max_length=200),
        "pronouns": optional_line(data.pronouns, "pronouns", max_length=40),
        "role": optional_line(data.role, "role", max_length=200),
        "team": optional_line(data.team, "team", max_length=200),
        "level": level,
        "track": track,
        "email": check_email(data.email, "email"),
        "started_on": parse_date(data.started_on, "started_on", optional=True),
        "status": parse_enum(MenteeStatus, data.status, "status"),
        "in_general": in_general,
        "in_lmp": in_lmp,
        "career_aspiration": clean_text(data.career_aspiration, "career_aspiration"),
        "learning_style": clean_text(data.learning_style, "learning_style"),
        "notes": clean_text(data.notes, "notes"),
        "visibility": parse_enum(Visibility, data.visibility, "visibility"),
        "cadence": parse_enum(Cadence, data.cadence, "cadence"),
    }


def _tag_names(tags: tuple[str, ...] | list[str]) -> list[str]:
    """Cleaned tag names, blanks dropped and duplicates (ignoring case) merged."""
    if isinstance(tags, str):
        raise ValidationError("expected a list of tags, got text", "tags")
    names: dict[str, str] = {}
    for raw in tags:
        name = optional_line(raw, "tags", max_length=80)
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())


def _tags(session: Session, names: list[str]) -> list[Tag]:
    """Existing tags by name (ignoring case), creating the missing ones."""
    if not names:
        return []
    existing = {tag.name.casefold(): tag for tag in session.scalars(select(Tag))}
    result = []
    for name in names:
        tag = existing.get(name.casefold())
        if tag is None:
            tag = existing[name.casefold()] = Tag(name=name)
            session.add(tag)
        result.append(tag)
    return result


def _dto(row: MenteeModel) -> Mentee:
    values = {f.name: getattr(row, f.name) for f in fields(Mentee) if f.name != "tags"}
    return Mentee(**values, tags=tuple(sorted((tag.name for tag in row.tags), key=str.casefold)))


def _load(session: Session, mentee_id: int) -> MenteeModel:
    row = session.get(MenteeModel, mentee_id, options=[selectinload(MenteeModel.tags)])
    if row is None:
        raise mentee_not_found(mentee_id)
    return row


def create_mentee(db: Database, data: MenteeInput) -> Mentee:
    values, names = _validated(data), _tag_names(data.tags)
    with db.write() as session:
        row = MenteeModel(**values)
        row.tags = _tags(session, names)
        session.add(row)
        session.flush()
        return _dto(row)


def get_mentee(db: Database, mentee_id: int) -> Mentee:
    with db.read() as session:
        return _dto(_load(session, mentee_id))


def update_mentee(db: Database, mentee_id: int, data: MenteeInput) -> Mentee:
    """Replace every editable field (tags included) of the mentee."""
    values, names = _validated(data), _tag_names(data.tags)
    with db.write() as session:
        row = _load(session, mentee_id)
        for key, value in values.items():
            setattr(row, key, value)
        row.tags = _tags(session, names)
        row.updated_at = utcnow()  # also when only the tags changed
        session.flush()
        return _dto(row)


def set_status(db: Database, mentee_id: int, status: MenteeStatus | str) -> Mentee:
    """Pause, complete, archive or reactivate a mentee."""
    value = parse_enum(MenteeStatus, status, "status")
    with db.write() as session:
        row = _load(session, mentee_id)
        row.status = value
        row.updated_at = utcnow()
        session.flush()
        return _dto(row)


# --- lists --------------------------------------------------------------------------------------


def _rows_statement(cutoff: datetime) -> Select[tuple[object, ...]]:
    m = MenteeModel
    # Correlated per mentee (each an index lookup) rather than aggregates over every session,
    # action item and goal: the list then costs what the mentees hold, not the whole program
    # (22 -> 6 ms with 100,000 sessions).
    last_at = (
        select(func.max(MentoringSession.started_at))
        .where(MentoringSession.mentee_id == m.id, MentoringSession.started_at < cutoff)
        .scalar_subquery()
    )
    open_actions = (
        select(func.count())
        .where(ActionItem.mentee_id == m.id, ActionItem.done.is_(False))
        .scalar_subquery()
    )
    counted = Goal.mentee_id == m.id, Goal.status != GoalStatus.DROPPED
    goals_total = select(func.count()).where(*counted).scalar_subquery()
    goals_good = (
        select(func.count())
        .where(*counted, Goal.status.in_([GoalStatus.ON_TRACK, GoalStatus.DONE]))
        .scalar_subquery()
    )
    return select(
        *(getattr(m, name) for name in _ROW_COLUMNS),
        last_at.label("last_session_at"),
        open_actions.label("open_actions"),
        goals_good.label("goals_on_track"),
        goals_total.label("goals_total"),
    )


_ROW_COLUMNS = (
    "id", "uid", "name", "role", "team", "level", "track", "status", "cadence", "in_general",
    "in_lmp", "started_on",
)  # fmt: skip


def _status_filter(status: MenteeStatus | str | None) -> ColumnElement[bool] | None:
    """None hides archived mentees; "all" shows everyone; anything else is one status."""
    if status == "all":
        return None
    if status is None:
        return MenteeModel.status != MenteeStatus.ARCHIVED
    return MenteeModel.status == parse_enum(MenteeStatus, status, "status")


def mentee_rows(
    session: Session,
    *,
    status: MenteeStatus | str | None = None,
    program: str | None = None,
    today: date | None = None,
) -> list[MenteeRow]:
    """The rows of the mentee list in one query, for services composing a larger unit of work."""
    today, cutoff = contact_cutoff(today)
    stmt = _rows_statement(cutoff)
    status_clause = _status_filter(status)
    if status_clause is not None:
        stmt = stmt.where(status_clause)
    if program is not None:
        if program not in PROGRAMS:
            raise ValidationError(f"'{program}' is not one of: {', '.join(PROGRAMS)}", "program")
        column = MenteeModel.in_lmp if program == "lmp" else MenteeModel.in_general
        stmt = stmt.where(column.is_(True))
    rows = []
    for result in session.execute(stmt):
        values = dict(result._mapping)
        started_on = values.pop("started_on")
        last_at, cadence = values["last_session_at"], values["cadence"]
        last_contact = local_date(last_at) if last_at else None
        active = values["status"] is MenteeStatus.ACTIVE
        due = next_due(last_contact, cadence, started_on, today) if active else None
        stalled = active and is_stalled(last_contact, cadence, started_on, today)
        overdue = due is not None and due < today
        rows.append(MenteeRow(**values, next_due_on=due, overdue=overdue, stalled=stalled))
    return rows


def _sort_key(sort: str) -> Callable[[MenteeRow], tuple[object, ...]]:
    statuses = list(MenteeStatus)
    keys = {
        "name": lambda r: (fold(r.name), r.id),
        "status": lambda r: (statuses.index(r.status), fold(r.name), r.id),
        "next_due": lambda r: (r.next_due_on is None, r.next_due_on or date.min, fold(r.name)),
        # Most recent first, never-met last.
        "last_session": lambda r: (
            r.last_session_at is None,
            -(r.last_session_at.timestamp() if r.last_session_at else 0),
            fold(r.name),
        ),
    }
    if sort not in keys:
        raise ValidationError(f"'{sort}' is not one of: {', '.join(SORT_KEYS)}", "sort")
    return keys[sort]


def list_mentees(
    db: Database,
    *,
    text: str | None = None,
    status: MenteeStatus | str | None = None,
    program: str | None = None,
    sort: str = "name",
    today: date | None = None,
) -> list[MenteeRow]:
    """The mentee list with last session, next due date and counts.

    Args:
        text: matches name, role or team, ignoring case and accents, in any script.
        status: one status, or "all"; by default everyone except archived mentees.
        program: "general" or "lmp".
        sort: "name", "status", "next_due" (soonest first) or "last_session" (latest first).
        today: the date to work out due dates against (default: the real today).
    """
    key = _sort_key(sort)
    with db.read() as session:
        rows = mentee_rows(session, status=status, program=program, today=today)
    needle = fold(" ".join((text or "").split()))
    if needle:
        rows = [r for r in rows if any(needle in fold(v) for v in (r.name, r.role, r.team))]
    return sorted(rows, key=key)


def count_mentees(db: Database, status: MenteeStatus | str | None = None) -> int:
    """How many mentees: like :func:`list_mentees`, archived ones only when asked for."""
    stmt = select(func.count()).select_from(MenteeModel)
    clause = _status_filter(status)
    if clause is not None:
        stmt = stmt.where(clause)
    with db.read() as session:
        return session.scalar(stmt) or 0


# --- finding by name ----------------------------------------------------------------------------


def find_mentees(db: Database, query: str) -> list[MenteeRef]:
    """Mentees whose name contains ``query`` (ignoring case and accents); best matches first."""
    with db.read() as session:
        return find_refs(session, query)


def resolve_mentee(db: Database, name_or_id: str) -> Mentee:
    """The one mentee meant by an id, a uid or a name, as typed on the command line.

    Tries the id (digits), the uid, the exact name (ignoring case), then a unique partial name.

    Raises:
        AmbiguousError: several mentees match; the message lists them.
        NotFoundError: nobody matches; the message suggests close names.
    """
    with db.read() as session:
        return _dto(_load(session, match_mentee_id(session, name_or_id)))
