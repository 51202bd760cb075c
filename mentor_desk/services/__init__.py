"""The domain: validation, queries and rules. Plain Python; no Qt, no ReportLab.

Conventions every service module follows:
- functions take a :class:`~mentor_desk.db.engine.Database` first and do one unit of work each
  (``db.read()`` for queries, ``db.write()`` for changes), so a user action commits or rolls back
  as a whole;
- they return frozen dataclasses (DTOs), never ORM rows, so nothing lazy-loads later in a view;
- bad input raises :class:`~mentor_desk.errors.ValidationError` naming the field.
"""
