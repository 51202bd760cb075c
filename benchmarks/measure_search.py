"""Search: 20 queries through :func:`mentor_desk.services.search.search`, against raw FTS5.

The queries are built from words that occur in the program's session titles and summaries: one,
two and three words taken from the same session (so that the AND of them finds something) and
prefix queries (``word*``). The baseline runs the same MATCH expression (built by the same
:func:`mentor_desk.db.search.match_expression`) on each FTS5 table with plain :mod:`sqlite3`,
with the same snippet, bm25 weights and limit, but without the joins to the source rows and
their mentee that give the service its titles, names and dates.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.measure_common import Measurement, repeat_ms
from mentor_desk.db import search as fts
from mentor_desk.paths import DATABASE_NAME

LIMIT = 50
_WORD = re.compile(r"[^\W\d_]{5,}")


def build_queries(db: Any, count: int = 20) -> list[str]:
    """``count`` queries from words in the data: one, two, three words and prefixes."""
    from mentor_desk.services.sessions import list_sessions

    rows = list_sessions(db, limit=2000)
    texts = [f"{row.title} {row.summary}".casefold() for row in rows]
    frequency = Counter(word for text in texts for word in set(_WORD.findall(text)))
    # Words that are neither everywhere nor unique: what a person would look for.
    usable = {w for w, n in frequency.items() if 2 <= n <= max(3, len(texts) // 3)}
    shapes = [1, 2, 3, 0]  # 0: a prefix query
    queries: list[str] = []
    for index, text in enumerate(texts * 3):
        words = sorted({w for w in _WORD.findall(text) if w in usable}, key=frequency.__getitem__)
        words = words[::-1]  # the more common words first: the AND still finds things
        shape = shapes[len(queries) % len(shapes)]
        need = max(shape, 1)
        if len(words) < need + index // len(texts):
            continue
        chosen = words[index // len(texts) : index // len(texts) + need]
        query = f"{chosen[0][:4]}*" if shape == 0 else " ".join(chosen)
        if query not in queries:
            queries.append(query)
        if len(queries) == count:
            break
    return queries or ["session"]


def raw_search(connection: sqlite3.Connection, expression: str) -> list[tuple[Any, ...]]:
    """The same MATCH on every FTS5 table, best ``LIMIT`` overall, with plain sqlite3."""
    rows: list[tuple[Any, ...]] = []
    for index in fts.INDEXES.values():
        weights = ", ".join(str(w) for w in index.weights)
        rows += connection.execute(
            f"SELECT rowid, snippet({index.name}, -1, ?, ?, ?, ?), "
            f"bm25({index.name}, {weights}) AS score FROM {index.name} "
            f"WHERE {index.name} MATCH ? ORDER BY score LIMIT ?",
            (*fts.HIGHLIGHT_MARKERS, fts.SNIPPET_ELLIPSIS, fts.SNIPPET_TOKENS, expression, LIMIT),
        ).fetchall()
    rows.sort(key=lambda row: row[2])
    return rows[:LIMIT]


def measure_search(db: Any, program: Path, runs: int) -> list[Measurement]:
    """Each query ``runs`` times through the service and raw (after one warm-up pass each)."""
    from mentor_desk.services.search import search

    queries = build_queries(db)
    connection = sqlite3.connect(f"file:{program / DATABASE_NAME}?mode=ro", uri=True)
    try:
        expressions = [fts.match_expression(q) or '""' for q in queries]
        hits = {q: search(db, q, limit=LIMIT) for q in queries}  # warm-up, and the results
        for expression in expressions:
            raw_search(connection, expression)
        service: list[float] = []
        raw: list[float] = []
        for query, expression in zip(queries, expressions, strict=True):
            service += repeat_ms(lambda q=query: search(db, q, limit=LIMIT), runs)
            raw += repeat_ms(lambda e=expression: raw_search(connection, e), runs)
    finally:
        connection.close()
    found = [len(h) for h in hits.values()]
    ranked = all(
        [hit.score for hit in h] == sorted(hit.score for hit in h)
        and all(fts.MARK_START in hit.snippet for hit in h if hit.kind != "mentee")
        for h in hits.values()
    )
    facts = {
        "queries": queries,
        "hits": found,
        "queries_with_hits": sum(1 for n in found if n),
        "ranked_with_snippets": ranked,
    }
    note = f"{len(queries)} queries, {facts['queries_with_hits']} with hits"
    return [
        Measurement("search.service", "Search (service)", tuple(service), "ms", note, facts),
        Measurement("search.raw", "  baseline: same MATCH, plain sqlite3", tuple(raw), "ms"),
    ]
