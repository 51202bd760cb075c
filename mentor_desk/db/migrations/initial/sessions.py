"""Session types and templates, sessions and what hangs off one: action items, feedback,
tags and the goals a session worked on.

Part of revision 0001 (``versions/0001_initial_schema.py`` runs these in its own order).
Written when that revision was made and never changed since, like the revision itself.
"""

import sqlalchemy as sa
from alembic import op


def create_session_templates() -> None:
    op.create_table(
        "session_templates",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_templates")),
        sa.UniqueConstraint("name", name=op.f("uq_session_templates_name")),
        sa.UniqueConstraint("uid", name=op.f("uq_session_templates_uid")),
    )


def drop_session_templates() -> None:
    op.drop_table("session_templates")


def create_session_types() -> None:
    op.create_table(
        "session_types",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("cadence_days", sa.Integer(), nullable=True),
        sa.Column("default_minutes", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["session_templates.id"],
            name=op.f("fk_session_types_template_id_session_templates"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_types")),
        sa.UniqueConstraint("name", name=op.f("uq_session_types_name")),
        sa.UniqueConstraint("uid", name=op.f("uq_session_types_uid")),
    )


def drop_session_types() -> None:
    op.drop_table("session_types")


def create_sessions() -> None:
    op.create_table(
        "sessions",
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("session_type_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["mentees.id"],
            name=op.f("fk_sessions_mentee_id_mentees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_type_id"],
            ["session_types.id"],
            name=op.f("fk_sessions_session_type_id_session_types"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
        sa.UniqueConstraint("uid", name=op.f("uq_sessions_uid")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sessions_mentee_started", ["mentee_id", "started_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sessions_session_type_id"), ["session_type_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sessions_started_at"), ["started_at"], unique=False)


def drop_sessions() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_started_at"))
        batch_op.drop_index(batch_op.f("ix_sessions_session_type_id"))
        batch_op.drop_index("ix_sessions_mentee_started")

    op.drop_table("sessions")


def create_action_items() -> None:
    op.create_table(
        "action_items",
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("visibility", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["mentees.id"],
            name=op.f("fk_action_items_mentee_id_mentees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_action_items_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_items")),
        sa.UniqueConstraint("uid", name=op.f("uq_action_items_uid")),
    )
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.create_index("ix_action_items_mentee_done", ["mentee_id", "done"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_action_items_session_id"), ["session_id"], unique=False
        )


def drop_action_items() -> None:
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_items_session_id"))
        batch_op.drop_index("ix_action_items_mentee_done")

    op.drop_table("action_items")


def create_feedback() -> None:
    op.create_table(
        "feedback",
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("observation", sa.Text(), nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("quadrant", sa.String(length=32), nullable=True),
        sa.Column("visibility", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["mentees.id"],
            name=op.f("fk_feedback_mentee_id_mentees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_feedback_session_id_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("uid", name=op.f("uq_feedback_uid")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_mentee_id"), ["mentee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_feedback_session_id"), ["session_id"], unique=False)


def drop_feedback() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_session_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_mentee_id"))

    op.drop_table("feedback")


def create_session_tags() -> None:
    op.create_table(
        "session_tags",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_tags_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_session_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("session_id", "tag_id", name=op.f("pk_session_tags")),
    )
    with op.batch_alter_table("session_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_tags_tag_id"), ["tag_id"], unique=False)


def drop_session_tags() -> None:
    with op.batch_alter_table("session_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_tags_tag_id"))

    op.drop_table("session_tags")


def create_session_goals() -> None:
    op.create_table(
        "session_goals",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["goals.id"],
            name=op.f("fk_session_goals_goal_id_goals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_goals_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "goal_id", name=op.f("pk_session_goals")),
    )
    with op.batch_alter_table("session_goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_goals_goal_id"), ["goal_id"], unique=False)


def drop_session_goals() -> None:
    with op.batch_alter_table("session_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_goals_goal_id"))

    op.drop_table("session_goals")
