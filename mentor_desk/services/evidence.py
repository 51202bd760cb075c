"""LMP evidence: dated entries filed under one or more framework areas, and their coverage.

Coverage answers the sponsor's question "what is still missing?": for every area and sub-area, how
many entries there are and the date of the latest. A top-level area counts its own entries and its
sub-areas' entries, each entry once; an area with no entry is a gap unless it is optional.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, String, func, select, type_coerce
from sqlalchemy.orm import Session

from mentor_desk.db.base import RecordedBy, Visibility
from mentor_desk.db.engine import Database
from mentor_desk.db.models import Evidence, LmpArea, LmpRecord, ScpaUpdate, evidence_areas
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services.framework import AreaInfo, find_area, load_areas
from mentor_desk.services.trash import move_to_trash
from mentor_desk.services.validation import (
    check_order,
    clean_text,
    optional_line,
    parse_date,
    parse_enum,
    require_date,
    require_text,
)

TITLE_MAX = 300
SOURCE_MAX = 2000
#: Characters of the narrative shown in list rows; the rest stays in the database.
EXCERPT_CHARS = 160


@dataclass(frozen=True, slots=True)
class EvidenceInput:
    """What the user enters for an evidence entry.

    Attributes:
        areas: area codes ("B1") or area ids; at least one.
        source: where it can be checked: a link, a document or a meeting.
    """

    occurred_on: date | str
    areas: Sequence[str | int]
    title: str
    narrative: str = ""
    source: str = ""
    recorded_by: RecordedBy | str = RecordedBy.SPONSOR
    visibility: Visibility | str = Visibility.LEADERSHIP


@dataclass(frozen=True, slots=True)
class EvidenceEntry:
    """One evidence entry in full, narrative included."""

    id: int
    uid: str
    record_id: int
    occurred_on: date
    area_codes: tuple[str, ...]
    title: str
    narrative: str
    source: str
    recorded_by: RecordedBy
    visibility: Visibility
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """An entry as a list shows it: the narrative cut to a one-line excerpt."""

    id: int
    uid: str
    record_id: int
    occurred_on: date
    area_codes: tuple[str, ...]
    title: str
    excerpt: str
    source: str
    recorded_by: RecordedBy
    visibility: Visibility


@dataclass(frozen=True, slots=True)
class AreaCoverage:
    """How well one area or sub-area is covered by a record's evidence."""

    area_id: int
    code: str
    title: str
    parent_code: str | None
    is_sub: bool
    optional: bool
    count: int
    latest: date | None
    gap: bool
    #: Weekly SCPA updates counted in ``count`` (only for :data:`SCPA_AREA_CODE` and its parent).
    scpa_updates: int = 0


#: DOMAIN.md: "the candidate's run of [SCPA updates] is evidence for E4". The default framework
#: files the weekly SCPA update under this code; a renamed code simply stops collecting them.
SCPA_AREA_CODE = "E4"


# --- session-level helpers shared by the LMP services -------------------------------------------


def require_record(session: Session, record_id: int) -> LmpRecord:
    """The LMP record, or NotFoundError with a sentence for the user."""
    record = session.get(LmpRecord, record_id)
    if record is None:
        raise NotFoundError("That LMP record no longer exists. It may have been deleted.")
    return record


def coverage_by_record(
    session: Session,
    record_ids: Collection[int],
    *,
    visibilities: Collection[Visibility | str] | None = None,
    areas: Sequence[AreaInfo] | None = None,
) -> dict[int, list[AreaCoverage]]:
    """Coverage of each record in ``record_ids``, in framework order, from two aggregate queries.

    Args:
        visibilities: count only entries with one of these visibilities (None: every entry).
        areas: the framework as :func:`load_areas` gives it, if the caller has it already.
    """
    areas = load_areas(session) if areas is None else areas
    ids = list(record_ids)

    def stats(group_key: object) -> dict[tuple[int, int], tuple[int, date | None]]:
        query = (
            select(
                Evidence.record_id,
                group_key,
                func.count(func.distinct(Evidence.id)),
                func.max(Evidence.occurred_on),
            )
            .join(evidence_areas, evidence_areas.c.evidence_id == Evidence.id)
            .join(LmpArea, LmpArea.id == evidence_areas.c.area_id)
            .where(Evidence.record_id.in_(ids))
            .group_by(Evidence.record_id, group_key)
        )
        query = _filter_visibility(query, visibilities)
        return {(rec, area): (count, latest) for rec, area, count, latest in session.execute(query)}

    direct = stats(LmpArea.id)
    # An entry tagged B1 and B2 belongs to B once: group by the top-level area and count
    # distinct entries.
    rolled_up = stats(func.coalesce(LmpArea.parent_id, LmpArea.id))
    scpa = _scpa_stats(session, ids, visibilities)
    scpa_area = next((area for area in areas if area.code == SCPA_AREA_CODE), None)
    optional_codes = {area.code for area in areas if area.optional}

    result: dict[int, list[AreaCoverage]] = {}
    for record_id in ids:
        rows: list[AreaCoverage] = []
        for area in areas:
            source = direct if area.is_sub else rolled_up
            count, latest = source.get((record_id, area.id), (0, None))
            weeks, last_week = 0, None
            if scpa_area and area.code in (scpa_area.code, scpa_area.parent_code):
                weeks, last_week = scpa.get(record_id, (0, None))
            latest = max((d for d in (latest, last_week) if d is not None), default=None)
            optional = area.optional or area.parent_code in optional_codes
            rows.append(_coverage_row(area, count + weeks, latest, optional, weeks))
        result[record_id] = rows
    return result


