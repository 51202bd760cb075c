"""Full-text search: one external-content FTS5 index per searchable table, kept in sync by triggers.

Each index stores only its terms; the text itself stays in the source table (``content=``), so the
database does not grow by a second copy of every note. ``remove_diacritics 2`` lets "zoe" find
"Zoë". The triggers keep each index in step with its table; an update or delete first removes the
*old* values with the FTS5 ``'delete'`` command, which is the only correct way to take a row out of
an external-content index. ``'rebuild'`` indexes the rows that existed before this revision.

Everything here is literal SQL that depends on nothing in the application, so this file never
changes when the app does. A later migration that rebuilds one of these tables (Alembic batch mode
copies, drops and renames it) drops its triggers with it, and must run that table's
:data:`CREATE_TRIGGERS` statements again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TOKENIZE = "unicode61 remove_diacritics 2"

#: Source table -> the text columns its index covers, in index column order.
INDEXED_COLUMNS: dict[str, tuple[str, ...]] = {
    "mentees": ("name", "role", "team", "notes", "career_aspiration"),
    "sessions": ("title", "summary", "notes"),
    "feedback": ("observation", "impact", "request"),
    "goals": ("title", "description"),
    "evidence": ("title", "narrative", "source"),
}


def _fts(table: str) -> str:
    return f"{table}_fts"


def _create_table(table: str, columns: tuple[str, ...]) -> str:
    return (
        f"CREATE VIRTUAL TABLE {_fts(table)} USING fts5("
        f"{', '.join(columns)}, content='{table}', content_rowid='id', tokenize='{TOKENIZE}')"
    )


def _insert_new(table: str, columns: tuple[str, ...]) -> str:
    values = ", ".join(f"new.{column}" for column in columns)
    return f"INSERT INTO {_fts(table)}(rowid, {', '.join(columns)}) VALUES (new.id, {values});"


def _delete_old(table: str, columns: tuple[str, ...]) -> str:
    fts = _fts(table)
    values = ", ".join(f"old.{column}" for column in columns)
    return (
        f"INSERT INTO {fts}({fts}, rowid, {', '.join(columns)}) "
        f"VALUES ('delete', old.id, {values});"
    )


def _create_triggers(table: str, columns: tuple[str, ...]) -> tuple[str, str, str]:
    fts = _fts(table)
    # "UPDATE OF" the indexed columns only: saving a status or a timestamp leaves the index alone.
    watched = ", ".join(("id", *columns))
    return (
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {_insert_new(table, columns)} END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {_delete_old(table, columns)} END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {watched} ON {table} BEGIN "
        f"{_delete_old(table, columns)} {_insert_new(table, columns)} END",
    )


#: ``CREATE VIRTUAL TABLE`` for each index, keyed by source table.
CREATE_TABLES: dict[str, str] = {
    table: _create_table(table, columns) for table, columns in INDEXED_COLUMNS.items()
}
#: The insert, delete and update triggers of each source table.
CREATE_TRIGGERS: dict[str, tuple[str, str, str]] = {
    table: _create_triggers(table, columns) for table, columns in INDEXED_COLUMNS.items()
}
#: Fills each index from the rows already in its source table.
REBUILD: dict[str, str] = {
    table: f"INSERT INTO {_fts(table)}({_fts(table)}) VALUES ('rebuild')"
    for table in INDEXED_COLUMNS
}


def upgrade() -> None:
    """Create the indexes and their triggers, then index the rows already there."""
    for table in INDEXED_COLUMNS:
        op.execute(CREATE_TABLES[table])
        for statement in CREATE_TRIGGERS[table]:
            op.execute(statement)
        op.execute(REBUILD[table])


def downgrade() -> None:
    """Drop the triggers and the indexes (dropping an FTS5 table drops its shadow tables)."""
    for table in INDEXED_COLUMNS:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {_fts(table)}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {_fts(table)}")
