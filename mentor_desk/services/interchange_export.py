"""Reading the program out in the interchange format, a table at a time.

:func:`export_tables` yields each table's encoded rows lazily inside one read unit, so a writer
can stream a file of any size without holding it (a whole program of 100,000 sessions made a
229 MB string and 1.5 GB of dicts when it was built in memory first). Only the small maps that
turn ids into uids, and the link lists, are read up front.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, select
from sqlalchemy.orm import Session

from mentor_desk.services.interchange_schema import (
    SPECS,
    TIMESTAMPS,
    Kind,
    Link,
    TableSpec,
    encode_value,
    iso_datetime,
)

__all__ = ["Scope", "encode_row", "export_tables", "table_rows"]

#: Where-clauses per table; a table without one is exported whole.
Scope = Mapping[str, ColumnElement[bool]]
UidMaps = Mapping[str, Mapping[Any, str]]
LinkLists = Mapping[tuple[str, str], Mapping[int, list[str]]]


def table_rows(
    session: Session, spec: TableSpec, where: ColumnElement[bool] | None
) -> Iterator[RowMapping]:
    """A table's rows in file order, read as they are written."""
    table = spec.table
    # Reference data by natural key, records in the order they were made: both survive an
    # import unchanged, so export -> import -> export gives the same order.
    order = [table.c[spec.natural_key]] if spec.natural_key else [table.c.created_at, table.c.uid]
    stmt = select(table).order_by(*order)
    if where is not None:
        stmt = stmt.where(where)
    for row in session.execute(stmt.execution_options(yield_per=2000)):
        yield row._mapping


def encode_row(
    spec: TableSpec, row: RowMapping, uid_of: UidMaps, links: LinkLists
) -> dict[str, Any]:
    """One row as a file record: references as uids, links as lists, timestamps last."""
    out = {
        f.key: encode_value(f, row[f.column], uid_of)
        for f in spec.fields
        if f.key not in TIMESTAMPS
    }
    for link in spec.links:
        out[link.key] = links[spec.name, link.key].get(row["id"], [])
    for key in TIMESTAMPS:
        out[key] = iso_datetime(row[key])
    return out


def export_tables(session: Session, scope: Scope) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """(table name, its encoded rows) for every table of the format, in format order.

    Each table's rows must be used up before the next table is asked for, inside ``session``.
    """
    uid_of = {
        name: dict(_uid_pairs(session, spec, scope.get(name)))
        for name, spec in SPECS.items()
        if spec.has_uid
    }
    links = {
        (spec.name, link.key): _link_values(session, link, scope)
        for spec in SPECS.values()
        for link in spec.links
    }
    for name, spec in SPECS.items():
        encode = _row_encoder(spec, uid_of, links)
        yield name, (encode(row) for row in table_rows(session, spec, scope.get(name)))


def _uid_pairs(
    session: Session, spec: TableSpec, where: ColumnElement[bool] | None
) -> list[tuple[int, str]]:
    stmt = select(spec.table.c.id, spec.table.c.uid)
    if where is not None:
        stmt = stmt.where(where)
    return [(identity, uid) for identity, uid in session.execute(stmt)]


def _link_values(session: Session, link: Link, scope: Scope) -> dict[int, list[str]]:
    """Owner id -> sorted names of its targets, leaving out targets the export does not hold
    (a link to another mentee's goal stays out of a one-mentee file)."""
    target = SPECS[link.target].table
    owner, target_id = link.table.c[link.owner_column], link.table.c[link.target_column]
    stmt = select(owner, target.c[link.by]).join(target, target.c.id == target_id)
    owner_table = next(iter(owner.foreign_keys)).column.table
    owner_scope = scope.get(owner_table.name)
    if owner_scope is not None:
        stmt = stmt.where(owner.in_(select(owner_table.c.id).where(owner_scope)))
    target_scope = scope.get(link.target)
    if target_scope is not None:
        stmt = stmt.where(target.c.id.in_(select(target.c.id).where(target_scope)))
    found: dict[int, list[str]] = defaultdict(list)
    for owner_id, value in session.execute(stmt):
        found[owner_id].append(value)
    return {owner_id: sorted(values) for owner_id, values in found.items()}


Encoder = Callable[[Any], Any]


def _row_encoder(
    spec: TableSpec, uid_of: UidMaps, links: LinkLists
) -> Callable[[RowMapping], dict[str, Any]]:
    """:func:`encode_row` for one table with the per-field decisions taken once, not per value
    (the same output; the interchange tests compare the two)."""
    plain: list[tuple[str, str, Encoder | None]] = []
    for f in spec.fields:
        if f.key not in TIMESTAMPS:
            plain.append((f.key, f.column, _value_encoder(f.kind, f.target, uid_of)))
    link_maps = [(link.key, links[spec.name, link.key]) for link in spec.links]

    def encode(row: RowMapping) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, column, convert in plain:
            value = row[column]
            out[key] = value if convert is None or value is None else convert(value)
        if link_maps:
            identity = row["id"]
            for key, lists in link_maps:
                out[key] = lists.get(identity, [])
        for key in TIMESTAMPS:
            out[key] = _utc_text(row[key])
        return out

    return encode


def _value_encoder(kind: Kind, target: str | None, uid_of: UidMaps) -> Encoder | None:
    if kind is Kind.REF:
        assert target is not None
        return uid_of[target].get  # None: outside a one-mentee export
    if kind is Kind.DATETIME:
        return _utc_text
    if kind is Kind.DATE:
        return date.isoformat
    if kind is Kind.ENUM:
        return lambda member: member.value
    return None


def _utc_text(value: datetime) -> str:
    """:func:`iso_datetime` for the aware UTC values the database gives back, without the
    time-zone conversion they do not need."""
    if value.tzinfo is UTC:
        text = value.isoformat()
        return text[:-6] + "Z"  # "+00:00"
    return iso_datetime(value)
