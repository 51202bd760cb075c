"""The LMP evidence framework: the areas ("B") and sub-areas ("B1") evidence is filed under.

The default framework is seeded from ``resources/lmp_framework.json``; afterwards it belongs to the
user, who may add, rename, reorder and delete areas. The framework has exactly two levels: a
sub-area's parent is always a top-level area.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mentor_desk.db.engine import Database
from mentor_desk.db.models import LmpArea, evidence_areas
from mentor_desk.errors import ConfirmationRequiredError, NotFoundError, ValidationError
from mentor_desk.services.validation import check_range, clean_text, require_text

CODE_MAX = 16
TITLE_MAX = 200
POSITION_MAX = 100_000


@dataclass(frozen=True, slots=True)
class AreaInfo:
    """One area or sub-area of the framework."""

    id: int
    uid: str
    code: str
    title: str
    description: str
    parent_code: str | None
    optional: bool
    position: int
    children: tuple[str, ...]

    @property
    def is_sub(self) -> bool:
        return self.parent_code is not None


class _Unset:
    """Marks a keyword argument that was not given (None is a meaningful parent_code)."""


_UNSET = _Unset()


# --- session-level helpers shared with the evidence service -------------------------------------


def load_areas(session: Session) -> list[AreaInfo]:
    """Every area in display order: each top-level area followed by its sub-areas."""
    rows = session.scalars(select(LmpArea).order_by(LmpArea.position, LmpArea.id)).all()
    code_of = {row.id: row.code for row in rows}
    children: dict[int, list[LmpArea]] = {}
    for row in rows:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row)

    def info(row: LmpArea) -> AreaInfo:
        return AreaInfo(
            id=row.id,
            uid=row.uid,
            code=row.code,
            title=row.title,
            description=row.description,
            parent_code=code_of.get(row.parent_id) if row.parent_id is not None else None,
            optional=row.optional,
            position=row.position,
            children=tuple(child.code for child in children.get(row.id, [])),
        )

    ordered: list[AreaInfo] = []
    for row in rows:
        if row.parent_id is None:
            ordered.append(info(row))
            ordered.extend(info(child) for child in children.get(row.id, []))
    return ordered


def find_area(session: Session, code: str) -> LmpArea | None:
    """The area with this code (any case, surrounding space ignored), or None."""
    return session.scalar(select(LmpArea).where(LmpArea.code == _normalise_code(code)))


def _normalise_code(code: str) -> str:
    return " ".join(str(code).split()).upper()


# --- queries ------------------------------------------------------------------------------------


def list_areas(db: Database) -> list[AreaInfo]:
    """The whole framework in display order (parents followed by their children)."""
    with db.read() as session:
        return load_areas(session)


def area_by_code(db: Database, code: str) -> AreaInfo:
    """The area with ``code`` ("b1" finds "B1"); NotFoundError if there is none."""
    with db.read() as session:
        area = find_area(session, code)
        if area is None:
            raise NotFoundError(f"There is no evidence area with the code '{code}'.")
        return _info_by_id(session, area.id)


def get_area(db: Database, area_id: int) -> AreaInfo:
    with db.read() as session:
        return _info_by_id(session, area_id)


# --- changes ------------------------------------------------------------------------------------


def create_area(
    db: Database,
    *,
    code: str,
    title: str,
    description: str = "",
    parent_code: str | None = None,
    optional: bool = False,
    position: int | None = None,
) -> AreaInfo:
    """Add an area (``parent_code`` None) or a sub-area under a top-level area.

    Without ``position`` the new area goes last among its siblings.
    """
    with db.write() as session:
        clean_code = _check_code(session, code, own_id=None)
        parent = _check_parent(session, parent_code, own=None)
        if position is None:
            position = _next_position(session, parent.id if parent else None)
        position = check_range(position, "position", 0, POSITION_MAX)
        area = LmpArea(
            code=clean_code,
            title=require_text(title, "title", max_length=TITLE_MAX),
            description=clean_text(description, "description"),
            parent_id=parent.id if parent else None,
            optional=bool(optional),
            position=position,
        )
        session.add(area)
        session.flush()
        return _info_by_id(session, area.id)


def update_area(
    db: Database,
    area_id: int,
    *,
    code: str | None = None,
    title: str | None = None,
    description: str | None = None,
    parent_code: str | _Unset | None = _UNSET,
    optional: bool | None = None,
    position: int | None = None,
) -> AreaInfo:
    """Change the given fields of an area; arguments left out stay as they are.

    ``parent_code=None`` makes the area top-level; a code moves it under that top-level area.
    """
    with db.write() as session:
        area = _area_or_error(session, area_id)
        if code is not None:
            area.code = _check_code(session, code, own_id=area.id)
        if title is not None:
            area.title = require_text(title, "title", max_length=TITLE_MAX)
        if description is not None:
            area.description = clean_text(description, "description")
        if not isinstance(parent_code, _Unset):
            parent = _check_parent(session, parent_code, own=area)
            new_parent_id = parent.id if parent else None
            if new_parent_id != area.parent_id:
                area.parent_id = new_parent_id
                if position is None:
                    area.position = _next_position(session, new_parent_id)
        if optional is not None:
            area.optional = bool(optional)
        if position is not None:
            area.position = check_range(position, "position", 0, POSITION_MAX)
        session.flush()
        return _info_by_id(session, area.id)


def delete_area(db: Database, area_id: int, *, confirm: bool = False) -> None:
    """Delete an area and its sub-areas.

    Evidence entries filed under them stay, but lose those tags. When any entry would lose a tag
    this needs ``confirm=True``, else :class:`ConfirmationRequiredError` says how many.
    """
    with db.write() as session:
        area = _area_or_error(session, area_id)
        ids = [area.id, *session.scalars(select(LmpArea.id).where(LmpArea.parent_id == area.id))]
        used = session.scalar(
            select(func.count(func.distinct(evidence_areas.c.evidence_id))).where(
                evidence_areas.c.area_id.in_(ids)
            )
        )
        if used and not confirm:
            subs = " and its sub-areas" if len(ids) > 1 else ""
            raise ConfirmationRequiredError(
                f"{used} evidence {'entry is' if used == 1 else 'entries are'} filed under "
                f"{area.code}{subs}. Deleting it keeps the entries but removes this area from "
                "them. Confirm to delete it anyway."
            )
        # A bulk delete lets the database cascade to sub-areas and tags; the ORM would instead
        # orphan the sub-areas into top-level areas by nulling their parent_id.
        session.execute(delete(LmpArea).where(LmpArea.id.in_(ids)))


# --- helpers ------------------------------------------------------------------------------------


def _area_or_error(session: Session, area_id: int) -> LmpArea:
    area = session.get(LmpArea, area_id)
    if area is None:
        raise NotFoundError("That evidence area no longer exists.")
    return area


def _info_by_id(session: Session, area_id: int) -> AreaInfo:
    for info in load_areas(session):
        if info.id == area_id:
            return info
    raise NotFoundError("That evidence area no longer exists.")


def _check_code(session: Session, code: str | None, *, own_id: int | None) -> str:
    text = require_text(code, "code", max_length=CODE_MAX)
    if " " in text:
        raise ValidationError("must be one word without spaces, such as B1", "code")
    text = text.upper()
    clash = session.scalar(select(LmpArea.id).where(LmpArea.code == text))
    if clash is not None and clash != own_id:
        raise ValidationError(f"'{text}' is already used by another area", "code")
    return text


def _check_parent(
    session: Session, parent_code: str | None, *, own: LmpArea | None
) -> LmpArea | None:
    if parent_code is None or not str(parent_code).strip():
        return None
    parent = find_area(session, parent_code)
    if parent is None:
        raise ValidationError(f"there is no area with the code '{parent_code}'", "parent_code")
    if parent.parent_id is not None:
        raise ValidationError(
            f"{parent.code} is itself a sub-area; sub-areas can only sit under a top-level area",
            "parent_code",
        )
    if own is not None:
        if parent.id == own.id:
            raise ValidationError("an area cannot be its own parent", "parent_code")
        has_children = session.scalar(select(LmpArea.id).where(LmpArea.parent_id == own.id))
        if has_children is not None:
            raise ValidationError(
                f"{own.code} has sub-areas of its own, so it cannot become a sub-area",
                "parent_code",
            )
    return parent


def _next_position(session: Session, parent_id: int | None) -> int:
    condition = LmpArea.parent_id.is_(None) if parent_id is None else LmpArea.parent_id == parent_id
    highest = session.scalar(select(func.max(LmpArea.position)).where(condition))
    return 0 if highest is None else highest + 1
