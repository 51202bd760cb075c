"""Snapshots of part of the program in the interchange format, for the trash.

A snapshot is a record and everything its deletion cascades to (a mentee with their sessions,
goals, LMP record...), written with the same row encoders as an export: references as uids, links
as lists on their owner. Restoring it is an import of those rows (merge by uid) in the caller's
unit of work, asking the merger for the records' old ids. References from *outside* the snapshot
that the database would drop or set to NULL on delete (feedback given in a deleted session, a
session linked to a deleted goal) are recorded beside it and put back on restore.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, insert, not_, or_, select, update
from sqlalchemy.orm import Session

from mentor_desk.db.base import utcnow
from mentor_desk.errors import ImportFileError
from mentor_desk.services.interchange_export import encode_row, table_rows
from mentor_desk.services.interchange_merge import Merger, chunks
from mentor_desk.services.interchange_schema import (
    SPECS,
    WRITE_ORDER,
    Field,
    Kind,
    Link,
    TableSpec,
    decode_tables,
    natural_fold,
)

__all__ = [
    "export_rows",
    "import_snapshot",
    "missing_parents",
    "outside_links",
    "restore_outside_links",
    "subtree_scope",
]

Scope = dict[str, ColumnElement[bool]]


def _on_delete(spec: TableSpec, f: Field) -> str:
    return str(next(iter(spec.table.c[f.column].foreign_keys)).ondelete or "").upper()


def _refs(spec: TableSpec) -> list[Field]:
    return [f for f in spec.fields if f.kind is Kind.REF]


def subtree_scope(table: str, row_id: int) -> Scope:
    """Where-clauses selecting a record and every record its deletion cascades to."""
    scope: Scope = {table: SPECS[table].table.c.id == row_id}
    for spec in WRITE_ORDER:  # parents before children, so one pass reaches every level
        if spec.natural_key or spec.name == table:
            continue
        parts = [
            spec.table.c[f.column].in_(select(SPECS[f.target].table.c.id).where(scope[f.target]))
            for f in _refs(spec)
            if f.target in scope and _on_delete(spec, f) == "CASCADE"
        ]
        if parts:
            scope[spec.name] = or_(*parts)
    return scope


def _uids(session: Session, table: str, ids: Iterable[int]) -> dict[int, str]:
    t = SPECS[table].table
    found: dict[int, str] = {}
    for part in chunks(sorted(ids)):
        found.update(session.execute(select(t.c.id, t.c.uid).where(t.c.id.in_(part))).all())
    return found


def _link_lists(session: Session, link: Link, owners: list[int]) -> dict[int, list[str]]:
    target = SPECS[link.target].table
    owner, target_id = link.table.c[link.owner_column], link.table.c[link.target_column]
    found: dict[int, list[str]] = defaultdict(list)
    for part in chunks(owners):
        stmt = select(owner, target.c[link.by]).join(target, target.c.id == target_id)
        for owner_id, value in session.execute(stmt.where(owner.in_(part))):
            found[owner_id].append(value)
    return {owner_id: sorted(values) for owner_id, values in found.items()}


def export_rows(session: Session, scope: Scope) -> dict[str, list[dict[str, Any]]]:
    """The rows of ``scope``, per table, encoded exactly as :func:`export_data` writes them.

    Unlike an export, references to rows outside the scope (the session's mentee, its session
    type) keep their target's uid, and links keep every target.
    """
    rows = {name: list(table_rows(session, SPECS[name], where)) for name, where in scope.items()}
    uid_of: dict[str, dict[Any, str]] = {
        name: {r["id"]: r["uid"] for r in rows[name]} for name in rows
    }
    for name, found in rows.items():
        for f in _refs(SPECS[name]):
            assert f.target is not None
            known = uid_of.setdefault(f.target, {})
            outside = {r[f.column] for r in found} - set(known) - {None}
            known.update(_uids(session, f.target, outside))
    links = {
        (name, link.key): _link_lists(session, link, [r["id"] for r in rows[name]])
        for name in rows
        for link in SPECS[name].links
    }
    return {
        name: [encode_row(SPECS[name], r, uid_of, links) for r in found]
        for name, found in rows.items()
    }


def outside_links(session: Session, scope: Scope) -> list[dict[str, str]]:
    """References into ``scope`` from rows outside it that its deletion would unset or drop."""
    found: list[dict[str, str]] = []
    for spec in WRITE_ORDER:
        if spec.natural_key:
            continue
        outside = None
        if spec.name in scope:
            outside = not_(spec.table.c.id.in_(select(spec.table.c.id).where(scope[spec.name])))
        for f in _refs(spec):
            if f.target not in scope or _on_delete(spec, f) != "SET NULL":
                continue
            target = SPECS[f.target].table
            stmt = select(spec.table.c.uid, target.c.uid).join(
                target, target.c.id == spec.table.c[f.column]
            )
            stmt = stmt.where(target.c.id.in_(select(target.c.id).where(scope[f.target])))
            for uid, target_uid in session.execute(
                stmt if outside is None else stmt.where(outside)
            ):
                found.append({"table": spec.name, "uid": uid, "field": f.key, "target": target_uid})
        for link in spec.links:
            if link.target not in scope or link.by != "uid":
                continue
            target = SPECS[link.target].table
            owner = link.table.c[link.owner_column]
            stmt = (
                select(spec.table.c.uid, target.c.uid)
                .join(link.table, owner == spec.table.c.id)
                .join(target, target.c.id == link.table.c[link.target_column])
                .where(target.c.id.in_(select(target.c.id).where(scope[link.target])))
            )
            for uid, target_uid in session.execute(
                stmt if outside is None else stmt.where(outside)
            ):
                found.append(
                    {"table": spec.name, "uid": uid, "link": link.key, "target": target_uid}
                )
    return found


def _existing(session: Session, table: str, uids: Iterable[str]) -> dict[str, int]:
    t = SPECS[table].table
    found: dict[str, int] = {}
    for part in chunks(sorted(set(uids))):
        found.update(session.execute(select(t.c.uid, t.c.id).where(t.c.uid.in_(part))).all())
    return found


def _snapshot_uids(tables: Mapping[str, list[dict[str, Any]]]) -> dict[str, set[str]]:
    return {name: {r["uid"] for r in rows if "uid" in r} for name, rows in tables.items()}


def _outside_refs(
    tables: Mapping[str, list[dict[str, Any]]],
) -> dict[tuple[str, str], set[str]]:
    """(target table, on-delete rule) -> uids referenced by the snapshot but not in it."""
    inside = _snapshot_uids(tables)
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, rows in tables.items():
        spec = SPECS[name]
        for f in _refs(spec):
            assert f.target is not None
            for row in rows:
                uid = row.get(f.key)
                if uid is not None and uid not in inside.get(f.target, ()):
                    wanted[f.target, _on_delete(spec, f)].add(uid)
    return wanted


def missing_parents(
    session: Session, tables: Mapping[str, list[dict[str, Any]]]
) -> list[tuple[str, str]]:
    """(table, uid) of rows the snapshot belongs to that are gone (a lone session's mentee)."""
    missing = []
    for (target, rule), uids in _outside_refs(tables).items():
        if rule != "SET NULL":
            missing += [
                (target, uid) for uid in sorted(uids - set(_existing(session, target, uids)))
            ]
    return missing


def _pruned(session: Session, tables: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The snapshot without references the database itself would have unset or dropped since:
    a deleted session type, tag or LMP area, a goal deleted after the session linking to it."""
    gone: dict[str, set[str]] = defaultdict(set)
    for (target, rule), uids in _outside_refs(tables).items():
        if rule == "SET NULL":
            gone[target] |= uids - set(_existing(session, target, uids))
    inside = _snapshot_uids(tables)
    out: dict[str, Any] = {}
    for name, rows in tables.items():
        spec = SPECS[name]
        nulled = [f for f in _refs(spec) if _on_delete(spec, f) == "SET NULL"]
        kept = []
        for row in rows:
            row = {**row, **{f.key: None for f in nulled if row.get(f.key) in gone[f.target]}}
            for link in spec.links:
                row[link.key] = _present(session, link, row.get(link.key, []), inside)
            kept.append(row)
        out[name] = kept
    return out


def _present(
    session: Session, link: Link, names: list[str], inside: dict[str, set[str]]
) -> list[str]:
    if not names:
        return names
    target = SPECS[link.target]
    if link.by == "uid":
        have = inside.get(link.target, set()) | set(_existing(session, link.target, names))
        return [n for n in names if n in have]
    folded = {natural_fold(v) for v in session.scalars(select(target.table.c[link.by]))}
    return [n for n in names if natural_fold(n) in folded]


def import_snapshot(
    session: Session,
    tables: Mapping[str, list[dict[str, Any]]],
    *,
    ids: Mapping[str, Mapping[str, int]] | None = None,
) -> None:
    """Merge a snapshot's rows back in the caller's unit of work (check everything, then write).

    Raises:
        ImportFileError: the rows do not fit the database any more; ``problems`` says where.
    """
    problems: list[str] = []
    rows = decode_tables(_pruned(session, tables), problems)
    merger = Merger(session, rows, problems, ids)
    if not problems:
        merger.check()
    if problems:
        raise ImportFileError("The deleted item no longer fits the database", problems)
    merger.write(utcnow())


def restore_outside_links(session: Session, relinks: list[dict[str, str]]) -> None:
    """Put back :func:`outside_links` whose owner and target both exist again."""
    for item in relinks:
        spec = SPECS[item["table"]]
        owner = _existing(session, spec.name, [item["uid"]]).get(item["uid"])
        if owner is None:
            continue
        if "field" in item:
            f = spec.field(item["field"])
            assert f.target is not None
            target = _existing(session, f.target, [item["target"]]).get(item["target"])
            column = spec.table.c[f.column]
            if target is not None:
                stmt = update(spec.table).where(spec.table.c.id == owner, column.is_(None))
                # Relinking is not an edit: the row keeps the time it was last changed.
                session.execute(
                    stmt.values({f.column: target, "updated_at": spec.table.c.updated_at})
                )
            continue
        link = next(x for x in spec.links if x.key == item["link"])
        target = _existing(session, link.target, [item["target"]]).get(item["target"])
        pair = {link.owner_column: owner, link.target_column: target}
        exists = select(link.table).filter_by(**pair)
        if target is not None and session.execute(exists).first() is None:
            session.execute(insert(link.table).values(pair))
