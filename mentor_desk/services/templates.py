"""Session types and the Markdown templates that prefill a new session's notes.

Both lists are seeded once from ``resources/session_types.json`` (see
:mod:`mentor_desk.services.defaults`) and are the mentor's to edit afterwards. Names are unique
within each list, compared without regard to case, so "Career planning" and "career planning"
cannot both exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentor_desk.db.engine import Database
from mentor_desk.db.models import SessionTemplate, SessionType
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services.validation import check_range, clean_text, require_text

#: Longest cadence accepted for a session type: a yearly review is the slowest real rhythm.
MAX_CADENCE_DAYS = 366
#: Longest session, in minutes (shared with :mod:`mentor_desk.services.sessions`).
MAX_SESSION_MINUTES = 600
NAME_LENGTH = 120


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    id: int
    uid: str
    name: str
    body: str


@dataclass(frozen=True, slots=True)
class TemplateInput:
    name: str
    body: str = ""


@dataclass(frozen=True, slots=True)
class SessionTypeInfo:
    """A session type; ``cadence_days`` is None for "as needed"."""

    id: int
    uid: str
    name: str
    cadence_days: int | None
    default_minutes: int
    description: str
    template_id: int | None
    template_name: str | None


@dataclass(frozen=True, slots=True)
class SessionTypeInput:
    name: str
    cadence_days: int | None = None
    default_minutes: int = 60
    description: str = ""
    template_id: int | None = None


# --- templates ----------------------------------------------------------------------------------


def list_templates(db: Database) -> list[TemplateInfo]:
    """Every template, in the mentor's order."""
    with db.read() as session:
        rows = session.scalars(
            select(SessionTemplate).order_by(SessionTemplate.position, SessionTemplate.name)
        )
        return [_template_info(row) for row in rows]


def get_template(db: Database, template_id: int) -> TemplateInfo:
    with db.read() as session:
        return _template_info(_require_template(session, template_id))


def create_template(db: Database, data: TemplateInput) -> TemplateInfo:
    with db.write() as session:
        name, body = _check_template(session, data, own_id=None)
        row = SessionTemplate(name=name, body=body, position=_next_position(session, data))
        session.add(row)
        session.flush()
        return _template_info(row)


def update_template(db: Database, template_id: int, data: TemplateInput) -> TemplateInfo:
    with db.write() as session:
        row = _require_template(session, template_id)
        row.name, row.body = _check_template(session, data, own_id=template_id)
        session.flush()
        return _template_info(row)


def delete_template(db: Database, template_id: int) -> None:
    """Delete a template; session types that used it are left without one."""
    with db.write() as session:
        session.delete(_require_template(session, template_id))


def template_for_type(db: Database, session_type_id: int) -> TemplateInfo | None:
    """The template a session type prefills its notes from, or None if it has none."""
    with db.read() as session:
        kind = _require_type(session, session_type_id)
        if kind.template_id is None:
            return None
        return _template_info(_require_template(session, kind.template_id))


# --- session types ------------------------------------------------------------------------------


def list_session_types(db: Database) -> list[SessionTypeInfo]:
    """Every session type, in the mentor's order, with the name of its template."""
    with db.read() as session:
        rows = session.execute(
            select(SessionType, SessionTemplate.name)
            .outerjoin(SessionTemplate, SessionType.template_id == SessionTemplate.id)
            .order_by(SessionType.position, SessionType.name)
        )
        return [_type_info(kind, template_name) for kind, template_name in rows]


def get_session_type(db: Database, session_type_id: int) -> SessionTypeInfo:
    with db.read() as session:
        return _load_type_info(session, session_type_id)


def create_session_type(db: Database, data: SessionTypeInput) -> SessionTypeInfo:
    with db.write() as session:
        kind = SessionType(position=_next_position(session, data))
        _apply_type(session, kind, data, own_id=None)
        session.add(kind)
        session.flush()
        return _load_type_info(session, kind.id)


