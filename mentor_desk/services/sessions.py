"""Sessions: one meeting with a mentee, its Markdown notes, the goals it touched and its tags.

Lists (:func:`list_sessions`) never read note bodies: with 100,000 sessions the notes are most of
the file, and a list only needs a short summary. :func:`get_session` reads one session in full,
with its own action items and the open ones carried forward from earlier sessions (the rule is in
:mod:`mentor_desk.services.actions`).

Times are aware datetimes. Naive input is the user's local time, as
:func:`~mentor_desk.services.validation.parse_datetime` says; ``since``/``until`` filters given as
plain dates mean local days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, case, delete, func, literal_column, select, table, update
from sqlalchemy.orm import Session

from mentor_desk.db.base import Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import ActionItem as ActionItemRow
from mentor_desk.db.models import (
    Feedback,
    Goal,
    Mentee,
    MentoringSession,
    SessionTemplate,
    SessionType,
    Tag,
    session_goals,
    session_tags,
)
from mentor_desk.db.search import INDEXES, match_expression
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services.actions import ActionItem, carried_into, items_of_session
from mentor_desk.services.templates import MAX_SESSION_MINUTES
from mentor_desk.services.trash import move_to_trash
from mentor_desk.services.validation import (
    check_range,
    clean_text,
    optional_line,
    parse_datetime,
    parse_enum,
    require_text,
)

#: How much of a summary a list row carries.
SUMMARY_PREVIEW = 200
TITLE_LENGTH = 300
TAG_LENGTH = 80


@dataclass(frozen=True, slots=True)
class SessionInput:
    """What the user enters for a session; ``started_at`` may be ISO text (local if naive)."""

    mentee_id: int
    started_at: datetime | str
    duration_minutes: int = 60
    session_type_id: int | None = None
    title: str = ""
    summary: str = ""
    notes: str = ""
    visibility: Visibility | str = Visibility.PRIVATE
    goal_ids: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GoalRef:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class SessionDetail:
    """One session in full, with its action items and those carried forward into it."""

    id: int
    uid: str
    mentee_id: int
    mentee_name: str
    started_at: datetime
    duration_minutes: int
    session_type_id: int | None
    session_type_name: str | None
    title: str
    summary: str
    notes: str
    visibility: Visibility
    goals: tuple[GoalRef, ...]
    tags: tuple[str, ...]
    action_items: tuple[ActionItem, ...]
    carried_forward: tuple[ActionItem, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def goal_ids(self) -> tuple[int, ...]:
        return tuple(goal.id for goal in self.goals)

    def to_input(self) -> SessionInput:
        """The session as an editable input, for :func:`update_session`."""
        return SessionInput(
            mentee_id=self.mentee_id,
            started_at=self.started_at,
            duration_minutes=self.duration_minutes,
            session_type_id=self.session_type_id,
            title=self.title,
            summary=self.summary,
            notes=self.notes,
            visibility=self.visibility,
            goal_ids=self.goal_ids,
            tags=self.tags,
        )


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A session in a list: no notes, and the summary cut to :data:`SUMMARY_PREVIEW` characters."""

    id: int
    uid: str
    mentee_id: int
    mentee_name: str
    started_at: datetime
    duration_minutes: int
    session_type_name: str | None
    title: str
    summary: str
    visibility: Visibility
    actions_total: int = 0
    actions_open: int = 0


# --- changes ------------------------------------------------------------------------------------


def create_session(db: Database, data: SessionInput) -> SessionDetail:
    with db.write() as session:
        row = MentoringSession()
        _apply(session, row, data)
        session.add(row)
        session.flush()
        return _detail(session, row)


def update_session(db: Database, session_id: int, data: SessionInput) -> SessionDetail:
    """Replace a session's fields. Moving it to another mentee moves its items and feedback."""
    with db.write() as session:
        row = _require(session, session_id)
        previous_mentee = row.mentee_id
        _apply(session, row, data)
        if row.mentee_id != previous_mentee:
            for model in (ActionItemRow, Feedback):
                session.execute(
                    update(model)
                    .where(model.session_id == session_id)
                    .values(mentee_id=row.mentee_id)
                )
        session.flush()
        return _detail(session, row)


def delete_session(db: Database, session_id: int) -> None:
    """Delete a session with its action items; feedback given in it stays, unlinked."""
    with db.write() as session:
        move_to_trash(session, "sessions", session_id)
        # The database cascades to action items, goal and tag links (foreign keys are on).
        result = session.execute(delete(MentoringSession).where(MentoringSession.id == session_id))
        if result.rowcount == 0:
            raise _missing()


# --- queries ------------------------------------------------------------------------------------


def get_session(db: Database, session_id: int) -> SessionDetail:
    with db.read() as session:
        return _detail(session, _require(session, session_id))


