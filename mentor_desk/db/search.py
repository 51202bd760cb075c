"""The query side of full-text search, over the FTS5 indexes that migration 0002 creates.

Each searchable table has an external-content FTS5 index named ``<table>_fts`` (its rowid is the
source row's ``id``), tokenized with ``unicode61 remove_diacritics 2`` and kept in sync by
``AFTER INSERT/UPDATE/DELETE`` triggers. The SQL that creates them lives, frozen, in
``migrations/versions/0002_search.py``; :data:`INDEXES` here must agree with it (a test checks).

Warning for future migrations: Alembic's batch mode rebuilds a SQLite table by copying it, dropping
the original and renaming the copy, and the drop takes the table's triggers with it. A migration
that rebuilds ``mentees``, ``sessions``, ``feedback``, ``goals`` or ``evidence`` must create that
table's three ``<table>_fts_ai/_ad/_au`` triggers again (copy their SQL as literal text into the
new migration) and then run the FTS5 ``'rebuild'`` command for its index. A migration that adds an
indexed column must drop and recreate the index the same way.

What the tokenizer does with scripts that are not written with spaces (Chinese, Japanese): a run
of CJK characters between spaces or punctuation is *one* token, so "导师笔记很好" is indexed as a
single word. :func:`match_expression` therefore turns a query term that ends in a CJK character
into a prefix query: "导师" finds "导师笔记很好" and "李" finds "李明", but a word in the middle of
a run ("笔记") is not found.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    bindparam,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from mentor_desk.db.models import (
    Evidence,
    Feedback,
    Goal,
    LmpRecord,
    Mentee,
    MentoringSession,
    SessionType,
)

#: Marks the start of a matched word inside a snippet. Control characters cannot occur in stored
#: text (the validators strip them), so they never collide with what the user wrote.
MARK_START = "\x02"
#: Marks the end of a matched word inside a snippet.
MARK_END = "\x03"
HIGHLIGHT_MARKERS = (MARK_START, MARK_END)
#: Stands for the text a snippet leaves out before or after it.
SNIPPET_ELLIPSIS = "…"
#: Roughly how many words a snippet shows around the match.
SNIPPET_TOKENS = 12
#: Terms after this many are ignored: they cannot make a useful query more selective, only slower.
MAX_QUERY_TERMS = 32


@dataclass(frozen=True, slots=True)
class FtsIndex:
    """One FTS5 index: the kind of hit it yields, its source table, columns and bm25 weights."""

    kind: str
    source: str
    columns: tuple[str, ...]
    weights: tuple[float, ...]

    @property
    def name(self) -> str:
        return f"{self.source}_fts"


#: The indexes by kind, in the order hits of equal score are listed. Titles weigh more than notes.
INDEXES: dict[str, FtsIndex] = {
    index.kind: index
    for index in (
        FtsIndex(
            "mentee",
            "mentees",
            ("name", "role", "team", "notes", "career_aspiration"),
            (10.0, 2.0, 2.0, 1.0, 1.0),
        ),
        FtsIndex("session", "sessions", ("title", "summary", "notes"), (3.0, 2.0, 1.0)),
        FtsIndex("feedback", "feedback", ("observation", "impact", "request"), (1.0, 1.0, 1.0)),
        FtsIndex("goal", "goals", ("title", "description"), (3.0, 1.0)),
        FtsIndex("evidence", "evidence", ("title", "narrative", "source"), (3.0, 1.0, 1.0)),
    )
}


@dataclass(frozen=True, slots=True)
class IndexHit:
    """One matching row, with what a result list needs and nothing more (no note bodies).

    ``when`` is the row's date (a session's start time, as an aware UTC datetime), ``heading`` and
    ``detail`` are short labels (e.g. session type and title), ``snippet`` is marked with
    :data:`HIGHLIGHT_MARKERS`, and ``score`` is bm25: lower is better.
    """

    kind: str
    item_id: int
    mentee_id: int
    mentee_name: str
    when: date | datetime | None
    heading: str
    detail: str
    snippet: str
    score: float


# --- turning what the user typed into a safe MATCH expression -----------------------------------

# Han, kana, Hangul and their punctuation blocks: scripts the unicode61 tokenizer cannot split.
_CJK_RANGES = (
    (0x2E80, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFFDC),
    (0x20000, 0x3FFFF),
)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _is_word_char(char: str) -> bool:
    """Whether unicode61 keeps ``char`` in a token (its default categories: L*, N*, Co)."""
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(query: str) -> str | None:
    """A safe FTS5 MATCH expression for ``query``, or None when it has nothing to search for.

    The query is split on whitespace and each term is quoted as an FTS5 string, so operators
    (``AND``, ``OR``, ``NOT``, ``NEAR``), quotes, brackets, colons, ``-``, ``+`` and ``^`` are
    taken literally; the terms are ANDed. A trailing ``*`` asks for a prefix search (``arch*``).
    Terms without a letter or digit are dropped (the tokenizer would ignore them anyway), so an
    all-punctuation query is None. Terms ending in a CJK character are searched as prefixes (see the
    module docstring).
    """
    terms: list[str] = []
    for raw in unicodedata.normalize("NFC", query).split():
        # Control characters and lone surrogates cannot reach SQLite intact; they never index.
        word = "".join(ch for ch in raw.rstrip("*") if unicodedata.category(ch) not in {"Cc", "Cs"})
        letters = [ch for ch in word if _is_word_char(ch)]
        if not letters:
            continue
        prefix = raw.endswith("*") or _is_cjk(letters[-1])
        terms.append(_quote(word) + ("*" if prefix else ""))
        if len(terms) == MAX_QUERY_TERMS:
            break
    return " AND ".join(terms) or None


def mark(snippet: str, start: str, end: str) -> str:
    """``snippet`` with the highlight markers replaced by ``start`` and ``end`` (e.g. "[", "]")."""
    return snippet.replace(MARK_START, start).replace(MARK_END, end)


def split_highlights(snippet: str) -> list[tuple[str, bool]]:
    """``snippet`` as (text, is_match) runs, for a view that styles the matches itself."""
    runs: list[tuple[str, bool]] = []
    rest = snippet
    while rest:
        before, found, after = rest.partition(MARK_START)
        if before:
            runs.append((before, False))
        if not found:
            break
        matched, _, rest = after.partition(MARK_END)
        if matched:
            runs.append((matched, True))
    return runs


# --- querying -----------------------------------------------------------------------------------


# The tables the labels come from. Core columns, not ORM attributes: the statements are built
# once and run on the session's connection, which skips the ORM's per-query compile step.
_MENTEES = Mentee.__table__.c
_SESSIONS = MentoringSession.__table__.c
_TYPES = SessionType.__table__.c
_FEEDBACK = Feedback.__table__.c
_GOALS = Goal.__table__.c
_EVIDENCE = Evidence.__table__.c
_RECORDS = LmpRecord.__table__.c

# Per kind: the source row's id, its mentee's id, its date, a heading and a detail (short labels).
_LABELS: dict[str, tuple[Any, Any, Any, Any, Any]] = {
    "mentee": (_MENTEES.id, _MENTEES.id, _MENTEES.started_on, _MENTEES.name, _MENTEES.role),
    "session": (
        _SESSIONS.id,
        _SESSIONS.mentee_id,
        _SESSIONS.started_at,
        func.coalesce(_TYPES.name, ""),
        _SESSIONS.title,
    ),
    "feedback": (
        _FEEDBACK.id,
        _FEEDBACK.mentee_id,
        _FEEDBACK.given_on,
        literal("Feedback"),
        literal(""),
    ),
    "goal": (_GOALS.id, _GOALS.mentee_id, _GOALS.target_date, _GOALS.title, literal("")),
    "evidence": (
        _EVIDENCE.id,
        _RECORDS.mentee_id,
        _EVIDENCE.occurred_on,
        _EVIDENCE.title,
        literal(""),
    ),
}


def _owned_by_mentee(kind: str) -> Select[Any]:
    """The ids of the rows of ``kind`` that belong to the mentee bound as ``mentee_id``."""
    mentee_id = bindparam("mentee_id")
    if kind == "mentee":
        return select(_MENTEES.id).where(_MENTEES.id == mentee_id)
    if kind == "evidence":
        return (
            select(_EVIDENCE.id)
            .join_from(Evidence.__table__, LmpRecord.__table__, _RECORDS.id == _EVIDENCE.record_id)
            .where(_RECORDS.mentee_id == mentee_id)
        )
    source = _LABELS[kind][0].table.c
    return select(source.id).where(source.mentee_id == mentee_id)


@functools.cache
def _ranked(kind: str, by_mentee: bool) -> Select[Any]:
    """The best ``limit`` matches of ``expression`` as (rowid, snippet, score), best first.

    This is the FTS5 query alone, on purpose. SQLite computes ``snippet()`` after the sort, only
    for the rows the ``LIMIT`` keeps, but only in a top-level query: inside a subquery it runs for
    every match (10x slower for "plan*", which matches half of all sessions). And joining the
    labels in the same query made SQLite join every match before sorting (3x slower). So the
    labels come from a second query, for the rows kept. Sorting on ``bm25()`` measured faster
    than FTS5's own ``ORDER BY rank`` with the same weights (up to 2x on prefix queries).
    """
    index = INDEXES[kind]
    fts = table(index.name, column("rowid"))
    target = literal_column(index.name)
    snippet = func.snippet(target, -1, MARK_START, MARK_END, SNIPPET_ELLIPSIS, SNIPPET_TOKENS)
    score = func.bm25(target, *index.weights).label("score")
    statement = select(fts.c.rowid, snippet, score).where(target.match(bindparam("expression")))
    if by_mentee:
        # "+rowid": a plain rowid IN is handed to FTS5, which then runs the whole MATCH once per
        # id in the list (1.3 s for a mentee with 1,000 sessions); as an expression it is
        # checked against each match instead, in a list SQLite builds once.
        owned = literal_column(f"+{index.name}.rowid").in_(_owned_by_mentee(kind))
        statement = statement.where(owned)
    return statement.order_by(score).limit(bindparam("limit"))


@functools.cache
def _labels(kind: str) -> Select[Any]:
    """(id, mentee id, mentee name, date, heading, detail) of the rows of ``kind`` in ``ids``."""
    item_id, owner, when, heading, detail = _LABELS[kind]
    joined: Any = item_id.table
    if kind == "evidence":
        joined = joined.join(LmpRecord.__table__, _RECORDS.id == _EVIDENCE.record_id)
    if kind == "session":
        joined = joined.outerjoin(SessionType.__table__, _TYPES.id == _SESSIONS.session_type_id)
    if kind != "mentee":
        joined = joined.join(Mentee.__table__, _MENTEES.id == owner)
    return (
        select(item_id, owner, _MENTEES.name, when, heading, detail)
        .select_from(joined)
        .where(item_id.in_(bindparam("ids", expanding=True)))
    )


def query_index(
    bind: Connection | Session,
    kind: str,
    expression: str,
    *,
    limit: int,
    mentee_id: int | None = None,
) -> list[IndexHit]:
    """The best ``limit`` rows of one kind matching ``expression``, best first.

    Args:
        expression: from :func:`match_expression`; raw user text may raise a syntax error.
        mentee_id: only rows belonging to this mentee.
    """
    connection = bind.connection() if isinstance(bind, Session) else bind
    params: dict[str, Any] = {"expression": expression, "limit": limit}
    if mentee_id is not None:
        params["mentee_id"] = mentee_id
    ranked = connection.execute(_ranked(kind, mentee_id is not None), params).all()
    if not ranked:
        return []
    ids = [row[0] for row in ranked]
    labels = {row[0]: row[1:] for row in connection.execute(_labels(kind), {"ids": ids})}
    return [
        IndexHit(kind, item_id, *labels[item_id], snippet, score)
        for item_id, snippet, score in ranked
        if item_id in labels
    ]


# --- maintenance --------------------------------------------------------------------------------

_SHADOW_SUFFIXES = ("", "_data", "_idx", "_docsize", "_config", "_content")


def is_search_table(name: str | None) -> bool:
    """Whether ``name`` is an FTS5 index or one of its shadow tables.

    They are not in the models' metadata, so Alembic's autogenerate and ``compare_metadata`` must
    skip them (pass an ``include_name`` filter built on this), or they show up as tables to drop.
    """
    return name is not None and any(
        name == index.name + suffix for index in INDEXES.values() for suffix in _SHADOW_SUFFIXES
    )


def rebuild_index(bind: Connection | Session) -> None:
    """Re-read every indexed table into its index (after a repair, or if a check failed)."""
    for index in INDEXES.values():
        bind.execute(text(f"INSERT INTO {index.name}({index.name}) VALUES ('rebuild')"))


def check_index(bind: Connection | Session) -> list[str]:
    """The kinds whose index disagrees with its table (empty when all is well).

    Runs FTS5's ``integrity-check`` with rank 1, which also compares the index with the external
    content table. The command writes nothing, but SQLite plans it as a write, so run it in a
    unit of work that may write.
    """
    broken: list[str] = []
    for index in INDEXES.values():
        statement = f"INSERT INTO {index.name}({index.name}, rank) VALUES ('integrity-check', 1)"
        try:
            bind.execute(text(statement))
        except DBAPIError:
            broken.append(index.kind)
    return broken
