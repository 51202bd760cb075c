"""The Mentor Desk interchange format, version 1: its tables, its fields and how values are written.

The fields are read from the ORM models, so a column added to a model is exported without further
work; the rules for each kind of column (text, date, reference...) live here, and
``docs/interchange.md`` describes the result for people. Reading a file is checked here too: every
problem is collected with its location (``sessions[3].started_at``) before anything is written.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Column, Date, Integer, String, Table, UniqueConstraint
from sqlalchemy import Enum as SqlEnum

from mentor_desk.db.base import Base, UTCDateTime
from mentor_desk.db.models import (
    ActionItem,
    Evidence,
    Feedback,
    Goal,
    GoalCheckin,
    LmpArea,
    LmpPresentation,
    LmpRecord,
    Mentee,
    MentoringSession,
    Milestone,
    ScpaUpdate,
    SessionTemplate,
    SessionType,
    Setting,
    SkillArea,
    SkillAssessment,
    Tag,
    evidence_areas,
    mentee_tags,
    session_goals,
    session_tags,
)
from mentor_desk.errors import ValidationError
from mentor_desk.services.templates import MAX_CADENCE_DAYS, MAX_SESSION_MINUTES
from mentor_desk.services.validation import (
    MAX_TEXT,
    check_email,
    check_range,
    clean_text,
    parse_date,
    parse_datetime,
    parse_enum,
    require_text,
)

FORMAT = "mentor-desk"
FORMAT_VERSION = 1
TIMESTAMPS = ("created_at", "updated_at")
#: What a uid may look like: the app writes 32 hex digits; hand-written files may use short ones.
UID_PATTERN = re.compile(r"[0-9A-Za-z_-]{1,32}")
#: Integers without a domain range (positions) stay well inside SQLite's 64-bit integers.
INT_MAX = 2**31 - 1
#: Domain ranges of integer columns, by column name.
BOUNDS: dict[str, tuple[int, int]] = {
    "progress": (0, 100),
    "level": (0, 10),
    "duration_minutes": (1, MAX_SESSION_MINUTES),
    "default_minutes": (1, MAX_SESSION_MINUTES),
    "cadence_days": (1, MAX_CADENCE_DAYS),
}


class Kind(enum.StrEnum):
    """How a column's values are written in a file and checked when read back."""

    UID = "uid"
    REF = "ref"
    TEXT = "text"
    EMAIL = "email"
    INT = "int"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    ENUM = "enum"


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a record: ``key`` in the file, ``column`` in the table."""

    key: str
    column: str
    kind: Kind
    required: bool
    nullable: bool
    target: str | None = None
    enum_cls: type[enum.Enum] | None = None
    bounds: tuple[int, int] = (0, INT_MAX)
    max_length: int = MAX_TEXT


@dataclass(frozen=True, slots=True)
class Link:
    """An association table, written as a list on its owner (``sessions[i].goal_uids``).

    ``by`` is the target column that names a target in the list: its uid or its natural key.
    """

    key: str
    table: Table
    owner_column: str
    target_column: str
    target: str
    by: str


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One table of the format: its key in the file, its fields, and how its rows are matched."""

    name: str
    table: Table
    label: str
    natural_key: str | None
    fields: tuple[Field, ...]
    links: tuple[Link, ...] = ()

    @property
    def has_uid(self) -> bool:
        return "uid" in self.table.c

    @property
    def identity(self) -> str:
        """The primary-key column (``id``, or ``key`` for settings)."""
        return next(iter(self.table.primary_key.columns)).name

    def fold(self, value: str) -> str:
        """A natural key as it is compared: names and codes regardless of case, as the services
        compare them; setting keys exactly."""
        return natural_fold(value) if self.has_uid else value

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    @property
    def parent_field(self) -> Field | None:
        """The reference to a row of the same table (an LMP area's parent), if any."""
        return next((f for f in self.fields if f.target == self.name), None)

    @property
    def unique_keys(self) -> tuple[tuple[str, ...], ...]:
        """Unique column sets besides the uid and natural key (one LMP record per mentee)."""
        handled = {("uid",), (self.natural_key,), (self.identity,)}
        found = (
            tuple(c.name for c in constraint.columns)
            for constraint in self.table.constraints
            if isinstance(constraint, UniqueConstraint)
        )
        return tuple(sorted(key for key in found if key not in handled))


