"""An index on milestones (goal_id, done) for the goal list's milestone counts.

The goal list counts each goal's milestones and the done ones with correlated subqueries; with
``done`` in the index both counts read the index alone instead of every milestone row. Literal
operations only, so this file never changes when the app does.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 17:40:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the index."""
    op.create_index("ix_milestones_goal_done", "milestones", ["goal_id", "done"], unique=False)


def downgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_milestones_goal_done", table_name="milestones")
