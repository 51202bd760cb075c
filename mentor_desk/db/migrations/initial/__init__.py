"""The tables of revision 0001, one module per domain area.

They live here rather than in ``versions/`` because Alembic loads every ``versions/*.py`` as a
revision script and refuses one without a ``revision``. Each module has a ``create_<table>()`` and
a ``drop_<table>()`` per table; ``versions/0001_initial_schema.py`` decides the order.
"""
