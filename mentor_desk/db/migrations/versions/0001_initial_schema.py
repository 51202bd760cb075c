"""The initial schema: every table of Mentor Desk 0.1.

Column types are spelled as plain SQL types (enums are VARCHAR(32), datetimes are naive UTC)
so this file never changes when the application's own types do. The tables themselves are in
mentor_desk.db.migrations.initial, one module per domain area.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 13:24:24.015334

"""

from collections.abc import Callable, Sequence

from mentor_desk.db.migrations.initial import goals, lmp, people, sessions

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# (create, drop) for every table, parents before the tables whose foreign keys point at them.
# This is the order autogenerate wrote when the revision was one file; keeping it exactly keeps
# new databases identical to older ones, down to the order of sqlite_master (and `.schema`).
TABLES: tuple[tuple[Callable[[], None], Callable[[], None]], ...] = (
    (lmp.create_lmp_areas, lmp.drop_lmp_areas),
    (people.create_mentees, people.drop_mentees),
    (sessions.create_session_templates, sessions.drop_session_templates),
    (people.create_settings, people.drop_settings),
    (goals.create_skill_areas, goals.drop_skill_areas),
    (people.create_tags, people.drop_tags),
    (lmp.create_lmp_records, lmp.drop_lmp_records),
    (people.create_mentee_tags, people.drop_mentee_tags),
    (sessions.create_session_types, sessions.drop_session_types),
    (goals.create_skill_assessments, goals.drop_skill_assessments),
    (lmp.create_evidence, lmp.drop_evidence),
    (lmp.create_lmp_presentations, lmp.drop_lmp_presentations),
    (lmp.create_scpa_updates, lmp.drop_scpa_updates),
    (sessions.create_sessions, sessions.drop_sessions),
    (sessions.create_action_items, sessions.drop_action_items),
    (lmp.create_evidence_areas, lmp.drop_evidence_areas),
    (sessions.create_feedback, sessions.drop_feedback),
    (goals.create_goals, goals.drop_goals),
    (sessions.create_session_tags, sessions.drop_session_tags),
    (goals.create_goal_checkins, goals.drop_goal_checkins),
    (goals.create_milestones, goals.drop_milestones),
    (sessions.create_session_goals, sessions.drop_session_goals),
)


def upgrade() -> None:
    """Upgrade schema."""
    for create, _drop in TABLES:
        create()


def downgrade() -> None:
    """Downgrade schema: children first, the exact reverse of upgrade()."""
    for _create, drop in reversed(TABLES):
        drop()
