"""Merging a checked interchange file into a database, inside one write unit.

Records are matched by uid; reference data (tags, session types and templates, skill areas, LMP
areas, settings) first by their natural key, so a file lands on the defaults a new database was
seeded with instead of duplicating them. Every reference and every unique rule is checked against
the file *and* the database (:meth:`Merger.check`) before the first row is written
(:meth:`Merger.write`); both run in the caller's one write unit, so a failure changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Column, delete, func, insert, select, update
from sqlalchemy.orm import Session

from mentor_desk.services.bulk_index import index_after, worth_deferring
from mentor_desk.services.interchange_schema import (
    SPECS,
    WRITE_ORDER,
    Kind,
    Link,
    Row,
    TableSpec,
)

T = TypeVar("T")
#: Values per IN (...) query, under SQLite's oldest limit on bound parameters.
CHUNK = 900


@dataclass(frozen=True, slots=True)
class TableCounts:
    """What an import did to one table."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(slots=True)
class _Plan:
    """One file record on its way into the database."""

    row: Row
    identity: Any  # the primary key it has or will have
    new: bool
    values: dict[str, Any] = field(default_factory=dict)  # references resolved to ids
    links: dict[str, set[Any]] = field(default_factory=dict)
    changed: bool = False
    depth: int = 0
    keep_uid: bool = False  # the file's uid belongs to another row here


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Merger:
    """Plans, checks and writes one file's tables: :meth:`check`, then :meth:`write` if clean."""

    def __init__(
        self,
        session: Session,
        tables: dict[str, list[Row]],
        problems: list[str],
        ids: Mapping[str, Mapping[str, int]] | None = None,
    ):
        """``ids`` (table -> uid -> id) asks for these ids for new records where they are free:
        restoring a deleted item from the trash gives it back the ids it had."""
        self.session = session
        self.ids = ids or {}
        self.tables = tables
        self.problems = problems
        self.plans: dict[str, list[_Plan]] = {}
        self.by_uid: dict[str, dict[str, Any]] = defaultdict(dict)  # file, then database
        self.by_key: dict[str, dict[str, Any]] = defaultdict(dict)

    def check(self) -> None:
        """Match every record and check references and unique rules, adding to ``problems``."""
        for spec in WRITE_ORDER:
            self.plans[spec.name] = self._match(spec, self.tables.get(spec.name, []))
        self._resolve()
        for spec in WRITE_ORDER:
            self._check_unique(spec)
            self._check_parents(spec)

    def write(self, now: datetime) -> dict[str, TableCounts]:
        """Write the checked plan; ``now`` stamps rows whose file gives no timestamps."""
        for spec in WRITE_ORDER:
            self._write(spec, now)
        for spec in WRITE_ORDER:
            for link in spec.links:
                self._write_link(spec, link)
        return {
            name: TableCounts(
                created=sum(p.new for p in self.plans[name]),
                updated=sum(p.changed and not p.new for p in self.plans[name]),
                unchanged=sum(not p.changed and not p.new for p in self.plans[name]),
            )
            for name in SPECS
        }

    # --- matching -------------------------------------------------------------------------------

    def _match(self, spec: TableSpec, rows: list[Row]) -> list[_Plan]:
        table = spec.table
        if spec.natural_key is None:
            uids = [row.uid for row in rows if row.uid]
            found = self._db_uids(spec, uids)
            free = self._free_ids(spec, [row.uid for row in rows if row.uid not in found])
            next_id = max(self._next_id(spec), max(free.values(), default=0) + 1)
            plans = []
            for row in rows:
                identity = found.get(row.uid, free.get(row.uid))  # type: ignore[arg-type]
                if identity is None:
                    identity, next_id = next_id, next_id + 1
                plans.append(_Plan(row, identity, row.uid not in found))
                self.by_uid[spec.name][row.uid] = identity  # type: ignore[index]
            return plans
        # Reference data: small tables, loaded whole and matched by natural key, then by uid.
        key_column = table.c[spec.natural_key]
        columns = [table.c[spec.identity], key_column]
        if spec.has_uid:
            columns.append(table.c.uid)
        db_rows = self.session.execute(select(*columns)).all()
        db_exact = {r[1]: r[0] for r in db_rows}
        db_keys = {spec.fold(r[1]): r[0] for r in db_rows}
        db_names = {r[0]: spec.fold(r[1]) for r in db_rows}
        db_uids = {r[2]: r[0] for r in db_rows} if spec.has_uid else {}
        self.by_key[spec.name].update(db_keys)
        self.by_uid[spec.name].update(db_uids)
        next_id = self._next_id(spec) if spec.has_uid else None
        claimed: dict[Any, int] = {}
        plans = []
        for row in rows:
            name = row.values.get(spec.natural_key, "")
            key = spec.fold(name)
            # An exact match first: rows made outside the services may differ only in case.
            identity = db_exact.get(name, db_keys.get(key))
            if identity is None and row.uid is not None:
                identity = db_uids.get(row.uid)
            if identity is not None and claimed.setdefault(identity, row.index) != row.index:
                self.problems.append(
                    f"{spec.name}[{row.index}]: matches the same {spec.label} in this database as "
                    f"{spec.name}[{claimed[identity]}] (by name, code or uid); rename one of them"
                )
                continue
            plan = _Plan(row, identity, identity is None)
            if plan.new:
                plan.identity = row.values.get(spec.natural_key) if next_id is None else next_id
                next_id = None if next_id is None else next_id + 1
            elif row.uid is not None:
                plan.keep_uid = db_uids.get(row.uid, identity) != identity
            if not plan.new and db_names.get(identity, key) != key:
                # Matched by uid and renamed: after the import no row answers to the old name,
                # so a link naming it must be reported, not resolved to the renamed row.
                old = db_names[identity]
                if self.by_key[spec.name].get(old) == identity:
                    del self.by_key[spec.name][old]
            plans.append(plan)
            identity = plan.identity
            self.by_key[spec.name][key] = identity
            if row.uid is not None:
                self.by_uid[spec.name][row.uid] = identity
        return plans

    def _db_uids(self, spec: TableSpec, uids: Sequence[str]) -> dict[str, int]:
        table = spec.table
        found: dict[str, int] = {}
        for part in chunks(sorted(set(uids))):
            stmt = select(table.c.uid, table.c.id).where(table.c.uid.in_(part))
            found.update({uid: identity for uid, identity in self.session.execute(stmt)})
        return found

    def _free_ids(self, spec: TableSpec, uids: Sequence[str | None]) -> dict[str, int]:
        """The wanted ids (see ``ids``) of these new records that no row holds yet."""
        new = set(uids)
        wanted = {uid: i for uid, i in self.ids.get(spec.name, {}).items() if uid in new}
        taken: set[int] = set()
        for part in chunks(sorted(set(wanted.values()))):
            taken.update(
                self.session.scalars(select(spec.table.c.id).where(spec.table.c.id.in_(part)))
            )
        return {uid: i for uid, i in wanted.items() if i not in taken}

    def _next_id(self, spec: TableSpec) -> int:
        # Inside BEGIN IMMEDIATE nobody else can insert, so ids can be handed out up front.
        return int(self.session.scalar(select(func.max(spec.table.c.id))) or 0) + 1

    # --- references -----------------------------------------------------------------------------

    def _resolve(self) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        for spec, plan in self._all_plans():
            for f in spec.fields:
                value = plan.row.values.get(f.column)
                if f.kind is Kind.REF and value is not None and value not in self.by_uid[f.target]:
                    wanted[f.target].add(value)  # type: ignore[index]
            for link in spec.links:
                if link.by == "uid":
                    names = plan.row.links.get(link.key, [])
                    wanted[link.target].update(
                        n for n in names if n not in self.by_uid[link.target]
                    )
        for name, uids in wanted.items():
            self.by_uid[name].update(self._db_uids(SPECS[name], sorted(uids)))
        for spec, plan in self._all_plans():
            self._resolve_plan(spec, plan)

    def _all_plans(self) -> Iterator[tuple[TableSpec, _Plan]]:
        for spec in WRITE_ORDER:
            for plan in self.plans[spec.name]:
                yield spec, plan

    def _resolve_plan(self, spec: TableSpec, plan: _Plan) -> None:
        where = f"{spec.name}[{plan.row.index}]"
        for f in spec.fields:
            if f.column not in plan.row.values or (f.kind is Kind.UID and plan.keep_uid):
                continue
            value = plan.row.values[f.column]
            if f.kind is Kind.REF and value is not None:
                assert f.target is not None
                value = self.by_uid[f.target].get(value)
                if value is None:
                    target = SPECS[f.target].label
                    self.problems.append(
                        f"{where}.{f.key}: no {target} with uid '{plan.row.values[f.column]}' "
                        "in the file or in this database"
                    )
            plan.values[f.column] = value
        for link in spec.links:
            if link.key in plan.row.links:
                names = plan.row.links[link.key]
                found = self._link_targets(link, names, f"{where}.{link.key}") if names else set()
                plan.links[link.key] = found

    def _link_targets(self, link: Link, names: list[str], where: str) -> set[Any]:
        target = SPECS[link.target]
        found = set()
        for position, name in enumerate(names):
            if link.by == "uid":
                identity = self.by_uid[link.target].get(name)
                described = f"with uid '{name}'"
            else:
                identity = self.by_key[link.target].get(target.fold(name))
                described = f"'{name}'"
            if identity is None:
                self.problems.append(
                    f"{where}[{position}]: no {target.label} {described} in the file or in this "
                    "database"
                )
            found.add(identity)
        return found

    # --- rules across rows ----------------------------------------------------------------------

    def _check_unique(self, spec: TableSpec) -> None:
        table = spec.table
        for columns in spec.unique_keys:
            stmt = select(table.c[spec.identity], *(table.c[c] for c in columns))
            final = {r[0]: tuple(r[1:]) for r in self.session.execute(stmt)}
            for plan in self.plans[spec.name]:
                old = final.get(plan.identity, (None,) * len(columns))
                final[plan.identity] = tuple(
                    plan.values.get(c, old[i]) for i, c in enumerate(columns)
                )
            holders: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
            for identity, key in final.items():
                if None not in key:
                    holders[key].append(identity)
            keys = ", ".join(f.key for f in spec.fields if f.column in columns)
            for plan in self.plans[spec.name]:
                if len(holders.get(final[plan.identity], ())) > 1:
                    self.problems.append(
                        f"{spec.name}[{plan.row.index}]: another {spec.label} in the file or in "
                        f"this database has the same {keys}"
                    )

    def _check_parents(self, spec: TableSpec) -> None:
        parent = spec.parent_field
        if parent is None:
            return
        table = spec.table
        links = dict(
            self.session.execute(select(table.c[spec.identity], table.c[parent.column])).all()
        )
        for plan in self.plans[spec.name]:
            links[plan.identity] = plan.values.get(parent.column, links.get(plan.identity))
        for plan in self.plans[spec.name]:
            step, seen = plan.identity, set()
            while (step := links.get(step)) is not None and step not in seen:
                seen.add(step)
            plan.depth = len(seen)
            if step is not None:
                self.problems.append(
                    f"{spec.name}[{plan.row.index}].{parent.key}: makes the {spec.label} its own "
                    "ancestor"
                )

    # --- writing --------------------------------------------------------------------------------

    def _write(self, spec: TableSpec, now: datetime) -> None:
        plans = sorted(self.plans[spec.name], key=lambda p: p.depth)
        for depth in sorted({p.depth for p in plans}):
            level = [p for p in plans if p.depth == depth]
            fresh = [p for p in level if p.new]
            if fresh:
                defaults = {c.name: _default(c, now) for c in spec.table.columns}
                rows = [{**defaults, spec.identity: p.identity, **p.values} for p in fresh]
                table = spec.table.name
                if worth_deferring(self.session, table, len(rows)):
                    with index_after(self.session, table):
                        self.session.execute(insert(spec.table), rows)
                else:
                    self.session.execute(insert(spec.table), rows)
            self._update(spec, [p for p in level if not p.new])

    def _update(self, spec: TableSpec, plans: list[_Plan]) -> None:
        key = spec.table.c[spec.identity]
        for part in chunks(plans):
            stmt = select(spec.table).where(key.in_([p.identity for p in part]))
            current = {r._mapping[key]: r._mapping for r in self.session.execute(stmt)}
            for plan in part:
                before = current[plan.identity]
                changes = {c: v for c, v in plan.values.items() if before[spec.table.c[c]] != v}
                if not changes:
                    continue
                plan.changed = True
                if "updated_at" in plan.values:  # keep the file's, not the onupdate "now"
                    changes["updated_at"] = plan.values["updated_at"]
                self.session.execute(update(spec.table).where(key == plan.identity).values(changes))

    def _write_link(self, spec: TableSpec, link: Link) -> None:
        owner, target = link.table.c[link.owner_column], link.table.c[link.target_column]
        plans = [p for p in self.plans[spec.name] if link.key in p.links]
        current: dict[Any, set[Any]] = defaultdict(set)
        old = [p.identity for p in plans if not p.new]
        for part in chunks(old):
            stmt = select(owner, target).where(owner.in_(part))
            for owner_id, target_id in self.session.execute(stmt):
                current[owner_id].add(target_id)
        added = []
        for plan in plans:
            wanted, have = plan.links[link.key], current.get(plan.identity, set())
            if wanted == have:
                continue
            plan.changed = True
            if have - wanted:
                stmt = delete(link.table).where(owner == plan.identity)
                self.session.execute(stmt.where(target.in_(sorted(have - wanted))))
            added += [
                {link.owner_column: plan.identity, link.target_column: t}
                for t in sorted(wanted - have)
            ]
        if added:
            self.session.execute(insert(link.table), added)


def _default(column: Column[Any], now: datetime) -> Any:
    """The value a new row gets for a column the file leaves out."""
    if column.default is None:
        return None
    if column.name in ("created_at", "updated_at"):
        return now
    arg = column.default.arg  # type: ignore[attr-defined]
    return arg(None) if callable(arg) else arg