def _scpa_stats(
    session: Session, ids: list[int], visibilities: Collection[Visibility | str] | None
) -> dict[int, tuple[int, date | None]]:
    query = (
        select(ScpaUpdate.record_id, func.count(ScpaUpdate.id), func.max(ScpaUpdate.week_of))
        .where(ScpaUpdate.record_id.in_(ids))
        .group_by(ScpaUpdate.record_id)
    )
    if visibilities is not None:
        allowed = [parse_enum(Visibility, value, "visibility") for value in visibilities]
        query = query.where(ScpaUpdate.visibility.in_(allowed))
    return {record_id: (count, latest) for record_id, count, latest in session.execute(query)}


def gap_counts(
    session: Session, record_ids: Collection[int], areas: Sequence[AreaInfo] | None = None
) -> dict[int, int]:
    """How many gaps each record in ``record_ids`` has: the areas :func:`coverage_by_record`
    marks as gaps, from which (record, area) pairs hold any entry at all.

    The candidate list shows this for every candidate, so it skips the counts and dates the
    full coverage works out (55 -> a few ms for 50 candidates with 20,000 entries). ``areas``:
    the framework, if the caller has it already.
    """
    areas = load_areas(session) if areas is None else areas
    ids = list(record_ids)
    present = {
        (record_id, area_id)
        for record_id, area_id in session.execute(
            select(Evidence.record_id, evidence_areas.c.area_id)
            .join(evidence_areas, evidence_areas.c.evidence_id == Evidence.id)
            .where(Evidence.record_id.in_(ids))
            .distinct()
        )
    }
    by_id = {area.id: area for area in areas}
    by_code = {area.code: area for area in areas}
    # An entry filed under a sub-area also covers its area (coverage's roll-up).
    for record_id, area_id in list(present):
        parent = by_code.get(by_id[area_id].parent_code or "") if area_id in by_id else None
        if parent is not None:
            present.add((record_id, parent.id))
    with_scpa = {rid for rid, (count, _latest) in _scpa_stats(session, ids, None).items() if count}
    scpa_area = by_code.get(SCPA_AREA_CODE)
    scpa_codes = {scpa_area.code, scpa_area.parent_code} if scpa_area else set()
    optional_codes = {area.code for area in areas if area.optional}
    required = [area for area in areas if not (area.optional or area.parent_code in optional_codes)]
    return {
        record_id: sum(
            1
            for area in required
            if (record_id, area.id) not in present
            and not (record_id in with_scpa and area.code in scpa_codes)
        )
        for record_id in ids
    }


def _coverage_row(
    area: AreaInfo, count: int, latest: date | None, optional: bool, scpa_updates: int = 0
) -> AreaCoverage:
    return AreaCoverage(
        area_id=area.id,
        code=area.code,
        title=area.title,
        parent_code=area.parent_code,
        is_sub=area.is_sub,
        optional=optional,
        count=count,
        latest=latest,
        gap=count == 0 and not optional,
        scpa_updates=scpa_updates,
    )


# --- queries ------------------------------------------------------------------------------------


def get_evidence(db: Database, evidence_id: int) -> EvidenceEntry:
    with db.read() as session:
        return _entry(session, _evidence_or_error(session, evidence_id))