def _kind(column: Column[Any]) -> Kind:
    if column.foreign_keys:
        return Kind.REF
    if column.name == "uid":
        return Kind.UID
    if column.name == "email":
        return Kind.EMAIL
    kinds: tuple[tuple[type[Any], Kind], ...] = (
        (UTCDateTime, Kind.DATETIME),
        (SqlEnum, Kind.ENUM),  # before String: an Enum is a String
        (Boolean, Kind.BOOL),
        (Date, Kind.DATE),
        (Integer, Kind.INT),
        (String, Kind.TEXT),
    )
    for type_, kind in kinds:
        if isinstance(column.type, type_):
            return kind
    raise TypeError(f"the interchange format has no rule for column {column}")  # a new type


def _field(column: Column[Any]) -> Field:
    kind = _kind(column)
    target = next(iter(column.foreign_keys)).column.table.name if column.foreign_keys else None
    return Field(
        key=column.name.removesuffix("_id") + "_uid" if kind is Kind.REF else column.name,
        column=column.name,
        kind=kind,
        required=kind is Kind.UID or (not column.nullable and column.default is None),
        nullable=bool(column.nullable),
        target=target,
        enum_cls=column.type.enum_class if kind is Kind.ENUM else None,  # type: ignore[attr-defined]
        bounds=BOUNDS.get(column.name, (0, INT_MAX)),
        max_length=getattr(column.type, "length", None) or MAX_TEXT,
    )


def _spec(
    name: str,
    model: type[Base],
    label: str,
    natural_key: str | None = None,
    links: tuple[Link, ...] = (),
) -> TableSpec:
    table: Table = model.__table__  # type: ignore[assignment]
    columns = [c for c in table.columns if c.name not in ("id", "uid", *TIMESTAMPS)]
    ordered = [table.c[n] for n in ("uid",) if n in table.c] + columns
    ordered += [table.c[n] for n in TIMESTAMPS]
    return TableSpec(name, table, label, natural_key, tuple(_field(c) for c in ordered), links)


_TAGS = "tags", "name"

#: Every table in the order it appears in a file.
SPECS: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        _spec(
            "mentees",
            Mentee,
            "mentee",
            links=(Link("tags", mentee_tags, "mentee_id", "tag_id", *_TAGS),),
        ),
        _spec(
            "sessions",
            MentoringSession,
            "session",
            links=(
                Link("goal_uids", session_goals, "session_id", "goal_id", "goals", "uid"),
                Link("tags", session_tags, "session_id", "tag_id", *_TAGS),
            ),
        ),
        _spec("action_items", ActionItem, "action item"),
        _spec("feedback", Feedback, "feedback record"),
        _spec("goals", Goal, "goal"),
        _spec("milestones", Milestone, "milestone"),
        _spec("goal_checkins", GoalCheckin, "goal check-in"),
        _spec("skill_areas", SkillArea, "skill area", "name"),
        _spec("skill_assessments", SkillAssessment, "skill assessment"),
        _spec("session_types", SessionType, "session type", "name"),
        _spec("session_templates", SessionTemplate, "session template", "name"),
        _spec("lmp_areas", LmpArea, "LMP area", "code"),
        _spec("lmp_records", LmpRecord, "LMP record"),
        _spec("lmp_presentations", LmpPresentation, "LMP presentation"),
        _spec(
            "evidence",
            Evidence,
            "evidence entry",
            links=(
                Link("area_codes", evidence_areas, "evidence_id", "area_id", "lmp_areas", "code"),
            ),
        ),
        _spec("scpa_updates", ScpaUpdate, "SCPA update"),
        _spec("tags", Tag, "tag", "name"),
        _spec("settings", Setting, "setting", "key"),
    )
}

