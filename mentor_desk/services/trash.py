"""The trash: every delete keeps a snapshot of what went, so it can be undone until emptied.

The delete services call :func:`move_to_trash` in their own unit of work, just before they delete,
so the snapshot and the delete commit (or fail) together. A snapshot is the deleted record and
everything that cascades with it, in the interchange format (see
:mod:`mentor_desk.services.interchange_snapshot`); restoring it is an import of those rows with
their old uids, ids and timestamps.

Privacy: the trash holds private text. It stays in the database under the same protection as
everything else and is never exported; emptying the trash (or purging an entry) removes it for
good. Trashed rows are gone from their tables, so the full-text index cannot return them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from mentor_desk.db.base import utcnow
from mentor_desk.db.engine import Database
from mentor_desk.db.models import Goal, LmpRecord, TrashItem
from mentor_desk.errors import ImportFileError, NotFoundError, UserError
from mentor_desk.services.settings import get_setting, set_setting
from mentor_desk.services.validation import check_range

if TYPE_CHECKING:
    from mentor_desk.services.interchange_schema import TableSpec

LABEL_MAX = 300


def _day(value: Any) -> str:
    # A session is named by its local day, as the window shows it.
    return (
        value.astimezone().date().isoformat() if isinstance(value, datetime) else value.isoformat()
    )


def _titled(noun: str, date_key: str | None, title_key: str | None) -> Callable[[Any], str]:
    def label(row: Any) -> str:
        parts = [noun]
        if date_key:
            parts.append(_day(row[date_key]))
        if title_key and row[title_key]:
            text = " ".join(str(row[title_key]).split())
            parts.append(text[:80] if noun == "mentee" else f"“{text[:80]}”")
        return " ".join(parts)

    return label


#: Table -> (kind, how an entry of it is named in the trash).
KINDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "mentees": ("mentee", _titled("mentee", None, "name")),
    "sessions": ("session", _titled("session", "started_at", "title")),
    "goals": ("goal", _titled("goal", None, "title")),
    "evidence": ("evidence", _titled("evidence", "occurred_on", "title")),
    "feedback": ("feedback", _titled("feedback", "given_on", None)),
    "action_items": ("action_item", _titled("action item", None, "text")),
    "milestones": ("milestone", _titled("milestone", None, "title")),
    "goal_checkins": ("goal_checkin", _titled("goal check-in", "checked_on", None)),
    "skill_areas": ("skill_area", _titled("skill area", None, "name")),
    "skill_assessments": ("skill_assessment", _titled("skill assessment", "assessed_on", None)),
    "scpa_updates": ("scpa_update", _titled("SCPA update", "week_of", None)),
}

#: The program setting holding how many days deleted items stay in the trash (0: until emptied).
RETENTION_SETTING = "trash_retention_days"
DEFAULT_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 3650


@dataclass(frozen=True, slots=True)
class TrashEntry:
    """One deletion in the trash (without its snapshot)."""

    id: int
    kind: str
    label: str
    mentee_id: int | None
    mentee_name: str
    deleted_at: datetime


# --- deleting -------------------------------------------------------------------------------------


def _spec(table: str) -> TableSpec:
    # The interchange schema and snapshots load on the first delete or restore, not with the
    # window (which lists the trash at start-up): ~50 ms of imports.
    from mentor_desk.services.interchange_schema import SPECS

    return SPECS[table]


def _owner(session: Session, table: str, row: Any) -> tuple[int | None, str]:
    """The mentee a row belongs to: (id, name)."""
    if table == "mentees":
        return row["id"], row["name"]
    mentee_id = row.get("mentee_id")
    # A row without its own mentee belongs to the mentee of its LMP record or its goal.
    for parent, model in (("record_id", LmpRecord), ("goal_id", Goal)):
        if mentee_id is None and parent in row:
            mentee_id = session.scalar(select(model.mentee_id).where(model.id == row[parent]))
    if mentee_id is None:
        return None, ""
    mentees = _spec("mentees").table
    name = session.scalar(select(mentees.c.name).where(mentees.c.id == mentee_id))
    return mentee_id, name or ""


def move_to_trash(session: Session, table: str, row_id: int) -> None:
    """Snapshot a record and what its deletion cascades to, in the caller's unit of work.

    Call it just before deleting; a missing record is left for the delete to report.
    """
    from mentor_desk.services.interchange_snapshot import export_rows, outside_links, subtree_scope

    t = _spec(table).table
    row = session.execute(select(t).where(t.c.id == row_id)).mappings().first()
    if row is None:
        return
    kind, label = KINDS[table]
    scope = subtree_scope(table, row_id)
    tables = export_rows(session, scope)
    rows = {name: found for name, found in tables.items() if found}
    mentee_id, mentee_name = _owner(session, table, dict(row))
    ids = {name: _ids_by_uid(session, name, scope[name]) for name in rows}
    payload = {
        "root": {"table": table, "uid": row["uid"]},
        "mentee_name": mentee_name,
        "tables": rows,
        "ids": ids,
        "outside_links": outside_links(session, scope),
    }
    session.add(
        TrashItem(
            kind=kind,
            label=label(row)[:LABEL_MAX],
            mentee_id=mentee_id,
            deleted_at=utcnow(),
            payload=json.dumps(payload, ensure_ascii=False, allow_nan=False),
        )
    )
    session.flush()


def _ids_by_uid(session: Session, table: str, where: ColumnElement[bool]) -> dict[str, int]:
    t = _spec(table).table
    return dict(session.execute(select(t.c.uid, t.c.id).where(where)).all())


# --- looking --------------------------------------------------------------------------------------


def _entries(session: Session, limit: int | None = None) -> list[TrashEntry]:
    # The payload is parsed by SQLite for one small field only; it is never sent to Python here.
    stmt = (
        select(
            TrashItem.id,
            TrashItem.kind,
            TrashItem.label,
            TrashItem.mentee_id,
            func.coalesce(func.json_extract(TrashItem.payload, "$.mentee_name"), ""),
            TrashItem.deleted_at,
        )
        .order_by(TrashItem.deleted_at.desc(), TrashItem.id.desc())
        .limit(limit)
    )
    return [TrashEntry(*row) for row in session.execute(stmt)]


def list_trash(db: Database) -> list[TrashEntry]:
    """What is in the trash, the latest deletion first."""
    with db.read() as session:
        return _entries(session)


def last_deleted(db: Database) -> TrashEntry | None:
    """The deletion :func:`undo_last` would restore, or None when the trash is empty."""
    with db.read() as session:
        found = _entries(session, limit=1)
        return found[0] if found else None


# --- restoring ------------------------------------------------------------------------------------


def _not_found() -> NotFoundError:
    return NotFoundError(
        "That item is no longer in the trash: it was restored or deleted for good."
    )


def _parent_hint(session: Session, item: TrashItem, table: str, uid: str) -> str:
    noun = _spec(table).label
    holder = session.execute(
        select(TrashItem.label)
        .where(func.json_extract(TrashItem.payload, "$.root.uid") == uid)
        .order_by(TrashItem.deleted_at.desc())
    ).scalar()
    if holder is None and item.mentee_id is not None:
        holder = session.scalar(
            select(TrashItem.label).where(
                TrashItem.kind == "mentee", TrashItem.mentee_id == item.mentee_id
            )
        )
    if holder is not None:
        return (
            f"Its {noun} was deleted after it. Restore “{holder}” from the trash first, then "
            "restore this."
        )
    return (
        f"Its {noun} was deleted and is no longer in the trash, so it cannot be restored. Delete "
        "it forever if you no longer need it."
    )


def _restore(session: Session, item: TrashItem) -> TrashEntry:
    from mentor_desk.services.interchange_snapshot import (
        import_snapshot,
        missing_parents,
        restore_outside_links,
    )

    payload = json.loads(item.payload)
    root = payload["root"]
    tables = payload["tables"]
    table = _spec(root["table"]).table
    if session.scalar(select(table.c.id).where(table.c.uid == root["uid"])) is not None:
        raise UserError(
            f"Cannot restore {item.label}: it is already back (restored or imported since). "
            "Delete this copy from the trash forever if you no longer need it."
        )
    missing = missing_parents(session, tables)
    if missing:
        raise UserError(f"Cannot restore {item.label}. " + _parent_hint(session, item, *missing[0]))
    try:
        import_snapshot(session, tables, ids=payload.get("ids"))
    except ImportFileError as exc:
        detail = "; ".join(exc.problems[:3])
        raise UserError(
            f"Cannot restore {item.label}: it conflicts with data added since ({detail})."
        ) from exc
    restore_outside_links(session, payload.get("outside_links", []))
    entry = TrashEntry(
        item.id,
        item.kind,
        item.label,
        item.mentee_id,
        payload.get("mentee_name", ""),
        item.deleted_at,
    )
    session.delete(item)
    return entry


def restore(db: Database, trash_id: int) -> TrashEntry:
    """Put a deleted item back exactly as it was (same uids, ids where free, timestamps).

    Raises:
        NotFoundError: the entry is no longer in the trash.
        UserError: restoring would not fit (its mentee was deleted since, or it is already back);
            the message says what to do. Nothing is changed.
    """
    with db.write() as session:
        item = session.get(TrashItem, trash_id)
        if item is None:
            raise _not_found()
        return _restore(session, item)


def undo_last(db: Database) -> TrashEntry:
    """Restore the most recent deletion; see :func:`restore`.

    Raises:
        NotFoundError: the trash is empty.
    """
    with db.write() as session:
        latest = _entries(session, limit=1)
        if not latest:
            raise NotFoundError("The trash is empty: there is no deletion to undo.")
        item = session.get(TrashItem, latest[0].id)
        assert item is not None
        return _restore(session, item)


# --- emptying -------------------------------------------------------------------------------------


def purge(db: Database, trash_id: int) -> None:
    """Delete one entry of the trash for good."""
    with db.write() as session:
        if session.execute(delete(TrashItem).where(TrashItem.id == trash_id)).rowcount == 0:
            raise _not_found()


def empty(db: Database, *, older_than: datetime | None = None) -> int:
    """Delete every entry (or those deleted before ``older_than``) for good; returns how many."""
    with db.write() as session:
        stmt = delete(TrashItem)
        if older_than is not None:
            stmt = stmt.where(TrashItem.deleted_at < older_than)
        return int(session.execute(stmt).rowcount)


# --- retention ------------------------------------------------------------------------------------


def retention_days(db: Database) -> int:
    """How many days a deleted item stays in the trash; 0 keeps it until the trash is emptied."""
    value = get_setting(db, RETENTION_SETTING, str(DEFAULT_RETENTION_DAYS))
    try:
        return check_range(int(value), RETENTION_SETTING, 0, MAX_RETENTION_DAYS)
    except (ValueError, UserError):
        return DEFAULT_RETENTION_DAYS  # a setting edited by hand into nonsense: the default


def set_retention_days(db: Database, days: int) -> int:
    """Keep deleted items ``days`` days (0: until emptied); ValidationError outside 0..3650."""
    days = check_range(days, "days", 0, MAX_RETENTION_DAYS)
    set_setting(db, RETENTION_SETTING, str(days))
    return days


def purge_expired(db: Database, *, now: datetime | None = None) -> int:
    """Delete for good what has been in the trash longer than :func:`retention_days`.

    The window calls it at start-up; returns how many entries went.
    """
    days = retention_days(db)
    if days == 0:
        return 0
    return empty(db, older_than=(now or utcnow()) - timedelta(days=days))