def list_sessions(
    db: Database,
    *,
    mentee_id: int | None = None,
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    text: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[SessionRow]:
    """Sessions, newest first, without their notes.

    Args:
        mentee_id: only this mentee's sessions.
        since: from this moment on (a plain date: from the start of that local day).
        until: before this moment (a plain date: up to the end of that local day).
        text: words that the title, summary or notes contain, in any case and with or without
            accents (full-text search; a trailing ``*`` matches a prefix).
        limit: at most this many rows (None for all); with ``offset``, pages a long list.
        offset: rows to skip.
    """
    conditions = _conditions(mentee_id, since, until, text)
    preview = func.substr(MentoringSession.summary, 1, SUMMARY_PREVIEW + 1)
    query = (
        select(
            MentoringSession.id,
            MentoringSession.uid,
            MentoringSession.mentee_id,
            Mentee.name,
            MentoringSession.started_at,
            MentoringSession.duration_minutes,
            SessionType.name,
            MentoringSession.title,
            preview,
            MentoringSession.visibility,
        )
        .join(Mentee, Mentee.id == MentoringSession.mentee_id)
        .outerjoin(SessionType, SessionType.id == MentoringSession.session_type_id)
        .where(*conditions)
        .order_by(MentoringSession.started_at.desc(), MentoringSession.id.desc())
        .offset(check_range(offset, "offset", 0, 2**62))
    )
    if limit is not None:
        query = query.limit(check_range(limit, "limit", 0, 2**62))
    with db.read() as session:
        rows = session.execute(query).all()
        # Counted for the page only, in one grouped query, rather than over every session.
        counts = _action_counts(session, [row[0] for row in rows])
    return [
        SessionRow(
            id=sid,
            uid=uid,
            mentee_id=mentee,
            mentee_name=name,
            started_at=started,
            duration_minutes=minutes,
            session_type_name=kind,
            title=title,
            summary=_preview(summary),
            visibility=visibility,
            actions_total=counts.get(sid, (0, 0))[0],
            actions_open=counts.get(sid, (0, 0))[1],
        )
        for sid, uid, mentee, name, started, minutes, kind, title, summary, visibility in rows
    ]


def count_sessions(
    db: Database,
    mentee_id: int | None = None,
    *,
    since: date | datetime | str | None = None,
    until: date | datetime | str | None = None,
    text: str | None = None,
) -> int:
    """How many sessions :func:`list_sessions` would list with the same filters and no limit."""
    conditions = _conditions(mentee_id, since, until, text)
    with db.read() as session:
        # count(*), not count(id): SQLite then counts the smallest index instead of the table
        # (3-7 ms instead of 17-21 ms over 100,000 sessions; the status bar asks at start).
        stmt = select(func.count()).select_from(MentoringSession).where(*conditions)
        total = session.scalar(stmt)
    return total or 0


def last_session_at(db: Database, mentee_id: int) -> datetime | None:
    """When the mentee's most recent session started, or None if they have had none."""
    with db.read() as session:
        return session.scalar(
            select(func.max(MentoringSession.started_at)).where(
                MentoringSession.mentee_id == mentee_id
            )
        )


def new_session_draft(
    db: Database,
    mentee_id: int,
    *,
    session_type_id: int | None = None,
    template_id: int | None = None,
    now: datetime | None = None,
) -> SessionInput:
    """An unsaved session for the editor, prefilled from a session type and template.

    The length comes from the type; the notes come from ``template_id`` if given, else from the
    type's template. It starts ``now`` (default: this minute, local time).
    """
    started = (now or datetime.now()).astimezone().replace(second=0, microsecond=0)
    minutes = 60
    with db.read() as session:
        if session.scalar(select(Mentee.id).where(Mentee.id == mentee_id)) is None:
            raise NotFoundError("That mentee no longer exists. They may have been deleted.")
        if session_type_id is not None:
            kind = session.get(SessionType, session_type_id)
            if kind is None:
                raise NotFoundError("That session type no longer exists. It may have been deleted.")
            minutes = kind.default_minutes
            template_id = template_id if template_id is not None else kind.template_id
        notes = ""
        if template_id is not None:
            body = session.scalar(
                select(SessionTemplate.body).where(SessionTemplate.id == template_id)
            )
            if body is None:
                raise NotFoundError("That template no longer exists. It may have been deleted.")
            notes = body
    return SessionInput(
        mentee_id=mentee_id,
        started_at=started,
        duration_minutes=minutes,
        session_type_id=session_type_id,
        notes=notes,
    )


# --- helpers ------------------------------------------------------------------------------------


def _apply(session: Session, row: MentoringSession, data: SessionInput) -> None:
    """Validate ``data`` and copy it onto ``row``."""
    if session.scalar(select(Mentee.id).where(Mentee.id == data.mentee_id)) is None:
        raise ValidationError("refers to a mentee who does not exist", "mentee_id")
    if data.session_type_id is not None and session.get(SessionType, data.session_type_id) is None:
        raise ValidationError("refers to a session type that does not exist", "session_type_id")
    row.mentee_id = data.mentee_id
    row.session_type_id = data.session_type_id
    row.started_at = parse_datetime(data.started_at, "started_at").astimezone(UTC)
    row.duration_minutes = check_range(
        data.duration_minutes, "duration_minutes", 1, MAX_SESSION_MINUTES
    )
    row.title = optional_line(data.title, "title", max_length=TITLE_LENGTH)
    row.summary = clean_text(data.summary, "summary")
    row.notes = clean_text(data.notes, "notes")
    row.visibility = parse_enum(Visibility, data.visibility, "visibility")
    row.goals = _goals(session, data.mentee_id, data.goal_ids)
    row.tags = _tags(session, data.tags)


def _goals(session: Session, mentee_id: int, goal_ids: tuple[int, ...]) -> list[Goal]:
    wanted = list(dict.fromkeys(goal_ids))
    if not wanted:
        return []
    goals = {goal.id: goal for goal in session.scalars(select(Goal).where(Goal.id.in_(wanted)))}
    for goal_id in wanted:
        goal = goals.get(goal_id)
        if goal is None:
            raise ValidationError(f"goal {goal_id} does not exist", "goal_ids")
        if goal.mentee_id != mentee_id:
            raise ValidationError(f"'{goal.title}' is another mentee's goal", "goal_ids")
    return [goals[goal_id] for goal_id in wanted]


def _tags(session: Session, names: tuple[str, ...]) -> list[Tag]:
    cleaned = list(
        dict.fromkeys(require_text(name, "tags", max_length=TAG_LENGTH) for name in names)
    )
    if not cleaned:
        return []
    existing = {tag.name: tag for tag in session.scalars(select(Tag).where(Tag.name.in_(cleaned)))}
    tags = []
    for name in cleaned:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
        tags.append(tag)
    return tags


def _conditions(
    mentee_id: int | None,
    since: date | datetime | str | None,
    until: date | datetime | str | None,
    text: str | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if mentee_id is not None:
        conditions.append(MentoringSession.mentee_id == mentee_id)
    if since is not None:
        conditions.append(MentoringSession.started_at >= _bound(since, "since", end=False))
    if until is not None:
        conditions.append(MentoringSession.started_at < _bound(until, "until", end=True))
    # The full-text index (db/search.py) answers in milliseconds where LIKE would read every note;
    # it also finds "Zoë" for "zoe". Text with no word in it filters nothing.
    expression = match_expression(text) if text else None
    if expression is not None:
        index = INDEXES["session"].name
        # "id + 0" keeps SQLite from fetching every matching row by its key (each carries its
        # notes); it walks the small date or mentee index instead: 45 ms, not 370, for a word
        # found in all of 100,000 sessions.
        conditions.append(
            (MentoringSession.id + 0).in_(
                select(literal_column("rowid"))
                .select_from(table(index))
                .where(literal_column(index).match(expression))
            )
        )
    return conditions


def _bound(value: date | datetime | str, field_name: str, *, end: bool) -> datetime:
    """A filter bound; a plain date is a whole local day (``end``: the midnight after it)."""
    if isinstance(value, datetime):
        return parse_datetime(value, field_name)
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            return parse_datetime(value, field_name)
    if end:
        day += timedelta(days=1)
    return datetime.combine(day, time()).astimezone()


def _action_counts(session: Session, session_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not session_ids:
        return {}
    query = (
        select(
            ActionItemRow.session_id,
            func.count(ActionItemRow.id),
            func.sum(case((ActionItemRow.done.is_(False), 1), else_=0)),
        )
        .where(ActionItemRow.session_id.in_(session_ids))
        .group_by(ActionItemRow.session_id)
    )
    return {sid: (total, open_ or 0) for sid, total, open_ in session.execute(query)}


def _preview(summary: str) -> str:
    if len(summary) <= SUMMARY_PREVIEW:
        return summary
    return summary[: SUMMARY_PREVIEW - 1].rstrip() + "…"


def _detail(session: Session, row: MentoringSession) -> SessionDetail:
    mentee_name = session.scalar(select(Mentee.name).where(Mentee.id == row.mentee_id))
    type_name = None
    if row.session_type_id is not None:
        type_name = session.scalar(
            select(SessionType.name).where(SessionType.id == row.session_type_id)
        )
    goals = session.execute(
        select(Goal.id, Goal.title)
        .join(session_goals, session_goals.c.goal_id == Goal.id)
        .where(session_goals.c.session_id == row.id)
        .order_by(Goal.title, Goal.id)
    )
    tags = session.scalars(
        select(Tag.name)
        .join(session_tags, session_tags.c.tag_id == Tag.id)
        .where(session_tags.c.session_id == row.id)
    )
    return SessionDetail(
        id=row.id,
        uid=row.uid,
        mentee_id=row.mentee_id,
        mentee_name=mentee_name or "",
        started_at=row.started_at,
        duration_minutes=row.duration_minutes,
        session_type_id=row.session_type_id,
        session_type_name=type_name,
        title=row.title,
        summary=row.summary,
        notes=row.notes,
        visibility=row.visibility,
        goals=tuple(GoalRef(goal_id, title) for goal_id, title in goals),
        tags=tuple(sorted(tags, key=str.casefold)),
        action_items=tuple(items_of_session(session, row.id)),
        carried_forward=tuple(carried_into(session, row)),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _require(session: Session, session_id: int) -> MentoringSession:
    row = session.get(MentoringSession, session_id)
    if row is None:
        raise _missing()
    return row


def _missing() -> NotFoundError:
    return NotFoundError("That session no longer exists. It may have been deleted.")
