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

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
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


# Per kind: the source model, its mentee's id, its date, a heading and a detail (short labels).
_LABELS: dict[str, tuple[Any, Any, Any, Any, Any]] = {
    "mentee": (Mentee, Mentee.id, Mentee.started_on, Mentee.name, Mentee.role),
    "session": (
        MentoringSession,
        MentoringSession.mentee_id,
        MentoringSession.started_at,
        func.coalesce(SessionType.name, ""),
        MentoringSession.title,
    ),
    "feedback": (Feedback, Feedback.mentee_id, Feedback.given_on, literal("Feedback"), literal("")),
    "goal": (Goal, Goal.mentee_id, Goal.target_date, Goal.title, literal("")),
    "evidence": (Evidence, LmpRecord.mentee_id, Evidence.occurred_on, Evidence.title, literal("")),
}


def _select(index: FtsIndex) -> Select[Any]:
    """Join the index to its rows and their mentee; select labels, snippet and bm25 score."""
    model, owner, when, heading, detail = _LABELS[index.kind]
    target = literal_column(index.name)
    snippet = func.snippet(target, -1, MARK_START, MARK_END, SNIPPET_ELLIPSIS, SNIPPET_TOKENS)
    score = func.bm25(target, *index.weights).label("score")
    fts = table(index.name, column("rowid"))
    statement = (
        select(model.id, owner, Mentee.name, when, heading, detail, snippet, score)
        .select_from(fts)
        .join(model, model.id == fts.c.rowid)
    )
    if model is Evidence:
        statement = statement.join(LmpRecord, LmpRecord.id == Evidence.record_id)
    if model is MentoringSession:
        statement = statement.outerjoin(
            SessionType, SessionType.id == MentoringSession.session_type_id
        )
    if model is not Mentee:
        statement = statement.join(Mentee, Mentee.id == owner)
    return statement


def query_index(
    session: Session, kind: str, expression: str, *, limit: int, mentee_id: int | None = None
) -> list[IndexHit]:
    """The best ``limit`` rows of one kind matching ``expression``, best first.

    Args:
        expression: from :func:`match_expression`; raw user text may raise a syntax error.
        mentee_id: only rows belonging to this mentee.
    """
    index = INDEXES[kind]
    statement = _select(index).where(literal_column(index.name).match(expression))
    if mentee_id is not None:
        statement = statement.where(Mentee.id == mentee_id)
    statement = statement.order_by(literal_column("score")).limit(limit)
    return [IndexHit(kind, *row) for row in session.execute(statement)]


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
