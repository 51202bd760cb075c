"""Mentees, their tags and the app's settings: the tables everything else hangs off.

Part of revision 0001 (``versions/0001_initial_schema.py`` runs these in its own order).
Written when that revision was made and never changed since, like the revision itself.
"""

import sqlalchemy as sa
from alembic import op


def create_mentees() -> None:
    op.create_table(
        "mentees",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("pronouns", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=True),
        sa.Column("track", sa.String(length=32), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("in_general", sa.Boolean(), nullable=False),
        sa.Column("in_lmp", sa.Boolean(), nullable=False),
        sa.Column("career_aspiration", sa.Text(), nullable=False),
        sa.Column("learning_style", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=32), nullable=False),
        sa.Column("cadence", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentees")),
        sa.UniqueConstraint("uid", name=op.f("uq_mentees_uid")),
    )
    with op.batch_alter_table("mentees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentees_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_mentees_status"), ["status"], unique=False)


def drop_mentees() -> None:
    with op.batch_alter_table("mentees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentees_status"))
        batch_op.drop_index(batch_op.f("ix_mentees_name"))

    op.drop_table("mentees")


def create_settings() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )


def drop_settings() -> None:
    op.drop_table("settings")


def create_tags() -> None:
    op.create_table(
        "tags",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_tags_name")),
        sa.UniqueConstraint("uid", name=op.f("uq_tags_uid")),
    )


def drop_tags() -> None:
    op.drop_table("tags")


def create_mentee_tags() -> None:
    op.create_table(
        "mentee_tags",
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["mentees.id"],
            name=op.f("fk_mentee_tags_mentee_id_mentees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_mentee_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("mentee_id", "tag_id", name=op.f("pk_mentee_tags")),
    )
    with op.batch_alter_table("mentee_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mentee_tags_tag_id"), ["tag_id"], unique=False)


def drop_mentee_tags() -> None:
    with op.batch_alter_table("mentee_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentee_tags_tag_id"))

    op.drop_table("mentee_tags")
