"""Goals with their milestones and check-ins, and the skill areas mentees are assessed on.

Part of revision 0001 (``versions/0001_initial_schema.py`` runs these in its own order).
Written when that revision was made and never changed since, like the revision itself.
"""

import sqlalchemy as sa
from alembic import op


def create_skill_areas() -> None:
    op.create_table(
        "skill_areas",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_areas")),
        sa.UniqueConstraint("name", name=op.f("uq_skill_areas_name")),
        sa.UniqueConstraint("uid", name=op.f("uq_skill_areas_uid")),
    )


def drop_skill_areas() -> None:
    op.drop_table("skill_areas")


def create_skill_assessments() -> None:
    op.create_table(
        "skill_assessments",
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("skill_area_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessor", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["mentees.id"],
            name=op.f("fk_skill_assessments_mentee_id_mentees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["skill_area_id"],
            ["skill_areas.id"],
            name=op.f("fk_skill_assessments_skill_area_id_skill_areas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_assessments")),
        sa.UniqueConstraint("uid", name=op.f("uq_skill_assessments_uid")),
    )
    with op.batch_alter_table("skill_assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_skill_assessments_mentee_date", ["mentee_id", "assessed_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_skill_assessments_skill_area_id"), ["skill_area_id"], unique=False
        )


def drop_skill_assessments() -> None:
    with op.batch_alter_table("skill_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skill_assessments_skill_area_id"))
        batch_op.drop_index("ix_skill_assessments_mentee_date")

    op.drop_table("skill_assessments")


def create_goals() -> None:
    op.create_table(
        "goals",
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("progress_mode", sa.String(length=32), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("presentation_id", sa.Integer(), nullable=True),
        sa.Column("visibility", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["mentees.id"],
            name=op.f("fk_goals_mentee_id_mentees"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["presentation_id"],
            ["lmp_presentations.id"],
            name=op.f("fk_goals_presentation_id_lmp_presentations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
        sa.UniqueConstraint("uid", name=op.f("uq_goals_uid")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goals_mentee_id"), ["mentee_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_goals_presentation_id"), ["presentation_id"], unique=False
        )


def drop_goals() -> None:
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goals_presentation_id"))
        batch_op.drop_index(batch_op.f("ix_goals_mentee_id"))

    op.drop_table("goals")


def create_goal_checkins() -> None:
    op.create_table(
        "goal_checkins",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["goals.id"],
            name=op.f("fk_goal_checkins_goal_id_goals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_checkins")),
        sa.UniqueConstraint("uid", name=op.f("uq_goal_checkins_uid")),
    )
    with op.batch_alter_table("goal_checkins", schema=None) as batch_op:
        batch_op.create_index("ix_goal_checkins_goal_date", ["goal_id", "checked_on"], unique=False)


def drop_goal_checkins() -> None:
    with op.batch_alter_table("goal_checkins", schema=None) as batch_op:
        batch_op.drop_index("ix_goal_checkins_goal_date")

    op.drop_table("goal_checkins")


def create_milestones() -> None:
    op.create_table(
        "milestones",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_milestones_goal_id_goals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
        sa.UniqueConstraint("uid", name=op.f("uq_milestones_uid")),
    )
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestones_goal_id"), ["goal_id"], unique=False)


def drop_milestones() -> None:
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestones_goal_id"))

    op.drop_table("milestones")
