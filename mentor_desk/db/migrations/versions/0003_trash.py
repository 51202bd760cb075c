"""The trash: deleted items kept as JSON snapshots until the trash is emptied.

``mentee_id`` has no foreign key, so an entry survives its mentee's deletion. Literal operations
only, so this file never changes when the app does.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the trash table and its indexes."""
    op.create_table(
        "trash",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("mentee_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trash")),
        sa.UniqueConstraint("uid", name=op.f("uq_trash_uid")),
    )
    op.create_index(op.f("ix_trash_mentee_id"), "trash", ["mentee_id"], unique=False)
    op.create_index(op.f("ix_trash_deleted_at"), "trash", ["deleted_at"], unique=False)


def downgrade() -> None:
    """Drop the trash (and everything in it)."""
    op.drop_index(op.f("ix_trash_deleted_at"), table_name="trash")
    op.drop_index(op.f("ix_trash_mentee_id"), table_name="trash")
    op.drop_table("trash")
