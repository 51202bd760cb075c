"""Searching everything the mentor wrote: mentees, session notes, feedback, goals and evidence.

Results come back as one list ranked best first. Each hit carries a snippet of plain text in which
every matched word is wrapped in :data:`MARK_START` and :data:`MARK_END` (the control
characters STX and ETX, which never occur in stored text). A view styles the runs that
:func:`split_highlights` gives it; a terminal can use :func:`mark` to show ``[word]``. Query
syntax and its limits (prefix ``*``, how Chinese and Japanese are matched) are described in
:mod:`mentor_desk.db.search`.

Private notes are searched too: search results are shown only to the mentor, in this app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, cast

from sqlalchemy import bindparam, select

from mentor_desk.db import search as fts
from mentor_desk.db.engine import Database
from mentor_desk.db.models import Mentee
from mentor_desk.db.search import (
    HIGHLIGHT_MARKERS,
    MARK_END,
    MARK_START,
    SNIPPET_ELLIPSIS,
    mark,
    split_highlights,
)
from mentor_desk.errors import NotFoundError, ValidationError
from mentor_desk.services.validation import check_positive

__all__ = [
    "HIGHLIGHT_MARKERS",
    "KINDS",
    "MARK_END",
    "MARK_START",
    "MAX_LIMIT",
    "SNIPPET_ELLIPSIS",
    "SearchHit",
    "SearchKind",
    "check_search_index",
    "mark",
    "rebuild_search_index",
    "search",
    "split_highlights",
]

SearchKind = Literal["mentee", "session", "feedback", "goal", "evidence"]
#: Every kind of hit, in the order that breaks ties between equal scores.
KINDS: tuple[SearchKind, ...] = ("mentee", "session", "feedback", "goal", "evidence")
#: The most hits one search returns.
MAX_LIMIT = 1000

_TITLE_SEPARATOR = " · "
_MENTEE_EXISTS = select(Mentee.__table__.c.id).where(Mentee.__table__.c.id == bindparam("id"))


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result.

    Attributes:
        kind: what was found; ``item_id`` is its id in that kind's table (for a mentee, the same as
            ``mentee_id``).
        title: a one-line label, e.g. "2026-03-02 · One-on-one coaching · Career ladder".
        snippet: plain text around the match, matches wrapped in :data:`HIGHLIGHT_MARKERS`,
            :data:`SNIPPET_ELLIPSIS` where text was left out.
        score: bm25 relevance; lower is better.
        when: the item's date (a session's local date, a goal's target date), if it has one.
    """

    kind: SearchKind
    item_id: int
    mentee_id: int
    mentee_name: str
    title: str
    snippet: str
    score: float
    when: date | None = None


def search(
    db: Database,
    query: str,
    *,
    limit: int = 50,
    kinds: set[str] | None = None,
    mentee_id: int | None = None,
) -> list[SearchHit]:
    """Everything matching all the words of ``query``, best first, at most ``limit`` hits.

    Any text is a valid query: operators and punctuation are taken literally, a trailing ``*``
    searches for a prefix, and a query with no letters or digits finds nothing.

    Args:
        kinds: only these kinds of hit (see :data:`KINDS`); None means all.
        mentee_id: only what belongs to this mentee.

    Raises:
        ValidationError: ``query`` is not text, ``limit`` is out of range or a kind is unknown.
        NotFoundError: there is no mentee ``mentee_id``.
    """
    if not isinstance(query, str):
        raise ValidationError(f"expected text, got {type(query).__name__}", "query")
    limit = check_positive(limit, "limit", high=MAX_LIMIT)
    wanted = _check_kinds(kinds)
    expression = fts.match_expression(query)
    with db.read() as session:
        # Core statements on the unit's connection: the ORM's per-query work cost more than the
        # queries themselves when few rows match.
        connection = session.connection()
        if mentee_id is not None and connection.scalar(_MENTEE_EXISTS, {"id": mentee_id}) is None:
            raise NotFoundError(
                f"There is no mentee with id {mentee_id}; it may have been deleted."
            )
        if expression is None:
            return []
        rows = [
            row
            for kind in wanted
            for row in fts.query_index(
                connection, kind, expression, limit=limit, mentee_id=mentee_id
            )
        ]
    rows.sort(key=lambda row: (row.score, KINDS.index(cast(SearchKind, row.kind)), row.item_id))
    return [_hit(row) for row in rows[:limit]]


def _check_kinds(kinds: set[str] | None) -> list[SearchKind]:
    if kinds is None:
        return list(KINDS)
    unknown = sorted(str(kind) for kind in kinds if kind not in KINDS)
    if unknown:
        raise ValidationError(
            f"'{unknown[0]}' is not a kind of search result; use: {', '.join(KINDS)}", "kinds"
        )
    return [kind for kind in KINDS if kind in kinds]


def _hit(row: fts.IndexHit) -> SearchHit:
    when = row.when.astimezone().date() if isinstance(row.when, datetime) else row.when
    # A goal's date is its target, not when it happened: keep it off the title.
    dated = when is not None and row.kind not in {"mentee", "goal"}
    parts = [when.isoformat() if dated and when else "", row.heading, row.detail]
    return SearchHit(
        kind=cast(SearchKind, row.kind),
        item_id=row.item_id,
        mentee_id=row.mentee_id,
        mentee_name=row.mentee_name,
        title=_TITLE_SEPARATOR.join(part for part in parts if part),
        snippet=row.snippet or "",
        score=row.score,
        when=when,
    )


def rebuild_search_index(db: Database) -> None:
    """Rebuild every search index from the tables (repairs an index a check found wrong)."""
    with db.write() as session:
        fts.rebuild_index(session)


def check_search_index(db: Database) -> list[str]:
    """The kinds whose search index disagrees with the data; empty when the index is sound."""
    with db.write() as session:
        return fts.check_index(session)
