"""Alembic environment: runs on a connection handed over by mentor_desk.db.migrate."""

from __future__ import annotations

from alembic import context

from mentor_desk.db import models  # noqa: F401  (registers the tables on the metadata)
from mentor_desk.db.base import Base
from mentor_desk.db.search import is_search_table

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the migrate module drives Alembic
    raise RuntimeError("Run migrations through mentor_desk.db.migrate, not the alembic CLI.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # plain ALTER TABLE fails on SQLite
    compare_type=True,
    # The FTS5 tables are made by hand in a migration; autogenerate must not try to drop them.
    include_name=lambda name, type_, _parents: not (type_ == "table" and is_search_table(name)),
)
with context.begin_transaction():
    context.run_migrations()
