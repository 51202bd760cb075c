"""The Lead Mentorship Program (LMP): its framework of areas, each candidate's record,
evidence, presentations and weekly SCPA updates.

Part of revision 0001 (``versions/0001_initial_schema.py`` runs these in its own order).
Written when that revision was made and never changed since, like the revision itself.
"""

import sqlalchemy as sa
from alembic import op


def create_lmp_areas() -> None:
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


def drop_lmp_areas() -> None:
    with op.batch_alter_table("lmp_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lmp_areas_parent_id"))

    op.drop_table("lmp_areas")


def create_lmp_records() -> None:
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


def drop_lmp_records() -> None:
    op.drop_table("lmp_records")


def create_evidence() -> None:
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


def drop_evidence() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_record_date")

    op.drop_table("evidence")


def create_lmp_presentations() -> None:
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


def drop_lmp_presentations() -> None:
    with op.batch_alter_table("lmp_presentations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lmp_presentations_record_id"))

    op.drop_table("lmp_presentations")


def create_scpa_updates() -> None:
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


def drop_scpa_updates() -> None:
    op.drop_table("scpa_updates")


def create_evidence_areas() -> None:
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


def drop_evidence_areas() -> None:
    with op.batch_alter_table("evidence_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_areas_area_id"))

    op.drop_table("evidence_areas")