#: The tables in an order where every reference points at a table written earlier.
WRITE_ORDER: tuple[TableSpec, ...] = tuple(
    SPECS[t.name] for t in Base.metadata.sorted_tables if t.name in SPECS
)


def natural_fold(value: str) -> str:
    """The form natural keys are compared in: the services treat "Testing" and "testing" alike."""
    return " ".join(unicodedata.normalize("NFC", value).split()).casefold()


# --- writing values -----------------------------------------------------------------------------


def iso_datetime(value: datetime) -> str:
    """UTC with a ``Z``: ``2026-03-02T04:00:00Z`` (microseconds only when there are some)."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def encode_value(spec_field: Field, value: Any, uid_of: Mapping[str, Mapping[Any, str]]) -> Any:
    """A column value as it appears in a file; references become the target's uid."""
    if value is None:
        return None
    if spec_field.kind is Kind.REF:
        assert spec_field.target is not None
        return uid_of[spec_field.target].get(value)  # None: outside a one-mentee export
    if spec_field.kind is Kind.DATETIME:
        return iso_datetime(value)
    if spec_field.kind is Kind.DATE:
        return value.isoformat()
    if spec_field.kind is Kind.ENUM:
        return value.value
    return value


# --- reading values -----------------------------------------------------------------------------


def _text(spec_field: Field, value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ValidationError("must be text", where)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("contains a character that is not valid Unicode", where) from None
    # The shared validators check; the text itself is kept exactly as written, so an import
    # gives back precisely what was exported.
    if spec_field.required:
        require_text(value, where, max_length=spec_field.max_length)
    elif spec_field.kind is Kind.EMAIL:
        check_email(value, where)
    elif len(value) * 3 > spec_field.max_length:
        # Cleaning can only fail on length, and NFC at most triples a text (UAX #15), so shorter
        # texts (every note in a real program) skip normalising a copy that is thrown away.
        clean_text(value, where, max_length=spec_field.max_length)
    return value


def _integer(spec_field: Field, value: Any, where: str) -> int:
    low, high = spec_field.bounds
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"must be a whole number from {low} to {high}", where)
    if isinstance(value, float) and not value.is_integer():
        raise ValidationError(f"must be a whole number from {low} to {high}, not {value}", where)
    return check_range(value, where, low, high)


def _checked_str(value: Any, where: str, what: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"must be {what}", where)
    return value


def _uid(value: Any, where: str) -> str:
    if not isinstance(value, str) or not UID_PATTERN.fullmatch(value):
        raise ValidationError("must be a uid: 1 to 32 letters, digits, '-' or '_'", where)
    return value


