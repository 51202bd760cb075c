"""Action items: the to-dos agreed in a session, and how unfinished ones carry forward.

The carry-forward rule: an item belongs to the session it was created in, and appears in every
later session with that mentee until it is done. A session held before the item was ticked off
still shows it (marked done), so an old session reads as it was at the time; a session held after
the day it was done no longer shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, load_only

from mentor_desk.db.base import ItemOwner, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import ActionItem as ActionItemRow
from mentor_desk.db.models import MentoringSession
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services.trash import move_to_trash
from mentor_desk.services.validation import check_order, parse_date, parse_enum, require_text

#: The longest action item text; an item is one sentence or two, not a note.
TEXT_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class ActionItemInput:
    text: str
    owner: ItemOwner | str = ItemOwner.MENTEE
    due_on: date | str | None = None
    done: bool = False
    visibility: Visibility | str = Visibility.SHARED_WITH_MENTEE


@dataclass(frozen=True, slots=True)
class ActionItem:
    """An action item; ``carried`` is True when it is shown in a later session than its own."""

    id: int
    uid: str
    mentee_id: int
    session_id: int | None
    session_started_at: datetime | None
    text: str
    owner: ItemOwner
    due_on: date | None
    done: bool
    done_on: date | None
    visibility: Visibility
    carried: bool = False


# --- changes ------------------------------------------------------------------------------------


def add_action_item(
    db: Database, session_id: int, data: ActionItemInput, *, today: date | None = None
) -> ActionItem:
    """Add an item to a session; it belongs to that session's mentee."""
    with db.write() as session:
        owner = _require_session(session, session_id)
        highest = session.scalar(
            select(func.max(ActionItemRow.position)).where(ActionItemRow.session_id == session_id)
        )
        row = ActionItemRow(
            mentee_id=owner.mentee_id,
            session_id=session_id,
            position=0 if highest is None else highest + 1,
        )
        _apply(row, data, today or date.today())
        session.add(row)
        session.flush()
        return _load(session, row.id)


def update_action_item(
    db: Database, item_id: int, data: ActionItemInput, *, today: date | None = None
) -> ActionItem:
    """Replace an item's fields. Ticking it done records today; unticking clears the date."""
    with db.write() as session:
        row = _require_item(session, item_id)
        _apply(row, data, today or date.today())
        return _load(session, item_id)


def set_done(db: Database, item_id: int, done: bool, *, on: date | str | None = None) -> ActionItem:
    """Tick an item done (on ``on``, default today) or open it again."""
    with db.write() as session:
        row = _require_item(session, item_id)
        row.done = bool(done)
        row.done_on = (parse_date(on, "on", optional=True) or date.today()) if done else None
        return _load(session, item_id)


def reassign(db: Database, item_id: int, owner: ItemOwner | str) -> ActionItem:
    """Hand an item to the mentor or the mentee."""
    with db.write() as session:
        row = _require_item(session, item_id)
        row.owner = parse_enum(ItemOwner, owner, "owner")
        return _load(session, item_id)


def delete_action_item(db: Database, item_id: int) -> None:
    with db.write() as session:
        item = _require_item(session, item_id)
        move_to_trash(session, "action_items", item_id)
        session.delete(item)


# --- queries ------------------------------------------------------------------------------------


def get_action_item(db: Database, item_id: int) -> ActionItem:
    with db.read() as session:
        return _load(session, item_id)


def open_action_items(
    db: Database, *, mentee_id: int | None = None, overdue_before: date | None = None
) -> list[ActionItem]:
    """Unfinished items, soonest due first (undated last).

    Args:
        mentee_id: only this mentee's items.
        overdue_before: only items due before this date (pass today for "overdue").
    """
    query = _item_query().where(ActionItemRow.done.is_(False))
    if mentee_id is not None:
        query = query.where(ActionItemRow.mentee_id == mentee_id)
    if overdue_before is not None:
        query = query.where(ActionItemRow.due_on < overdue_before)
    query = query.order_by(
        ActionItemRow.due_on.is_(None),
        ActionItemRow.due_on,
        MentoringSession.started_at,
        ActionItemRow.position,
        ActionItemRow.id,
    )
    with db.read() as session:
        return _to_items(session, query)


def carried_forward(db: Database, session_id: int) -> list[ActionItem]:
    """Items from the mentee's earlier sessions that were still open at this session."""
    with db.read() as session:
        return carried_into(session, _require_session(session, session_id))