def update_session_type(
    db: Database, session_type_id: int, data: SessionTypeInput
) -> SessionTypeInfo:
    with db.write() as session:
        kind = _require_type(session, session_type_id)
        _apply_type(session, kind, data, own_id=session_type_id)
        session.flush()
        return _load_type_info(session, kind.id)


def delete_session_type(db: Database, session_type_id: int) -> None:
    """Delete a session type; sessions of that type keep their notes and lose only the type."""
    with db.write() as session:
        session.delete(_require_type(session, session_type_id))


# --- helpers ------------------------------------------------------------------------------------


def _require_template(session: Session, template_id: int) -> SessionTemplate:
    row = session.get(SessionTemplate, template_id)
    if row is None:
        raise NotFoundError("That template no longer exists. It may have been deleted.")
    return row


def _require_type(session: Session, session_type_id: int) -> SessionType:
    row = session.get(SessionType, session_type_id)
    if row is None:
        raise NotFoundError("That session type no longer exists. It may have been deleted.")
    return row


def _check_template(
    session: Session, data: TemplateInput, *, own_id: int | None
) -> tuple[str, str]:
    name = require_text(data.name, "name", max_length=NAME_LENGTH)
    _check_unique_name(session, SessionTemplate, name, own_id, "template")
    return name, clean_text(data.body, "body")


def _apply_type(
    session: Session, kind: SessionType, data: SessionTypeInput, *, own_id: int | None
) -> None:
    name = require_text(data.name, "name", max_length=NAME_LENGTH)
    _check_unique_name(session, SessionType, name, own_id, "session type")
    cadence = data.cadence_days
    if cadence is not None:
        cadence = check_range(cadence, "cadence_days", 1, MAX_CADENCE_DAYS)
    minutes = check_range(data.default_minutes, "default_minutes", 1, MAX_SESSION_MINUTES)
    if data.template_id is not None and session.get(SessionTemplate, data.template_id) is None:
        raise ValidationError("refers to a template that does not exist", "template_id")
    kind.name = name
    kind.cadence_days = cadence
    kind.default_minutes = minutes
    kind.description = clean_text(data.description, "description")
    kind.template_id = data.template_id


def _check_unique_name(
    session: Session,
    model: type[SessionTemplate] | type[SessionType],
    name: str,
    own_id: int | None,
    what: str,
) -> None:
    # These lists hold a handful of rows, so comparing in Python gives a real Unicode casefold
    # (SQLite's lower() only folds ASCII).
    wanted = name.casefold()
    for other_id, other_name in session.execute(select(model.id, model.name)):
        if other_id != own_id and other_name.casefold() == wanted:
            raise ValidationError(
                f"there is already a {what} called '{other_name}'; choose another name", "name"
            )


def _next_position(session: Session, data: TemplateInput | SessionTypeInput) -> int:
    model = SessionTemplate if isinstance(data, TemplateInput) else SessionType
    highest = session.scalar(select(func.max(model.position)))
    return 0 if highest is None else highest + 1


def _load_type_info(session: Session, session_type_id: int) -> SessionTypeInfo:
    kind = _require_type(session, session_type_id)
    template_name = None
    if kind.template_id is not None:
        template_name = session.scalar(
            select(SessionTemplate.name).where(SessionTemplate.id == kind.template_id)
        )
    return _type_info(kind, template_name)


def _template_info(row: SessionTemplate) -> TemplateInfo:
    return TemplateInfo(id=row.id, uid=row.uid, name=row.name, body=row.body)


def _type_info(kind: SessionType, template_name: str | None) -> SessionTypeInfo:
    return SessionTypeInfo(
        id=kind.id,
        uid=kind.uid,
        name=kind.name,
        cadence_days=kind.cadence_days,
        default_minutes=kind.default_minutes,
        description=kind.description,
        template_id=kind.template_id,
        template_name=template_name,
    )
