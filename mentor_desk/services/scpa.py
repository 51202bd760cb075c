"""Weekly SCPA updates (Success / Challenges / Priorities / Appreciation) of an LMP candidate.

One update per record and week, filed under the Monday of its week. The run of them is evidence
for area E4, so :func:`scpa_streak` measures it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentor_desk.db.base import Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import ScpaUpdate
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services.evidence import require_record
from mentor_desk.services.trash import move_to_trash
from mentor_desk.services.validation import clean_text, parse_enum, require_date

#: The four texts of an update, in the order they are shown.
TEXT_FIELDS = ("success", "challenges", "priorities", "appreciation")


@dataclass(frozen=True, slots=True)
class ScpaUpdateInfo:
    id: int
    uid: str
    record_id: int
    week_of: date
    success: str
    challenges: str
    priorities: str
    appreciation: str
    visibility: Visibility
    created_at: datetime
    updated_at: datetime


class ScpaStreak(NamedTuple):
    """How many weeks have an update, and the longest run of consecutive weeks with one."""

    weeks_with_update: int
    longest_run: int


def week_start(day: date | str) -> date:
    """The Monday of the week that ``day`` falls in."""
    parsed = require_date(day, "week_of")
    return parsed - timedelta(days=parsed.weekday())


# --- queries ------------------------------------------------------------------------------------


def get_scpa(db: Database, update_id: int) -> ScpaUpdateInfo:
    with db.read() as session:
        return _info(_update_or_error(session, update_id))


def list_scpa(db: Database, record_id: int) -> list[ScpaUpdateInfo]:
    """A record's SCPA updates, newest week first."""
    with db.read() as session:
        require_record(session, record_id)
        rows = session.scalars(
            select(ScpaUpdate)
            .where(ScpaUpdate.record_id == record_id)
            .order_by(ScpaUpdate.week_of.desc())
        )
        return [_info(row) for row in rows]


def scpa_streak(db: Database, record_id: int) -> ScpaStreak:
    """Weeks with an update, and the longest run of consecutive weeks that all have one."""
    with db.read() as session:
        require_record(session, record_id)
        weeks = list(
            session.scalars(
                select(ScpaUpdate.week_of)
                .where(ScpaUpdate.record_id == record_id)
                .order_by(ScpaUpdate.week_of)
            )
        )
    longest = run = 0
    previous: date | None = None
    for week in weeks:
        run = run + 1 if previous is not None and week - previous == timedelta(weeks=1) else 1
        longest = max(longest, run)
        previous = week
    return ScpaStreak(weeks_with_update=len(weeks), longest_run=longest)


# --- changes ------------------------------------------------------------------------------------


def create_scpa(
    db: Database,
    record_id: int,
    *,
    week_of: date | str,
    success: str = "",
    challenges: str = "",
    priorities: str = "",
    appreciation: str = "",
    visibility: Visibility | str = Visibility.LEADERSHIP,
) -> ScpaUpdateInfo:
    """Add the update for the week containing ``week_of`` (any day of it)."""
    texts = _texts(
        success=success, challenges=challenges, priorities=priorities, appreciation=appreciation
    )
    monday = week_start(week_of)
    level = parse_enum(Visibility, visibility, "visibility")
    with db.write() as session:
        require_record(session, record_id)
        _check_free_week(session, record_id, monday, own_id=None)
        update = ScpaUpdate(record_id=record_id, week_of=monday, visibility=level, **texts)
        session.add(update)
        session.flush()
        return _info(update)


def update_scpa(
    db: Database,
    update_id: int,
    *,
    week_of: date | str | None = None,
    success: str | None = None,
    challenges: str | None = None,
    priorities: str | None = None,
    appreciation: str | None = None,
    visibility: Visibility | str | None = None,
) -> ScpaUpdateInfo:
    """Change the given fields; arguments left out (None) stay as they are."""
    given = {
        "success": success,
        "challenges": challenges,
        "priorities": priorities,
        "appreciation": appreciation,
    }
    with db.write() as session:
        update = _update_or_error(session, update_id)
        merged = {
            name: getattr(update, name) if value is None else value for name, value in given.items()
        }
        texts = _texts(**merged)
        if week_of is not None:
            monday = week_start(week_of)
            _check_free_week(session, update.record_id, monday, own_id=update.id)
            update.week_of = monday
        if visibility is not None:
            update.visibility = parse_enum(Visibility, visibility, "visibility")
        for name, value in texts.items():
            setattr(update, name, value)
        session.flush()
        return _info(update)


def delete_scpa(db: Database, update_id: int) -> None:
    with db.write() as session:
        update = _update_or_error(session, update_id)
        move_to_trash(session, "scpa_updates", update_id)
        session.delete(update)


# --- helpers ------------------------------------------------------------------------------------


def _texts(**values: str) -> dict[str, str]:
    texts = {name: clean_text(values[name], name) for name in TEXT_FIELDS}
    if not any(texts.values()):
        raise ValidationError(
            "write at least one of success, challenges, priorities or appreciation", "success"
        )
    return texts


def _check_free_week(session: Session, record_id: int, monday: date, *, own_id: int | None) -> None:
    clash = session.scalar(
        select(ScpaUpdate.id).where(ScpaUpdate.record_id == record_id, ScpaUpdate.week_of == monday)
    )
    if clash is not None and clash != own_id:
        raise ValidationError(
            f"there is already an SCPA update for the week of {monday.isoformat()}; "
            "edit that one instead",
            "week_of",
        )


def _update_or_error(session: Session, update_id: int) -> ScpaUpdate:
    update = session.get(ScpaUpdate, update_id)
    if update is None:
        raise NotFoundError("That SCPA update no longer exists. It may have been deleted.")
    return update


def _info(update: ScpaUpdate) -> ScpaUpdateInfo:
    return ScpaUpdateInfo(
        id=update.id,
        uid=update.uid,
        record_id=update.record_id,
        week_of=update.week_of,
        success=update.success,
        challenges=update.challenges,
        priorities=update.priorities,
        appreciation=update.appreciation,
        visibility=update.visibility,
        created_at=update.created_at,
        updated_at=update.updated_at,
    )