def list_evidence(
    db: Database,
    record_id: int,
    *,
    area_code: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    recorded_by: RecordedBy | str | None = None,
    visibility: Visibility | str | None = None,
    areas: Sequence[AreaInfo] | None = None,
) -> list[EvidenceRow]:
    """A record's evidence, oldest first, without narrative bodies.

    Args:
        area_code: only entries filed under this area or, for a top-level area, its sub-areas.
        since, until: inclusive bounds on the date the evidence happened.
        recorded_by: only entries recorded by the sponsor, the candidate or a peer.
        visibility: only entries with exactly this visibility.
        areas: the framework (:func:`~mentor_desk.services.framework.list_areas`), if the caller
            has it already: it orders each entry's codes (areas not in it come last).
    """
    start = parse_date(since, "since", optional=True)
    end = parse_date(until, "until", optional=True)
    check_order(start, end, "since", "until")
    excerpt = func.substr(Evidence.narrative, 1, EXCERPT_CHARS + 1)
    query = (
        select(
            Evidence.id,
            Evidence.uid,
            Evidence.occurred_on,
            Evidence.title,
            excerpt,
            Evidence.source,
            # Stored strings, made members below: quicker than SQLAlchemy's per-value lookup.
            type_coerce(Evidence.recorded_by, String),
            type_coerce(Evidence.visibility, String),
        )
        .where(Evidence.record_id == record_id)
        .order_by(Evidence.occurred_on, Evidence.id)
    )
    if start is not None:
        query = query.where(Evidence.occurred_on >= start)
    if end is not None:
        query = query.where(Evidence.occurred_on <= end)
    if recorded_by is not None:
        query = query.where(
            Evidence.recorded_by == parse_enum(RecordedBy, recorded_by, "recorded_by")
        )
    if visibility is not None:
        query = _filter_visibility(query, [visibility])
    with db.read() as session:
        require_record(session, record_id)
        if area_code is not None:
            query = query.where(Evidence.id.in_(_tagged_under(session, area_code)))
        rows = session.execute(query).all()
        codes = _codes_by_entry(session, record_id, areas)
    return [
        EvidenceRow(
            id=row[0],
            uid=row[1],
            record_id=record_id,
            occurred_on=row[2],
            area_codes=codes.get(row[0], ()),
            title=row[3],
            excerpt=_excerpt(row[4]),
            source=row[5],
            recorded_by=_RECORDERS[row[6]],
            visibility=_VISIBILITIES[row[7]],
        )
        for row in rows
    ]


_RECORDERS = {member.value: member for member in RecordedBy}
_VISIBILITIES = {member.value: member for member in Visibility}


def coverage(
    db: Database,
    record_id: int,
    *,
    visibilities: Collection[Visibility | str] | None = None,
    areas: Sequence[AreaInfo] | None = None,
) -> list[AreaCoverage]:
    """Coverage of every area and sub-area for one record, in framework order.

    Args:
        areas: the framework (:func:`~mentor_desk.services.framework.list_areas`), if the caller
            has it already (the Evidence tab does): one query fewer.
    """
    with db.read() as session:
        require_record(session, record_id)
        by_record = coverage_by_record(session, [record_id], visibilities=visibilities, areas=areas)
        return by_record[record_id]


def gaps(db: Database, record_id: int) -> list[str]:
    """The codes of the areas and sub-areas with no evidence yet (optional ones excepted)."""
    return [row.code for row in coverage(db, record_id) if row.gap]


# --- changes ------------------------------------------------------------------------------------


def create_evidence(db: Database, record_id: int, data: EvidenceInput) -> EvidenceEntry:
    """File a new evidence entry under ``record_id``."""
    with db.write() as session:
        require_record(session, record_id)
        entry = Evidence(record_id=record_id)
        _apply(session, entry, data)
        session.add(entry)
        session.flush()
        return _entry(session, entry)


def update_evidence(db: Database, evidence_id: int, data: EvidenceInput) -> EvidenceEntry:
    """Replace every field of an entry with ``data``."""
    with db.write() as session:
        entry = _evidence_or_error(session, evidence_id)
        _apply(session, entry, data)
        session.flush()
        return _entry(session, entry)


def delete_evidence(db: Database, evidence_id: int) -> None:
    with db.write() as session:
        entry = _evidence_or_error(session, evidence_id)
        move_to_trash(session, "evidence", evidence_id)
        session.delete(entry)


# --- helpers ------------------------------------------------------------------------------------


