"""Export the whole program, or one mentee, to a JSON file, and import such a file back.

The format is documented in ``docs/interchange.md``; its tables and fields are defined in
:mod:`mentor_desk.services.interchange_schema` and merging lives in
:mod:`mentor_desk.services.interchange_merge`. An export is deterministic: the same database gives
byte-identical text (given a fixed ``exported_at``), and export -> import -> export gives the same
text again. An import checks the whole file before it writes, then writes in one unit of work.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, false, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentor_desk import __version__
from mentor_desk.db.backup import automatic_backup
from mentor_desk.db.base import utcnow
from mentor_desk.db.engine import Database
from mentor_desk.db.models import evidence_areas, mentee_tags, session_tags
from mentor_desk.errors import ImportFileError, NotFoundError, UserError, ValidationError
from mentor_desk.services import json_text
from mentor_desk.services.interchange_export import export_tables
from mentor_desk.services.interchange_merge import Merger, TableCounts
from mentor_desk.services.interchange_schema import (
    FORMAT,
    FORMAT_VERSION,
    SPECS,
    UID_PATTERN,
    decode_tables,
    iso_datetime,
)
from mentor_desk.services.validation import parse_datetime

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_IMPORT_BYTES",
    "ExportSummary",
    "ImportSummary",
    "TableCounts",
    "export_data",
    "export_json",
    "import_data",
    "import_json",
    "read_import_file",
    "to_json_text",
]

#: Larger files are refused before they are read: no real program comes near this.
MAX_IMPORT_BYTES = 500 * 1024 * 1024
_HEADER = ("format", "format_version", "app_version", "exported_at", "scope")


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote: the file, the rows per table, and the mentee for a one-mentee file."""

    path: Path | None
    counts: Mapping[str, int]
    mentee_uid: str | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did, per table (every table of the format is listed)."""

    counts: Mapping[str, TableCounts]

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts.values())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.counts.values())


# --- export -------------------------------------------------------------------------------------


def export_data(
    db: Database, *, mentee_id: int | None = None, exported_at: datetime | None = None
) -> dict[str, Any]:
    """The whole program, or one mentee with what hangs off them, as interchange data.

    Args:
        mentee_id: export only this mentee, their records and the reference rows those use.
        exported_at: the time written into the file (now if None); fix it for reproducible text.

    Raises:
        NotFoundError: ``mentee_id`` names no mentee.
    """
    with db.read() as session:
        data = _header(session, mentee_id, exported_at)
        for name, rows in export_tables(session, _scope(session, mentee_id)):
            data[name] = list(rows)
    return data


def to_json_text(data: Mapping[str, Any]) -> str:
    """The canonical text of interchange data: UTF-8-ready, indented, keys in format order
    (exactly ``json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)``)."""
    return json_text.dumps(data) + "\n"


def export_json(
    db: Database,
    path: str | os.PathLike[str],
    *,
    mentee_id: int | None = None,
    exported_at: datetime | None = None,
) -> ExportSummary:
    """Write :func:`export_data`'s text to ``path``, a table at a time, atomically (the old file
    stays whole on failure).

    The file is readable by its owner only: it holds private notes.
    """
    target = Path(path)
    counts: dict[str, int] = {}
    with db.read() as session:
        header = _header(session, mentee_id, exported_at)
        tables = export_tables(session, _scope(session, mentee_id))

        def counted(name: str, rows: Iterator[dict[str, Any]]) -> Iterator[str]:
            counts[name] = 0
            for row in rows:
                counts[name] += 1
                yield json_text.dumps(row, 2)

        members = chain(
            ((key, json_text.dumps(value, 1)) for key, value in header.items()),
            ((name, json_text.list_lines(counted(name, rows), 1)) for name, rows in tables),
        )
        write_atomically(target, chain(json_text.object_lines(members, 0), ["\n"]))
    scope = header["scope"]
    return ExportSummary(path=target, counts=counts, mentee_uid=scope.get("mentee"))


def _header(
    session: Session, mentee_id: int | None, exported_at: datetime | None
) -> dict[str, Any]:
    scope: dict[str, Any] = {"all": True}
    if mentee_id is not None:
        mentee_uid = session.scalar(select(SPECS["mentees"].table.c.uid).where(_id_is(mentee_id)))
        if mentee_uid is None:
            raise NotFoundError("That mentee no longer exists, so there is nothing to export.")
        scope = {"mentee": mentee_uid}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "exported_at": iso_datetime(exported_at or utcnow()),
        "scope": scope,
    }


def _scope(session: Session, mentee_id: int | None) -> dict[str, ColumnElement[bool]]:
    return {} if mentee_id is None else _mentee_scope(session, mentee_id)


def write_atomically(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces, in order) to a temporary file beside ``path``, then move
    it into place."""
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
    except OSError as exc:
        raise _write_error(path, exc) from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            if isinstance(text, str):
                stream.write(text)
            else:
                stream.writelines(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from exc
        raise


def _write_error(path: Path, exc: OSError) -> UserError:
    reason = exc.strerror or str(exc)
    return UserError(
        f"Could not write {path}: {reason}. Choose another folder or free some space and try "
        "again; no file was written."
    )


def _id_is(mentee_id: int) -> ColumnElement[bool]:
    return SPECS["mentees"].table.c.id == mentee_id


def _mentee_scope(session: Session, mentee_id: int) -> dict[str, ColumnElement[bool]]:
    """Where-clauses selecting one mentee's rows and the reference rows they use."""
    t = {name: spec.table for name, spec in SPECS.items()}
    goals = select(t["goals"].c.id).where(t["goals"].c.mentee_id == mentee_id)
    records = select(t["lmp_records"].c.id).where(t["lmp_records"].c.mentee_id == mentee_id)
    sessions = select(t["sessions"].c.id).where(t["sessions"].c.mentee_id == mentee_id)
    types = select(t["sessions"].c.session_type_id).where(t["sessions"].c.mentee_id == mentee_id)
    skills = select(t["skill_assessments"].c.skill_area_id).where(
        t["skill_assessments"].c.mentee_id == mentee_id
    )
    tags = union(
        select(mentee_tags.c.tag_id).where(mentee_tags.c.mentee_id == mentee_id),
        select(session_tags.c.tag_id).where(session_tags.c.session_id.in_(sessions)),
    )
    scope: dict[str, ColumnElement[bool]] = {
        name: table.c.mentee_id == mentee_id for name, table in t.items() if "mentee_id" in table.c
    }
    scope |= {name: t[name].c.goal_id.in_(goals) for name in ("milestones", "goal_checkins")}
    scope |= {
        name: t[name].c.record_id.in_(records)
        for name in ("lmp_presentations", "evidence", "scpa_updates")
    }
    scope |= {
        "mentees": _id_is(mentee_id),
        "skill_areas": t["skill_areas"].c.id.in_(skills),
        "session_types": t["session_types"].c.id.in_(types),
        "session_templates": t["session_templates"].c.id.in_(
            select(t["session_types"].c.template_id).where(t["session_types"].c.id.in_(types))
        ),
        "tags": t["tags"].c.id.in_(tags),
        "lmp_areas": t["lmp_areas"].c.id.in_(_areas_with_parents(session, scope["evidence"])),
        "settings": false(),
    }
    return scope


def _areas_with_parents(session: Session, evidence_scope: ColumnElement[bool]) -> list[int]:
    """The LMP areas the evidence is filed under, with their parents (so each parent resolves)."""
    evidence = SPECS["evidence"].table
    stmt = select(evidence_areas.c.area_id).where(
        evidence_areas.c.evidence_id.in_(select(evidence.c.id).where(evidence_scope))
    )
    wanted = set(session.scalars(stmt))
    areas = SPECS["lmp_areas"].table
    parents = {
        row.id: row.parent_id for row in session.execute(select(areas.c.id, areas.c.parent_id))
    }
    pending = list(wanted)
    while pending:
        parent = parents.get(pending.pop())
        if parent is not None and parent not in wanted:
            wanted.add(parent)
            pending.append(parent)
    return sorted(wanted)


# --- import -------------------------------------------------------------------------------------


def import_json(db: Database, path: str | os.PathLike[str]) -> ImportSummary:
    """Import an interchange file; see :func:`import_data`."""
    source = Path(path)
    return import_data(db, read_import_file(source), source=f"'{source.name}'")


def read_import_file(path: Path) -> Any:
    """The parsed JSON of ``path``, or ImportFileError saying why it cannot be read."""
    name = f"'{path.name}'"
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportFileError(
                f"{name} is {size / 1_000_000:,.0f} MB, more than the "
                f"{MAX_IMPORT_BYTES / 1_000_000:,.0f} MB an import file may be. Is it the right "
                "file?"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Could not read {path}: {exc.strerror or exc}.") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            f"{name} is not a Mentor Desk export: it is not UTF-8 text."
        ) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        short = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        cut = " The file seems cut short; export it again." if short else ""
        raise ImportFileError(
            f"{name} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).{cut}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ImportFileError(f"{name} is not a Mentor Desk export: {exc}.") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"it contains {name}, which JSON does not allow")


def import_data(db: Database, data: Any, *, source: str = "The data") -> ImportSummary:
    """Merge interchange data into ``db``: all of it, or nothing.

    The whole file is checked first (shape, types, ranges, references within the file or the
    database, unique rules); every problem is reported with its location. Records whose uid (or,
    for reference data, natural key) exists are updated in place, others are inserted.

    Raises:
        ImportFileError: the data is not a Mentor Desk export, or it has problems (``.problems``);
            nothing was written.
    """
    problems = _header_problems(data, source)
    tables = decode_tables(data, problems)
    if not problems:  # a file refused on its face changes nothing, so needs no backup
        automatic_backup(db, reason="before-import")
    try:
        with db.write() as session:
            merger = Merger(session, tables, problems)
            merger.check()
            if problems:
                count = len(problems)
                raise ImportFileError(
                    f"{source} has {count} problem{'s' if count != 1 else ''}, so nothing was "
                    "imported",
                    problems,
                )
            counts = merger.write(utcnow())
    except IntegrityError as exc:
        raise ImportFileError(
            f"{source} conflicts with data in this database, so nothing was imported",
            [str(exc.orig)],
        ) from exc
    return ImportSummary(counts)


def _header_problems(data: Any, source: str) -> list[str]:
    """Problems with the top level; raises at once when it is not a Mentor Desk file at all."""
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else type(data).__name__
        raise ImportFileError(
            f"{source} is not a Mentor Desk export: it holds {kind}, not an object with tables."
        )
    if data.get("format") != FORMAT:
        found = f"its format is {data['format']!r}" if "format" in data else "it has no format"
        raise ImportFileError(f"{source} is not a Mentor Desk export ({found}, not '{FORMAT}').")
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportFileError(f"{source} has no valid format_version (found {version!r}).")
    if version > FORMAT_VERSION:
        raise ImportFileError(
            f"{source} was written by a newer Mentor Desk (format version {version}; this "
            f"version reads up to {FORMAT_VERSION}). Update the app to import it."
        )
    problems = [
        f"{key}: is not part of the format"
        for key in data
        if key not in _HEADER and key not in SPECS
    ]
    if not isinstance(data.get("app_version", ""), str):
        problems.append("app_version: must be text")
    if data.get("exported_at") is not None:
        try:
            if not isinstance(data["exported_at"], str):
                raise ValidationError("must be a date and time", "exported_at")
            parse_datetime(data["exported_at"], "exported_at")
        except ValidationError as exc:
            problems.append(str(exc))
    scope = data.get("scope", {"all": True})
    mentee = scope.get("mentee") if isinstance(scope, dict) else None
    if scope != {"all": True} and not (
        isinstance(mentee, str) and UID_PATTERN.fullmatch(mentee) and len(scope) == 1
    ):
        problems.append('scope: must be {"all": true} or {"mentee": "<uid>"}')
    return problems