def _bool(_field: Field, value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError("must be true or false", where)
    return value


def _date(spec_field: Field, value: Any, where: str) -> date | None:
    text = _checked_str(value, where, "a date (YYYY-MM-DD)")
    return parse_date(text, where, optional=spec_field.nullable)


def _datetime(_field: Field, value: Any, where: str) -> datetime:
    text = _checked_str(value, where, "a date and time (2026-03-02T09:30:00Z)")
    try:
        return parse_datetime(text, where).astimezone(UTC)
    except (OverflowError, OSError):  # years 1 and 9999 near a time-zone shift
        raise ValidationError(f"'{value}' is out of range", where) from None


def _enum(spec_field: Field, value: Any, where: str) -> enum.Enum:
    assert spec_field.enum_cls is not None
    if not isinstance(value, str):
        choices = ", ".join(str(m.value) for m in spec_field.enum_cls)
        raise ValidationError(f"must be one of: {choices}", where)
    return parse_enum(spec_field.enum_cls, value, where, optional=spec_field.nullable)


_DECODERS: dict[Kind, Callable[[Field, Any, str], Any]] = {
    Kind.UID: lambda _field, value, where: _uid(value, where),
    Kind.REF: lambda _field, value, where: _uid(value, where),
    Kind.TEXT: _text,
    Kind.EMAIL: _text,
    Kind.INT: _integer,
    Kind.BOOL: _bool,
    Kind.DATE: _date,
    Kind.DATETIME: _datetime,
    Kind.ENUM: _enum,
}


def decode_value(spec_field: Field, value: Any, where: str) -> Any:
    """The Python value for a file value, or ValidationError saying what is wrong and where."""
    if value is None:
        if spec_field.nullable:
            return None
        raise ValidationError("must not be null", where)
    return _DECODERS[spec_field.kind](spec_field, value, where)


# --- reading a whole file -----------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One record read from a file: its column values (references still as uids) and links."""

    index: int
    values: dict[str, Any]
    links: dict[str, list[str]] = field(default_factory=dict)

    @property
    def uid(self) -> str | None:
        return self.values.get("uid")


def _link_names(link: Link, value: Any, where: str, problems: list[str]) -> list[str] | None:
    if not isinstance(value, list):
        problems.append(f"{where}: must be a list")
        return None
    names: dict[str, None] = {}
    for position, item in enumerate(value):
        item_where = f"{where}[{position}]"
        try:
            if link.by == "uid":
                names[_uid(item, item_where)] = None
            else:
                names[require_text(_checked_str(item, item_where, "text"), item_where)] = None
        except ValidationError as exc:
            problems.append(str(exc))
    return list(names)


def decode_row(spec: TableSpec, index: int, item: Any, problems: list[str]) -> Row | None:
    """Check one record, adding every problem to ``problems``; None if it is not an object."""
    where = f"{spec.name}[{index}]"
    if not isinstance(item, dict):
        problems.append(f"{where}: must be an object")
        return None
    row = Row(index, {})
    known = {f.key for f in spec.fields} | {link.key for link in spec.links}
    problems.extend(
        f"{where}.{key}: is not a field of {spec.name}" for key in item if key not in known
    )
    for spec_field in spec.fields:
        if spec_field.key not in item:
            if spec_field.required:
                problems.append(f"{where}.{spec_field.key}: is required")
            continue
        try:
            row.values[spec_field.column] = decode_value(
                spec_field, item[spec_field.key], f"{where}.{spec_field.key}"
            )
        except ValidationError as exc:
            problems.append(str(exc))
    for link in spec.links:
        if link.key in item:
            names = _link_names(link, item[link.key], f"{where}.{link.key}", problems)
            if names is not None:
                row.links[link.key] = names
    return row


def _duplicates(
    spec: TableSpec, rows: Iterable[Row], column: str, fold: Callable[[str], str]
) -> list[str]:
    seen: dict[str, int] = {}
    found = []
    for row in rows:
        value = row.values.get(column)
        if not isinstance(value, str):
            continue
        first = seen.setdefault(fold(value), row.index)
        if first != row.index:
            key = spec.field(column).key
            found.append(f"{spec.name}[{row.index}].{key}: the same as {spec.name}[{first}]")
    return found


def decode_tables(document: Mapping[str, Any], problems: list[str]) -> dict[str, list[Row]]:
    """Check every table of a file; problems are added to ``problems`` with their location."""
    tables: dict[str, list[Row]] = {}
    for spec in SPECS.values():
        items = document.get(spec.name, [])
        if not isinstance(items, list):
            problems.append(f"{spec.name}: must be a list")
            items = []
        rows = [r for i, item in enumerate(items) if (r := decode_row(spec, i, item, problems))]
        if spec.has_uid:
            problems.extend(_duplicates(spec, rows, "uid", str))
        if spec.natural_key:
            problems.extend(_duplicates(spec, rows, spec.natural_key, spec.fold))
        tables[spec.name] = rows
    return tables


#: Tables deliberately left out of files: the trash holds snapshots of deleted rows, not data.
EXCLUDED_TABLES = frozenset({"trash"})


def check_table_coverage() -> set[str]:
    """Tables of the schema that a file would miss (must be empty; the tests check it)."""
    covered = {spec.name for spec in SPECS.values()} | EXCLUDED_TABLES
    covered |= {link.table.name for spec in SPECS.values() for link in spec.links}
    return {t.name for t in Base.metadata.sorted_tables} - covered
