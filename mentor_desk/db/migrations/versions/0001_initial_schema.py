"""The initial schema: every table of Mentor Desk 0.1.

Column types are spelled as plain SQL types (enums are VARCHAR(32), datetimes are naive UTC)
so this file never changes when the application's own types do.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 13:24:24.015334

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "lmp_areas",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("optional", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["lmp_areas.id"],
            name=op.f("fk_lmp_areas_parent_id_lmp_areas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lmp_areas")),
        sa.UniqueConstraint("code", name=op.f("uq_lmp_areas_code")),
        sa.UniqueConstraint("uid", name=op.f("uq_lmp_areas_uid")),
    )
    with op.batch_alter_table("lmp_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lmp_areas_parent_id"), ["parent_id"], unique=False)

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
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
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
    op.create_table(
        "lmp_records",
        sa.Column("mentee_id", sa.Integer(), nullable=False),
        sa.Column("sponsor_name", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        sa.Column("recommendation", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["mentees.id"],
            name=op.f("fk_lmp_records_mentee_id_mentees"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lmp_records")),
        sa.UniqueConstraint("mentee_id", name=op.f("uq_lmp_records_mentee_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_lmp_records_uid")),
    )
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

    op.create_table(
        "evidence",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=32), nullable=False),
        sa.Column("visibility", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["lmp_records.id"],
            name=op.f("fk_evidence_record_id_lmp_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("uid", name=op.f("uq_evidence_uid")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index("ix_evidence_record_date", ["record_id", "occurred_on"], unique=False)

    op.create_table(
        "lmp_presentations",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("presented_on", sa.Date(), nullable=False),
        sa.Column("reviewers", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=32), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["lmp_records.id"],
            name=op.f("fk_lmp_presentations_record_id_lmp_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lmp_presentations")),
        sa.UniqueConstraint("uid", name=op.f("uq_lmp_presentations_uid")),
    )
    with op.batch_alter_table("lmp_presentations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lmp_presentations_record_id"), ["record_id"], unique=False
        )

    op.create_table(
        "scpa_updates",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("week_of", sa.Date(), nullable=False),
        sa.Column("success", sa.Text(), nullable=False),
        sa.Column("challenges", sa.Text(), nullable=False),
        sa.Column("priorities", sa.Text(), nullable=False),
        sa.Column("appreciation", sa.Text(), nullable=False),
        sa.Column("visibility", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["lmp_records.id"],
            name=op.f("fk_scpa_updates_record_id_lmp_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scpa_updates")),
        sa.UniqueConstraint("record_id", "week_of", name=op.f("uq_scpa_updates_record_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_scpa_updates_uid")),
    )
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

    op.create_table(
        "evidence_areas",
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["lmp_areas.id"],
            name=op.f("fk_evidence_areas_area_id_lmp_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_evidence_areas_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("evidence_id", "area_id", name=op.f("pk_evidence_areas")),
    )
    with op.batch_alter_table("evidence_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_areas_area_id"), ["area_id"], unique=False)

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


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("session_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_goals_goal_id"))

    op.drop_table("session_goals")
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestones_goal_id"))

    op.drop_table("milestones")
    with op.batch_alter_table("goal_checkins", schema=None) as batch_op:
        batch_op.drop_index("ix_goal_checkins_goal_date")

    op.drop_table("goal_checkins")
    with op.batch_alter_table("session_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_tags_tag_id"))

    op.drop_table("session_tags")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goals_presentation_id"))
        batch_op.drop_index(batch_op.f("ix_goals_mentee_id"))

    op.drop_table("goals")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_session_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_mentee_id"))

    op.drop_table("feedback")
    with op.batch_alter_table("evidence_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_areas_area_id"))

    op.drop_table("evidence_areas")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_items_session_id"))
        batch_op.drop_index("ix_action_items_mentee_done")

    op.drop_table("action_items")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_started_at"))
        batch_op.drop_index(batch_op.f("ix_sessions_session_type_id"))
        batch_op.drop_index("ix_sessions_mentee_started")

    op.drop_table("sessions")
    op.drop_table("scpa_updates")
    with op.batch_alter_table("lmp_presentations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lmp_presentations_record_id"))

    op.drop_table("lmp_presentations")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_record_date")

    op.drop_table("evidence")
    with op.batch_alter_table("skill_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skill_assessments_skill_area_id"))
        batch_op.drop_index("ix_skill_assessments_mentee_date")

    op.drop_table("skill_assessments")
    op.drop_table("session_types")
    with op.batch_alter_table("mentee_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentee_tags_tag_id"))

    op.drop_table("mentee_tags")
    op.drop_table("lmp_records")
    op.drop_table("tags")
    op.drop_table("skill_areas")
    op.drop_table("settings")
    op.drop_table("session_templates")
    with op.batch_alter_table("mentees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentees_status"))
        batch_op.drop_index(batch_op.f("ix_mentees_name"))

    op.drop_table("mentees")
    with op.batch_alter_table("lmp_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lmp_areas_parent_id"))

    op.drop_table("lmp_areas")