def _apply(session: Session, entry: Evidence, data: EvidenceInput) -> None:
    """Validate ``data`` and copy it onto ``entry``; nothing is changed if any field is bad."""
    occurred_on = require_date(data.occurred_on, "occurred_on")
    title = require_text(data.title, "title", max_length=TITLE_MAX)
    narrative = clean_text(data.narrative, "narrative")
    source = optional_line(data.source, "source", max_length=SOURCE_MAX)
    recorded_by = parse_enum(RecordedBy, data.recorded_by, "recorded_by")
    visibility = parse_enum(Visibility, data.visibility, "visibility")
    areas = _resolve_areas(session, data.areas)
    entry.occurred_on = occurred_on
    entry.title = title
    entry.narrative = narrative
    entry.source = source
    entry.recorded_by = recorded_by
    entry.visibility = visibility
    entry.areas = areas


def _resolve_areas(session: Session, given: Sequence[str | int] | str | None) -> list[LmpArea]:
    if isinstance(given, str | int):
        given = [given]
    if not given:
        raise ValidationError("choose at least one area or sub-area", "areas")
    found: dict[int, LmpArea] = {}
    for item in given:
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise ValidationError(f"'{item}' is not an area code", "areas")
        area = session.get(LmpArea, item) if isinstance(item, int) else find_area(session, item)
        if area is None:
            raise ValidationError(f"there is no area '{item}' in the framework", "areas")
        found[area.id] = area
    return list(found.values())


def _tagged_under(session: Session, area_code: str) -> Select[tuple[int]]:
    """Ids of entries filed under the area or, for a top-level area, any of its sub-areas."""
    area = find_area(session, area_code)
    if area is None:
        raise ValidationError(f"there is no area '{area_code}' in the framework", "area_code")
    area_ids = select(LmpArea.id).where((LmpArea.id == area.id) | (LmpArea.parent_id == area.id))
    return select(evidence_areas.c.evidence_id).where(evidence_areas.c.area_id.in_(area_ids))


def _filter_visibility(
    query: Select[Any], visibilities: Collection[Visibility | str] | None
) -> Select[Any]:
    if visibilities is None:
        return query
    allowed = [parse_enum(Visibility, value, "visibility") for value in visibilities]
    return query.where(Evidence.visibility.in_(allowed))


def _codes_by_entry(
    session: Session, record_id: int, areas: Sequence[AreaInfo] | None = None
) -> dict[int, tuple[str, ...]]:
    """Area codes of each of a record's entries, in framework order, from one query."""
    framework = load_areas(session) if areas is None else areas
    order = {area.id: index for index, area in enumerate(framework)}
    pairs = session.execute(
        select(evidence_areas.c.evidence_id, evidence_areas.c.area_id, LmpArea.code)
        .join(Evidence, Evidence.id == evidence_areas.c.evidence_id)
        .join(LmpArea, LmpArea.id == evidence_areas.c.area_id)
        .where(Evidence.record_id == record_id)
    ).all()
    grouped: dict[int, list[tuple[int, str]]] = {}
    for evidence_id, area_id, code in pairs:
        grouped.setdefault(evidence_id, []).append((order.get(area_id, len(order)), code))
    return {key: tuple(code for _, code in sorted(items)) for key, items in grouped.items()}


def _excerpt(head: str | None) -> str:
    """One line from the first characters of a narrative, with "…" if the database holds more."""
    flat = " ".join((head or "").split())
    # Stored narratives carry no trailing space, so a head longer than the limit means more text.
    if len(head or "") > EXCERPT_CHARS:
        return flat[: EXCERPT_CHARS - 1].rstrip() + "…"
    return flat


def _evidence_or_error(session: Session, evidence_id: int) -> Evidence:
    entry = session.get(Evidence, evidence_id)
    if entry is None:
        raise NotFoundError("That evidence entry no longer exists. It may have been deleted.")
    return entry


def _entry(session: Session, entry: Evidence) -> EvidenceEntry:
    order = {area.id: index for index, area in enumerate(load_areas(session))}
    codes = tuple(area.code for area in sorted(entry.areas, key=lambda a: order.get(a.id, 0)))
    return EvidenceEntry(
        id=entry.id,
        uid=entry.uid,
        record_id=entry.record_id,
        occurred_on=entry.occurred_on,
        area_codes=codes,
        title=entry.title,
        narrative=entry.narrative,
        source=entry.source,
        recorded_by=entry.recorded_by,
        visibility=entry.visibility,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
    )