def actions_between(
    db: Database, mentee_id: int, start: date, end: date
) -> tuple[list[ActionItem], list[ActionItem]]:
    """Items opened and items closed from ``start`` to ``end`` (both days included).

    An item is opened on the (local) day of its session, or the day it was created if it has
    none; it is closed on its ``done_on`` day.
    """
    check_order(start, end, "start", "end")
    low, high = local_day_bounds(start, end)
    opened_at = func.coalesce(MentoringSession.started_at, ActionItemRow.created_at)
    mine = _item_query().where(ActionItemRow.mentee_id == mentee_id)
    order = (opened_at, ActionItemRow.position, ActionItemRow.id)
    with db.read() as session:
        opened = _to_items(session, mine.where(opened_at >= low, opened_at < high).order_by(*order))
        closed = _to_items(
            session,
            mine.where(ActionItemRow.done_on.between(start, end)).order_by(
                ActionItemRow.done_on, *order
            ),
        )
    return opened, closed


# --- helpers shared with the sessions service (they work inside its unit of work) ---------------


def items_of_session(session: Session, session_id: int) -> list[ActionItem]:
    """The items created in one session, in their order."""
    query = (
        _item_query()
        .where(ActionItemRow.session_id == session_id)
        .order_by(ActionItemRow.position, ActionItemRow.id)
    )
    return _to_items(session, query)


def carried_into(session: Session, target: MentoringSession) -> list[ActionItem]:
    """Items carried into ``target`` (see the module docstring for the rule)."""
    held_on = target.started_at.astimezone().date()
    earlier = or_(
        MentoringSession.started_at < target.started_at,
        and_(
            MentoringSession.started_at == target.started_at,
            MentoringSession.id < target.id,
        ),
    )
    still_open = or_(
        ActionItemRow.done.is_(False),
        and_(ActionItemRow.done_on.is_not(None), ActionItemRow.done_on >= held_on),
    )
    query = (
        _item_query()
        .where(ActionItemRow.mentee_id == target.mentee_id, earlier, still_open)
        .order_by(MentoringSession.started_at, ActionItemRow.position, ActionItemRow.id)
    )
    return _to_items(session, query, carried=True)


def local_day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Aware datetimes from local midnight of ``start`` to local midnight after ``end``."""
    low = datetime.combine(start, time()).astimezone()
    high = datetime.combine(end + timedelta(days=1), time()).astimezone()
    return low, high


def _item_query() -> Select[tuple[ActionItemRow, datetime | None]]:
    return select(ActionItemRow, MentoringSession.started_at).outerjoin(
        MentoringSession, ActionItemRow.session_id == MentoringSession.id
    )


def _to_items(
    session: Session,
    query: Select[tuple[ActionItemRow, datetime | None]],
    *,
    carried: bool = False,
) -> list[ActionItem]:
    return [_dto(row, started_at, carried) for row, started_at in session.execute(query)]


def _load(session: Session, item_id: int) -> ActionItem:
    session.flush()
    found = _to_items(session, _item_query().where(ActionItemRow.id == item_id))
    if not found:
        raise _missing_item()
    return found[0]


def _apply(row: ActionItemRow, data: ActionItemInput, today: date) -> None:
    row.text = require_text(data.text, "text", max_length=TEXT_LENGTH)
    row.owner = parse_enum(ItemOwner, data.owner, "owner")
    row.due_on = parse_date(data.due_on, "due_on", optional=True)
    row.visibility = parse_enum(Visibility, data.visibility, "visibility")
    if not isinstance(data.done, bool):
        raise ValidationError("must be yes or no", "done")
    if data.done and not row.done:
        row.done_on = today
    elif not data.done:
        row.done_on = None
    row.done = data.done


def _require_item(session: Session, item_id: int) -> ActionItemRow:
    row = session.get(ActionItemRow, item_id)
    if row is None:
        raise _missing_item()
    return row


def _missing_item() -> NotFoundError:
    return NotFoundError("That action item no longer exists. It may have been deleted.")


def _require_session(session: Session, session_id: int) -> MentoringSession:
    # Only the columns the rule needs: the notes may be megabytes.
    row = session.get(
        MentoringSession,
        session_id,
        options=[load_only(MentoringSession.mentee_id, MentoringSession.started_at)],
    )
    if row is None:
        raise NotFoundError("That session no longer exists. It may have been deleted.")
    return row


def _dto(row: ActionItemRow, started_at: datetime | None, carried: bool) -> ActionItem:
    return ActionItem(
        id=row.id,
        uid=row.uid,
        mentee_id=row.mentee_id,
        session_id=row.session_id,
        session_started_at=started_at,
        text=row.text,
        owner=row.owner,
        due_on=row.due_on,
        done=row.done,
        done_on=row.done_on,
        visibility=row.visibility,
        carried=carried,
    )
